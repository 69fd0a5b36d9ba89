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

from therapies.markdown import html_to_text, markdown_blocks, render_markdown

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
class Block:
    """One piece of the rendered-text diff of a body: `change` is "same", "changed",
    "added" or "removed"; `html` is the block as the reader sees it (sanitized) for "same",
    "added" and "removed", its word diff for "changed"; `folded` unchanged blocks are the
    ones more than CONTEXT blocks away from any change."""

    change: str
    html: SafeString
    folded: bool = False


CONTEXT = 1  # unchanged blocks shown around each change; the rest are folded


def _rendered(block: str) -> tuple[SafeString, str]:
    html = render_markdown(block)
    return mark_safe(html), html_to_text(html)  # noqa: S308 — sanitized by render_markdown


def body_diff(old: str, new: str, context: int = CONTEXT) -> list[Block]:
    """The rendered text of `new` against `old`, block by block (paragraphs, headings, list
    items, tables): blocks matched by their text; a changed block shown with its words
    marked; unchanged blocks more than `context` blocks from a change folded."""
    before = [_rendered(block) for block in markdown_blocks(old)]
    after = [_rendered(block) for block in markdown_blocks(new)]
    matcher = difflib.SequenceMatcher(
        a=[text for _, text in before], b=[text for _, text in after], autojunk=False
    )
    blocks: list[Block] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            blocks += [Block("same", html) for html, _ in after[j1:j2]]
            continue
        removed, added = before[i1:i2], after[j1:j2]
        paired = min(len(removed), len(added)) if tag == "replace" else 0
        for (_, old_text), (_, new_text) in zip(removed[:paired], added[:paired], strict=True):
            blocks.append(Block("changed", word_diff(old_text, new_text)))
        blocks += [Block("removed", html) for html, _ in removed[paired:]]
        blocks += [Block("added", html) for html, _ in added[paired:]]
    near = set()
    for index, block in enumerate(blocks):
        if block.change != "same":
            near.update(range(index - context, index + context + 1))
    return [
        Block(block.change, block.html, folded=block.change == "same" and index not in near)
        for index, block in enumerate(blocks)
    ]


def folded_runs(blocks: list[Block]) -> list[tuple[bool, list[Block]]]:
    """`blocks` grouped into runs of folded and shown blocks, for the template: a folded run
    becomes one "N unchanged paragraphs" disclosure."""
    runs: list[tuple[bool, list[Block]]] = []
    for block in blocks:
        if runs and runs[-1][0] == block.folded:
            runs[-1][1].append(block)
        else:
            runs.append((block.folded, [block]))
    return runs


@dataclass(frozen=True)
class FieldComparison:
    name: str
    label: str
    old: str
    new: str
    changed: bool
    diff: SafeString
    runs: list | None = None  # the body's rendered-text diff (folded_runs of body_diff)

    @property
    def rendered_changed(self) -> bool:
        """Whether the rendered text shows the change (else only the Markdown source, e.g.
        its spacing or markup, changed)."""
        return any(block.change != "same" for _, blocks in self.runs or [] for block in blocks)


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
    if hasattr(field, "prepare_value_lines"):  # entries of several parts, as the form shows them
        return field.prepare_value_lines(value)
    if isinstance(value, list):
        return "\n".join(str(entry) for entry in value)
    return "" if value is None else str(value)


def compared_fields(version_model) -> list[str]:
    m2m = [field.name for field in version_model._meta.many_to_many if field.name != "citations"]
    return [*version_model.CONTENT_FIELDS, *m2m, "citations", "change_summary"]


def snapshot(version) -> dict[str, str]:
    """What a reviewer read of `version`: every compared field as displayed. Kept with a
    review (the audit event's data) so that a later "compare with the version I last
    reviewed" shows what changed since, even when the same version was edited meanwhile."""
    return {name: display_value(version, name) for name in compared_fields(type(version))}


def compare_versions(old, new) -> list[FieldComparison]:
    """Every content field of `new` against `old` — a version, a `snapshot` of one, or None
    (nothing to compare) — the changed ones first; the body also as a rendered-text diff
    (`runs`)."""
    model = type(new)
    rows = []
    for name in compared_fields(model):
        before = old.get(name, "") if isinstance(old, dict) else display_value(old, name)
        after = display_value(new, name)
        label = "Citations" if name == "citations" else model._meta.get_field(name).verbose_name
        rows.append(
            FieldComparison(
                name=name,
                label=str(label).capitalize(),
                old=before,
                new=after,
                changed=before != after,
                diff=word_diff(before, after),
                runs=(
                    folded_runs(body_diff(before, after))
                    if name == "body" and before != after
                    else None
                ),
            )  # fmt: skip
        )
    return sorted(rows, key=lambda row: not row.changed)
