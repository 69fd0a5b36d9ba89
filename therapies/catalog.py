"""Read-side queries of the public site: what is published, grouped and counted.

Every function starts from a `published()` queryset and runs a fixed number of queries,
whatever the amount of content, so each page's query budget is independent of its size.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Lower

from therapies import kinds, pagecache
from therapies.models import (
    CONTENT_KINDS,
    CancerType,
    ChangelogEntry,
    CombinationEntryVersion,
    OverallStatus,
    TherapyArticleVersion,
    TherapyClass,
    TrialCondition,
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


# --- the public changelog ----------------------------------------------------------------------


def public_history(version_model):
    """Versions that were published, of items that are published now: what an item's
    history page may show (never drafts, reviews or withdrawn items)."""
    return version_model.objects.filter(
        state__in=PUBLIC_HISTORY_STATES,
        published_at__isnull=False,
        item__versions__state=VersionState.PUBLISHED,
    )


def changelog_rows():
    """All public history of all kinds, newest first: the changelog index, one indexed
    query that paginates in the database whatever the size of the catalogue."""
    return ChangelogEntry.objects.filter(visible=True).order_by("-published_at", "-id")


def load_versions(entries) -> list:
    """The versions behind changelog entries, in the entries' order: one query per kind."""
    wanted = defaultdict(list)
    for entry in entries:
        wanted[entry.kind].append(entry.version_id)
    loaded = {}
    for kind, pks in wanted.items():
        version_model = kinds.get(kind).version_model
        label = version_model._meta.get_field("item").related_model._meta.verbose_name
        for version in (
            version_model.objects.filter(pk__in=pks).listed().select_related("item", "reviewed_by")
        ):
            version.kind, version.kind_label = kind, label
            loaded[kind, version.pk] = version
    return [
        loaded[entry.kind, entry.version_id]
        for entry in entries
        if (entry.kind, entry.version_id) in loaded
    ]


def published_titles(item_model, limit: int = 12) -> tuple[list, int]:
    """The first `limit` published versions of a kind by title (an index scan on the
    published titles), with the number of published items of that kind (for a "see all"
    link); cached until the catalogue changes."""
    kind = kinds.of(item_model).name
    first = pagecache.memo(
        f"published_titles:{kind}:{limit}",
        lambda: list(
            item_model.version_model()
            .objects.published()
            .listed()
            .select_related("item")
            .order_by(Lower("title"))[:limit]
        ),
    )
    return first, published_counts()[kind]


def published_counts() -> dict[str, int]:
    """How many items of each kind are published: one query, cached until the catalogue
    changes."""

    def compute():
        names = list(KINDS)
        counts = [
            f"(SELECT COUNT(*) FROM {KINDS[name][1]._meta.db_table} WHERE state = %s)"
            for name in names
        ]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(counts)}", [VersionState.PUBLISHED] * len(names))
            return dict(zip(names, cursor.fetchone(), strict=True))

    return pagecache.memo("published_counts", compute)


def recent_updates(limit: int = 6) -> list:
    """The newest public versions; cached until the catalogue changes."""
    return pagecache.memo(
        f"recent_updates:{limit}", lambda: load_versions(list(changelog_rows()[:limit]))
    )


# --- keeping the derived data current ----------------------------------------------------------


def sync_changelog(item) -> None:
    """Make the item's changelog entries match its versions: every version in its public
    history has an entry, shown while the item is published. A few queries per item."""
    kind = kinds.of(item).name
    history = list(
        item.versions.filter(state__in=PUBLIC_HISTORY_STATES, published_at__isnull=False)
        .values_list("pk", "published_at", "state")
    )  # fmt: skip
    live = any(state == VersionState.PUBLISHED for _, _, state in history)
    ChangelogEntry.objects.bulk_create(
        [ChangelogEntry(kind=kind, item_id=item.pk, version_id=pk, published_at=at, visible=live)
         for pk, at, _ in history],
        update_conflicts=True, unique_fields=["kind", "version_id"],
        update_fields=["published_at", "visible"],
    )  # fmt: skip
    ChangelogEntry.objects.filter(kind=kind, item_id=item.pk, visible=True).exclude(
        version_id__in=[pk for pk, _, _ in history]
    ).update(visible=False)


def linked_scopes(version) -> set[str]:
    """The page-cache scopes of the items whose pages show `version`'s item: those it links
    (a combination's therapies, a trial note's therapies and combinations) and those whose
    live version links it (a therapy's combinations and trial notes), as the kinds declare."""
    kind = kinds.of(version)
    scopes = set()
    for link, target in kind.links.items():
        keys = getattr(version, link).values_list(kinds.get(target).key_field, flat=True)
        scopes |= {pagecache.item_scope(target, key) for key in keys}
    for other, link in kind.linking():
        keys = (
            other.item_model.objects.filter(
                **{f"versions__{link}": version.item, "versions__state": VersionState.PUBLISHED}
            )
            .values_list(other.key_field, flat=True)
            .distinct()
        )
        scopes |= {pagecache.item_scope(other.name, key) for key in keys}
    return scopes


def public_change(version, *others) -> None:
    """`version`'s public state changed — published, superseded, unpublished or corrected:
    keep the changelog current and make stale exactly the cached pages that show it (its
    item's pages, the pages linked to it by `version` or by `others`, e.g. the version it
    replaced, and the catalogue pages)."""
    sync_changelog(version.item)
    scopes = {pagecache.CATALOGUE, pagecache.item_scope(kinds.of(version).name,
                                                        version.item.key)}  # fmt: skip
    for each in (version, *others):
        scopes |= linked_scopes(each)
    pagecache.bump(scopes)


def references_changed() -> None:
    """Two citations were linked as one paper (or unlinked): any page citing either shows its
    references anew. Rare, so every cached page is made stale rather than finding them."""
    pagecache.invalidate_all()


def rebuild_derived() -> None:
    """Rebuild the condition counts and the changelog from the versions (after a bulk load
    that bypassed the workflow, or to repair them); streams the versions, never holds them
    all."""
    TrialCondition.objects.all().delete()
    TrialCondition.objects.bulk_create(
        [TrialCondition(name=name, name_lower=name.lower(), trials=n)
         for name, n in _condition_counts()], batch_size=5000,
    )  # fmt: skip
    ChangelogEntry.objects.all().delete()
    for kind, (_, version_model) in KINDS.items():
        live = Exists(
            version_model.objects.filter(item_id=OuterRef("item_id"),
                                         state=VersionState.PUBLISHED)
        )  # fmt: skip
        rows = (
            version_model.objects.filter(published_at__isnull=False)
            .annotate(live=live)
            .values_list("pk", "item_id", "published_at", "state", "live")
            .order_by("pk")
        )
        batch = []
        for pk, item_id, published_at, state, item_live in rows.iterator(chunk_size=5000):
            batch.append(ChangelogEntry(
                kind=kind, item_id=item_id, version_id=pk, published_at=published_at,
                visible=item_live and state in PUBLIC_HISTORY_STATES,
            ))  # fmt: skip
            if len(batch) == 5000:
                ChangelogEntry.objects.bulk_create(batch)
                batch = []
        ChangelogEntry.objects.bulk_create(batch)
    pagecache.invalidate_all()


# --- therapy classes and the combination matrix ----------------------------------------------


def therapy_class_counts() -> dict[str, int]:
    """Published therapy articles by class; cached until the catalogue changes."""

    def compute():
        rows = (
            TherapyArticleVersion.objects.published()
            .values_list("therapy_class")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return dict(rows)

    counts = pagecache.memo("therapy_class_counts", compute)
    return {value: counts.get(value, 0) for value in TherapyClass.values}


def therapy_cancer_types() -> list[tuple[str, str]]:
    """(slug, name) of the cancer types published therapy articles cover, for the therapy
    list's filter; cached until the catalogue changes."""
    return pagecache.memo(
        "therapy_cancer_types",
        lambda: list(
            CancerType.objects.filter(therapy_versions__state=VersionState.PUBLISHED)
            .values_list("slug", "name").distinct().order_by("name")
        ),
    )  # fmt: skip


def _class_pair_counts() -> dict[tuple[str, str], int]:
    """(class of one therapy, class of another) → how many published combination entries
    combine two different published therapies of those classes. Both orders are given.
    Counted by the database (a few dozen rows come back, whatever the catalogue's size)."""
    combination = CombinationEntryVersion._meta.db_table
    through = CombinationEntryVersion.therapies.through._meta.db_table
    therapy = TherapyArticleVersion._meta.db_table
    sql = f"""
        SELECT a.therapy_class, b.therapy_class, COUNT(DISTINCT c.id)
        FROM {combination} c
        JOIN {through} x ON x.combinationentryversion_id = c.id
        JOIN {therapy} a ON a.item_id = x.therapyarticle_id AND a.state = %s
        JOIN {through} y ON y.combinationentryversion_id = c.id
             AND y.therapyarticle_id <> x.therapyarticle_id
        JOIN {therapy} b ON b.item_id = y.therapyarticle_id AND b.state = %s
        WHERE c.state = %s
        GROUP BY a.therapy_class, b.therapy_class
    """  # noqa: S608 — table names from the models' own metadata; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [VersionState.PUBLISHED] * 3)
        return {(row, column): count for row, column, count in cursor.fetchall()}


@dataclass(frozen=True)
class MatrixCell:
    row: str
    column: str
    count: int


def class_pair_count(class_a: str, class_b: str) -> int:
    """How many published combination entries combine a therapy of each class (a matrix
    cell); cached until the catalogue changes."""
    return pagecache.memo("combination_class_pairs", _class_pair_counts).get((class_a, class_b), 0)


def combination_matrix() -> list[tuple[str, list]]:
    """Therapy class × therapy class: the number of published combination entries that
    combine a therapy of each. Symmetric; the diagonal counts two therapies of one class.
    Cached until the catalogue changes."""
    counts = pagecache.memo("combination_class_pairs", _class_pair_counts)
    return [
        (row, [MatrixCell(row, column, counts.get((row, column), 0))
               for column in TherapyClass.values])
        for row in TherapyClass.values
    ]  # fmt: skip


def attach_combined_therapies(combinations) -> None:
    """Give each combination version `published_therapies`: the published versions of the
    therapies it combines, by slug. One query for the whole page."""
    combinations = list(combinations)
    found = defaultdict(list)
    rows = (
        TherapyArticleVersion.objects.published().listed()
        .filter(item__combination_versions__in=combinations)
        .annotate(combination_pk=F("item__combination_versions"))
        .select_related("item")
        .order_by("item__slug")
    )  # fmt: skip
    for row in rows:
        found[row.combination_pk].append(row)
    for combination in combinations:
        combination.published_therapies = found[combination.pk]


def _therapies_of_class(therapy_class: str, therapies=None):
    """A combination version's links to published therapies of `therapy_class` (correlated
    with the outer combination version); `therapies`: the therapy versions that count as
    published (those live at a past moment), else those published now."""
    if therapies is None:
        therapies = TherapyArticleVersion.objects.published()
    live_of_class = therapies.filter(therapy_class=therapy_class)
    return CombinationEntryVersion.therapies.through.objects.filter(
        combinationentryversion=OuterRef("pk"),
        therapyarticle_id__in=live_of_class.values("item_id"),
    )


def with_classes(versions, class_a: str = "", class_b: str = "", *, therapies=None):
    """Combination versions that combine a published therapy of `class_a` with a different
    one of `class_b` (either may be empty: any class): indexed subqueries, never a list of
    ids built in Python. `therapies`: as for `_therapies_of_class`."""
    wanted = [value for value in (class_a, class_b) if value]
    if len(wanted) == 2 and wanted[0] == wanted[1]:
        two_of_a_kind = Subquery(
            _therapies_of_class(wanted[0], therapies)
            .order_by()
            .values("combinationentryversion")
            .annotate(n=Count("therapyarticle_id", distinct=True))
            .values("n")[:1],
            output_field=IntegerField(),
        )
        return versions.annotate(same_class=two_of_a_kind).filter(same_class__gte=2)
    for value in wanted:
        versions = versions.filter(Exists(_therapies_of_class(value, therapies)))
    return versions


# --- trials ----------------------------------------------------------------------------------


TRIAL_COUNT_FIELDS = {"phase": TrialPhase, "overall_status": OverallStatus}


def trial_counts(fields=tuple(TRIAL_COUNT_FIELDS)) -> dict[str, list[tuple[str, str, int]]]:
    """Published trial notes counted by phase and/or overall status: (value, label, count),
    in ClinicalTrials.gov's order, only values that occur. Cached until the catalogue
    changes; otherwise one indexed aggregate query per field."""
    published = TrialNoteVersion.objects.published()
    result = {}
    for field in fields:
        choices = TRIAL_COUNT_FIELDS[field]
        counts = pagecache.memo(
            f"trial_counts:{field}",
            lambda field=field: dict(published.values_list(field).annotate(n=Count("pk"))
                                     .order_by()),
        )  # fmt: skip
        labels = dict(choices.choices)
        rows = [
            (value, labels[value], counts[value]) for value in choices.values if value in counts
        ]
        if counts.get(""):
            rows.append(("", "Not recorded", counts[""]))
        result[field] = rows
    return result


def _condition_counts() -> list[tuple[str, int]]:
    """Every condition named by published trial notes with how many name it: counted by the
    database, which returns one row per distinct condition (for a rebuild)."""
    table = TrialNoteVersion._meta.db_table
    if connection.vendor == "postgresql":
        each = "jsonb_array_elements_text(v.conditions) AS c(value)"
    else:
        each = "json_each(v.conditions) AS c"
    sql = f"""
        SELECT c.value, COUNT(*) FROM {table} v, {each}
        WHERE v.state = %s GROUP BY c.value
    """  # noqa: S608 — the table name comes from the model's metadata
    with connection.cursor() as cursor:
        cursor.execute(sql, [VersionState.PUBLISHED])
        return [(name, count) for name, count in cursor.fetchall() if name]


def count_conditions(*, went_live=(), left=()) -> None:
    """Keep the condition summary rows current as trial-note versions go live or leave
    (+1 or -1 for each condition they name; versions of other kinds name none), in the
    caller's transaction: concurrent publications naming the same condition take turns on
    its row, so no count is lost, and a rolled-back publication takes its counts back."""
    delta = Counter()
    for version in went_live:
        delta.update({name for name in getattr(version, "conditions", ()) if name})
    for version in left:
        delta.subtract({name for name in getattr(version, "conditions", ()) if name})
    rows = [(name, name.lower(), n) for name, n in sorted(delta.items()) if n]
    if not rows:
        return
    table = TrialCondition._meta.db_table
    sql = (
        f"INSERT INTO {table} (name, name_lower, trials) VALUES "
        + ", ".join(["(%s, %s, %s)"] * len(rows))
        + f" ON CONFLICT (name) DO UPDATE SET trials = {table}.trials + excluded.trials"
    )  # noqa: S608 — the table name comes from the model's metadata; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])
    TrialCondition.objects.filter(name__in=[row[0] for row in rows], trials__lte=0).delete()


def recount_conditions(names) -> None:
    """Bring the summary rows of these conditions up to date by counting (a condition no
    published trial note names any more is removed): for a version saved as published
    outside the workflow, whose change is not known. One count per condition, which the GIN
    index on the conditions answers on PostgreSQL."""
    names = sorted({name for name in names if name})
    if not names:
        return
    published = TrialNoteVersion.objects.published()
    counts = {name: published.filter(conditions__has_entry=name).count() for name in names}
    TrialCondition.objects.bulk_create(
        [TrialCondition(name=name, name_lower=name.lower(), trials=n)
         for name, n in counts.items() if n],
        update_conflicts=True, unique_fields=["name"], update_fields=["trials"],
    )  # fmt: skip
    TrialCondition.objects.filter(name__in=[name for name, n in counts.items() if not n]).delete()


def common_conditions(limit: int = 30) -> list[tuple[str, int]]:
    """The conditions most trial notes name: one indexed query, cached until the catalogue
    changes."""
    return pagecache.memo(
        f"common_conditions:{limit}",
        lambda: list(TrialCondition.objects.values_list("name", "trials")[:limit]),
    )


def matching_conditions(text: str, limit: int = 10) -> list[tuple[str, int]]:
    """Conditions containing `text` (any case), those starting with it first, then the most
    common: what the condition field suggests as the reader types."""
    needle = text.strip().lower()
    if not needle:
        return common_conditions(limit)
    starts_first = Case(When(name_lower__startswith=needle, then=Value(0)), default=Value(1))
    return list(
        TrialCondition.objects.filter(name_lower__contains=needle)
        .order_by(starts_first, "-trials", "name")
        .values_list("name", "trials")[:limit]
    )


def spellings_of(condition: str) -> list[str]:
    """The registered spellings of a condition a reader typed, matched whole and in any case
    ("melanoma" finds "Melanoma"); empty if no published trial note names it."""
    wanted = condition.strip().lower()
    return list(TrialCondition.objects.filter(name_lower=wanted).values_list("name", flat=True))


def trial_therapies(limit: int = 40) -> list[tuple[str, str]]:
    """(slug, title) of the published therapies most often linked by published trial notes,
    for the trial list's therapy filter; cached until the catalogue changes."""

    def compute():
        rows = (
            TherapyArticleVersion.objects.published()
            .filter(item__trial_versions__state=VersionState.PUBLISHED)
            .values_list("item__slug", "title")
            .annotate(n=Count("item__trial_versions"))
            .order_by("-n", Lower("title"))[:limit]
        )
        return [(slug, title) for slug, title, _ in rows]

    return pagecache.memo(f"trial_therapies:{limit}", compute)


@dataclass(frozen=True)
class Bar:
    value: str
    label: str
    count: int
    percent: float  # of the largest count: the bar's length in its track


def bar_chart(rows) -> dict:
    """A horizontal bar chart drawn on the server (no script, no CDN): one bar per (value,
    label, count) row, lengths relative to the largest count. The template draws each bar
    as a link to the list filtered by its value, with its label and count as text."""
    largest = max((count for _, _, count in rows), default=0) or 1
    bars = [Bar(value, label, count, round(100 * count / largest, 1))
            for value, label, count in rows]  # fmt: skip
    return {"bars": bars}
