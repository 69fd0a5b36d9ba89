"""The editorial workflow: every state change of every version, in one place.

Every move is declared once, in MOVES: the states it starts from, the state it leads to, the
permission it needs, whether it needs a comment, which further rules apply and what the
audit trail calls it. One function, `refusal`, decides from that table whether a user may
make a move now and says why not; the move functions raise from it, `allowed_actions` (the
admin's buttons and their explanations) is derived from it, and every move changes its row
through `_apply`, which also writes its audit event.

    draft ──submit──▶ in_review ──approve──▶ published ──(newer published)──▶ superseded
      ▲  ▲              │ │ │  └──schedule──▶ approved ──publish_due──▶ published
      │  └──withdraw────┘ │ └──request_changes──▶ changes_requested ──submit──▶ in_review
      │      in_review ◀──┼──cancel_schedule── approved ──reschedule──▶ approved
      └─ revert (a new draft from a published, superseded or unpublished version)
    draft / changes_requested / approved ──discard──▶ discarded
    published ──unpublish──▶ unpublished        published ──correct──▶ published (+ note)
    in_review ──claim──▶ in_review ("being reviewed by …", which never blocks anyone)

A refused move raises, in this order: the state does not allow it → `WorkflowError`; the
user may not (permission, four eyes, conflict of interest) → `PermissionDenied`; what was
typed or the evidence falls short (comment, checklist) → `ValidationError`. Each move runs
in one transaction with a conditional UPDATE, so two people acting at once cannot both
succeed. Admin views, actions and management commands call only these functions. Who may do
what is decided by Django permissions (`therapies.permissions.can`), never by group names.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.timesince import timesince

from therapies import catalog, citations, diff, kinds, notifications, registry, trust
from therapies.markdown import cited_in
from therapies.models import (
    CONTENT_KINDS,
    CORRECTION_NOTE_MAX_LENGTH,
    EDITABLE_STATES,
    REGISTRY_ONLY_FIELDS,
    REVIEW_CLAIM_HOURS,
    AuditEvent,
    Citation,
    CombinationEntry,
    ContentItem,
    ContentVersion,
    RecheckFlag,
    TherapyArticle,
    TrialNote,
    VersionState,
)
from therapies.permissions import IMPORT_USERNAME, can, is_import_user, permission

S = VersionState
EDITING = frozenset(EDITABLE_STATES)
# Versions a revert may start from: content that was reviewed and published.
REVERTIBLE_STATES = frozenset({S.PUBLISHED, S.SUPERSEDED, S.UNPUBLISHED})

# The trust and provenance moves live beside their rules in therapies/trust.py; they are
# named here too, so that every state change can be found, and called, from this module.
create_review_link = trust.create_review_link
revoke_review_link = trust.revoke_review_link
dismiss_flag = trust.dismiss_flag
save_coi_statement = trust.save_coi_statement
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Move:
    """One move: from which states to which, what it needs and what the audit calls it.

    `needs` are permissions on the content's kind (`<action>_<model>`); none means only the
    scheduler makes it; `needs_from` replaces them when the move starts from a given state.
    `rules` are further conditions, checked in this order: "idle" — the item has no version
    in progress; "author" — the version's author may make it without the permission;
    "four_eyes" — not by anyone who wrote or edited it; "coi" — the user's
    conflict-of-interest statement is current and declares nothing at stake; "evidence" —
    the evidence checklist passes.
    """

    sources: frozenset[str]
    target: str
    needs: tuple[str, ...]
    comment: bool
    audit: str
    rules: tuple[str, ...] = ()
    needs_from: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def permission(self) -> str | None:
        """The permission the move is named for (schedule also needs approve); None for
        the scheduler's own move."""
        return self.needs[-1] if self.needs else None

    @property
    def comment_required(self) -> bool:
        return self.comment

    @property
    def audit_action(self) -> str:
        return self.audit


def _m(path: str, *, needs: str, audit: str, comment=False, rules="", needs_from=None) -> Move:
    """A Move from "source source → target" and space-separated needs and rules."""
    sources, _, target = path.partition(" → ")
    states = {*sources.split(), target}
    if not states <= set(S.values):
        raise ValueError(f"Unknown states in {path!r}: {states - set(S.values)}")
    return Move(frozenset(sources.split()), target, tuple(needs.split()), comment, audit,
                tuple(rules.split()),
                {state: tuple(n.split()) for state, n in (needs_from or {}).items()})  # fmt: skip


# fmt: off
MOVES: dict[str, Move] = {
    "submit":          _m("draft changes_requested → in_review",
                          needs="submit", audit="submitted"),
    "withdraw":        _m("in_review → draft",
                          needs="submit", audit="withdrawn", rules="author"),
    "claim":           _m("in_review → in_review",
                          needs="approve", audit="review_claimed", rules="four_eyes"),
    "approve":         _m("in_review → published",
                          needs="approve", audit="approved", rules="four_eyes coi evidence"),
    "schedule":        _m("in_review → approved",
                          needs="approve schedule", audit="approved",
                          rules="four_eyes coi evidence"),
    "request_changes": _m("in_review → changes_requested",
                          needs="request_changes", audit="changes_requested", comment=True),
    "reschedule":      _m("approved → approved",
                          needs="approve schedule", audit="rescheduled", rules="four_eyes"),
    "cancel_schedule": _m("approved → in_review",
                          needs="approve", audit="schedule_cancelled"),
    "publish_due":     _m("approved → published",
                          needs="", audit="published"),
    "discard":         _m("draft changes_requested approved → discarded",
                          needs="discard", audit="discarded", needs_from={"approved": "approve"}),
    "unpublish":       _m("published → unpublished",
                          needs="unpublish", audit="unpublished", comment=True),
    "correct":         _m("published → published",
                          needs="correct", audit="corrected", comment=True),
    "revert":          _m("published superseded unpublished → draft",
                          needs="add", audit="created", rules="idle"),
}
# How messages name each move: "Cannot <verb> version 3 of …", "You do not have permission
# to <what>."
_WORDS: dict[str, tuple[str, str]] = {
    "submit": ("submit", "submit content for review"),
    "withdraw": ("withdraw", "withdraw content from review"),
    "claim": ("claim the review of", "review content"),
    "approve": ("approve", "approve content"),
    "schedule": ("schedule", "schedule publication"),
    "request_changes": ("request changes to", "request changes"),
    "reschedule": ("reschedule", "schedule publication"),
    "cancel_schedule": ("cancel the schedule of", "cancel a scheduled publication"),
    "publish_due": ("publish", "publish on schedule (the scheduler does)"),
    "discard": ("discard", "discard a draft"),
    "unpublish": ("unpublish", "unpublish content"),
    "correct": ("mark as corrected", "mark content as corrected"),
    "revert": ("revert to", "start a new version"),
}
# fmt: on
# The moves a person makes (publish_due is the scheduler's).
USER_MOVES = tuple(name for name, move in MOVES.items() if move.needs)

# Fields that only the workflow sets; `edit` refuses them.
WORKFLOW_FIELDS = frozenset(
    {
        "id", "item", "item_id", "number", "state", "author", "author_id", "last_edited_by",
        "last_edited_by_id", "created_at", "updated_at", "edit_count", "submitted_at",
        "reviewed_by", "reviewed_by_id", "approved_at", "publish_at", "unpublish_at",
        "published_at", "live_until", "review_comment", "body_html", "review_claimed_by",
        "review_claimed_by_id", "review_claimed_at",
    }
)  # fmt: skip
# What an approval sets, and what withdrawing the approval clears.
_APPROVAL_FIELDS = {"reviewed_by": None, "approved_at": None, "publish_at": None,
                    "unpublish_at": None, "reviewer_coi": None}  # fmt: skip
_NO_CLAIM = {"review_claimed_by": None, "review_claimed_at": None}


class WorkflowError(ValidationError):
    """The move is not allowed from the version's current state."""


class EditConflict(WorkflowError):
    """Someone saved the version after this copy of it was loaded; nothing was overwritten."""


# ---------------------------------------------------------------------------------------------
# May this user make this move now? One answer for buttons and enforcement alike
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Why a move is refused: `message`, for the user; `error`, the exception the move
    raises; `stage` — "state", "permission" (no right to the move at all) or "rule" (a
    right the user has, refused here: four eyes, conflict of interest, evidence, busy)."""

    message: str
    error: type[Exception]
    stage: str
    code: str = ""
    messages: tuple[str, ...] = ()

    def exception(self) -> Exception:
        if self.error is PermissionDenied:
            return PermissionDenied(self.message)
        return self.error(list(self.messages) or self.message, code=self.code)


def contributors(version: ContentVersion) -> set[int]:
    """IDs of everyone who wrote or edited the version: its author and every saver."""
    edited_by = (
        AuditEvent.objects.for_version(version)
        .filter(action__in=["created", "edited"], actor__isnull=False)
        .values_list("actor_id", flat=True)
    )
    found = {version.author_id, version.last_edited_by_id, *edited_by} - {None}
    if is_import_user(version.author):
        # The import wrote it: whoever takes it up and submits it answers for it, so they
        # cannot also approve it.
        found.update(
            AuditEvent.objects.for_version(version)
            .filter(action="submitted", actor__isnull=False)
            .values_list("actor_id", flat=True)
        )
    return found


def _state_refusal(version: ContentVersion, verb: str) -> Refusal:
    return Refusal(
        f"Cannot {verb} version {version.number} of “{version.title}”: "
        f"it is {version.get_state_display().lower()}.",
        WorkflowError, "state", "invalid_transition",
    )  # fmt: skip


def explain(
    version: ContentVersion, move: str, user, *, item_busy: bool | None = None, _memo=None
) -> Refusal | None:
    """Why `user` may not make `move` on `version` now, or None if they may (what they type
    — a comment, a time — is checked by the move itself). `item_busy`, whether the item
    has a version in progress, may be passed by a caller that already knows it."""
    spec = MOVES[move]
    if version.state not in spec.sources and move == "revert":
        # Only content that was reviewed and published can be brought back: a discarded or
        # unreviewed version would slip someone's unreviewed text past four eyes.
        return Refusal(
            f"Version {version.number} was never published "
            f"({version.get_state_display().lower()}); only a published, superseded or "
            "unpublished version can be restored.",
            WorkflowError, "state", "not_revertible",
        )  # fmt: skip
    if version.state not in spec.sources:
        return _state_refusal(version, _WORDS[move][0])
    needs = spec.needs_from.get(version.state, spec.needs)
    is_author = user is not None and user.pk is not None and user.pk == version.author_id
    if not needs or not (
        ("author" in spec.rules and is_author and user.is_active)
        or all(can(user, action, version) for action in needs)
    ):
        what = _WORDS["cancel_schedule" if version.state in spec.needs_from else move][1]
        return Refusal(f"You do not have permission to {what}.", PermissionDenied, "permission")
    if "idle" in spec.rules and item_busy is not False and (busy := _busy_refusal(version.item)):
        return busy
    if "four_eyes" in spec.rules:
        memo = _memo if _memo is not None else {}
        if "contributors" not in memo:
            memo["contributors"] = contributors(version)
        if user.pk in memo["contributors"]:
            return Refusal(
                "You wrote or edited this version, so someone else must review and approve "
                "it (four eyes).",
                PermissionDenied, "rule",
            )  # fmt: skip
    if "coi" in spec.rules:
        conflicts = trust.coi_problems(version, user)
        if conflicts:
            return Refusal("You cannot approve this version: " + " ".join(conflicts),
                           PermissionDenied, "rule")  # fmt: skip
    if "evidence" in spec.rules:
        return _evidence_refusal(version)
    return None


def _busy_refusal(item: ContentItem) -> Refusal | None:
    """The item already has a version in progress: one at a time."""
    current = item.in_progress
    if current is None:
        return None
    return Refusal(
        f"Version {current.number} is already in progress "
        f"({current.get_state_display().lower()}): continue with it, or discard it first.",
        WorkflowError, "rule", "already_in_progress",
    )  # fmt: skip


def _evidence_refusal(version: ContentVersion) -> Refusal | None:
    """The evidence gate: everything the checklist misses, or None when it passes."""
    missing = trust.evidence_problems(version)
    if not missing:
        return None
    lead = "This version cannot be approved yet:"
    return Refusal(f"{lead} {' '.join(missing)}", ValidationError, "rule", "evidence_gate",
                   (lead, *missing))  # fmt: skip


def refusal(version: ContentVersion, move: str, user) -> str | None:
    """Whether `user` may make `move` on `version` now: None if so, else why not, in a
    sentence for them. Covers the state, the permission, four eyes, the conflict-of-interest
    and evidence gates and the item being busy."""
    refused = explain(version, move, user)
    return refused.message if refused else None


def _check(version: ContentVersion, move: str, user) -> None:
    """Raise the move's refusal, if any (WorkflowError, PermissionDenied, ValidationError)."""
    refused = explain(version, move, user)
    if refused is not None:
        raise refused.exception()


def _require_comment(comment: str, what: str) -> str:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": f"A comment is required to {what}."}, code="comment_required"
        )
    return comment


def _may_edit(version: ContentVersion, user) -> bool:
    return version.state in EDITING and can(user, "change", version)


def allowed_actions(version: ContentVersion, user, *, item_busy: bool | None = None) -> set[str]:
    """The moves `user` may make on `version` right now (names in MOVES), and "edit" when
    they may save changes to it: exactly those whose `refusal` is None."""
    options = move_options(version, user, item_busy=item_busy)
    return {name for name, refused in options.items() if refused is None}


def move_options(
    version: ContentVersion, user, *, item_busy: bool | None = None
) -> dict[str, Refusal | None]:
    """For buttons: each move this version's state allows and `user` has the right to make,
    with None when they may make it now, or the Refusal that explains why not (four eyes,
    a conflict of interest, the evidence checklist, a version already in progress)."""
    memo: dict = {}
    options = {}
    for name in USER_MOVES:
        refused = explain(version, name, user, item_busy=item_busy, _memo=memo)
        if refused is None or refused.stage == "rule":
            options[name] = refused
    if _may_edit(version, user):
        options["edit"] = None
    return options


def may_delete(item: ContentItem, user) -> bool:
    """Only a superuser deletes an item, and only one that never went beyond drafts (a
    mistaken creation): anything reviewed is part of the record, withdrawn by unpublishing."""
    if user is None or not user.is_authenticated or not user.is_superuser:
        return False
    return not item.versions.exclude(state__in=[S.DRAFT, S.DISCARDED]).exists()


def allowed_item_actions(item: ContentItem, user) -> set[str]:
    """Item-level moves `user` may make now: new_version and/or unpublish."""
    actions = set()
    version_model = item.version_model()
    if item.latest is not None and _busy_refusal(item) is None and can(user, "add", version_model):
        actions.add("new_version")
    live = item.published
    if live is not None and explain(live, "unpublish", user) is None:
        actions.add("unpublish")
    return actions


# ---------------------------------------------------------------------------------------------
# Making a move: one conditional UPDATE and one audit event
# ---------------------------------------------------------------------------------------------


def _apply(
    version: ContentVersion, move: str, *, by, comment: str = "", details: dict | None = None,
    audit: str = "", expect: dict | None = None, **fields,
) -> None:  # fmt: skip
    """Make `move` on `version` in the caller's transaction: change its row to the move's
    target state (with `fields`) only if the database still has it in the state it was
    loaded in, then append the move's audit event. A version not yet saved (a revert's
    new draft) is inserted instead.

    The conditional UPDATE is what makes concurrent moves safe: of two moderators approving
    at the same moment, one updates the row and the other finds it already moved. Leaving
    review clears the "being reviewed by" marker. `audit` names the event when it is not the
    move's own (releasing a review undoes the claim move); `expect`, further column values
    the row must still have (who holds the review), else ValidationError.
    """
    spec = MOVES[move]
    from_state = "" if version.pk is None else version.state
    if from_state == S.IN_REVIEW and spec.target != S.IN_REVIEW:
        fields = {**_NO_CLAIM, **fields}
    if version.pk is None:
        for name, value in fields.items():
            setattr(version, name, value)
        version.state = spec.target
        version.save()
    else:
        model = type(version)
        updated = model.objects.filter(pk=version.pk, state=from_state, **(expect or {})).update(
            state=spec.target, **fields
        )
        if not updated:
            current = model.objects.filter(pk=version.pk).values_list("state", flat=True).first()
            if expect and current == from_state and "edit_count" in expect:
                _check_counter(model.objects.get(pk=version.pk), expect["edit_count"])
            if expect and current == from_state:
                raise ValidationError(
                    "Someone else claimed or released this review meanwhile: reload the page "
                    "to see who is reviewing it.",
                    code="claimed",
                )
            label = S(current).label.lower() if current else "deleted"
            raise WorkflowError(
                f"Cannot {_WORDS[move][0]} version {version.number} of “{version.title}”: "
                f"someone else changed it first; it is now {label}.",
                code="concurrent_change",
            )
        version.state = spec.target
        for name, value in fields.items():
            setattr(version, name, value)
    AuditEvent.record(version, by=by, action=audit or spec.audit, from_state=from_state,
                      to_state=spec.target, comment=comment, **(details or {}))  # fmt: skip


def is_moderator(user) -> bool:
    """Whether `user` may approve some kind of content (the desk's moderator views, and the
    second factor that REQUIRE_2FA asks of them)."""
    return any(can(user, "approve", model.version_model()) for model in CONTENT_KINDS.values())


def moderators_for(version_model) -> models.QuerySet:
    """Active users who may approve this kind of content (by permission, not group name)."""
    return get_user_model()._default_manager.with_perm(
        permission(version_model, "approve"), backend="django.contrib.auth.backends.ModelBackend"
    )  # the backend that holds permissions (django-axes' only counts sign-ins)


def _moderators_except(version: ContentVersion, by) -> Iterable[str]:
    return moderators_for(type(version)).exclude(pk=by.pk).values_list("email", flat=True)


# ---------------------------------------------------------------------------------------------
# Creating and editing
# ---------------------------------------------------------------------------------------------


def _prepare(version_model, fields: dict, by) -> tuple[dict, dict, list | None]:
    """Split edited values into plain fields, m2m links and citations; refuse names that are
    unknown or that only the workflow sets, and the registry record from anyone but the
    import; normalize line endings (browsers post CRLF)."""
    m2m_names = {field.name for field in version_model._meta.many_to_many} - {"citations"}
    relations = {name: fields.pop(name) for name in list(fields) if name in m2m_names}
    cited = fields.pop("citations", None)
    not_editable = set(fields) & WORKFLOW_FIELDS
    if not_editable:
        raise WorkflowError(
            f"{', '.join(sorted(not_editable))} cannot be edited: the workflow sets it.",
            code="not_editable",
        )
    registry_only = set(fields) & set(REGISTRY_ONLY_FIELDS)
    if registry_only and not is_import_user(by):
        raise WorkflowError(
            f"{', '.join(sorted(registry_only))} cannot be edited: only the ClinicalTrials.gov "
            "import writes it.",
            code="not_editable",
        )  # fmt: skip
    for name in fields:
        try:
            field = version_model._meta.get_field(name)
        except FieldDoesNotExist:
            raise WorkflowError(f"“{name}” is not a field of this content.",
                                code="unknown_field") from None  # fmt: skip
        if (not field.editable and name not in registry_only) or field.auto_created:
            raise WorkflowError(f"{name} cannot be edited.", code="not_editable")
    fields = {
        name: value.replace("\r\n", "\n") if isinstance(value, str) else value
        for name, value in fields.items()
    }
    if cited is not None:
        cited = citations.entries(cited)
    return fields, relations, cited


def _citations_of(version) -> list[tuple[int, str]]:
    return list(version.citation_links.values_list("citation_id", "supports"))


def _set_citations(version: ContentVersion, entries: list[tuple[Citation, str]]) -> None:
    """Replace the version's citations with `entries`, in that order."""
    through = version.citation_links.model
    entries = [
        (
            citation
            if citation.pk is not None
            else Citation.objects.get_or_create(  # a source written out for the first time
                kind=citation.kind, value=citation.value, defaults={"label": citation.label}
            )[0],
            supports,
        )
        for citation, supports in entries
    ]
    version.citation_links.all().delete()
    through.objects.bulk_create(
        [
            through(version=version, citation=citation, supports=supports, position=position)
            for position, (citation, supports) in enumerate(entries)
        ]
    )


def _changes(version, fields: dict, relations: dict, cited) -> list[str]:
    """Names of what the edit would actually change (a version not yet saved: everything)."""
    if version.pk is None:
        return [*fields, *relations, *(["citations"] if cited is not None else [])]
    changed = [name for name, value in fields.items() if getattr(version, name) != value]
    for name, value in relations.items():
        wanted = {getattr(entry, "pk", entry) for entry in value}
        if {int(pk) for pk in wanted} != set(getattr(version, name).values_list("pk", flat=True)):
            changed.append(name)
    if cited is not None and [(c.pk, s) for c, s in cited] != _citations_of(version):
        changed.append("citations")
    return changed


def _write(version, fields: dict, relations: dict, cited, *, update_fields=None) -> bool:
    """Validate the given fields (all fields for a new version) and save them with links.
    Every source the body marks (`[@pmid:…]`) is among the citations afterwards, in the
    order the text first marks them; returns whether that changed the citations."""
    if version.pk is None:
        exclude = ["item", "author", "number"]
    else:
        exclude = [f.name for f in version._meta.concrete_fields if f.name not in fields]
    for name, value in fields.items():
        setattr(version, name, value)
    version.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    version.save(update_fields=update_fields)
    for name, value in relations.items():
        getattr(version, name).set(value)
    marked = cited_in(version.body_html)
    if cited is None and not marked:
        return False
    current = cited if cited is not None else [
        (link.citation, link.supports)
        for link in version.citation_links.select_related("citation__same_as")
    ]  # fmt: skip
    wanted = citations.with_markers(current, marked) if marked else current
    if cited is None and [(c.pk, s) for c, s in wanted] == [(c.pk, s) for c, s in current]:
        return False
    _set_citations(version, wanted)
    return cited is None


def create_item(item_model: type[ContentItem], *, by, key: str, **fields) -> ContentVersion:
    """Create an item (identified by `key`: slug or NCT ID) with its first draft; return it."""
    version_model = item_model.version_model()
    if not can(by, "add", version_model):
        raise PermissionDenied(
            f"You do not have permission to create a {item_model._meta.verbose_name}."
        )
    fields, relations, cited = _prepare(version_model, dict(fields), by)
    key_field = item_model.KEY_FIELD
    try:
        with transaction.atomic():
            item = item_model(**{key_field: key})
            item.full_clean()
            item.save()
            version = version_model(item=item, author=by, last_edited_by=by)
            _write(version, fields, relations, cited)
            AuditEvent.record(version, by=by, action="created", to_state=S.DRAFT)
    except IntegrityError:  # the same key created at the same moment
        raise ValidationError({key_field: f"{key} already exists."}, code="duplicate_key") from None
    return version


def was_ever_published(item: ContentItem) -> bool:
    """Whether readers ever had `item` at its address (a version published at some time)."""
    return item.versions.filter(published_at__isnull=False).exists()


def rename_item(item: ContentItem, *, by, key: str) -> ContentItem:
    """Change the slug of an item that was never published (its address is nobody's link
    yet). Once published the slug is frozen: links, feeds and citations point at it. A trial
    note's NCT ID never changes: it is the registry's."""
    if item.KEY_FIELD != "slug":
        raise WorkflowError(f"A {item._meta.verbose_name}'s {item.KEY_FIELD} cannot change.",
                            code="key_frozen")  # fmt: skip
    if was_ever_published(item):
        raise WorkflowError("This item has been published: its address (slug) is frozen.",
                            code="key_frozen")  # fmt: skip
    # Renamed with its draft only: not under a version in review or approved for publication.
    latest = item.versions.filter(state__in=EDITING).first()
    if latest is None:
        raise WorkflowError("The address changes with a draft: this item has none being edited.",
                            code="key_frozen")  # fmt: skip
    if not _may_edit(latest, by):
        raise PermissionDenied("You do not have permission to edit this content.")
    old = type(item).objects.filter(pk=item.pk).values_list("slug", flat=True).get()
    if key == old:
        return item
    try:
        with transaction.atomic():
            type(item).objects.select_for_update().filter(pk=item.pk).first()
            item.slug = key
            item.full_clean(validate_unique=True)
            item.save(update_fields=["slug"])
            AuditEvent.record(latest, by=by, action="renamed", from_state=latest.state,
                              to_state=latest.state, old_slug=old, new_slug=key)  # fmt: skip
    except (IntegrityError, ValidationError):
        item.slug = old
        if type(item).objects.filter(slug=key).exclude(pk=item.pk).exists():
            raise ValidationError(
                {"slug": f"{key} already exists."}, code="duplicate_key"
            ) from None
        raise
    return item


def same_paper_problem(citation: Citation, other: Citation | None) -> str | None:
    """Why `citation` and `other` cannot be linked as one paper, or None."""
    if other is None:
        return None
    if other.pk == citation.pk:
        return "A citation cannot be the same paper as itself."
    if {citation.kind, other.kind} != {Citation.Kind.PMID, Citation.Kind.DOI}:
        return ("Only a paper's PubMed ID and its DOI can be linked: readers then see one "
                "reference.")  # fmt: skip
    current = Citation.objects.filter(pk__in=[citation.pk, other.pk]).values_list("pk", "same_as")
    for pk, partner in current:
        if partner is not None and partner not in (citation.pk, other.pk):
            one = citation if pk == citation.pk else other
            return (f"{one.get_kind_display()} {one.value} is already linked to another "
                    "identifier: unlink it first.")  # fmt: skip
    return None


def link_same_paper(citation: Citation, other: Citation | None, *, by) -> Citation:
    """Record that `citation` and `other` are one paper under two identifiers (a PubMed ID
    and a DOI), on both of them, so readers see one reference wherever either is cited;
    `other` None undoes the link. A pair only: each paper has one identifier of a kind."""
    # It changes what readers see of reviewed pages: a reviewer's decision, not an editor's.
    if not (can(by, "change", Citation) and is_moderator(by)):
        raise PermissionDenied("Only a moderator may link two citations as one paper.")
    with transaction.atomic():
        pks = [pk for pk in (citation.pk, other.pk if other else None) if pk is not None]
        list(Citation.objects.select_for_update().filter(pk__in=pks).values_list("pk"))
        if problem := same_paper_problem(citation, other):  # with both rows locked
            raise ValidationError({"same_as": problem})
        Citation.objects.filter(same_as=citation).update(same_as=None)
        if other is not None:
            Citation.objects.filter(same_as=other).update(same_as=None)
            Citation.objects.filter(pk=other.pk).update(same_as=citation)
        Citation.objects.filter(pk=citation.pk).update(same_as=other)
    citation.same_as = other
    catalog.references_changed()
    return citation


def create_therapy_article(*, by, slug: str, **fields) -> ContentVersion:
    return create_item(TherapyArticle, by=by, key=slug, **fields)


def create_combination_entry(*, by, slug: str, **fields) -> ContentVersion:
    return create_item(CombinationEntry, by=by, key=slug, **fields)


def create_trial_note(*, by, nct_id: str, **fields) -> ContentVersion:
    return create_item(TrialNote, by=by, key=nct_id, **fields)


def start_over(item: ContentItem, *, by, **fields) -> ContentVersion:
    """A new draft of `item` from `fields` alone, for an item with no version to continue
    (every one was discarded); validated like a first draft."""
    if item.latest is not None:
        raise WorkflowError("This item has a version to continue: start a new version of it.",
                            code="has_source")  # fmt: skip
    if busy := _busy_refusal(item):
        raise busy.exception()
    version_model = item.version_model()
    if not can(by, "add", version_model):
        raise PermissionDenied("You do not have permission to start a new version.")
    fields, relations, cited = _prepare(version_model, dict(fields), by)
    with transaction.atomic():
        version = version_model(item=item, author=by, last_edited_by=by)
        _write(version, fields, relations, cited)
        AuditEvent.record(version, by=by, action="created", to_state=S.DRAFT)
    return version


def new_version(
    item: ContentItem, *, by, from_version: ContentVersion | None = None
) -> ContentVersion:
    """Start a new draft of `item`, copied from its newest non-discarded version, or — the
    move `revert` — from `from_version`, which must have been published. Returns the draft;
    it goes through review like any other."""
    if from_version is not None:
        if from_version.item_id != item.pk:
            raise WorkflowError("That version belongs to another item.", code="wrong_item")
        _check(from_version, "revert", by)
        source = from_version
    else:
        source = item.latest
        if source is None:
            raise WorkflowError("This item has no version to start from.", code="no_source")
        if busy := _busy_refusal(item):
            raise busy.exception()
        if not can(by, "add", item.version_model()):
            raise PermissionDenied("You do not have permission to start a new version.")
    version = item.version_model()(item=item, author=by, last_edited_by=by)
    source.copy_into(version)
    version.change_summary = (
        f"Reverted to version {source.number}." if from_version is not None else ""
    )
    try:
        with transaction.atomic():
            _apply(version, "revert", by=by, details={
                "from_version": source.number, "revert": from_version is not None,
            })  # fmt: skip
            source.copy_relations_into(version)
    except IntegrityError:
        raise WorkflowError(
            "Another version of this item was started at the same moment.",
            code="already_in_progress",
        ) from None
    return version


def edit(
    version: ContentVersion, *, by, expected_edit_count: int | str | None = None, **fields
) -> ContentVersion:
    """Save changes to a draft or changes-requested version as `by`; return it.

    The one place that detects a stale save: `expected_edit_count` is the save counter the
    editor's form was loaded with (by default, this instance's). If the version was saved
    or moved since — by anyone, another tab of the same user included — the edit is refused
    with `EditConflict` (or `WorkflowError` if it became read-only) and nothing is
    overwritten. A counter that is not a number is a `ValidationError`. Only the fields given
    are validated and written, so an edit never rewrites what the workflow set meanwhile;
    an edit that changes nothing saves nothing and records nothing.
    """
    if expected_edit_count is not None:
        try:
            expected = int(expected_edit_count)
        except (TypeError, ValueError):
            expected = -1
        if expected < 0:
            raise ValidationError(
                {"expected_edit_count": "The page's save counter is unreadable: reload the "
                                        "page and edit again."},
                code="invalid_counter",
            )  # fmt: skip
        if version.state not in EDITING:
            raise _moved_meanwhile(version)
    else:
        expected = version.edit_count
    if version.state not in EDITING:
        raise WorkflowError(
            f"Version {version.number} is {version.get_state_display().lower()} and read-only: "
            "start a new version to change it.",
            code="read_only",
        )
    if not can(by, "change", version):
        raise PermissionDenied("You do not have permission to edit this content.")
    model = type(version)
    fields, relations, cited = _prepare(model, dict(fields), by)
    changed = _changes(version, fields, relations, cited)
    if not changed:
        return version
    bookkeeping = ("edit_count", "last_edited_by_id", "updated_at")
    loaded = {name: getattr(version, name) for name in (*fields, *bookkeeping)}
    try:
        with transaction.atomic():
            _take_save(version, expected)
            version.edit_count = expected + 1
            version.last_edited_by = by
            version.updated_at = timezone.now()
            written = [name for name in changed if name in fields]
            marked = _write(
                version, {name: fields[name] for name in written},
                {name: value for name, value in relations.items() if name in changed},
                cited if "citations" in changed else None,
                update_fields=[*written, "body_html", "body_text", "last_edited_by",
                               "updated_at", "edit_count"],
            )  # fmt: skip
            if marked and "citations" not in changed:
                changed.append("citations")  # a source the text marks was added
            AuditEvent.record(version, by=by, action="edited", from_state=version.state,
                              to_state=version.state, fields=changed)  # fmt: skip
    except Exception:
        for name, value in loaded.items():  # the instance stays as loaded: retry is possible
            setattr(version, name, value)
        raise
    return version


def _moved_meanwhile(version: ContentVersion) -> WorkflowError:
    """The error for a save based on a page that showed `version` still editable."""
    moved = (
        AuditEvent.objects.for_version(version).exclude(from_state=F("to_state"))
        .select_related("actor").first()
    )  # fmt: skip
    who = moved.actor.get_username() if moved and moved.actor else "Someone"
    what = moved.action.replace("_", " ") if moved else "moved"
    return WorkflowError(
        f"{who} changed version {version.number} after you opened this page ({what}). Your "
        "changes were not saved: the page now shows the current state.",
        code="read_only",
    )


def _check_counter(version: ContentVersion, expected_edit_count) -> None:
    """EditConflict unless `version` (as loaded) still has the save counter the submitter's
    page had."""
    try:
        expected = int(expected_edit_count)
    except (TypeError, ValueError):
        expected = -1
    if expected == version.edit_count:
        return
    who = version.last_edited_by.get_username() if version.last_edited_by else "someone"
    raise EditConflict(
        f"{who} saved this draft after your page was loaded (version {version.number}, "
        f"{timezone.localtime(version.updated_at):%Y-%m-%d %H:%M}): it was not submitted. "
        "Reload the page, check the content, then submit it.",
        code="edit_conflict",
    )


def _take_save(version: ContentVersion, expected: int) -> None:
    """Take the right to save `version`: only if nobody saved or moved it since it was
    loaded (save counter `expected`, same state). Raises EditConflict or WorkflowError."""
    model = type(version)
    claimed = model.objects.filter(pk=version.pk, edit_count=expected, state=version.state).update(
        edit_count=F("edit_count") + 1
    )
    if claimed:
        return
    fresh = model.objects.select_related("last_edited_by").get(pk=version.pk)
    if fresh.state not in EDITING:
        raise _moved_meanwhile(fresh)
    who = fresh.last_edited_by.get_username() if fresh.last_edited_by else "someone"
    raise EditConflict(
        f"{who} saved this draft after you opened it (version {version.number}, "
        f"{timezone.localtime(fresh.updated_at):%Y-%m-%d %H:%M})"
        + ("" if fresh.state == version.state else
           f", and it is now {fresh.get_state_display().lower()}")
        + ". Your changes were not saved: reload the page to see theirs, then edit again.",
        code="edit_conflict",
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Review
# ---------------------------------------------------------------------------------------------


def review_problems(version: ContentVersion) -> list[str]:
    """What must be fixed before `version` can go to review; empty when it is ready."""
    problems = []
    try:
        version.full_clean(exclude=["item", "author", "number"], validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            problems.extend(f"{name}: {message}" for message in messages)
    if getattr(version, "body", "").strip() == registry.PLACEHOLDER_BODY.format(
        nct_id=getattr(version.item, "nct_id", "")
    ):
        problems.append("body: the import's placeholder is still there; write the editors' note.")
    kind = kinds.of(version)
    for link, least in kind.min_links.items():
        if getattr(version, link).count() < least:
            field = version._meta.get_field(link)
            problems.append(
                f"{link}: a {kind.item_model._meta.verbose_name} needs at least "
                f"{_NUMBERS.get(least, least)} in “{field.verbose_name}”."
            )
    if kind.min_parts:
        parts = sum(
            getattr(version, name).count()
            if version._meta.get_field(name).many_to_many
            else len(getattr(version, name) or ())
            for name in kind.parts_fields
        )
        if parts < kind.min_parts:
            labels = " and ".join(
                str(version._meta.get_field(name).verbose_name) for name in kind.parts_fields
            )
            problems.append(
                f"{kind.parts_fields[0]}: a {kind.item_model._meta.verbose_name} needs at "
                f"least {_NUMBERS.get(kind.min_parts, kind.min_parts)} treatments in all "
                f"({labels})."
            )
    return problems


_NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four"}


def submit(
    version: ContentVersion, *, by, comment: str = "", expected_edit_count: int | str | None = None
) -> ContentVersion:
    """Send a draft (or a version sent back) to the moderators; return it.

    `expected_edit_count`, the save counter of the page the editor submitted from: if the
    draft was saved since (in another tab, by someone else), EditConflict — the moderators
    would otherwise get content the submitter never saw."""
    _check(version, "submit", by)
    if expected_edit_count is not None:
        _check_counter(version, expected_edit_count)
    problems = review_problems(version)
    if problems:
        raise ValidationError(problems, code="not_ready")
    with transaction.atomic():
        # The counter is part of the conditional UPDATE: a save committed after the check
        # above still refuses the submission (EditConflict from _apply).
        expect = None if expected_edit_count is None else {"edit_count": version.edit_count}
        _apply(version, "submit", by=by, comment=comment, submitted_at=timezone.now(),
               expect=expect)  # fmt: skip
    notifications.send("submitted", _moderators_except(version, by), version=version, by=by,
                       comment=comment)  # fmt: skip
    return version


def withdraw(version: ContentVersion, *, by, comment: str = "") -> ContentVersion:
    """Take a version in review back to draft before a moderator decides: its author, or
    anyone who may submit that kind. The moderators are told."""
    _check(version, "withdraw", by)
    with transaction.atomic():
        _apply(version, "withdraw", by=by, comment=comment, submitted_at=None)
    notifications.send("withdrawn", _moderators_except(version, by), version=version, by=by,
                       comment=comment)  # fmt: skip
    return version


def claimed_by_another(version: ContentVersion, user) -> bool:
    """Whether someone other than `user` claimed the review less than REVIEW_CLAIM_HOURS
    ago: claiming it then means taking it over (`take_over=True`)."""
    holder, since = version.review_claimed_by_id, version.review_claimed_at
    return (
        holder is not None and user is not None and holder != user.pk and since is not None
        and timezone.now() - since < datetime.timedelta(hours=REVIEW_CLAIM_HOURS)
    )  # fmt: skip


def claim_review(version: ContentVersion, *, by, take_over: bool = False) -> ContentVersion:
    """Mark a version in review as "being reviewed by `by` since now". It only tells other
    moderators, never stops them. Someone else's claim younger than REVIEW_CLAIM_HOURS is
    taken over only with `take_over=True` (ValidationError otherwise, saying whose it is)."""
    _check(version, "claim", by)
    now = timezone.now()
    holder, since = version.review_claimed_by_id, version.review_claimed_at
    if claimed_by_another(version, by) and not take_over:
        raise ValidationError(
            f"{version.review_claimed_by.get_username()} has been reviewing this version "
            f"since {timezone.localtime(since):%Y-%m-%d %H:%M}; take the review over only if "
            "you have agreed it with them.",
            code="claimed",
        )
    with transaction.atomic():
        _apply(version, "claim", by=by, details={"took_over_from": holder}
               if holder not in (None, by.pk) else None, expect={"review_claimed_by_id": holder},
               review_claimed_by=by, review_claimed_at=now)  # fmt: skip
    return version


def _release_refusal(version: ContentVersion, user) -> Refusal | None:
    if version.state != S.IN_REVIEW:
        return _state_refusal(version, "release the review of")
    if version.review_claimed_by_id is None:
        return Refusal("Nobody has claimed the review of this version.", ValidationError,
                       "state", "unclaimed")  # fmt: skip
    if user is not None and user.pk == version.review_claimed_by_id:
        return None
    return explain(version, "claim", user)


def release_refusal(version: ContentVersion, user) -> str | None:
    """Whether `user` may clear the version's "being reviewed by" marker (its holder, or
    anyone who may claim the review), and if not, why."""
    refused = _release_refusal(version, user)
    return refused.message if refused else None


def release_review(version: ContentVersion, *, by) -> ContentVersion:
    """Clear the "being reviewed by" marker: the moderator who holds it, or any moderator
    who may claim the version. The audit trail records it."""
    if refused := _release_refusal(version, by):
        raise refused.exception()
    with transaction.atomic():  # the claim move, undone: still in review, unclaimed
        _apply(
            version,
            "claim",
            by=by,
            audit="review_released",
            expect={"review_claimed_by_id": version.review_claimed_by_id},
            **_NO_CLAIM,
        )
    return version


def _aware(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A naive time is read in the portal's time zone (TIME_ZONE), as the admin form does."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def _check_schedule(publish_at, unpublish_at, now) -> None:
    if unpublish_at is not None and unpublish_at <= max(publish_at or now, now):
        raise ValidationError(
            {"unpublish_at": "The unpublish time must be after the publish time."},
            code="invalid_schedule",
        )


def _lock_published_links(version: ContentVersion) -> None:
    """In the caller's transaction, lock the live versions of the items that must stay
    published for `version` to be approved (a combination's therapies), so that none can be
    unpublished between the evidence check and the commit: an unpublish waits for the
    transaction, then flags `version`'s item."""
    kind = kinds.of(version)
    for link in kind.published_links:
        list(
            kinds.get(kind.links[link]).version_model.objects.select_for_update()
            .filter(item__in=getattr(version, link).all(), state=S.PUBLISHED)
            .values_list("pk", flat=True)
        )  # fmt: skip


def approve(
    version: ContentVersion,
    *,
    by,
    comment: str = "",
    publish_at: datetime.datetime | None = None,
    unpublish_at: datetime.datetime | None = None,
) -> ContentVersion:
    """Approve a version in review: publish it now (the move `approve`, superseding the live
    version in the same transaction), or — with a future `publish_at` — schedule it (the
    move `schedule`). Setting `unpublish_at` also needs the schedule permission.

    Four eyes: nobody approves a version they wrote or edited, superusers included. The
    approver needs a current conflict-of-interest statement declaring no interest in what the
    version covers (PermissionDenied says why), and the version must pass the evidence
    checklist (ValidationError names what is missing).
    """
    now = timezone.now()
    publish_at, unpublish_at = _aware(publish_at), _aware(unpublish_at)
    scheduled = publish_at is not None and publish_at > now
    move = "schedule" if scheduled or unpublish_at is not None else "approve"
    _check(version, move, by)
    _check_schedule(publish_at, unpublish_at, now)
    # The approver's statement is kept with the version and its date in the audit record.
    statement = trust.coi_snapshot(by)
    review = {"reviewed_by": by, "approved_at": now, "unpublish_at": unpublish_at,
              "reviewer_coi": statement}  # fmt: skip
    if hasattr(version, "assessed_on") and version.assessed_on is None:
        review["assessed_on"] = timezone.localdate(now)  # assessed at this review
    details = {
        "publish_at": publish_at.isoformat() if scheduled else None,
        "unpublish_at": unpublish_at.isoformat() if unpublish_at else None,
        "coi_statement": statement["declared_on"] if statement else None,
        "reviewed": diff.snapshot(version),
    }
    # The re-check flags the moderator was shown (those open now); one raised meanwhile stays.
    flags_seen = trust.open_flag_ids(version.item) if kinds.of(version).can_be_flagged else []
    with transaction.atomic():
        _lock_published_links(version)
        if refused := _evidence_refusal(version):  # again, now nothing it reads can change
            raise refused.exception()
        if scheduled:
            _apply(version, "schedule", by=by, comment=comment, details=details,
                   publish_at=publish_at, **review)  # fmt: skip
        else:
            _publish(version, "approve", by=by, comment=comment, details=details,
                     publish_at=None, **review)  # fmt: skip
        if flags_seen:
            trust.clear_flags(version.item, by, ids=flags_seen, version_number=version.number,
                              comment=f"Version {version.number} was approved.")  # fmt: skip
    notifications.send("approved", [version.author.email], version=version, by=by,
                       comment=comment)  # fmt: skip
    return version


def request_changes(version: ContentVersion, *, by, comment: str) -> ContentVersion:
    """Send a version in review back to its author with the moderator's comment."""
    _check(version, "request_changes", by)
    comment = _require_comment(comment, "request changes")
    with transaction.atomic():
        _apply(
            version,
            "request_changes",
            by=by,
            comment=comment,
            review_comment=comment,
            details={"reviewed": diff.snapshot(version)},
        )
    notifications.send("changes_requested", [version.author.email], version=version, by=by,
                       comment=comment)  # fmt: skip
    return version


def reschedule(
    version: ContentVersion,
    *,
    by,
    publish_at: datetime.datetime,
    unpublish_at: datetime.datetime | None = None,
    comment: str = "",
) -> ContentVersion:
    """Move an approved, scheduled version's publication to `publish_at` (in the future),
    and its take-down to `unpublish_at` (None: none)."""
    _check(version, "reschedule", by)
    now = timezone.now()
    publish_at, unpublish_at = _aware(publish_at), _aware(unpublish_at)
    if publish_at is None or publish_at <= now:
        raise ValidationError(
            {"publish_at": "Choose a time in the future; to publish now, cancel the schedule "
                           "and approve the version again."},
            code="invalid_schedule",
        )  # fmt: skip
    _check_schedule(publish_at, unpublish_at, now)
    with transaction.atomic():
        _apply(version, "reschedule", by=by, comment=comment, details={
            "publish_at": publish_at.isoformat(),
            "unpublish_at": unpublish_at.isoformat() if unpublish_at else None,
            "was": version.publish_at.isoformat() if version.publish_at else None,
        }, publish_at=publish_at, unpublish_at=unpublish_at)  # fmt: skip
    notifications.send("rescheduled", [version.author.email], version=version, by=by,
                       comment=comment)  # fmt: skip
    return version


def cancel_schedule(version: ContentVersion, *, by, comment: str = "") -> ContentVersion:
    """Put an approved, scheduled version back in review, its approval withdrawn (nothing
    is thrown away); re-check flags its approval cleared open again."""
    _check(version, "cancel_schedule", by)
    with transaction.atomic():
        _apply(version, "cancel_schedule", by=by, comment=comment, **_APPROVAL_FIELDS)
        trust.reopen_flags(version.item, version.number)
    notifications.send("schedule_cancelled", [version.author.email], version=version, by=by,
                       comment=comment)  # fmt: skip
    return version


def discard(version: ContentVersion, *, by, comment: str = "") -> ContentVersion:
    """Discard a draft or a version sent back; a moderator may also discard an approved,
    scheduled version, which cancels its schedule. The version stays in history."""
    _check(version, "discard", by)
    was_scheduled = version.state == S.APPROVED
    with transaction.atomic():
        _apply(version, "discard", by=by, comment=comment)
        if was_scheduled:
            trust.reopen_flags(version.item, version.number)
    return version


# ---------------------------------------------------------------------------------------------
# Publication
# ---------------------------------------------------------------------------------------------


def _publish(version: ContentVersion, move: str, *, by, comment="", details=None, **fields):
    """Publish `version` by `move` (approve, publish_due), superseding the item's live
    version, in the caller's transaction.

    The old version is superseded before the new one is published, so the partial unique
    index never sees two published rows; readers outside the transaction see the old page
    until it commits, then the new one — never none. If the version was moved by someone
    else meanwhile, `_apply` raises and the caller's transaction undoes the supersede. A
    take-down time set on the old version carries over to the new one, unless it has its own.
    """
    model = type(version)
    _lock_item(version.item)
    previous = (
        model.objects.filter(item_id=version.item_id, state=S.PUBLISHED)
        .exclude(pk=version.pk)
        .first()
    )
    now = timezone.now()
    superseded = previous is not None and bool(
        model.objects.filter(pk=previous.pk, state=S.PUBLISHED).update(
            state=S.SUPERSEDED, live_until=now
        )
    )
    if (
        superseded
        and previous.unpublish_at
        and not fields.get("unpublish_at", version.unpublish_at)
    ):
        fields["unpublish_at"] = previous.unpublish_at
    _apply(version, move, by=by, comment=comment, details=details,
           published_at=now, **fields)  # fmt: skip
    if superseded:
        previous.state, previous.live_until = S.SUPERSEDED, now
        AuditEvent.record(previous, by=by, action="superseded", from_state=S.PUBLISHED,
                          to_state=S.SUPERSEDED, by_version=version.number)  # fmt: skip
    _after_publish(version, previous if superseded else None)


def _after_publish(version: ContentVersion, previous) -> None:
    """The changelog and the page cache follow (the pages linked by the superseded version
    too). Dependent content: a therapy whose class or key agents changed since its last
    published version (the one it supersedes, or the one last taken down) flags the
    combinations and trial notes that link it."""
    catalog.public_change(version, *filter(None, [previous]))
    catalog.count_conditions(went_live=[version], left=filter(None, [previous]))
    if kinds.of(version).flags_dependents:
        baseline = previous or (
            type(version).objects.filter(item_id=version.item_id, published_at__isnull=False)
            .exclude(pk=version.pk)
            .order_by("-number")
            .first()
        )  # fmt: skip
        reason = trust.change_reason(baseline, version)
        if reason:
            trust.flag_dependents(
                version.item, reason=reason, version_number=version.number,
                previous_number=baseline.number,
            )  # fmt: skip


def _after_unpublish(version: ContentVersion, comment: str) -> None:
    """The changelog and the page cache follow; an unpublished therapy flags the
    combinations and trial notes that link it."""
    catalog.public_change(version)
    catalog.count_conditions(left=[version])
    if kinds.of(version).flags_dependents:
        trust.flag_dependents(
            version.item, reason=f"“{version.title}” was unpublished: {comment}",
            version_number=version.number, change=RecheckFlag.Change.UNPUBLISHED,
        )  # fmt: skip


def unpublish(item: ContentItem, *, by, comment: str) -> ContentVersion:
    """Take an item off the public site; its history is kept. A version approved and
    scheduled for publication is discarded with it, so the item cannot come back online by
    itself. Returns the unpublished version."""
    version = item.versions.filter(state=S.PUBLISHED).first()
    if version is None:
        raise WorkflowError(f"“{item}” is not published.", code="not_published")
    _check(version, "unpublish", by)
    comment = _require_comment(comment, "unpublish")
    sent_back = []
    with transaction.atomic():
        _lock_item(item)  # an approval of this item waits for this transaction, or we for it
        _apply(version, "unpublish", by=by, comment=comment, live_until=timezone.now())
        _after_unpublish(version, comment)
        for scheduled in item.versions.filter(state=S.APPROVED):
            _apply(scheduled, "discard", by=by, comment="Schedule cancelled: the item was "
                   f"unpublished ({comment})")  # fmt: skip
            trust.reopen_flags(item, scheduled.number)
        # Approving a version in review would put the item back online: it goes back to its
        # author instead, with the reason, so that bringing the item back is a new decision.
        reason = (f"The item was unpublished while this version was in review: {comment} "
                  "Look at it again before submitting it: approving it puts the item back "
                  "online.")  # fmt: skip
        for in_review in item.versions.filter(state=S.IN_REVIEW):
            _apply(in_review, "request_changes", by=by, comment=reason, review_comment=reason)
            sent_back.append(in_review)
    for in_review in sent_back:
        notifications.send("changes_requested", [in_review.author.email], version=in_review,
                           by=by, comment=reason)  # fmt: skip
    return version


def _lock_item(item: ContentItem) -> None:
    """Lock the item's row until the transaction ends (PostgreSQL): moves that can take an
    item on or off the site (publishing a version, unpublishing) take it first, so they
    happen one after the other, never interleaved into a deadlock."""
    list(type(item).objects.select_for_update().filter(pk=item.pk).values_list("pk"))


def mark_correction(version: ContentVersion, *, by, note: str) -> ContentVersion:
    """Mark a published version as corrected, with a short public note ("Corrected on
    <date>: <note>"), e.g. after a factual error was fixed in it by a new version."""
    _check(version, "correct", by)
    note = _require_comment(note, "mark a correction")
    if len(note) > CORRECTION_NOTE_MAX_LENGTH:
        raise ValidationError(
            {"comment": f"Keep the public note under {CORRECTION_NOTE_MAX_LENGTH} characters."}
        )
    with transaction.atomic():
        _apply(version, "correct", by=by, comment=note, corrected_at=timezone.now(),
               correction_note=note)  # fmt: skip
        catalog.public_change(version)
    return version


class _HeldBack(Exception):
    """A scheduled version fails the evidence gate at publication time (undoes the move)."""

    def __init__(self, missing: list[str]):
        super().__init__("; ".join(missing))
        self.missing = missing


def _hold_back(version: ContentVersion, missing: list[str]) -> None:
    """A scheduled version that no longer passes the evidence gate is not published; the
    first time, the audit trail records why and its approver is told."""
    logger.warning("Not publishing %s: %s", version, "; ".join(missing))
    if AuditEvent.objects.for_version(version).filter(action="publication_held").exists():
        return
    AuditEvent.record(version, by=None, action="publication_held", from_state=S.APPROVED,
                      to_state=S.APPROVED, comment="; ".join(missing))  # fmt: skip
    notifications.send(
        "publication_held",
        [version.reviewed_by.email if version.reviewed_by else "", version.author.email],
        version=version, missing=missing,
    )  # fmt: skip


def publish_due(now: datetime.datetime | None = None) -> list[ContentVersion]:
    """The scheduler's moves: publish every approved version whose time has come, and
    unpublish every published version whose unpublish time has passed. Returns the versions
    it published.

    Idempotent and safe to run concurrently: each move is a conditional UPDATE, so a version
    already handled by another run is skipped. Each move is its own transaction, and one that
    fails for any reason is audited, reported to the moderators and left for the next run:
    it never stops the other moves, and the unpublications always run.
    """
    now = _aware(now) or timezone.now()
    published, failed = [], []
    for item_model in CONTENT_KINDS.values():
        version_model = item_model.version_model()
        due = version_model.objects.filter(state=S.APPROVED, publish_at__lte=now)
        for version in due.select_related("item").order_by("publish_at", "pk"):
            try:
                with transaction.atomic():
                    _lock_published_links(version)
                    if missing := trust.evidence_problems(version):
                        raise _HeldBack(missing)
                    _publish(version, "publish_due", by=None,
                             details={"scheduled_for": version.publish_at.isoformat()})  # fmt: skip
            except _HeldBack as held:
                # E.g. a combined therapy was unpublished after approval: stay scheduled,
                # unpublished, until a moderator decides (the re-check flag says why).
                _hold_back(version, held.missing)
                continue
            except WorkflowError:
                continue  # another run got there first
            except Exception as error:  # noqa: BLE001 — one bad version never stops the run
                failed += _schedule_failed(version, "publication", error, now)
                continue
            published.append(version)
    for item_model in CONTENT_KINDS.values():  # after every publication, whatever happened
        version_model = item_model.version_model()
        expired = version_model.objects.filter(state=S.PUBLISHED, unpublish_at__lte=now)
        for version in expired.select_related("item"):
            try:
                with transaction.atomic():
                    _apply(version, "unpublish", by=None, comment="Scheduled unpublication.",
                           live_until=timezone.now())  # fmt: skip
                    _after_unpublish(version, "scheduled unpublication")
            except WorkflowError:
                continue
            except Exception as error:  # noqa: BLE001
                failed += _schedule_failed(version, "unpublication", error, now)
    if failed:
        emails = {
            email
            for item_model in CONTENT_KINDS.values()
            for email in moderators_for(item_model.version_model()).values_list("email",
                                                                                 flat=True)
        }  # fmt: skip
        notifications.send("schedule_failed", emails, bcc=True, failures=failed)
    return published


# A failing scheduled move is retried every run; it is audited and reported once a day.
SCHEDULE_FAILURE_REPORT_EVERY = datetime.timedelta(days=1)


def _schedule_failed(version, move: str, error: Exception, now) -> list[dict]:
    """Record that the scheduled `move` of `version` failed (logged every time; audited and
    returned for the moderators' mail at most once a day per version)."""
    logger.exception("Scheduled %s of %s failed", move, version)
    reason = f"{type(error).__name__}: {error}"[:500]
    try:
        # The move was rolled back: the state is the database's, not the copy's in memory.
        version.refresh_from_db(fields=["state"])
        recent = AuditEvent.objects.for_version(version).filter(
            action="schedule_failed", at__gte=now - SCHEDULE_FAILURE_REPORT_EVERY
        )
        if recent.exists():
            return []
        AuditEvent.record(version, by=None, action="schedule_failed", from_state=version.state,
                          to_state=version.state, comment=reason, move=move)  # fmt: skip
    except Exception:  # noqa: BLE001 — reporting a failure must not stop the run either
        logger.exception("Could not record the failed %s of %s", move, version)
    return [{"version": version, "move": move, "reason": reason,
             "admin_url": notifications.admin_url(version)}]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# What waits for whom
# ---------------------------------------------------------------------------------------------


QUEUE_LIMIT = 50  # the versions listed at once in each of the desk's queues (urgent first)
# A scheduled move this late is overdue: the scheduler runs every minute or so.
SCHEDULE_GRACE = datetime.timedelta(minutes=10)


# The scheduler's two moves: (the state it moves from, the time column, the move's name).
SCHEDULED_MOVES = ((S.APPROVED, "publish_at", "publication"),
                   (S.PUBLISHED, "unpublish_at", "unpublication"))  # fmt: skip


def _with_move(version: ContentVersion) -> ContentVersion:
    """Set `move` and `due_at` on a version the scheduler is to move."""
    for state, column, move in SCHEDULED_MOVES:
        if version.state == state:
            version.move, version.due_at = move, getattr(version, column)
    return version


def _schedule_failures(versions) -> dict:
    """The latest scheduler failure recorded for each of `versions` (a failed move, a
    publication held back), by (version content type id, version id)."""
    failures = {}
    events = AuditEvent.objects.filter(
        action__in=["schedule_failed", "publication_held"],
        version_id__in=[version.pk for version in versions],
    ).order_by("at")  # the latest wins below
    for event in events:
        failures[(event.version_type_id, event.version_id)] = event.comment
    return failures


def _failure_of(failures: dict, version: ContentVersion) -> str | None:
    return failures.get((ContentType.objects.get_for_model(version).pk, version.pk))


def schedule_problem(version: ContentVersion | None, now=None) -> str | None:
    """For an approved version whose publication time has passed: why it is not live yet
    (the failure the audit trail recorded, or a sentence saying the scheduler seems not to
    run); None for any other version."""
    now = _aware(now) or timezone.now()
    if version is None or version.state != S.APPROVED or not version.publish_at:
        return None
    if version.publish_at > now:
        return None
    if failure := _failure_of(_schedule_failures([version]), version):
        return failure
    if now - version.publish_at < datetime.timedelta(minutes=1):
        return "It should go live within a minute."
    return f"It is {timesince(version.publish_at, now)} late."


def overdue_schedule(now: datetime.datetime | None = None) -> list[ContentVersion]:
    """Scheduled moves that should have happened more than SCHEDULE_GRACE ago — a version
    still approved after its publication time, or still published after its unpublication
    time — each with `move` and `problem`: why, as the audit trail last said (a failure, a
    publication held back), or that the scheduler seems not to have run."""
    now = _aware(now) or timezone.now()
    cutoff = now - SCHEDULE_GRACE
    due = []
    for item_model in CONTENT_KINDS.values():
        version_model = item_model.version_model()
        due += version_model.objects.filter(
            Q(state=S.APPROVED, publish_at__lte=now) | Q(state=S.PUBLISHED, unpublish_at__lte=now)
        ).select_related("item")[:QUEUE_LIMIT]
    failures = _schedule_failures(due)
    late = []
    for version in map(_with_move, due):
        reason = _failure_of(failures, version)
        if reason or version.due_at <= cutoff:  # a failure shows at once, a delay after a while
            version.problem = reason or "The scheduler has not run since: is it running?"
            late.append(version)
    return sorted(late, key=lambda version: version.due_at)


def last_reviewed_by(version: ContentVersion, user) -> tuple[int, dict] | None:
    """What `user` last reviewed of `version`'s item (approved or sent back), as (version
    number, the `diff.snapshot` kept with that review), or None."""
    event = (
        AuditEvent.objects.for_item(version.item)
        .filter(actor_id=user.pk, action__in=[MOVES[move].audit for move in
                                              ("approve", "schedule", "request_changes")])
        .order_by("-at", "-pk").first()
    )  # fmt: skip
    if event is None or not isinstance(event.data.get("reviewed"), dict):
        return None
    return event.version_number, event.data["reviewed"]


def scheduled_moves(user, now: datetime.datetime | None = None) -> list[ContentVersion]:
    """Publications and unpublications still to come, soonest first (at most QUEUE_LIMIT), of
    the kinds `user` may see: approved versions waiting for their publication time and live
    versions with an unpublication time. Each version has `move` and `due_at`."""
    now = _aware(now) or timezone.now()
    upcoming = []
    for item_model in CONTENT_KINDS.values():
        version_model = item_model.version_model()
        if not can(user, "view", version_model):
            continue
        rows = version_model.objects.listed().select_related("item", "reviewed_by")
        for state, column, _ in SCHEDULED_MOVES:
            upcoming += map(_with_move, rows.filter(state=state, **{f"{column}__gt": now})
                            .order_by(column)[:QUEUE_LIMIT])  # fmt: skip
    return sorted(upcoming, key=lambda version: version.due_at)[:QUEUE_LIMIT]


def review_queue(user) -> dict[str, list[ContentVersion]]:
    """What waits for `user`: `to_review` — versions in review of the kinds they may
    approve, those with an urgent re-check flag (a trial stopped, results posted, …) first,
    then the oldest submission, each with who is reviewing it (`review_claimed_by`);
    `mine` — their own drafts and versions sent back to them; `registry` — drafts the
    ClinicalTrials.gov import wrote, waiting for an editor to take them up (urgent first, at
    most QUEUE_LIMIT), for those who may edit them. Each version says whether it is
    `urgent`."""
    to_review, mine, from_registry = [], [], []
    for item_model in CONTENT_KINDS.values():
        version_model = item_model.version_model()
        versions = version_model.objects.select_related(
            "item", "author", "review_claimed_by", "reviewed_by"
        )
        if can(user, "approve", version_model):
            waiting = versions.filter(state=S.IN_REVIEW).order_by("submitted_at", "pk")
            urgent = _urgent_item_ids(item_model)
            to_review += [*waiting.filter(item_id__in=urgent)[:QUEUE_LIMIT],
                          *waiting.exclude(item_id__in=urgent)[:QUEUE_LIMIT]]  # fmt: skip
        mine += versions.filter(author_id=user.pk, state__in=EDITABLE_STATES)
        if kinds.of(item_model).registry and can(user, "change", version_model):
            imported = versions.filter(author__username=IMPORT_USERNAME,
                                       state__in=EDITABLE_STATES)  # fmt: skip
            urgent = _urgent_item_ids(item_model)  # urgent first, then the oldest
            from_registry += [
                *imported.filter(item_id__in=urgent).order_by("updated_at")[:QUEUE_LIMIT],
                *imported.exclude(item_id__in=urgent).order_by("updated_at")[:QUEUE_LIMIT],
            ][:QUEUE_LIMIT]
    _mark_urgent([*to_review, *mine, *from_registry])
    to_review.sort(key=lambda v: (not v.urgent, v.submitted_at or v.updated_at, v.pk))
    del to_review[QUEUE_LIMIT:]
    mine.sort(key=lambda v: (v.state != S.CHANGES_REQUESTED, -v.updated_at.timestamp()))
    return {"to_review": to_review, "mine": mine, "registry": from_registry}


def _urgent_item_ids(item_model):
    """A subquery: the ids of `item_model`'s items with an open urgent re-check flag."""
    return (
        RecheckFlag.objects.open().filter(urgent=True, item_type=_content_type(item_model))
        .values("item_id")
    )  # fmt: skip


def _mark_urgent(versions: list[ContentVersion]) -> None:
    """Set `version.urgent`: its item has an open urgent re-check flag (one query)."""
    wanted = {(_content_type(type(v.item)).pk, v.item_id) for v in versions}
    urgent = set()
    if wanted:
        urgent = set(
            RecheckFlag.objects.open().filter(urgent=True, item_id__in={i for _, i in wanted})
            .values_list("item_type_id", "item_id")
        )  # fmt: skip
    for version in versions:
        version.urgent = (_content_type(type(version.item)).pk, version.item_id) in urgent


def _content_type(model):
    return ContentType.objects.get_for_model(model)
