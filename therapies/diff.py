"""Field-by-field comparison of two versions of an item, with a word-level diff of text.

Hand-written on top of the standard library's difflib: the diff libraries on PyPI compare
lines or characters, while reviewers of prose need whole words marked, and need every kind
of field (choices, lists, links, citations) shown the same way.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Words and the whitespace between them, so that joining the tokens restores the text.
_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> SafeString:
    """HTML of `new` against `old`: removed words in <del>, added words in <ins>, escaped."""
    before, after = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    parts = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(before[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(before[i1:i2]))}</del>")
        if tag in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(after[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 — every piece above is escaped


@dataclass(frozen=True)
class FieldComparison:
    name: str
    label: str
    old: str
    new: str
    changed: bool
    diff: SafeString


def display_value(version, name: str) -> str:
    """A field's value as a reviewer reads it: choice labels, one list entry per line."""
    if version is None:
        return ""
    if name == "citations":
        return "\n".join(
            f"{link.citation}" + (f" — supports: {link.supports}" if link.supports else "")
            for link in version.citation_links.select_related("citation")
        )
    field = version._meta.get_field(name)
    if field.many_to_many:
        return "\n".join(sorted(str(related) for related in getattr(version, name).all()))
    if field.choices:
        return str(getattr(version, f"get_{name}_display")())
    value = getattr(version, name)
    if isinstance(value, list):
        return "\n".join(str(entry) for entry in value)
    return "" if value is None else str(value)


def compared_fields(version_model) -> list[str]:
    m2m = [field.name for field in version_model._meta.many_to_many if field.name != "citations"]
    return [*version_model.CONTENT_FIELDS, *m2m, "citations", "change_summary"]


def compare_versions(old, new) -> list[FieldComparison]:
    """Every content field of `new` against `old` (which may be None: nothing to compare)."""
    model = type(new)
    rows = []
    for name in compared_fields(model):
        before, after = display_value(old, name), display_value(new, name)
        label = "Citations" if name == "citations" else model._meta.get_field(name).verbose_name
        rows.append(
            FieldComparison(
                name=name,
                label=str(label).capitalize(),
                old=before,
                new=after,
                changed=before != after,
                diff=word_diff(before, after),
            )
        )
    return rows
