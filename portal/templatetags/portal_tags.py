from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping[key]` in a template, or "" when absent."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def percent_of(value, total):
    """`value` as a percentage of `total` (0–100), for drawing bars."""
    try:
        return round(100 * float(value) / float(total), 1) if total else 0
    except (TypeError, ValueError):
        return 0


@register.simple_tag
def evidence_badge(version) -> str:
    """The version's evidence level as a link to its explanation on the evidence scale, or
    nothing. A tag rather than an included template: lists show it on every row, and an
    {% include %} with its own context and {% url %} cost a fifth of a list page."""
    level = version.evidence_level
    if not level:
        return ""
    return format_html(
        '<a class="evidence evidence-{}" href="{}#level-{}" '
        'title="What this evidence level means">{}</a>',
        level, reverse("evidence_scale"), level, version.get_evidence_level_display(),
    )  # fmt: skip
