from django import template

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
