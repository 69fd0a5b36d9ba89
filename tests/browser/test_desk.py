"""The editorial desk in Chromium: what an editor or moderator sees and does on one screen."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.factories import CitationFactory, TherapyArticleVersionFactory

# Transactional (the live server reads what the test writes); the migrations' groups and
# permissions are restored after the previous test's flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG_BODY = "\n\n".join(
    f"Paragraph {n}: CAR-T cells are engineered from the patient's own T cells." for n in range(40)
)


def test_leaving_or_submitting_with_unsaved_edits_asks_first(
    live_server, page, people, sign_in, shot
):
    version = TherapyArticleVersionFactory(state="draft", author=people["editor"])
    sign_in(page, "editor")
    page.goto(live_server.url + version.item.get_admin_url())
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "stay on this page"

    page.on("dialog", answer)
    page.fill("#id_summary", "An edit that is not saved yet.")
    shot(page, "desk-unsaved-edit")
    page.get_by_role("link", name="Submit for review").click()
    assert dialogs == ["confirm"]
    expect(page).to_have_url(re.compile(r"/change/$"))  # stayed, with the edit
    expect(page.locator("#id_summary")).to_have_value("An edit that is not saved yet.")
    with pytest.raises(PlaywrightError, match="ERR_ABORTED"):  # leaving some other way:
        page.goto(live_server.url + "/admin/")  # the browser asks, the reader stays
    assert dialogs == ["confirm", "beforeunload"]
    expect(page.locator("#id_summary")).to_have_value("An edit that is not saved yet.")
    version.refresh_from_db()
    assert version.state == "draft" and version.summary != "An edit that is not saved yet."


def test_the_review_screen_has_no_scroll_box_and_shows_an_added_paragraph_at_once(
    live_server, page, people, sign_in, shot
):
    live = TherapyArticleVersionFactory(state="published", body=LONG_BODY)
    TherapyArticleVersionFactory(
        item=live.item, number=2, state="in_review", author=people["editor"],
        body=LONG_BODY + "\n\nA paragraph added at the very end.",
    )  # fmt: skip
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "moderator")
    page.goto(live_server.url + reverse("admin:therapies_therapyarticle_review",
                                        args=[live.item.pk, 2]))  # fmt: skip
    shot(page, "desk-review-screen")
    added = page.locator(".diff-block.added")
    expect(added).to_contain_text("A paragraph added at the very end.")
    # Within the first two screens of the page, not 976 px down inside a box.
    assert added.bounding_box()["y"] < 1800
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('#content-main *')].filter(el => {
            const style = getComputedStyle(el);
            const scrolls = ['auto', 'scroll'].includes(style.overflowY);
            return scrolls && el.scrollHeight > el.clientHeight;
        }).map(el => el.className)"""
    )
    assert boxes == []
    # The changed block's label has enough contrast (WCAG AA), as axe measures it.
    expect(page.locator(".diff-label").first).to_have_css("color", "rgb(27, 31, 36)")


def test_the_markdown_preview_looks_like_the_public_page(live_server, page, people, sign_in):
    live = TherapyArticleVersionFactory(state="published", body="A paragraph of the article.")
    page.goto(live_server.url + live.item.get_absolute_url())
    public = page.locator(".prose p").first.evaluate(
        "el => { const s = getComputedStyle(el); return [s.fontFamily, s.fontSize, s.lineHeight]; }"
    )
    draft = TherapyArticleVersionFactory(state="draft", author=people["editor"])
    sign_in(page, "editor")
    page.goto(live_server.url + draft.item.get_admin_url())
    page.fill("#id_body", "A paragraph of the article.")
    preview = page.locator(".markdownx-preview p").first
    expect(preview).to_have_text("A paragraph of the article.")
    shown = preview.evaluate(
        "el => { const s = getComputedStyle(el); return [s.fontFamily, s.fontSize, s.lineHeight]; }"
    )
    assert shown == public


def test_an_existing_citation_is_found_by_typing_its_identifier(
    live_server, page, people, sign_in, shot
):
    CitationFactory(kind="pmid", value="26027431", label="Larkin J, et al. N Engl J Med. 2015.")
    draft = TherapyArticleVersionFactory(state="draft", author=people["editor"])
    sign_in(page, "editor")
    page.goto(live_server.url + draft.item.get_admin_url())
    page.locator(".field-citations .select2-selection").click()
    search = page.locator(".select2-container--open input.select2-search__field")
    expect(search).to_have_attribute("aria-label", re.compile("citations", re.I))
    search.type("26027431")
    page.get_by_role("option", name="Larkin J, et al. N Engl J Med. 2015.").click()
    shot(page, "desk-citation-autocomplete")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert "26027431" in [c.value for c in draft.citations.all()]


def test_a_phone_reader_gets_a_two_row_header_and_readable_charts(live_server, page, shot):
    from tests.factories import TrialNoteVersionFactory

    TrialNoteVersionFactory(state="published", phase="PHASE3", overall_status="COMPLETED")
    TrialNoteVersionFactory(state="published", phase="PHASE2", overall_status="RECRUITING")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/trials/")
    shot(page, "public-trials-on-a-phone")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 100
    tops = {round(link.bounding_box()["y"]) for link in page.locator(".site-header nav a").all()}
    assert len(tops) == 1  # the sections on one row
    label = page.locator(".bar-chart .bar-label").first
    assert float(label.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 14
    assert page.locator(".bar-track").first.bounding_box()["height"] >= 20
    page.locator(".bar-chart a", has_text="Phase 2").click()
    expect(page).to_have_url(re.compile(r"\?phase=PHASE2$"))
    expect(page.locator(".result-count")).to_contain_text("1 trial note")
    page.get_by_role("link", name="Search", exact=True).click()
    expect(page.locator("#search-q")).to_be_focused()


def test_the_desk_speaks_in_words_and_readers_see_one_reference_per_paper(
    live_server, page, demo, sign_in, shot
):
    import datetime

    from django.utils import timezone

    from therapies.models import TherapyArticle, TrialNote

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "admin")
    expect(page).to_have_title(re.compile("Immunotherapy Atlas"))
    expect(page.locator("#site-name")).to_have_text("Immunotherapy Atlas")
    car_t = TherapyArticle.objects.get(slug="car-t-cell-therapy")
    page.goto(live_server.url + reverse("admin:therapies_therapyarticle_history",
                                        args=[car_t.pk]))  # fmt: skip
    history = page.locator("#content-main").inner_text()
    assert "From draft to in review" in history and "in_review" not in history
    assert re.search(r"Edited: [A-Z][a-z]+", history) and "change_summary" not in history
    page.goto(live_server.url + reverse("admin:therapies_auditevent_changelist"))
    assert "changes_requested" not in page.locator("#result_list").inner_text()
    page.goto(live_server.url + reverse(
        "admin:therapies_conflictofintereststatement_changelist"))  # fmt: skip
    statements = page.locator("#result_list").inner_text()
    assert "pembrolizumab" in statements and '["' not in statements
    # The editor's boxes are wide enough to read what is typed.
    page.goto(live_server.url + reverse("admin:therapies_therapyarticle_add"))
    assert page.locator("#id_title").bounding_box()["width"] > 600
    assert page.locator("#id_change_summary").bounding_box()["width"] > 600
    # A conflicted moderator is told how the agent relates to the trial.
    tebentafusp = TrialNote.objects.get(nct_id="NCT03070392")
    conflicted = page.context.browser.new_context().new_page()
    sign_in(conflicted, "moderator3")
    conflicted.goto(live_server.url + reverse(
        "admin:therapies_trialnote_review",
        args=[tebentafusp.pk, tebentafusp.in_progress.number]))  # fmt: skip
    expect(conflicted.locator("#coi-heading + div")).to_contain_text(
        "You declared an interest in pembrolizumab, which is among the interventions of this "
        "clinical-trial note"
    )
    shot(conflicted, "desk-conflict-in-words")
    # A publication whose time has passed is flagged on the desk.
    late = TherapyArticle.objects.get(slug="anti-ctla-4-antibodies").published
    type(late).objects.filter(pk=late.pk).update(  # as if the scheduler had missed it
        state="approved", publish_at=timezone.now() - datetime.timedelta(hours=1)
    )
    page.goto(live_server.url + "/admin/")
    expect(page.locator("#content-main")).to_contain_text("not yet published")
    # CheckMate 067 cites Larkin 2015 by PubMed ID and DOI: readers see one reference.
    page.goto(live_server.url + "/trials/NCT01844505/")
    references = page.locator(".references li")
    expect(references.filter(has_text="26027431")).to_have_count(1)
    expect(references.filter(has_text="26027431")).to_contain_text("DOI 10.1056/NEJMoa1504030")
