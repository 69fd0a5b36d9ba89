"""Trust and provenance rules, beside the workflow that calls them: the evidence checklist,
periodic re-review, shareable review links, conflict-of-interest statements and needs-re-check
flags on content that depends on a changed therapy.

Every function that changes something takes the acting user, checks permissions on the
server and leaves a record (an AuditEvent, a ReviewLinkUse or the flag's own fields).
"""

from __future__ import annotations

import calendar
import datetime
import re
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from therapies import claims, kinds, registry
from therapies.models import (
    COI_MAX_AGE_MONTHS,
    IN_PROGRESS_STATES,
    REVIEW_INTERVAL_MONTHS,
    REVIEWER_COMMENT_MAX_LENGTH,
    REVIEWER_NAME_MAX_LENGTH,
    VERSION_KINDS,
    AuditEvent,
    Citation,
    ConflictOfInterestStatement,
    ExternalReviewComment,
    RecheckFlag,
    ReviewLink,
    ReviewLinkUse,
    TherapyArticle,
    VersionState,
)
from therapies.permissions import can

DUE_SOON_DAYS = 30
# Citations that identify a source for the evidence gate; a bare URL does not.
IDENTIFIED_KINDS = ("pmid", "doi", "nct")


# --- the evidence checklist ----------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    label: str
    ok: bool
    detail: str = ""
    blocking: bool = True  # False: advice shown to the moderator, not a condition of approval
    items: tuple[str, ...] = ()  # what the check found, listed under it


def evidence_checklist(version) -> list[Check]:
    """What a moderator checks before approving: sources, their form, the evidence level
    and, for a combination, that every therapy it combines is itself published. Failed
    blocking checks refuse approval (`evidence_problems`); the others are advice."""
    links = list(version.citation_links.select_related("citation"))
    malformed, identified = [], []
    for link in links:
        try:
            link.citation.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError:
            malformed.append(f"{link.citation.get_kind_display()} {link.citation.value!r}")
        else:
            if link.citation.kind in IDENTIFIED_KINDS:
                identified.append(link)
    checks = [
        Check(
            "At least one valid PubMed ID, DOI or NCT ID is cited",
            bool(identified),
            "" if identified else "No citation with a valid PubMed ID, DOI or NCT ID.",
        ),
        Check(
            "Every citation is well-formed",
            not malformed,
            f"Malformed: {', '.join(malformed)}." if malformed else "",
        ),
    ]
    kind = kinds.of(version)
    if hasattr(version, "evidence_level"):
        # Where the kind requires a level (combinations) it is a condition of approval; for
        # a therapy article the gate is the three conditions above, so a missing level is
        # advice.
        checks.append(
            Check(
                "An evidence level is set",
                bool(version.evidence_level),
                "" if version.evidence_level else "Choose a level from the evidence scale.",
                blocking=kind.evidence_level_required,
            )
        )
    for link in kind.published_links:
        target = kinds.get(kind.links[link])
        linked = list(getattr(version, link).all())
        published = set(
            target.item_model.objects.published()
            .filter(pk__in=[item.pk for item in linked])
            .values_list("pk", flat=True)
        )
        missing = [item.key for item in linked if item.pk not in published]
        checks.append(
            Check(
                f"Every {target.item_model._meta.verbose_name} it links "
                f"({version._meta.get_field(link).verbose_name}) is published",
                not missing,
                f"Not published: {', '.join(missing)}." if missing else "",
            )
        )
    if hasattr(type(version), "GATED_REGISTRY_FIELDS"):
        checks.append(_registry_check(version))
    checks.append(_numbers_check(version))
    return checks


# A sentence listed under the check is cut to this length.
CLAIM_SHOWN_LENGTH = 200


def _numbers_check(version) -> Check:
    """Advice: every sentence stating a number (a percentage, a ratio, a duration, a count
    of patients) has a citation marker in its sentence or paragraph."""
    uncited = claims.uncited_numeric_sentences(version.body)
    shown = tuple(
        sentence if len(sentence) <= CLAIM_SHOWN_LENGTH
        else sentence[: CLAIM_SHOWN_LENGTH - 1].rstrip() + "…"
        for sentence in uncited
    )  # fmt: skip
    return Check(
        "Every sentence that states a number marks its source ([@pmid:…]) in its sentence "
        "or paragraph",
        not uncited,
        f"{len(uncited)} sentence{'s' if len(uncited) != 1 else ''} without a source:"
        if uncited else "",
        blocking=False,
        items=shown,
    )  # fmt: skip


def _registry_check(version) -> Check:
    """A trial note's phase, status, enrollment, sponsor and dates agree with the latest
    import of its registry record, or the editor recorded why they differ."""
    snapshot = registry.snapshot_for(version.item.nct_id)
    differences = registry.disagreements(version, snapshot)
    label = "Registry facts agree with the latest ClinicalTrials.gov import"
    if snapshot is not None:
        label += f" (record of {snapshot.last_update or 'unknown date'})"
    if not differences:
        return Check(label, True)
    listed = "; ".join(differences)
    if version.registry_difference.strip():
        return Check(label, True, f"Differs, with a reason recorded: {listed}.")
    return Check(
        label, False,
        f"The registry says otherwise — {listed}. Correct the version, or record why it "
        "differs from the registry.",
    )  # fmt: skip


def evidence_problems(version) -> list[str]:
    """What the evidence gate refuses approval for: each failed blocking check, in words."""
    return [
        check.detail or check.label
        for check in evidence_checklist(version)
        if check.blocking and not check.ok
    ]


# --- periodic re-review --------------------------------------------------------------------------


def review_interval_months(version_model) -> int:
    """How many months an approval stays current for this kind
    (settings.REVIEW_INTERVAL_MONTHS, by kind; REVIEW_INTERVAL_MONTHS by default)."""
    intervals = getattr(settings, "REVIEW_INTERVAL_MONTHS", {})
    return int(intervals.get(VERSION_KINDS[version_model], REVIEW_INTERVAL_MONTHS))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole calendar months; the 29th–31st fall back to the month's last day."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last_day))


def reviewed_on(version) -> datetime.date | None:
    """The day the version's evidence was last assessed: its "assessed as up to date" date
    where the kind has one, else its approval's day."""
    assessed = getattr(version, "assessed_on", None)
    if assessed is not None:
        return assessed
    return timezone.localdate(version.approved_at) if version.approved_at else None


def next_review_due(version) -> datetime.date | None:
    """The date by which the version's content must be reviewed again: the day its evidence
    was last assessed (`reviewed_on`) plus the kind's interval in calendar months."""
    basis = reviewed_on(version)
    if basis is None or version.approved_at is None:
        return None
    return add_months(basis, review_interval_months(type(version)))


def is_review_overdue(version, today: datetime.date | None = None) -> bool:
    due = next_review_due(version)
    return due is not None and due < (today or timezone.localdate())


def versions_due_for_review(within_days: int = DUE_SOON_DAYS, today=None) -> list:
    """Published versions overdue for review or due within `within_days`, oldest due first.
    One query per kind."""
    today = today or timezone.localdate()
    due = []
    horizon = today + datetime.timedelta(days=within_days)
    for version_model in VERSION_KINDS:
        # Approved on or before this day means due on or before the horizon.
        cutoff = add_months(horizon, -review_interval_months(version_model))
        latest_approval = timezone.make_aware(
            datetime.datetime.combine(cutoff + datetime.timedelta(days=2), datetime.time())
        )
        rows = version_model.objects.published().filter(approved_at__lt=latest_approval)
        if hasattr(version_model, "assessed_on"):  # or assessed long enough ago
            rows = version_model.objects.published().filter(
                Q(approved_at__lt=latest_approval) | Q(assessed_on__lt=latest_approval.date())
            )
        rows = rows.select_related("item", "reviewed_by")
        for version in rows:
            version.review_due = next_review_due(version)
            if version.review_due > horizon:
                continue  # the query's day of slack around month ends
            version.review_overdue = version.review_due < today
            due.append(version)
    due.sort(key=lambda version: (version.review_due, version.pk))
    return due


# --- review links --------------------------------------------------------------------------------


def may_share(version, user) -> bool:
    return can(user, "add", ReviewLink) and (
        user.pk == version.author_id or can(user, "approve", version)
    )


def may_share_now(version, user) -> bool:
    """Whether `user` may share `version` now: they may share it, and it is being worked on
    or live (ReviewLink.SHAREABLE_STATES)."""
    return version.state in ReviewLink.SHAREABLE_STATES and may_share(version, user)


def create_review_link(version, by, *, days: int = 14, label: str = "") -> ReviewLink:
    """A link to this version only, for someone without an account, valid `days` days (1 to
    30), for the person `label` names. It shows the version exactly as it is now: saving the
    version again, or its going off line, ends the link. Recorded in the item's history."""
    if not may_share(version, by):
        raise PermissionDenied("Only a moderator or the version's author can share it.")
    if version.state not in ReviewLink.SHAREABLE_STATES:
        raise ValidationError(
            f"A {version.get_state_display().lower()} version cannot be shared: share the "
            "version being worked on or the live one.",
            code="not_shareable",
        )
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= ReviewLink.MAX_DAYS:
        raise ValidationError(
            {"days": f"A review link lasts 1 to {ReviewLink.MAX_DAYS} days."}, code="days"
        )
    label = (label or "").strip()[: ReviewLink._meta.get_field("label").max_length]
    _run_field_validators(ReviewLink, label=label)
    now = timezone.now()
    with transaction.atomic():
        link = ReviewLink.objects.create(
            version_type=ContentType.objects.get_for_model(version),
            version_id=version.pk,
            label=label,
            version_edit_count=version.edit_count,
            created_by=by,
            created_at=now,
            expires_at=now + datetime.timedelta(days=days),
        )
        AuditEvent.record(version, by=by, action="shared", comment=label, link=link.pk,
                          expires_at=link.expires_at.isoformat())  # fmt: skip
    return link


def revoke_review_link(link: ReviewLink, by) -> ReviewLink:
    """Withdraw a review link (at once; revoking twice changes nothing)."""
    version = link.version
    allowed = may_share(version, by) if version is not None else can(by, "change", ReviewLink)
    if not allowed:
        raise PermissionDenied("Only a moderator or the version's author can revoke the link.")
    with transaction.atomic():
        revoked = ReviewLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=by
        )
        if revoked and version is not None:
            AuditEvent.record(version, by=by, action="link_revoked", comment=link.label,
                              link=link.pk)  # fmt: skip
    link.refresh_from_db()
    return link


def _about(model, versions):
    """Rows of `model` (generic version_type/version_id) about any of `versions`: one
    version or several of one kind."""
    versions = versions if isinstance(versions, list | tuple) else [versions]
    if not versions:
        return model.objects.none()
    return model.objects.filter(
        version_type=ContentType.objects.get_for_model(versions[0]),
        version_id__in=[version.pk for version in versions],
    )


def links_for(versions):
    """Review links to any of `versions` (one version or several), with their use counts."""
    return (
        _about(ReviewLink, versions)
        .select_related("created_by")
        .prefetch_related("uses")
        .annotate(use_count=Count("uses"))
    )


def find_review_link(token: str) -> ReviewLink | None:
    """The link a token names, if the signature is genuine (expired or revoked included)."""
    try:
        pk = signing.loads(token, salt=ReviewLink.TOKEN_SALT)
    except signing.BadSignature:
        return None
    return ReviewLink.objects.filter(pk=pk).first()


def log_use(link: ReviewLink, request, action: str, outcome: str = "ok") -> None:
    ReviewLinkUse.objects.create(
        link=link,
        action=action,
        outcome=outcome,
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.headers.get("user-agent", "")[:300],
    )


def _run_field_validators(model, **values) -> None:
    """The validators `model` declares on these fields (a one-line label or name), for a row
    created without `full_clean`: errors keyed by field."""
    errors = {}
    for name, value in values.items():
        try:
            model._meta.get_field(name).run_validators(value)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)


def add_external_comment(link: ReviewLink, *, name: str, body: str) -> ExternalReviewComment:
    if link.problem():
        raise PermissionDenied("This review link no longer works.")
    if not name.strip() or not body.strip():
        raise ValidationError("Give your name and a comment.", code="required")
    _run_field_validators(ExternalReviewComment, name=name.strip())
    return ExternalReviewComment.objects.create(
        link=link,
        version_type=link.version_type,
        version_id=link.version_id,
        name=name.strip()[:REVIEWER_NAME_MAX_LENGTH],
        body=body.strip()[:REVIEWER_COMMENT_MAX_LENGTH],
    )


def external_comments(versions):
    """Outside reviewers' comments on any of `versions` (one version or several)."""
    return _about(ExternalReviewComment, versions).select_related("link")


# --- conflicts of interest -----------------------------------------------------------------------


def save_coi_statement(statement: ConflictOfInterestStatement, by) -> ConflictOfInterestStatement:
    """Save `by`'s own statement. Saving confirms it, so it is dated today: declared interests
    can never change under an older date, and a moderator renews a stale statement by
    re-reading and saving it."""
    if statement.pk is not None and statement.user_id != by.pk:
        raise PermissionDenied("Only its owner can change a conflict-of-interest statement.")
    statement.user = by
    statement.declared_on = timezone.localdate()
    statement.save()
    return statement


def coi_statement(user) -> ConflictOfInterestStatement | None:
    return ConflictOfInterestStatement.objects.filter(user_id=user.pk).first()


# What an arm of a trial is, in words (the registry's armGroups[].type).
ARM_ROLES = {
    "EXPERIMENTAL": "an experimental treatment", "ACTIVE_COMPARATOR": "the comparator",
    "PLACEBO_COMPARATOR": "the placebo comparator", "SHAM_COMPARATOR": "the sham comparator",
    "OTHER": "given",
}  # fmt: skip


def _arm_roles(version, entry: str) -> str:
    """How a trial's arms use the intervention `entry` (from the registry record the version
    was imported from): "the comparator in arm “Investigator's choice”", or ""."""
    record = getattr(version, "registry_record", None) or {}
    if "arms" not in record and hasattr(version.item, "nct_id"):  # imported before arms were
        snapshot = registry.snapshot_for(version.item.nct_id)  # kept: the latest import's
        record = snapshot.facts if snapshot is not None else {}
    arms_by_role: dict[str, list[str]] = {}
    for arm in record.get("arms", []):
        names = {name.strip().lower() for name in arm.get("interventions", [])}
        role = ARM_ROLES.get(arm.get("type", ""))
        if entry.strip().lower() in names and role:
            arms_by_role.setdefault(role, []).append(f"“{arm.get('label', '')}”")
    return " and ".join(
        f"{role} in arm{'s' if len(arms) > 1 else ''} {' and '.join(arms)}"
        for role, arms in arms_by_role.items()
    )


def _own_interests(version, where: str) -> tuple[dict[str, str], dict[str, str]]:
    """The agents and sponsors named by the version's own fields (the kind says which), each
    with where it is named: "among the interventions of this clinical-trial note
    (“Drug: Pembrolizumab”)", or, when the registry record says how its arms use it, "the
    comparator in arm “Investigator's choice” of this clinical-trial note (…)"."""
    kind = kinds.of(version)

    def values(names) -> dict[str, str]:
        found = {}
        for name in names:
            value = getattr(version, name)
            label = str(type(version)._meta.get_field(name).verbose_name).lower()
            entries = value if isinstance(value, list) else [value] if value else []
            for entry in entries:
                roles = _arm_roles(version, entry) if name in kind.agent_fields else ""
                place = (f"{roles} of {where}" if roles else
                         f"among the {label} of {where}" if isinstance(value, list)
                         else f"the {label} of {where}")  # fmt: skip
                found.setdefault(entry, f"{place} (“{entry}”)")
        return found

    return values(kind.agent_fields), values(kind.sponsor_fields)


def _linked_interests(version, seen: set, where: str) -> tuple[dict[str, str], dict[str, str]]:
    """The agents and sponsors of `version` and, through its links, of the live (else the
    newest) version of every item it links, and so on, each with the path to it."""
    agents, sponsors = _own_interests(version, where)
    for link in kinds.of(version).links:
        for item in getattr(version, link).all():
            if (type(item), item.pk) in seen:
                continue
            seen.add((type(item), item.pk))
            linked = item.published or item.latest
            if linked is not None:
                noun = type(item)._meta.verbose_name
                more_agents, more_sponsors = _linked_interests(
                    linked, seen, f"the {noun} “{linked.title}”, which {where} links"
                )
                for found, more in ((agents, more_agents), (sponsors, more_sponsors)):
                    for value, path in more.items():
                        found.setdefault(value, path)
    return agents, sponsors


def interest_paths(version, *, with_live: bool = True) -> tuple[dict[str, str], dict[str, str]]:
    """Lower-cased agents and sponsors a reviewer's declared interests are checked against,
    each with where it comes from in words: the fields the kind names (a therapy's key
    agents; a trial's interventions and sponsor) and those of the items it links, through
    their links too (a trial's therapies, its combinations' therapies). Those of the item's
    live version count too: approving a version that drops an agent decides about it."""
    noun = type(version.item)._meta.verbose_name
    agents, sponsors = _linked_interests(version, set(), f"this {noun}")
    live = version.item.published if with_live else None
    if live is not None and live.pk != version.pk:
        live_agents, live_sponsors = _linked_interests(
            live, set(), f"the live version {live.number} of this {noun}, which this one replaces"
        )
        for found, more in ((agents, live_agents), (sponsors, live_sponsors)):
            for value, path in more.items():
                found.setdefault(value, path)
    return ({a.strip().lower(): path for a, path in agents.items()},
            {s.strip().lower(): path for s, path in sponsors.items()})  # fmt: skip


def interests_at_stake(version, *, with_live: bool = True) -> tuple[set[str], set[str]]:
    """The lower-cased agents and sponsors of `interest_paths`, without the paths."""
    agents, sponsors = interest_paths(version, with_live=with_live)
    return set(agents), set(sponsors)


def _declared_in(declared: str, at_stake: set[str]) -> bool:
    """Whether a declared interest names one of `at_stake` as a whole word or phrase, so
    "Merck" matches the sponsor "Merck Sharp & Dohme LLC" and "pembrolizumab" the
    intervention "Drug: Pembrolizumab", but "MSD" does not match "MSDx"."""
    declared = declared.strip().lower()
    if not declared:
        return False
    pattern = re.compile(rf"(?<!\w){re.escape(declared)}(?!\w)")
    return any(pattern.search(text) for text in at_stake)


def coi_is_current(statement, today: datetime.date | None = None) -> bool:
    """A statement counts if it was made or confirmed within the last COI_MAX_AGE_MONTHS
    calendar months."""
    today = today or timezone.localdate()
    return add_months(statement.declared_on, COI_MAX_AGE_MONTHS) >= today


def coi_problems(version, user, today=None) -> list[str]:
    """Why `user`'s conflict-of-interest statement does not let them approve `version`."""
    statement = coi_statement(user)
    if statement is None:
        return ["You have no conflict-of-interest statement on file."]
    problems = []
    if not coi_is_current(statement, today):
        problems.append(
            f"Your conflict-of-interest statement is from {statement.declared_on:%Y-%m-%d}; "
            f"confirm or update it (it must be dated within the last {COI_MAX_AGE_MONTHS} "
            "months)."
        )
    agents, sponsors = interest_paths(version)
    for declared, at_stake in ((statement.agents, agents), (statement.sponsors, sponsors)):
        for interest in sorted(declared):
            paths = [path for text, path in at_stake.items()  # its own fields first
                     if _declared_in(interest, {text})]  # fmt: skip
            if paths:
                problems.append(f"You declared an interest in {interest}, which is "
                                f"{'; and '.join(paths[:3])}.")  # fmt: skip
    return problems


def coi_snapshot(user) -> dict | None:
    """The approver's statement as it stands, to keep with the approval."""
    statement = coi_statement(user)
    if statement is None:
        return None
    return {
        "declared_on": statement.declared_on.isoformat(),
        "agents": list(statement.agents),
        "sponsors": list(statement.sponsors),
    }


def statement_at_review(version) -> ConflictOfInterestStatement | None:
    """The approver's conflict-of-interest statement as it stood when they approved
    `version` (kept on the version, `coi_snapshot`: no query), unsaved, for the public
    "Reviewed by" line."""
    snapshot = version.reviewer_coi
    if not snapshot:
        return None
    declared_on = datetime.date.fromisoformat(snapshot["declared_on"])
    # Statements are dated on the desk, in its zone: the approval's day is taken there too.
    desk_zone = zoneinfo.ZoneInfo(settings.EDITORIAL_TIME_ZONE)
    approved_on = (
        timezone.localdate(version.approved_at, desk_zone) if version.approved_at else None
    )
    if approved_on is not None and declared_on > approved_on:
        declared_on = None  # a date after the review cannot be the one it was made under
    return ConflictOfInterestStatement(
        declared_on=declared_on,
        agents=list(snapshot.get("agents", [])),
        sponsors=list(snapshot.get("sponsors", [])),
    )


# --- needs re-check flags ------------------------------------------------------------------------


def dependents_of(item) -> list:
    """Items of other kinds whose live or in-progress version links `item` (a therapy's
    combination entries and trial notes)."""
    states = [VersionState.PUBLISHED, *IN_PROGRESS_STATES]
    found = []
    for kind, link in kinds.of(item).linking():
        found += list(
            kind.item_model.objects.filter(
                **{f"versions__{link}": item, "versions__state__in": states}
            ).distinct()
        )
    return found


def flag_dependents(
    therapy: TherapyArticle,
    *,
    reason: str,
    version_number: int | None,
    change: str = RecheckFlag.Change.CHANGED,
    previous_number: int | None = None,
):
    """Flag every dependent of `therapy` as needing a re-check (once per reason)."""
    flags = []
    for item in dependents_of(therapy):
        flag, _ = RecheckFlag.objects.get_or_create(
            item_type=ContentType.objects.get_for_model(item),
            item_id=item.pk,
            therapy=therapy,
            therapy_version_number=version_number,
            reason=reason[:300],
            cleared_at=None,
            defaults={"change": change, "previous_version_number": previous_number},
        )
        flags.append(flag)
    return flags


def registry_dependents(trial) -> list:
    """The items whose live or in-progress version rests on the trial note `trial`: they
    cite its NCT ID, list it as a key trial, or are linked from its note."""
    states = [VersionState.PUBLISHED, *IN_PROGRESS_STATES]
    nct_id = trial.nct_id
    found: dict[tuple[type, int], object] = {}
    for kind in kinds.all_kinds():
        cites = Q(versions__citation_links__citation__kind=Citation.Kind.NCT,
                  versions__citation_links__citation__value=nct_id)  # fmt: skip
        for name in kind.trial_fields:
            cites |= Q(**{f"versions__{name}__has_entry": nct_id})
        items = kind.item_model.objects.filter(cites, versions__state__in=states)
        if kind.item_model is type(trial):
            items = items.exclude(pk=trial.pk)
        for item in items.distinct():
            found[type(item), item.pk] = item
    for version in trial.versions.filter(state__in=states):
        for link in kinds.of(trial).links:
            for item in getattr(version, link).all():
                found.setdefault((type(item), item.pk), item)
    return list(found.values())


def flag_registry_change(trial, *, reason: str, urgent: bool, last_update, items) -> list:
    """Flag each of `items` (a trial's dependents, or the trial note itself) as needing a
    re-check because the trial's registry record changed; once per reason."""
    flags = []
    for item in items:
        raised = RecheckFlag.objects.filter(
            item_type=ContentType.objects.get_for_model(item), item_id=item.pk, trial=trial,
            reason=reason[:300],
        ).first()  # fmt: skip
        if raised is not None:  # raised before — open, or cleared by a moderator: not again
            flags.append(raised)
            continue
        flags.append(RecheckFlag.objects.create(
            item_type=ContentType.objects.get_for_model(item), item_id=item.pk, trial=trial,
            reason=reason[:300], change=RecheckFlag.Change.REGISTRY, urgent=urgent,
            registry_last_update=last_update,
        ))  # fmt: skip
    return flags


def _shown(version, name: str) -> str:
    value = getattr(version, name)
    if isinstance(value, list):
        return ", ".join(value) or "none"
    display = getattr(version, f"get_{name}_display", None)
    return display() if display else str(value)


def change_reason(previous, current) -> str | None:
    """Why dependents need a re-check when `current` replaces `previous` (a change of any of
    the kind's flag fields: a therapy's class or key agents), or None."""
    if previous is None:
        return None
    changes = []
    for name in kinds.of(current).flag_fields:
        before, after = getattr(previous, name), getattr(current, name)
        if sorted(before) != sorted(after) if isinstance(before, list) else before != after:
            changes.append(f"{current._meta.get_field(name).verbose_name} changed from "
                           f"{_shown(previous, name)} to {_shown(current, name)}")  # fmt: skip
    if not changes:
        return None
    return f"“{current.title}” version {current.number}: " + "; ".join(changes) + "."


def flagged_items(user, limit: int = 20) -> list[RecheckFlag]:
    """Open re-check flags on the kinds `user` may see, urgent first and then the oldest, at
    most `limit`, each with its `item` and the item's newest version as `shown` (a query per
    kind, not per flag)."""
    visible = [ContentType.objects.get_for_model(kind.item_model) for kind in kinds.all_kinds()
               if can(user, "view", kind.item_model)]  # fmt: skip
    flags = list(
        RecheckFlag.objects.open().filter(item_type__in=visible).select_related("item_type")
        .order_by("-urgent", "created_at")[:limit]
    )  # fmt: skip
    by_type: dict = {}
    for flag in flags:
        by_type.setdefault(flag.item_type, set()).add(flag.item_id)
    items = {}
    for item_type, ids in by_type.items():
        model = item_type.model_class()
        for item in model.objects.filter(pk__in=ids):
            items[(item_type.pk, item.pk)] = item
        for version in (
            model.version_model().objects.listed().filter(item_id__in=ids)
            .exclude(state=VersionState.DISCARDED).order_by("item_id", "-number")
        ):  # fmt: skip
            item = items.get((item_type.pk, version.item_id))
            if item is not None and not hasattr(item, "shown"):
                item.shown = version
    for flag in flags:
        flag.item = items.get((flag.item_type_id, flag.item_id))
    return [flag for flag in flags if flag.item is not None]


def open_flag_ids(item) -> list[int]:
    """The item's open flags, as a moderator checking it sees them."""
    return list(RecheckFlag.objects.for_item(item).open().values_list("pk", flat=True))


def clear_flags(item, by, *, comment: str, ids, version_number: int) -> int:
    """Clear the flags `ids` of the item (those open when a new version of it, number
    `version_number`, was checked and approved); a flag raised meanwhile stays open.
    Returns how many were cleared."""
    return (
        RecheckFlag.objects.for_item(item)
        .open()
        .filter(pk__in=ids)
        .update(cleared_at=timezone.now(), cleared_by=by, clear_comment=comment,
                cleared_by_version_number=version_number)
    )  # fmt: skip


def reopen_flags(item, version_number: int) -> int:
    """A scheduled version that cleared flags was cancelled before going live: the live
    content was never re-checked, so its flags open again. Returns how many."""
    return (
        RecheckFlag.objects.for_item(item)
        .filter(cleared_by_version_number=version_number, cleared_at__isnull=False)
        .update(cleared_at=None, cleared_by=None, clear_comment="",
                cleared_by_version_number=None)
    )  # fmt: skip


def dismiss_flag(flag: RecheckFlag, by, comment: str) -> RecheckFlag:
    """A moderator decides the dependent item is still right and dismisses the flag."""
    if not can(by, "dismiss", RecheckFlag):
        raise PermissionDenied("You do not have permission to dismiss re-check flags.")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Say why the content is still right."})
    with transaction.atomic():
        updated = RecheckFlag.objects.filter(pk=flag.pk, cleared_at__isnull=True).update(
            cleared_at=timezone.now(), cleared_by=by, clear_comment=comment
        )
        item = flag.item
        version = (item.published or item.latest) if item is not None else None
        if updated and version is not None:
            AuditEvent.record(version, by=by, action="flag_dismissed", comment=comment,
                              flag=flag.pk, reason=flag.reason)  # fmt: skip
    if not updated:
        raise ValidationError("This flag was already cleared.", code="already_cleared")
    flag.refresh_from_db()
    return flag
