"""The editorial workflow: every state change of every version, in one place.

States and the moves between them, at a glance (see TRANSITIONS):

    draft ──submit──▶ in_review ──approve──▶ published ──(newer published)──▶ superseded
      ▲                 │    └──approve with a future time──▶ approved ──publish_due──▶ published
      │                 └──request_changes──▶ changes_requested ──submit──▶ in_review
      └─ new_version (a copy of the newest version, or of any older one to revert)
    draft / changes_requested ──discard──▶ discarded
    approved ──discard (moderator; cancels the schedule)──▶ discarded
    published ──unpublish──▶ unpublished

Each function takes the acting user, checks the move is allowed from the version's state
(else `WorkflowError`), then that the user may make it (else `PermissionDenied`), then any
required comment (else `ValidationError`); it changes the rows inside one transaction with a
conditional UPDATE, so two people acting at once cannot both succeed; and it writes an
append-only `AuditEvent`. Admin views, actions and management commands call only these.
Who may do what is decided by Django permissions (`user.has_perm`), never by group names.
"""

from __future__ import annotations

import datetime
import logging
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from therapies import catalog, trust
from therapies.models import (
    CONTENT_KINDS,
    EDITABLE_STATES,
    AuditEvent,
    Citation,
    CombinationEntry,
    CombinationEntryVersion,
    ContentItem,
    ContentVersion,
    RecheckFlag,
    TherapyArticle,
    TherapyArticleVersion,
    TrialNote,
    VersionState,
)

S = VersionState

# The trust and provenance moves live beside their rules in therapies/trust.py; they are
# named here too, so that every state change can be found, and called, from this module.
create_review_link = trust.create_review_link
revoke_review_link = trust.revoke_review_link
dismiss_flag = trust.dismiss_flag
save_coi_statement = trust.save_coi_statement
logger = logging.getLogger(__name__)

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.IN_REVIEW, S.DISCARDED}),
    S.IN_REVIEW: frozenset({S.PUBLISHED, S.APPROVED, S.CHANGES_REQUESTED}),
    S.CHANGES_REQUESTED: frozenset({S.IN_REVIEW, S.DISCARDED}),
    S.APPROVED: frozenset({S.PUBLISHED, S.DISCARDED}),
    S.PUBLISHED: frozenset({S.SUPERSEDED, S.UNPUBLISHED}),
    S.SUPERSEDED: frozenset(),
    S.UNPUBLISHED: frozenset(),
    S.DISCARDED: frozenset(),
}

# Fields that only the workflow sets; `edit` refuses them.
WORKFLOW_FIELDS = frozenset(
    {
        "id", "item", "item_id", "number", "state", "author", "author_id", "last_edited_by",
        "last_edited_by_id", "created_at", "updated_at", "edit_count", "submitted_at",
        "reviewed_by", "reviewed_by_id", "approved_at", "publish_at", "unpublish_at",
        "published_at", "review_comment", "body_html",
    }
)  # fmt: skip


# Versions a revert may start from: content that was reviewed and published.
REVERTIBLE_STATES = frozenset({S.PUBLISHED, S.SUPERSEDED, S.UNPUBLISHED})


class WorkflowError(ValidationError):
    """The move is not allowed from the version's current state."""


class EditConflict(WorkflowError):
    """Someone saved the version after this copy of it was loaded; nothing was overwritten."""


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def permission(version_model: type[ContentVersion] | ContentVersion, action: str) -> str:
    """The full permission name for a workflow action on a kind, e.g.
    `therapies.approve_therapyarticleversion`."""
    meta = version_model._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


def can(user, action: str, version_model) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(permission(version_model, action)))


def _require(user, action: str, version_model, what: str) -> None:
    if not can(user, action, version_model):
        raise PermissionDenied(f"You do not have permission to {what}.")


def _require_state(version: ContentVersion, to_state: str, what: str) -> None:
    if to_state not in TRANSITIONS[version.state]:
        _refuse(version, what)


def _refuse(version: ContentVersion, what: str):
    raise WorkflowError(
        f"Cannot {what} version {version.number} of “{version.title}”: "
        f"it is {version.get_state_display().lower()}.",
        code="invalid_transition",
    )


def _require_comment(comment: str, what: str) -> str:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": f"A comment is required to {what}."}, code="comment_required"
        )
    return comment


_log = AuditEvent.record  # every move and saved edit appends one event


def _move(version: ContentVersion, from_states, to_state: str, what: str, **fields) -> None:
    """Change `version` to `to_state` only if the database still has it in `from_states`.

    The conditional UPDATE is what makes concurrent moves safe: of two moderators approving
    at the same moment, one updates the row and the other finds it already moved.
    """
    model = type(version)
    updated = model.objects.filter(pk=version.pk, state__in=list(from_states)).update(
        state=to_state, **fields
    )
    if not updated:
        current = model.objects.filter(pk=version.pk).values_list("state", flat=True).first()
        label = S(current).label.lower() if current else "deleted"
        raise WorkflowError(
            f"Cannot {what} version {version.number} of “{version.title}”: "
            f"someone else changed it first; it is now {label}.",
            code="concurrent_change",
        )
    version.state = to_state
    for name, value in fields.items():
        setattr(version, name, value)


def contributors(version: ContentVersion) -> set[int]:
    """IDs of everyone who wrote or edited the version: its author and every saver."""
    edited_by = (
        AuditEvent.objects.for_version(version)
        .filter(action__in=["created", "edited"], actor__isnull=False)
        .values_list("actor_id", flat=True)
    )
    return {version.author_id, version.last_edited_by_id, *edited_by} - {None}


def _mail(subject: str, body: str, recipients) -> None:
    """Send a notification once the transaction commits; a mail failure is logged, never
    allowed to undo or fail the editorial action that already happened."""
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return

    def send():
        try:
            send_mail(subject, body, None, recipients)
        except Exception:
            logger.exception("Could not send notification %r to %s", subject, recipients)

    transaction.on_commit(send)


def _admin_url(version: ContentVersion) -> str:
    return f"{settings.SITE_URL}{version.item.get_admin_url()}"


def moderators_for(version_model) -> models.QuerySet:
    """Active users who may approve this kind of content (by permission, not group name)."""
    return get_user_model()._default_manager.with_perm(permission(version_model, "approve"))


# ---------------------------------------------------------------------------------------------
# Creating and editing
# ---------------------------------------------------------------------------------------------


def _prepare(version_model, fields: dict) -> tuple[dict, dict, list | None]:
    """Split edited values into plain fields, m2m links and citations; refuse names that are
    unknown or that only the workflow sets; normalize line endings (browsers post CRLF)."""
    m2m_names = {field.name for field in version_model._meta.many_to_many} - {"citations"}
    relations = {name: fields.pop(name) for name in list(fields) if name in m2m_names}
    citations = fields.pop("citations", None)
    not_editable = set(fields) & WORKFLOW_FIELDS
    if not_editable:
        raise WorkflowError(
            f"{', '.join(sorted(not_editable))} cannot be edited: the workflow sets it.",
            code="not_editable",
        )
    for name in fields:
        try:
            field = version_model._meta.get_field(name)
        except FieldDoesNotExist:
            raise WorkflowError(f"“{name}” is not a field of this content.",
                                code="unknown_field") from None  # fmt: skip
        if not field.editable or field.auto_created:
            raise WorkflowError(f"{name} cannot be edited.", code="not_editable")
    fields = {
        name: value.replace("\r\n", "\n") if isinstance(value, str) else value
        for name, value in fields.items()
    }
    if citations is not None:
        citations = _citation_entries(citations)
    return fields, relations, citations


_CITATION_PATTERNS = [
    (Citation.Kind.PMID, re.compile(r"^(?:pmid|pubmed)\s*:?\s*(\S+)$", re.I)),
    (Citation.Kind.DOI, re.compile(r"^(?:doi\s*:\s*|https?://(?:dx\.)?doi\.org/)(\S+)$", re.I)),
    (Citation.Kind.DOI, re.compile(r"^(10\.\S+/\S+)$")),
    (Citation.Kind.NCT, re.compile(r"^(NCT\d+)$", re.I)),
    (Citation.Kind.URL, re.compile(r"^(https?://\S+)$", re.I)),
]


SUPPORTS_MAX_LENGTH = 300  # VersionCitation.supports


def _citation_from(entry) -> Citation:
    """The Citation an edit names: a Citation, its id, {"kind", "value", "label"} or a written
    identifier ("PMID: 26027431", "doi:10.1056/…", "NCT01844505", an https address). A source
    not yet recorded comes back unsaved and is saved with the edit (`_set_citations`). It is
    recorded as given: a malformed identifier is caught by the evidence gate, which names it,
    rather than lost here."""
    if isinstance(entry, Citation):
        return entry
    if isinstance(entry, bool):
        raise ValidationError({"citations": f"Not a citation: {entry!r}."})
    if isinstance(entry, int) or (isinstance(entry, str) and entry.strip().isdigit()):
        try:
            return Citation.objects.get(pk=int(entry))
        except Citation.DoesNotExist:
            raise ValidationError({"citations": f"No citation with id {entry!r}."}) from None
    if isinstance(entry, dict):
        kind, value, label = entry.get("kind"), entry.get("value"), entry.get("label") or ""
        if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
            raise ValidationError({"citations": f"A citation needs a value: {entry!r}."})
    elif isinstance(entry, str):
        text = entry.strip()
        match = next(
            ((kind, found) for kind, pattern in _CITATION_PATTERNS
             if (found := pattern.match(text))), None,
        )  # fmt: skip
        if match is None:
            raise ValidationError({"citations": f"Not a PubMed ID, DOI, NCT ID or address: "
                                                f"{entry!r}."})  # fmt: skip
        kind, value, label = match[0], match[1].group(1), ""
    else:
        raise ValidationError({"citations": f"Not a citation: {entry!r}."})
    if kind not in Citation.Kind.values:
        raise ValidationError({"citations": f"Unknown citation kind {kind!r}."})
    value = Citation.normalize_value(kind, str(value))
    value = value.upper() if kind == Citation.Kind.NCT else value  # "nct01844505" as written
    max_length = Citation._meta.get_field("value").max_length
    if len(value) > max_length or len(str(label)) > max_length:
        raise ValidationError(
            {"citations": f"A citation's identifier and reference are at most {max_length} "
                          "characters."}
        )  # fmt: skip
    existing = Citation.objects.filter(kind=kind, value=value).first()
    return existing or Citation(kind=kind, value=value, label=str(label))


def _citation_entries(citations) -> list[tuple[Citation, str]]:
    """(Citation, supports) pairs from Citations, citation ids, {"kind", "value", "label",
    "supports"} dicts or written identifiers, each alone or paired with what it supports.
    A source named twice is refused: a version cites each source once."""
    if isinstance(citations, str | dict):
        citations = [citations]
    entries, seen = [], set()
    for entry in citations:
        entry, supports = entry if isinstance(entry, tuple) else (entry, "")
        if isinstance(entry, dict) and not supports:
            supports = entry.get("supports", "")
        citation = _citation_from(entry)
        key = (citation.kind, citation.value)
        if key in seen:
            raise ValidationError({"citations": f"{citation.get_kind_display()} "
                                                f"{citation.value} is cited twice."})  # fmt: skip
        seen.add(key)
        supports = str(supports or "").strip()
        if len(supports) > SUPPORTS_MAX_LENGTH:
            raise ValidationError({"citations": "Say what a source supports in at most "
                                                f"{SUPPORTS_MAX_LENGTH} characters."})  # fmt: skip
        entries.append((citation, supports))
    return entries


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


def _changes(version, fields: dict, relations: dict, citations) -> list[str]:
    """Names of what the edit would actually change (a version not yet saved: everything)."""
    if version.pk is None:
        return [*fields, *relations, *(["citations"] if citations is not None else [])]
    changed = [name for name, value in fields.items() if getattr(version, name) != value]
    for name, value in relations.items():
        wanted = {getattr(entry, "pk", entry) for entry in value}
        if {int(pk) for pk in wanted} != set(getattr(version, name).values_list("pk", flat=True)):
            changed.append(name)
    if citations is not None and [(c.pk, s) for c, s in citations] != _citations_of(version):
        changed.append("citations")
    return changed


def _write(version, fields: dict, relations: dict, citations, *, update_fields=None) -> None:
    """Validate the given fields (all fields for a new version) and save them with links."""
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
    if citations is not None:
        _set_citations(version, citations)


def create_item(item_model: type[ContentItem], by, *, key: str, **fields) -> ContentVersion:
    """Create an item (identified by `key`: slug or NCT ID) with its first draft; return it."""
    version_model = item_model.version_model()
    _require(by, "add", version_model, f"create a {item_model._meta.verbose_name}")
    fields, relations, citations = _prepare(version_model, dict(fields))
    key_field = item_model.KEY_FIELD
    try:
        with transaction.atomic():
            item = item_model(**{key_field: key})
            item.full_clean()
            item.save()
            version = version_model(item=item, author=by, last_edited_by=by)
            _write(version, fields, relations, citations)
            _log(version, by=by, action="created", to_state=S.DRAFT)
    except IntegrityError:  # the same key created at the same moment
        raise ValidationError({key_field: f"{key} already exists."}, code="duplicate_key") from None
    return version


def create_therapy_article(by, slug: str, **fields) -> ContentVersion:
    return create_item(TherapyArticle, by, key=slug, **fields)


def create_combination_entry(by, slug: str, **fields) -> ContentVersion:
    return create_item(CombinationEntry, by, key=slug, **fields)


def create_trial_note(by, nct_id: str, **fields) -> ContentVersion:
    return create_item(TrialNote, by, key=nct_id, **fields)


def new_version(item: ContentItem, by, from_version: ContentVersion | None = None):
    """Start a new draft of `item`, copied from its newest non-discarded version, or from
    `from_version` (that is how a revert works). Returns the draft; it goes through review
    like any other."""
    version_model = item.version_model()
    source = from_version or item.latest
    if source is None:
        raise WorkflowError("This item has no version to start from.", code="no_source")
    if source.item_id != item.pk:
        raise WorkflowError("That version belongs to another item.", code="wrong_item")
    if from_version is not None and from_version.state not in REVERTIBLE_STATES:
        # Only content that was reviewed and published can be brought back: a discarded or
        # unreviewed version would slip someone's unreviewed text past four eyes.
        raise WorkflowError(
            f"Version {from_version.number} was never published "
            f"({from_version.get_state_display().lower()}); only a published, superseded or "
            "unpublished version can be restored.",
            code="not_revertible",
        )
    current = item.in_progress
    if current is not None:
        raise WorkflowError(
            f"Version {current.number} is already in progress "
            f"({current.get_state_display().lower()}): continue with it, or discard it first.",
            code="already_in_progress",
        )
    _require(by, "add", version_model, "start a new version")
    version = version_model(item=item, author=by, last_edited_by=by)
    source.copy_into(version)
    version.change_summary = (
        f"Reverted to version {source.number}." if from_version is not None else ""
    )
    try:
        with transaction.atomic():
            version.save()
            source.copy_relations_into(version)
            _log(
                version,
                by=by,
                action="created",
                to_state=S.DRAFT,
                from_version=source.number,
                revert=from_version is not None,
            )
    except IntegrityError:
        raise WorkflowError(
            "Another version of this item was started at the same moment.",
            code="already_in_progress",
        ) from None
    return version


def edit(version: ContentVersion, by, **fields) -> ContentVersion:
    """Save changes to a draft or changes-requested version as `by`; return it.

    Refuses with `EditConflict` when the version was saved or moved (by anyone, another tab
    of the same user included) after this instance was loaded. Only the fields given are
    validated and written, so an edit never rewrites what the workflow set meanwhile; an
    edit that changes nothing saves nothing and records nothing.
    """
    if version.state not in EDITABLE_STATES:
        raise WorkflowError(
            f"Version {version.number} is {version.get_state_display().lower()} and read-only: "
            "start a new version to change it.",
            code="read_only",
        )
    _require(by, "change", version, "edit this content")
    model = type(version)
    fields, relations, citations = _prepare(model, dict(fields))
    changed = _changes(version, fields, relations, citations)
    if not changed:
        return version
    bookkeeping = ("edit_count", "last_edited_by_id", "updated_at")
    loaded = {name: getattr(version, name) for name in (*fields, *bookkeeping)}
    try:
        with transaction.atomic():
            _claim(version)
            version.edit_count += 1
            version.last_edited_by = by
            version.updated_at = timezone.now()
            written = [name for name in changed if name in fields]
            _write(
                version, {name: fields[name] for name in written},
                {name: value for name, value in relations.items() if name in changed},
                citations if "citations" in changed else None,
                update_fields=[*written, "body_html", "body_text", "last_edited_by",
                               "updated_at", "edit_count"],
            )  # fmt: skip
            _log(version, by=by, action="edited", from_state=version.state,
                 to_state=version.state, fields=changed)  # fmt: skip
    except Exception:
        for name, value in loaded.items():  # the instance stays as loaded: retry is possible
            setattr(version, name, value)
        raise
    return version


def _claim(version: ContentVersion) -> None:
    """Take the right to save `version`: only if nobody saved or moved it since it was
    loaded (same save counter, same state). Raises EditConflict or WorkflowError."""
    model = type(version)
    claimed = model.objects.filter(
        pk=version.pk, edit_count=version.edit_count, state=version.state
    ).update(edit_count=F("edit_count") + 1)
    if claimed:
        return
    fresh = model.objects.select_related("last_edited_by").get(pk=version.pk)
    if fresh.state not in EDITABLE_STATES:
        raise WorkflowError(
            f"Version {version.number} was {fresh.get_state_display().lower()} meanwhile "
            "and is read-only; your changes were not saved.",
            code="read_only",
        )
    who = fresh.last_edited_by.get_username() if fresh.last_edited_by else "someone"
    raise EditConflict(
        f"{who} saved version {version.number} at "
        f"{timezone.localtime(fresh.updated_at):%Y-%m-%d %H:%M} after you opened it"
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
        for field, messages in error.message_dict.items():
            problems.extend(f"{field}: {message}" for message in messages)
    is_combination = version._meta.model_name == "combinationentryversion"
    if is_combination and version.therapies.count() < 2:
        problems.append("therapies: a combination entry combines at least two therapies.")
    return problems


def submit(version: ContentVersion, by, comment: str = "") -> ContentVersion:
    """Send a draft (or a version sent back) to the moderators; return it."""
    _require_state(version, S.IN_REVIEW, "submit")
    _require(by, "submit", version, "submit content for review")
    problems = review_problems(version)
    if problems:
        raise ValidationError(problems, code="not_ready")
    from_state = version.state
    with transaction.atomic():
        _move(version, EDITABLE_STATES, S.IN_REVIEW, "submit", submitted_at=timezone.now())
        _log(version, by=by, action="submitted", from_state=from_state, to_state=S.IN_REVIEW,
             comment=comment)  # fmt: skip
    recipients = moderators_for(type(version)).exclude(pk=by.pk).values_list("email", flat=True)
    _mail(
        f"[Review] {version.title} (version {version.number})",
        f"{by.get_username()} submitted “{version.title}” for review.\n\n"
        f"{version.change_summary}\n\n{comment}\n\nReview it: {_admin_url(version)}",
        recipients,
    )
    return version


def _publish(version: ContentVersion, by, from_states, what: str, **fields) -> None:
    """Publish `version`, superseding the item's live version, in the caller's transaction.

    The old version is superseded before the new one is published, so the partial unique
    index never sees two published rows; readers outside the transaction see the old page
    until it commits, then the new one — never none. If the version was moved by someone
    else meanwhile, `_move` raises and the caller's transaction undoes the supersede. A
    take-down time set on the old version carries over to the new one, unless it has its own.
    """
    model = type(version)
    previous = (
        model.objects.filter(item_id=version.item_id, state=S.PUBLISHED)
        .exclude(pk=version.pk)
        .first()
    )
    superseded = previous is not None and bool(
        model.objects.filter(pk=previous.pk, state=S.PUBLISHED).update(state=S.SUPERSEDED)
    )
    if (
        superseded
        and previous.unpublish_at
        and not fields.get("unpublish_at", version.unpublish_at)
    ):
        fields["unpublish_at"] = previous.unpublish_at
    _move(version, from_states, S.PUBLISHED, what, published_at=timezone.now(), **fields)
    if superseded:
        previous.state = S.SUPERSEDED
        _log(previous, by=by, action="superseded", from_state=S.PUBLISHED,
             to_state=S.SUPERSEDED, by_version=version.number)  # fmt: skip
    _after_publish(version, by, previous if superseded else None)


def _after_unpublish(version: ContentVersion, comment: str) -> None:
    """The changelog and the page cache follow; an unpublished therapy flags the
    combinations and trial notes that link it."""
    catalog.public_change(version)
    catalog.count_conditions(left=[version])
    if isinstance(version, TherapyArticleVersion):
        trust.flag_dependents(
            version.item, reason=f"“{version.title}” was unpublished: {comment}",
            version_number=version.number, change=RecheckFlag.Change.UNPUBLISHED,
        )  # fmt: skip


def _after_publish(version: ContentVersion, by, previous) -> None:
    """The changelog and the page cache follow (the pages linked by the superseded version
    too). Dependent content: a therapy whose class or key agents changed since its last
    published version (the one it supersedes, or the one last taken down) flags the
    combinations and trial notes that link it."""
    catalog.public_change(version, *filter(None, [previous]))
    catalog.count_conditions(went_live=[version], left=filter(None, [previous]))
    if isinstance(version, TherapyArticleVersion):
        baseline = previous or (
            type(version).objects.filter(item_id=version.item_id, published_at__isnull=False)
            .exclude(pk=version.pk)
            .order_by("-number")
            .first()
        )  # fmt: skip
        reason = trust.therapy_change_reason(baseline, version)
        if reason:
            trust.flag_dependents(
                version.item, reason=reason, version_number=version.number,
                previous_number=baseline.number,
            )  # fmt: skip


def _aware(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A naive time is read in the portal's time zone (TIME_ZONE), as the admin form does."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def _check_approver(version: ContentVersion, by) -> None:
    """Who may approve: a moderator for this kind who neither wrote nor edited the version
    (four eyes, superusers included) and whose conflict-of-interest statement is current and
    declares no interest in what the version covers. Raises PermissionDenied saying why."""
    _require(by, "approve", version, "approve content")
    if by.pk in contributors(version):
        raise PermissionDenied(
            "You wrote or edited this version, so someone else must approve it (four eyes)."
        )
    conflicts = trust.coi_problems(version, by)
    if conflicts:
        raise PermissionDenied("You cannot approve this version: " + " ".join(conflicts))


def _check_evidence(version: ContentVersion) -> None:
    """The evidence gate: a ValidationError naming everything the checklist misses."""
    missing = trust.evidence_problems(version)
    if missing:
        raise ValidationError(
            ["This version cannot be approved yet:", *missing], code="evidence_gate"
        )


def _lock_combined_therapies(version: ContentVersion) -> None:
    """In the caller's transaction, lock the live versions of the therapies a combination
    combines, so that a therapy cannot be unpublished between the evidence check and the
    commit: an unpublish waits for the transaction, then flags the combination."""
    if isinstance(version, CombinationEntryVersion):
        list(
            TherapyArticleVersion.objects.select_for_update()
            .filter(item__in=version.therapies.all(), state=S.PUBLISHED)
            .values_list("pk", flat=True)
        )


def approval_refusal(version: ContentVersion, user) -> str | None:
    """Why `user` may not approve `version` (permission, four eyes or conflict of interest),
    or None if they may — for screens that explain a missing Approve button."""
    try:
        _check_approver(version, user)
    except PermissionDenied as refusal:
        return str(refusal)
    return None


def approve(
    version: ContentVersion,
    by,
    comment: str = "",
    publish_at: datetime.datetime | None = None,
    unpublish_at: datetime.datetime | None = None,
) -> ContentVersion:
    """Approve a version in review: publish it now (superseding the live version in the same
    transaction), or — with a future `publish_at` — schedule it. Returns the version.

    Four eyes: nobody approves a version they wrote or edited, superusers included. The
    approver needs a current conflict-of-interest statement declaring no interest in what the
    version covers (PermissionDenied says why), and the version must pass the evidence
    checklist (ValidationError names what is missing).
    """
    now = timezone.now()
    publish_at, unpublish_at = _aware(publish_at), _aware(unpublish_at)
    scheduled = publish_at is not None and publish_at > now
    if version.state != S.IN_REVIEW:  # approved → published is publish_due's move, not this
        _refuse(version, "approve")
    _check_approver(version, by)
    if scheduled or unpublish_at is not None:
        _require(by, "schedule", version, "schedule publication")
    _check_evidence(version)
    if unpublish_at is not None and unpublish_at <= max(publish_at or now, now):
        raise ValidationError(
            {"unpublish_at": "The unpublish time must be after the publish time."},
            code="invalid_schedule",
        )
    # The approver's statement is kept with the version and its date in the audit record.
    statement = trust.coi_snapshot(by)
    review = {"reviewed_by": by, "approved_at": now, "unpublish_at": unpublish_at,
              "reviewer_coi": statement}  # fmt: skip
    # The re-check flags the moderator was shown (those open now); one raised meanwhile stays.
    flags_seen = (
        [] if isinstance(version, TherapyArticleVersion) else trust.open_flag_ids(version.item)
    )
    with transaction.atomic():
        _lock_combined_therapies(version)
        _check_evidence(version)  # again, now that nothing it reads can change under it
        if scheduled:
            _move(version, [S.IN_REVIEW], S.APPROVED, "approve", publish_at=publish_at, **review)
        else:
            _publish(version, by, [S.IN_REVIEW], "approve", publish_at=None, **review)
        if flags_seen:
            trust.clear_flags(version.item, by, ids=flags_seen, version_number=version.number,
                              comment=f"Version {version.number} was approved.")  # fmt: skip
        _log(
            version, by=by, action="approved", from_state=S.IN_REVIEW, to_state=version.state,
            comment=comment, publish_at=publish_at.isoformat() if scheduled else None,
            unpublish_at=unpublish_at.isoformat() if unpublish_at else None,
            coi_statement=statement["declared_on"] if statement else None,
        )  # fmt: skip
    when = (
        f"It will be published on {publish_at:%Y-%m-%d %H:%M %Z}."
        if scheduled
        else ("It is now live.")
    )
    _mail(
        f"[Approved] {version.title} (version {version.number})",
        f"{by.get_username()} approved your version {version.number} of “{version.title}”. "
        f"{when}\n\n{comment}\n\n{_admin_url(version)}",
        [version.author.email],
    )
    return version


def request_changes(version: ContentVersion, by, comment: str) -> ContentVersion:
    """Send a version in review back to its author with the moderator's comment."""
    _require_state(version, S.CHANGES_REQUESTED, "request changes to")
    _require(by, "request_changes", version, "request changes")
    comment = _require_comment(comment, "request changes")
    with transaction.atomic():
        _move(version, [S.IN_REVIEW], S.CHANGES_REQUESTED, "request changes to",
              review_comment=comment)  # fmt: skip
        _log(version, by=by, action="changes_requested", from_state=S.IN_REVIEW,
             to_state=S.CHANGES_REQUESTED, comment=comment)  # fmt: skip
    _mail(
        f"[Changes requested] {version.title} (version {version.number})",
        f"{by.get_username()} sent version {version.number} of “{version.title}” back:\n\n"
        f"{comment}\n\nEdit it: {_admin_url(version)}",
        [version.author.email],
    )
    return version


def discard(version: ContentVersion, by, comment: str = "") -> ContentVersion:
    """Discard a draft or a version sent back; a moderator may also discard an approved,
    scheduled version, which cancels its schedule. The version stays in history."""
    _require_state(version, S.DISCARDED, "discard")
    if version.state == S.APPROVED:
        _require(by, "approve", version, "cancel a scheduled publication")
    else:
        _require(by, "discard", version, "discard a draft")
    from_state = version.state
    with transaction.atomic():
        _move(version, [from_state], S.DISCARDED, "discard")
        _log(version, by=by, action="discarded", from_state=from_state, to_state=S.DISCARDED,
             comment=comment)  # fmt: skip
        if from_state == S.APPROVED:
            trust.reopen_flags(version.item, version.number)
    return version


def unpublish(item: ContentItem, by, comment: str) -> ContentVersion:
    """Take an item off the public site; its history is kept. A version approved and
    scheduled for publication is discarded with it, so the item cannot come back online by
    itself. Returns the unpublished version."""
    version = item.versions.filter(state=S.PUBLISHED).first()
    if version is None:
        raise WorkflowError(f"“{item}” is not published.", code="not_published")
    _require(by, "unpublish", version, "unpublish content")
    comment = _require_comment(comment, "unpublish")
    with transaction.atomic():
        _move(version, [S.PUBLISHED], S.UNPUBLISHED, "unpublish")
        _log(version, by=by, action="unpublished", from_state=S.PUBLISHED,
             to_state=S.UNPUBLISHED, comment=comment)  # fmt: skip
        _after_unpublish(version, comment)
        for scheduled in item.versions.filter(state=S.APPROVED):
            _move(scheduled, [S.APPROVED], S.DISCARDED, "cancel the schedule of")
            _log(scheduled, by=by, action="discarded", from_state=S.APPROVED,
                 to_state=S.DISCARDED, comment=f"Schedule cancelled: the item was "
                 f"unpublished ({comment})")  # fmt: skip
            trust.reopen_flags(item, scheduled.number)
    return version


def mark_correction(version: ContentVersion, by, note: str) -> ContentVersion:
    """Mark a published version as corrected, with a short public note ("Corrected on
    <date>: <note>"), e.g. after a factual error was fixed in it by a new version."""
    if version.state != S.PUBLISHED:
        _refuse(version, "mark as corrected")
    _require(by, "correct", version, "mark content as corrected")
    note = _require_comment(note, "mark a correction")
    if len(note) > 300:
        raise ValidationError({"comment": "Keep the public note under 300 characters."})
    with transaction.atomic():
        now = timezone.now()
        _move(version, [S.PUBLISHED], S.PUBLISHED, "mark as corrected", corrected_at=now,
              correction_note=note)  # fmt: skip
        _log(version, by=by, action="corrected", from_state=S.PUBLISHED,
             to_state=S.PUBLISHED, comment=note)  # fmt: skip
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
    _log(version, by=None, action="publication_held", from_state=S.APPROVED,
         to_state=S.APPROVED, comment="; ".join(missing))  # fmt: skip
    _mail(
        f"[Not published] {version.title} (version {version.number})",
        f"Version {version.number} of “{version.title}” was due to be published but no longer "
        "passes the evidence checklist:\n\n"
        + "\n".join(f"- {m}" for m in missing)
        + "\n\nIt stays scheduled until it passes; cancel it (Discard) to start a new "
        f"version.\n\n{_admin_url(version)}",
        [version.reviewed_by.email if version.reviewed_by else "", version.author.email],
    )


def publish_due(now: datetime.datetime | None = None) -> list[ContentVersion]:
    """Publish every approved version whose time has come, and unpublish every published
    version whose unpublish time has passed. Returns the versions it published.

    Idempotent and safe to run concurrently: each move is a conditional UPDATE, so a version
    already handled by another run is skipped.
    """
    now = _aware(now) or timezone.now()
    published = []
    for item_model in CONTENT_KINDS.values():
        version_model = item_model.version_model()
        due = version_model.objects.filter(state=S.APPROVED, publish_at__lte=now)
        for version in due.select_related("item").order_by("publish_at", "pk"):
            try:
                with transaction.atomic():
                    _lock_combined_therapies(version)
                    if missing := trust.evidence_problems(version):
                        raise _HeldBack(missing)
                    _publish(version, None, [S.APPROVED], "publish")
                    _log(
                        version,
                        by=None,
                        action="published",
                        from_state=S.APPROVED,
                        to_state=S.PUBLISHED,
                        scheduled_for=version.publish_at.isoformat(),
                    )
            except _HeldBack as held:
                # E.g. a combined therapy was unpublished after approval: stay scheduled,
                # unpublished, until a moderator decides (the re-check flag says why).
                _hold_back(version, held.missing)
                continue
            except WorkflowError:
                continue  # another run got there first
            published.append(version)
        expired = version_model.objects.filter(state=S.PUBLISHED, unpublish_at__lte=now)
        for version in expired.select_related("item"):
            try:
                with transaction.atomic():
                    _move(version, [S.PUBLISHED], S.UNPUBLISHED, "unpublish")
                    _log(
                        version,
                        by=None,
                        action="unpublished",
                        from_state=S.PUBLISHED,
                        to_state=S.UNPUBLISHED,
                        comment="Scheduled unpublication.",
                    )
                    _after_unpublish(version, "scheduled unpublication")
            except WorkflowError:
                continue
    return published


# ---------------------------------------------------------------------------------------------
# What a user may do now (for showing buttons; every function above re-checks on its own)
# ---------------------------------------------------------------------------------------------


def allowed_actions(version: ContentVersion, user, *, item_busy: bool | None = None) -> set[str]:
    """The moves `user` may make on `version` right now: a subset of edit, submit, approve,
    schedule, request_changes, discard, unpublish and revert.

    Mirrors the checks in the transition functions, so a button is shown exactly when
    pressing it would succeed (apart from validation of what is typed). `item_busy` — whether
    the item has a version in progress — may be passed by a caller that already knows it.
    """
    actions = set()
    state = version.state
    if state in EDITABLE_STATES:
        actions |= {
            name for name, perm in [("edit", "change"), ("submit", "submit"),
                                    ("discard", "discard")]
            if can(user, perm, version)
        }  # fmt: skip
    elif state == S.IN_REVIEW:
        if approval_refusal(version, user) is None:
            actions.add("approve")
            if can(user, "schedule", version):
                actions.add("schedule")
        if can(user, "request_changes", version):
            actions.add("request_changes")
    elif state == S.APPROVED and can(user, "approve", version):
        actions.add("discard")
    elif state == S.PUBLISHED:
        actions |= {name for name in ("unpublish", "correct") if can(user, name, version)}
    if state in REVERTIBLE_STATES and can(user, "add", version):
        if item_busy is None:
            item_busy = version.item.in_progress is not None
        if not item_busy:
            actions.add("revert")
    return actions


def allowed_item_actions(item: ContentItem, user) -> set[str]:
    """Item-level moves `user` may make now: new_version and/or unpublish."""
    actions = set()
    version_model = item.version_model()
    if item.latest is not None and item.in_progress is None and can(user, "add", version_model):
        actions.add("new_version")
    if item.published is not None and can(user, "unpublish", version_model):
        actions.add("unpublish")
    return actions


def review_queue(user) -> dict[str, list[ContentVersion]]:
    """What waits for `user`: `to_review` — versions in review of the kinds they may approve,
    oldest submission first; `mine` — their own drafts and versions sent back to them."""
    to_review, mine = [], []
    for item_model in CONTENT_KINDS.values():
        versions = item_model.version_model().objects.select_related("item", "author")
        if can(user, "approve", item_model.version_model()):
            to_review += versions.filter(state=S.IN_REVIEW)
        mine += versions.filter(author_id=user.pk, state__in=EDITABLE_STATES)
    to_review.sort(key=lambda v: (v.submitted_at or v.updated_at, v.pk))
    mine.sort(key=lambda v: (v.state != S.CHANGES_REQUESTED, -v.updated_at.timestamp()))
    return {"to_review": to_review, "mine": mine}
