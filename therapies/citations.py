"""Citations as editors write them: a Citation, its id, {"kind", "value", "label",
"supports"} or a written-out identifier ("PMID: 26027431", "doi:10.1056/…", "NCT01844505",
an https address), each alone or paired with the statement it supports.

Parsing only — `workflow.edit` saves what `entries` returns — and `references`, the list a
reader sees, with one entry per paper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import unquote

from django.core.exceptions import ValidationError

from therapies.markdown import MARKER_RE
from therapies.models import MAX_CITATIONS, SUPPORTS_MAX_LENGTH, Citation

_CITATION_PATTERNS = [
    (Citation.Kind.PMID, re.compile(r"^(?:pmid|pubmed)\s*:?\s*(\S+)$", re.I)),
    (Citation.Kind.DOI, re.compile(r"^(?:doi\s*:\s*|https?://(?:dx\.)?doi\.org/)(\S+)$", re.I)),
    (Citation.Kind.DOI, re.compile(r"^(10\.\S+/\S+)$")),
    (Citation.Kind.NCT, re.compile(r"^(NCT\d+)$", re.I)),
    (Citation.Kind.URL, re.compile(r"^(https?://\S+)$", re.I)),
]


def citation_from(entry) -> Citation:
    """The Citation an edit names: a Citation, its id, {"kind", "value", "label"} or a written
    identifier ("PMID: 26027431", "doi:10.1056/…", "NCT01844505", an https address). A source
    not yet recorded comes back unsaved and is saved with the edit (`_set_citations`). It is
    recorded as given: a malformed identifier is caught by the evidence gate, which names it,
    rather than lost here."""
    if isinstance(entry, Citation):
        return entry
    if isinstance(entry, bool):
        raise ValidationError({"citations": f"Not a citation: {entry!r}."})
    if isinstance(entry, int) or (isinstance(entry, str) and entry.strip().isdigit()):
        try:
            return Citation.objects.get(pk=int(entry))
        except Citation.DoesNotExist:
            raise ValidationError({"citations": f"No citation with id {entry!r}."}) from None
    if isinstance(entry, dict):
        kind, value, label = entry.get("kind"), entry.get("value"), entry.get("label") or ""
        if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
            raise ValidationError({"citations": f"A citation needs a value: {entry!r}."})
    elif isinstance(entry, str):
        text = entry.strip()
        match = next(
            ((kind, found) for kind, pattern in _CITATION_PATTERNS
             if (found := pattern.match(text))), None,
        )  # fmt: skip
        if match is None:
            raise ValidationError({"citations": f"Not a PubMed ID, DOI, NCT ID or address: "
                                                f"{entry!r}."})  # fmt: skip
        kind, value, label = match[0], match[1].group(1), ""
    else:
        raise ValidationError({"citations": f"Not a citation: {entry!r}."})
    if kind not in Citation.Kind.values:
        raise ValidationError({"citations": f"Unknown citation kind {kind!r}."})
    value = Citation.normalize_value(kind, str(value))
    value = value.upper() if kind == Citation.Kind.NCT else value  # "nct01844505" as written
    max_length = Citation._meta.get_field("value").max_length
    if len(value) > max_length or len(str(label)) > max_length:
        raise ValidationError(
            {"citations": f"A citation's identifier and reference are at most {max_length} "
                          "characters."}
        )  # fmt: skip
    existing = Citation.objects.filter(kind=kind, value=value).first()
    return existing or Citation(kind=kind, value=value, label=str(label))


def entries(citations) -> list[tuple[Citation, str]]:
    """(Citation, supports) pairs from Citations, citation ids, {"kind", "value", "label",
    "supports"} dicts or written identifiers, each alone or paired with what it supports.
    A source named twice is refused: a version cites each source once."""
    if isinstance(citations, str | dict):
        citations = [citations]
    citations = list(citations)
    if len(citations) > MAX_CITATIONS:
        raise ValidationError({"citations": f"A version cites at most {MAX_CITATIONS} sources; "
                                            f"this one names {len(citations)}."})  # fmt: skip
    entries, seen = [], set()
    for entry in citations:
        entry, supports = entry if isinstance(entry, tuple) else (entry, "")
        if isinstance(entry, dict) and not supports:
            supports = entry.get("supports", "")
        citation = citation_from(entry)
        key = (citation.kind, citation.value)
        if key in seen:
            raise ValidationError({"citations": f"{citation.get_kind_display()} "
                                                f"{citation.value} is cited twice."})  # fmt: skip
        seen.add(key)
        supports = str(supports or "").strip()
        if len(supports) > SUPPORTS_MAX_LENGTH:
            raise ValidationError({"citations": "Say what a source supports in at most "
                                                f"{SUPPORTS_MAX_LENGTH} characters."})  # fmt: skip
        entries.append((citation, supports))
    return entries


_KIND_ORDER = {Citation.Kind.PMID: 0, Citation.Kind.DOI: 1, Citation.Kind.NCT: 2,
               Citation.Kind.URL: 3}  # fmt: skip


@dataclass
class Reference:
    """One paper as a reader's reference list shows it: the citation whose reference text
    is shown, every identifier it is known by, and what the version cites it for."""

    citation: Citation
    identifiers: list[Citation] = field(default_factory=list)
    supports: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.citation.url


def references(links) -> list[Reference]:
    """A version's citation links (with `citation__same_as` selected) as readers see them: a
    paper cited by its PubMed ID and by its DOI (linked with `same_as`) is one reference,
    listing both identifiers, in the place of its first citation."""
    grouped: dict[frozenset, Reference] = {}
    for link in links:
        citation = link.citation
        key = frozenset(pk for pk in (citation.pk, citation.same_as_id) if pk is not None)
        reference = grouped.get(key)
        if reference is None:
            reference = grouped[key] = Reference(citation)
            if citation.same_as is not None:
                reference.identifiers.append(citation.same_as)
        elif not reference.citation.label and citation.label:
            reference.citation = citation
        if citation not in reference.identifiers:
            reference.identifiers.append(citation)
        if link.supports and link.supports not in reference.supports:
            reference.supports.append(link.supports)
    for reference in grouped.values():
        reference.identifiers.sort(key=lambda c: _KIND_ORDER.get(c.kind, 9))
        if not reference.citation.label:  # the partner's text, when only it has one
            reference.citation = next((c for c in reference.identifiers if c.label),
                                      reference.citation)  # fmt: skip
    return list(grouped.values())


# --- numbered citation markers ----------------------------------------------------------------

_MARKER = re.compile(r'<sup class="cite">(.*?)</sup>', re.S)
_MARKER_LINK = re.compile(r'<a href="#cite:([^"]*)"[^>]*>.*?</a>', re.S)


def reference_numbers(references_: list[Reference]) -> dict[tuple[str, str], int]:
    """(kind, identifier) → the number of its reference (1-based), for every identifier a
    reference is known by (a paper's PubMed ID and its DOI share a number)."""
    numbers = {}
    for number, reference in enumerate(references_, start=1):
        for citation in (reference.citation, *reference.identifiers):
            numbers[(citation.kind, _key(citation.kind, citation.value))] = number
    return numbers


def _key(kind: str, value: str) -> str:
    """An identifier as markers and citations compare it (DOIs and NCT IDs in any case)."""
    value = Citation.normalize_value(kind, value)
    return value.upper() if kind in (Citation.Kind.DOI, Citation.Kind.NCT) else value


def number_markers(html: str, references_: list[Reference] | None = None) -> str:
    """The rendered body with each citation marker numbered as its reference in the list
    (`references_`), linking to it (`#ref-N`), each with its own id (`cite-N`, then
    `cite-N-2`…) for the list's links back. Without references (the editor's preview of an
    unsaved text), sources are numbered in order of first appearance; a source the version
    does not cite shows "?". Only the markers the renderer wrote (sanitized) are touched."""
    numbers = reference_numbers(references_) if references_ is not None else {}
    seen: dict[int, int] = {}

    def number_of(target: str) -> int | None:
        kind, _, value = unquote(unescape(target)).partition(":")
        key = (kind, _key(kind, value))
        if references_ is None and key not in numbers:
            numbers[key] = len(numbers) + 1
        return numbers.get(key)

    def one(match) -> str:
        number = number_of(match.group(1))
        if number is None:
            return '<a class="missing" title="Not among this version\'s citations">?</a>'
        seen[number] = seen.get(number, 0) + 1
        anchor = f"cite-{number}" + (f"-{seen[number]}" if seen[number] > 1 else "")
        return (f'<a href="#ref-{number}" id="{anchor}" '
                f'aria-label="Reference {number}">{number}</a>')  # fmt: skip

    def marker(match) -> str:
        links = [one(link) for link in _MARKER_LINK.finditer(match.group(1))]
        return f'<sup class="cite">[{", ".join(links)}]</sup>' if links else match.group(0)

    return _MARKER.sub(marker, html or "")


def cited_numbers(html: str) -> set[int]:
    """The reference numbers a numbered body cites (for the list's links back)."""
    return {int(number) for number in re.findall(r'id="cite-(\d+)"', html or "")}


def plain_markers(text: str) -> str:
    """Markers in a plain-text field (a summary, in a feed) as readers write sources:
    "[PMID 26027431]"."""
    labels = {"pmid": "PMID", "doi": "DOI", "nct": "", "url": ""}

    def plain(match) -> str:
        parts = []
        for part in re.split(r"\s*;\s*", match.group(1)):
            kind, _, value = part.lstrip("@").partition(":")
            label = labels.get(kind.lower(), "")
            parts.append(f"{label} {value}".strip())
        return f"[{'; '.join(parts)}]"

    return MARKER_RE.sub(plain, text or "")


def with_markers(entries: list[tuple[Citation, str]], marked) -> list[tuple[Citation, str]]:
    """A version's citations (`entries`, as `entries()` gives them) with every source its
    body marks (`marked`: (kind, identifier) in order of first appearance): a marked source
    not yet cited is added through the same parsing as the citations field, and the list is
    ordered as numbered references are — marked sources in the order the text first marks
    them, then the others in their order. A paper cited by its PubMed ID counts as cited
    when the text marks its DOI, and the other way round."""
    entries = list(entries)
    position: dict[tuple[str, str], int] = {}
    for index, (citation, _) in enumerate(entries):
        for each in filter(None, [citation, citation.same_as if citation.pk else None]):
            position.setdefault((each.kind, _key(each.kind, each.value)), index)
    first = []
    for kind, value in marked:
        key = (kind, _key(kind, value))
        if key not in position:
            # The kind the marker names, never guessed from the value ("[@nct:42]" is a
            # malformed NCT ID, not citation number 42).
            citation = citation_from({"kind": kind, "value": value})
            own = (citation.kind, _key(citation.kind, citation.value))
            if own in position:
                position[key] = position[own]
            else:
                entries.append((citation, ""))
                position[key] = position[own] = len(entries) - 1
        if position[key] not in first:
            first.append(position[key])
    if len(entries) > MAX_CITATIONS:
        raise ValidationError({"citations": f"A version cites at most {MAX_CITATIONS} sources; "
                                            f"this one marks {len(entries)}."})  # fmt: skip
    rest = [index for index in range(len(entries)) if index not in first]
    return [entries[index] for index in (*first, *rest)]
