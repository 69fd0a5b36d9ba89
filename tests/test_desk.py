"""The editorial desk (issue 13): what editors and moderators see in the admin."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import TherapyArticleVersionFactory, make_editor, make_moderator, make_user
from therapies import workflow

pytestmark = pytest.mark.django_db


def test_the_admin_names_the_portal(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Immunotherapy Atlas" in page and "Django administration" not in page


def test_the_history_says_states_in_words(admin_client):
    version = TherapyArticleVersionFactory(state="draft", author=make_editor("writer"))
    workflow.submit(version, by=version.author)
    url = reverse("admin:therapies_therapyarticle_history", args=[version.item.pk])
    page = admin_client.get(url).content.decode()
    assert "From draft to in review" in page and "draft → in_review" not in page


def test_view_on_site_opens_the_preview_until_the_item_is_live(admin_client):
    draft = TherapyArticleVersionFactory(state="draft")
    url = reverse("admin:therapies_therapyarticle_change", args=[draft.item.pk])
    page = admin_client.get(url).content.decode()
    preview = reverse("admin:therapies_therapyarticle_preview", args=[draft.item.pk, 1])
    assert f'href="{preview}"' in page
    assert admin_client.get(preview).status_code == 200
    live = TherapyArticleVersionFactory(state="published")
    url = reverse("admin:therapies_therapyarticle_change", args=[live.item.pk])
    assert f'href="{live.item.get_absolute_url()}"' in admin_client.get(url).content.decode()


def test_the_scheduler_can_keep_running_beside_the_development_server(monkeypatch):
    due = TherapyArticleVersionFactory(
        state="approved", publish_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    passes = []

    def sleep(seconds):
        passes.append(seconds)
        raise KeyboardInterrupt  # Ctrl-C after the first pass

    monkeypatch.setattr("time.sleep", sleep)
    out = io.StringIO()
    call_command("publish_scheduled", "--every", "30", stdout=out)
    due.refresh_from_db()
    assert due.state == "published" and passes == [30.0]
    assert "Scheduler: a pass every 30 s" in out.getvalue()
    assert out.getvalue().rstrip().endswith("Scheduler stopped.")


def test_make_run_starts_the_scheduler_and_sets_the_site_address():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    run = makefile.split("\nrun: venv\n", 1)[1].split("\n\n", 1)[0]
    assert "publish_scheduled --every 30 &" in run and "trap " in run
    assert "SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}" in run


# --- the dashboard -----------------------------------------------------------------------------


def desk(client):
    return client.get(reverse("admin:index")).content.decode()


def test_the_desk_lists_the_review_queue_oldest_first_with_who_claimed_each(client):
    older = TherapyArticleVersionFactory(
        state="in_review",
        title="Older submission",
        submitted_at=timezone.now() - datetime.timedelta(days=2),
    )
    newer = TherapyArticleVersionFactory(
        state="in_review", title="Newer submission", submitted_at=timezone.now()
    )
    other = make_moderator("claimer")
    workflow.claim_review(newer, by=other)
    client.force_login(make_moderator("reader"))
    page = desk(client)
    assert page.index("Older submission") < page.index("Newer submission")
    assert "Being reviewed by claimer" in page and "Nobody yet" in page
    review = reverse("admin:therapies_therapyarticle_review", args=[older.item.pk, 1])
    assert f'href="{review}"' in page


def test_a_moderator_claims_from_the_desk_and_lands_on_the_review_screen(client):
    version = TherapyArticleVersionFactory(state="in_review")
    moderator = make_moderator("claims")
    client.force_login(moderator)
    claim = reverse("admin:therapies_therapyarticle_workflow",
                    args=[version.item.pk, 1, "claim"])  # fmt: skip
    assert f'action="{claim}"' in desk(client)
    response = client.post(claim)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:therapies_therapyarticle_review",
                                           args=[version.item.pk, 1])  # fmt: skip
    version.refresh_from_db()
    assert version.review_claimed_by == moderator


def test_an_editor_reads_the_reviewers_comment_on_the_desk(client):
    editor = make_editor("writer")
    version = TherapyArticleVersionFactory(state="in_review", author=editor, title="My article")
    workflow.request_changes(version, by=make_moderator("critic"),
                             comment="Cite the 5-year update of ZUMA-1.")  # fmt: skip
    client.force_login(editor)
    page = desk(client)
    assert "My article" in page and "Cite the 5-year update of ZUMA-1." in page
    assert "Changes requested" in page
    assert "Waiting for review" not in page  # editors approve nothing


def test_the_desk_shows_scheduled_publications_with_their_times_in_the_editorial_zone(
    client, settings
):
    settings.EDITORIAL_TIME_ZONE = "Europe/Berlin"
    at = datetime.datetime(2030, 1, 15, 13, 45, tzinfo=datetime.UTC)
    TherapyArticleVersionFactory(state="approved", publish_at=at, title="Scheduled article")
    client.force_login(make_moderator("planner"))
    page = desk(client)
    assert "Scheduled article" in page
    assert "2030-01-15 14:45 CET (13:45 UTC)" in page


def test_the_desk_flags_a_scheduled_version_whose_time_has_passed(client):
    TherapyArticleVersionFactory(
        state="approved",
        title="Late article",
        publish_at=timezone.now() - datetime.timedelta(hours=1),
    )
    client.force_login(make_moderator("watcher"))
    page = desk(client)
    assert "Late article" in page and "not yet published" in page
    assert "is it running?" in page


def test_the_desk_lists_flagged_items_and_re_reviews_due(client):
    from therapies.models import RecheckFlag

    flagged = TherapyArticleVersionFactory(state="published", title="Flagged article")
    cause = TherapyArticleVersionFactory(state="published")
    RecheckFlag.objects.create(item_type=ContentType.objects.get_for_model(flagged.item),
                               item_id=flagged.item.pk, reason="Its key agents changed.",
                               urgent=True, therapy=cause.item,
                               therapy_version_number=1)  # fmt: skip
    long_ago = timezone.now() - datetime.timedelta(days=800)
    TherapyArticleVersionFactory(state="published", title="Old review", approved_at=long_ago,
                                 published_at=long_ago)  # fmt: skip
    client.force_login(make_moderator("checker"))
    page = desk(client)
    assert "Flagged article" in page and "Its key agents changed." in page
    assert "Old review" in page and "Overdue:" in page


def test_the_desk_is_one_page_wide_not_a_600_pixel_box():
    css = (settings_dir() / "static/css/editorial-admin.css").read_text()
    assert ".dashboard #content { width: auto;" in css
    assert "table-layout: fixed" in css


def settings_dir():
    from django.conf import settings

    return settings.BASE_DIR


# --- the review screen -------------------------------------------------------------------------


LONG_BODY = "\n\n".join(f"Paragraph {n} says something about CAR-T cells." for n in range(1, 21))


def test_the_review_screen_shows_a_paragraph_added_at_the_end_first_and_folds_the_rest(client):
    live = TherapyArticleVersionFactory(state="published", body=LONG_BODY)
    TherapyArticleVersionFactory(
        item=live.item,
        number=2,
        state="in_review",
        body=LONG_BODY + "\n\nA new paragraph on 5-year data.",
    )
    client.force_login(make_moderator("reviewer"))
    url = reverse("admin:therapies_therapyarticle_review", args=[live.item.pk, 2])
    page = client.get(url).content.decode()
    changes = page.index('id="changes-heading"')
    shown = page[page.index("</details>", changes) : page.index("A new paragraph", changes)]
    # Before the new paragraph: one folded run, then only the paragraph next to it.
    assert page[changes : page.index("A new paragraph")].count('<details class="folded">') == 1
    assert "Paragraph 20" in shown and "Paragraph 19" not in shown
    assert 'class="diff-block added"' in page and "Added:" in page
    assert "19 unchanged paragraphs" in page  # all but the one next to the change
    assert "What changed against the live version (1)" in page
    assert 'Changed: <a href="#change-' in page and '<a href="#change-body">Body</a>' in page


def review_of_change(client, old_body: str, new_body: str) -> str:
    """The review screen of version 2 (in review) against a live version 1."""
    live = TherapyArticleVersionFactory(state="published", body=old_body)
    TherapyArticleVersionFactory(item=live.item, number=2, state="in_review", body=new_body)
    client.force_login(make_moderator("reviewer"))
    url = reverse("admin:therapies_therapyarticle_review", args=[live.item.pk, 2])
    return client.get(url).content.decode()


def test_the_review_screen_marks_changed_words_inside_a_paragraph(client):
    page = review_of_change(client, "Median survival was 20 months.",
                            "Median survival was 25.8 months.")  # fmt: skip
    assert "<del>20</del><ins>25.8</ins>" in page
    assert 'class="diff-block changed"' in page


def test_the_review_screen_keeps_the_checklist_and_conflict_of_interest_at_the_top(client):
    version = TherapyArticleVersionFactory(state="in_review")
    client.force_login(make_moderator("reviewer"))
    page = client.get(reverse("admin:therapies_therapyarticle_review",
                              args=[version.item.pk, 1])).content.decode()  # fmt: skip
    assert (
        page.index("Evidence checklist")
        < page.index("Your conflict of interest")
        < page.index('id="changes-heading"')
        < page.index("Your decision")
    )
    assert "Request changes" in page and "Approve" in page


def test_compare_with_what_i_last_reviewed_shows_only_the_edits_since(client):
    editor, moderator = make_editor("author"), make_moderator("reviewer")
    version = TherapyArticleVersionFactory(
        state="in_review", author=editor, body="First paragraph.\n\nSecond paragraph."
    )
    workflow.request_changes(version, by=moderator, comment="Say more in the second.")
    workflow.edit(version, by=editor, body="First paragraph.\n\nSecond paragraph, expanded.")
    workflow.submit(version, by=editor)
    client.force_login(moderator)
    url = reverse("admin:therapies_therapyarticle_review", args=[version.item.pk, 1])
    page = client.get(url, {"against": "mine"}).content.decode()
    assert "What changed against what you last reviewed (version 1)" in page
    assert "<ins>expanded.</ins>" in page or "<ins>paragraph, expanded.</ins>" in page
    assert "First paragraph." in page  # context, not a change
    assert "Added:" not in page


def test_the_comparison_has_no_scroll_boxes_of_its_own():
    css = (settings_dir() / "static/css/editorial-admin.css").read_text()
    rules = css[css.index(".comparison .field-text") :].split("}")[0]
    assert "overflow" not in rules and "max-height" not in rules
    assert "tr.unchanged" not in css  # faded "no change" rows failed contrast


def test_body_diff_folds_unchanged_blocks_beyond_the_context():
    from therapies.diff import body_diff

    old = "\n\n".join(f"Block {n}." for n in range(10))
    new = old.replace("Block 5.", "Block five.")
    blocks = body_diff(old, new)
    assert [b.change for b in blocks].count("changed") == 1
    shown = [b for b in blocks if not b.folded]
    assert len(shown) == 3  # the change and one block either side
    assert all(b.change == "same" for b in blocks if b.folded)


def test_a_list_item_added_to_a_long_list_is_its_own_block():
    from therapies.diff import body_diff

    old = "\n".join(f"- item {n}" for n in range(8))
    new = old + "\n- item new"
    added = [b for b in body_diff(old, new) if b.change == "added"]
    assert len(added) == 1 and "item new" in added[0].html


# --- no silently dropped edits -----------------------------------------------------------------


def change_url(item):
    return reverse("admin:therapies_therapyarticle_change", args=[item.pk])


def test_save_and_submit_saves_the_edit_and_sends_it_to_review_in_one_step(client):
    from tests.test_admin import change_form_data

    editor = make_editor("writer")
    version = TherapyArticleVersionFactory(state="draft", author=editor, title="Old title")
    client.force_login(editor)
    data = change_form_data(client, version.item)
    data.update(title="New title", _saveandsubmit="Save and submit for review")
    response = client.post(change_url(version.item), data, follow=True)
    version.refresh_from_db()
    assert (version.title, version.state) == ("New title", "in_review")
    assert "Saved and submitted for review (version 1)." in response.content.decode()


def test_save_and_submit_keeps_the_save_and_says_why_it_was_not_submitted(client):
    from tests.factories import TrialNoteVersionFactory
    from tests.test_admin import change_form_data
    from therapies import registry

    editor = make_editor("writer")
    version = TrialNoteVersionFactory(state="draft", author=editor)
    version.body = registry.PLACEHOLDER_BODY.format(nct_id=version.item.nct_id)
    version.save()
    client.force_login(editor)
    data = change_form_data(client, version.item)
    data.update(summary="A better summary.", _saveandsubmit="1")
    url = reverse("admin:therapies_trialnote_change", args=[version.item.pk])
    response = client.post(url, data, follow=True)
    version.refresh_from_db()
    assert (version.summary, version.state) == ("A better summary.", "draft")
    content = response.content.decode()
    assert "Saved, but not submitted for review:" in content and "placeholder" in content


def test_submitting_from_a_page_older_than_the_last_save_is_refused(client):
    editor = make_editor("writer")
    version = TherapyArticleVersionFactory(state="draft", author=editor)
    client.force_login(editor)
    page = client.get(change_url(version.item)).content.decode()
    submit = reverse("admin:therapies_therapyarticle_workflow",
                     args=[version.item.pk, 1, "submit"])  # fmt: skip
    assert f"{submit}?edit_count=0" in page  # the page's counter goes with the button
    workflow.edit(version, by=make_editor("colleague"), summary="Changed in another tab.")
    form = client.get(submit + "?edit_count=0").content.decode()
    assert 'name="loaded_edit_count" value="0"' in form
    response = client.post(submit, {"comment": "", "loaded_edit_count": "0"})
    assert response.status_code == 400
    assert "saved this draft after your page was loaded" in response.content.decode()
    assert workflow_state(version) == "draft"


def workflow_state(version):
    version.refresh_from_db()
    return version.state


def test_workflow_submit_checks_the_save_counter_it_is_given():
    from therapies.workflow import EditConflict

    editor = make_editor("writer")
    version = TherapyArticleVersionFactory(state="draft", author=editor)
    workflow.edit(version, by=editor, summary="Saved once.")
    with pytest.raises(EditConflict):
        workflow.submit(version, by=editor, expected_edit_count=0)
    workflow.submit(version, by=editor, expected_edit_count=1)
    assert workflow_state(version) == "in_review"


def test_the_change_form_warns_before_leaving_with_unsaved_edits(client):
    editor = make_editor("writer")
    version = TherapyArticleVersionFactory(state="draft", author=editor)
    client.force_login(editor)
    page = client.get(change_url(version.item)).content.decode()
    assert "js/unsaved-changes.js" in page and 'name="_saveandsubmit"' in page
    script = (settings_dir() / "static/js/unsaved-changes.js").read_text()
    assert "beforeunload" in script


# --- citations where they are cited ------------------------------------------------------------


def test_sources_typed_in_the_form_are_checked_reused_and_added_in_order(client):
    from tests.factories import CitationFactory
    from tests.test_admin import change_form_data
    from therapies.models import Citation

    existing = CitationFactory(kind="pmid", value="26027431", label="Larkin J, et al. 2015.")
    editor = make_editor("writer")
    version = TherapyArticleVersionFactory(state="draft", author=editor)
    client.force_login(editor)
    data = change_form_data(client, version.item)
    data["add_citations"] = ("PMID: 26027431\n"
                             "doi:10.1056/NEJMoa1504030 | Larkin J, et al. NEJM 2015.\n"
                             "NCT01844505\nPMID: 26027431\n")  # fmt: skip
    response = client.post(change_url(version.item), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    cited = [link.citation for link in version.citation_links.select_related("citation")]
    assert cited[1:] == [
        existing,
        Citation.objects.get(kind="doi", value="10.1056/NEJMoa1504030"),
        Citation.objects.get(kind="nct", value="NCT01844505"),
    ]
    assert Citation.objects.get(kind="doi").label == "Larkin J, et al. NEJM 2015."
    assert Citation.objects.filter(value="26027431").count() == 1


@pytest.mark.parametrize("line,message", [
    ("PMID: 12ab", "PubMed"),
    ("NCT123", "NCT"),
    ("not a source", "Not a PubMed ID, DOI, NCT ID or address"),
    ("javascript:alert(1)", "Not a PubMed ID, DOI, NCT ID or address"),
])  # fmt: skip
def test_a_malformed_source_is_refused_with_its_line(client, line, message):
    from tests.test_admin import change_form_data

    editor = make_editor("writer")
    version = TherapyArticleVersionFactory(state="draft", author=editor)
    client.force_login(editor)
    data = {**change_form_data(client, version.item), "add_citations": f"NCT01844505\n{line}"}
    response = client.post(change_url(version.item), data)
    assert response.status_code == 200
    assert f"Line 2 ({line.split('|')[0].strip()})" in response.content.decode()
    assert message in response.content.decode()
    assert version.citation_links.count() == 1  # nothing saved


def test_existing_citations_are_found_by_admin_autocomplete_by_identifier(client):
    from tests.factories import CitationFactory

    CitationFactory(kind="pmid", value="26027431", label="Larkin J, et al. 2015.")
    CitationFactory(kind="pmid", value="28889792", label="Wolchok JD, et al. 2017.")
    client.force_login(make_editor("writer"))
    page = client.get(reverse("admin:therapies_therapyarticle_add")).content.decode()
    assert "admin-autocomplete" in page and 'data-field-name="citations"' in page
    url = reverse("admin:autocomplete")
    params = {"app_label": "therapies", "model_name": "therapyarticleversion",
              "field_name": "citations"}  # fmt: skip
    for term in ("26027431", "PMID: 26027431", "Larkin"):
        found = client.get(url, {**params, "term": term}).json()["results"]
        assert [row["text"] for row in found] == ["Larkin J, et al. 2015."], term


def test_a_doi_and_a_pubmed_id_of_one_paper_are_one_reference_for_readers(client):
    from tests.factories import CitationFactory

    pmid = CitationFactory(kind="pmid", value="26027431", label="Larkin J, et al. 2015.")
    doi = CitationFactory(kind="doi", value="10.1056/NEJMoa1504030", label="Larkin J, 2015.")
    workflow.link_same_paper(doi, pmid, by=make_user("boss", superuser=True))
    pmid.refresh_from_db()
    assert pmid.same_as == doi  # kept on both
    live = TherapyArticleVersionFactory(state="published", cites=[pmid, doi])
    page = client.get(live.item.get_absolute_url()).content.decode()
    references = page[page.index('id="refs-heading"') :]
    assert references.count('<li id="ref-') == 1
    assert "PubMed ID 26027431" in references and "DOI 10.1056/NEJMoa1504030" in references


@pytest.mark.parametrize("first,second,problem", [
    (("pmid", "1"), ("doi", "10.1/a"), None),
    (("pmid", "1"), ("pmid", "2"), "Only a paper's PubMed ID and its DOI can be linked"),
    (("url", "https://example.org/x"), ("pmid", "2"), "Only a paper's PubMed ID"),
    (("nct", "NCT01844505"), ("doi", "10.1/b"), "Only a paper's PubMed ID"),
    (("pmid", "1"), None, None),
])  # fmt: skip
def test_only_a_pubmed_id_and_a_doi_are_linked_as_one_paper(first, second, problem):
    from tests.factories import CitationFactory

    one = CitationFactory(kind=first[0], value=first[1])
    other = CitationFactory(kind=second[0], value=second[1]) if second else None
    found = workflow.same_paper_problem(one, other)
    assert (found is None) if problem is None else problem in found


def test_an_editor_cannot_link_citations_or_open_a_reviewed_one(client):
    from django.core.exceptions import PermissionDenied

    from tests.factories import CitationFactory

    pmid = CitationFactory(kind="pmid", value="26027431")
    doi = CitationFactory(kind="doi", value="10.1056/NEJMoa1504030")
    editor = make_editor("writer")
    with pytest.raises(PermissionDenied):
        workflow.link_same_paper(doi, pmid, by=editor)
    TherapyArticleVersionFactory(state="published", cites=[pmid])
    client.force_login(editor)
    url = reverse("admin:therapies_citation_change", args=[pmid.pk])
    assert client.post(url, {"same_as": doi.pk}).status_code == 403
    doi.refresh_from_db()
    assert doi.same_as is None


def test_a_new_citation_with_a_partner_already_linked_is_refused_in_the_form(client):
    from tests.factories import CitationFactory

    moderator = make_moderator("links")
    pmid = CitationFactory(kind="pmid", value="26027431")
    first_doi = CitationFactory(kind="doi", value="10.1056/NEJMoa1504030")
    workflow.link_same_paper(first_doi, pmid, by=moderator)
    client.force_login(make_user("boss", superuser=True))
    response = client.post(reverse("admin:therapies_citation_add"),
                           {"kind": "doi", "value": "10.1000/other", "label": "",
                            "same_as": pmid.pk})  # fmt: skip
    assert response.status_code == 200
    assert "already linked to another identifier" in response.content.decode()


def test_a_citation_cited_by_reviewed_content_can_still_be_linked_in_the_admin(client):
    from tests.factories import CitationFactory

    pmid = CitationFactory(kind="pmid", value="26027431")
    doi = CitationFactory(kind="doi", value="10.1056/NEJMoa1504030")
    TherapyArticleVersionFactory(state="published", cites=[pmid])
    client.force_login(make_user("boss", superuser=True))
    url = reverse("admin:therapies_citation_change", args=[pmid.pk])
    response = client.post(url, {"same_as": doi.pk})
    assert response.status_code == 302
    doi.refresh_from_db()
    assert doi.same_as == pmid


# --- form layout -------------------------------------------------------------------------------


def test_the_form_puts_the_title_first_and_fills_the_slug_from_it(client):
    client.force_login(make_editor("writer"))
    page = client.get(reverse("admin:therapies_therapyarticle_add")).content.decode()
    assert page.index('name="title"') < page.index('name="slug"')
    assert "django-admin-prepopulated-fields-constants" in page
    assert "&quot;#id_slug&quot;" in page and "[&quot;#id_title&quot;]" in page


def test_the_slug_can_change_until_the_item_is_published_then_it_is_frozen(client):
    from tests.test_admin import change_form_data

    editor = make_editor("writer")
    draft = TherapyArticleVersionFactory(state="draft", author=editor)
    client.force_login(editor)
    data = {**change_form_data(client, draft.item), "slug": "a-better-address"}
    assert client.post(change_url(draft.item), data).status_code == 302
    draft.item.refresh_from_db()
    assert draft.item.slug == "a-better-address"
    live = TherapyArticleVersionFactory(state="published")
    page = client.get(change_url(live.item)).content.decode()
    assert 'name="slug"' not in page  # read-only once published
    with pytest.raises(workflow.WorkflowError):
        workflow.rename_item(live.item, by=make_user("boss", superuser=True), key="moved")


# --- times -------------------------------------------------------------------------------------


def test_the_desk_takes_and_shows_times_in_the_editorial_time_zone(client, settings):
    settings.EDITORIAL_TIME_ZONE = "America/New_York"
    version = TherapyArticleVersionFactory(state="in_review")
    client.force_login(make_moderator("planner"))
    url = reverse("admin:therapies_therapyarticle_workflow", args=[version.item.pk, 1, "approve"])
    assert "Time zone: America/New_York." in client.get(url).content.decode()
    response = client.post(url, {"comment": "", "publish_at": "2031-06-01T09:00"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.publish_at == datetime.datetime(2031, 6, 1, 13, 0, tzinfo=datetime.UTC)


def test_desk_time_shows_utc_alongside():
    from therapies.templatetags.editorial import desk_time

    at = datetime.datetime(2030, 1, 15, 23, 30, tzinfo=datetime.UTC)
    with timezone.override("Europe/Berlin"):
        assert desk_time(at) == "2030-01-16 00:30 CET (2030-01-15 23:30 UTC)"
    with timezone.override("UTC"):
        assert desk_time(at) == "2030-01-15 23:30 UTC"


def test_an_unknown_editorial_time_zone_stops_start_up():
    import os
    import subprocess
    import sys

    env = {**os.environ, "EDITORIAL_TIME_ZONE": "Mars/Olympus"}
    result = subprocess.run([sys.executable, "-c", "import django, os; "
                             "os.environ['DJANGO_SETTINGS_MODULE']='portal.settings'; "
                             "django.setup()"], env=env, capture_output=True, text=True,
                            cwd=settings_dir())  # fmt: skip
    assert result.returncode != 0 and "EDITORIAL_TIME_ZONE" in result.stderr


# --- words, not codes --------------------------------------------------------------------------


def test_conflict_of_interest_statements_are_listed_in_words(client):
    from therapies.models import ConflictOfInterestStatement

    moderator = make_moderator("declares")
    ConflictOfInterestStatement.objects.filter(user=moderator).update(
        agents=["pembrolizumab", "nivolumab"]
    )
    client.force_login(make_user("boss", superuser=True))
    page = client.get(reverse("admin:therapies_conflictofintereststatement_changelist"))
    content = page.content.decode()
    assert "pembrolizumab, nivolumab" in content and '["pembrolizumab"' not in content


def test_a_conflict_names_the_path_to_the_agent_in_a_trial():
    from tests.factories import TrialNoteVersionFactory
    from therapies import trust
    from therapies.models import ConflictOfInterestStatement

    trial = TrialNoteVersionFactory(
        state="in_review", interventions=["Drug: Pembrolizumab", "Drug: Ipilimumab"]
    )
    moderator = make_moderator("declares")
    ConflictOfInterestStatement.objects.filter(user=moderator).update(agents=["pembrolizumab"])
    problems = trust.coi_problems(trial, moderator)
    assert problems == [
        "You declared an interest in pembrolizumab, which is among the interventions of this "
        "clinical-trial note (“Drug: Pembrolizumab”)."
    ]


def test_the_history_names_the_edited_fields_by_their_labels(admin_client):
    editor = make_editor("writer")
    version = TherapyArticleVersionFactory(state="draft", author=editor)
    workflow.edit(version, by=editor, change_summary="Clearer.", key_agents=["nivolumab"])
    url = reverse("admin:therapies_therapyarticle_history", args=[version.item.pk])
    page = admin_client.get(url).content.decode()
    assert (
        "Edited: Key agents, change summary" in page or "Edited: Change summary, key agents" in page
    )
    assert "key_agents" not in page


# --- reader fixes ------------------------------------------------------------------------------


def test_a_reviewers_statement_never_shows_a_date_after_the_review(client):
    long_ago = timezone.now() - datetime.timedelta(days=400)
    live = TherapyArticleVersionFactory(
        state="published", approved_at=long_ago, published_at=long_ago,
        reviewer_coi={"declared_on": timezone.localdate().isoformat(), "agents": [],
                      "sponsors": []},
    )  # fmt: skip
    page = client.get(live.item.get_absolute_url()).content.decode()
    assert "conflict-of-interest statement at the time of review:" in page
    assert f"(dated {timezone.localdate():%-d %B %Y})" not in page


def test_the_items_page_says_when_a_scheduled_publication_is_late(client):
    late = TherapyArticleVersionFactory(
        state="approved", publish_at=timezone.now() - datetime.timedelta(hours=2, minutes=5)
    )
    client.force_login(make_moderator("watcher"))
    page = client.get(change_url(late.item)).content.decode()
    assert (
        "not yet published: is the scheduler running? It is 2\xa0hours, 5\xa0minutes late."
        in (page)
        or "not yet published: is the scheduler running? It is 2&nbsp;hours" in page
    )
    on_time = TherapyArticleVersionFactory(
        state="approved", publish_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert "is the scheduler running?" not in client.get(change_url(on_time.item)).content.decode()


def test_a_bare_number_typed_as_a_source_is_a_pubmed_id_never_a_row(client):
    from tests.factories import CitationFactory
    from tests.test_admin import change_form_data

    unrelated = CitationFactory(kind="url", value="https://example.org/unrelated")
    editor = make_editor("writer")
    version = TherapyArticleVersionFactory(state="draft", author=editor)
    client.force_login(editor)
    data = {**change_form_data(client, version.item), "add_citations": f"{unrelated.pk}\n26027431"}
    assert client.post(change_url(version.item), data).status_code == 302
    cited = {(link.citation.kind, link.citation.value) for link in version.citation_links.all()}
    assert ("pmid", str(unrelated.pk)) in cited and ("pmid", "26027431") in cited
    assert ("url", "https://example.org/unrelated") not in cited


def test_searching_citations_by_a_number_does_not_find_a_row_by_its_id(client):
    from tests.factories import CitationFactory

    row = CitationFactory(kind="url", value="https://example.org/a", label="Unrelated page")
    client.force_login(make_editor("writer"))
    url = reverse("admin:autocomplete")
    params = {"app_label": "therapies", "model_name": "therapyarticleversion",
              "field_name": "citations", "term": str(row.pk)}  # fmt: skip
    assert [r["text"] for r in client.get(url, params).json()["results"]] == []


def test_the_slug_is_frozen_while_a_version_is_in_review_or_scheduled(client):
    in_review = TherapyArticleVersionFactory(state="in_review")
    client.force_login(make_editor("writer"))
    assert 'name="slug"' not in client.get(change_url(in_review.item)).content.decode()
    with pytest.raises(workflow.WorkflowError):
        workflow.rename_item(in_review.item, by=make_editor("other"), key="moved")


def test_a_unicode_line_separator_does_not_hide_a_change_from_the_review():
    from therapies.diff import body_diff

    old = "Intro\u2028more.\n\nSecond.\n\nThird."
    new = "Intro\u2028more.\n\nSecond.\n\nThird. Take 10x the dose."
    changed = [b for b in body_diff(old, new) if b.change != "same"]
    assert len(changed) == 1 and "10x" in changed[0].html


def test_a_change_of_markdown_only_says_the_text_is_the_same(client):
    page = review_of_change(client, "One paragraph.", "One\nparagraph.")
    assert "The text a reader sees is the same: only the Markdown source changed" in page


def test_the_desk_runs_a_fixed_number_of_queries_whatever_the_queue(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    editor, moderator = make_editor("writer"), make_moderator("counts")
    client.force_login(moderator)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("admin:index")).status_code == 200
        return len(captured)

    for _ in range(2):
        TherapyArticleVersionFactory(state="in_review", author=editor)
    queries()  # content types and the like are cached on the first request
    few = queries()
    for _ in range(8):
        TherapyArticleVersionFactory(state="in_review", author=editor)
    assert queries() == few


def test_scheduled_lists_the_soonest_move_first_of_either_kind(client):
    soon = timezone.now() + datetime.timedelta(hours=1)
    later = timezone.now() + datetime.timedelta(days=3)
    TherapyArticleVersionFactory(state="approved", publish_at=later, title="Goes live later")
    TherapyArticleVersionFactory(state="published", unpublish_at=soon, title="Comes down soon")
    moves = workflow.scheduled_moves(make_moderator("planner"))
    assert [(v.title, v.move) for v in moves] == [("Comes down soon", "unpublication"),
                                                  ("Goes live later", "publication")]  # fmt: skip
