"""Django admin for the three kinds of content.

Each kind has one admin page per item. Its change form edits the item's working draft (the
version in draft or changes-requested state) with markdownx's live preview; when there is no
editable draft the content is shown read-only. Every save goes through `therapies.workflow`
— the admin never writes a version's state or content itself.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from markdownx.widgets import AdminMarkdownxWidget

from therapies import citations as citation_parsing
from therapies import kinds, notifications, registry, trust, workflow
from therapies.diff import compare_versions
from therapies.models import (
    EDITABLE_STATES,
    IN_PROGRESS_STATES,
    MAX_CITATIONS,
    SUPPORTS_MAX_LENGTH,
    AuditEvent,
    CancerType,
    Citation,
    CombinationEntry,
    ConflictOfInterestStatement,
    Notification,
    RecheckFlag,
    ReviewLink,
    TherapyArticle,
    TrialNote,
    TrialNoteVersion,
    VersionState,
)
from therapies.permissions import can
from therapies.templatetags.editorial import state_change, who
from therapies.validators import validate_single_line
from therapies.views import render_version


def citation_from_typed(text: str):
    """The citation an editor types: as `citations.citation_from` reads it, except that bare
    digits are a PubMed ID (what an editor means), never a row's id."""
    text = text.strip()
    return citation_parsing.citation_from(f"PMID: {text}" if text.isdigit() else text)


def citation_choice_label(citation) -> str:
    # Identifier first: many sources share a label such as "ClinicalTrials.gov record".
    return f"{citation.get_kind_display()} {citation.value} — {citation.label or ''}"


class CitationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, citation):
        return citation_choice_label(citation)


class CitationSingleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, citation):
        return citation_choice_label(citation)


class CitationRowForm(forms.Form):
    """One cited source of a draft and the statement it supports."""

    citation = CitationSingleChoiceField(Citation.objects.all(), required=False, label="Source")
    supports = forms.CharField(
        max_length=SUPPORTS_MAX_LENGTH, required=False, label="Supports",
        help_text="Which statement it backs, e.g. 'overall survival at 5 years'.",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "citation"
        ].label_from_instance = CitationChoiceField.label_from_instance.__get__(
            self.fields["citation"]
        )


# A posted TOTAL_FORMS never builds more than MAX_CITATIONS forms (Django's default cap is
# a thousand more than max_num).
CitationFormSet = forms.formset_factory(
    CitationRowForm, extra=3, can_delete=True, max_num=MAX_CITATIONS, validate_max=True,
    absolute_max=MAX_CITATIONS,
)  # fmt: skip


class ItemForm(forms.ModelForm):
    """An item's key plus the fields of its working draft.

    `loaded_version` and `loaded_edit_count` carry which version the page showed and its save
    counter when it was opened; `workflow.edit`, given them, refuses a save based on a stale
    page — the draft saved, submitted or discarded by someone else meanwhile — instead of
    silently overwriting their changes or dropping yours.
    """

    version_fields: tuple[str, ...] = ()
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    loaded_edit_count = forms.IntegerField(widget=forms.HiddenInput, required=False)
    citations = CitationChoiceField(
        Citation.objects.all(),
        required=False,
        help_text="Sources this version cites. Type a PubMed ID, DOI, NCT ID, address or words "
                  "of the reference to find one already recorded; set their order and what "
                  "each supports under “Citations” on the version.",
    )  # fmt: skip
    add_citations = forms.CharField(
        label="Add sources",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField",
                                     "placeholder": "e.g. PMID: 26027431 | Larkin J, et al. N Engl "
                                                    "J Med. 2015;373(1):23-34."}),
        help_text="One per line: a PubMed ID, DOI, NCT ID or https address, optionally "
                  "followed by “ | ” and the reference text. Each is checked; a source "
                  "already recorded is reused, one already cited is skipped; new ones follow "
                  "the sources above, in the order written.",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = None
        shown = None
        if self.instance.pk:
            self.draft = self.instance.versions.filter(state__in=EDITABLE_STATES).first()
            shown = self.draft or self.instance.latest
        if shown is not None:
            for name in (*self.version_fields, "citations"):
                value = getattr(shown, name)
                if hasattr(value, "all"):
                    value = list(value.all())
                self.initial[name] = value
            self.initial["loaded_version"] = shown.number
            self.initial["loaded_edit_count"] = shown.edit_count
        if "slug" in self.fields:
            self.fields["slug"].help_text = ("The page's address, filled in from the title. It "
                                             "is fixed once the page is published.")  # fmt: skip
        if self.draft is not None:  # workflow.edit needs to know what the page was loaded with
            self.fields["loaded_version"].required = True
            self.fields["loaded_edit_count"].required = True
        if self.instance.pk and self.draft is None:
            for name in (*self.version_fields, "citations", "add_citations"):
                self.fields[name].disabled = True
                self.fields[name].required = False

    # Set by the admin when workflow.edit refused this form's save (a stale page, a draft
    # moved meanwhile): the form is shown again, with what was typed and why it was refused.
    edit_refusal: ValidationError | None = None

    def clean(self):
        cleaned = super().clean()
        if self.edit_refusal is not None:
            raise forms.ValidationError(_error_messages(self.edit_refusal), code="edit_refused")
        return cleaned

    def edited_version(self):
        """The version this page showed as editable (by its number, so that a draft moved
        meanwhile is refused by workflow.edit rather than another one edited), or None."""
        number = self.cleaned_data.get("loaded_version")
        if self.draft is not None and number in (None, self.draft.number):
            return self.draft
        return self.instance.versions.filter(number=number).first()

    def clean_add_citations(self) -> list[Citation]:
        """The sources typed under "Add sources", each validated: recorded ones as they are,
        new ones unsaved (saved with the edit), none twice."""
        added, seen = [], set()
        for number, line in enumerate(self.cleaned_data["add_citations"].splitlines(), 1):
            identifier, _, label = (part.strip() for part in line.partition("|"))
            if not identifier:
                continue
            try:
                citation = citation_from_typed(identifier)
                if citation.pk is None:
                    citation.label = label
                    citation.clean()
                    for field in ("label", "value"):
                        Citation._meta.get_field(field).run_validators(getattr(citation, field))
            except ValidationError as error:
                raise ValidationError(f"Line {number} ({identifier}): "
                                      f"{' '.join(_error_messages(error))}") from None  # fmt: skip
            if (citation.kind, citation.value) not in seen:
                seen.add((citation.kind, citation.value))
                added.append(citation)
        return added

    def version_data(self, changed_only: bool) -> dict:
        names = [*self.version_fields, "citations"]
        added = self.cleaned_data.get("add_citations") or []
        if changed_only:
            names = [name for name in names
                     if name in self.changed_data or (name == "citations" and added)]  # fmt: skip
        data = {name: self.cleaned_data[name] for name in names}
        if "citations" in data:
            ordered = self._ordered_citations(data["citations"])
            cited = {(citation.kind, citation.value) for citation, _ in ordered}
            data["citations"] = ordered + [
                (citation, "") for citation in added if (citation.kind, citation.value) not in cited
            ]
        return data

    def _ordered_citations(self, chosen) -> list[tuple]:
        """The chosen citations as (citation, supports) pairs: those the draft already cites
        keep their order and what they support; newly chosen ones follow."""
        chosen = {citation.pk: citation for citation in chosen}
        kept = []
        if self.draft is not None:
            for link in self.draft.citation_links.all():
                if link.citation_id in chosen:
                    kept.append((chosen.pop(link.citation_id), link.supports))
        return kept + [(citation, "") for citation in chosen.values()]


def item_form(item_model, fields: tuple[str, ...]) -> type[ItemForm]:
    """The admin form for one kind: its key field and its version model's content fields."""
    version_model = item_model.version_model()

    def formfield(db_field, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = AdminMarkdownxWidget
        elif db_field.many_to_many:  # found by typing, like citations (desk-a11y.js)
            kwargs["widget"] = admin.widgets.AutocompleteSelectMultiple(db_field, admin.site)
        return db_field.formfield(**kwargs)

    declared = forms.fields_for_model(version_model, fields=fields, formfield_callback=formfield)
    # Found by typing (Django admin's autocomplete, CitationAdmin.search_fields): the
    # catalogue holds thousands of sources, too many for a list to pick from.
    declared["citations"] = CitationChoiceField(
        Citation.objects.all(), required=False, help_text=ItemForm.base_fields["citations"]
        .help_text, widget=admin.widgets.AutocompleteSelectMultiple(
            version_model._meta.get_field("citations"), admin.site,
            attrs={"data-placeholder": "Find a recorded source"},
        ),
    )  # fmt: skip
    meta = type("Meta", (), {"model": item_model, "fields": [item_model.KEY_FIELD]})
    return type(
        f"{item_model.__name__}Form",
        (ItemForm,),
        {**declared, "Meta": meta, "version_fields": fields},
    )


class WorkflowActionForm(forms.Form):
    """What goes with a workflow move: a comment (required where MOVES says so), the times
    of a publication (approve, reschedule) or the confirmation of a take-over (claim)."""

    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, comment_required=False, schedule="", take_over=False,
                 counter=False, **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = comment_required
        if counter:  # the save counter of the page the move was started from
            self.fields["loaded_edit_count"] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=0, required=False)  # fmt: skip
        if schedule:
            publish_help = ("A time in the future." if schedule == "reschedule" else
                            "Leave empty to publish now; a past time publishes now.")  # fmt: skip
            for name, label, help_text, required in [
                ("publish_at", "Publish at", publish_help, schedule == "reschedule"),
                ("unpublish_at", "Unpublish at", "Optional: take the page down at this time.",
                 False),
            ]:  # fmt: skip
                self.fields[name] = forms.DateTimeField(
                    label=label,
                    required=required,
                    help_text=f"{help_text} Time zone: {timezone.get_current_timezone_name()}.",
                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                               format="%Y-%m-%dT%H:%M"),
                )  # fmt: skip
        if take_over:
            del self.fields["comment"]
            self.fields["take_over"] = forms.BooleanField(
                label="Take the review over", required=False,
                help_text="Someone else is reviewing this version: tick to take it over.",
            )  # fmt: skip


class ShareForm(forms.Form):
    label = forms.CharField(
        label="Shared with",
        max_length=ReviewLink._meta.get_field("label").max_length,
        help_text="Who the link is for, e.g. 'Dr A. Expert, oncologist'.",
        validators=[validate_single_line],
    )
    days = forms.IntegerField(label="Valid for (days)", min_value=1, max_value=ReviewLink.MAX_DAYS,
                              initial=14)  # fmt: skip


@dataclass(frozen=True)
class WorkflowAction:
    """One button: its exact label, what it asks for and the workflow function it calls.
    Whether a comment is required comes from workflow.MOVES."""

    label: str
    run: Callable
    move: str = ""
    schedule: str = ""
    take_over: bool = False
    shows_review: bool = False
    checks_counter: bool = False  # refused if the draft was saved since the page was loaded

    @property
    def comment_required(self) -> bool:
        return bool(self.move) and workflow.MOVES[self.move].comment


VERSION_ACTIONS = {
    "submit": WorkflowAction(
        "Submit for review",
        lambda version, by, data: workflow.submit(
            version,
            by=by,
            comment=data["comment"],
            expected_edit_count=data.get("loaded_edit_count"),
        ),  # fmt: skip
        move="submit",
        checks_counter=True,
        shows_review=True,
    ),
    "withdraw": WorkflowAction(
        "Withdraw from review",
        lambda version, by, data: workflow.withdraw(version, by=by, comment=data["comment"]),
        move="withdraw",
    ),
    "claim": WorkflowAction(
        "Claim review",
        lambda version, by, data: workflow.claim_review(
            version, by=by, take_over=data.get("take_over", False)
        ),
        move="claim",
        take_over=True,
    ),
    "release": WorkflowAction(
        "Release review", lambda version, by, data: workflow.release_review(version, by=by)
    ),
    "approve": WorkflowAction(
        "Approve",
        lambda version, by, data: workflow.approve(
            version,
            by=by,
            comment=data["comment"],
            publish_at=data.get("publish_at"),
            unpublish_at=data.get("unpublish_at"),
        ),
        move="approve",
        schedule="approve",
        shows_review=True,
    ),
    "request_changes": WorkflowAction(
        "Request changes",
        lambda version, by, data: workflow.request_changes(version, by=by, comment=data["comment"]),
        move="request_changes",
        shows_review=True,
    ),
    "reschedule": WorkflowAction(
        "Reschedule",
        lambda version, by, data: workflow.reschedule(
            version,
            by=by,
            publish_at=data["publish_at"],
            unpublish_at=data.get("unpublish_at"),
            comment=data["comment"],
        ),
        move="reschedule",
        schedule="reschedule",
    ),
    "cancel_schedule": WorkflowAction(
        "Cancel schedule",
        lambda version, by, data: workflow.cancel_schedule(version, by=by, comment=data["comment"]),
        move="cancel_schedule",
    ),
    "discard": WorkflowAction(
        "Discard",
        lambda version, by, data: workflow.discard(version, by=by, comment=data["comment"]),
        move="discard",
    ),
    "revert": WorkflowAction(
        "Revert to this version",
        lambda version, by, data: workflow.new_version(version.item, by=by, from_version=version),
        move="revert",
    ),
    "correct": WorkflowAction(
        "Mark as corrected",
        lambda version, by, data: workflow.mark_correction(version, by=by, note=data["comment"]),
        move="correct",
    ),
}
ITEM_ACTIONS = {
    "new_version": WorkflowAction(
        "New version", lambda item, by, data: workflow.new_version(item, by=by)
    ),
    "unpublish": WorkflowAction(
        "Unpublish",
        lambda item, by, data: workflow.unpublish(item, by=by, comment=data["comment"]),
        move="unpublish",
    ),
}
# Buttons in this order; "approve" stands for "schedule" too (one form does both).
BUTTON_ORDER = ("submit", "withdraw", "claim", "approve", "request_changes", "reschedule",
                "cancel_schedule", "discard", "correct", "revert")  # fmt: skip


def _error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{message}" for messages in error.message_dict.values() for message in messages]
    return list(error.messages)


class VersionedItemAdmin(admin.ModelAdmin):
    """One admin page per item; its versions move only through `therapies.workflow`."""

    version_fields: tuple[str, ...] = ()
    list_display = ("title", "live", "in_progress_state", "last_change")
    change_form_template = "admin/therapies/item_change_form.html"

    class Media:
        # Django's own slug-from-title scripts: it adds them only for a static
        # prepopulated_fields, and ours depend on the item (get_prepopulated_fields).
        js = ("admin/js/urlify.js", "admin/js/prepopulate.js", "js/desk-a11y.js",
              "js/unsaved-changes.js")  # fmt: skip

    def view_on_site(self, item):
        """The public page when the item is live, else the staff preview of its newest
        version (the public address would only answer "not found")."""
        if item.published is not None:
            return item.get_absolute_url()
        latest = item.latest
        return self.url("preview", item.pk, latest.number) if latest is not None else None

    # -- the change form: the working draft ---------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        # The title first, then the address made from it, then the rest of the content.
        first, *rest = self.version_fields
        content = [first, self.model.KEY_FIELD, *rest, "citations", "add_citations",
                   "loaded_version", "loaded_edit_count"]  # fmt: skip
        if obj is None:
            title = "First draft"
        elif obj.versions.filter(state__in=EDITABLE_STATES).exists():
            title = "Working draft"
        else:
            title = "Content of the newest version (read-only)"
        return [(title, {"fields": content})]

    def key_is_frozen(self, obj) -> bool:
        """A trial note's NCT ID is the registry's; a slug is frozen once it was published,
        and changes only with a draft (workflow.rename_item)."""
        return obj is not None and (
            self.model.KEY_FIELD != "slug"
            or workflow.was_ever_published(obj)
            or not obj.versions.filter(state__in=EDITABLE_STATES).exists()
        )

    def get_readonly_fields(self, request, obj=None):
        return (self.model.KEY_FIELD,) if self.key_is_frozen(obj) else ()

    def get_prepopulated_fields(self, request, obj=None):
        # Filled from the title as it is typed (Django's own prepopulate script), until the
        # editor types a slug of their own; never once the slug is frozen.
        if self.model.KEY_FIELD != "slug" or self.key_is_frozen(obj):
            return {}
        return {"slug": ("title",)}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("versions")

    def version_rows(self, request, item):
        """Each version with its buttons, all decided by the workflow: the moves this user
        may make now, and those they have the right to but not now (four eyes, a conflict of
        interest, the evidence checklist, a version in progress), shown disabled with why."""
        versions = list(
            item.versions.select_related("item", "author", "reviewed_by", "last_edited_by",
                                         "review_claimed_by")
        )  # fmt: skip
        busy = any(version.state in IN_PROGRESS_STATES for version in versions)
        rows = []
        for version in versions:
            options = workflow.move_options(version, request.user, item_busy=busy)
            buttons = [
                (VERSION_ACTIONS[name].label,
                 self.url("workflow", item.pk, version.number, name)
                 + (f"?edit_count={version.edit_count}" if VERSION_ACTIONS[name].checks_counter
                    else ""),
                 options[name].message if options[name] else None)
                for name in BUTTON_ORDER if name in options
            ]  # fmt: skip
            if version.state == VersionState.IN_REVIEW:
                buttons.insert(
                    0, ("Review the change", self.url("review", item.pk, version.number), None)
                )
            if version.review_claimed_by_id and not workflow.release_refusal(version, request.user):
                buttons.append(
                    (
                        VERSION_ACTIONS["release"].label,
                        self.url("workflow", item.pk, version.number, "release"),
                        None,
                    )
                )
            if "edit" in options:
                buttons.append(("Citations", self.url("citations", item.pk, version.number), None))
            if trust.may_share_now(version, request.user):
                buttons.append(
                    ("Share for review", self.url("share", item.pk, version.number), None)
                )
            buttons.append(("Preview", self.url("preview", item.pk, version.number), None))
            rows.append({"version": version, "buttons": buttons})
        return rows

    # The list columns read the versions prefetched by get_queryset: no query per row.

    @staticmethod
    def _listed_versions(obj):
        return [v for v in obj.versions.all() if v.state != VersionState.DISCARDED]

    @admin.display(description="Title")
    def title(self, obj):
        versions = self._listed_versions(obj)
        live = next((v for v in versions if v.state == VersionState.PUBLISHED), None)
        shown = live or (versions[0] if versions else None)
        return shown.title if shown else "—"

    @admin.display(description="Live version")
    def live(self, obj):
        live = next((v for v in obj.versions.all() if v.state == VersionState.PUBLISHED), None)
        return f"v{live.number}" if live else "not published"

    @admin.display(description="In progress")
    def in_progress_state(self, obj):
        current = next((v for v in obj.versions.all() if v.state in IN_PROGRESS_STATES), None)
        return f"v{current.number}: {current.get_state_display()}" if current else "—"

    @admin.display(description="Last change")
    def last_change(self, obj):
        versions = list(obj.versions.all())
        return max(v.updated_at for v in versions) if versions else None

    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):  # fmt: skip
        if obj is None:
            context["show_save_and_submit"] = can(request.user, "submit", self.version_model)
        else:
            draft = context["adminform"].form.draft
            published = obj.published
            allowed = workflow.allowed_item_actions(obj, request.user)
            item_actions = [
                (ITEM_ACTIONS[name].label, self.url("item_workflow", obj.pk, name))
                for name in ("new_version", "unpublish")
                if name in allowed
            ]
            context["show_save_and_submit"] = draft is not None and (
                "submit" in workflow.move_options(draft, request.user)
            )
            if draft is None:  # nothing editable: saving would change nothing
                context.update(
                    show_save=False, show_save_and_continue=False, show_save_and_add_another=False
                )
            all_versions = list(obj.versions.all())
            context.update(
                {
                    "open_flags": list(
                        RecheckFlag.objects.for_item(obj)
                        .open()
                        .select_related("therapy", "trial")
                        .order_by("-urgent", "-created_at")
                    ),  # fmt: skip
                    "may_dismiss_flags": can(request.user, "dismiss", RecheckFlag),
                    "review_links": self.review_link_rows(request, obj, all_versions),
                    "external_comments": list(trust.external_comments(all_versions)),
                    "version_rows": self.version_rows(request, obj),
                    "draft": draft,
                    "in_progress": obj.in_progress,
                    "schedule_overdue": workflow.schedule_problem(obj.in_progress),
                    "approval_refusal": self._approval_refusal(request, obj.in_progress),
                    "review_due": trust.next_review_due(published) if published else None,
                    "review_overdue": bool(published and trust.is_review_overdue(published)),
                    "live_version": published,
                    "item_actions": item_actions,
                    "compare_url": self.url("compare", obj.pk),
                    "history_url": self.url("history", obj.pk),
                    "public_url": obj.get_absolute_url() if published else None,
                    **self.kind_context(obj, obj.in_progress or published),
                }
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def kind_context(self, item, version) -> dict:
        """What the item's page shows beside the versions for this kind of content."""
        return {}

    def save_model(self, request, obj, form, change):
        if not change:
            created = workflow.create_item(
                self.model,
                by=request.user,
                key=form.cleaned_data[self.model.KEY_FIELD],
                **form.version_data(changed_only=False),
            )
            obj.pk = created.item_id
            obj.refresh_from_db()
            request.saved = (created, created.edit_count)
        else:
            data = form.version_data(changed_only=True)
            version = form.edited_version()
            if data and version is None:  # never report a save that dropped the edit
                raise ValidationError("The version this page showed does not exist: reload "
                                      "the page and make the change again.")  # fmt: skip
            loaded = form.cleaned_data.get("loaded_edit_count")
            key = self.model.KEY_FIELD
            if key in form.changed_data and not self.key_is_frozen(obj):
                workflow.rename_item(obj, by=request.user, key=form.cleaned_data[key])
            if data:
                workflow.edit(version, by=request.user, expected_edit_count=loaded, **data)
                loaded = version.edit_count
            # What "Save and submit" submits, with the save counter the editor's page had
            # (after this save): submitting is refused if anyone saved in between.
            request.saved = (version, loaded)

    SAVE_AND_SUBMIT = "_saveandsubmit"

    def _submit_after_save(self, request, item):
        """Submit what "Save and submit for review" just saved, through the workflow.
        If it cannot go to review, the save stands and the editor is told why."""
        version, counter = getattr(request, "saved", (None, None))
        if version is None:
            return
        try:
            workflow.submit(version, by=request.user, expected_edit_count=counter)
        except (ValidationError, PermissionDenied) as error:
            reasons = (
                " ".join(_error_messages(error))
                if isinstance(error, ValidationError)
                else str(error) or "You may not submit it."
            )
            self.message_user(request, f"Saved, but not submitted for review: {reasons}",
                              messages.ERROR)  # fmt: skip
        else:
            self.message_user(request, f"Saved and submitted for review (version "
                                       f"{version.number}).", messages.SUCCESS)  # fmt: skip

    def response_add(self, request, obj, post_url_continue=None):
        if self.SAVE_AND_SUBMIT in request.POST:
            self._submit_after_save(request, obj)
            return HttpResponseRedirect(self.url("change", obj.pk))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if self.SAVE_AND_SUBMIT in request.POST:
            self._submit_after_save(request, obj)
            return HttpResponseRedirect(self.url("change", obj.pk))
        return super().response_change(request, obj)

    def save_related(self, request, form, formsets, change):
        # The version's relations were saved by workflow.create_item / workflow.edit.
        pass

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with transaction.atomic():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:  # workflow.create_item / edit refused the save
            if request.method != "POST" or getattr(request, "edit_refusal", None) is not None:
                raise
            refusal = error
        # Shown again with what was typed and why it was not saved (ItemForm.edit_refusal).
        request.edit_refusal = refusal
        with transaction.atomic():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "edit_refusal", None)
        if refusal is not None:
            form = type(form.__name__, (form,), {"edit_refusal": refusal})
        return form

    def has_delete_permission(self, request, obj=None):
        return obj is not None and workflow.may_delete(obj, request.user)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # No bulk delete: deletion is decided per item (see has_delete_permission).
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    # -- workflow screens -----------------------------------------------------------------------

    @property
    def version_model(self):
        return self.model.version_model()

    def url(self, name: str, *args) -> str:
        meta = self.model._meta
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_{name}", args=args)

    def get_urls(self):
        meta = self.model._meta
        prefix = f"{meta.app_label}_{meta.model_name}"
        wrap = self.admin_site.admin_view
        routes = [  # (route under the item, view, name suffix); the most specific first
            ("compare/", self.compare_view, "compare"),
            ("versions/<int:number>/share/", self.share_view, "share"),
            ("versions/<int:number>/citations/", self.citations_view, "citations"),
            ("review-links/<int:link_id>/revoke/", self.revoke_link_view, "revoke_link"),
            ("flags/<int:flag_id>/dismiss/", self.dismiss_flag_view, "dismiss_flag"),
            ("versions/<int:number>/preview/", self.preview_view, "preview"),
            ("versions/<int:number>/review/", self.review_view, "review"),
            ("versions/<int:number>/<slug:action>/", self.workflow_view, "workflow"),
            ("workflow/<slug:action>/", self.item_workflow_view, "item_workflow"),
        ]
        return [
            *(path(f"<path:object_id>/{route}", wrap(view), name=f"{prefix}_{name}")
              for route, view, name in routes),
            *super().get_urls(),
        ]  # fmt: skip

    def _item(self, request, object_id):
        item = self.get_object(request, unquote(object_id))
        if item is None:
            raise Http404("No such item.")
        if not self.has_view_or_change_permission(request, item):
            raise PermissionDenied
        return item

    def _context(self, request, item, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "item": item,
            "change_url": self.url("change", item.pk),
            "compare_url": self.url("compare", item.pk),
            "history_url": self.url("history", item.pk),
            **extra,
        }

    def _run_action(self, request, item, action, subject, version=None):
        """Show the action's form (GET) or make the move through the workflow (POST)."""
        spec = (VERSION_ACTIONS if version is not None else ITEM_ACTIONS).get(action)
        if spec is None:
            raise Http404("No such action.")
        errors, refused = [], False
        if request.method != "POST":
            # Showing the form is refused up front to those who may not act (a moderator is
            # told why); a POST always goes to the workflow, which decides on its own.
            reason = self._refusal_to_show(request, item, action, version)
            if reason is not None:
                errors, refused = [reason], True
        form = WorkflowActionForm(
            request.POST if request.method == "POST" else None,
            comment_required=spec.comment_required,
            schedule=spec.schedule,
            take_over=spec.take_over and workflow.claimed_by_another(version, request.user),
            counter=spec.checks_counter,
            initial=(
                {"publish_at": version.publish_at, "unpublish_at": version.unpublish_at}
                if action == "reschedule" else
                {"loaded_edit_count": request.GET.get("edit_count", version.edit_count)}
                if spec.checks_counter else None
            ),
        )  # fmt: skip
        if request.method == "POST" and form.is_valid():
            try:
                result = spec.run(subject, request.user, form.cleaned_data)
            except ValidationError as error:  # WorkflowError and EditConflict included
                errors = _error_messages(error)
            except PermissionDenied as error:
                if not str(error):
                    raise
                errors, refused = [str(error)], True
            else:
                done = {"revert": "Started", "new_version": "Started"}.get(action, "Done")
                number = getattr(result, "number", None)
                self.message_user(
                    request,
                    f"{spec.label}: {done.lower()}"
                    + (f" (version {number}, now {result.get_state_display().lower()})."
                       if number else "."),
                    messages.SUCCESS,
                )  # fmt: skip
                if action == "claim":  # claimed from the desk: on to the review itself
                    return HttpResponseRedirect(self.url("review", item.pk, version.number))
                return HttpResponseRedirect(self.url("change", item.pk))
        live = item.published
        shown = version or live
        context = self._context(
            request,
            item,
            title=f"{spec.label}: {item}",
            action=action,
            spec=spec,
            form=form,
            errors=errors,
            version=shown,
            live_version=live,
            comparison=(
                compare_versions(live, version)
                if spec.shows_review and version is not None and version != live
                else None
            ),
            problems=workflow.review_problems(version) if action == "submit" else [],
            checklist=(
                trust.evidence_checklist(version)
                if version is not None and action in ("submit", "approve", "request_changes")
                else []
            ),
            coi_problems=(
                trust.coi_problems(version, request.user)
                if action == "approve" and not refused
                else []
            ),
            refused=refused,
            external_comments=list(trust.external_comments(version)) if version else [],
            preview_url=self.url("preview", item.pk, shown.number) if shown else None,
        )
        status = 403 if refused else 400 if errors else 200
        return TemplateResponse(request, "admin/therapies/workflow_action.html", context,
                                status=status)  # fmt: skip

    @staticmethod
    def _refusal_to_show(request, item, action, version) -> str | None:
        """Why the form of `action` is not offered to this user, from the workflow: raises
        PermissionDenied for someone with no right to the move, returns the reason for a
        right refused now (four eyes, conflict of interest, evidence, busy), else None."""
        if version is None:
            if action not in workflow.allowed_item_actions(item, request.user):
                raise PermissionDenied
            return None
        if action == "release":
            refused = workflow.release_refusal(version, request.user)
            if refused:
                raise PermissionDenied(refused)
            return None
        options = workflow.move_options(version, request.user)
        if action == "approve" and "approve" not in options:
            action = "schedule"
        if action not in options:
            raise PermissionDenied
        return options[action].message if options[action] else None

    @staticmethod
    def _approval_refusal(request, version) -> str | None:
        """Why this moderator may not approve `version` now (four eyes, conflict of interest,
        evidence), as the workflow says; None when they may, or have no right to at all."""
        if version is None:
            return None
        refused = workflow.move_options(version, request.user).get("approve")
        return refused.message if refused else None

    def workflow_view(self, request, object_id, number, action):
        item = self._item(request, object_id)
        version = get_object_or_404(item.versions, number=number)
        return self._run_action(request, item, action, version, version=version)

    def item_workflow_view(self, request, object_id, action):
        item = self._item(request, object_id)
        return self._run_action(request, item, action, item)

    def compare_view(self, request, object_id):
        """Any two versions side by side; by default the version in progress against the
        live one (or the two newest versions)."""
        item = self._item(request, object_id)
        versions = list(item.versions.all())
        by_number = {version.number: version for version in versions}
        default_new = item.in_progress or (versions[0] if versions else None)
        default_old = item.published if item.published != default_new else None
        if default_old is None and default_new is not None:
            default_old = next((v for v in versions if v.number < default_new.number), None)

        def pick(name, default):
            try:
                return by_number[int(request.GET[name])]
            except (KeyError, ValueError):
                return default

        old, new = pick("a", default_old), pick("b", default_new)
        context = self._context(
            request,
            item,
            title=f"Compare versions: {item}",
            versions=versions,
            old=old,
            new=new,
            comparison=compare_versions(old, new) if new else [],
        )
        return TemplateResponse(request, "admin/therapies/compare.html", context)

    def review_view(self, request, object_id, number):
        """The review screen: what the moderator decides on at the top (evidence checklist,
        conflict of interest, registry facts), then the change — against the live version,
        what this moderator last reviewed, or any version — then the decision."""
        item = self._item(request, object_id)
        versions = list(item.versions.select_related("author", "review_claimed_by"))
        by_number = {version.number: version for version in versions}
        version = by_number.get(number)
        if version is None:
            raise Http404("No such version.")
        live = item.published
        mine = workflow.last_reviewed_by(version, request.user)
        choices = []  # (key, label) of what the version can be compared with
        if live is not None and live != version:
            choices.append(("live", f"the live version ({live.number})"))
        if mine is not None:
            choices.append(("mine", f"what you last reviewed (version {mine[0]})"))
        choices += [(str(v.number), f"version {v.number} ({v.get_state_display().lower()})")
                    for v in versions if v not in (version, live)]  # fmt: skip
        against = request.GET.get("against") or (choices[0][0] if choices else "")
        if against not in dict(choices):
            against = choices[0][0] if choices else ""
        old = {"live": live, "mine": mine[1] if mine else None}.get(against)
        if old is None and against.isdigit():
            old = by_number[int(against)]
        options = workflow.move_options(version, request.user)
        # Approving covers scheduling (one form does both): offered if either move is.
        decisions = []
        for name, moves in (("approve", ("approve", "schedule")),
                            ("request_changes", ("request_changes",))):  # fmt: skip
            offered = [move for move in moves if move in options]
            if offered:
                refusal = options[offered[0]]
                decisions.append((name, VERSION_ACTIONS[name].label,
                                  self.url("workflow", item.pk, number, name),
                                  refusal.message if refusal else None))  # fmt: skip
        may_decide = any(refusal is None for *_, refusal in decisions)
        claim = [(VERSION_ACTIONS[name].label, self.url("workflow", item.pk, number, name))
                 for name in ("claim",) if options.get("claim", False) is None
                 and version.review_claimed_by_id != request.user.pk]  # fmt: skip
        if version.review_claimed_by_id and not workflow.release_refusal(version, request.user):
            claim.append((VERSION_ACTIONS["release"].label,
                          self.url("workflow", item.pk, number, "release")))  # fmt: skip
        context = self._context(
            request, item, title=f"Review: {version.title}", version=version,
            live_version=live, old=old, against=against, choices=choices,
            old_label=dict(choices).get(against, ""),
            comparison=compare_versions(old, version),
            checklist=trust.evidence_checklist(version),
            coi_problems=(trust.coi_problems(version, request.user)
                          if "approve" in options or "schedule" in options else []),
            external_comments=list(trust.external_comments(version)),
            decisions=decisions, may_decide=may_decide, claim_buttons=claim,
            form=WorkflowActionForm(schedule="approve") if may_decide else None,
            preview_url=self.url("preview", item.pk, number),
            **self.kind_context(item, version),
        )  # fmt: skip
        return TemplateResponse(request, "admin/therapies/review.html", context)

    def preview_view(self, request, object_id, number):
        """The version rendered exactly as the public page would render it; staff only."""
        item = self._item(request, object_id)
        version = get_object_or_404(item.versions, number=number)
        return render_version(request, item, version, preview=True)

    def review_link_rows(self, request, item, versions):
        """Every review link to any version of the item, with its state and address."""
        numbers = {version.pk: version.number for version in versions}
        rows = []
        for link in trust.links_for(versions):
            problem = link.problem()
            revoke_url = None if link.revoked_at else self.url("revoke_link", item.pk, link.pk)
            rows.append({
                "link": link,
                "version_number": numbers.get(link.version_id),
                "status": problem or "active",
                "url": None if problem else request.build_absolute_uri(link.get_absolute_url()),
                "revoke_url": revoke_url,
            })  # fmt: skip
        return rows

    def citations_view(self, request, object_id, number):
        """Edit a draft's citations in order, each with what it supports, through
        workflow.edit (so the save is checked for conflicts and audited like any other)."""
        item = self._item(request, object_id)
        version = get_object_or_404(item.versions, number=number)
        if "edit" not in workflow.move_options(version, request.user):
            raise PermissionDenied
        links = list(version.citation_links.select_related("citation"))
        initial = [{"citation": link.citation, "supports": link.supports} for link in links]
        formset = CitationFormSet(request.POST if request.method == "POST" else None,
                                  initial=initial)  # fmt: skip
        loaded = request.POST.get("loaded_edit_count", version.edit_count)
        errors = []
        if request.method == "POST" and formset.is_valid():
            entries, seen = [], set()
            for row in formset.cleaned_data:
                citation = row.get("citation")
                if citation and not row.get("DELETE") and citation.pk not in seen:
                    seen.add(citation.pk)
                    entries.append((citation, row.get("supports", "")))
            try:
                workflow.edit(version, by=request.user, expected_edit_count=loaded,
                              citations=entries)  # fmt: skip
            except ValidationError as error:
                errors = _error_messages(error)
            else:
                self.message_user(request, "Citations saved.", messages.SUCCESS)
                return HttpResponseRedirect(self.url("change", item.pk))
        context = self._context(
            request, item, title=f"Citations of version {version.number}", formset=formset,
            version=version, errors=errors, loaded_edit_count=loaded,
        )  # fmt: skip
        return TemplateResponse(request, "admin/therapies/citations.html", context,
                                status=400 if errors else 200)  # fmt: skip

    def share_view(self, request, object_id, number):
        """Create a signed review link to one version for someone without an account."""
        item = self._item(request, object_id)
        version = get_object_or_404(item.versions, number=number)
        if not trust.may_share(version, request.user):
            raise PermissionDenied
        form = ShareForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                link = trust.create_review_link(version, request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                url = request.build_absolute_uri(link.get_absolute_url())
                self.message_user(
                    request,
                    f"Review link for {link.label}, valid until {link.expires_at:%Y-%m-%d}: {url}",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self.url("change", item.pk))
        context = self._context(request, item, title=f"Share version {number} for review",
                                form=form, version=version)  # fmt: skip
        return TemplateResponse(request, "admin/therapies/share.html", context)

    def revoke_link_view(self, request, object_id, link_id):
        item = self._item(request, object_id)
        link = get_object_or_404(
            ReviewLink,
            pk=link_id,
            version_type=ContentType.objects.get_for_model(self.version_model),
            version_id__in=item.versions.values("pk"),
        )
        if request.method == "POST":
            trust.revoke_review_link(link, request.user)
            self.message_user(request, f"{link} revoked.", messages.SUCCESS)
        return HttpResponseRedirect(self.url("change", item.pk))

    def dismiss_flag_view(self, request, object_id, flag_id):
        item = self._item(request, object_id)
        flag = get_object_or_404(RecheckFlag.objects.for_item(item), pk=flag_id)
        form = WorkflowActionForm(request.POST if request.method == "POST" else None,
                                  comment_required=True)  # fmt: skip
        if request.method == "POST" and form.is_valid():
            try:
                trust.dismiss_flag(flag, request.user, form.cleaned_data["comment"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, "Re-check flag dismissed.", messages.SUCCESS)
                return HttpResponseRedirect(self.url("change", item.pk))
        context = self._context(request, item, title="Dismiss a re-check flag", form=form,
                                flag=flag)  # fmt: skip
        return TemplateResponse(request, "admin/therapies/dismiss_flag.html", context)

    def history_view(self, request, object_id, extra_context=None):
        """The item's audit trail, newest first (replaces admin's LogEntry history)."""
        item = self._item(request, object_id)
        events = AuditEvent.objects.for_item(item).select_related("actor", "version_type")
        context = self._context(request, item, title=f"History: {item}", events=events)
        return TemplateResponse(request, "admin/therapies/history.html", context)


class NeedsRecheckFilter(admin.SimpleListFilter):
    """Items flagged because something they rest on changed: a therapy they link, or the
    registry record of a trial they cite, list or are linked from."""

    title = "re-check"
    parameter_name = "recheck"

    def lookups(self, request, model_admin):
        return [("urgent", "Urgent re-check"), ("needed", "Needs re-check"),
                ("clear", "No open flag")]  # fmt: skip

    def queryset(self, request, queryset):
        if self.value() not in ("urgent", "needed", "clear"):
            return queryset
        flagged = RecheckFlag.objects.open().filter(
            item_type=ContentType.objects.get_for_model(queryset.model)
        )
        if self.value() == "urgent":
            flagged = flagged.filter(urgent=True)
        flagged = flagged.values("item_id")
        if self.value() in ("urgent", "needed"):
            return queryset.filter(pk__in=flagged)
        return queryset.exclude(pk__in=flagged)


@admin.register(TherapyArticle)
class TherapyArticleAdmin(VersionedItemAdmin):
    version_fields = (
        "title", "therapy_class", "evidence_level", "summary", "body", "key_agents",
        "regulatory_status", "cancer_types", "assessed_on",
        "change_summary",
    )  # fmt: skip
    form = item_form(TherapyArticle, version_fields)
    list_filter = (NeedsRecheckFilter,)
    list_display = ("slug", *VersionedItemAdmin.list_display)
    search_fields = ("slug", "versions__title")


@admin.register(CombinationEntry)
class CombinationEntryAdmin(VersionedItemAdmin):
    version_fields = (
        "title", "summary", "therapies", "other_treatments", "evidence_level", "body",
        "key_trials", "assessed_on",
        "change_summary",
    )  # fmt: skip
    form = item_form(CombinationEntry, version_fields)
    list_filter = (NeedsRecheckFilter,)
    list_display = ("slug", *VersionedItemAdmin.list_display)
    search_fields = ("slug", "versions__title")


class ResultsPostedFilter(admin.SimpleListFilter):
    """Trial notes whose newest version says the registry record has posted results."""

    title = "results posted"
    parameter_name = "results"

    def lookups(self, request, model_admin):
        return [("posted", "Results posted"), ("none", "No results posted")]

    def queryset(self, request, queryset):
        if self.value() not in ("posted", "none"):
            return queryset
        posted = TrialNoteVersion.objects.filter(
            results_posted=True, state__in=[VersionState.PUBLISHED, *IN_PROGRESS_STATES]
        ).values("item_id")
        if self.value() == "posted":
            return queryset.filter(pk__in=posted)
        return queryset.exclude(pk__in=posted)


@admin.register(TrialNote)
class TrialNoteAdmin(VersionedItemAdmin):
    version_fields = (
        "title", "summary", "phase", "overall_status", "conditions", "interventions",
        "sponsor", "enrollment", "start_date", "primary_completion_date", "therapies",
        "combinations", "body", "change_summary",
        # the rest of the registry facts, as an import writes them
        "brief_title", "official_title", "study_type", "collaborators", "enrollment_type",
        "start_date_type", "primary_completion_date_type", "completion_date",
        "completion_date_type", "results_posted", "registry_last_update",
        "registry_difference",
    )  # fmt: skip
    form = item_form(TrialNote, version_fields)
    list_filter = (NeedsRecheckFilter, ResultsPostedFilter)
    list_display = ("nct_id", *VersionedItemAdmin.list_display)
    search_fields = ("nct_id", "versions__title")

    def kind_context(self, item, version) -> dict:
        """The latest import of the record beside the version in progress (else the live
        one): what the evidence gate compares."""
        if version is None:
            return {}
        snapshot = registry.snapshot_for(item.nct_id)
        return {
            "registry_snapshot": snapshot,
            "registry_version": version,
            "registry_rows": registry.side_by_side(version, snapshot),
        }


@admin.register(CancerType)
class CancerTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ("name",)


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    """Citations are shared; once reviewed content cites one it is read-only (to correct it,
    add a new citation and cite that in a new version, which goes through review), except
    that a moderator may link a paper's PubMed ID and DOI as one reference."""

    list_display = ("__str__", "kind", "value", "same_as")
    list_select_related = ("same_as",)
    list_filter = ("kind",)
    search_fields = ("value", "label")
    fields = ("kind", "value", "label", "same_as")
    autocomplete_fields = ("same_as",)

    def get_search_results(self, request, queryset, search_term):
        # "PMID: 26027431", "doi:10.1056/…", "https://doi.org/…" find the bare identifier too
        # (bare digits are a PubMed ID, never a row's id).
        try:
            bare = citation_from_typed(search_term).value if search_term.strip() else ""
        except ValidationError:
            bare = ""
        results, duplicates = super().get_search_results(request, queryset, search_term)
        if bare and bare != search_term.strip():
            results |= queryset.filter(value__iexact=bare)
        return results, duplicates

    def has_change_permission(self, request, obj=None):
        # Reviewed content cites a locked citation: only a moderator may open it, and then
        # only to link it with the paper's other identifier (get_readonly_fields).
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or not obj.is_locked() or workflow.is_moderator(request.user)
        )

    def get_readonly_fields(self, request, obj=None):
        fields = ("kind", "value", "label") if obj is not None and obj.is_locked() else ()
        if not workflow.is_moderator(request.user):  # linking is a reviewer's decision
            fields = (*fields, "same_as")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        class CitationForm(form):
            def clean(self):
                cleaned = super().clean()
                if "same_as" not in self.fields:
                    return cleaned
                citation = copy.copy(self.instance)  # a new one: of the kind typed
                citation.kind = cleaned.get("kind", citation.kind)
                if problem := workflow.same_paper_problem(citation, cleaned.get("same_as")):
                    self.add_error("same_as", problem)
                return cleaned

        return CitationForm

    def save_model(self, request, obj, form, change):
        partner = obj.same_as
        if change:  # the pair is written on both sides, by the workflow
            obj.same_as_id = (
                Citation.objects.filter(pk=obj.pk).values_list("same_as", flat=True).get()
            )
        else:
            obj.same_as = None
        super().save_model(request, obj, form, change)
        if "same_as" in form.changed_data:
            try:
                workflow.link_same_paper(obj, partner, by=request.user)
            except (ValidationError, PermissionDenied) as error:  # changed meanwhile
                reason = (" ".join(_error_messages(error))
                          if isinstance(error, ValidationError) else str(error))  # fmt: skip
                self.message_user(request, f"Not linked: {reason}", messages.ERROR)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and obj is not None and not obj.is_locked()


@admin.register(ConflictOfInterestStatement)
class ConflictOfInterestStatementAdmin(admin.ModelAdmin):
    """Each moderator keeps their own statement; superusers see everyone's."""

    list_display = ("user", "declared_on", "declared_agents", "declared_sponsors")
    fields = ("statement", "agents", "sponsors", "declared_on")

    @admin.display(description="agents")
    def declared_agents(self, statement):
        return ", ".join(statement.agents) or "none declared"

    @admin.display(description="sponsors")
    def declared_sponsors(self, statement):
        return ", ".join(statement.sponsors) or "none declared"

    readonly_fields = ("declared_on",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("user")
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)

    def has_add_permission(self, request):
        exists = ConflictOfInterestStatement.objects.filter(user=request.user).exists()
        return super().has_add_permission(request) and not exists

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.user_id == request.user.pk)

    def save_model(self, request, obj, form, change):
        trust.save_coi_statement(obj, request.user)


class NotificationStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("unsent", "Could not be sent"), ("sent", "Sent")]

    def queryset(self, request, queryset):
        if self.value() == "unsent":
            return queryset.filter(sent_at__isnull=True, attempts__gt=0)
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The mail the portal sent or could not send; what failed can be tried again now."""

    list_display = ("created_at", "subject", "recipient_count", "sent_at", "attempts",
                    "last_error_short", "next_attempt_at")  # fmt: skip
    list_filter = (NotificationStatusFilter, "name")
    readonly_fields = [field.name for field in Notification._meta.fields]
    actions = ["retry_now"]

    @admin.display(description="recipients")
    def recipient_count(self, notification):
        return len(notification.recipients)

    @admin.display(description="last error")
    def last_error_short(self, notification):
        return notification.last_error[:120]

    @admin.action(description="Try to send the selected notifications again now",
                  permissions=["change"])  # fmt: skip
    def retry_now(self, request, queryset):
        unsent = list(queryset.filter(sent_at__isnull=True))
        sent = notifications.retry(unsent)
        level = messages.SUCCESS if sent == len(unsent) else messages.WARNING
        self.message_user(request, f"{sent} of {len(unsent)} sent.", level)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditActionFilter(admin.SimpleListFilter):
    """The audit trail's actions by their names in words, not their codes."""

    title = "action"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return sorted(AuditEvent.ACTION_LABELS.items(), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included: the audit trail is append-only."""

    list_display = ("at", "who_acted", "what", "item_type", "item_id", "version_number",
                    "state_change")  # fmt: skip
    list_select_related = ("actor", "item_type")
    list_filter = (AuditActionFilter, "item_type")
    date_hierarchy = "at"

    @admin.display(description="actor", ordering="actor__username")
    def who_acted(self, event):
        return who(event.actor) or "scheduler"  # the import's account by its name

    @admin.display(description="what", ordering="action")
    def what(self, event):
        return event.action_label

    @admin.display(description="state")
    def state_change(self, event):
        return state_change(event)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def review_due_report(request):
    """Published items overdue for their periodic re-review or due within 30 days, oldest
    first (admin: /admin/review-due/)."""
    if not any(can(request.user, "view", kind.item_model) for kind in kinds.all_kinds()):
        raise PermissionDenied
    versions = trust.versions_due_for_review()
    for version in versions:
        version.admin_url = version.item.get_admin_url()
        version.kind = version.item._meta.verbose_name
    context = {
        **admin.site.each_context(request),
        "title": "Re-review due",
        "versions": versions,
        "due_soon_days": trust.DUE_SOON_DAYS,
    }
    return TemplateResponse(request, "admin/therapies/review_due.html", context)
