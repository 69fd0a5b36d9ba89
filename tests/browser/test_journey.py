"""The editorial journey as people make it, in Chromium: an editor writes, a moderator sends
it back, the editor fixes it, the moderator schedules it, the scheduler publishes it, a reader
on a phone finds it, and a new version stays off the public page until it is approved. A
screenshot of each step is kept in var/screenshots/journey-<n>-….png."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from therapies import workflow
from therapies.models import Citation, TherapyArticle

# Transactional (the live server reads what the test writes); the migrations' groups and
# permissions are restored after the previous test's flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Axicabtagene ciloleucel in large B-cell lymphoma"
FIRST_BODY = (
    "## Five-year follow-up\n\n"
    "In ZUMA-1, responses were still ongoing in **31%** of the 101 treated patients at five "
    "years."
)
# Figures from the cited five-year update of ZUMA-1 (PMID 36821768).
SECOND_PARAGRAPH = "\n\nMedian overall survival was 25.8 months."


def test_an_article_goes_from_draft_to_a_readers_phone_and_updates_wait_for_review(
    live_server, browser, people, sign_in, shot
):
    url = live_server.url
    editor = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    moderator = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()

    # 1. The editor creates the article, sees the preview render it, cites a PubMed ID from
    #    the form, then saves and submits in one step.
    sign_in(editor, "editor")
    editor.goto(url + "/admin/therapies/therapyarticle/add/")
    editor.locator("#id_title").press_sequentially(TITLE)
    expect(editor.locator("#id_slug")).to_have_value(
        "axicabtagene-ciloleucel-in-large-b-cell-lymphoma"
    )
    editor.select_option("#id_therapy_class", label="CAR-T cell therapy")
    editor.fill("#id_summary", "An autologous anti-CD19 CAR-T cell therapy.")
    editor.fill("#id_body", FIRST_BODY)
    preview = editor.locator(".markdownx-preview")
    expect(preview.locator("strong")).to_have_text("31%")
    expect(preview.locator("h2")).to_have_text("Five-year follow-up")
    editor.fill("#id_add_citations", "PMID: 36821768 | Neelapu SS, et al. Blood. 2023.")
    shot(editor, "journey-1-editor-writes")
    editor.click("input[name=_saveandsubmit]")
    expect(editor.locator(".messagelist")).to_contain_text("Saved and submitted for review")
    item = TherapyArticle.objects.get(slug="axicabtagene-ciloleucel-in-large-b-cell-lymphoma")
    version = item.versions.get()
    assert version.state == "in_review"
    assert [c.value for c in version.citations.all()] == ["36821768"]
    assert Citation.objects.get(value="36821768").label == "Neelapu SS, et al. Blood. 2023."

    # 2. A moderator claims it from the desk, reads the change and asks for more.
    sign_in(moderator, "moderator")
    row = moderator.locator(".desk-table tr", has_text=TITLE)
    row.get_by_role("button", name=re.compile("^Claim")).click()
    expect(moderator).to_have_url(re.compile(r"/versions/1/review/$"))
    expect(moderator.locator(".diff-block.added").first).to_contain_text("Five-year follow-up")
    moderator.fill("#id_comment", "Please add median overall survival from the same update.")
    shot(moderator, "journey-2-moderator-reviews")
    moderator.get_by_role("button", name="Request changes").click()
    expect(moderator.locator(".messagelist")).to_contain_text("Request changes: done")
    version.refresh_from_db()
    assert version.state == "changes_requested"

    # 3. The editor reads the comment on the desk, edits and resubmits.
    editor.goto(url + "/admin/")
    expect(editor.locator("#content-main")).to_contain_text(
        "Please add median overall survival from the same update."
    )
    editor.get_by_role("link", name=TITLE).first.click()
    editor.fill("#id_body", FIRST_BODY + SECOND_PARAGRAPH)
    shot(editor, "journey-3-editor-revises")
    editor.click("input[name=_saveandsubmit]")
    expect(editor.locator(".messagelist")).to_contain_text("Saved and submitted for review")

    # 4. The moderator sees what changed since their review and approves it for two minutes
    #    ahead; the scheduler publishes it when the time comes.
    moderator.goto(url + "/admin/")
    moderator.locator(".desk-table tr", has_text=TITLE).get_by_role(
        "link", name=re.compile("^Review")
    ).click()
    # Nothing is live yet: the change is shown against what this moderator last reviewed.
    expect(moderator.locator("#changes-heading")).to_contain_text("what you last reviewed")
    expect(moderator.locator(".diff-block.added")).to_have_count(1)
    expect(moderator.locator(".diff-block.added")).to_contain_text("25.8 months")
    at = timezone.localtime() + datetime.timedelta(minutes=2)
    moderator.fill("#id_publish_at", at.strftime("%Y-%m-%dT%H:%M"))
    shot(moderator, "journey-4-moderator-schedules")
    moderator.get_by_role("button", name="Approve").click()
    version.refresh_from_db()
    assert version.state == "approved" and version.publish_at > timezone.now()
    assert workflow.publish_due() == []  # not yet
    published = workflow.publish_due(now=timezone.now() + datetime.timedelta(minutes=3))
    assert [v.pk for v in published] == [version.pk]

    # 5. A reader on a phone finds it through search and reads it.
    reader = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    reader.goto(url + "/")
    reader.get_by_role("link", name="Search", exact=True).click()
    reader.fill("#search-q", "axicabtagene")
    reader.keyboard.press("Enter")
    reader.get_by_role("link", name=TITLE).click()
    expect(reader.locator("main")).to_contain_text("Median overall survival was 25.8 months.")
    shot(reader, "journey-5-reader-on-a-phone")

    # 6. The editor starts a new version; the reader sees the old text until it is approved.
    editor.goto(url + item.get_admin_url())
    editor.get_by_role("link", name="New version").click()
    editor.get_by_role("button", name="New version").click()
    editor.fill("#id_body", FIRST_BODY + SECOND_PARAGRAPH + "\n\nAn unreviewed sentence.")
    editor.click("input[name=_saveandsubmit]")
    reader.reload()
    expect(reader.locator("main")).not_to_contain_text("An unreviewed sentence.")
    shot(reader, "journey-6-reader-still-sees-the-reviewed-text")
    second = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    sign_in(second, "moderator2")
    second.goto(url + reverse("admin:therapies_therapyarticle_review", args=[item.pk, 2]))
    second.get_by_role("button", name="Approve").click()
    reader.reload()
    expect(reader.locator("main")).to_contain_text("An unreviewed sentence.")
