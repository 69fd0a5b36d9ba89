"""Citations as editors write them: a Citation, its id, {"kind", "value", "label",
"supports"} or a written-out identifier ("PMID: 26027431", "doi:10.1056/…", "NCT01844505",
an https address), each alone or paired with the statement it supports.

Parsing only — `workflow.edit` saves what `entries` returns — and `references`, the list a
reader sees, with one entry per paper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

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
