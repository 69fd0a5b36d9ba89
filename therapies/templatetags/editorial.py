import datetime

from django import template
from django.urls import reverse
from django.utils import timezone

from therapies import notifications, trust, workflow
from therapies.permissions import IMPORT_DISPLAY_NAME, can, is_import_user

register = template.Library()


@register.filter
def who(user) -> str:
    """A user as the editorial screens name them: the username, or "ClinicalTrials.gov
    import" for the import's own account."""
    if user is None:
        return ""
    return IMPORT_DISPLAY_NAME if is_import_user(user) else user.get_username()


@register.simple_tag
def review_queue(user):
    """The admin index's queue for `user`, each version with the link to its item's page."""
    queue = workflow.review_queue(user)
    for versions in queue.values():
        _with_admin_url(versions)
    for version in queue["to_review"]:
        meta = version.item._meta
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        version.review_url = reverse(f"{prefix}_review", args=[version.item_id, version.number])
        version.claim_url = reverse(f"{prefix}_workflow",
                                    args=[version.item_id, version.number, "claim"])  # fmt: skip
        # Offered to a moderator who did not write it and does not hold it; the claim itself
        # decides four eyes (workflow.claim_review), without a query per row here.
        version.may_claim = (
            can(user, "approve", type(version))
            and version.author_id != user.pk
            and version.review_claimed_by_id != user.pk
        )
    return queue


def _with_admin_url(versions):
    for version in versions:
        version.admin_url = version.item.get_admin_url()
        version.kind = version.item._meta.verbose_name
    return versions


@register.simple_tag
def desk(user) -> dict:
    """The editorial desk's sections for `user` beyond the review queue: scheduled moves to
    come, open re-check flags and re-reviews due (each row with its admin link)."""
    moderator = workflow.is_moderator(user)
    due = trust.versions_due_for_review() if moderator else []
    flags = trust.flagged_items(user)
    for flag in flags:
        flag.admin_url = flag.item.get_admin_url()
        flag.kind = flag.item._meta.verbose_name
    return {
        "scheduled": _with_admin_url(workflow.scheduled_moves(user)),
        "flags": flags,
        "review_due": _with_admin_url(due[:10]),
        "review_due_count": len(due),
        "moderator": moderator,
    }


@register.filter
def desk_time(value) -> str:
    """A time as the desk shows it: in EDITORIAL_TIME_ZONE (the desk's current zone), with
    UTC alongside when that differs: "2026-11-30 14:45 CET (13:45 UTC)"."""
    if not isinstance(value, datetime.datetime):
        return ""
    local = timezone.localtime(value)
    shown = f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
    utc = value.astimezone(datetime.UTC)
    if local.utcoffset() == datetime.timedelta(0):
        return f"{local:%Y-%m-%d %H:%M} UTC"
    same_day = utc.date() == local.date()
    return f"{shown} ({utc:{'%H:%M' if same_day else '%Y-%m-%d %H:%M'}} UTC)"


@register.simple_tag
def overdue_schedule(user):
    """Scheduled moves that are overdue (failed, held back or never run), for those who may
    approve something: they are the ones who can act on them."""
    if not workflow.is_moderator(user):
        return []
    return _with_admin_url(workflow.overdue_schedule())


@register.simple_tag
def unsent_notifications(user) -> int:
    """How many notifications could not be sent, for those who may see them."""
    if not user.has_perm("therapies.view_notification"):
        return 0
    return notifications.unsent().count()


@register.filter
def minutes(duration) -> int:
    """A timedelta in whole minutes (the sign-in lockout's length)."""
    return round(duration.total_seconds() / 60) if duration else 0


@register.filter
def state_label(state: str) -> str:
    """A version state in words ("changes_requested" → "Changes requested")."""
    from therapies.models import VersionState

    try:
        return VersionState(state).label
    except ValueError:
        return state


@register.filter
def changed_fields(event) -> str:
    """The fields an "edited" audit event names, by their labels ("Title, Body, Citations")."""
    model = event.version_type.model_class() if event.version_type_id else None
    labels = []
    for name in event.data.get("fields", []):
        try:
            label = model._meta.get_field(name).verbose_name if model else name
        except Exception:  # noqa: BLE001 — a field since removed keeps its recorded name
            label = name.replace("_", " ")
        labels.append(str(label))
    text = ", ".join(labels)
    return text[:1].upper() + text[1:]  # "PD-L1 status" keeps its capitals


@register.filter
def state_change(event) -> str:
    """An audit event's move between states in words: "From draft to in review", "Now draft",
    "Published (unchanged)" or "—" (the desk's history and the audit event list)."""
    before, after = state_label(event.from_state), state_label(event.to_state)
    if not before and not after:
        return "—"
    if before == after:
        return f"{after} (unchanged)"
    return f"From {before.lower()} to {after.lower()}" if before else f"Now {after.lower()}"
