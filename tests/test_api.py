"""The open data API (/api/v1/): what it shows, what it never shows, pinned versions and
moments, conditional requests, limits and errors."""

import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import (
    CancerTypeFactory,
    CitationFactory,
    CombinationEntryVersionFactory,
    TherapyArticleVersionFactory,
    TrialNoteVersionFactory,
    make_editor,
    make_moderator,
)
from therapies import opendata, workflow
from therapies.models import TherapyArticle, TrialNote

pytestmark = pytest.mark.django_db
API = "/api/v1"


def get(client, path, **headers):
    return client.get(f"{API}{path}", headers=headers)


def body(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    return json.loads(response.content)


def publish(version, moderator=None):
    """Submit and approve `version` through the workflow."""
    workflow.submit(version, by=make_editor())
    workflow.approve(version, by=moderator or make_moderator())
    version.refresh_from_db()
    return version


def new_therapy(slug, *, title=None, by=None, **fields):
    fields = {"title": title or slug.replace("-", " ").capitalize(), "summary": "A summary.",
              "body": "## Overview\n\nText.", "therapy_class": "checkpoint_inhibitor",
              "evidence_level": "standard_of_care", "key_agents": ["pembrolizumab"],
              "citations": [CitationFactory()], **fields}  # fmt: skip
    return workflow.create_therapy_article(by=by or make_editor(), slug=slug, **fields)


def revise(item, **fields):
    editor = make_editor()
    version = workflow.new_version(item, by=editor)
    workflow.edit(version, by=editor, **fields)
    version.refresh_from_db()
    return version


# --- 1. what a record says ----------------------------------------------------------------------


def test_a_therapy_record_carries_version_review_evidence_citations_body_and_links(client):
    citation = CitationFactory(value="26027431", label="Larkin J, et al. NEJM 2015.")
    cancer = CancerTypeFactory(name="Melanoma", slug="melanoma")
    version = new_therapy("pd-1-blockade", title="PD-1 blockade",
                          body="**Bold** <script>alert(1)</script>", cancer_types=[cancer],
                          citations=[(citation, "overall survival at 5 years")])  # fmt: skip
    moderator = make_moderator(first_name="Ada", last_name="Reviewer")
    publish(version, moderator)
    record = body(get(client, "/therapies/pd-1-blockade/"))
    assert record["id"] == "pd-1-blockade" and record["version"] == 1
    assert record["status"] == "published" and record["live_until"] is None
    assert record["published_at"].endswith("Z")
    assert record["reviewed"]["by"] == "Ada Reviewer" and record["reviewed"]["at"]
    assert record["evidence_level"] == {"code": "standard_of_care",
                                        "label": "Approved standard of care"}  # fmt: skip
    assert record["citations"] == [{
        "id": "pmid:26027431", "type": "pmid", "identifier": "26027431",
        "label": "Larkin J, et al. NEJM 2015.", "url": "https://pubmed.ncbi.nlm.nih.gov/26027431/",
        "supports": "overall survival at 5 years", "same_as": None,
    }]  # fmt: skip
    assert record["body_markdown"].startswith("**Bold**")
    assert "<strong>Bold</strong>" in record["body_html"] and "<script" not in record["body_html"]
    assert record["cancer_types"] == [{"id": "melanoma", "name": "Melanoma"}]
    links = record["links"]
    assert links["page"].endswith("/therapies/pd-1-blockade/")
    assert links["history"].endswith("/therapies/pd-1-blockade/history/")
    assert links["version_page"].endswith("/therapies/pd-1-blockade/v/1/")
    assert links["version_api"].endswith("/api/v1/therapies/pd-1-blockade/versions/1/")


def test_records_never_carry_emails_review_comments_or_audit(client):
    moderator = make_moderator(email="secret-moderator@example.org")
    editor = make_editor(email="secret-editor@example.org")
    version = new_therapy("il-2", by=editor)
    workflow.submit(version, by=editor)
    workflow.request_changes(version, by=moderator, comment="SECRET-REVIEW-COMMENT")
    workflow.submit(version, by=editor)
    workflow.approve(version, by=moderator)
    for path in ("/therapies/", "/therapies/il-2/", "/therapies/il-2/versions/",
                 "/therapies/il-2/versions/1/", "/citations/"):  # fmt: skip
        text = get(client, path).content.decode()
        assert "@example.org" not in text and "SECRET-REVIEW-COMMENT" not in text
        assert "audit" not in text.lower()


# --- 2. nothing unpublished leaks -------------------------------------------------------------

MARKER = "zqxjunpublishedmarker"


@pytest.fixture
def unpublished_content():
    """A draft, a version in review and a scheduled version, each carrying MARKER in every
    field a reader could search or filter on, beside published content."""
    live = new_therapy("live-therapy", title="Live therapy")
    publish(live)
    cancer = CancerTypeFactory(name=f"Cancer {MARKER}", slug=f"cancer-{MARKER}")
    citation = CitationFactory(kind="url", value=f"https://example.org/{MARKER}",
                               label=f"Reference {MARKER}")  # fmt: skip
    marked = {"title": f"Title {MARKER}", "summary": f"Summary {MARKER}",
              "body": f"Body {MARKER}", "key_agents": [MARKER], "cancer_types": [cancer],
              "citations": [(citation, f"supports {MARKER}"), CitationFactory()],
              "change_summary": f"Change {MARKER}"}  # fmt: skip
    new_therapy(f"draft-{MARKER}", **marked)
    in_review = new_therapy(f"review-{MARKER}", **marked)
    workflow.submit(in_review, by=make_editor())
    scheduled = new_therapy(f"scheduled-{MARKER}", **marked)
    workflow.submit(scheduled, by=make_editor())
    workflow.approve(scheduled, by=make_moderator(),
                     publish_at=timezone.now() + datetime.timedelta(days=3))  # fmt: skip
    # The next version of published content, in review: its page stays as published.
    next_version = revise(live.item, **{k: v for k, v in marked.items() if k != "cancer_types"})
    workflow.submit(next_version, by=make_editor())
    trial = TrialNoteVersionFactory(state="draft", title=f"Trial {MARKER}",
                                    conditions=[MARKER], sponsor=MARKER)  # fmt: skip
    return {"trial": trial.item.nct_id}


def every_request(nct_id):
    """Every endpoint, and every filter of every list, with the marker wherever a value
    goes, now, at a future moment and with a version number."""
    future = (timezone.now() + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    paths = []
    for moment in ("", f"as_of={future}"):
        join = f"&{moment}" if moment else ""
        for collection, filters in {
            "therapies": ["therapy_class=checkpoint_inhibitor", f"cancer=cancer-{MARKER}"],
            "combinations": ["evidence=phase3", f"therapy=draft-{MARKER}"],
            "trials": [f"condition={MARKER}", "phase=PHASE3", "results=none"],
        }.items():
            paths += [f"/{collection}/?q={MARKER}{join}", f"/{collection}/?limit=100{join}"]
            paths += [f"/{collection}/?{f}{join}" for f in filters]
        paths += [f"/cancer-types/?limit=100{join}", f"/citations/?limit=100{join}",
                  f"/cancer-types/cancer-{MARKER}/?{moment}",
                  f"/citations/url:https://example.org/{MARKER}/?{moment}"]  # fmt: skip
        for slug in (f"draft-{MARKER}", f"review-{MARKER}", f"scheduled-{MARKER}",
                     "live-therapy"):  # fmt: skip
            paths += [f"/therapies/{slug}/?{moment}", f"/therapies/{slug}/versions/?{moment}"]
        paths += [f"/trials/{nct_id}/?{moment}", f"/trials/{nct_id}/fhir?{moment}",
                  f"/trials/{nct_id}/versions/?{moment}"]  # fmt: skip
    for slug in (f"draft-{MARKER}", f"review-{MARKER}", f"scheduled-{MARKER}", "live-therapy"):
        paths += [f"/therapies/{slug}/versions/{n}/" for n in (1, 2)]
    paths += [f"/trials/{nct_id}/versions/1/", "/evidence-levels/", "/openapi.json"]
    return paths


def test_no_endpoint_or_filter_shows_a_draft_a_review_or_a_scheduled_version(
    client, unpublished_content
):
    paths = every_request(unpublished_content["trial"])
    assert len(paths) > 60
    for path in paths:
        response = get(client, path)
        assert response.status_code in (200, 404), (path, response.content[:300])
        assert MARKER not in response.content.decode(), path
    # The published version is still what its page gives.
    assert body(get(client, "/therapies/live-therapy/"))["title"] == "Live therapy"


def test_the_pinned_public_pages_never_show_unpublished_versions(client, unpublished_content):
    for slug in (f"draft-{MARKER}", f"review-{MARKER}", f"scheduled-{MARKER}"):
        assert client.get(f"/therapies/{slug}/v/1/").status_code == 404
    response = client.get("/therapies/live-therapy/v/2/")
    assert response.status_code == 404 and MARKER not in response.content.decode()


def test_a_release_holds_nothing_unpublished(tmp_path, unpublished_content):
    from therapies import releases

    releases.export(tmp_path)
    for path in tmp_path.iterdir():
        assert MARKER not in path.read_text("utf-8"), path.name


# --- 3. versions and moments --------------------------------------------------------------------


@pytest.fixture
def history():
    """A therapy published as v1, replaced by v2, then taken down; its times, as stored."""
    first = publish(new_therapy("ipilimumab", title="Ipilimumab v1", evidence_level="phase3"))
    second = revise(first.item, title="Ipilimumab v2", evidence_level="standard_of_care",
                    change_summary="Approved since.")  # fmt: skip
    second = publish(second)
    third_draft = revise(first.item, title="Ipilimumab draft")
    first.refresh_from_db()
    second.refresh_from_db()
    return {"first": first, "second": second, "draft": third_draft}


def iso(moment) -> str:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def test_the_versions_list_names_every_published_version_with_its_dates(client, history):
    first, second = history["first"], history["second"]
    listing = body(get(client, "/therapies/ipilimumab/versions/"))
    assert [(v["version"], v["status"]) for v in listing["items"]] == [
        (1, "superseded"), (2, "published"),
    ]  # fmt: skip
    assert listing["items"][0]["published_at"] == iso(first.published_at)
    assert listing["items"][0]["live_until"] == iso(second.published_at)
    assert listing["items"][1]["change_summary"] == "Approved since."
    assert body(get(client, "/therapies/ipilimumab/versions/3/"))["error"] == "not_found"


def test_a_numbered_version_is_returned_exactly_as_published(client, history):
    old = body(get(client, "/therapies/ipilimumab/versions/1/"))
    assert old["title"] == "Ipilimumab v1" and old["status"] == "superseded"
    assert old["evidence_level"]["code"] == "phase3"
    # The record the API gave while it was live; only what became of it since differs.
    live = body(get(client, f"/therapies/ipilimumab/?as_of={iso(history['first'].published_at)}"))
    assert (live["status"], live["live_until"]) == ("published", None)
    since = {"status", "live_until"}
    assert {k: v for k, v in live.items() if k not in since} == {
        k: v for k, v in old.items() if k not in since
    }


@pytest.mark.parametrize(
    "moment, expected",
    [
        (lambda h: h["first"].published_at - datetime.timedelta(microseconds=1), None),
        (lambda h: h["first"].published_at, "Ipilimumab v1"),
        (lambda h: h["second"].published_at - datetime.timedelta(microseconds=1),
         "Ipilimumab v1"),
        (lambda h: h["second"].published_at, "Ipilimumab v2"),
        (lambda h: timezone.now() + datetime.timedelta(days=1), "Ipilimumab v2"),
    ],
    ids=["before", "at-first", "just-before-second", "at-second", "future"],
)  # fmt: skip
def test_as_of_returns_what_was_live_at_that_moment(client, history, moment, expected):
    at = iso(moment(history)).replace("+", "%2B")
    detail = get(client, f"/therapies/ipilimumab/?as_of={at}")
    listed = body(get(client, f"/therapies/?as_of={at}"))["items"]
    if expected is None:
        assert detail.status_code == 404 and listed == []
    else:
        assert body(detail)["title"] == expected
        assert [record["title"] for record in listed] == [expected]


def test_an_unpublished_item_is_gone_now_but_not_from_the_past(client, history):
    workflow.unpublish(history["first"].item, by=make_moderator(), comment="Withdrawn.")
    assert get(client, "/therapies/ipilimumab/").status_code == 404
    assert body(get(client, "/therapies/"))["items"] == []
    version = TherapyArticle.objects.get(slug="ipilimumab").versions.get(number=2)
    assert version.state == "unpublished" and version.live_until is not None
    at = iso(version.live_until - datetime.timedelta(microseconds=1))
    assert body(get(client, f"/therapies/ipilimumab/?as_of={at}"))["title"] == "Ipilimumab v2"
    assert get(client, f"/therapies/ipilimumab/?as_of={iso(version.live_until)}").status_code == 404
    statuses = [v["status"] for v in body(get(client, "/therapies/ipilimumab/versions/"))["items"]]
    assert statuses == ["superseded", "unpublished"]


def test_as_of_applies_to_linked_items_and_filters(client):
    first = publish(new_therapy("nivolumab", therapy_class="checkpoint_inhibitor"))
    moment = timezone.now()
    publish(revise(first.item, therapy_class="cytokine"))
    at = iso(moment)
    then = body(get(client, f"/therapies/?therapy_class=checkpoint_inhibitor&as_of={at}"))
    now = body(get(client, "/therapies/?therapy_class=checkpoint_inhibitor"))
    assert [r["id"] for r in then["items"]] == ["nivolumab"] and now["items"] == []


# --- 4. lists: filters, search, pages -----------------------------------------------------------


def test_filters_match_the_public_pages(client):
    melanoma = CancerTypeFactory(name="Melanoma", slug="melanoma")
    publish(new_therapy("a-checkpoint", cancer_types=[melanoma]))
    publish(new_therapy("b-cytokine", therapy_class="cytokine"))
    TrialNoteVersionFactory(state="published", phase="PHASE2", conditions=["Melanoma"],
                            overall_status="RECRUITING", results_posted=True)  # fmt: skip
    TrialNoteVersionFactory(state="published", phase="PHASE3", conditions=["Lung cancer"])

    def ids(path):
        return [record["id"] for record in body(get(client, path))["items"]]

    assert ids("/therapies/?therapy_class=cytokine") == ["b-cytokine"]
    assert ids("/therapies/?cancer=melanoma") == ["a-checkpoint"]
    assert len(ids("/trials/?phase=PHASE2")) == 1
    assert len(ids("/trials/?condition=melanoma")) == 1
    assert len(ids("/trials/?status=RECRUITING&results=posted")) == 1
    assert len(ids("/trials/?results=none")) == 1
    assert ids("/therapies/?q=B%20cytokine") == ["b-cytokine"]


def test_cursor_pages_walk_everything_once_in_a_stable_order(client):
    for n in range(7):
        TherapyArticleVersionFactory(state="published", item__slug=f"therapy-{n:02d}")
    seen, path = [], "/therapies/?limit=3"
    while path:
        page = body(get(client, path))
        seen += [record["id"] for record in page["items"]]
        if page["next"] and len(seen) == 3:  # published meanwhile: later in the order
            TherapyArticleVersionFactory(state="published", item__slug="therapy-99")
        path = page["next"] and page["next"].split(API, 1)[1]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 8


@pytest.mark.parametrize(
    "path",
    ["/therapies/", "/trials/", "/combinations/", "/citations/", "/cancer-types/",
     "/trials/?as_of=2099-01-01", "/therapies/?q=Title"],
)  # fmt: skip
def test_a_list_page_runs_the_same_number_of_queries_whatever_its_size(client, path):
    def queries(count):
        cache.clear()
        join = "&" if "?" in path else "?"
        with CaptureQueriesContext(connection) as captured:
            response = get(client, f"{path}{join}limit={count}")
            assert response.status_code == 200 and len(body(response)["items"]) == count
        return len(captured)

    for _ in range(10):
        therapy = TherapyArticleVersionFactory(state="published")
        therapy.cancer_types.add(CancerTypeFactory())
        TrialNoteVersionFactory(state="published").therapies.add(therapy.item)
        CombinationEntryVersionFactory(state="published")
    assert queries(3) == queries(10)


# --- 5. errors are 400s with a JSON body --------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/therapies/?colour=blue", "/therapies/?therapy_class=nonsense", "/therapies/?limit=0",
        "/therapies/?limit=101", "/therapies/?limit=ten", "/therapies/?cursor=%%%",
        "/therapies/?cursor=bm90LWpzb24", "/therapies/?as_of=yesterday",
        "/therapies/?as_of=2026-13-01", "/therapies/?cancer=not%20a%20slug",
        "/combinations/?evidence=strong", "/combinations/?class_a=x",
        "/trials/?phase=PHASE9", "/trials/?status=open", "/trials/?results=maybe",
        f"/trials/?condition={'x' * 201}", "/trials/not-an-nct/", "/citations/?type=isbn",
        "/citations/isbn:123/", "/therapies/x/versions/1/?as_of=2026-01-01",
        "/therapies/x/versions/one/", "/evidence-levels/?sort=x",
    ],
)  # fmt: skip
def test_unknown_filters_and_bad_values_answer_400_with_a_json_error(client, path):
    response = get(client, path)
    assert response.status_code == 400, response.content[:300]
    error = body(response)
    assert error["error"] == "bad_request" and error["detail"]


def test_an_unknown_address_under_the_api_answers_a_json_404(client):
    response = get(client, "/no-such-endpoint/")
    assert response.status_code == 404 and body(response)["error"] == "not_found"


# --- 6. conditional requests, caching, limits, CORS ---------------------------------------------


@pytest.mark.parametrize("page_cache", [True, False])
def test_responses_carry_validators_and_answer_304(client, settings, page_cache):
    settings.PAGE_CACHE = page_cache
    publish(new_therapy("tebentafusp"))
    first = get(client, "/therapies/tebentafusp/")
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert "public" in first["Cache-Control"]
    again = get(client, "/therapies/tebentafusp/", if_none_match=first["ETag"])
    assert again.status_code == 304 and not again.content
    since = get(client, "/therapies/tebentafusp/", if_modified_since=first["Last-Modified"])
    assert since.status_code == 304


def test_errors_carry_validators_too(client):
    for path in ("/therapies/nothing-here/", "/therapies/?colour=blue"):
        response = get(client, path)
        assert response.status_code in (400, 404)
        assert response["ETag"] and response["Last-Modified"]


def test_a_publication_changes_the_validators(client):
    version = publish(new_therapy("tebentafusp"))
    first = get(client, "/therapies/tebentafusp/")
    publish(revise(version.item, title="Tebentafusp revised"))
    after = get(client, "/therapies/tebentafusp/", if_none_match=first["ETag"])
    assert after.status_code == 200 and body(after)["title"] == "Tebentafusp revised"
    listed = get(client, "/therapies/")
    assert body(listed)["items"][0]["title"] == "Tebentafusp revised"


def test_the_rate_limit_is_announced_and_enforced(client, settings):
    settings.API_RATE = "3/m"
    answers = [get(client, "/evidence-levels/") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert all(a["RateLimit-Limit"] == "3" for a in answers)
    refused = answers[-1]
    assert int(refused["Retry-After"]) >= 1 and int(refused["RateLimit-Reset"]) >= 1
    assert body(refused)["error"] == "too_many_requests"
    # Each client has its own count.
    assert client.get(f"{API}/evidence-levels/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_other_sites_may_read_the_api_with_get(client):
    response = get(client, "/evidence-levels/", origin="https://example.net")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "RateLimit-Remaining" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        f"{API}/therapies/", headers={"origin": "https://example.net",
                                       "access-control-request-method": "GET"},
    )  # fmt: skip
    assert preflight.status_code == 200
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert client.post(f"{API}/therapies/").status_code == 405


# --- 7. reference data -------------------------------------------------------------------------


def test_citations_and_cancer_types_are_those_of_published_content(client):
    melanoma = CancerTypeFactory(name="Melanoma", slug="melanoma")
    CancerTypeFactory(name="Unused", slug="unused")
    cited = CitationFactory(value="25891173")
    publish(new_therapy("pembrolizumab", cancer_types=[melanoma],
                        citations=[(cited, "KEYNOTE-006")]))  # fmt: skip
    new_therapy("draft-only", citations=[CitationFactory(value="11111111")])
    types = body(get(client, "/cancer-types/"))["items"]
    assert [t["id"] for t in types] == ["melanoma"]
    assert get(client, "/cancer-types/unused/").status_code == 404
    listed = body(get(client, "/citations/"))["items"]
    assert "pmid:25891173" in [c["id"] for c in listed]
    assert "pmid:11111111" not in [c["id"] for c in listed]
    one = body(get(client, "/citations/pmid:25891173/"))
    assert one["cited_by"] == [{"kind": "therapy", "id": "pembrolizumab",
                                "title": "Pembrolizumab", "supports": "KEYNOTE-006"}]  # fmt: skip
    assert get(client, "/citations/pmid:11111111/").status_code == 404


def test_the_evidence_scale_is_listed_strongest_first(client):
    levels = body(get(client, "/evidence-levels/"))
    assert [level["rank"] for level in levels] == [1, 2, 3, 4, 5]
    assert body(get(client, "/evidence-levels/phase3/"))["label"] == "Phase 3 evidence"


# --- 8. the schema ------------------------------------------------------------------------------


def test_the_schema_is_valid_openapi_3_1(client):
    from openapi_spec_validator import validate

    schema = body(get(client, "/openapi.json"))
    assert schema["openapi"].startswith("3.1")
    validate(schema)
    paths = set(schema["paths"])
    for expected in ("/api/v1/therapies/", "/api/v1/therapies/{slug}/",
                     "/api/v1/therapies/{slug}/versions/",
                     "/api/v1/therapies/{slug}/versions/{number}/",
                     "/api/v1/trials/{nct_id}/fhir", "/api/v1/combinations/{slug}/versions/",
                     "/api/v1/cancer-types/", "/api/v1/citations/",
                     "/api/v1/evidence-levels/"):  # fmt: skip
        assert expected in paths


def test_the_root_says_where_everything_is(client):
    root = body(get(client, "/"))
    assert set(root["collections"]) == {"therapies", "combinations", "trials", "cancer-types",
                                        "citations", "evidence-levels"}  # fmt: skip
    for url in [*root["collections"].values(), root["openapi"], root["docs"]]:
        assert client.get(url.split("http://127.0.0.1:8000", 1)[-1]).status_code == 200


def test_the_docs_come_from_our_own_static_files(client):
    response = client.get(f"{API}/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(src.startswith("/") for src in sources), sources
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in html.replace('<script type="application/json"', "")


# --- 9. the opendata helpers -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-06-01T00:00:00Z", datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)),
        ("2026-06-01", datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)),
        ("2026-06-01T02:00:00+02:00", datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)),
        ("2026-06-01T00:00:00", datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)),
    ],
)  # fmt: skip
def test_moments_are_read_as_iso_8601_in_utc_by_default(text, expected):
    assert opendata.parse_moment(text) == expected


def test_a_trial_key_is_its_nct_id_in_any_case(client):
    version = TrialNoteVersionFactory(state="published")
    nct = version.item.nct_id
    assert body(get(client, f"/trials/{nct.lower()}/"))["id"] == nct
    assert TrialNote.objects.count() == 1


# --- 10. the past stays the past (review findings) -----------------------------------------------


def test_an_answer_about_a_past_moment_tells_nothing_that_came_after(client, history):
    first, second = history["first"], history["second"]
    at = iso(first.published_at)
    workflow.mark_correction(second, by=make_moderator(), note="A later correction.")
    then = body(get(client, f"/therapies/ipilimumab/?as_of={at}"))
    assert then["status"] == "published" and then["live_until"] is None
    listing = body(get(client, f"/therapies/ipilimumab/versions/?as_of={at}"))["items"]
    assert [(v["version"], v["status"], v["live_until"]) for v in listing] == [
        (1, "published", None)
    ]
    now = body(get(client, f"/therapies/ipilimumab/?as_of={iso(timezone.now())}"))
    assert now["correction"]["note"] == "A later correction."
    before = iso(timezone.now() - datetime.timedelta(microseconds=1))
    assert body(get(client, "/therapies/ipilimumab/versions/2/"))["correction"]
    assert before


def test_a_release_as_of_a_past_moment_is_the_same_after_later_changes(tmp_path, history):
    from therapies import releases

    moment = history["second"].published_at
    first = releases.export(tmp_path / "a", as_of=moment)
    publish(history["draft"])
    second = releases.export(tmp_path / "b", as_of=moment)
    assert first == second


@pytest.mark.parametrize(
    "cursor", ["abc", "1e5", "", "bm90"],
    ids=["letters", "exponent", "empty", "not-json"],
)  # fmt: skip
def test_a_foreign_cursor_on_a_numbered_list_is_a_400(client, history, cursor):
    encoded = opendata.encode_cursor(cursor) if cursor != "bm90" else cursor
    for path in ("/citations/", "/therapies/ipilimumab/versions/"):
        response = get(client, f"{path}?cursor={encoded}")
        assert response.status_code == 400, (path, response.content[:200])


def test_a_cursor_with_a_lone_surrogate_or_a_control_character_is_a_400(client):
    import base64

    for after in ('"\\ud800"', '"a\\u0000b"'):
        raw = base64.urlsafe_b64encode(f'{{"after": {after}}}'.encode()).decode().rstrip("=")
        assert get(client, f"/therapies/?cursor={raw}").status_code == 400


def test_head_is_answered_wherever_get_is(client):
    publish(new_therapy("tebentafusp"))
    get_answer = get(client, "/therapies/tebentafusp/")
    head = client.head(f"{API}/therapies/tebentafusp/")
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == str(len(get_answer.content))
    assert head["ETag"] == get_answer["ETag"]
    assert client.post(f"{API}/therapies/tebentafusp/").status_code == 405


def test_editors_html_comments_stay_out_of_the_published_markdown(client):
    publish(new_therapy("il-2", body="Text.\n\n<!-- note to the reviewer: check PMID -->\n"))
    record = body(get(client, "/therapies/il-2/"))
    assert "note to the reviewer" not in record["body_markdown"]
    assert record["body_markdown"].startswith("Text.")


def test_a_reviewer_is_never_named_by_an_email_address(client):
    moderator = make_moderator("reviewer@example.org")
    publish(new_therapy("il-2"), moderator)
    assert body(get(client, "/therapies/il-2/"))["reviewed"]["by"] == "A moderator of the portal"


def test_moments_far_in_the_future_are_a_400(client):
    assert get(client, "/therapies/?as_of=9999-12-31T23:00:00-05:00").status_code == 400
