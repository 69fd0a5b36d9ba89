"""Claims tied to their sources: citation markers in the text, numbered against the
references; numeric sentences without a source listed for the moderator; when the evidence
was last assessed; and each key agent's regulatory status."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import (
    CitationFactory,
    TherapyArticleVersionFactory,
    make_editor,
    make_moderator,
)
from therapies import claims, trust, workflow
from therapies.citations import number_markers, plain_markers
from therapies.fields import RegulatoryStatusFormField
from therapies.markdown import cited_in, render_markdown
from therapies.models import Citation

pytestmark = pytest.mark.django_db


def therapy(slug="tvec", **fields):
    fields = {"title": "T-VEC", "summary": "An oncolytic virus.", "body": "Text.",
              "therapy_class": "oncolytic_virus", "evidence_level": "standard_of_care",
              "key_agents": ["talimogene laherparepvec"], **fields}  # fmt: skip
    return workflow.create_therapy_article(by=make_editor(), slug=slug, **fields)


def publish(version):
    workflow.submit(version, by=make_editor())
    workflow.approve(version, by=make_moderator())
    version.refresh_from_db()
    return version


def cited(version):
    return [(link.citation.kind, link.citation.value)
            for link in version.citation_links.select_related("citation")]  # fmt: skip


# --- 1. markers render as links the page numbers ------------------------------------------------


def test_a_marker_renders_as_a_superscript_link_and_code_stays_code():
    html = render_markdown("Rate 26% [@pmid:26027431; @nct:NCT00769704]. `[@pmid:1]`")
    assert '<sup class="cite"><a href="#cite:pmid:26027431"' in html
    assert 'href="#cite:nct:NCT00769704"' in html
    assert "<code>[@pmid:1]</code>" in html
    assert cited_in(html) == [("pmid", "26027431"), ("nct", "NCT00769704")]


@pytest.mark.parametrize(
    "text",
    [
        '[@url:https://x.org/"><script>alert(1)</script>]',
        "[@doi:10.1/<img src=x onerror=alert(1)>]",
        '[@pmid:1"onmouseover="alert(1)]',
        '<sup class="cite" onclick="alert(1)"><a href="javascript:alert(1)">x</a></sup>',
        "[@url:javascript:alert(1)]",
    ],
)
def test_markers_let_nothing_executable_through(text):
    html = number_markers(render_markdown(text))
    assert "<script" not in html and "onerror=" not in html and "onclick" not in html
    assert "onmouseover=" not in html.replace("&quot;", '"').split("href=")[0]
    assert 'href="javascript' not in html


def test_the_public_page_numbers_markers_as_its_references_and_links_back(client):
    first, second = CitationFactory(value="26027431"), CitationFactory(value="25891173")
    version = therapy(body="Five-year survival [@pmid:25891173]. Response [@pmid:26027431]. "
                           "Again [@pmid:25891173].",
                      citations=[first, second])  # fmt: skip
    # The text marks the second source first: the references follow the text.
    assert cited(version) == [("pmid", "25891173"), ("pmid", "26027431")]
    publish(version)
    html = client.get("/therapies/tvec/").content.decode()
    assert '<a href="#ref-1" id="cite-1" aria-label="Reference 1">1</a>' in html
    assert '<a href="#ref-2" id="cite-2" aria-label="Reference 2">2</a>' in html
    assert 'id="cite-1-2"' in html  # the second mark of the same source
    assert '<li id="ref-1">' in html and 'href="#cite-1"' in html and 'href="#cite-2"' in html


def test_a_marked_source_not_yet_cited_is_added_through_the_same_validation():
    version = therapy(body="Survival [@pmid:26027431] and [@nct:NCT00769704].", citations=[])
    assert cited(version) == [("pmid", "26027431"), ("nct", "NCT00769704")]
    editor = make_editor()
    workflow.edit(version, by=editor, body="Now also [@doi:10.1056/NEJMoa1504030].")
    assert cited(version)[0] == ("doi", "10.1056/NEJMoa1504030")
    assert len(cited(version)) == 3  # the others stay, after the marked one
    workflow.edit(version, by=editor, body="A bad one [@pmid:abc].")
    assert ("pmid", "abc") in cited(version)
    assert any("Malformed" in problem for problem in trust.evidence_problems(version))


def test_a_doi_marker_of_a_paper_cited_by_its_pmid_is_the_same_reference(client):
    pmid = CitationFactory(value="26027431", label="Larkin J, et al.")
    doi = Citation.objects.create(kind="doi", value="10.1056/NEJMoa1504030", same_as=pmid)
    pmid.same_as = doi
    pmid.save()
    version = therapy(body="Survival [@doi:10.1056/NEJMoa1504030].", citations=[pmid])
    assert cited(version) == [("pmid", "26027431")]
    publish(version)
    assert 'aria-label="Reference 1">1</a>' in client.get("/therapies/tvec/").content.decode()


def test_the_preview_numbers_markers_in_order_of_first_appearance(client):
    editor = make_editor()
    client.force_login(editor)
    response = client.post("/markdownx/markdownify/",
                           {"content": "A [@pmid:2]. B [@pmid:1]. C [@pmid:2]."})  # fmt: skip
    html = response.content.decode()
    assert html.index('aria-label="Reference 1"') < html.index('aria-label="Reference 2"')
    assert '#ref-1" id="cite-1-2"' in html


def test_the_api_and_the_feed_read_markers_too(client):
    version = publish(therapy(body="Survival [@pmid:26027431].", summary="See [@pmid:26027431].",
                              citations=[]))  # fmt: skip
    record = json.loads(client.get("/api/v1/therapies/tvec/").content)
    assert '<a href="#ref-1" id="cite-1"' in record["body_html"]
    assert record["body_markdown"] == version.body
    feed = client.get("/feeds/updates/").content.decode()
    assert "See [PMID 26027431]" in feed
    assert plain_markers("x [@nct:NCT00769704; @doi:10.1/x]") == "x [NCT00769704; DOI 10.1/x]"


def test_a_marker_of_a_source_the_version_does_not_cite_shows_a_question_mark():
    html = number_markers(render_markdown("X [@pmid:99]."), references_=[])
    assert ">?</a>" in html


# --- 2. numeric claims without a source ---------------------------------------------------------


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("The response rate was 31.5%.", True),
        ("Median overall survival was 16.4 months.", True),
        ("The hazard ratio for death was 0.55.", True),
        ("HR 0.42; 95% CI, 0.31 to 0.57.", True),
        ("The trial enrolled 437 patients with melanoma.", True),
        ("It was approved in 2017.", False),
        ("PD-1 and CTLA-4 are checkpoints.", False),
        ("The response rate was 31.5% [@pmid:38000000].", False),
        ("The response rate was 31.5%. It was durable [@pmid:38000000].", False),
        ("## 5-year survival\n\nSurvival is discussed below.", False),
        ("```\n45% in code\n```", False),
        ("- 45% responded\n- it was safe [@pmid:1]", True),
        ("| Arm | ORR |\n| --- | --- |\n| A | 40% [@pmid:1] |\n| B | 19% |", True),
        ("P = 0.06 for overall survival.", True),
        ("Survival was followed for 3 to 6 weeks.", True),
        ("A paragraph on 5-year data.", False),
    ],
)  # fmt: skip
def test_sentences_stating_a_number_need_a_marker_in_their_paragraph(text, flagged):
    assert bool(claims.uncited_numeric_sentences(text)) is flagged


def test_the_checklist_lists_uncited_numbers_as_advice_before_approval(client):
    version = therapy(body="The response rate was 31.5%.\n\nIt works [@pmid:26027431].",
                      citations=[CitationFactory()])  # fmt: skip
    workflow.submit(version, by=make_editor())
    check = next(c for c in trust.evidence_checklist(version) if "states a number" in c.label)
    assert not check.ok and not check.blocking
    assert check.items == ("The response rate was 31.5%.",)
    moderator = make_moderator()
    client.force_login(moderator)
    page = client.get(f"/admin/therapies/therapyarticle/{version.item_id}/versions/"
                      f"{version.number}/review/").content.decode()  # fmt: skip
    assert "1 sentence without a source:" in page and "“The response rate was 31.5%.”" in page
    workflow.approve(version, by=moderator)  # advice: it does not block approval


# --- 3. assessed as up to date ----------------------------------------------------------------


def test_approval_records_the_assessment_day_when_the_editor_left_it_empty():
    version = publish(therapy(citations=[CitationFactory()]))
    assert version.assessed_on == timezone.localdate()


def test_the_re_review_is_due_a_year_after_the_evidence_was_assessed(client):
    assessed = timezone.localdate() - datetime.timedelta(days=400)
    version = publish(therapy(assessed_on=assessed, citations=[CitationFactory()]))
    assert trust.next_review_due(version) < timezone.localdate()
    assert trust.is_review_overdue(version)
    assert version in trust.versions_due_for_review()
    html = client.get("/therapies/tvec/").content.decode()
    assert f'Assessed as up to date <time datetime="{assessed:%Y-%m-%d}">' in html
    assert "Due for review" in html


def test_an_assessment_cannot_be_dated_in_the_future():
    with pytest.raises(ValidationError):
        therapy(assessed_on=timezone.localdate() + datetime.timedelta(days=1))


# --- 4. regulatory status -------------------------------------------------------------------------

STATUS_LINES = (
    "talimogene laherparepvec | approved | 2015-10-27 | https://www.fda.gov/label | melanoma\n"
    "gp100 | investigational | 2026-11-01 | pmid:21631324\n"
    "aldesleukin | approved | 1998 | pmid:10561265 | metastatic melanoma"
)


def test_status_lines_are_read_into_entries_and_written_back():
    field = RegulatoryStatusFormField(required=False)
    entries = field.clean(STATUS_LINES)
    assert entries[0] == {"agent": "talimogene laherparepvec", "status": "approved",
                          "date": "2015-10-27", "source": "https://www.fda.gov/label",
                          "indication": "melanoma"}  # fmt: skip
    assert entries[1]["indication"] == ""
    assert field.prepare_value(entries) == STATUS_LINES


@pytest.mark.parametrize(
    "line, problem",
    [
        ("x | approved | 2015-10-27", "agent | status | date | source"),
        ("x | licensed | 2015-10-27 | https://www.fda.gov/x", "the status is one of"),
        ("x | approved | 27/10/2015 | https://www.fda.gov/x", "the date is YYYY-MM-DD"),
        ("x | approved | 2015-13 | https://www.fda.gov/x", "the date is YYYY-MM-DD"),
        ("x | approved | 2999 | https://www.fda.gov/x", "in the future"),
        ("x | approved | 2999-01-01 | https://www.fda.gov/x", "in the future"),
        ("x | approved | 2015-10-27 | ftp://x", "the source is"),
        ("x | approved | 2015-10-27 | pmid:0123", "not a valid PMID"),
    ],
)  # fmt: skip
def test_a_status_needs_an_agent_a_known_status_a_past_date_and_a_source(line, problem):
    with pytest.raises(ValidationError) as error:
        entries = RegulatoryStatusFormField(required=False).clean(line)
        therapy(regulatory_status=entries)
    assert problem in str(error.value)


def test_the_page_and_the_api_show_the_approval_status_table(client):
    entries = RegulatoryStatusFormField(required=False).clean(STATUS_LINES)
    assessed = timezone.localdate() - datetime.timedelta(days=3)
    publish(therapy(regulatory_status=entries, assessed_on=assessed,
                    citations=[CitationFactory()]))  # fmt: skip
    html = client.get("/therapies/tvec/").content.decode()
    assert f'Approval status as of <time datetime="{assessed:%Y-%m-%d}">' in html
    assert '<th scope="row">talimogene laherparepvec</th><td>Approved</td>' in html
    assert "Investigational (not approved)" in html
    assert 'Approved on <time datetime="2015-10-27">27 October 2015</time>' in html
    assert 'Approved in <time datetime="1998">1998</time>' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/21631324/"' in html
    record = json.loads(client.get("/api/v1/therapies/tvec/").content)
    assert record["assessed_on"] == assessed.isoformat()
    assert record["regulatory_status"][1]["source"] == "https://pubmed.ncbi.nlm.nih.gov/21631324/"


def test_a_new_version_carries_the_status_and_the_assessment_over():
    version = publish(therapy(regulatory_status=RegulatoryStatusFormField().clean(STATUS_LINES),
                              citations=[CitationFactory()]))  # fmt: skip
    following = workflow.new_version(version.item, by=make_editor())
    assert following.regulatory_status == version.regulatory_status
    assert following.assessed_on == version.assessed_on
    assert TherapyArticleVersionFactory(state="draft").regulatory_status == []


@pytest.mark.parametrize("marker", ["[@nct:42]", "[@url:42]", "[@url:10.1/x]"])
def test_a_marker_keeps_the_kind_it_names(marker):
    CitationFactory(value="777")  # a citation whose primary key a bare number could name
    version = therapy(body=f"Text {marker}.", citations=[])
    kind = marker[2:5].rstrip(":")
    assert [k for k, _ in cited(version)] == [kind]
    assert trust.evidence_problems(version)  # malformed, and said so


def test_marking_a_source_twice_in_two_spellings_cites_it_once():
    version = therapy(body="A [@doi:10.1056/NEJMoa1504030]. B [@doi:10.1056/nejmoa1504030].",
                      citations=[])  # fmt: skip
    assert cited(version) == [("doi", "10.1056/NEJMoa1504030")]


@pytest.mark.parametrize("text", ["[@pmid:1" * 25000, "1," * 100000, "[x" * 100000])
def test_pathological_bodies_are_read_in_linear_time(text):
    # No timing is asserted (the benchmark's job); a quadratic regex would take minutes here.
    claims.uncited_numeric_sentences(text)
    render_markdown(text)
