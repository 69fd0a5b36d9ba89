"""Trust and provenance (therapies/trust.py and the workflow functions that use it):
evidence scale and checklist, periodic re-review, review links, conflict-of-interest
statements, needs-re-check flags and corrections — allowed and refused cases, over the
Python contract and over HTTP."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    CitationFactory,
    CombinationEntryVersionFactory,
    TherapyArticleVersionFactory,
    TrialNoteVersionFactory,
    make_editor,
    make_moderator,
    make_user,
)
from therapies import catalog, trust, workflow
from therapies.models import (
    AuditEvent,
    Citation,
    ConflictOfInterestStatement,
    EvidenceLevel,
    RecheckFlag,
    ReviewLink,
    ReviewLinkUse,
    TherapyArticle,
)

pytestmark = pytest.mark.django_db


def publish(version, moderator=None):
    """Submit and approve `version` through the workflow."""
    workflow.submit(version, by=make_editor())
    workflow.approve(version, by=moderator or make_moderator())
    version.refresh_from_db()
    return version


def backdate(version, days):
    moment = timezone.now() - datetime.timedelta(days=days)
    dates = {"approved_at": moment, "published_at": moment}
    if hasattr(version, "assessed_on"):  # assessed at that review, as approval records it
        dates["assessed_on"] = moment.date()
    type(version).objects.filter(pk=version.pk).update(**dates)
    version.refresh_from_db()
    # Rewriting dates behind the workflow's back: the derived changelog and the cached pages
    # follow, as they do for every workflow move (and as a new day does for the page cache).
    catalog.public_change(version)
    return version


# --- 1. the evidence scale -----------------------------------------------------------------------


def test_evidence_scale_page_defines_every_level(client):
    content = client.get("/about/evidence/").content.decode()
    for level in EvidenceLevel:
        assert level.label in content and level.definition in content
        assert f'id="{level.anchor}"' in content


@pytest.mark.parametrize("factory", [TherapyArticleVersionFactory, CombinationEntryVersionFactory])
def test_pages_link_their_evidence_level_to_the_scale(client, factory):
    version = factory(state="published", evidence_level="phase2")
    content = client.get(version.item.get_absolute_url()).content.decode()
    assert 'href="/about/evidence/#level-phase2"' in content
    assert "Phase 2 evidence" in content


def test_citations_can_say_what_they_support(client):
    version = TherapyArticleVersionFactory(state="published")
    version.citation_links.create(citation=CitationFactory(), supports="5-year overall survival")
    content = client.get(version.item.get_absolute_url()).content.decode()
    assert "5-year overall survival" in content


# --- 2. the evidence checklist and the evidence gate ---------------------------------------------


def checklist(version):
    return {check.label: check.ok for check in trust.evidence_checklist(version)}


def test_checklist_asks_for_an_identified_source():
    version = TherapyArticleVersionFactory(state="in_review", evidence_level="phase3", cites=False)
    version.citation_links.create(citation=CitationFactory(kind="url", value="https://x.org/"))
    assert checklist(version)["At least one valid PubMed ID, DOI or NCT ID is cited"] is False
    version.citation_links.create(citation=CitationFactory(kind="doi", value="10.1056/X1"))
    assert checklist(version)["At least one valid PubMed ID, DOI or NCT ID is cited"] is True


def test_checklist_names_malformed_citations():
    version = TherapyArticleVersionFactory(state="in_review")
    bad = CitationFactory(kind="pmid", value="not-a-number")
    version.citation_links.create(citation=bad)
    problems = trust.evidence_problems(version)
    assert any("not-a-number" in problem for problem in problems)


def test_checklist_requires_every_combined_therapy_to_be_published():
    live = TherapyArticleVersionFactory(state="published").item
    draft = TherapyArticleVersionFactory(state="draft").item
    version = CombinationEntryVersionFactory(state="in_review", therapies=[live, draft])
    problems = trust.evidence_problems(version)
    assert any(draft.slug in problem for problem in problems)


def test_review_screen_shows_the_checklist(client):
    version = TherapyArticleVersionFactory(state="in_review")
    client.force_login(make_moderator())
    url = reverse("admin:therapies_therapyarticle_workflow",
                  args=[version.item.pk, version.number, "approve"])  # fmt: skip
    content = client.get(url).content.decode()
    assert (
        "Evidence checklist" in content and "At least one valid PubMed ID, DOI or NCT ID" in content
    )


GATE_CASES = {
    "no identified source": (
        lambda: TherapyArticleVersionFactory(state="in_review", cites=[
            CitationFactory(kind="url", value="https://www.cancer.gov/")]),
        "No citation with a valid PubMed ID, DOI or NCT ID.",
    ),
    "no citation at all": (
        lambda: TrialNoteVersionFactory(state="in_review", cites=False),
        "No citation with a valid PubMed ID, DOI or NCT ID.",
    ),
    "malformed citation": (
        lambda: TherapyArticleVersionFactory(state="in_review", cites=[
            CitationFactory(), CitationFactory(kind="doi", value="not-a-doi")]),
        "Malformed: DOI 'not-a-doi'.",
    ),
    "no evidence level": (
        lambda: CombinationEntryVersionFactory(state="in_review", evidence_level=""),
        "Choose a level from the evidence scale.",
    ),
    "a combined therapy unpublished": (
        lambda: CombinationEntryVersionFactory(state="in_review", therapies=[
            TherapyArticleVersionFactory(state="published").item,
            TherapyArticleVersionFactory(state="draft", item__slug="unreviewed-agent").item]),
        "Not published: unreviewed-agent.",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(GATE_CASES))
def test_evidence_gate_refuses_approval_naming_what_is_missing(case):
    build, missing = GATE_CASES[case]
    version = build()
    with pytest.raises(ValidationError) as refusal:
        workflow.approve(version, by=make_moderator())
    assert missing in refusal.value.messages
    version.refresh_from_db()
    assert version.state == "in_review"


def test_evidence_gate_over_http_shows_the_checklist_and_refuses(client):
    version = TherapyArticleVersionFactory(state="in_review", cites=False)
    client.force_login(make_moderator())
    url = reverse("admin:therapies_therapyarticle_workflow",
                  args=[version.item.pk, version.number, "approve"])  # fmt: skip
    assert "✗ At least one valid PubMed ID, DOI or NCT ID" in client.get(url).content.decode()
    response = client.post(url, {})
    assert response.status_code == 400
    assert "No citation with a valid PubMed ID, DOI or NCT ID." in response.content.decode()
    version.refresh_from_db()
    assert version.state == "in_review"


def test_scheduled_publication_waits_while_the_evidence_gate_fails():
    therapies = [TherapyArticleVersionFactory(state="published").item for _ in range(2)]
    version = CombinationEntryVersionFactory(state="in_review", therapies=therapies)
    at = timezone.now() + datetime.timedelta(hours=1)
    workflow.approve(version, by=make_moderator(), publish_at=at)
    workflow.unpublish(therapies[0], by=make_moderator("other"), comment="Withdrawn.")
    assert workflow.publish_due(now=at + datetime.timedelta(minutes=1)) == []
    version.refresh_from_db()
    assert version.state == "approved"


def test_a_malformed_identifier_does_not_count_as_a_source():
    version = TherapyArticleVersionFactory(state="in_review", cites=[
        CitationFactory(kind="pmid", value="abc"), CitationFactory(kind="url", value="https://x.org/")
    ])  # fmt: skip
    with pytest.raises(ValidationError) as refusal:
        workflow.approve(version, by=make_moderator())
    assert "No citation with a valid PubMed ID, DOI or NCT ID." in refusal.value.messages
    assert "Malformed: PubMed ID 'abc'." in refusal.value.messages


def test_a_therapy_unpublished_during_approval_keeps_the_combination_out(
    therapy_with_dependents, monkeypatch
):
    """The gate is checked again inside the approval's transaction, with the combined
    therapies' live versions locked, so an unpublish that lands after the first check (here:
    just before the transaction) refuses the approval instead of publishing past it."""
    therapy, combination, _, _, author = therapy_with_dependents
    recheck = workflow.new_version(combination.item, by=author)
    workflow.submit(recheck, by=author)
    real = trust.open_flag_ids

    def unpublish_meanwhile(item):
        workflow.unpublish(therapy.item, by=make_moderator("other"), comment="Withdrawn meanwhile.")
        return real(item)

    monkeypatch.setattr(trust, "open_flag_ids", unpublish_meanwhile)
    with pytest.raises(ValidationError, match="Not published"):
        workflow.approve(recheck, by=make_moderator("approver"))
    recheck.refresh_from_db()
    assert recheck.state == "in_review" and combination.item.published == combination
    assert open_flags(combination.item)


def test_a_held_back_publication_is_recorded_and_announced_once(django_capture_on_commit_callbacks):
    therapies = [TherapyArticleVersionFactory(state="published").item for _ in range(2)]
    version = CombinationEntryVersionFactory(state="in_review", therapies=therapies)
    at = timezone.now() + datetime.timedelta(hours=1)
    approver = make_moderator("approver", email="approver@example.org")
    workflow.approve(version, by=approver, publish_at=at)
    workflow.unpublish(therapies[0], by=make_moderator("other"), comment="Withdrawn.")
    mail.outbox.clear()
    for minute in (1, 2):
        with django_capture_on_commit_callbacks(execute=True):
            assert workflow.publish_due(now=at + datetime.timedelta(minutes=minute)) == []
    (held,) = AuditEvent.objects.filter(version_id=version.pk, action="publication_held")
    assert "Not published" in held.comment
    (message,) = mail.outbox
    assert "approver@example.org" in message.to and "no longer passes" in message.body


# serialized_rollback: the flush after a transactional test empties the groups made by
# migrations; this restores them for the next transactional test on the same worker.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_unpublish_waits_for_a_combination_being_approved(monkeypatch):
    """PostgreSQL, two connections: while a combination's approval is between its final
    evidence check and its commit, unpublishing a combined therapy waits for it, so the
    unpublish (and the re-check flag it raises) comes after the publication, never under it."""
    import threading
    import time

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks are exercised on PostgreSQL")
    therapies = [TherapyArticleVersionFactory(state="published") for _ in range(2)]
    combination = CombinationEntryVersionFactory(
        state="in_review", therapies=[t.item for t in therapies]
    )
    approver, other = make_moderator("approver"), make_moderator("other")
    in_transaction, calls = threading.Event(), []
    real = trust.evidence_problems

    def slow_second_check(version):
        calls.append(version.pk)
        problems = real(version)
        if len(calls) == 2:  # the check inside the transaction, after the locks
            in_transaction.set()
            time.sleep(0.5)
        return problems

    monkeypatch.setattr(trust, "evidence_problems", slow_second_check)

    def approve():
        try:
            workflow.approve(type(combination).objects.get(pk=combination.pk), by=approver)
        finally:
            connections.close_all()

    def unpublish():
        try:
            in_transaction.wait(5)
            workflow.unpublish(type(therapies[0].item).objects.get(pk=therapies[0].item.pk),
                               by=other, comment="Withdrawn.")  # fmt: skip
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve), threading.Thread(target=unpublish)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    approved = AuditEvent.objects.get(version_id=combination.pk, action="approved")
    unpublished = AuditEvent.objects.get(version_id=therapies[0].pk, action="unpublished")
    assert unpublished.at > approved.at
    assert open_flags(combination.item), "the unpublish flags the now live combination"


def test_a_therapy_article_without_an_evidence_level_is_advised_not_refused(client):
    """The gate is the issue's three conditions; a missing level on a therapy article shows
    as advice on the review screen (a combination cannot lack one: the model requires it)."""
    version = TherapyArticleVersionFactory(state="in_review", evidence_level="")
    assert trust.evidence_problems(version) == []
    client.force_login(make_moderator("advised"))
    url = reverse("admin:therapies_therapyarticle_workflow",
                  args=[version.item.pk, version.number, "approve"])  # fmt: skip
    assert "⚠ An evidence level is set" in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 302
    version.refresh_from_db()
    assert version.state == "published"


# --- 3. periodic re-review -----------------------------------------------------------------------


def test_next_review_is_due_twelve_months_after_approval(settings):
    version = publish(TherapyArticleVersionFactory(state="draft"))
    approved_on = timezone.localdate(version.approved_at)
    assert trust.next_review_due(version) == trust.add_months(approved_on, 12)
    settings.REVIEW_INTERVAL_MONTHS = {"therapy": 3}
    assert trust.next_review_due(version) == trust.add_months(approved_on, 3)


@pytest.mark.parametrize("day,months,expected", [
    (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
    (datetime.date(2025, 1, 31), 1, datetime.date(2025, 2, 28)),
    (datetime.date(2025, 11, 27), 12, datetime.date(2026, 11, 27)),
    (datetime.date(2026, 3, 15), -3, datetime.date(2025, 12, 15)),
])  # fmt: skip
def test_months_are_calendar_months(day, months, expected):
    assert trust.add_months(day, months) == expected


def test_report_lists_overdue_and_soon_due_items_oldest_first():
    fresh = publish(TherapyArticleVersionFactory(state="draft", title="Fresh"))
    overdue = backdate(publish(TrialNoteVersionFactory(state="draft", title="Overdue")), 400)
    soon = backdate(publish(TherapyArticleVersionFactory(state="draft", title="Soon")), 350)
    due = trust.versions_due_for_review()
    assert [v.title for v in due] == ["Overdue", "Soon"]
    assert due[0].review_overdue and not due[1].review_overdue
    assert fresh.title not in [v.title for v in due]
    _ = overdue, soon


def test_admin_report_of_reviews_due(client):
    backdate(publish(TherapyArticleVersionFactory(state="draft", title="Stale article")), 500)
    client.force_login(make_editor())
    content = client.get("/admin/review-due/").content.decode()
    assert "Stale article" in content and "Overdue since" in content
    client.force_login(make_user("nobody"))
    assert client.get("/admin/review-due/").status_code == 403


def test_public_page_shows_last_reviewed_and_an_overdue_notice(client):
    version = publish(TherapyArticleVersionFactory(state="draft"))
    content = client.get(version.item.get_absolute_url()).content.decode()
    assert "Last reviewed" in content and "Due for review" not in content
    backdate(version, 400)
    content = client.get(version.item.get_absolute_url()).content.decode()
    assert "Due for review" in content


def test_review_reminders_emails_moderators_a_digest(django_capture_on_commit_callbacks):
    make_moderator("mod-a")
    backdate(publish(TherapyArticleVersionFactory(state="draft", title="Old page")), 400)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("review_reminders", verbosity=0)
    assert len(mail.outbox) == 1
    assert "mod-a@example.org" in mail.outbox[0].bcc and mail.outbox[0].to == []
    assert "Old page" in mail.outbox[0].body and "OVERDUE" in mail.outbox[0].body
    assert mail.outbox[0].subject == "[Re-review] 1 page due, 1 overdue"
    assert "(therapy article): OVERDUE since" in mail.outbox[0].body


def test_review_reminders_sends_nothing_when_nothing_is_due():
    publish(TherapyArticleVersionFactory(state="draft"))
    call_command("review_reminders", verbosity=0)
    assert mail.outbox == []


def test_public_and_admin_pages_show_when_the_next_review_is_due(client):
    version = publish(TherapyArticleVersionFactory(state="draft"))
    due = trust.next_review_due(version)
    content = client.get(version.item.get_absolute_url()).content.decode()
    assert f'Next review due <time datetime="{due:%Y-%m-%d}">' in content
    client.force_login(make_moderator("reader"))
    change = reverse("admin:therapies_therapyarticle_change", args=[version.item.pk])
    assert f"Next review due {due:%Y-%m-%d}" in client.get(change).content.decode()


# --- 4. shareable review links -------------------------------------------------------------------


@pytest.fixture
def draft_with_author():
    author = make_editor("author")
    return TherapyArticleVersionFactory(
        state="in_review", author=author, body="Draft text."
    ), author


@pytest.mark.parametrize("who,allowed", [("author", True), ("moderator", True),
                                         ("other editor", False), ("nobody", False)])  # fmt: skip
def test_who_may_create_a_review_link(draft_with_author, who, allowed):
    version, author = draft_with_author
    user = {"author": author, "moderator": make_moderator(), "other editor": make_editor(),
            "nobody": make_user("nobody")}[who]  # fmt: skip
    if allowed:
        link = trust.create_review_link(version, user, days=7, label="Dr Expert")
        assert link.is_active()
    else:
        with pytest.raises(PermissionDenied):
            trust.create_review_link(version, user, days=7, label="Dr Expert")


@pytest.mark.parametrize("days", [0, 31, -1])
def test_review_links_last_one_to_thirty_days(draft_with_author, days):
    version, author = draft_with_author
    with pytest.raises(ValidationError):
        trust.create_review_link(version, author, days=days, label="Dr Expert")


def test_review_link_shows_the_version_and_takes_a_comment(client, draft_with_author):
    version, author = draft_with_author
    link = trust.create_review_link(version, author, days=7, label="Dr Expert")
    response = client.get(link.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200 and "Draft text." in content
    assert "Review copy" in content and response["X-Robots-Tag"].startswith("noindex")
    response = client.post(link.get_absolute_url(), {"name": "Dr Expert, oncologist",
                                                     "body": "Add the 2023 update."})  # fmt: skip
    assert response.status_code == 302
    comment = trust.external_comments(version).get()
    assert comment.body == "Add the 2023 update." and comment.link == link
    assert list(ReviewLinkUse.objects.filter(link=link).values_list("action", flat=True)) == [
        "post",
        "view",
    ]
    client.force_login(make_moderator())
    admin_page = client.get(reverse("admin:therapies_therapyarticle_change",
                                    args=[version.item.pk])).content.decode()  # fmt: skip
    assert "Add the 2023 update." in admin_page


def test_review_link_is_for_that_version_only(client, draft_with_author):
    version, author = draft_with_author
    link = trust.create_review_link(version, author, days=7, label="Dr Expert")
    moderator = make_moderator()
    workflow.approve(version, by=moderator)
    newer = workflow.new_version(version.item, by=author)
    workflow.edit(newer, by=author, body="Newer text.")
    content = client.get(link.get_absolute_url()).content.decode()
    assert "Draft text." in content and "Newer text." not in content


@pytest.mark.parametrize("ending", ["revoked", "expired"])
def test_revoked_or_expired_links_stop_working(client, draft_with_author, ending):
    version, author = draft_with_author
    link = trust.create_review_link(version, author, days=7, label="Dr Expert")
    if ending == "revoked":
        trust.revoke_review_link(link, author)
    else:
        ReviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    response = client.get(link.get_absolute_url())
    assert response.status_code == 410 and "Draft text." not in response.content.decode()
    response = client.post(link.get_absolute_url(), {"name": "x", "body": "y"})
    assert response.status_code == 410
    assert not trust.external_comments(version).exists()
    assert ReviewLinkUse.objects.filter(link=link, outcome=ending).count() == 2


def test_forged_tokens_are_404(client, draft_with_author):
    version, author = draft_with_author
    link = trust.create_review_link(version, author, days=7, label="Dr Expert")
    assert client.get(f"/review/{link.pk}/").status_code == 404
    assert client.get(link.get_absolute_url().replace(":", "x", 1)).status_code == 404


def test_share_for_review_over_http(client, draft_with_author):
    version, author = draft_with_author
    client.force_login(author)
    url = reverse("admin:therapies_therapyarticle_share", args=[version.item.pk, version.number])
    assert client.post(url, {"label": "Dr Expert", "days": 40}).status_code == 200
    response = client.post(url, {"label": "Dr Expert", "days": 10}, follow=True)
    assert "/review/" in response.content.decode()
    link = trust.links_for(version).get()
    client.force_login(make_editor("stranger"))
    assert client.post(url, {"label": "x", "days": 5}).status_code == 403
    revoke = reverse("admin:therapies_therapyarticle_revoke_link", args=[version.item.pk, link.pk])
    client.force_login(author)
    client.post(revoke)
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_a_review_link_closes_when_its_version_is_saved_again(client):
    author = make_editor("author")
    version = TherapyArticleVersionFactory(state="draft", author=author, body="As shared.")
    link = trust.create_review_link(version, author, days=7, label="Dr Expert")
    assert "As shared." in client.get(link.get_absolute_url()).content.decode()
    workflow.edit(version, by=author, body="Changed after sharing.")
    response = client.get(link.get_absolute_url())
    assert response.status_code == 410 and "Changed after sharing." not in response.content.decode()
    assert "changed since it was shared" in response.content.decode()


def test_review_links_to_discarded_or_deleted_versions_are_gone(client):
    author = make_editor("author")
    version = TherapyArticleVersionFactory(state="draft", author=author)
    link = trust.create_review_link(version, author, days=7, label="Dr Expert")
    workflow.discard(version, by=author)
    assert client.get(link.get_absolute_url()).status_code == 410
    with pytest.raises(ValidationError):
        trust.create_review_link(version, author, days=7, label="Again")
    other = TherapyArticleVersionFactory(state="draft", author=author)
    link = trust.create_review_link(other, author, days=7, label="Dr Expert")
    other.item.delete()
    assert client.get(link.get_absolute_url()).status_code == 410
    assert client.post(link.get_absolute_url(), {"name": "x", "body": "y"}).status_code == 410


def test_links_to_earlier_versions_stay_listed_and_revocable(client):
    author, moderator = make_editor("author"), make_moderator("mod")
    first = TherapyArticleVersionFactory(state="in_review", author=author)
    link = trust.create_review_link(first, author, days=7, label="Dr Early")
    workflow.approve(first, by=moderator)
    workflow.new_version(first.item, by=author)
    client.force_login(moderator)
    change = reverse("admin:therapies_therapyarticle_change", args=[first.item.pk])
    assert "Dr Early" in client.get(change).content.decode()
    revoke = reverse("admin:therapies_therapyarticle_revoke_link", args=[first.item.pk, link.pk])
    client.post(revoke)
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_the_review_page_lets_browsers_send_their_origin_with_a_comment(draft_with_author):
    """With "no-referrer", browsers post the form with "Origin: null" and CSRF refuses it
    (checked by hand in Chromium); "same-origin" sends the real origin, as posted here."""
    from django.test import Client

    version, author = draft_with_author
    link = trust.create_review_link(version, author, days=7, label="Dr Expert")
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(link.get_absolute_url())
    assert page["Referrer-Policy"] == "same-origin"
    token = page.cookies["csrftoken"].value
    response = browser.post(link.get_absolute_url(), {
        "name": "Dr Expert", "body": "Looks right.", "csrfmiddlewaretoken": token,
    }, HTTP_ORIGIN="http://testserver")  # fmt: skip
    assert response.status_code == 302
    assert trust.external_comments(version).get().body == "Looks right."


def test_moderators_see_each_use_of_a_review_link(client, draft_with_author):
    version, author = draft_with_author
    link = trust.create_review_link(version, author, days=7, label="Dr Expert")
    client.get(link.get_absolute_url(), REMOTE_ADDR="203.0.113.7")
    client.force_login(make_moderator("reader"))
    page = client.get(reverse("admin:therapies_therapyarticle_change", args=[version.item.pk]))
    assert "view from 203.0.113.7" in page.content.decode()


@pytest.mark.parametrize("state", ["superseded", "unpublished", "discarded"])
def test_only_live_or_worked_on_versions_can_be_shared(state):
    author = make_editor("author")
    version = TherapyArticleVersionFactory(state=state, author=author)
    with pytest.raises(ValidationError, match="cannot be shared"):
        trust.create_review_link(version, author, days=7, label="Dr Expert")


@pytest.mark.parametrize("ending", ["unpublished", "superseded"])
def test_a_link_to_a_live_version_closes_when_it_goes_off_line(client, ending):
    moderator = make_moderator("sharer")
    live = TherapyArticleVersionFactory(state="published", body="Live text.")
    link = trust.create_review_link(live, moderator, days=7, label="Dr Expert")
    assert client.get(link.get_absolute_url()).status_code == 200
    if ending == "unpublished":
        workflow.unpublish(live.item, by=moderator, comment="Safety withdrawal.")
    else:
        author = make_editor("author")
        newer = workflow.new_version(live.item, by=author)
        workflow.edit(newer, by=author, body="Newer text.")
        publish(newer)
    response = client.get(link.get_absolute_url())
    assert response.status_code == 410 and "Live text." not in response.content.decode()


def test_a_review_link_needs_only_the_version_and_who_shares_it(draft_with_author):
    version, author = draft_with_author
    link = trust.create_review_link(version, author)
    assert link.is_active() and (link.expires_at - link.created_at).days == 14
    with pytest.raises(ValidationError):
        trust.create_review_link(version, author, days="a fortnight")


def test_a_refused_comment_is_logged_and_explained(draft_with_author):
    from django.test import Client

    version, author = draft_with_author
    link = trust.create_review_link(version, author, days=7, label="Dr Expert")
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(link.get_absolute_url(), {"name": "Dr Expert", "body": "Hello."})
    assert response.status_code == 403
    assert "Your comment was not sent" in response.content.decode()
    assert ReviewLinkUse.objects.filter(link=link, action="post", outcome="refused").exists()
    assert not trust.external_comments(version).exists()
    elsewhere = browser.post("/search/", {})
    assert elsewhere.status_code == 403 and "comment" not in elsewhere.content.decode()


# --- 5. conflicts of interest: statements and the approval gate ----------------------------------


def statement(user, days_old=0, agents=(), sponsors=()):
    return ConflictOfInterestStatement.objects.create(
        user=user, statement="Declared.", agents=list(agents), sponsors=list(sponsors),
        declared_on=timezone.localdate() - datetime.timedelta(days=days_old),
    )  # fmt: skip


def test_coi_check_explains_every_problem():
    moderator = make_moderator("checked", statement=False)
    therapy = TherapyArticleVersionFactory(state="in_review", key_agents=["pembrolizumab"])
    trial = TrialNoteVersionFactory(state="in_review", sponsor="Merck Sharp & Dohme LLC")
    assert trust.coi_problems(therapy, moderator) == [
        "You have no conflict-of-interest statement on file."
    ]
    statement(
        moderator, days_old=400, agents=["Pembrolizumab"], sponsors=["Merck Sharp & Dohme LLC"]
    )
    problems = trust.coi_problems(therapy, moderator)
    assert any("must be dated within the last 12 months" in p for p in problems)
    assert any("pembrolizumab" in p.lower() for p in problems)
    assert any("Merck" in p for p in trust.coi_problems(trial, moderator))


def test_a_current_statement_without_interests_passes():
    moderator = make_moderator("clean", statement=False)
    statement(moderator)
    version = TherapyArticleVersionFactory(state="in_review", key_agents=["nivolumab"])
    assert trust.coi_problems(version, moderator) == []


def test_approval_records_the_approvers_statement_date():
    moderator = make_moderator("dated", statement=False)
    made = statement(moderator, days_old=10)
    version = publish(TherapyArticleVersionFactory(state="draft"), moderator)
    event = AuditEvent.objects.get(version_id=version.pk, action="approved")
    assert event.data["coi_statement"] == made.declared_on.isoformat()


def test_public_reviewed_by_shows_the_statement(client):
    moderator = make_moderator("public", statement=False)
    statement(moderator)
    version = publish(TherapyArticleVersionFactory(state="draft"), moderator)
    content = client.get(version.item.get_absolute_url()).content.decode()
    assert "conflicts of interest: none declared" in content


def test_moderators_see_and_edit_only_their_own_statement(client):
    mine, theirs = make_moderator("me", statement=False), make_moderator("them", statement=False)
    own = statement(mine)
    other = statement(theirs)
    client.force_login(mine)
    listing = client.get(reverse("admin:therapies_conflictofintereststatement_changelist"))
    assert listing.status_code == 200
    url = reverse("admin:therapies_conflictofintereststatement_change", args=[other.pk])
    assert client.get(url).status_code in (302, 403, 404)
    url = reverse("admin:therapies_conflictofintereststatement_change", args=[own.pk])
    assert client.get(url).status_code == 200


def test_a_statement_cannot_be_dated_in_the_future():
    moderator = make_moderator("future")
    made = ConflictOfInterestStatement(
        user=moderator, statement="x", declared_on=timezone.localdate() + datetime.timedelta(1)
    )
    with pytest.raises(ValidationError):
        made.full_clean()


COI_CASES = {
    "no statement": ({"statement": False}, None, "no conflict-of-interest statement"),
    "a stale statement": ({}, {"days_old": 400}, "must be dated within the last 12 months"),
    "an interest in a key agent": ({}, {"agents": ["Pembrolizumab"]}, "Pembrolizumab"),
    "an interest in the trial's sponsor": ({}, {"sponsors": ["Acme Oncology"]}, "Acme"),
    "an interest in a combination's chemotherapy": (
        {},
        {"agents": ["Pemetrexed"]},
        "Pemetrexed.*other treatments combined",
    ),
}


@pytest.mark.parametrize("case", list(COI_CASES))
def test_conflicts_of_interest_refuse_approval_with_the_reason(case):
    user_options, declared, reason = COI_CASES[case]
    moderator = make_moderator("conflicted", **user_options)
    if declared is not None:
        made = ConflictOfInterestStatement.objects.get(user=moderator)
        made.declared_on = timezone.localdate() - datetime.timedelta(declared.get("days_old", 0))
        made.agents, made.sponsors = declared.get("agents", []), declared.get("sponsors", [])
        made.save()
    if "sponsor" in case:
        version = TrialNoteVersionFactory(state="in_review", sponsor="Acme Oncology")
    elif "combination" in case:
        version = CombinationEntryVersionFactory(
            state="in_review", other_treatments=["pemetrexed", "carboplatin"]
        )
    else:
        version = TherapyArticleVersionFactory(state="in_review", key_agents=["pembrolizumab"])
    with pytest.raises(PermissionDenied, match=reason):
        workflow.approve(version, by=moderator)
    workflow.approve(version, by=make_moderator("free"))  # someone without the conflict may
    version.refresh_from_db()
    assert version.state == "published"


def test_demo_moderator3_is_refused_on_pembrolizumab_content(client):
    call_command("loaddemo", verbosity=0)
    from django.contrib.auth import get_user_model

    moderator3 = get_user_model().objects.get(username="moderator3")
    editor = get_user_model().objects.get(username="editor")
    trial = TherapyArticle.objects.get(slug="anti-pd-1-pd-l1-antibodies")
    draft = workflow.new_version(trial, by=editor)
    workflow.submit(draft, by=editor)
    with pytest.raises(PermissionDenied, match="pembrolizumab"):
        workflow.approve(draft, by=moderator3)
    workflow.approve(draft, by=get_user_model().objects.get(username="moderator2"))


def test_the_approve_button_is_not_offered_to_a_conflicted_moderator(client):
    version = TherapyArticleVersionFactory(state="in_review", key_agents=["pembrolizumab"])
    conflicted = make_moderator("conflicted")
    ConflictOfInterestStatement.objects.filter(user=conflicted).update(agents=["pembrolizumab"])
    assert "approve" not in workflow.allowed_actions(version, conflicted)
    assert "approve" in workflow.allowed_actions(version, make_moderator("free"))


@pytest.mark.parametrize("declared_on,today,current", [
    (datetime.date(2025, 11, 27), datetime.date(2026, 11, 27), True),   # exactly 12 months
    (datetime.date(2025, 11, 26), datetime.date(2026, 11, 27), False),  # a day more
    (datetime.date(2027, 3, 1), datetime.date(2028, 3, 1), True),       # across 29 February
    (datetime.date(2024, 2, 29), datetime.date(2025, 2, 28), True),     # from 29 February
    (datetime.date(2024, 2, 29), datetime.date(2025, 3, 1), False),
])  # fmt: skip
def test_a_statement_counts_for_twelve_calendar_months(declared_on, today, current):
    made = ConflictOfInterestStatement(declared_on=declared_on)
    assert trust.coi_is_current(made, today) is current


@pytest.mark.parametrize("declared,at_stake,clash", [
    ("Merck", "Merck Sharp & Dohme LLC", True),
    ("merck sharp & dohme llc", "Merck Sharp & Dohme LLC", True),
    ("MSD", "MSDx Diagnostics", False),
    ("Acme", "Acme Oncology", True),
    ("Acme Oncology Inc", "Acme Oncology", False),
])  # fmt: skip
def test_declared_sponsors_match_whole_words(declared, at_stake, clash):
    moderator = make_moderator("declared")
    ConflictOfInterestStatement.objects.filter(user=moderator).update(sponsors=[declared])
    trial = TrialNoteVersionFactory(state="in_review", sponsor=at_stake)
    assert bool(trust.coi_problems(trial, moderator)) is clash


def test_a_trial_notes_linked_therapies_count_as_its_agents():
    car_t = TherapyArticleVersionFactory(state="published", key_agents=["tisagenlecleucel"])
    combination = CombinationEntryVersionFactory(
        state="published",
        therapies=[TherapyArticleVersionFactory(state="published", key_agents=["nivolumab"]).item,
                   TherapyArticleVersionFactory(state="published", key_agents=["relatlimab"]).item],
    )  # fmt: skip
    trial = TrialNoteVersionFactory(state="in_review", interventions=["CTL019"], sponsor="")
    trial.therapies.set([car_t.item])
    trial.combinations.set([combination.item])
    moderator = make_moderator("declared")
    for agent in ("tisagenlecleucel", "relatlimab"):
        ConflictOfInterestStatement.objects.filter(user=moderator).update(agents=[agent])
        with pytest.raises(PermissionDenied, match=agent):
            workflow.approve(trial, by=moderator)
    ConflictOfInterestStatement.objects.filter(user=moderator).update(agents=["axicabtagene"])
    workflow.approve(trial, by=moderator)


def conflicted_moderator(username="conflicted", agents=("pembrolizumab",)):
    moderator = make_moderator(username)
    ConflictOfInterestStatement.objects.filter(user=moderator).update(agents=list(agents))
    return moderator


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_conflicted_moderator_is_told_why_over_http(client, method):
    version = TherapyArticleVersionFactory(state="in_review", key_agents=["pembrolizumab"])
    client.force_login(conflicted_moderator())
    url = reverse("admin:therapies_therapyarticle_workflow",
                  args=[version.item.pk, version.number, "approve"])  # fmt: skip
    response = getattr(client, method)(url, {})
    content = response.content.decode()
    assert response.status_code == 403
    # The refusal names the path: the agent is among the key agents of this very article.
    because = (
        "You declared an interest in pembrolizumab, which is among the key agents of "
        "this therapy article (“pembrolizumab”)."
    )
    assert because in content
    assert 'type="submit" class="default"' not in content  # no form to press
    version.refresh_from_db()
    assert version.state == "in_review"
    change = reverse("admin:therapies_therapyarticle_change", args=[version.item.pk])
    assert because in client.get(change).content.decode()


@pytest.mark.parametrize("who,status,says", [
    ("the author", 403, "four eyes"),
    ("an editor", 403, None),
    ("a free moderator", 200, None),
])  # fmt: skip
def test_the_approve_screen_explains_only_to_moderators(client, who, status, says):
    author = make_editor("author")
    version = TherapyArticleVersionFactory(state="in_review", author=author)
    if who == "the author":
        author.groups.add(*make_moderator("template").groups.all())
    user = {"the author": author, "an editor": make_editor(),
            "a free moderator": make_moderator("free")}[who]  # fmt: skip
    client.force_login(user)
    url = reverse("admin:therapies_therapyarticle_workflow",
                  args=[version.item.pk, version.number, "approve"])  # fmt: skip
    response = client.get(url)
    assert response.status_code == status
    content = response.content.decode()
    if says:
        assert says in content
    else:
        assert "four eyes" not in content and "cannot approve" not in content


def test_the_page_shows_the_statement_as_it_was_at_review(client):
    moderator = make_moderator("reviewer")
    version = publish(TherapyArticleVersionFactory(state="draft"), moderator)
    declared_on = ConflictOfInterestStatement.objects.get(user=moderator).declared_on
    assert version.reviewer_coi == {
        "declared_on": declared_on.isoformat(),
        "agents": [],
        "sponsors": [],
    }
    ConflictOfInterestStatement.objects.filter(user=moderator).update(agents=["later-mab"])
    content = client.get(version.item.get_absolute_url()).content.decode()
    assert "at the time of review" in content and "conflicts of interest: none declared" in content
    assert "later-mab" not in content


def test_saving_a_statement_confirms_it_today(client):
    moderator = make_moderator("renewing", statement=False)
    old = statement(moderator, days_old=400, agents=["nivolumab"])
    client.force_login(moderator)
    url = reverse("admin:therapies_conflictofintereststatement_change", args=[old.pk])
    response = client.post(url, {"statement": "Still none besides this.", "agents": "nivolumab",
                                 "sponsors": "", "declared_on": "2020-01-01"})  # fmt: skip
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.declared_on == timezone.localdate() and old.statement.startswith("Still")
    with pytest.raises(PermissionDenied):
        trust.save_coi_statement(old, make_moderator("someone else"))


def test_a_moderator_cannot_approve_dropping_an_agent_they_declared():
    moderator = conflicted_moderator()
    live = TherapyArticleVersionFactory(state="published", key_agents=["pembrolizumab"])
    author = make_editor("author")
    draft = workflow.new_version(live.item, by=author)
    workflow.edit(draft, by=author, key_agents=["nivolumab"])
    workflow.submit(draft, by=author)
    with pytest.raises(PermissionDenied, match="pembrolizumab"):
        workflow.approve(draft, by=moderator)


# --- 6. dependent content ------------------------------------------------------------------------


@pytest.fixture
def therapy_with_dependents():
    author = make_editor("author")
    therapy = TherapyArticleVersionFactory(
        state="published", author=author, key_agents=["ipilimumab"], title="Anti-CTLA-4"
    )
    other = TherapyArticleVersionFactory(state="published").item
    combination = CombinationEntryVersionFactory(state="published", therapies=[therapy.item, other])
    trial = TrialNoteVersionFactory(state="published")
    trial.therapies.set([therapy.item])
    unrelated = CombinationEntryVersionFactory(state="published")
    return therapy, combination, trial, unrelated, author


def open_flags(item):
    return list(RecheckFlag.objects.for_item(item).open())


def test_changed_key_agents_flag_dependent_content(therapy_with_dependents):
    therapy, combination, trial, unrelated, author = therapy_with_dependents
    draft = workflow.new_version(therapy.item, by=author)
    workflow.edit(draft, by=author, key_agents=["ipilimumab", "tremelimumab"])
    publish(draft)
    for dependent in (combination, trial):
        (flag,) = open_flags(dependent.item)
        assert "key agents changed" in flag.reason and flag.therapy == therapy.item
    assert open_flags(unrelated.item) == []


def test_unchanged_class_and_agents_flag_nothing(therapy_with_dependents):
    therapy, combination, trial, _, author = therapy_with_dependents
    draft = workflow.new_version(therapy.item, by=author)
    workflow.edit(draft, by=author, summary="Clearer wording.")
    publish(draft)
    assert open_flags(combination.item) == [] and open_flags(trial.item) == []


def test_changed_class_and_unpublishing_flag_too(therapy_with_dependents):
    therapy, combination, trial, _, author = therapy_with_dependents
    draft = workflow.new_version(therapy.item, by=author)
    workflow.edit(draft, by=author, therapy_class="other")
    publish(draft)
    assert "therapy class changed" in open_flags(combination.item)[0].reason
    workflow.unpublish(therapy.item, by=make_moderator(), comment="Withdrawn for review.")
    assert any("was unpublished" in flag.reason for flag in open_flags(trial.item))


def recheck_after_unpublishing(therapy, combination, author):
    """Unpublish `therapy`, which flags `combination`; the author submits a new version of
    the combination with another published therapy in its place. Returns it and that one."""
    workflow.unpublish(therapy.item, by=make_moderator(), comment="Withdrawn.")
    assert open_flags(combination.item)
    recheck = workflow.new_version(combination.item, by=author)
    other = TherapyArticleVersionFactory(state="published").item
    workflow.edit(recheck, by=author, therapies=[*recheck.therapies.exclude(pk=therapy.item.pk),
                                              other])  # fmt: skip
    workflow.submit(recheck, by=author)
    return recheck, other


def test_approving_a_new_version_of_the_dependent_clears_its_flags(therapy_with_dependents):
    therapy, combination, _, _, author = therapy_with_dependents
    recheck, _ = recheck_after_unpublishing(therapy, combination, author)
    workflow.approve(recheck, by=make_moderator("approver"))
    assert open_flags(combination.item) == []


def test_a_moderator_may_dismiss_a_flag_with_a_comment(therapy_with_dependents, client):
    therapy, combination, _, _, author = therapy_with_dependents
    workflow.unpublish(therapy.item, by=make_moderator(), comment="Withdrawn.")
    (flag,) = open_flags(combination.item)
    with pytest.raises(PermissionDenied):
        trust.dismiss_flag(flag, make_editor(), "Still fine.")
    with pytest.raises(ValidationError):
        trust.dismiss_flag(flag, make_moderator(), "")
    client.force_login(make_moderator("dismisser"))
    change = reverse("admin:therapies_combinationentry_change", args=[combination.item.pk])
    assert "Needs re-check" in client.get(change).content.decode()
    listing = reverse("admin:therapies_combinationentry_changelist")
    assert combination.title in client.get(listing, {"recheck": "needed"}).content.decode()
    url = reverse("admin:therapies_combinationentry_dismiss_flag",
                  args=[combination.item.pk, flag.pk])  # fmt: skip
    assert (
        client.post(url, {"comment": "The combination does not depend on it."}).status_code == 302
    )
    flag.refresh_from_db()
    assert flag.cleared_by.username == "dismisser" and flag.clear_comment
    assert combination.title not in client.get(listing, {"recheck": "needed"}).content.decode()


def test_a_scheduled_unpublication_flags_dependents(therapy_with_dependents):
    therapy, combination, _, _, _ = therapy_with_dependents
    type(therapy).objects.filter(pk=therapy.pk).update(
        unpublish_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    workflow.publish_due()
    assert any("was unpublished" in flag.reason for flag in open_flags(combination.item))


@pytest.mark.parametrize("then", ["published", "discarded", "item unpublished"])
def test_a_scheduled_approval_clears_flags_until_it_is_cancelled(therapy_with_dependents, then):
    therapy, combination, _, _, author = therapy_with_dependents
    recheck, _ = recheck_after_unpublishing(therapy, combination, author)
    moderator = make_moderator("scheduler")
    at = timezone.now() + datetime.timedelta(days=1)
    workflow.approve(recheck, by=moderator, publish_at=at)
    assert open_flags(combination.item) == []
    flag = RecheckFlag.objects.for_item(combination.item).get()
    assert (flag.cleared_by, flag.cleared_by_version_number) == (moderator, recheck.number)
    if then == "published":
        assert workflow.publish_due(now=at) == [recheck]
        assert open_flags(combination.item) == []
    else:  # the live version 1 was never re-checked: its flag is back
        if then == "discarded":
            workflow.discard(recheck, by=moderator, comment="Not yet.")
        else:
            workflow.unpublish(combination.item, by=moderator, comment="Taken down.")
        (reopened,) = open_flags(combination.item)
        assert reopened.pk == flag.pk and reopened.cleared_by is None


def test_a_flag_raised_while_approving_stays_open(therapy_with_dependents, monkeypatch):
    therapy, combination, _, _, author = therapy_with_dependents
    recheck, other = recheck_after_unpublishing(therapy, combination, author)
    seen = trust.open_flag_ids(combination.item)
    meanwhile = trust.flag_dependents(other, reason="Raised meanwhile.", version_number=2)

    monkeypatch.setattr(trust, "open_flag_ids", lambda item: seen)  # as the moderator saw them
    workflow.approve(recheck, by=make_moderator("approver"))
    assert [flag.pk for flag in open_flags(combination.item)] == [meanwhile[0].pk]


def test_a_later_publication_does_not_clear_a_newer_flag(therapy_with_dependents):
    therapy, combination, _, _, author = therapy_with_dependents
    scheduled = workflow.new_version(combination.item, by=author)
    workflow.submit(scheduled, by=author)
    at = timezone.now() + datetime.timedelta(hours=1)
    workflow.approve(scheduled, by=make_moderator(), publish_at=at)
    change = workflow.new_version(therapy.item, by=author)  # raised after that approval
    workflow.edit(change, by=author, key_agents=["tremelimumab"])
    publish(change)
    assert workflow.publish_due(now=at + datetime.timedelta(minutes=1)) == [scheduled]
    (flag,) = open_flags(combination.item)
    assert "key agents changed" in flag.reason


def test_a_flag_compares_with_the_last_published_version(therapy_with_dependents, client):
    therapy, combination, _, _, author = therapy_with_dependents
    abandoned = workflow.new_version(therapy.item, by=author)
    workflow.discard(abandoned, by=author)
    change = workflow.new_version(therapy.item, by=author)
    workflow.edit(change, by=author, key_agents=["tremelimumab"])
    publish(change)
    (flag,) = open_flags(combination.item)
    assert (flag.previous_version_number, flag.therapy_version_number) == (1, 3)
    assert flag.change == RecheckFlag.Change.CHANGED
    client.force_login(make_moderator("reader"))
    page = client.get(reverse("admin:therapies_combinationentry_change",
                              args=[combination.item.pk])).content.decode()  # fmt: skip
    assert "?a=1&amp;b=3" in page


def test_an_unpublication_flag_links_to_the_therapys_history(therapy_with_dependents, client):
    therapy, combination, _, _, _ = therapy_with_dependents
    workflow.unpublish(therapy.item, by=make_moderator(), comment="Withdrawn.")
    (flag,) = open_flags(combination.item)
    assert flag.change == RecheckFlag.Change.UNPUBLISHED and flag.previous_version_number is None
    client.force_login(make_moderator("reader"))
    page = client.get(reverse("admin:therapies_combinationentry_change",
                              args=[combination.item.pk])).content.decode()  # fmt: skip
    assert reverse("admin:therapies_therapyarticle_history", args=[therapy.item.pk]) in page


def test_a_therapy_republished_with_other_agents_flags_dependents(therapy_with_dependents):
    therapy, combination, trial, _, author = therapy_with_dependents
    moderator = make_moderator()
    workflow.unpublish(therapy.item, by=moderator, comment="Withdrawn.")
    RecheckFlag.objects.update(cleared_at=timezone.now())
    back = workflow.new_version(therapy.item, by=author)
    workflow.edit(back, by=author, key_agents=["tremelimumab"])
    publish(back)
    for dependent in (combination, trial):
        (flag,) = open_flags(dependent.item)
        assert "from ipilimumab to tremelimumab" in flag.reason
        assert flag.previous_version_number == therapy.number


# --- 7. corrections ------------------------------------------------------------------------------


def test_a_moderator_marks_a_published_version_as_corrected(client):
    version = publish(TherapyArticleVersionFactory(state="draft", title="Corrected page"))
    with pytest.raises(PermissionDenied):
        workflow.mark_correction(version, by=make_editor(), note="Fixed a dose.")
    with pytest.raises(ValidationError):
        workflow.mark_correction(version, by=make_moderator(), note="")
    workflow.mark_correction(
        version, by=make_moderator("fixer"), note="The dose was 3 mg/kg, not 10."
    )
    today = timezone.localdate()
    for url in (version.item.get_absolute_url(), "/updates/"):
        content = " ".join(client.get(url).content.decode().split())
        assert "Corrected on <time datetime=" in content
        assert "The dose was 3 mg/kg, not 10." in content
        assert f"{today:%-d %B %Y}" in content
    assert AuditEvent.objects.filter(version_id=version.pk, action="corrected").exists()


def test_only_published_versions_can_be_marked_corrected():
    version = TherapyArticleVersionFactory(state="in_review")
    with pytest.raises(workflow.WorkflowError):
        workflow.mark_correction(version, by=make_moderator(), note="Note.")


# --- 8. citations as editors write them ----------------------------------------------------------


def test_editors_set_what_each_citation_supports(client):
    editor = make_editor("writer")
    version = TherapyArticleVersionFactory(state="draft")
    first, second = CitationFactory(), CitationFactory()
    client.force_login(editor)
    url = reverse("admin:therapies_therapyarticle_citations", args=[version.item.pk, 1])
    data = {
        "form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "0", "loaded_edit_count": "0",
        "form-0-citation": second.pk, "form-0-supports": "response rate",
        "form-1-citation": first.pk, "form-1-supports": "overall survival",
        "form-2-citation": "", "form-2-supports": "",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    links = [(link.citation, link.supports) for link in version.citation_links.all()]
    assert links == [(second, "response rate"), (first, "overall survival")]
    assert AuditEvent.objects.filter(version_id=version.pk, action="edited").exists()
    stale = {**data, "form-INITIAL_FORMS": "2", "form-0-supports": "stale change"}
    assert client.post(url, stale).status_code == 400  # a stale page: someone saved meanwhile
    client.force_login(make_user("nobody"))
    assert client.post(url, data).status_code == 403


@pytest.mark.parametrize("written,kind,value", [
    ("PMID: 26027431", "pmid", "26027431"),
    ("pmid:26027431", "pmid", "26027431"),
    ("doi:10.1056/NEJMoa1504030", "doi", "10.1056/NEJMoa1504030"),
    ("https://doi.org/10.1056/NEJMoa1504030", "doi", "10.1056/NEJMoa1504030"),
    ("10.1056/NEJMoa1504030", "doi", "10.1056/NEJMoa1504030"),
    ("nct01844505", "nct", "NCT01844505"),
    ("https://www.cancer.gov/", "url", "https://www.cancer.gov/"),
    ({"kind": "pmid", "value": "26027431", "label": "Larkin J, et al. NEJM 2015"},
     "pmid", "26027431"),
])  # fmt: skip
def test_the_contract_takes_citations_written_out(written, kind, value):
    version = workflow.create_therapy_article(
        by=make_editor("writer"), slug="written-out", title="Written out", summary="s", body="b",
        therapy_class="checkpoint_inhibitor", evidence_level="phase3",
        citations=[(written, "overall survival")],
    )  # fmt: skip
    (link,) = version.citation_links.select_related("citation")
    assert (link.citation.kind, link.citation.value, link.supports) == (
        kind, value, "overall survival"
    )  # fmt: skip


def test_a_written_out_malformed_identifier_is_kept_for_the_gate_to_name():
    editor = make_editor("writer")
    version = workflow.create_therapy_article(
        by=editor, slug="malformed", title="Malformed", summary="s", body="b",
        therapy_class="checkpoint_inhibitor", evidence_level="phase3",
        citations=["PMID: 2602x", {"kind": "nct", "value": "NCT123"}],
    )  # fmt: skip
    with pytest.raises(ValidationError, match="Not a PubMed ID"):
        workflow.edit(version, by=editor, citations=["see the paper"])
    workflow.submit(version, by=editor)
    with pytest.raises(ValidationError) as refusal:
        workflow.approve(version, by=make_moderator())
    assert "Malformed: PubMed ID '2602x', ClinicalTrials.gov ID 'NCT123'." in (
        refusal.value.messages
    )


@pytest.mark.parametrize("citations,message", [
    ([{"kind": "pmid", "value": None}], "needs a value"),
    ([{"kind": "isbn", "value": "123"}], "Unknown citation kind"),
    ([True], "Not a citation"),
    ([3.5], "Not a citation"),
    (["PMID: 26027431", "pmid:26027431"], "cited twice"),
    (["PMID: " + "1" * 600], "at most 500 characters"),
    ([("PMID: 26027431", "x" * 301)], "at most 300 characters"),
])  # fmt: skip
def test_written_out_citations_are_checked(citations, message):
    editor = make_editor("writer")
    draft = TherapyArticleVersionFactory(state="draft", author=editor)
    before = Citation.objects.count()
    with pytest.raises(ValidationError, match=message):
        workflow.edit(draft, by=editor, citations=citations)
    assert Citation.objects.count() == before  # nothing recorded by a refused edit


def test_a_written_out_source_is_recorded_only_with_the_edit():
    editor = make_editor("writer")
    draft = TherapyArticleVersionFactory(state="draft", author=editor)
    with pytest.raises(ValidationError):
        workflow.edit(draft, by=editor, citations=["PMID: 26027431"], evidence_level="no-such")
    assert not Citation.objects.filter(value="26027431").exists()
    workflow.edit(draft, by=editor, citations=["PMID: 26027431"])
    assert Citation.objects.get(value="26027431").kind == "pmid"


# --- 9. every trust action is in the item's history ----------------------------------------------


def test_sharing_revoking_and_dismissing_are_in_the_items_history(therapy_with_dependents):
    therapy, combination, _, _, author = therapy_with_dependents
    moderator = make_moderator("recorder")
    link = workflow.create_review_link(therapy, author, days=3, label="Dr Expert")
    workflow.revoke_review_link(link, moderator)
    workflow.revoke_review_link(link, moderator)  # once is what counts
    workflow.unpublish(therapy.item, by=moderator, comment="Withdrawn.")
    (flag,) = open_flags(combination.item)
    workflow.dismiss_flag(flag, moderator, "Still right without it.")
    shared, revoked = (
        AuditEvent.objects.for_item(therapy.item).filter(action=action).get()
        for action in ("shared", "link_revoked")
    )
    assert (shared.actor, shared.comment, shared.data["link"]) == (author, "Dr Expert", link.pk)
    assert revoked.actor == moderator
    dismissed = AuditEvent.objects.for_item(combination.item).get(action="flag_dismissed")
    assert (
        dismissed.comment == "Still right without it." and "unpublished" in dismissed.data["reason"]
    )


def test_the_admin_history_names_each_action(client, draft_with_author):
    version, author = draft_with_author
    moderator = make_moderator("historian")
    trust.create_review_link(version, author, days=3, label="Dr Expert")
    workflow.request_changes(version, by=moderator, comment="Cite the 5-year update.")
    client.force_login(moderator)
    page = client.get(reverse("admin:therapies_therapyarticle_history", args=[version.item.pk]))
    content = page.content.decode()
    assert "Shared for review" in content and "Changes requested" in content
    assert "Changesrequested" not in content


# --- the demo shows all of it --------------------------------------------------------------------


def test_demo_has_every_trust_feature_to_show():
    call_command("loaddemo", verbosity=0)
    assert trust.versions_due_for_review(), "an overdue item"
    assert RecheckFlag.objects.open().exists(), "a flagged dependent item"
    assert any(link.is_active() for link in ReviewLink.objects.all()), "an active review link"
    assert TherapyArticle.objects.published().filter(versions__corrected_at__isnull=False)
    statements = {s.user.username: s for s in ConflictOfInterestStatement.objects.all()}
    assert {"moderator", "moderator2", "admin", "moderator3"} <= set(statements)
    assert (
        statements["moderator"].declares_nothing and not statements["moderator3"].declares_nothing
    )
