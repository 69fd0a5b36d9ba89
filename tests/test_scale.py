"""Pages whose cost does not grow with the catalogue: a fixed number of queries at 10 and at
1,000 items of each kind, bounded rows per request, capped pagination, a sitemap index, the
changelog index, cached counts that follow every publication, and the condition filter."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from tests.factories import TrialNoteVersionFactory, make_editor, make_moderator
from therapies import catalog, workflow
from therapies.models import (
    ChangelogEntry,
    CombinationEntry,
    TherapyArticle,
    TrialCondition,
    TrialNote,
    TrialNoteVersion,
)

pytestmark = pytest.mark.django_db

DETAIL_BUDGET = 5
PAGE_BUDGET = 12


def seed(count: int, *, force: bool = False) -> None:
    call_command("seed_bench", therapies=count, combinations=count, trials=count, seed=7,
                 force=force, verbosity=0)  # fmt: skip


def public_urls() -> dict[str, list[str]]:
    """Every kind of public page, on seeded content: {"detail": [...], "other": [...]}."""
    therapy = TherapyArticle.objects.published().filter(
        trial_versions__state="published").order_by("pk").first()  # fmt: skip
    combination = CombinationEntry.objects.published().order_by("pk").first()
    trial = TrialNote.objects.published().order_by("pk").first()
    condition = trial.published.conditions[0]
    return {
        "detail": [therapy.get_absolute_url(), therapy.get_history_url(),
                   combination.get_absolute_url(), combination.get_history_url(),
                   trial.get_absolute_url(), trial.get_history_url()],
        "other": ["/", "/therapies/", "/therapies/?therapy_class=car_t", "/combinations/",
                  "/combinations/?class_a=checkpoint_inhibitor&class_b=car_t",
                  "/combinations/?class_a=checkpoint_inhibitor", "/trials/",
                  "/trials/?phase=PHASE2&sort=start",
                  f"/trials/?condition={condition.lower()}", f"/trials/?therapy={therapy.slug}",
                  "/trials/?page=3", "/trials/conditions/?q=carc", "/search/?q=synthetic",
                  "/updates/", "/updates/?page=2", "/feeds/updates/", "/feeds/updates/atom/",
                  "/sitemap.xml", "/sitemap-trials.xml", "/robots.txt"],
    }  # fmt: skip


def query_counts(client, urls, *, cold: bool) -> dict[str, int]:
    """Queries each page runs with the page cache off; `cold`: with no cached counts either."""
    counts = {}
    for url in urls:
        client.get(url)  # warm
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries)
    return counts


@pytest.mark.parametrize("cold", [True, False], ids=["cold", "warm"])
def test_query_counts_are_fixed_at_10_and_1000_items(client, settings, cold):
    settings.PAGE_CACHE = False
    seed(10)
    urls = public_urls()
    small = query_counts(client, urls["detail"] + urls["other"], cold=cold)
    seed(990, force=True)
    large = query_counts(client, urls["detail"] + urls["other"], cold=cold)
    # Equal, or fewer where a page happens to show fewer kinds (search loads per kind shown).
    assert {url: n for url, n in large.items() if n > small[url]} == {}
    assert {url: n for url, n in large.items() if n > DETAIL_BUDGET and url in urls["detail"]} == {}
    assert {url: n for url, n in large.items() if n > PAGE_BUDGET} == {}


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="rows counted by psycopg")
def test_no_public_request_reads_every_row_of_a_kind(client, settings):
    settings.PAGE_CACHE = False
    seed(1000)
    rows = []

    def count_rows(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        rows.append(max(context["cursor"].rowcount, 0))
        return result

    urls = public_urls()
    for url in urls["detail"] + urls["other"]:
        if url.startswith("/sitemap"):
            continue  # a sitemap page lists up to SECTION_LIMIT addresses: see below
        cache.clear()
        rows.clear()
        with connection.execute_wrapper(count_rows):
            client.get(url)
        assert sum(rows) <= 400, (url, rows)


# --- pagination, sitemap -----------------------------------------------------------------------


def test_lists_count_at_most_fifty_pages(client, settings, monkeypatch):
    from therapies import views

    settings.PAGE_CACHE = False
    monkeypatch.setattr(views, "MAX_PAGES", 2)
    for number in range(45):
        TrialNoteVersionFactory(state="published", title=f"Trial {number:02d}", phase="PHASE2")
    content = client.get("/trials/?phase=PHASE2").content.decode()
    assert "More than 40 trial notes" in content and "Page 1 of 2" in content
    assert "narrow the filters" in content
    assert "Page 2 of 2" in client.get("/trials/?phase=PHASE2&page=99").content.decode()
    # Unfiltered, the total is known from the cached counts and shown exactly.
    assert "45 trial notes" in client.get("/trials/").content.decode()


def test_sitemap_becomes_an_index_of_pages_beyond_one_file(client, monkeypatch):
    from portal import sitemaps

    for number in range(5):
        TrialNoteVersionFactory(state="published", title=f"Trial {number}")
    monkeypatch.setattr(sitemaps, "SECTION_LIMIT", 2)
    monkeypatch.setattr(sitemaps.PublishedItemSitemap, "limit", 2)
    index = client.get("/sitemap.xml").content.decode()
    assert "<sitemapindex" in index and "/sitemap-trials.xml?p=3" in index
    page = client.get("/sitemap-trials.xml?p=2").content.decode()
    assert page.count("<url>") == 2 and "/trials/NCT" in page


def test_a_small_sitemap_is_one_file(client):
    note = TrialNoteVersionFactory(state="published")
    content = client.get("/sitemap.xml").content.decode()
    assert "<urlset" in content and note.item.get_absolute_url() in content


# --- the changelog index and the cached counts -------------------------------------------------


def test_changelog_follows_publication_unpublication_and_republication(client):
    note = TrialNoteVersionFactory(state="published", title="Listed trial")
    assert "Listed trial" in client.get("/updates/").content.decode()
    moderator = make_moderator()
    workflow.unpublish(note.item, by=moderator, comment="Withdrawn.")
    assert "Listed trial" not in client.get("/updates/").content.decode()
    editor = make_editor()
    draft = workflow.new_version(note.item, by=editor, from_version=note)
    workflow.submit(draft, by=editor)
    workflow.approve(draft, by=moderator)
    content = client.get("/updates/").content.decode()
    assert content.count("Listed trial") == 1  # the new version; the unpublished one is not
    entries = ChangelogEntry.objects.filter(kind="trial", item_id=note.item_id)
    assert {(e.version_id, e.visible) for e in entries} == {(note.pk, False), (draft.pk, True)}


def test_rebuilding_the_changelog_gives_what_the_workflow_kept():
    seed(20)
    kept = set(ChangelogEntry.objects.values_list("kind", "version_id", "published_at",
                                                  "visible"))  # fmt: skip
    catalog.rebuild_derived()
    assert set(ChangelogEntry.objects.values_list("kind", "version_id", "published_at",
                                                  "visible")) == kept  # fmt: skip
    assert kept


def test_cached_counts_follow_each_publication(client):
    TrialNoteVersionFactory(state="published", phase="PHASE3")
    assert catalog.trial_counts(("phase",))["phase"] == [("PHASE3", "Phase 3", 1)]
    note = TrialNoteVersionFactory(state="draft", phase="PHASE1")
    workflow.submit(note, by=make_editor())
    workflow.approve(note, by=make_moderator())
    assert {v: n for v, _, n in catalog.trial_counts(("phase",))["phase"]} == {
        "PHASE1": 1, "PHASE3": 1,
    }  # fmt: skip
    assert catalog.published_counts()["trial"] == 2


# --- the condition filter ----------------------------------------------------------------------


def test_condition_filter_takes_any_case_and_matches_whole_conditions(client):
    TrialNoteVersionFactory(state="published", title="Melanoma trial", conditions=["Melanoma"])
    TrialNoteVersionFactory(state="published", title="Uveal trial",
                            conditions=["Uveal Melanoma"])  # fmt: skip
    content = client.get("/trials/?condition=melanoma").content.decode()
    assert "Melanoma trial" in content and "Uveal trial" not in content
    assert "No published trial note" in client.get("/trials/?condition=glioma").content.decode()


def test_condition_suggestions_as_the_reader_types(client):
    for conditions in (["Melanoma"], ["Melanoma"], ["Uveal Melanoma"], ["Glioma"]):
        TrialNoteVersionFactory(state="published", conditions=conditions)
    TrialNoteVersionFactory(state="draft", conditions=["Melanoma in draft"])
    answer = client.get("/trials/conditions/?q=mela").json()
    assert answer == {"conditions": [{"name": "Melanoma", "trials": 2},
                                     {"name": "Uveal Melanoma", "trials": 1}]}  # fmt: skip
    assert client.get("/trials/conditions/?q=").json()["conditions"][0]["name"] == "Melanoma"


def test_the_trial_list_offers_common_conditions_not_every_one(client, monkeypatch):
    for number in range(40):
        TrialNoteVersionFactory(state="published", conditions=[f"Condition {number:02d}"])
    content = client.get("/trials/").content.decode()
    assert 'list="condition-choices"' in content
    assert content.count('<option value="Condition') == 30


def test_seeded_trial_counts_match_the_database(client):
    seed(30)
    phases = dict(TrialNoteVersion.objects.published().values_list("phase").annotate(n=Count("pk")))
    assert {v: n for v, _, n in catalog.trial_counts(("phase",))["phase"]} == phases


def test_condition_counts_follow_publication_supersession_and_unpublication():
    def counts():
        return dict(TrialCondition.objects.values_list("name", "trials"))

    editor, moderator = make_editor(), make_moderator()
    first = TrialNoteVersionFactory(state="draft", conditions=["Melanoma", "Glioma"])
    workflow.submit(first, by=editor)
    workflow.approve(first, by=moderator)
    TrialNoteVersionFactory(state="published", conditions=["Melanoma"])
    assert counts() == {"Melanoma": 2, "Glioma": 1}
    second = workflow.new_version(first.item, by=editor)
    workflow.edit(second, by=editor, conditions=["Melanoma", "Sarcoma"], change_summary="Fixed.")
    workflow.submit(second, by=editor)
    workflow.approve(second, by=moderator)
    assert counts() == {"Melanoma": 2, "Sarcoma": 1}
    workflow.unpublish(first.item, by=moderator, comment="Withdrawn.")
    assert counts() == {"Melanoma": 1}
    catalog.rebuild_derived()
    assert counts() == {"Melanoma": 1}
