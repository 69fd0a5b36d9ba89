"""The public page cache: anonymous readers get whole cached pages; every publication,
unpublication, scheduled publication and correction makes exactly the pages it changes stale
at once; staff never get a cached page; cached pages carry no cookie or CSRF token; public
pages answer conditional requests."""

import datetime
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import (
    CombinationEntryVersionFactory,
    TherapyArticleVersionFactory,
    TrialNoteVersionFactory,
    make_editor,
    make_moderator,
)
from therapies import pagecache, workflow

pytestmark = pytest.mark.django_db


def publish_new_version(item, *, title, publish_at=None):
    """A new version of `item`, edited, submitted and approved through the workflow."""
    editor, moderator = make_editor(), make_moderator()
    draft = workflow.new_version(item, by=editor)
    workflow.edit(draft, by=editor, title=title, change_summary="New title.")
    workflow.submit(draft, by=editor)
    workflow.approve(draft, by=moderator, publish_at=publish_at)
    return draft


def get(client, url, **headers):
    """The response and the number of database queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries)


@pytest.fixture
def trial():
    therapy = TherapyArticleVersionFactory(state="published", title="Linked therapy")
    note = TrialNoteVersionFactory(state="published", title="Original trial title")
    note.therapies.set([therapy.item])
    return note.item


# --- served from the cache ---------------------------------------------------------------------


PAGES = ["detail", "history", "/", "/trials/", "/updates/", "/feeds/updates/", "/sitemap.xml",
         "/search/?q=trial"]  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_a_second_anonymous_request_is_served_from_the_cache(client, trial, page):
    url = {"detail": trial.get_absolute_url(), "history": trial.get_history_url()}.get(page, page)
    first, first_queries = get(client, url)
    second, second_queries = get(client, url)
    assert first.status_code == second.status_code == 200
    assert first_queries > 0 and second_queries == 0
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_page_cache_off_renders_every_request(client, settings, trial):
    settings.PAGE_CACHE = False
    get(client, trial.get_absolute_url())
    response, queries = get(client, trial.get_absolute_url())
    assert queries > 0 and "X-Page-Cache" not in response


# --- exact invalidation ------------------------------------------------------------------------


def test_a_reader_sees_an_approved_version_at_once(client, trial):
    url = trial.get_absolute_url()
    assert "Original trial title" in client.get(url).content.decode()
    started = time.monotonic()
    publish_new_version(trial, title="Revised trial title")
    content = client.get(url).content.decode()
    assert time.monotonic() - started < 1
    assert "Revised trial title" in content and "Original trial title" not in content


def test_publication_refreshes_the_lists_home_updates_feeds_and_sitemap(client, trial):
    urls = ["/", "/trials/", "/updates/", "/feeds/updates/", "/feeds/updates/atom/"]
    for url in [*urls, "/sitemap.xml"]:
        client.get(url)
    publish_new_version(trial, title="Revised trial title")
    for url in urls:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Revised trial title" in response.content.decode(), url
    assert client.get("/sitemap.xml")["X-Page-Cache"] == "miss"


def test_publication_refreshes_the_pages_that_link_the_item(client, trial):
    therapy = trial.versions.get(state="published").therapies.get()
    client.get(therapy.get_absolute_url())
    publish_new_version(trial, title="Revised trial title")
    assert "Revised trial title" in client.get(therapy.get_absolute_url()).content.decode()


def test_a_link_dropped_by_the_new_version_leaves_the_old_target_s_page(client, trial):
    therapy = trial.versions.get(state="published").therapies.get()
    assert "Original trial title" in client.get(therapy.get_absolute_url()).content.decode()
    editor = make_editor()
    draft = workflow.new_version(trial, by=editor)
    workflow.edit(draft, by=editor, therapies=[], change_summary="Unlinked.")
    workflow.submit(draft, by=editor)
    workflow.approve(draft, by=make_moderator())
    assert "Original trial title" not in client.get(therapy.get_absolute_url()).content.decode()


def test_an_unrelated_item_s_page_stays_cached(client, trial):
    other = TrialNoteVersionFactory(state="published", title="Unrelated trial").item
    get(client, other.get_absolute_url())
    publish_new_version(trial, title="Revised trial title")
    response, queries = get(client, other.get_absolute_url())
    assert response["X-Page-Cache"] == "hit" and queries == 0


def test_unpublishing_removes_the_page_and_its_list_entry_at_once(client, trial):
    url = trial.get_absolute_url()
    client.get(url), client.get("/trials/")
    workflow.unpublish(trial, by=make_moderator(), comment="Withdrawn.")
    assert client.get(url).status_code == 404
    assert "Original trial title" not in client.get("/trials/").content.decode()


def test_a_scheduled_publication_is_visible_once_it_runs(client, trial):
    url = trial.get_absolute_url()
    client.get(url)
    soon = timezone.now() + datetime.timedelta(minutes=5)
    publish_new_version(trial, title="Scheduled title", publish_at=soon)
    assert "Scheduled title" not in client.get(url).content.decode()
    workflow.publish_due(now=soon + datetime.timedelta(seconds=1))
    assert "Scheduled title" in client.get(url).content.decode()


def test_a_correction_shows_at_once(client, trial):
    url = trial.get_absolute_url()
    client.get(url), client.get("/updates/")
    live = trial.versions.get(state="published")
    workflow.mark_correction(live, by=make_moderator(), note="Enrollment figure fixed.")
    assert "Enrollment figure fixed." in client.get(url).content.decode()
    assert "Enrollment figure fixed." in client.get("/updates/").content.decode()


def test_the_generation_is_bumped_again_when_the_transaction_commits(
    trial, django_capture_on_commit_callbacks
):
    scope = pagecache.item_scope("trial", trial.nct_id)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish_new_version(trial, title="Revised trial title")
    during = pagecache.generations([scope])
    for callback in callbacks:
        callback()
    assert pagecache.generations([scope]) != during


def test_an_evicted_generation_never_brings_back_a_stale_page(client, trial):
    url = trial.get_absolute_url()
    client.get(url)
    cache.delete(f"{pagecache.PREFIX}:gen:{pagecache.item_scope('trial', trial.nct_id)}")
    assert client.get(url)["X-Page-Cache"] == "miss"


# --- who gets a cached page --------------------------------------------------------------------


def test_signed_in_staff_never_get_or_leave_a_cached_page(client, trial):
    url = trial.get_absolute_url()
    client.get(url)  # cached for readers
    client.force_login(make_editor())
    response, queries = get(client, url)
    assert queries > 0 and "X-Page-Cache" not in response
    client.logout()
    cache.clear()
    client.force_login(make_editor())
    client.get(url)
    client.logout()
    assert client.get(url)["X-Page-Cache"] == "miss"  # the staff page was not stored


def test_cached_pages_carry_no_cookie_or_csrf_token(client, trial):
    for _ in range(2):
        response = client.get(trial.get_absolute_url())
        assert not response.cookies
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert "Set-Cookie" not in response


def test_a_review_link_page_is_never_cached(client):
    draft = TherapyArticleVersionFactory(state="draft")
    link = workflow.create_review_link(draft, by=make_moderator(), label="Dr Expert")
    client.get(link.get_absolute_url())
    response = client.get(link.get_absolute_url())
    assert "X-Page-Cache" not in response and "no-store" in response["Cache-Control"]


def test_admin_pages_are_never_cached(client):
    client.get("/admin/login/")
    assert "X-Page-Cache" not in client.get("/admin/login/")


# --- conditional requests ----------------------------------------------------------------------


def test_public_pages_answer_conditional_requests(client, trial):
    url = trial.get_absolute_url()
    response = client.get(url)
    etag, modified = response["ETag"], response["Last-Modified"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert client.get(url, headers={"if-modified-since": modified}).status_code == 304
    publish_new_version(trial, title="Revised trial title")
    fresh = client.get(url, headers={"if-none-match": etag})
    assert fresh.status_code == 200 and fresh["ETag"] != etag


def test_conditional_requests_work_with_the_page_cache_off(client, settings, trial):
    settings.PAGE_CACHE = False
    etag = client.get("/trials/")["ETag"]
    assert client.get("/trials/", headers={"if-none-match": etag}).status_code == 304


def test_lists_and_detail_pages_share_no_generation():
    therapy = TherapyArticleVersionFactory(state="published")
    combination = CombinationEntryVersionFactory(state="published", therapies=[therapy.item])
    scopes = {pagecache.CATALOGUE, pagecache.item_scope("therapy", therapy.item.slug),
              pagecache.item_scope("combination", combination.item.slug)}  # fmt: skip
    assert len(set(pagecache.generations(sorted(scopes)))) == len(scopes)


# --- with Redis, as production runs it ---------------------------------------------------------


@pytest.fixture
def redis_cache(settings):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/9"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379 (.ci/run starts one)")
    settings.CACHES = {"default": {"BACKEND": "portal.cache.SharedClientRedisCache",
                                   "LOCATION": url, "KEY_PREFIX": "test"}}  # fmt: skip
    from django.core.cache import caches

    caches["default"].clear()
    yield
    caches["default"].clear()


def test_the_redis_backend_reuses_one_client_per_pool(redis_cache):
    from django.core.cache import caches

    backend = caches["default"]
    backend.set("probe", {"a": 1})
    assert backend.get("probe") == {"a": 1} and backend.get_many(["probe"]) == {"probe": {"a": 1}}
    assert backend._cache.get_client(write=True) is backend._cache.get_client(write=False)


def test_with_redis_a_reader_sees_an_approved_version_at_once(client, redis_cache, trial):
    url = trial.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    publish_new_version(trial, title="Revised trial title")
    assert "Revised trial title" in client.get(url).content.decode()


def test_deploy_check_warns_of_a_per_process_page_cache(settings):
    from django.core import checks

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "therapies.W001" in {m.id for m in checks.run_checks(include_deployment_checks=True)}
    settings.PAGE_CACHE = False
    assert "therapies.W001" not in {m.id for m in checks.run_checks(include_deployment_checks=True)}


def test_cached_fragments_follow_each_publication_with_the_page_cache_off(client, settings):
    """The matrix, the trial charts and the home page's counts and A–Z lists are rendered
    once per catalogue generation ({% cache %}), so they too change with a publication."""
    settings.PAGE_CACHE = False
    therapies = [TherapyArticleVersionFactory(state="published", therapy_class="car_t").item
                 for _ in range(2)]  # fmt: skip
    TrialNoteVersionFactory(state="published", phase="PHASE2")

    def shown():
        matrix = client.get("/combinations/").content.decode()
        trials = client.get("/trials/").content.decode()
        home = client.get("/").content.decode()
        phase_1 = '<span class="bar-label">Phase 1</span>' in trials
        return ("class_a=car_t&amp;class_b=car_t" in matrix, phase_1,
                "Fresh combination" in home)  # fmt: skip

    assert shown() == (False, False, False)
    draft = CombinationEntryVersionFactory(state="draft", title="Fresh combination",
                                           therapies=therapies)  # fmt: skip
    workflow.submit(draft, by=make_editor())
    workflow.approve(draft, by=make_moderator())
    note = TrialNoteVersionFactory(state="draft", phase="PHASE1")
    workflow.submit(note, by=make_editor())
    workflow.approve(note, by=make_moderator())
    assert shown() == (True, True, True)
    assert 'class="bar"' in client.get("/trials/").content.decode()  # the chart is drawn


def test_invalidating_after_a_deploy_makes_every_cached_page_stale(client, trial):
    from django.core.management import call_command

    for url in (trial.get_absolute_url(), "/trials/"):
        client.get(url)
    call_command("invalidate_page_cache", verbosity=0)
    for url in (trial.get_absolute_url(), "/trials/"):
        assert client.get(url)["X-Page-Cache"] == "miss", url
