"""One move table (workflow.MOVES) and one answer to "may this user make this move now?"
(workflow.refusal), used by the buttons and the enforcement alike; the moves editors and
moderators asked for: withdraw, claim and release a review, reschedule, cancel a schedule.
"""

import datetime
import inspect

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    VERSION_FACTORIES,
    TherapyArticleVersionFactory,
    TrialNoteVersionFactory,
    make_editor,
    make_moderator,
    make_user,
)
from tests.test_admin import action_url, admin_url
from therapies import workflow
from therapies.management.commands.loaddemo import Command as LoadDemo
from therapies.models import AuditEvent, ConflictOfInterestStatement, RecheckFlag, VersionState

pytestmark = pytest.mark.django_db

ALL_STATES = [state.value for state in VersionState]
SOON = datetime.timedelta(days=1)


def later(days=1):
    return timezone.now() + datetime.timedelta(days=days)


# How each move is made through its service, with what it needs typed.
MAKE = {
    "submit": lambda v, by: workflow.submit(v, by=by),
    "withdraw": lambda v, by: workflow.withdraw(v, by=by),
    "claim": lambda v, by: workflow.claim_review(v, by=by),
    "approve": lambda v, by: workflow.approve(v, by=by),
    "schedule": lambda v, by: workflow.approve(v, by=by, publish_at=later()),
    "request_changes": lambda v, by: workflow.request_changes(v, by=by, comment="Cite it."),
    "reschedule": lambda v, by: workflow.reschedule(v, by=by, publish_at=later(3)),
    "cancel_schedule": lambda v, by: workflow.cancel_schedule(v, by=by),
    "discard": lambda v, by: workflow.discard(v, by=by),
    "unpublish": lambda v, by: workflow.unpublish(v.item, by=by, comment="Withdrawn."),
    "correct": lambda v, by: workflow.mark_correction(v, by=by, note="Dose corrected."),
    "revert": lambda v, by: workflow.new_version(v.item, by=by, from_version=v),
}


def events(version, action):
    return list(AuditEvent.objects.for_version(version).filter(action=action))


# --- the table -----------------------------------------------------------------------------------


def test_the_table_declares_every_move_once():
    assert set(workflow.MOVES) == {
        "submit", "approve", "schedule", "request_changes", "discard", "cancel_schedule",
        "reschedule", "withdraw", "claim", "publish_due", "unpublish", "correct", "revert",
    }  # fmt: skip
    for name, move in workflow.MOVES.items():
        assert move.sources and move.sources <= set(VersionState.values), name
        assert move.target in VersionState.values, name
        assert move.audit in AuditEvent.ACTION_LABELS, name  # each is told in words
    assert set(MAKE) == set(workflow.USER_MOVES)
    assert workflow.MOVES["publish_due"].needs == ()  # the scheduler's alone
    assert workflow.MOVES["publish_due"].permission is None
    assert (workflow.MOVES["schedule"].permission, workflow.MOVES["schedule"].needs) == (
        "schedule", ("approve", "schedule"),
    )  # fmt: skip
    assert workflow.MOVES["unpublish"].comment_required
    assert workflow.MOVES["claim"].audit_action == "review_claimed"
    assert {n for n, m in workflow.MOVES.items() if m.comment} == {
        "request_changes",
        "unpublish",
        "correct",
    }


@pytest.mark.parametrize("service,keywords", [
    (workflow.submit, ["by", "comment"]),
    (workflow.approve, ["by", "comment", "publish_at", "unpublish_at"]),
    (workflow.request_changes, ["by", "comment"]),
    (workflow.discard, ["by", "comment"]),
    (workflow.unpublish, ["by", "comment"]),
    (workflow.mark_correction, ["by", "note"]),
    (workflow.new_version, ["by", "from_version"]),
    (workflow.edit, ["by", "expected_edit_count"]),
    (workflow.withdraw, ["by"]),
    (workflow.claim_review, ["by", "take_over"]),
    (workflow.release_review, ["by"]),
    (workflow.reschedule, ["by", "publish_at", "unpublish_at"]),
    (workflow.cancel_schedule, ["by", "comment"]),
])  # fmt: skip
def test_services_take_keywords_only_and_are_typed(service, keywords):
    parameters = inspect.signature(service).parameters
    first, *rest = parameters.values()
    assert first.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    named = [p.name for p in rest if p.kind is inspect.Parameter.KEYWORD_ONLY]
    assert set(keywords) <= set(named)
    assert all(p.kind is not inspect.Parameter.POSITIONAL_OR_KEYWORD for p in rest)
    assert "return" in service.__annotations__ and first.name in service.__annotations__
    version = TherapyArticleVersionFactory(state="draft")
    with pytest.raises(TypeError):
        service(version, make_editor("positional"))


# --- buttons and enforcement agree: every state × every demo role × every move -------------------


@pytest.fixture
def demo_users():
    return LoadDemo().load_users()


DEMO_ROLES = ["editor", "editor2", "moderator", "moderator2", "moderator3", "admin", "anonymous"]


@pytest.mark.parametrize("move", list(MAKE))
@pytest.mark.parametrize("role", DEMO_ROLES)
@pytest.mark.parametrize("state", ALL_STATES)
def test_allowed_actions_offers_a_move_exactly_when_it_succeeds(demo_users, state, role, move):
    from django.contrib.auth.models import AnonymousUser

    # Written by the demo editor; a therapy naming pembrolizumab, which moderator3 declared.
    version = TherapyArticleVersionFactory(
        state=state,
        author=demo_users["editor"],
        publish_at=later() if state == "approved" else None,
    )
    user = AnonymousUser() if role == "anonymous" else demo_users[role]
    offered = move in workflow.allowed_actions(version, user)
    reason = workflow.refusal(version, move, user)
    assert offered == (reason is None)
    try:
        MAKE[move](version, user)
    except (ValidationError, PermissionDenied) as refused:
        assert not offered, f"{move} offered to {role} on a {state} version, then: {refused}"
        assert reason
    else:
        assert offered, f"{move} not offered to {role} on a {state} version ({reason}), but made"


@pytest.mark.parametrize("move,error", [
    ("approve", workflow.WorkflowError),  # state first: a draft cannot be approved
    ("unpublish", workflow.WorkflowError),
])  # fmt: skip
def test_refusals_raise_in_order_state_then_permission(move, error):
    version = TherapyArticleVersionFactory(state="draft")
    nobody = make_user("nobody")
    assert "draft" in workflow.refusal(version, move, nobody)
    with pytest.raises(error):
        MAKE[move](version, nobody)


def test_refusal_explains_four_eyes_conflict_of_interest_and_evidence():
    author = make_moderator("author")
    version = TherapyArticleVersionFactory(state="in_review", author=author)
    assert "four eyes" in workflow.refusal(version, "approve", author)
    declared = make_moderator("declared")
    statement = ConflictOfInterestStatement.objects.get(user=declared)
    statement.agents = ["pembrolizumab"]
    statement.save()
    assert "pembrolizumab" in workflow.refusal(version, "approve", declared)
    with pytest.raises(PermissionDenied, match="pembrolizumab"):
        workflow.approve(version, by=declared)
    uncited = TherapyArticleVersionFactory(state="in_review", cites=False)
    reviewer = make_moderator("reviewer")
    assert "cannot be approved yet" in workflow.refusal(uncited, "approve", reviewer)
    assert "approve" not in workflow.allowed_actions(uncited, reviewer)
    with pytest.raises(ValidationError, match="PubMed ID"):
        workflow.approve(uncited, by=reviewer)


def test_revert_is_refused_while_the_item_is_busy():
    old = TherapyArticleVersionFactory(state="superseded")
    TherapyArticleVersionFactory(item=old.item, state="published")
    TherapyArticleVersionFactory(item=old.item, state="draft")
    editor = make_editor("editor")
    assert "already in progress" in workflow.refusal(old, "revert", editor)
    with pytest.raises(workflow.WorkflowError, match="already in progress"):
        workflow.new_version(old.item, by=editor, from_version=old)


def test_revert_to_the_live_version_is_allowed():
    live = TherapyArticleVersionFactory(state="published")
    editor = make_editor("editor")
    assert "revert" in workflow.allowed_actions(live, editor)
    draft = workflow.new_version(live.item, by=editor, from_version=live)
    assert draft.state == "draft" and draft.change_summary == "Reverted to version 1."


def test_every_move_writes_its_audit_event():
    author, moderator = make_editor("author"), make_moderator("moderator")
    version = TherapyArticleVersionFactory(state="draft", author=author)
    workflow.submit(version, by=author)
    workflow.withdraw(version, by=author)
    workflow.submit(version, by=author)
    workflow.claim_review(version, by=moderator)
    workflow.approve(version, by=moderator, publish_at=later())
    workflow.reschedule(version, by=moderator, publish_at=later(2))
    workflow.cancel_schedule(version, by=moderator)
    workflow.approve(version, by=moderator)
    workflow.mark_correction(version, by=moderator, note="A typo in the dose.")
    workflow.unpublish(version.item, by=moderator, comment="Withdrawn.")
    actions = [e.action for e in AuditEvent.objects.for_version(version).order_by("at", "id")]
    assert actions == ["submitted", "withdrawn", "submitted", "review_claimed", "approved",
                       "rescheduled", "schedule_cancelled", "approved", "corrected",
                       "unpublished"]  # fmt: skip


# --- withdraw ------------------------------------------------------------------------------------


def test_the_author_withdraws_a_version_in_review_and_moderators_are_told(
    django_capture_on_commit_callbacks,
):
    author = make_editor("author")
    make_moderator("moderator")
    version = TherapyArticleVersionFactory(state="in_review", author=author)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw(version, by=author, comment="Found a newer trial to add.")
    version.refresh_from_db()
    assert version.state == "draft"
    assert events(version, "withdrawn")[0].comment == "Found a newer trial to add."
    assert [m.to for m in mail.outbox] == [["moderator@example.org"]]
    assert "[Withdrawn]" in mail.outbox[0].subject and "newer trial" in mail.outbox[0].body


@pytest.mark.parametrize("who,allowed", [
    ("author without permissions", True),
    ("another editor", True),
    ("staff without permissions", False),
])  # fmt: skip
def test_who_may_withdraw(who, allowed):
    author = make_user("author") if who == "author without permissions" else make_editor("a")
    actor = {"author without permissions": author, "another editor": make_editor("other"),
             "staff without permissions": make_user("staff")}[who]  # fmt: skip
    version = TherapyArticleVersionFactory(state="in_review", author=author)
    if allowed:
        workflow.withdraw(version, by=actor)
        assert version.state == "draft"
    else:
        with pytest.raises(PermissionDenied):
            workflow.withdraw(version, by=actor)


@pytest.mark.parametrize("state", ["draft", "approved", "published"])
def test_only_a_version_in_review_can_be_withdrawn(state):
    version = TherapyArticleVersionFactory(state=state, publish_at=later())
    with pytest.raises(workflow.WorkflowError):
        workflow.withdraw(version, by=version.author)


# --- claim and release a review ------------------------------------------------------------------


def test_a_claim_marks_the_version_and_never_blocks_another_moderator():
    first, second = make_moderator("first"), make_moderator("second")
    version = TherapyArticleVersionFactory(state="in_review")
    workflow.claim_review(version, by=first)
    version.refresh_from_db()
    assert version.review_claimed_by == first and version.review_claimed_at is not None
    assert workflow.refusal(version, "approve", second) is None
    workflow.approve(version, by=second)
    version.refresh_from_db()
    assert version.state == "published" and version.review_claimed_by is None  # cleared


def test_claiming_a_fresh_claim_of_someone_else_needs_take_over():
    first, second = make_moderator("first"), make_moderator("second")
    version = TherapyArticleVersionFactory(state="in_review")
    workflow.claim_review(version, by=first)
    with pytest.raises(ValidationError, match="first has been reviewing"):
        workflow.claim_review(version, by=second)
    workflow.claim_review(version, by=second, take_over=True)
    version.refresh_from_db()
    assert version.review_claimed_by == second
    assert events(version, "review_claimed")[0].data == {"took_over_from": first.pk}


def test_two_moderators_claiming_from_copies_loaded_unclaimed_do_not_both_win():
    first, second = make_moderator("first"), make_moderator("second")
    version = TherapyArticleVersionFactory(state="in_review")
    mine, theirs = (type(version).objects.get(pk=version.pk) for _ in range(2))
    workflow.claim_review(mine, by=first)
    with pytest.raises(ValidationError, match="claimed or released this review meanwhile"):
        workflow.claim_review(theirs, by=second)
    version.refresh_from_db()
    assert version.review_claimed_by == first


def test_a_stale_copy_cannot_release_a_review_taken_over_since():
    first, second = make_moderator("first"), make_moderator("second")
    version = TherapyArticleVersionFactory(state="in_review")
    workflow.claim_review(version, by=first)
    stale = type(version).objects.get(pk=version.pk)
    workflow.claim_review(version, by=second, take_over=True)
    with pytest.raises(ValidationError, match="meanwhile"):
        workflow.release_review(stale, by=first)
    version.refresh_from_db()
    assert version.review_claimed_by == second


def test_a_claim_older_than_a_day_is_taken_without_confirmation():
    first, second = make_moderator("first"), make_moderator("second")
    version = TherapyArticleVersionFactory(state="in_review")
    workflow.claim_review(version, by=first)
    type(version).objects.filter(pk=version.pk).update(
        review_claimed_at=timezone.now() - datetime.timedelta(hours=25)
    )
    version.refresh_from_db()
    workflow.claim_review(version, by=second)
    assert version.review_claimed_by == second


@pytest.mark.parametrize("leave", ["request_changes", "withdraw", "approve"])
def test_the_marker_clears_when_the_version_leaves_review(leave):
    moderator = make_moderator("moderator")
    version = TherapyArticleVersionFactory(state="in_review")
    workflow.claim_review(version, by=moderator)
    user = version.author if leave == "withdraw" else moderator
    MAKE[leave](version, user)
    version.refresh_from_db()
    assert version.review_claimed_by is None and version.review_claimed_at is None


def test_release_by_the_holder_or_another_moderator_not_an_editor():
    holder, other = make_moderator("holder"), make_moderator("other")
    version = TherapyArticleVersionFactory(state="in_review")
    workflow.claim_review(version, by=holder)
    assert workflow.release_refusal(version, make_editor("editor"))
    with pytest.raises(PermissionDenied):
        workflow.release_review(version, by=make_editor("editor2"))
    workflow.release_review(version, by=holder)
    assert version.review_claimed_by is None and events(version, "review_released")
    with pytest.raises(ValidationError, match="Nobody has claimed"):
        workflow.release_review(version, by=other)


def test_the_author_cannot_claim_their_own_version():
    author = make_moderator("author")
    version = TherapyArticleVersionFactory(state="in_review", author=author)
    with pytest.raises(PermissionDenied, match="four eyes"):
        workflow.claim_review(version, by=author)


# --- reschedule and cancel a schedule ------------------------------------------------------------


def test_reschedule_moves_the_publication_time():
    moderator = make_moderator("moderator")
    version = TherapyArticleVersionFactory(state="in_review")
    workflow.approve(version, by=moderator, publish_at=later(1))
    workflow.reschedule(version, by=moderator, publish_at=later(5), unpublish_at=later(30))
    version.refresh_from_db()
    assert version.state == "approved"
    assert version.publish_at > later(4) and version.unpublish_at > later(29)
    assert workflow.publish_due(now=later(2)) == []
    assert workflow.publish_due(now=later(6)) == [version]


@pytest.mark.parametrize("publish_at,unpublish_at", [
    (lambda: timezone.now() - SOON, lambda: None),
    (lambda: later(5), lambda: later(4)),
])  # fmt: skip
def test_reschedule_refuses_a_past_time_or_a_take_down_before_publication(publish_at, unpublish_at):
    moderator = make_moderator("moderator")
    version = TherapyArticleVersionFactory(state="approved", publish_at=later())
    with pytest.raises(ValidationError):
        workflow.reschedule(version, by=moderator, publish_at=publish_at(),
                            unpublish_at=unpublish_at())  # fmt: skip
    assert version.state == "approved"


def test_reschedule_needs_the_schedule_permission_and_four_eyes():
    version = TherapyArticleVersionFactory(state="approved", publish_at=later())
    with pytest.raises(PermissionDenied):
        workflow.reschedule(version, by=make_editor("editor"), publish_at=later(3))
    author = make_moderator("author")
    own = TherapyArticleVersionFactory(state="approved", publish_at=later(), author=author)
    with pytest.raises(PermissionDenied, match="four eyes"):
        workflow.reschedule(own, by=author, publish_at=later(3))


def test_cancel_schedule_returns_the_version_to_review_keeping_its_content(
    django_capture_on_commit_callbacks,
):
    moderator = make_moderator("moderator")
    version = TherapyArticleVersionFactory(state="in_review", body="Reviewed text.")
    workflow.approve(version, by=moderator, publish_at=later(), unpublish_at=later(9))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.cancel_schedule(version, by=moderator, comment="New data next week.")
    version.refresh_from_db()
    assert version.state == "in_review" and version.body == "Reviewed text."
    assert (version.reviewed_by, version.approved_at, version.publish_at,
            version.unpublish_at) == (None, None, None, None)  # fmt: skip
    assert workflow.publish_due(now=later(2)) == []
    assert "[Schedule cancelled]" in mail.outbox[-1].subject
    workflow.approve(version, by=make_moderator("second"))  # reviewed again, then live
    assert version.state == "published"


def test_cancel_schedule_reopens_the_flags_its_approval_cleared():
    moderator = make_moderator("moderator")
    trial = TrialNoteVersionFactory(state="in_review")
    therapy = TherapyArticleVersionFactory(state="published")
    flag = RecheckFlag.objects.create(item=trial.item, therapy=therapy.item, reason="Changed.")
    workflow.approve(trial, by=moderator, publish_at=later())
    flag.refresh_from_db()
    assert flag.cleared_at is not None
    workflow.cancel_schedule(trial, by=moderator)
    flag.refresh_from_db()
    assert flag.cleared_at is None


@pytest.mark.parametrize("kind", ["therapy", "combination", "trial"])
def test_cancel_schedule_only_from_approved(kind):
    version = VERSION_FACTORIES[kind](state="in_review")
    with pytest.raises(workflow.WorkflowError):
        workflow.cancel_schedule(version, by=make_moderator("moderator"))


# --- edit: the one place that detects a stale save -----------------------------------------------


def test_edit_given_the_loaded_counter_refuses_a_stale_save():
    version = TherapyArticleVersionFactory(state="draft")
    workflow.edit(version, by=make_editor("first"), title="First")
    fresh = type(version).objects.get(pk=version.pk)
    with pytest.raises(workflow.EditConflict, match="first saved this draft"):
        workflow.edit(fresh, by=make_editor("second"), expected_edit_count=0, title="Second")
    workflow.edit(fresh, by=make_editor("third"), expected_edit_count=1, title="Third")
    assert type(version).objects.get(pk=version.pk).title == "Third"


@pytest.mark.parametrize("counter", ["abc", "", "-1", "1.5"])
def test_an_unreadable_counter_is_a_validation_error(counter):
    version = TherapyArticleVersionFactory(state="draft")
    with pytest.raises(ValidationError) as refused:
        workflow.edit(version, by=make_editor("e"), expected_edit_count=counter, title="X")
    assert not isinstance(refused.value, workflow.EditConflict)


# --- over HTTP -----------------------------------------------------------------------------------


def change_page(client, version):
    return client.get(admin_url(version.item, "change")).content.decode()


HTTP_MOVES = [
    # action,          state,        actor,                status, new state
    ("withdraw", "in_review", "author", 302, "draft"),
    ("withdraw", "in_review", "staff without permissions", 403, "in_review"),
    ("withdraw", "draft", "author", 400, "draft"),
    ("claim", "in_review", "moderator", 302, "in_review"),
    ("claim", "in_review", "editor", 403, "in_review"),
    ("claim", "draft", "moderator", 400, "draft"),
    ("reschedule", "approved", "moderator", 302, "approved"),
    ("reschedule", "approved", "editor", 403, "approved"),
    ("reschedule", "in_review", "moderator", 400, "in_review"),
    ("cancel_schedule", "approved", "moderator", 302, "in_review"),
    ("cancel_schedule", "approved", "editor", 403, "approved"),
    ("cancel_schedule", "published", "moderator", 400, "published"),
]


@pytest.mark.parametrize("action,state,actor,status,new_state", HTTP_MOVES)
def test_new_moves_over_http(client, action, state, actor, status, new_state):
    author = make_editor("author")
    version = TherapyArticleVersionFactory(state=state, author=author, publish_at=later())
    user = {"author": author, "moderator": make_moderator("mod"), "editor": make_editor("ed"),
            "staff without permissions": make_user("staff")}[actor]  # fmt: skip
    client.force_login(user)
    when = later(4).strftime("%Y-%m-%dT%H:%M")
    response = client.post(action_url(version, action), {"comment": "", "publish_at": when})
    assert response.status_code == status
    version.refresh_from_db()
    assert version.state == new_state
    if action == "claim" and status == 302:
        assert version.review_claimed_by == user


@pytest.mark.parametrize("actor,status", [
    ("holder", 302), ("another moderator", 302), ("editor", 403),
])  # fmt: skip
def test_releasing_a_review_over_http(client, actor, status):
    holder = make_moderator("holder")
    version = TherapyArticleVersionFactory(state="in_review")
    workflow.claim_review(version, by=holder)
    user = {"holder": holder, "another moderator": make_moderator("other"),
            "editor": make_editor("editor")}[actor]  # fmt: skip
    client.force_login(user)
    assert client.post(action_url(version, "release"), {}).status_code == status
    version.refresh_from_db()
    assert (version.review_claimed_by is None) == (status == 302)


def test_releasing_an_unclaimed_review_over_http_is_refused(client):
    version = TherapyArticleVersionFactory(state="in_review")
    client.force_login(make_moderator("moderator"))
    assert client.get(action_url(version, "release")).status_code == 403
    response = client.post(action_url(version, "release"), {})
    assert response.status_code == 400 and "Nobody has claimed" in response.content.decode()


@pytest.mark.parametrize("state,who,allowed", [
    ("draft", "superuser", True),
    ("draft", "editor", False),
    ("in_review", "superuser", False),
    ("published", "superuser", False),
])  # fmt: skip
def test_only_a_superuser_deletes_and_only_an_item_never_reviewed(client, state, who, allowed):
    version = TherapyArticleVersionFactory(state=state)
    user = make_user("root", superuser=True) if who == "superuser" else make_editor("editor")
    assert workflow.may_delete(version.item, user) is allowed
    client.force_login(user)
    response = client.post(admin_url(version.item, "delete"), {"post": "yes"})
    assert (response.status_code == 302) is allowed
    assert type(version.item).objects.filter(pk=version.item.pk).exists() is not allowed


def test_the_take_over_checkbox_is_asked_only_when_someone_else_holds_it(client):
    version = TherapyArticleVersionFactory(state="in_review")
    client.force_login(make_moderator("moderator"))
    assert 'name="take_over"' not in client.get(action_url(version, "claim")).content.decode()


def test_a_change_form_without_its_save_counter_is_refused(client):
    editor = make_editor("editor")
    version = TherapyArticleVersionFactory(state="draft", author=editor, body="Original.")
    client.force_login(editor)
    from tests.test_admin import change_form_data

    data = change_form_data(client, version.item)
    data.pop("loaded_edit_count")
    data["body"] = "Saved over whatever is there."
    response = client.post(admin_url(version.item, "change"), data)
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    version.refresh_from_db()
    assert version.body == "Original."


def test_taking_over_a_review_over_http_asks_to_confirm(client):
    first, second = make_moderator("first"), make_moderator("second")
    version = TherapyArticleVersionFactory(state="in_review")
    workflow.claim_review(version, by=first)
    client.force_login(second)
    response = client.post(action_url(version, "claim"), {})
    assert response.status_code == 400
    content = response.content.decode()
    assert "first has been reviewing" in content and 'name="take_over"' in content
    assert client.post(action_url(version, "claim"), {"take_over": "on"}).status_code == 302
    version.refresh_from_db()
    assert version.review_claimed_by == second


def test_the_marker_shows_in_the_queue_and_on_the_item(client):
    holder = make_moderator("holder")
    holder.first_name, holder.last_name = "Hana", "Holder"
    holder.save()
    version = TherapyArticleVersionFactory(state="in_review")
    workflow.claim_review(version, by=holder)
    client.force_login(make_moderator("other"))
    assert (
        "Being reviewed by Hana Holder since" in client.get(reverse("admin:index")).content.decode()
    )
    page = change_page(client, version)
    assert "Being reviewed by Hana Holder since" in page
    assert "Release review" in page  # another moderator may release or take it over
    events_page = client.get(admin_url(version.item, "history")).content.decode()
    assert "Review claimed" in events_page


def test_buttons_and_their_explanations_come_from_the_workflow(client):
    author = make_moderator("author")
    version = TherapyArticleVersionFactory(state="in_review", author=author)
    client.force_login(author)
    page = change_page(client, version)
    # The author sees Approve and Claim disabled, with the workflow's reason; not a link.
    assert 'class="button disabled" aria-disabled="true">Approve</span>' in page
    assert workflow.refusal(version, "approve", author) in page
    assert f'href="{action_url(version, "approve")}"' not in page
    assert f'href="{action_url(version, "withdraw")}"' in page


def test_the_approve_form_explains_a_refusal_instead_of_offering_it(client):
    author = make_moderator("author")
    version = TherapyArticleVersionFactory(state="in_review", author=author)
    client.force_login(author)
    response = client.get(action_url(version, "approve"))
    assert response.status_code == 403 and "four eyes" in response.content.decode()


def test_a_malformed_counter_in_the_citations_form_is_an_error_not_a_500(client):
    editor = make_editor("editor")
    version = TherapyArticleVersionFactory(state="draft", author=editor)
    client.force_login(editor)
    url = admin_url(version.item, "citations", version.number)
    response = client.post(url, {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0",
                                 "loaded_edit_count": "not-a-number"})  # fmt: skip
    assert response.status_code == 400
    assert "save counter is unreadable" in response.content.decode()
