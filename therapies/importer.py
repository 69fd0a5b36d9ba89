"""The ClinicalTrials.gov import: registry records become trial-note drafts, through the
workflow and never around it (`import_ctgov` and `sync_ctgov` call `run`).

For each record, in its own transaction, so that nothing is ever half-written:

- a new NCT ID gets a new trial note with a draft version;
- a changed record gets a new draft (registry fields updated, the editors' text kept, the
  change summary naming each changed field old → new, dated with the registry's last
  update); the published page stays as it is until a moderator approves;
- a draft or changes-requested version in progress gets its registry fields updated
  (audited as an edit, and its author is told); a version in review or scheduled is not
  touched: the note gets a "registry changed" flag and the next run tries again;
- an unchanged record writes nothing to the content (the record's "checked" time moves).

A changed record flags what rests on the trial (items citing its NCT ID, listing it as a key
trial or linked from its note); a stopped trial, results first posted, an enrollment moved
by more than 10 % or a moved primary completion date make the flags urgent. Moderators get
one digest mail per run. The import has its own account, which can never approve.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from therapies import notifications, registry, trust, workflow
from therapies.ctgov import RecordError, RegistryRecord, parse
from therapies.models import (
    CHANGE_SUMMARY_MAX_LENGTH,
    Citation,
    OverallStatus,
    RegistrySnapshot,
    StudyType,
    TherapyArticle,
    TrialNote,
    TrialNoteVersion,
    TrialPhase,
)
from therapies.permissions import IMPORT_USERNAME, permission

# Records handled per batch: their snapshots and notes are read in one query each.
BATCH = 200
TITLE_MAX = TrialNoteVersion._meta.get_field("title").max_length
SUMMARY_MAX = TrialNoteVersion._meta.get_field("summary").max_length
PLACEHOLDER_BODY = (
    "Imported from the ClinicalTrials.gov record {nct_id}. The editors' note on this trial "
    "is not written yet."
)


def import_user():
    """The import's own account ("ClinicalTrials.gov import"): it may add and change trial
    notes, and nothing else (`permissions.can` refuses it every decision, whatever it is
    given). It cannot sign in."""
    user, created = get_user_model()._default_manager.get_or_create(
        username=IMPORT_USERNAME,
        defaults={"first_name": "ClinicalTrials.gov", "last_name": "import"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    wanted = {permission(TrialNoteVersion, action) for action in ("add", "change", "view")}
    if not all(user.has_perm(name) for name in wanted):
        user.user_permissions.add(*Permission.objects.filter(
            content_type__app_label="therapies",
            codename__in=[name.split(".", 1)[1] for name in wanted],
        ))  # fmt: skip
        user = get_user_model()._default_manager.get(pk=user.pk)  # fresh permission cache
    return user


@dataclass
class Change:
    """What a run did to one trial, for the digest and the command's report."""

    nct_id: str
    outcome: str  # created, updated, flagged
    lines: list[str] = field(default_factory=list)
    urgent: list[str] = field(default_factory=list)
    dependents: int = 0
    url: str = ""  # the note in the admin


@dataclass
class Result:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0
    failed: int = 0
    errors: list[RecordError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.flagged} flagged, {self.failed} failed")  # fmt: skip


class _Run:
    def __init__(self, *, now: datetime.datetime):
        self.now = now
        self.user = import_user()
        self.result = Result()
        self._agents: dict[str, tuple[int, str]] | None = None
        self.created = None  # the note the last record created
        self.seen: dict[str, str] = {}  # NCT ID → registry last update, met in this run

    # -- therapies by key agent ------------------------------------------------------------

    @property
    def agents(self) -> dict[str, tuple[int, str]]:
        """Lower-cased key agent → (pk, slug) of the published therapy article naming it
        (read once per run)."""
        if self._agents is None:
            self._agents = {}
            for article in TherapyArticle.objects.published():
                for agent in article.published.key_agents:
                    self._agents.setdefault(agent.strip().lower(), (article.pk, article.slug))
        return self._agents

    def matches(self, record: RegistryRecord) -> dict[int, str]:
        """Published therapy articles whose key agent names an intervention (by its name or
        one of its other names, case-insensitive): therapy pk → what matched."""
        found = {}
        for intervention in record.interventions:
            for name in (intervention.name, *intervention.other_names):
                pk, slug = self.agents.get(name.strip().lower(), (None, ""))
                if pk is not None and pk not in found:
                    found[pk] = f"{slug} (key agent {name}, intervention {intervention.label})"
        return found

    # -- one record --------------------------------------------------------------------------

    def take(self, record: RegistryRecord, snapshot, item) -> str:
        facts = record.facts()
        if (
            snapshot is not None
            and not snapshot.pending
            and (snapshot.facts == facts or _older(record, snapshot))
        ):
            return "unchanged"
        fields = registry.version_fields(record)
        if item is None:
            self._create(record, fields, facts)
            self._keep(snapshot, record, facts, pending=False)
            return "created"
        version = item.in_progress
        base = version or item.published or item.latest
        before = registry.fields_of(base) if base is not None else {}
        lines = registry.change_lines(before, fields)
        links = self.matches(record)
        linked = set(base.therapies.values_list("pk", flat=True)) if base is not None else set()
        new_links = {pk: what for pk, what in links.items() if pk not in linked}
        if not lines and not new_links:  # e.g. only an intervention's other names
            self._keep(snapshot, record, facts, pending=False)
            return "unchanged"
        urgent = registry.urgent_reasons(before, fields)
        change = Change(record.nct_id, "", lines, urgent, url=_admin_url(item))
        if version is not None and version.state not in workflow.EDITING:
            change.outcome = "flagged"
            self._flag(item, record, change)
            self._keep(snapshot, record, facts, pending=True)
            self.result.changes.append(change)
            return "flagged"
        summary_lines = lines + [f"Linked therapy: {what}" for what in new_links.values()]
        update = {name: value for name, value in fields.items() if before.get(name) != value}
        update["registry_record"] = facts
        if new_links:
            update["therapies"] = [*linked, *new_links]
        if version is None:
            version = workflow.new_version(item, by=self.user)
            update["change_summary"] = registry.change_summary(
                summary_lines, fields["registry_last_update"]
            )
            update["registry_difference"] = ""
        else:
            note = registry.change_summary(summary_lines, fields["registry_last_update"])
            update["change_summary"] = _appended(version.change_summary, note)
        author = version.author
        workflow.edit(version, by=self.user, **update)
        if author.pk != self.user.pk and author.email:
            notifications.send("registry_updated", [author.email], version=version,
                               lines=summary_lines, nct_id=record.nct_id)  # fmt: skip
        change.outcome = "updated"
        self._flag(item, record, change, applied_to=version)
        self._keep(snapshot, record, facts, pending=False)
        self.result.changes.append(change)
        return "updated"

    def _create(self, record: RegistryRecord, fields: dict, facts: dict) -> None:
        links = self.matches(record)
        lines = [f"Linked therapy: {what}" for what in links.values()]
        dated = fields["registry_last_update"] or "unknown date"
        summary = _cut(
            " ".join(
                [
                    f"Imported from ClinicalTrials.gov (registry update of {dated}).",
                    *(f"{line}." for line in lines),
                ]
            ),
            CHANGE_SUMMARY_MAX_LENGTH,
        )
        version = workflow.create_item(
            TrialNote, by=self.user, key=record.nct_id,
            title=_cut(record.brief_title or record.official_title or record.nct_id, TITLE_MAX),
            summary=_cut(_summary(record), SUMMARY_MAX),
            body=PLACEHOLDER_BODY.format(nct_id=record.nct_id),
            change_summary=summary, registry_record=facts, therapies=list(links),
            citations=[{"kind": Citation.Kind.NCT, "value": record.nct_id,
                        "label": _cut(record.brief_title, 300)}],
            **fields,
        )  # fmt: skip
        self.created = version.item
        self.result.changes.append(
            Change(record.nct_id, "created", lines, url=_admin_url(version.item))
        )

    def _flag(self, item, record: RegistryRecord, change: Change, *, applied_to=None) -> None:
        """Flag what rests on the trial, and the trial note itself: approving the version
        that takes the change in (`applied_to`, or the next one) clears its own flag."""
        what = "; ".join(change.lines) or "registry facts changed"
        reason = (f"ClinicalTrials.gov record {record.nct_id} changed (registry update of "
                  f"{record.last_update or 'unknown date'}): {what}")  # fmt: skip
        if change.urgent:
            reason = f"Urgent — {', '.join(change.urgent)}. {reason}"
        last_update = registry.version_fields(record)["registry_last_update"]
        dependents = trust.registry_dependents(item)
        trust.flag_registry_change(item, reason=_cut(reason, 300), urgent=bool(change.urgent),
                                   last_update=last_update, items=dependents)  # fmt: skip
        own = (f"Written into draft version {applied_to.number}: " if applied_to is not None
               else "Not applied yet, a version is in review or scheduled: ")  # fmt: skip
        trust.flag_registry_change(item, reason=_cut(own + reason, 300),
                                   urgent=bool(change.urgent), last_update=last_update,
                                   items=[item])  # fmt: skip
        change.dependents = len(dependents)

    def _keep(self, snapshot, record: RegistryRecord, facts: dict, *, pending: bool) -> None:
        last_update = registry.version_fields(record)["registry_last_update"]
        if snapshot is None:
            RegistrySnapshot.objects.create(
                nct_id=record.nct_id, facts=facts, last_update=last_update,
                first_imported_at=self.now, changed_at=self.now, checked_at=self.now,
                pending=pending,
            )  # fmt: skip
            return
        changed = snapshot.facts != facts
        RegistrySnapshot.objects.filter(pk=snapshot.pk).update(
            facts=facts, last_update=last_update, checked_at=self.now, pending=pending,
            **({"changed_at": self.now} if changed else {}),
        )  # fmt: skip

    # -- a batch -------------------------------------------------------------------------------

    def batch(self, parsed: list[RegistryRecord], on_each: Callable[[], None]) -> None:
        ids = [record.nct_id for record in parsed]
        snapshots = {s.nct_id: s for s in RegistrySnapshot.objects.filter(nct_id__in=ids)}
        notes = {note.nct_id: note for note in TrialNote.objects.filter(nct_id__in=ids)}
        seen = []
        for record in parsed:
            if record.nct_id in self.seen and record.last_update <= self.seen[record.nct_id]:
                # Met before in this run (a bulk download and a page both hold it): the
                # first of equal age is taken, so that a re-run reaches the same result.
                self.result.unchanged += 1
                on_each()
                continue
            self.seen[record.nct_id] = record.last_update
            try:
                with transaction.atomic():
                    outcome = self.take(record, snapshots.get(record.nct_id),
                                        notes.get(record.nct_id))  # fmt: skip
            except Exception as error:  # one record's failure never stops the others
                self.fail(RecordError(_reason(error), nct_id=record.nct_id))
            else:
                setattr(self.result, outcome, getattr(self.result, outcome) + 1)
                if outcome == "unchanged" and record.nct_id in snapshots:
                    seen.append(snapshots[record.nct_id].pk)
                # the same NCT ID again later in the run sees what this one wrote
                snapshots.pop(record.nct_id, None)
                if outcome == "created":
                    notes[record.nct_id] = self.created
            on_each()
        if seen:
            RegistrySnapshot.objects.filter(pk__in=seen).update(checked_at=self.now)

    def fail(self, error: RecordError) -> None:
        self.result.failed += 1
        self.result.errors.append(error)


def run(items: Iterable[tuple[str, dict | RecordError]], *, on_error=None, on_each=None,
        now: datetime.datetime | None = None) -> Result:  # fmt: skip
    """Import the records `items` ((where, study) pairs, as `ctgov.read` yields them) and
    send the moderators' digest. `on_error(RecordError)` hears of each failed record as it
    happens, `on_each()` of each record handled."""
    state = _Run(now=now or timezone.now())
    on_each = on_each or (lambda: None)
    pending: list[RegistryRecord] = []
    where_of: dict[str, str] = {}

    def flush():
        errors_before = len(state.result.errors)
        state.batch(pending, on_each)
        for error in state.result.errors[errors_before:]:
            error.where = where_of.get(error.nct_id, error.where)
            if on_error:
                on_error(error)
        pending.clear()
        where_of.clear()

    for where, study in items:
        if isinstance(study, RecordError):
            state.fail(study)
            if on_error:
                on_error(study)
            on_each()
            continue
        try:
            record = parse(study)
        except RecordError as error:
            error.where = where
            state.fail(error)
            if on_error:
                on_error(error)
            on_each()
            continue
        if record.nct_id in where_of:  # twice in one batch: the later one in the next batch
            flush()
        pending.append(record)
        where_of[record.nct_id] = where
        if len(pending) >= BATCH:
            flush()
    if pending:
        flush()
    _send_digest(state.result)
    return state.result


def _send_digest(result: Result) -> None:
    if not result.changes and not result.failed:
        return
    changes = sorted(result.changes, key=lambda change: (not change.urgent, change.nct_id))
    moderators = workflow.moderators_for(TrialNoteVersion).values_list("email", flat=True)
    notifications.send(
        "registry_digest", moderators, bcc=True, result=result, changes=changes,
        urgent=[change for change in changes if change.urgent],
    )  # fmt: skip


# --- small helpers ------------------------------------------------------------------------------


def _cut(text: str, limit: int) -> str:
    """`text` shortened to `limit` characters at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _summary(record: RegistryRecord) -> str:
    """A one-line summary of the registry facts, until an editor writes one."""
    parts = []
    if record.phase and record.phase != TrialPhase.NA:
        parts.append(TrialPhase(record.phase).label)
    if record.study_type:
        parts.append(StudyType(record.study_type).label.lower())
    what = " ".join(parts).capitalize() or "A"
    text = f"{what} study registered as {record.nct_id}"
    if record.conditions:
        text += f" in {', '.join(record.conditions[:3])}"
    if record.lead_sponsor:
        text += f", sponsored by {record.lead_sponsor}"
    if record.overall_status:
        text += f"; {OverallStatus(record.overall_status).label.lower()}"
    return text + ". Registry facts only: the editors' summary is not written yet."


def _appended(current: str, note: str) -> str:
    text = f"{current.rstrip()} {note}".strip() if current else note
    return text if len(text) <= CHANGE_SUMMARY_MAX_LENGTH else note


def _older(record: RegistryRecord, snapshot) -> bool:
    """The record is older than the one imported last (a stale copy): never go back."""
    return bool(record.last_update and snapshot.last_update
                and record.last_update < snapshot.last_update.isoformat())  # fmt: skip


def _admin_url(item) -> str:
    return f"{settings.SITE_URL}{item.get_admin_url()}"


def _reason(error: Exception) -> str:
    messages = getattr(error, "messages", None)
    return "; ".join(messages) if messages else str(error) or type(error).__name__
