"""Full-text search over published content.

PostgreSQL: each version stores a weighted tsvector (title A, summary and keywords B, body C)
written with its row (`ContentVersion.search_document`), GIN-indexed for published rows;
queries use websearch syntax, so any input a reader types is valid, and are ranked with
ts_rank with headline snippets. SQLite (the embedded development database) has no such
engine: there every word must match somewhere and results are ranked by where they matched —
the same page, simpler relevance.
"""

import dataclasses
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections
from django.db.models import Case, F, Q, TextField, Value, When
from django.db.models.functions import Concat, Lower
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from therapies import kinds
from therapies.models import SEARCH_CONFIG

MAX_QUERY_LENGTH = 200
MAX_RESULTS_PER_KIND = 100
# PostgreSQL ranks at most this many matching rows of a kind. A word found in more pages than
# this (say "cancer" in a 50,000-trial catalogue) is ranked among the first ones the index
# finds: ranking every match would cost a rank computation per match on every search.
MAX_RANKED_PER_KIND = 250
# Snippet highlight markers: control characters that html_to_text strips from all content,
# so they can only come from the highlighter; the text is escaped before they become <mark>.
_START, _STOP = "\x02", "\x03"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"\w", re.UNICODE)
_TOKEN = re.compile(r'-?"[^"]*"|\S+')


def clean_query(query: str | None) -> str:
    """The reader's query made safe to run: no control characters, bounded length."""
    query = _CONTROL.sub(" ", query or "")
    return re.sub(r"\s+", " ", query).strip()[:MAX_QUERY_LENGTH]


def _is_postgresql(using: str = "default") -> bool:
    return connections[using].vendor == "postgresql"


@dataclass
class SearchResult:
    """One match: ranked first, loaded (`version`, `snippet`) only when shown (`load`)."""

    version_model: type
    pk: int
    rank: float
    title: str
    version: object = None
    snippet: SafeString = dataclasses.field(default_factory=SafeString)

    @property
    def item(self):
        return self.version.item

    @property
    def kind(self) -> str:
        return self.version_model._meta.get_field("item").related_model._meta.verbose_name


def _highlight(text: str) -> SafeString:
    html = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 — escaped above; only <mark> is added


def parse_query(query: str) -> tuple[list[str], list[str]]:
    """The words and "quoted phrases" a reader asks for, and the ones they exclude with a
    leading minus — the same reading PostgreSQL's websearch syntax gives them."""
    wanted, excluded = [], []
    for token in _TOKEN.findall(query):
        negative = token.startswith("-") and len(token) > 1
        text = token.lstrip("-").strip('"').strip().lower()
        if not _WORD.search(text) or text in ("or", "and"):
            continue
        (excluded if negative else wanted).append(text)
    return wanted[:10], excluded[:10]


def _postgresql_results(version_model, query: str) -> list[SearchResult]:
    """Ranks only rows the GIN index finds (at most MAX_RANKED_PER_KIND), reading no body
    text: the rank, the title rank and the title of at most MAX_RESULTS_PER_KIND of them."""
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    wanted, _ = parse_query(query)
    # A page whose title holds any of the words comes first, whatever its body says: the
    # weighted rank alone can put a body phrase above a title with the words far apart. The
    # title is the vector's weight A, so weights {D, C, B, A} = {0, 0, 0, 1} rank it alone.
    any_in_title = SearchQuery(
        " or ".join(f'"{term}"' if " " in term else term for term in wanted) or query,
        search_type="websearch",
        config=SEARCH_CONFIG,
    )
    matches = version_model.objects.published().filter(search_vector=search_query)
    rows = (
        version_model.objects.filter(pk__in=matches.order_by().values("pk")[:MAX_RANKED_PER_KIND])
        .annotate(
            title_rank=SearchRank(F("search_vector"), any_in_title, weights=[0, 0, 0, 1]),
            rank=SearchRank(F("search_vector"), search_query),
        )
        .order_by("-title_rank", "-rank", "-published_at")
        .values_list("pk", "title_rank", "rank", "title")[:MAX_RESULTS_PER_KIND]
    )
    return [
        SearchResult(version_model, pk, 1000 * float(title_rank > 0) + float(rank), title)
        for pk, title_rank, rank, title in rows
    ]


def _load_postgresql(version_model, results: list[SearchResult], query: str) -> None:
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    versions = version_model.objects.filter(pk__in=[r.pk for r in results]).listed().select_related(
        "item"
    ).annotate(
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
        )
    )  # fmt: skip
    found = {version.pk: version for version in versions}
    for result in results:
        if version := found.get(result.pk):
            result.version, result.snippet = version, _highlight(version.headline)


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


def _anywhere(version_model, term: str) -> Q:
    """The SQLite fallback's match of one term: in the title, summary, body or the kind's
    keyword fields (which PostgreSQL indexes through search_keywords())."""
    condition = Q(title__icontains=term) | Q(summary__icontains=term)
    condition |= Q(body_text__icontains=term)
    for field in kinds.of(version_model).keyword_fields:
        condition |= Q(**{f"{field}__icontains": term})
    return condition


def matches(version_model, query: str) -> Q:
    """A filter for the versions of a kind matching `query` (as `search` reads it), for a
    list that keeps its own order (the API's): the full-text index on PostgreSQL, every
    word somewhere on SQLite."""
    query = clean_query(query)
    if _is_postgresql():
        return Q(search_vector=SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG))
    wanted, excluded = parse_query(query)
    condition = Q()
    for term in wanted:
        condition &= _anywhere(version_model, term)
    for term in excluded:
        condition &= ~_anywhere(version_model, term)
    return condition if wanted else Q(pk__in=[])


def _fallback_results(version_model, query: str) -> list[SearchResult]:
    wanted, excluded = parse_query(query)
    if not wanted:
        return []
    keywords = kinds.of(version_model).keyword_fields

    def anywhere(term):
        return _anywhere(version_model, term)

    def points(condition, value):
        return Case(When(condition, then=Value(value)), default=Value(0))

    score = Value(0)
    for term in wanted:
        # Any title hit outweighs every other kind of hit: a title match always ranks first.
        keyword_hit = Q(summary__icontains=term)
        for field in keywords:
            keyword_hit |= Q(**{f"{field}__icontains": term})
        score = score + points(Q(title__icontains=term), 1000) + points(keyword_hit, 10)
        score = score + points(Q(body_text__icontains=term), 1)
    rows = version_model.objects.published().select_related("item")
    for term in wanted:
        rows = rows.filter(anywhere(term))
    for term in excluded:
        rows = rows.exclude(anywhere(term))
    rows = rows.annotate(score=score).order_by("-score", Lower("title"))
    return [
        SearchResult(version_model, row.pk, float(row.score), row.title, row,
                     _fallback_snippet(f"{row.summary} {row.body_text}", wanted))
        for row in rows.distinct()[:MAX_RESULTS_PER_KIND]
    ]  # fmt: skip


def search(query: str | None, version_models) -> list[SearchResult]:
    """Published versions of the given kinds matching `query`, best first (a title match
    outranks a body match): at most MAX_RESULTS_PER_KIND of each, one query per kind,
    whatever the amount of content. Only ranks: `load` fills in the ones shown."""
    query = clean_query(query)
    if not query:
        return []
    find = _postgresql_results if _is_postgresql() else _fallback_results
    results = [result for model in version_models for result in find(model, query)]
    results.sort(key=lambda result: (-result.rank, result.title.lower()))
    return results


def load(results, query: str) -> None:
    """Fill in `version` and `snippet` of the results about to be shown: one query per kind
    among them (on PostgreSQL, where only these get a headline; the fallback has them)."""
    by_model = {}
    for result in results:
        if result.version is None:
            by_model.setdefault(result.version_model, []).append(result)
    for version_model, wanted in by_model.items():
        _load_postgresql(version_model, wanted, clean_query(query))
