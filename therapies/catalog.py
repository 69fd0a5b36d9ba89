"""Read-side queries of the public site: what is published, grouped and counted.

Every function starts from a `published()` queryset and runs a fixed number of queries,
whatever the amount of content, so each page's query budget is independent of its size.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations_with_replacement

from django.db.models import Case, CharField, Count, IntegerField, Value, When, Window
from django.db.models.functions import Lower

from therapies.models import (
    CONTENT_KINDS,
    CombinationEntryVersion,
    EvidenceLevel,
    OverallStatus,
    TherapyArticleVersion,
    TherapyClass,
    TrialNoteVersion,
    TrialPhase,
    VersionState,
)

KINDS = {
    kind: (item_model, item_model.version_model()) for kind, item_model in CONTENT_KINDS.items()
}
# Column headings of the combination matrix, where the full class names are too wide.
SHORT_CLASS_LABELS = {
    TherapyClass.CHECKPOINT_INHIBITOR: "Checkpoint inhibitors",
    TherapyClass.CAR_T: "CAR-T",
    TherapyClass.ADOPTIVE_CELL_TRANSFER: "TIL / TCR-T",
    TherapyClass.CANCER_VACCINE: "Vaccines",
    TherapyClass.CYTOKINE: "Cytokines",
    TherapyClass.ONCOLYTIC_VIRUS: "Oncolytic viruses",
    TherapyClass.BISPECIFIC_ENGAGER: "Bispecific engagers",
    TherapyClass.OTHER: "Other",
}
PUBLIC_HISTORY_STATES = (VersionState.PUBLISHED, VersionState.SUPERSEDED)


def choice_order(field: str, choices) -> Case:
    """Order rows by the position of `field`'s value in `choices` (not alphabetically)."""
    return Case(
        *[When(**{field: value}, then=Value(position)) for position, value in enumerate(choices)],
        default=Value(len(choices)),
        output_field=IntegerField(),
    )


# --- the public changelog ----------------------------------------------------------------------


def public_history(version_model):
    """Versions that were published, of items that are published now: what the changelog and
    an item's history page may show (never drafts, reviews or withdrawn items)."""
    return version_model.objects.filter(
        state__in=PUBLIC_HISTORY_STATES,
        published_at__isnull=False,
        item__versions__state=VersionState.PUBLISHED,
    )


def changelog_rows():
    """All public history of all kinds as one queryset of (kind, pk, published_at), newest
    first — a UNION, so it paginates in the database."""
    parts = [
        public_history(version_model)
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list("kind", "pk", "published_at")
        .order_by()
        for kind, (_, version_model) in KINDS.items()
    ]
    return parts[0].union(*parts[1:], all=True).order_by("-published_at", "-pk")


def load_versions(rows) -> list:
    """The versions behind changelog rows, in the rows' order: one query per kind."""
    wanted = defaultdict(list)
    for kind, pk, _ in rows:
        wanted[kind].append(pk)
    loaded = {}
    for kind, pks in wanted.items():
        version_model = KINDS[kind][1]
        for version in version_model.objects.filter(pk__in=pks).select_related(
            "item", "reviewed_by"
        ):
            version.kind = kind
            version.kind_label = version_model._meta.get_field(
                "item"
            ).related_model._meta.verbose_name
            loaded[kind, version.pk] = version
    return [loaded[kind, pk] for kind, pk, _ in rows if (kind, pk) in loaded]


def published_titles(item_model, limit: int = 12) -> tuple[list, int]:
    """The first `limit` published versions of a kind by title, with the total count (for a
    "see all" link): one query (the count is a window over all rows), whatever the amount."""
    first = list(
        item_model.version_model()
        .objects.published()
        .select_related("item")
        .annotate(total=Window(Count("pk")))
        .order_by(Lower("title"))[:limit]
    )
    return first, (first[0].total if first else 0)


def recent_updates(limit: int = 6) -> list:
    return load_versions(list(changelog_rows()[:limit]))


# --- therapy classes and the combination matrix ----------------------------------------------


def therapy_class_counts() -> dict[str, int]:
    rows = (
        TherapyArticleVersion.objects.published()
        .values("therapy_class")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["therapy_class"]: row["n"] for row in rows}
    return {value: counts.get(value, 0) for value in TherapyClass.values}


def combination_class_pairs() -> dict[int, set[tuple[str, str]]]:
    """For each published combination entry (by item id), the pairs of therapy classes it
    combines, counting only therapies that are themselves published. One query."""
    through = CombinationEntryVersion.therapies.through
    rows = through.objects.filter(
        combinationentryversion__state=VersionState.PUBLISHED,
        therapyarticle__versions__state=VersionState.PUBLISHED,
    ).values_list(
        "combinationentryversion__item_id",
        "therapyarticle_id",
        "therapyarticle__versions__therapy_class",
    )
    classes_by_combination = defaultdict(list)
    for combination_id, therapy_id, therapy_class in rows:
        classes_by_combination[combination_id].append((therapy_id, therapy_class))
    pairs = {}
    order = {value: position for position, value in enumerate(TherapyClass.values)}
    for combination_id, therapies in classes_by_combination.items():
        found = set()
        for (id_a, class_a), (id_b, class_b) in combinations_with_replacement(therapies, 2):
            if id_a != id_b:
                found.add(tuple(sorted((class_a, class_b), key=order.__getitem__)))
        pairs[combination_id] = found
    return pairs


@dataclass(frozen=True)
class MatrixCell:
    row: str
    column: str
    count: int


def combination_matrix(pairs: dict[int, set[tuple[str, str]]]) -> list[tuple[str, list]]:
    """Therapy class × therapy class: the number of published combination entries that
    combine a therapy of each. Symmetric; the diagonal counts two therapies of one class."""
    counts = Counter(pair for found in pairs.values() for pair in found)
    order = {value: position for position, value in enumerate(TherapyClass.values)}
    matrix = []
    for row in TherapyClass.values:
        cells = []
        for column in TherapyClass.values:
            key = tuple(sorted((row, column), key=order.__getitem__))
            cells.append(MatrixCell(row, column, counts.get(key, 0)))
        matrix.append((row, cells))
    return matrix


def combinations_with_classes(pairs, class_a: str, class_b: str) -> list[int]:
    order = {value: position for position, value in enumerate(TherapyClass.values)}
    wanted = tuple(sorted((class_a, class_b), key=order.__getitem__))
    return [combination_id for combination_id, found in pairs.items() if wanted in found]


def evidence_order() -> Case:
    return choice_order("evidence_level", EvidenceLevel.values)


# --- trials ----------------------------------------------------------------------------------


TRIAL_COUNT_FIELDS = {"phase": TrialPhase, "overall_status": OverallStatus}


def trial_counts(fields=tuple(TRIAL_COUNT_FIELDS)) -> dict[str, list[tuple[str, str, int]]]:
    """Published trial notes counted by phase and/or overall status: (value, label, count),
    in ClinicalTrials.gov's order, only values that occur. One query per field."""
    published = TrialNoteVersion.objects.published()
    result = {}
    for field in fields:
        choices = TRIAL_COUNT_FIELDS[field]
        counts = dict(published.values_list(field).annotate(n=Count("pk")).order_by())
        labels = dict(choices.choices)
        rows = [
            (value, labels[value], counts[value]) for value in choices.values if value in counts
        ]
        if counts.get(""):
            rows.append(("", "Not recorded", counts[""]))
        result[field] = rows
    return result


def trial_conditions() -> dict[str, set[int]]:
    """Every condition named by a published trial note (sorted) with the versions naming it
    exactly. One query."""
    found = defaultdict(set)
    rows = TrialNoteVersion.objects.published().values_list("pk", "conditions")
    for pk, conditions in rows:
        for condition in conditions or []:
            found[condition].add(pk)
    return dict(sorted(found.items(), key=lambda pair: pair[0].lower()))


@dataclass(frozen=True)
class Bar:
    value: str
    label: str
    count: int
    y: int
    width: float


def bar_chart(rows, *, row_height: int = 28, max_width: int = 300) -> dict:
    """Geometry of a horizontal bar chart drawn as server-side SVG (no script, no CDN):
    one bar per (value, label, count) row, widths relative to the largest count."""
    largest = max((count for _, _, count in rows), default=0) or 1
    bars = [
        Bar(value, label, count, index * row_height, round(max_width * count / largest, 1))
        for index, (value, label, count) in enumerate(rows)
    ]
    return {"bars": bars, "height": len(bars) * row_height, "row_height": row_height}
