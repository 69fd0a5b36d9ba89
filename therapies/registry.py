"""Registry facts on trial notes: a ClinicalTrials.gov record as a version's fields, what
changed between two records, and how a version compares with the latest import.

Pure rules over the models, no workflow: the import (`therapies.importer`) writes through
the workflow with them, the evidence gate (`trust.evidence_checklist`) refuses a version
that disagrees with the registry with them, and the review screen and the public trial page
show registry and version side by side with them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from therapies.ctgov import RegistryDate, RegistryRecord
from therapies.models import (
    CHANGE_SUMMARY_MAX_LENGTH,
    OverallStatus,
    RegistryDateType,
    RegistrySnapshot,
    StudyType,
    TrialNoteVersion,
    TrialPhase,
)
from therapies.validators import validate_single_line

# The registry facts a version holds, in the order they are shown and summarised.
FIELDS = (
    "brief_title", "official_title", "overall_status", "phase", "study_type", "conditions",
    "interventions", "sponsor", "collaborators", "enrollment", "enrollment_type",
    "start_date", "start_date_type", "primary_completion_date",
    "primary_completion_date_type", "completion_date", "completion_date_type",
    "results_posted", "registry_last_update",
)  # fmt: skip
# The body of a note the import created, until an editor writes it (it cannot go to review).
PLACEHOLDER_BODY = (
    "Imported from the ClinicalTrials.gov record {nct_id}. The editors' note on this trial "
    "is not written yet."
)
# Statuses that stop a trial: a change to one of them is urgent for whatever depends on it.
STOPPED = (OverallStatus.TERMINATED, OverallStatus.SUSPENDED, OverallStatus.WITHDRAWN)
# An enrollment change larger than this share is urgent.
URGENT_ENROLLMENT_CHANGE = 0.10


def _date(date: RegistryDate | None) -> tuple[str, str]:
    return (date.date, date.type) if date else ("", "")


def version_fields(record: RegistryRecord) -> dict:
    """The record's facts as trial-note version fields (interventions as the registry labels
    them in its arms: "Drug: Pembrolizumab")."""
    start, start_type = _date(record.start)
    primary, primary_type = _date(record.primary_completion)
    completion, completion_type = _date(record.completion)
    return {
        "brief_title": _one_line(record.brief_title),
        "official_title": _one_line(record.official_title),
        "overall_status": record.overall_status,
        "phase": record.phase,
        "study_type": record.study_type,
        "conditions": list(record.conditions),
        "interventions": [intervention.label for intervention in record.interventions],
        "sponsor": _one_line(record.lead_sponsor),
        "collaborators": list(record.collaborators),
        "enrollment": record.enrollment,
        "enrollment_type": record.enrollment_type,
        "start_date": start,
        "start_date_type": start_type,
        "primary_completion_date": primary,
        "primary_completion_date_type": primary_type,
        "completion_date": completion,
        "completion_date_type": completion_type,
        "results_posted": record.results_posted,
        "registry_last_update": record.updated_on,
    }


def _one_line(text: str) -> str:
    """A registry text for a one-line field: a line break or tab in it becomes a space."""
    try:
        validate_single_line(text)
    except ValidationError:
        return " ".join(text.split())
    return text


def fields_of(version: TrialNoteVersion) -> dict:
    return {name: getattr(version, name) for name in FIELDS}


# --- showing facts in words ------------------------------------------------------------------

_CHOICES = {
    "overall_status": OverallStatus, "phase": TrialPhase, "study_type": StudyType,
}  # fmt: skip
# A date or enrollment is shown with its type, "2019-03 (estimated)"; the type fields are
# not named separately.
_TYPED = {
    "enrollment": "enrollment_type", "start_date": "start_date_type",
    "primary_completion_date": "primary_completion_date_type",
    "completion_date": "completion_date_type",
}  # fmt: skip
_TYPE_FIELDS = frozenset(_TYPED.values())


def label(name: str) -> str:
    text = str(TrialNoteVersion._meta.get_field(name).verbose_name)
    return text[0].upper() + text[1:]


def shown(fields: dict, name: str) -> str:
    """One fact as a reader sees it: "Completed", "437 (actual)", "none", "not given"."""
    value = fields.get(name)
    if name in _CHOICES:
        return _CHOICES[name](value).label if value else "not given"
    if isinstance(value, list):
        return "; ".join(value) or "none"
    if name == "results_posted":
        return {True: "yes", False: "no", None: "not given"}[value]
    if value in (None, ""):
        return "not given"
    text = str(value)
    if name in _TYPED and fields.get(_TYPED[name]):
        text += f" ({RegistryDateType(fields[_TYPED[name]]).label})"
    return text


def _changed(before: dict, after: dict, name: str) -> bool:
    if before.get(name) != after.get(name):
        return True
    return name in _TYPED and before.get(_TYPED[name]) != after.get(_TYPED[name])


def changed_fields(before: dict, after: dict) -> list[str]:
    """The registry fields (type fields included) whose value differs."""
    return [name for name in FIELDS if before.get(name) != after.get(name)]


def change_lines(before: dict, after: dict) -> list[str]:
    """Each registry fact that differs between two sets of version fields, old → new:
    "Overall status: Recruiting → Completed", "results posted"."""
    lines = []
    for name in FIELDS:
        if (
            name in _TYPE_FIELDS
            or name == "registry_last_update"
            or not _changed(before, after, name)
        ):
            continue
        if name == "results_posted":
            was = f"Results posted: {shown(before, name)} → {shown(after, name)}"
            lines.append("results posted" if after.get(name) else was)
            continue
        old, new = before.get(name), after.get(name)
        if isinstance(new, list) and isinstance(old, list):
            added = [entry for entry in new if entry not in old]
            removed = [entry for entry in old if entry not in new]
            parts = ([f"added {'; '.join(added)}"] if added else []) + (
                [f"removed {'; '.join(removed)}"] if removed else []
            )
            lines.append(f"{label(name)}: {', '.join(parts) or 'reordered'}")
            continue
        lines.append(f"{label(name)}: {shown(before, name)} → {shown(after, name)}")
    return lines


def change_summary(lines: list[str], last_update: datetime.date | None, *, prefix="") -> str:
    """ "Registry update of 2025-03-01: Overall status: Recruiting → Completed; results
    posted", cut to fit the change summary (each field still named)."""
    head = f"{prefix}Registry update of {last_update or 'unknown date'}: "
    text = head + "; ".join(lines) + "."
    if len(text) <= CHANGE_SUMMARY_MAX_LENGTH:
        return text
    # Too long with every value: keep the names of the fields that changed.
    names = [line.split(":", 1)[0] for line in lines]
    text = head + "; ".join(names) + " changed."
    if len(text) > CHANGE_SUMMARY_MAX_LENGTH:
        text = text[: CHANGE_SUMMARY_MAX_LENGTH - 1] + "…"
    return text


def urgent_reasons(before: dict, after: dict) -> list[str]:
    """Why a registry change is urgent for what depends on the trial: it stopped, its
    results were first posted, its enrollment moved by more than 10 %, or its primary
    completion date moved."""
    reasons = []
    status = after.get("overall_status")
    if status in STOPPED and before.get("overall_status") != status:
        reasons.append(f"status changed to {OverallStatus(status).label.lower()}")
    if after.get("results_posted") and not before.get("results_posted"):
        reasons.append("results first posted")
    old, new = before.get("enrollment"), after.get("enrollment")
    if old and new is not None and abs(new - old) > URGENT_ENROLLMENT_CHANGE * old:
        reasons.append(f"enrollment changed by more than {URGENT_ENROLLMENT_CHANGE:.0%}")
    if before.get("primary_completion_date") and before.get("primary_completion_date") != after.get(
        "primary_completion_date"
    ):
        reasons.append("primary completion date moved")
    return reasons


# --- a version against the latest import -------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One fact on the review screen: the registry's value, the version's, and whether the
    evidence gate compares them."""

    name: str
    label: str
    registry: str
    version: str
    differs: bool
    gated: bool


def snapshot_for(nct_id: str) -> RegistrySnapshot | None:
    return RegistrySnapshot.objects.filter(nct_id=nct_id).first()


def registry_fields(snapshot: RegistrySnapshot) -> dict:
    return version_fields(RegistryRecord.from_facts(snapshot.facts))


def side_by_side(version: TrialNoteVersion, snapshot: RegistrySnapshot | None) -> list[Row]:
    """Every registry fact, the latest import's value beside the version's; empty when the
    trial was never imported."""
    if snapshot is None:
        return []
    registry, own = registry_fields(snapshot), fields_of(version)
    gated = set(TrialNoteVersion.GATED_REGISTRY_FIELDS)
    return [
        Row(name, label(name), shown(registry, name), shown(own, name),
            _changed(registry, own, name), name in gated)
        for name in FIELDS if name not in _TYPE_FIELDS
    ]  # fmt: skip


def disagreements(version: TrialNoteVersion, snapshot: RegistrySnapshot | None) -> list[str]:
    """The gated facts (phase, status, enrollment, sponsor, dates) on which `version`
    disagrees with the latest import, in words; empty when it agrees or was never
    imported."""
    if snapshot is None:
        return []
    registry, own = registry_fields(snapshot), fields_of(version)
    return [
        f"{label(name)}: registry {shown(registry, name)}, this version {shown(own, name)}"
        for name in disagreements_with(own, registry)
    ]


def disagreements_with(own: dict, registry: dict) -> list[str]:
    """The gated fields on which version fields `own` differ from the registry's."""
    return [name for name in TrialNoteVersion.GATED_REGISTRY_FIELDS
            if registry.get(name) != own.get(name)]  # fmt: skip
