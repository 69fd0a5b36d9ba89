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
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from therapies import notifications, pagecache, registry, trust, workflow
from therapies.ctgov import Client, RecordError, RegistryRecord, parse
from therapies.models import (
    CHANGE_SUMMARY_MAX_LENGTH,
    Citation,
    OverallStatus,
    RegistrySnapshot,
    RegistrySync,
    StudyType,
    TherapyArticle,
    TrialNote,
    TrialNoteVersion,
    TrialPhase,
)
from therapies.permissions import IMPORT_USERNAME, permission

# The changes a digest lists one by one (urgent first); a first import of thousands is counted.
DIGEST_LIMIT = 200
# Records handled per batch: their snapshots and notes are read in one query each.
BATCH = 200
TITLE_MAX = TrialNoteVersion._meta.get_field("title").max_length
SUMMARY_MAX = TrialNoteVersion._meta.get_field("summary").max_length
# The registry dates a record's last update in US Eastern time; a sync that began on day D
# (UTC) can miss a record it dates D - 1. A day of overlap costs only no-op re-imports.
SYNC_OVERLAP = datetime.timedelta(days=1)


def import_user():
    """The import's own account ("ClinicalTrials.gov import"): it may add and change trial
    notes, and nothing else (`permissions.can` refuses it every decision, whatever it is
    given). It cannot sign in."""
    user, created = get_user_model()._default_manager.get_or_create(
        username=IMPORT_USERNAME,
        defaults={"first_name": "ClinicalTrials.gov", "last_name": "import"},
    )
    if created or user.has_usable_password() or user.is_staff:
        user.set_unusable_password()  # it never signs in, to the admin or anywhere
        user.is_staff = False
        user.save(update_fields=["password", "is_staff"])
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
    # The input broke off (the registry stopped answering, a file could not be read): why.
    aborted: str = ""

    def summary(self) -> str:
        return (f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.flagged} flagged, {self.failed} failed")  # fmt: skip


class _Run:
    def __init__(self, *, now: datetime.datetime, on_error=None):
        self.now = now
        self.on_error = on_error
        self.where_of: dict[str, str] = {}  # NCT ID → where its record was read
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

    def take(self, record: RegistryRecord, snapshot, item) -> tuple[str, Change | None]:
        """Import one record (inside its own transaction): the outcome, and what to report."""
        previous = RegistryRecord.from_facts(snapshot.facts) if snapshot is not None else None
        record = record.merged(previous)  # a partial record never blanks what is known
        facts = record.facts()
        if snapshot is not None and (
            _older(record, snapshot) or (snapshot.facts == facts and not snapshot.pending)
        ):
            return "unchanged", None
        fields = registry.version_fields(record)
        if item is None:
            return "created", self._create(record, fields, facts, snapshot)
        version = item.in_progress
        base = version or item.published or item.latest
        if base is None:  # every version was discarded: start over from the record
            return "created", self._create(record, fields, facts, snapshot, item=item)
        # What the registry changed: against the facts last applied, or — the first import
        # of a note typed by hand — against the note itself.
        if snapshot is not None and snapshot.applied_facts is not None:
            before = registry.version_fields(RegistryRecord.from_facts(snapshot.applied_facts))
        else:
            before = registry.fields_of(base)
        names = registry.changed_fields(before, fields)
        lines = registry.change_lines(before, fields)
        links = self.matches(record)
        linked = set(base.therapies.values_list("pk", flat=True))
        new_links = {pk: what for pk, what in links.items() if pk not in linked}
        update = {name: fields[name] for name in names if getattr(base, name) != fields[name]}
        newly_seen = snapshot is None or snapshot.facts != facts
        if not update and not new_links:  # the note already says it
            self._keep(snapshot, record, facts, applied=True)
            return "unchanged", None
        change = Change(record.nct_id, "", lines, registry.urgent_reasons(before, fields),
                        url=_admin_url(item))  # fmt: skip
        if version is not None and version.state not in workflow.EDITING:
            change.outcome = "flagged"
            self._flag(item, record, change, dependents=newly_seen)
            self._keep(snapshot, record, facts, applied=False)
            return "flagged", change
        summary_lines = lines + [f"Linked therapy: {what}" for what in new_links.values()]
        update["registry_record"] = facts
        if new_links:
            update["therapies"] = [*linked, *new_links]
        note = registry.change_summary(summary_lines, fields["registry_last_update"])
        if version is None:
            version = workflow.new_version(item, by=self.user)
            update["change_summary"] = note
        else:
            update["change_summary"] = _appended(version.change_summary, note)
        if version.registry_difference and not registry.disagreements_with(
            {**registry.fields_of(version), **update}, fields
        ):
            update["registry_difference"] = ""  # nothing differs any more
        author = version.author
        workflow.edit(version, by=self.user, **update)
        if author.pk != self.user.pk and author.email:
            notifications.send("registry_updated", [author.email], version=version,
                               lines=summary_lines, nct_id=record.nct_id)  # fmt: skip
        change.outcome = "updated"
        change.lines = summary_lines
        self._flag(item, record, change, dependents=newly_seen, applied_to=version)
        self._keep(snapshot, record, facts, applied=True)
        return "updated", change

    def _create(self, record, fields: dict, facts: dict, snapshot, *, item=None) -> Change:
        """A new note with a draft (or, for a note whose versions were all discarded, a new
        draft of it): the registry facts, the brief title, a summary of the facts and a
        placeholder body that cannot go to review until an editor writes the note."""
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
        content = dict(
            title=_cut(record.brief_title or record.official_title or record.nct_id, TITLE_MAX),
            summary=_cut(_summary(record), SUMMARY_MAX),
            body=registry.PLACEHOLDER_BODY.format(nct_id=record.nct_id),
            change_summary=summary, registry_record=facts, therapies=list(links),
            citations=[{"kind": Citation.Kind.NCT, "value": record.nct_id,
                        "label": _cut(record.brief_title, 300)}],
            **fields,
        )  # fmt: skip
        if item is None:
            version = workflow.create_item(TrialNote, by=self.user, key=record.nct_id, **content)
        else:
            version = workflow.start_over(item, by=self.user, **content)
        self.created = version.item
        self._keep(snapshot, record, facts, applied=True)
        return Change(record.nct_id, "created", lines, url=_admin_url(version.item))

    def _flag(self, item, record: RegistryRecord, change: Change, *, dependents: bool,
              applied_to=None) -> None:  # fmt: skip
        """Flag what rests on the trial (once per registry change: not again when a change
        held back is retried) and the trial note itself: approving the version that takes
        the change in (`applied_to`, or the next one) clears its own flag."""
        what = "; ".join(change.lines) or "registry facts changed"
        reason = (f"ClinicalTrials.gov record {record.nct_id} changed (registry update of "
                  f"{record.last_update or 'unknown date'}): {what}")  # fmt: skip
        if change.urgent:
            reason = f"Urgent — {', '.join(change.urgent)}. {reason}"
        last_update = record.updated_on
        if dependents:
            items = trust.registry_dependents(item)
            trust.flag_registry_change(item, reason=_cut(reason, 300), urgent=bool(change.urgent),
                                       last_update=last_update, items=items)  # fmt: skip
            change.dependents = len(items)
        own = (f"Written into draft version {applied_to.number}: " if applied_to is not None
               else "Not applied yet, a version is in review or scheduled: ")  # fmt: skip
        trust.flag_registry_change(item, reason=_cut(own + reason, 300),
                                   urgent=bool(change.urgent), last_update=last_update,
                                   items=[item])  # fmt: skip

    def _keep(self, snapshot, record: RegistryRecord, facts: dict, *, applied: bool) -> None:
        """Store the record as the latest import (and, if it was written into a version or
        found there, as the facts last applied)."""
        last_update = record.updated_on
        if snapshot is None:
            RegistrySnapshot.objects.create(
                nct_id=record.nct_id, facts=facts, last_update=last_update,
                first_imported_at=self.now, changed_at=self.now, checked_at=self.now,
                pending=not applied, applied_facts=facts if applied else None,
            )  # fmt: skip
            return
        changed = snapshot.facts != facts
        RegistrySnapshot.objects.filter(pk=snapshot.pk).update(
            facts=facts, last_update=last_update, checked_at=self.now, pending=not applied,
            **({"applied_facts": facts} if applied else {}),
            **({"changed_at": self.now} if changed else {}),
        )  # fmt: skip

    # -- a batch -------------------------------------------------------------------------------

    def batch(self, parsed: list[RegistryRecord], on_each: Callable[[], None]) -> None:
        ids = [record.nct_id for record in parsed]
        snapshots = {s.nct_id: s for s in RegistrySnapshot.objects.filter(nct_id__in=ids)}
        notes = {note.nct_id: note for note in TrialNote.objects.filter(nct_id__in=ids)}
        checked = []  # snapshots of unchanged records: their "checked" time moves
        for record in parsed:
            if record.nct_id in self.seen and record.last_update <= self.seen[record.nct_id]:
                # Met before in this run (a bulk download and a page both hold it): the
                # first of equal age is taken, so that a re-run reaches the same result.
                self.result.unchanged += 1
                on_each()
                continue
            try:
                with transaction.atomic():
                    outcome, change = self.take(record, snapshots.get(record.nct_id),
                                                notes.get(record.nct_id))  # fmt: skip
            except Exception as error:  # one record's failure never stops the others
                self.fail(RecordError(_reason(error), nct_id=record.nct_id,
                                      where=self.where_of.get(record.nct_id, "")))  # fmt: skip
            else:
                self.seen[record.nct_id] = record.last_update
                setattr(self.result, outcome, getattr(self.result, outcome) + 1)
                if change is not None:  # reported once its transaction has committed
                    self.result.changes.append(change)
                if outcome == "unchanged" and record.nct_id in snapshots:
                    checked.append(snapshots[record.nct_id].pk)
                if outcome == "created":
                    notes[record.nct_id] = self.created
            on_each()
        if checked:
            RegistrySnapshot.objects.filter(pk__in=checked).update(checked_at=self.now)
        # A trial page says when its record was last checked and whether a newer registry
        # update waits for review: make the cached pages of what this batch read stale.
        pagecache.bump(pagecache.item_scope("trial", nct_id) for nct_id in ids
                       if nct_id in self.seen)  # fmt: skip

    def retry_pending(self, on_each: Callable[[], None]) -> None:
        """Changes held back because a version was in review or scheduled, whose records
        this run did not bring: tried again from the stored record."""
        pending = RegistrySnapshot.objects.filter(pending=True).exclude(nct_id__in=self.seen)
        for snapshot in pending.iterator():
            self.where_of[snapshot.nct_id] = "the change held back from an earlier import"
            self.batch([RegistryRecord.from_facts(snapshot.facts)], on_each)

    def fail(self, error: RecordError) -> None:
        """Count a record that could not be imported, and tell `on_error` at once."""
        self.result.failed += 1
        self.result.errors.append(error)
        if self.on_error:
            self.on_error(error)


def run(items: Iterable[tuple[str, dict | RecordError]], *, on_error=None, on_each=None,
        now: datetime.datetime | None = None) -> Result:  # fmt: skip
    """Import the records `items` ((where, study) pairs, as `ctgov.read` yields them) and
    send the moderators' digest. `on_error(RecordError)` hears of each failed record as it
    happens, `on_each()` of each record handled."""
    state = _Run(now=now or timezone.now(), on_error=on_error)
    on_each = on_each or (lambda: None)
    pending: dict[str, RegistryRecord] = {}  # the batch being gathered, by NCT ID

    def flush():
        state.batch(list(pending.values()), on_each)
        pending.clear()

    try:
        for where, study in items:
            try:
                if isinstance(study, RecordError):
                    raise study
                record = parse(study)
            except RecordError as error:
                error.where = error.where or where
                state.fail(error)
                on_each()
                continue
            if record.nct_id in pending:  # twice in one batch: the later in the next batch
                flush()
            pending[record.nct_id] = record
            state.where_of[record.nct_id] = where
            if len(pending) >= BATCH:
                flush()
    except Exception as error:  # the input broke off: keep what was read, and say so
        state.result.aborted = str(error) or type(error).__name__
    finally:
        # Even when the input breaks off (the registry stopped answering), what was read
        # is imported and the moderators hear of it.
        if pending:
            flush()
        state.retry_pending(on_each)
        _send_digest(state.result)
    return state.result


def since_last_sync(query: str, condition: str) -> datetime.date | None:
    """Where `sync_ctgov --since last` starts: a day before the last complete sync of the same
    search began, or None (everything) if there was none. A run that failed a record, broke
    off or stopped at `--max` is not complete, so what it missed is fetched again."""
    last = RegistrySync.objects.filter(query=query, condition=condition, complete=True).first()
    return (last.started_at - SYNC_OVERLAP).date() if last else None


def sync(
    client: Client, *, query: str = "", condition: str = "",
    since: datetime.date | str | None = None, limit: int | None = None, page_size: int = 100,
    on_error=None, on_each=None,
) -> tuple[Result, RegistrySync]:  # fmt: skip
    """Import what the registry's search finds (`since="last"`: see `since_last_sync`), and
    keep a `RegistrySync` saying what was asked and whether every record came in."""
    if since == "last":
        since = since_last_sync(query, condition)
    run_record = RegistrySync.objects.create(query=query, condition=condition, since=since)
    read = 0

    def items():
        nonlocal read
        studies = client.studies(
            query=query, condition=condition, since=since,
            page_size=min(page_size, limit or page_size), limit=limit,
        )  # fmt: skip
        for study in studies:
            read += 1
            yield f"{client.base_url}/studies, record {read}", study

    result = run(items(), on_error=on_error, on_each=on_each)
    run_record.finished_at = timezone.now()
    run_record.complete = not (result.failed or result.aborted or (limit and read >= limit))
    run_record.summary = result.summary()
    run_record.save(update_fields=["finished_at", "complete", "summary"])
    return result, run_record


def _send_digest(result: Result) -> None:
    if not result.changes and not result.failed:
        return
    changes = sorted(result.changes, key=lambda change: (not change.urgent, change.nct_id))
    moderators = workflow.moderators_for(TrialNoteVersion).values_list("email", flat=True)
    notifications.send(
        "registry_digest", moderators, bcc=True, listed=changes[:DIGEST_LIMIT],
        unlisted=max(0, len(changes) - DIGEST_LIMIT), result=result, changes=changes,
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
    """The editor's change summary with the registry's note after it, the note shortened
    (never the editor's words) to fit."""
    if not current:
        return note
    room = CHANGE_SUMMARY_MAX_LENGTH - len(current.rstrip()) - 1
    if room < 20:
        return current
    return f"{current.rstrip()} {_cut(note, room)}"


def _older(record: RegistryRecord, snapshot) -> bool:
    """The record is older than the one imported last (a stale copy): never go back."""
    return bool(record.updated_on and snapshot.last_update
                and record.updated_on < snapshot.last_update)  # fmt: skip


def _admin_url(item) -> str:
    return f"{settings.SITE_URL}{item.get_admin_url()}"


def _reason(error: Exception) -> str:
    """A failed record's error in words, naming the field where there is one."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return "; ".join(f"{name}: {message}" for name, messages in error.message_dict.items()
                         for message in messages)  # fmt: skip
    messages = getattr(error, "messages", None)
    return "; ".join(messages) if messages else str(error) or type(error).__name__
