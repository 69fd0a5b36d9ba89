"""The public site: only published versions, 404 for everything else, a fixed query count."""

import pytest
from django.urls import reverse

from tests.factories import (
    CombinationEntryVersionFactory,
    TherapyArticleVersionFactory,
    TrialNoteVersionFactory,
)

pytestmark = pytest.mark.django_db


def detail_url(version):
    return version.item.get_absolute_url()


@pytest.mark.parametrize(
    "factory",
    [TherapyArticleVersionFactory, CombinationEntryVersionFactory, TrialNoteVersionFactory],
)
def test_detail_page_shows_the_published_version_not_the_draft(client, factory):
    live = factory(state="published", title="Live title", body="Live **body**.")
    factory(item=live.item, state="draft", title="Draft title", body="Draft body.")
    response = client.get(detail_url(live))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Live title" in content and "Live <strong>body</strong>." in content
    assert "Draft title" not in content and "Draft body" not in content


@pytest.mark.parametrize(
    "factory",
    [TherapyArticleVersionFactory, CombinationEntryVersionFactory, TrialNoteVersionFactory],
)
@pytest.mark.parametrize(
    "state", ["draft", "in_review", "changes_requested", "approved", "superseded", "unpublished",
              "discarded"],
)  # fmt: skip
def test_items_without_a_published_version_answer_404(client, factory, state):
    version = factory(state=state)
    assert client.get(detail_url(version)).status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/therapies/no-such-therapy/", "/combinations/no-such-combination/", "/trials/NCT99999999/",
     "/trials/not-an-nct-id/"],
)  # fmt: skip
def test_unknown_keys_answer_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_home_lists_published_items_only(client):
    therapy = TherapyArticleVersionFactory(state="published", title="Published therapy")
    TherapyArticleVersionFactory(state="draft", title="Draft therapy")
    combination = CombinationEntryVersionFactory(state="published", title="Published combo")
    CombinationEntryVersionFactory(state="in_review", title="Combo in review")
    trial = TrialNoteVersionFactory(state="published", title="Published trial")
    TrialNoteVersionFactory(state="changes_requested", title="Trial sent back")
    response = client.get(reverse("home"))
    content = response.content.decode()
    for version in (therapy, combination, trial):
        assert version.title in content
        assert detail_url(version) in content
    for hidden in ("Draft therapy", "Combo in review", "Trial sent back"):
        assert hidden not in content


def test_rendered_body_is_sanitized_on_the_page(client):
    live = TherapyArticleVersionFactory(
        state="published", body='Hi <script>alert("x")</script> [x](javascript:alert(1))'
    )
    content = client.get(detail_url(live)).content.decode()
    assert "alert" not in content


def test_combination_links_only_published_therapies(client):
    live_therapy = TherapyArticleVersionFactory(state="published", title="Live therapy").item
    hidden_therapy = TherapyArticleVersionFactory(state="draft", title="Hidden therapy").item
    combination = CombinationEntryVersionFactory(
        state="published", therapies=[live_therapy, hidden_therapy]
    )
    content = client.get(detail_url(combination)).content.decode()
    assert live_therapy.get_absolute_url() in content
    assert hidden_therapy.get_absolute_url() not in content
    assert "Hidden therapy" not in content


def test_a_chemo_immunotherapy_combination_names_its_chemotherapy(client):
    therapy = TherapyArticleVersionFactory(state="published", title="Anti-PD-1 antibodies").item
    combination = CombinationEntryVersionFactory(
        state="published", therapies=[therapy],
        other_treatments=["pemetrexed", "platinum-based chemotherapy"],
    )  # fmt: skip
    page = client.get(detail_url(combination)).content.decode()
    listing = client.get(reverse("therapies:combination_list")).content.decode()
    for content in (page, listing):
        assert "Anti-PD-1 antibodies</a> + pemetrexed + platinum-based chemotherapy" in content
    found = client.get("/search/", {"q": "pemetrexed"}).content.decode()
    assert combination.title in found
    record = client.get(f"/api/v1/combinations/{combination.item.slug}/").json()
    assert record["other_treatments"] == ["pemetrexed", "platinum-based chemotherapy"]
    assert [t["id"] for t in record["therapies"]] == [therapy.slug]


def test_trial_page_shows_its_facts_and_registry_link(client):
    trial = TrialNoteVersionFactory(
        state="published", phase="PHASE1_PHASE2", overall_status="ACTIVE_NOT_RECRUITING",
        start_date="2019-03", sponsor="Example Sponsor",
    )  # fmt: skip
    content = client.get(detail_url(trial)).content.decode()
    assert "Phase 1/2" in content and "Active, not recruiting" in content
    assert "2019-03" in content and "Example Sponsor" in content
    assert f"https://clinicaltrials.gov/study/{trial.item.nct_id}" in content


def test_therapy_page_lists_published_combinations_and_trials_that_link_it(client):
    therapy = TherapyArticleVersionFactory(state="published").item
    combination = CombinationEntryVersionFactory(
        state="published", title="Linked combination",
        therapies=[therapy, TherapyArticleVersionFactory(state="published").item],
    )  # fmt: skip
    CombinationEntryVersionFactory(state="draft", title="Draft combination", therapies=[therapy])
    trial = TrialNoteVersionFactory(state="published", title="Linked trial")
    trial.therapies.set([therapy])
    content = client.get(therapy.get_absolute_url()).content.decode()
    assert "Linked combination" in content and combination.item.get_absolute_url() in content
    assert "Linked trial" in content
    assert "Draft combination" not in content


@pytest.mark.parametrize("count", [1, 10])
def test_pages_run_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    for _ in range(count):
        therapy = TherapyArticleVersionFactory(state="published").item
        combination = CombinationEntryVersionFactory(
            state="published",
            therapies=[therapy, TherapyArticleVersionFactory(state="published").item],
        )
        trial = TrialNoteVersionFactory(state="published")
        trial.therapies.set([therapy])
    for url in [reverse("home"), therapy.get_absolute_url(), combination.item.get_absolute_url(),
                trial.item.get_absolute_url()]:  # fmt: skip
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200


def test_markdownx_endpoints_refuse_anonymous_users(client):
    response = client.post("/markdownx/markdownify/", {"content": "**x**"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    response = client.post("/markdownx/upload/", {})
    assert response.status_code == 302


def test_markdownx_preview_is_sanitized_for_staff(admin_client):
    response = admin_client.post(
        "/markdownx/markdownify/", {"content": "**ok** <script>alert(1)</script>"}
    )
    assert response.status_code == 200
    assert response.content.decode() == "<p><strong>ok</strong> </p>"


def test_lower_case_nct_ids_redirect_to_the_canonical_address(client):
    trial = TrialNoteVersionFactory(state="published")
    nct = trial.item.nct_id
    response = client.get(f"/trials/{nct.lower()}/")
    assert response.status_code == 301 and response["Location"] == f"/trials/{nct}/"


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")
