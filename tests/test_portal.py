"""The public portal: browse, filter and search published content only, with provenance,
feeds, sitemap and a fixed query budget on every page."""

import datetime
import json
import re
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
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
from therapies import workflow

pytestmark = pytest.mark.django_db

LIST_PAGES = ["/", "/therapies/", "/combinations/", "/trials/", "/updates/", "/search/?q=survival",
              "/feeds/updates/", "/feeds/updates/atom/", "/sitemap.xml", "/robots.txt"]  # fmt: skip


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def therapy(title="Therapy", state="published", **kwargs):
    return TherapyArticleVersionFactory(title=title, state=state, **kwargs)


def combination(title="Combination", therapies=None, state="published", **kwargs):
    return CombinationEntryVersionFactory(title=title, state=state, therapies=therapies, **kwargs)


def trial(title="Trial", state="published", **kwargs):
    return TrialNoteVersionFactory(title=title, state=state, **kwargs)


@pytest.fixture
def mixed_content():
    """One published and one unpublished item of each kind (plus a draft over a live page)."""
    live_therapy = therapy("Visible therapy", body="Durable responses in melanoma.")
    therapy("Draft-only therapy", state="draft", body="Durable responses secret.")
    TherapyArticleVersionFactory(item=live_therapy.item, state="in_review",
                                 title="Pending rewrite of therapy")  # fmt: skip
    gone = therapy("Withdrawn therapy", state="unpublished")
    second = therapy("Second therapy", therapy_class="car_t")
    live_combo = combination("Visible combination", therapies=[live_therapy.item, second.item])
    combination("Combination in review", state="in_review",
                therapies=[live_therapy.item, second.item])  # fmt: skip
    live_trial = trial("Visible trial", phase="PHASE3", overall_status="COMPLETED")
    live_trial.therapies.set([live_therapy.item, gone.item])
    trial("Trial sent back", state="changes_requested", phase="PHASE2")
    return {"therapy": live_therapy, "combination": live_combo, "trial": live_trial,
            "withdrawn": gone}  # fmt: skip


HIDDEN = ["Draft-only therapy", "Pending rewrite of therapy", "Withdrawn therapy",
          "Combination in review", "Trial sent back"]  # fmt: skip


@pytest.mark.parametrize("url", LIST_PAGES)
def test_public_pages_never_show_unpublished_content(client, mixed_content, url):
    content = text(client.get(url))
    for title in HIDDEN:
        assert title not in content, f"{title} leaked on {url}"


@pytest.mark.parametrize("url,expected", [
    ("/", ["Visible therapy", "Visible combination", "Visible trial"]),
    ("/therapies/", ["Visible therapy", "Second therapy"]),
    ("/combinations/", ["Visible combination"]),
    ("/trials/", ["Visible trial"]),
    ("/updates/", ["Visible therapy", "Visible combination", "Visible trial"]),
    ("/feeds/updates/", ["Visible therapy", "Visible combination", "Visible trial"]),
    ("/feeds/updates/atom/", ["Visible therapy", "Visible combination", "Visible trial"]),
])  # fmt: skip
def test_public_pages_show_published_content(client, mixed_content, url, expected):
    content = text(client.get(url))
    for title in expected:
        assert title in content


def test_related_links_skip_unpublished_items(client, mixed_content):
    content = text(client.get(mixed_content["trial"].item.get_absolute_url()))
    assert mixed_content["therapy"].item.get_absolute_url() in content
    assert mixed_content["withdrawn"].item.get_absolute_url() not in content


def test_combination_whose_therapy_was_unpublished_still_renders(client):
    kept = therapy("Kept therapy")
    dropped = therapy("Dropped therapy")
    combo = combination("Still here", therapies=[kept.item, dropped.item])
    workflow.unpublish(dropped.item, by=make_moderator(), comment="Withdrawn pending review.")
    content = text(client.get(combo.item.get_absolute_url()))
    assert "Still here" in content and kept.item.get_absolute_url() in content
    assert dropped.item.get_absolute_url() not in content


# --- lists and filters ---------------------------------------------------------------------------


def test_therapies_grouped_by_class_and_filtered(client):
    melanoma = CancerTypeFactory(name="Melanoma", slug="melanoma")
    checkpoint = therapy("Anti-PD-1", therapy_class="checkpoint_inhibitor")
    checkpoint.cancer_types.set([melanoma])
    therapy("CAR-T", therapy_class="car_t")
    content = text(client.get("/therapies/"))
    assert content.index("Immune checkpoint inhibitors") < content.index("Anti-PD-1")
    assert content.index("CAR-T cell therapy") < content.index(">CAR-T<")
    by_class = text(client.get("/therapies/", {"therapy_class": "car_t"}))
    assert ">CAR-T<" in by_class and "Anti-PD-1" not in by_class
    assert "Clear filters" in by_class and "Clear filters" not in content
    by_cancer = text(client.get("/therapies/", {"cancer": "melanoma"}))
    assert "Anti-PD-1" in by_cancer and ">CAR-T<" not in by_cancer


ODD_FILTERS = [{"therapy_class": "nonsense"}, {"cancer": "<script>"}, {"page": "999"},
               {"page": "abc"}, {"sort": "'; drop"}]  # fmt: skip


@pytest.mark.parametrize("params", ODD_FILTERS)
def test_odd_filter_values_answer_a_normal_page(client, params):
    therapy("Anything")
    for url in ["/therapies/", "/combinations/", "/trials/", "/updates/"]:
        assert client.get(url, params).status_code == 200


def test_trials_filter_by_phase_status_condition_and_therapy(client):
    linked = therapy("Linked therapy")
    a = trial("Alpha trial", phase="PHASE3", overall_status="COMPLETED",
              conditions=["Melanoma"], start_date="2013-07")  # fmt: skip
    a.therapies.set([linked.item])
    trial("Beta trial", phase="PHASE2", overall_status="RECRUITING",
          conditions=["Lung Cancer"], start_date="2021")  # fmt: skip

    def shown(**params):
        content = text(client.get("/trials/", params))
        return {name for name in ("Alpha trial", "Beta trial") if name in content}

    assert shown(phase="PHASE3") == {"Alpha trial"}
    assert shown(status="RECRUITING") == {"Beta trial"}
    assert shown(condition="Melanoma") == {"Alpha trial"}
    assert shown(therapy=linked.item.slug) == {"Alpha trial"}
    newest_first = text(client.get("/trials/", {"sort": "-start"}))
    assert newest_first.index("Beta trial") < newest_first.index("Alpha trial")
    oldest_first = text(client.get("/trials/", {"sort": "start"}))
    assert oldest_first.index("Alpha trial") < oldest_first.index("Beta trial")


def test_trial_chart_counts_published_notes_by_phase_and_status(client):
    trial(phase="PHASE3", overall_status="COMPLETED")
    trial(phase="PHASE3", overall_status="COMPLETED")
    trial(phase="PHASE2", overall_status="RECRUITING")
    trial(phase="PHASE2", overall_status="RECRUITING", state="draft")
    html = text(client.get("/trials/"))
    chart = html[html.index('class="charts"') : html.index("</div>", html.index('class="charts"'))]
    content = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", chart))
    assert "<svg" in chart
    assert "Phase 3 2 trial notes" in content and "Phase 2 1 trial note " in content
    assert "Completed 2 trial notes" in content and "Recruiting 1 trial note " in content


def test_each_bar_of_a_trial_chart_links_to_the_filtered_list(client):
    trial(phase="PHASE3", overall_status="COMPLETED")
    trial(phase="PHASE2", overall_status="RECRUITING")
    html = client.get("/trials/").content.decode()
    assert '<a href="?phase=PHASE3"><span class="bar-label">Phase 3</span>' in html
    assert '<a href="?status=RECRUITING"><span class="bar-label">Recruiting</span>' in html
    # the bar's length is an SVG attribute, not an inline style the CSP would block
    assert 'width="100.0"' in html and "style=" not in html[html.index('class="charts"') :]
    filtered = text(client.get("/trials/?phase=PHASE3"))
    assert "1 trial note" in filtered


def test_combination_matrix_counts_published_entries(client):
    pd1 = therapy("PD-1", therapy_class="checkpoint_inhibitor").item
    ctla4 = therapy("CTLA-4", therapy_class="checkpoint_inhibitor").item
    til = therapy("TIL", therapy_class="adoptive_cell_transfer").item
    vaccine = therapy("Vaccine", therapy_class="cancer_vaccine").item
    il2 = therapy("IL-2", therapy_class="cytokine").item
    combination("PD-1 + CTLA-4", therapies=[pd1, ctla4])
    combination("TIL + PD-1", therapies=[til, pd1])
    combination("Vaccine + IL-2", therapies=[vaccine, il2])
    combination("Draft vaccine + PD-1", therapies=[vaccine, pd1], state="draft")
    response = client.get("/combinations/")
    cells = {
        (cell.row, cell.column): cell.count
        for row, row_cells in response.context["matrix"] for cell in row_cells
    }  # fmt: skip
    assert cells["checkpoint_inhibitor", "checkpoint_inhibitor"] == 1
    assert cells["checkpoint_inhibitor", "adoptive_cell_transfer"] == 1
    assert cells["adoptive_cell_transfer", "checkpoint_inhibitor"] == 1
    assert cells["cancer_vaccine", "cytokine"] == cells["cytokine", "cancer_vaccine"] == 1
    assert cells["cancer_vaccine", "checkpoint_inhibitor"] == 0
    assert sum(cells.values()) == 5
    linked = text(client.get("/combinations/", {"class_a": "cancer_vaccine",
                                                "class_b": "cytokine"}))  # fmt: skip
    assert "Vaccine + IL-2" in linked and "TIL + PD-1" not in linked
    content = text(response)
    assert "?class_a=cancer_vaccine&amp;class_b=cytokine" in content


def test_lists_are_paginated(client):
    for number in range(25):
        therapy(f"Paged therapy {number:02d}")
    first, second = client.get("/therapies/"), client.get("/therapies/", {"page": 2})
    assert text(first).count("Paged therapy") == 20
    assert text(second).count("Paged therapy") == 5
    assert 'rel="next"' in text(first) and 'rel="prev"' in text(second)


def test_condition_filter_matches_whole_conditions(client):
    trial("Cutaneous trial", conditions=["Melanoma"])
    trial("Uveal trial", conditions=["Uveal Melanoma"])
    trial("Accented trial", conditions=["Sjögren's syndrome"])
    content = text(client.get("/trials/", {"condition": "Melanoma"}))
    assert "Cutaneous trial" in content and "Uveal trial" not in content
    assert "Accented trial" in text(client.get("/trials/", {"condition": "Sjögren's syndrome"}))


# --- search --------------------------------------------------------------------------------------


def test_search_finds_published_content_only(client, mixed_content):
    content = text(client.get("/search/", {"q": "durable responses"}))
    assert "Visible therapy" in content
    assert "Draft-only therapy" not in content and "secret" not in content


def test_search_title_match_outranks_body_match(client):
    therapy("Unrelated title", body="This body mentions pembrolizumab once.")
    therapy("Pembrolizumab", body="Nothing else here.")
    response = client.get("/search/", {"q": "pembrolizumab"})
    titles = [result.version.title for result in response.context["page"]]
    assert titles[:2] == ["Pembrolizumab", "Unrelated title"]


def test_search_highlights_matches_and_escapes_content(client):
    therapy("Snippet test", body="Tumour <b>shrinkage</b> & lasting responses were seen.")
    content = text(client.get("/search/", {"q": "lasting"}))
    assert "<mark>lasting</mark>" in content.replace("<mark>Lasting</mark>", "<mark>lasting</mark>")
    assert "<b>shrinkage</b>" not in content


ODD_QUERIES = ["", " ", "a" * 10_000, '"unclosed', "-", "!!!", "&|!():*",
               "<script>alert(1)</script>", "' OR 1=1 --", "ünïcödé 日本語",
               "survival -melanoma", "or and not"]  # fmt: skip


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_search_queries_answer_a_normal_page(client, query):
    therapy("Something about survival")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_search_query_with_a_nul_byte_is_a_bad_request(client):
    assert client.get("/search/", {"q": "NUL\x00byte"}).status_code == 400


def test_search_index_is_kept_current_on_publish(client):
    author, moderator = make_editor("author"), make_moderator("moderator")
    live = therapy("Old wording", body="Previously about zebrafish.", author=author)
    draft = workflow.new_version(live.item, by=author)
    workflow.edit(draft, by=author, title="New wording", body="Now about axolotls.")
    workflow.submit(draft, by=author)
    assert "Old wording" in text(client.get("/search/", {"q": "zebrafish"}))
    assert "New wording" not in text(client.get("/search/", {"q": "axolotls"}))
    workflow.approve(draft, by=moderator)
    assert "New wording" in text(client.get("/search/", {"q": "axolotls"}))
    assert "Old wording" not in text(client.get("/search/", {"q": "zebrafish"}))


def test_postgresql_search_uses_the_stored_vector():
    if connection.vendor != "postgresql":
        pytest.skip("the stored tsvector exists on PostgreSQL only")
    version = therapy("Vector check", body="Oncolytic herpesvirus.")
    version.refresh_from_db()
    assert version.search_vector is not None
    assert "oncolyt" in str(version.search_vector)


# --- updates, history, feeds, sitemap, robots, errors --------------------------------------------


def test_updates_changelog_lists_published_versions_newest_first(client):
    old = therapy("First published", change_summary="Initial article.")
    type(old).objects.filter(pk=old.pk).update(published_at=timezone.now() - datetime.timedelta(1))
    therapy("Second published", change_summary="Added 5-year data.")
    content = text(client.get("/updates/"))
    assert content.index("Second published") < content.index("First published")
    assert "Added 5-year data." in content and "Initial article." in content


def test_item_history_shows_published_versions_only(client):
    first = therapy("Version one", state="superseded", change_summary="First version.")
    live = TherapyArticleVersionFactory(item=first.item, state="published", title="Version two",
                                        change_summary="Added citations.")  # fmt: skip
    draft = TherapyArticleVersionFactory(item=first.item, state="changes_requested",
                                         change_summary="Secret draft change.")  # fmt: skip
    type(draft).objects.filter(pk=draft.pk).update(review_comment="Reviewer-only comment.")
    page = text(client.get(live.item.get_absolute_url()))
    assert live.item.get_history_url() in page
    history = text(client.get(live.item.get_history_url()))
    assert "First version." in history and "Added citations." in history
    assert "Secret draft change." not in history and "Reviewer-only comment." not in history


def test_history_of_an_unpublished_item_is_404(client):
    version = therapy("Never live", state="draft")
    assert client.get(version.item.get_history_url()).status_code == 404


@pytest.mark.parametrize("url,marker", [("/feeds/updates/", "<rss"),
                                        ("/feeds/updates/atom/", "<feed")])  # fmt: skip
def test_feeds(client, url, marker):
    therapy("Feed item <b>bold</b>", summary="Plain & simple.")
    therapy("Feed draft", state="draft")
    content = text(client.get(url))
    assert marker in content and "Feed item" in content and "Feed draft" not in content
    assert "<b>bold</b>" not in content  # escaped in XML


def test_sitemap_lists_published_items_only(client, mixed_content):
    content = text(client.get("/sitemap.xml"))
    for key in ("therapy", "combination", "trial"):
        assert mixed_content[key].item.get_absolute_url() in content
    assert mixed_content["withdrawn"].item.get_absolute_url() not in content
    urlset = ElementTree.fromstring(content.encode())
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    entries = {url.findtext(f"{ns}loc"): url for url in urlset}
    trial = mixed_content["trial"]
    entry = entries[f"http://testserver{trial.item.get_absolute_url()}"]
    assert entry.findtext(f"{ns}lastmod") == timezone.localdate(trial.published_at).isoformat()
    assert (entry.findtext(f"{ns}changefreq"), entry.findtext(f"{ns}priority")) == (
        "monthly", "0.6",
    )  # fmt: skip
    assert entries["http://testserver/updates/"].findtext(f"{ns}priority") == "0.5"


@pytest.mark.parametrize("prefix", ["/", "/atlas/"])
def test_item_addresses_equal_reverse_under_any_script_prefix(mixed_content, prefix):
    from django.urls import set_script_prefix

    set_script_prefix(prefix)
    try:
        for key in ("therapy", "combination", "trial"):
            item = mixed_content[key].item
            name = f"therapies:{item.URL_NAME}"
            assert item.get_absolute_url() == reverse(f"{name}_detail", args=[item.key])
            assert item.get_history_url() == reverse(f"{name}_history", args=[item.key])
            assert item.get_absolute_url().startswith(prefix)
    finally:
        set_script_prefix("/")


def test_robots_txt(client):
    content = text(client.get("/robots.txt"))
    assert "Disallow: /admin/" in content and "Sitemap: http://testserver/sitemap.xml" in content


def test_custom_404_and_500_pages(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()
    assert "Something went wrong" in render_to_string("500.html")


def test_feeds_deliver_editor_text_as_text(client):
    import xml.etree.ElementTree as ET

    therapy("Feed <script>x</script>", summary='<img src=x onerror="alert(1)">')
    rss = ET.fromstring(client.get("/feeds/updates/").content)
    item = rss.find("channel/item")
    assert "<img" not in item.findtext("description")
    assert "&lt;img" in item.findtext("description")
    assert "<script>" not in item.findtext("title")
    atom = ET.fromstring(client.get("/feeds/updates/atom/").content)
    entry_id = atom.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}id")
    assert entry_id.text.startswith("http")
    assert client.get("/feeds/updates/rss/").status_code == 200


def test_robots_and_sitemap_cover_review_links_and_the_evidence_scale(client):
    assert "Disallow: /review/" in text(client.get("/robots.txt"))
    assert "/about/evidence/" in text(client.get("/sitemap.xml"))


# --- every detail page ---------------------------------------------------------------------------


@pytest.mark.parametrize("factory,schema_type", [
    (TherapyArticleVersionFactory, "MedicalTherapy"),
    (CombinationEntryVersionFactory, "MedicalTherapy"),
    (TrialNoteVersionFactory, "MedicalTrial"),
])  # fmt: skip
def test_detail_pages_carry_provenance_and_metadata(client, factory, schema_type):
    moderator = make_moderator("reviewer")
    moderator.first_name, moderator.last_name = "Rita", "Reviewer"
    moderator.save()
    version = factory(state="in_review", summary="Short summary.",
                      body="## Results\n\n| a | b |\n|---|---|\n| 1 | 2 |")  # fmt: skip
    version.citation_links.create(citation=CitationFactory(kind="pmid", value="26027431"))
    workflow.approve(version, by=moderator)
    url = version.item.get_absolute_url()
    content = text(client.get(url))
    today = timezone.now()
    assert f"Reviewed by Rita Reviewer on {today:%-d %B %Y} — version 1" in " ".join(
        re.sub(r"<[^>]+>", "", content).split()
    )
    assert "Last updated" in content and version.item.get_history_url() in content
    assert '<h2 id="sec-results">Results</h2>' in content and "<table>" in content
    assert "https://pubmed.ncbi.nlm.nih.gov/26027431/" in content
    assert f'<link rel="canonical" href="http://testserver{url}">' in content
    assert '<meta name="description" content="Short summary.">' in content
    assert (
        '<meta property="og:title"' in content
        and '<meta property="og:type" content="article">' in content
    )
    assert "Medical disclaimer" in content
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', content,
                                re.S).group(1))  # fmt: skip
    assert data["@type"] == "MedicalWebPage" and data["about"]["@type"] == schema_type
    assert data["reviewedBy"]["name"] == "Rita Reviewer"


def test_json_ld_cannot_break_out_of_its_script_tag(client):
    version = therapy("Evil </script><script>alert(1)</script>")
    content = text(client.get(version.item.get_absolute_url()))
    assert "</script><script>alert(1)" not in content


def test_a_withdrawn_therapy_is_named_without_a_link(client):
    kept, dropped = therapy("Kept therapy"), therapy("Dropped therapy")
    combo = combination("Combo", therapies=[kept.item, dropped.item])
    workflow.unpublish(dropped.item, by=make_moderator(), comment="Withdrawn.")
    content = text(client.get(combo.item.get_absolute_url()))
    assert "Dropped therapy" in content and "(no longer published)" in content
    assert dropped.item.get_absolute_url() not in content


def test_trial_pages_carry_a_top_level_medical_trial(client):
    note = trial("Structured trial")
    content = text(client.get(note.item.get_absolute_url()))
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    blocks = [json.loads(block) for block in found]
    assert [block["@type"] for block in blocks] == ["MedicalWebPage", "MedicalTrial"]
    assert blocks[1]["identifier"] == note.item.nct_id


def test_provenance_sentence_is_plain_text(client):
    moderator = make_moderator("plain")
    moderator.first_name, moderator.last_name = "Pat", "Plain"
    moderator.save()
    version = TherapyArticleVersionFactory(state="in_review")
    workflow.approve(version, by=moderator)
    content = text(client.get(version.item.get_absolute_url()))
    assert f"Reviewed by Pat Plain on {timezone.localdate():%-d %B %Y} — version 1" in content


# --- fixed query budgets -------------------------------------------------------------------------


def build_content(count: int):
    therapies = []
    for number in range(count):
        live = therapy(f"Therapy {number}")
        therapies.append(live.item)
    for number in range(count):
        combination(f"Combination {number}", therapies=[therapies[number], therapies[number - 1]])
        note = trial(f"Trial {number}", phase="PHASE3", conditions=["Melanoma"])
        note.therapies.set([therapies[number]])
    return therapies[0]


def page_urls(first_therapy):
    combo = first_therapy.combination_versions.first().item
    note = first_therapy.trial_versions.first().item
    return LIST_PAGES + [
        "/therapies/?therapy_class=checkpoint_inhibitor", "/trials/?phase=PHASE3&sort=start",
        "/combinations/?class_a=checkpoint_inhibitor", "/search/?q=therapy",
        first_therapy.get_absolute_url(), first_therapy.get_history_url(),
        combo.get_absolute_url(), note.get_absolute_url(), note.get_history_url(),
    ]  # fmt: skip


@pytest.mark.parametrize("count", [10, 200])
def test_no_public_page_runs_more_than_15_queries(client, django_assert_max_num_queries, count):
    first = build_content(count)
    for url in page_urls(first):
        with django_assert_max_num_queries(15, info=url):
            assert client.get(url).status_code == 200, url


def test_query_counts_do_not_grow_with_content(client):
    first = build_content(3)
    urls = page_urls(first)

    def counts():
        result = {}
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            result[url] = len(queries)
        return result

    small = counts()
    build_content(30)
    large = counts()
    # Equal, or fewer where a page happens to show fewer kinds of content (one query per kind).
    assert {url: n for url, n in large.items() if n > small[url]} == {}


# --- search relevance (both databases) -----------------------------------------------------------


def result_titles(client, query):
    return [r.version.title for r in client.get("/search/", {"q": query}).context["page"]]


def test_a_title_match_beats_summary_and_body_matches(client):
    therapy("Alpha", summary="Mentions nivolumab here.", body="And nivolumab again.")
    therapy("Zeta nivolumab", summary="Nothing.", body="Nothing.")
    assert result_titles(client, "nivolumab")[0] == "Zeta nivolumab"


def test_a_partial_title_match_beats_a_body_phrase(client):
    therapy("Body phrase", body="The overall survival was longer.")
    therapy("Survival data", body="Words " * 150 + "overall.")
    assert result_titles(client, "overall survival")[0] == "Survival data"


def test_ranking_happens_before_the_result_cap(client, settings):
    from therapies import search

    for number in range(search.MAX_RESULTS_PER_KIND + 5):
        therapy(f"Body {number:03d}", body="Mentions tebentafusp.")
    therapy("Tebentafusp", body="Nothing else.")
    assert result_titles(client, "tebentafusp")[0] == "Tebentafusp"


@pytest.mark.parametrize("query,expected", [("zolbetuximab", "Agent page"),
                                            ("NCT01844505", "Registry page"),
                                            ("acme", "Registry page")])  # fmt: skip
def test_keywords_are_searchable(client, query, expected):
    therapy("Agent page", key_agents=["zolbetuximab"], body="No mention.")
    trial("Registry page", sponsor="Acme Oncology", body="No mention.",
          item__nct_id="NCT01844505")  # fmt: skip
    assert expected in result_titles(client, query)


def test_a_minus_excludes_a_word(client):
    therapy("Melanoma survival", body="Overall survival in melanoma.")
    therapy("Lung survival", body="Overall survival in lung cancer.")
    assert result_titles(client, "survival -melanoma") == ["Lung survival"]
