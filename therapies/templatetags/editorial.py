from django import template

from therapies import workflow
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
