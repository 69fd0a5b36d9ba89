"""Full-text search over published content.

PostgreSQL: each version stores a weighted tsvector (title A, summary and keywords B, body C)
derived when it is saved, GIN-indexed for published rows; queries use websearch syntax, so any
input a reader types is valid, and are ranked with ts_rank with headline snippets. SQLite (the
embedded development database) has no such engine: there every word must match somewhere and
results are ranked by where they matched — the same page, simpler relevance.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_RESULTS_PER_KIND = 100
# Snippet highlight markers: control characters that html_to_text strips from all content,
# so they can only come from the highlighter; the text is escaped before they become <mark>.
_START, _STOP = "\x02", "\x03"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"\w[\w\-.]*", re.UNICODE)


def clean_query(query: str | None) -> str:
    """The reader's query made safe to run: no control characters, bounded length."""
    query = _CONTROL.sub(" ", query or "")
    return re.sub(r"\s+", " ", query).strip()[:MAX_QUERY_LENGTH]


def _is_postgresql(using: str = "default") -> bool:
    return connections[using].vendor == "postgresql"


def update_search_vector(version) -> None:
    """Store the version's weighted search vector (PostgreSQL only; called from save())."""
    using = version._state.db or "default"
    if not _is_postgresql(using):
        return

    def part(text, weight):
        return SearchVector(Value(text, output_field=TextField()), weight=weight,
                            config=SEARCH_CONFIG)  # fmt: skip

    vector = (
        part(version.title, "A")
        + part(f"{version.summary} {version.search_keywords()}", "B")
        + part(version.body_text, "C")
    )
    type(version).objects.using(using).filter(pk=version.pk).update(search_vector=vector)


@dataclass(frozen=True)
class SearchResult:
    version: object
    rank: float
    snippet: SafeString

    @property
    def item(self):
        return self.version.item

    @property
    def kind(self) -> str:
        return self.version.item._meta.verbose_name


def _highlight(text: str) -> SafeString:
    html = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 — escaped above; only <mark> is added


def _postgresql_results(version_model, query: str) -> list[SearchResult]:
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    rows = (
        version_model.objects.published()
        .filter(search_vector=search_query)
        .annotate(
            rank=SearchRank(F("search_vector"), search_query),
            headline=SearchHeadline(
                Concat("summary", Value(" "), "body_text", output_field=TextField()),
                search_query,
                config=SEARCH_CONFIG,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=40,
                min_words=20,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .select_related("item")
        .order_by("-rank", "-published_at")[:MAX_RESULTS_PER_KIND]
    )
    return [SearchResult(row, float(row.rank), _highlight(row.headline)) for row in rows]


def _fallback_snippet(text: str, terms: list[str], width: int = 220) -> SafeString:
    lowered = text.lower()
    hits = [lowered.find(term) for term in terms if lowered.find(term) >= 0]
    start = max(0, min(hits) - width // 3) if hits else 0
    if start:  # begin at a word, not inside one
        start = text.find(" ", start) + 1 or start
    excerpt = text[start : start + width]
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    marked = pattern.sub(lambda match: f"{_START}{match.group(0)}{_STOP}", excerpt)
    prefix, suffix = ("… " if start else ""), (" …" if start + width < len(text) else "")
    return _highlight(f"{prefix}{marked}{suffix}")


def _fallback_results(version_model, query: str) -> list[SearchResult]:
    terms = [word.lower() for word in _WORD.findall(query)][:10]
    if not terms:
        return []
    rows = version_model.objects.published().select_related("item")
    for term in terms:
        rows = rows.filter(
            Q(title__icontains=term) | Q(summary__icontains=term) | Q(body_text__icontains=term)
        )
    results = []
    for row in rows[:MAX_RESULTS_PER_KIND]:
        title, summary, body = row.title.lower(), row.summary.lower(), row.body_text.lower()
        rank = sum(3 * (t in title) + 2 * (t in summary) + (t in body) for t in terms)
        text = f"{row.summary} {row.body_text}"
        results.append(SearchResult(row, float(rank), _fallback_snippet(text, terms)))
    return results


def search(query: str | None, version_models) -> list[SearchResult]:
    """Published versions of the given kinds matching `query`, best first (a title match
    outranks a body match). One query per kind, whatever the amount of content."""
    query = clean_query(query)
    if not query:
        return []
    find = _postgresql_results if _is_postgresql() else _fallback_results
    results = [result for model in version_models for result in find(model, query)]
    results.sort(key=lambda result: (-result.rank, result.version.title.lower()))
    return results
