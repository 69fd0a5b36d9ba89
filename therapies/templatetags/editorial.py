from django import template

from therapies import notifications, workflow
from therapies.permissions import IMPORT_DISPLAY_NAME, is_import_user

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
        for version in versions:
            version.admin_url = version.item.get_admin_url()
            version.kind = version.item._meta.verbose_name
    return queue


@register.simple_tag
def overdue_schedule(user):
    """Scheduled moves that are overdue (failed, held back or never run), for those who may
    approve something: they are the ones who can act on them."""
    if not workflow.is_moderator(user):
        return []
    versions = workflow.overdue_schedule()
    for version in versions:
        version.admin_url = version.item.get_admin_url()
        version.kind = version.item._meta.verbose_name
    return versions


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
