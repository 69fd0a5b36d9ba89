from django import template

from therapies import workflow

register = template.Library()


@register.simple_tag
def review_queue(user):
    """The admin index's queue for `user`, each version with the link to its item's page."""
    queue = workflow.review_queue(user)
    for versions in queue.values():
        for version in versions:
            version.admin_url = version.item.get_admin_url()
            version.kind = version.item._meta.verbose_name
    return queue
