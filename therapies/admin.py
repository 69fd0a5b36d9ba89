"""Django admin for the three kinds of content.

Each kind has one admin page per item. Its change form edits the item's working draft (the
version in draft or changes-requested state) with markdownx's live preview; when there is no
editable draft the content is shown read-only. Every save goes through `therapies.workflow`
— the admin never writes a version's state or content itself.
"""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from markdownx.widgets import AdminMarkdownxWidget

from therapies import workflow
from therapies.models import (
    AuditEvent,
    CancerType,
    Citation,
    CombinationEntry,
    TherapyArticle,
    TrialNote,
)


class ItemForm(forms.ModelForm):
    """An item's key plus the fields of its working draft.

    `loaded_edit_count` carries the draft's save counter as it was when the page was opened,
    so a save based on a stale page is refused (workflow.EditConflict) instead of silently
    overwriting someone else's changes.
    """

    version_fields: tuple[str, ...] = ()
    loaded_edit_count = forms.IntegerField(widget=forms.HiddenInput, required=False)
    citations = forms.ModelMultipleChoiceField(
        Citation.objects.all(),
        required=False,
        widget=admin.widgets.FilteredSelectMultiple("citations", is_stacked=False),
        help_text="Sources this version cites (add new ones under Citations).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = None
        shown = None
        if self.instance.pk:
            self.draft = self.instance.versions.filter(state__in=workflow.EDITABLE_STATES).first()
            shown = self.draft or self.instance.latest
        if shown is not None:
            for name in (*self.version_fields, "citations"):
                value = getattr(shown, name)
                if hasattr(value, "all"):
                    value = list(value.all())
                self.initial[name] = value
            self.initial["loaded_edit_count"] = shown.edit_count
        if self.instance.pk and self.draft is None:
            for name in (*self.version_fields, "citations"):
                self.fields[name].disabled = True
                self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        if self.draft is not None and cleaned.get("loaded_edit_count") != self.draft.edit_count:
            who = self.draft.last_edited_by or self.draft.author
            raise forms.ValidationError(
                f"{who.get_username()} saved this draft after you opened it. Your changes were "
                "not saved: reload the page to see theirs, then edit again.",
                code="edit_conflict",
            )
        return cleaned

    def version_data(self, changed_only: bool) -> dict:
        names = [*self.version_fields, "citations"]
        if changed_only:
            names = [name for name in names if name in self.changed_data]
        return {name: self.cleaned_data[name] for name in names}


def item_form(item_model, fields: tuple[str, ...]) -> type[ItemForm]:
    """The admin form for one kind: its key field and its version model's content fields."""
    version_model = item_model.version_model()

    def formfield(db_field, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = AdminMarkdownxWidget
        elif db_field.many_to_many:
            kwargs["widget"] = admin.widgets.FilteredSelectMultiple(
                db_field.verbose_name, is_stacked=False
            )
        return db_field.formfield(**kwargs)

    declared = forms.fields_for_model(version_model, fields=fields, formfield_callback=formfield)
    key = "nct_id" if item_model is TrialNote else "slug"
    meta = type("Meta", (), {"model": item_model, "fields": [key]})
    return type(
        f"{item_model.__name__}Form",
        (ItemForm,),
        {**declared, "Meta": meta, "version_fields": fields},
    )


class VersionedItemAdmin(admin.ModelAdmin):
    key_field = "slug"
    version_fields: tuple[str, ...] = ()
    readonly_fields = ("versions_overview",)
    search_fields = ("versions__title",)

    def get_fieldsets(self, request, obj=None):
        content = [*self.version_fields, "citations", "loaded_edit_count"]
        fieldsets = [
            (None, {"fields": [self.key_field]}),
            ("Working draft" if obj else "First draft", {"fields": content}),
        ]
        if obj is not None:
            fieldsets.insert(1, ("Versions", {"fields": ["versions_overview"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, self.key_field) if obj else ()

    @admin.display(description="Versions")
    def versions_overview(self, obj):
        return render_to_string(
            "admin/therapies/versions_overview.html",
            {"versions": obj.versions.select_related("author", "reviewed_by")},
        )

    @admin.display(description="Title")
    def title(self, obj):
        version = obj.published or obj.latest
        return version.title if version else "—"

    @admin.display(description="Live version")
    def live(self, obj):
        return f"v{obj.published.number}" if obj.published else "not published"

    @admin.display(description="In progress")
    def in_progress_state(self, obj):
        version = obj.in_progress
        return f"v{version.number}: {version.get_state_display()}" if version else "—"

    def save_model(self, request, obj, form, change):
        if not change:
            created = workflow.create_item(
                self.model,
                request.user,
                key=form.cleaned_data[self.key_field],
                **form.version_data(changed_only=False),
            )
            obj.pk = created.item_id
            obj.refresh_from_db()
        elif form.draft is not None:
            data = form.version_data(changed_only=True)
            if data:
                form.draft.edit_count = form.cleaned_data["loaded_edit_count"]
                workflow.edit(form.draft, request.user, **data)

    def save_related(self, request, form, formsets, change):
        # The version's relations were saved by workflow.create_item / workflow.edit.
        pass

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with transaction.atomic():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except workflow.WorkflowError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def has_delete_permission(self, request, obj=None):
        # Published history is a record; only superusers may delete whole items.
        return request.user.is_superuser


@admin.register(TherapyArticle)
class TherapyArticleAdmin(VersionedItemAdmin):
    version_fields = (
        "title", "therapy_class", "summary", "body", "key_agents", "cancer_types",
        "change_summary",
    )  # fmt: skip
    form = item_form(TherapyArticle, version_fields)
    list_display = ("slug", "title", "live", "in_progress_state")
    search_fields = ("slug", "versions__title")


@admin.register(CombinationEntry)
class CombinationEntryAdmin(VersionedItemAdmin):
    version_fields = (
        "title", "summary", "therapies", "evidence_level", "body", "key_trials",
        "change_summary",
    )  # fmt: skip
    form = item_form(CombinationEntry, version_fields)
    list_display = ("slug", "title", "live", "in_progress_state")
    search_fields = ("slug", "versions__title")


@admin.register(TrialNote)
class TrialNoteAdmin(VersionedItemAdmin):
    key_field = "nct_id"
    version_fields = (
        "title", "summary", "phase", "overall_status", "conditions", "interventions",
        "sponsor", "enrollment", "start_date", "primary_completion_date", "therapies",
        "combinations", "body", "change_summary",
    )  # fmt: skip
    form = item_form(TrialNote, version_fields)
    list_display = ("nct_id", "title", "live", "in_progress_state")
    search_fields = ("nct_id", "versions__title")


@admin.register(CancerType)
class CancerTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ("name",)


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "value")
    list_filter = ("kind",)
    search_fields = ("value", "label")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included: the audit trail is append-only."""

    list_display = ("at", "actor", "action", "item_type", "item_id", "version_number",
                    "from_state", "to_state")  # fmt: skip
    list_filter = ("action", "item_type")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
