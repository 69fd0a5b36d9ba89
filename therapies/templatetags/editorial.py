from django import template
from django.urls import reverse

from therapies import workflow

register = template.Library()


@register.simple_tag
def review_queue(user):
    """The admin index's queue for `user`, each version with the link to its item's page."""
    queue = workflow.review_queue(user)
    for versions in queue.values():
        for version in versions:
            meta = version.item._meta
            version.admin_url = reverse(
                f"admin:{meta.app_label}_{meta.model_name}_change", args=[version.item_id]
            )
            version.kind = meta.verbose_name
    return queue
