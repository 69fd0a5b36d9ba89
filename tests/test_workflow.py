"""The editorial workflow contract (therapies/workflow.py), as a specification.

Each transition: allowed, wrong state (WorkflowError), not permitted (PermissionDenied).
"""

import datetime
import threading
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.utils import timezone

from tests.factories import (
    VERSION_FACTORIES,
    CitationFactory,
    CombinationEntryVersionFactory,
    TherapyArticleVersionFactory,
    make_editor,
    make_moderator,
    make_user,
)
from therapies import workflow
from therapies.models import AppendOnlyError, AuditEvent, TherapyArticle, VersionState

pytestmark = pytest.mark.django_db

ALL_STATES = [state.value for state in VersionState]
WAS_PUBLISHED = {"published", "superseded", "unpublished"}
KINDS = ["therapy", "combination", "trial"]


@pytest.fixture
def author():
    return make_editor("author")


@pytest.fixture
def moderator():
    return make_moderator("moderator")


def version_in(state, author, kind="therapy", **kwargs):
    """A version of a fresh item in `state`, written by `author`; a published predecessor
    exists for states that need one to be meaningful."""
    factory = VERSION_FACTORIES[kind]
    return factory(state=state, author=author, **kwargs)


def events(version, action=None):
    queryset = AuditEvent.objects.filter(version_id=version.pk, version_number=version.number)
    return list(queryset.filter(action=action) if action else queryset)


# --- what each move does, from which states ------------------------------------------------------


MOVES = {
    "submit": (lambda v, by: workflow.submit(v, by=by), {"draft", "changes_requested"}),
    "approve": (lambda v, by: workflow.approve(v, by=by), {"in_review"}),
    "schedule": (
        lambda v, by: workflow.approve(v, by=by, publish_at=timezone.now() + datetime.timedelta(1)),
        {"in_review"},
    ),
    "request_changes": (
        lambda v, by: workflow.request_changes(v, by=by, comment="Cite the 5-year data."),
        {"in_review"},
    ),
    "discard": (
        lambda v, by: workflow.discard(v, by=by),
        {"draft", "changes_requested", "approved"},
    ),
    "edit": (
        lambda v, by: workflow.edit(v, by=by, title="New title"),
        {"draft", "changes_requested"},
    ),
    "new_version": (lambda v, by: workflow.new_version(v.item, by=by), WAS_PUBLISHED),
    "revert": (lambda v, by: workflow.new_version(v.item, by=by, from_version=v), WAS_PUBLISHED),
    "unpublish": (
        lambda v, by: workflow.unpublish(v.item, by=by, comment="Withdrawn."),
        {"published"},
    ),
}


RESULT_STATE = {
    "submit": "in_review",
    "approve": "published",
    "schedule": "approved",
    "request_changes": "changes_requested",
    "discard": "discarded",
    "edit": None,
    "new_version": None,
    "revert": None,
    "unpublish": "unpublished",
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("action", list(MOVES))
@pytest.mark.parametrize("state", ALL_STATES)
def test_state_matrix(kind, action, state, author, moderator):
    move, allowed_from = MOVES[action]
    version = version_in(state, author, kind)
    if state in allowed_from:
        move(version, moderator)
        version.refresh_from_db()
        assert version.state == (RESULT_STATE[action] or state)
    else:
        with pytest.raises(workflow.WorkflowError):
            move(version, moderator)
        version.refresh_from_db()
        assert version.state == state


# --- who may make each move ----------------------------------------------------------------------


ROLES = {
    "editor": lambda: make_editor("someone"),
    "moderator": lambda: make_moderator("someone"),
    "superuser": lambda: make_user("someone", superuser=True),
    "staff without permissions": lambda: make_user("someone"),
    "moderator who is the author": None,
    "moderator who edited it": None,
}


PERMISSION_MATRIX = [
    # action,            state,               role,                          allowed
    ("submit", "draft", "editor", True),
    ("submit", "draft", "moderator", True),
    ("submit", "draft", "staff without permissions", False),
    ("edit", "draft", "editor", True),
    ("edit", "draft", "moderator", True),
    ("edit", "draft", "staff without permissions", False),
    ("approve", "in_review", "editor", False),
    ("approve", "in_review", "moderator", True),
    ("approve", "in_review", "superuser", True),
    ("approve", "in_review", "staff without permissions", False),
    ("approve", "in_review", "moderator who is the author", False),
    ("approve", "in_review", "moderator who edited it", False),
    ("schedule", "in_review", "editor", False),
    ("schedule", "in_review", "moderator", True),
    ("schedule", "in_review", "moderator who is the author", False),
    ("request_changes", "in_review", "editor", False),
    ("request_changes", "in_review", "moderator", True),
    ("request_changes", "in_review", "staff without permissions", False),
    ("discard", "draft", "editor", True),
    ("discard", "draft", "moderator", True),
    ("discard", "draft", "staff without permissions", False),
    ("discard", "changes_requested", "editor", True),
    ("discard", "approved", "editor", False),
    ("discard", "approved", "moderator", True),
]


@pytest.mark.parametrize("action,state,role,allowed", PERMISSION_MATRIX)
def test_permission_matrix(action, state, role, allowed):
    if role == "moderator who is the author":
        actor = author = make_moderator("someone")
    else:
        author = make_editor("author")
        actor = ROLES.get(role) and ROLES[role]()
    version = version_in(state, author)
    if role == "moderator who edited it":
        actor = make_moderator("someone")
        version.state = "draft"
        type(version).objects.filter(pk=version.pk).update(state="draft")
        workflow.edit(version, by=actor, summary="A moderator's edit.")
        type(version).objects.filter(pk=version.pk).update(state=state)
        version.state = state
    move, _ = MOVES[action]
    if allowed:
        move(version, actor)
    else:
        with pytest.raises(PermissionDenied):
            move(version, actor)
        version.refresh_from_db()
        assert version.state == state


@pytest.mark.parametrize("role,allowed", [("moderator", True), ("editor", False),
                                          ("staff without permissions", False)])  # fmt: skip
def test_unpublish_permissions(role, allowed, author):
    live = version_in("published", author)
    actor = ROLES[role]()
    if allowed:
        workflow.unpublish(live.item, by=actor, comment="Withdrawn pending re-review.")
        live.refresh_from_db()
        assert live.state == "unpublished"
    else:
        with pytest.raises(PermissionDenied):
            workflow.unpublish(live.item, by=actor, comment="Withdrawn.")


def test_permissions_come_from_django_permissions_not_group_names(author):
    # One person granted approval on therapy articles only, without any group.
    reviewer = make_user("reviewer", perms=["therapies.approve_therapyarticleversion"])
    therapy = version_in("in_review", author, "therapy")
    trial = version_in("in_review", author, "trial")
    workflow.approve(therapy, by=reviewer)
    with pytest.raises(PermissionDenied):
        workflow.approve(trial, by=reviewer)


def test_superuser_cannot_approve_their_own_version():
    admin = make_user("admin", superuser=True)
    version = version_in("in_review", admin)
    with pytest.raises(PermissionDenied, match="four eyes"):
        workflow.approve(version, by=admin)


def test_wrong_state_is_reported_before_permissions(author):
    version = version_in("published", author)
    with pytest.raises(workflow.WorkflowError):
        workflow.approve(version, by=make_user("nobody"))


def test_workflow_error_is_a_validation_error():
    assert issubclass(workflow.WorkflowError, ValidationError)
    assert issubclass(workflow.EditConflict, workflow.WorkflowError)


def test_last_editor_counts_for_four_eyes(author, moderator):
    version = version_in("in_review", author, last_edited_by=moderator)
    with pytest.raises(PermissionDenied):
        workflow.approve(version, by=moderator)


# --- rule 1: the published page stays live while the next version is reviewed --------------------


def test_public_page_serves_old_text_while_new_version_is_reviewed(client, author, moderator):
    live = version_in("published", author, title="Old title", body="Old text.")
    draft = workflow.new_version(live.item, by=author)
    workflow.edit(draft, by=author, title="New title", body="New text.")
    workflow.submit(draft, by=author)
    url = live.item.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Old text." in page and "New text." not in page
    workflow.approve(draft, by=moderator)
    page = client.get(url).content.decode()
    assert "New text." in page and "Old text." not in page


def test_approval_swaps_versions_in_one_transaction(author, moderator):
    live = version_in("published", author)
    draft = workflow.new_version(live.item, by=author)
    workflow.submit(draft, by=author)
    workflow.approve(draft, by=moderator, comment="Checked against the papers.")
    live.refresh_from_db()
    draft.refresh_from_db()
    assert (live.state, draft.state) == ("superseded", "published")
    assert live.item.versions.filter(state="published").count() == 1
    assert draft.reviewed_by == moderator and draft.published_at is not None
    assert events(live, "superseded")[0].actor == moderator


def test_a_failed_approval_leaves_the_live_version_live(author, moderator):
    live = version_in("published", author)
    draft = workflow.new_version(live.item, by=author)
    workflow.submit(draft, by=author)
    type(draft).objects.filter(pk=draft.pk).update(state="changes_requested")  # moved meanwhile
    with pytest.raises(workflow.WorkflowError, match="someone else changed it first"):
        workflow.approve(draft, by=moderator)
    live.refresh_from_db()
    assert live.state == "published"


# --- rule 3: creating, read-only states, new versions and reverts --------------------------------


@pytest.mark.parametrize("state", ["in_review", "approved", "published", "superseded",
                                   "unpublished", "discarded"])  # fmt: skip
def test_versions_outside_draft_are_read_only(state, author):
    version = version_in(state, author)
    with pytest.raises(workflow.WorkflowError, match="read-only"):
        workflow.edit(version, by=author, title="Changed")


def test_new_version_copies_the_newest_version_with_its_links(author):
    citation = CitationFactory()
    live = CombinationEntryVersionFactory(state="published", author=author, title="Live")
    workflow_edit_relations = {"citations": [(citation, "response rate")]}
    type(live).objects.filter(pk=live.pk).update(state="draft")
    live.state = "draft"
    workflow.edit(live, by=author, **workflow_edit_relations)
    type(live).objects.filter(pk=live.pk).update(state="published")
    draft = workflow.new_version(live.item, by=make_editor("second"))
    assert (draft.number, draft.state, draft.title) == (2, "draft", "Live")
    assert set(draft.therapies.all()) == set(live.therapies.all())
    assert [(c.citation, c.supports) for c in draft.citation_links.all()] == [
        (citation, "response rate")
    ]
    assert draft.author.username == "second"


def test_revert_starts_a_new_version_from_an_older_one(author, moderator):
    first = version_in("superseded", author, title="First wording")
    version_in("published", author, item=first.item, title="Second wording")
    revert = workflow.new_version(first.item, by=author, from_version=first)
    assert revert.title == "First wording" and revert.number == 3
    assert revert.state == "draft"
    assert events(revert, "created")[0].data["revert"] is True


def test_only_one_version_in_progress(author):
    live = version_in("published", author)
    workflow.new_version(live.item, by=author)
    with pytest.raises(workflow.WorkflowError, match="already in progress"):
        workflow.new_version(live.item, by=author)


def test_new_version_needs_add_permission(author):
    live = version_in("published", author)
    with pytest.raises(PermissionDenied):
        workflow.new_version(live.item, by=make_user("nobody"))


def test_revert_only_from_published_history(author, moderator):
    live = version_in("published", author)
    discarded = version_in("discarded", moderator, item=live.item)
    with pytest.raises(workflow.WorkflowError, match="never published"):
        workflow.new_version(live.item, by=author, from_version=discarded)


def test_create_item_refuses_a_duplicate_key(author):
    workflow.create_therapy_article(by=author, slug="il-2", title="IL-2", summary="s", body="b",
                                    therapy_class="cytokine")  # fmt: skip
    with pytest.raises(ValidationError):
        workflow.create_therapy_article(by=author, slug="il-2", title="IL-2 again", summary="s",
                                        body="b", therapy_class="cytokine")  # fmt: skip


# --- rule 4: comments ----------------------------------------------------------------------------


@pytest.mark.parametrize("comment", ["", "   "])
def test_request_changes_requires_a_comment(comment, author, moderator):
    version = version_in("in_review", author)
    with pytest.raises(ValidationError):
        workflow.request_changes(version, by=moderator, comment=comment)


@pytest.mark.parametrize("comment", ["", "   "])
def test_unpublish_requires_a_comment(comment, author, moderator):
    live = version_in("published", author)
    with pytest.raises(ValidationError):
        workflow.unpublish(live.item, by=moderator, comment=comment)


def test_request_changes_comment_is_shown_to_the_author(
    author, moderator, django_capture_on_commit_callbacks
):
    version = version_in("in_review", author)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_changes(
            version, by=moderator, comment="Add the PMID for the 5-year OS figure."
        )
    version.refresh_from_db()
    assert version.review_comment == "Add the PMID for the 5-year OS figure."
    assert mail.outbox[-1].to == [author.email]
    assert "Add the PMID" in mail.outbox[-1].body


def test_unpublish_requires_a_published_version(author, moderator):
    draft = version_in("draft", author)
    with pytest.raises(workflow.WorkflowError):
        workflow.unpublish(draft.item, by=moderator, comment="Gone.")


# --- rule 5: audit trail -------------------------------------------------------------------------


def test_every_state_change_and_draft_save_is_audited(author, moderator):
    version = workflow.create_item(
        TherapyArticle, by=author, key="tebentafusp", title="Tebentafusp", summary="s", body="b",
        therapy_class="bispecific_engager", evidence_level="standard_of_care",
        citations=[CitationFactory()],
    )  # fmt: skip
    workflow.edit(version, by=author, body="Changed body.")
    workflow.submit(version, by=author, comment="Ready.")
    workflow.request_changes(version, by=moderator, comment="Needs a citation.")
    workflow.edit(version, by=author, body="Changed again.")
    workflow.submit(version, by=author)
    workflow.approve(version, by=moderator, comment="Good.")
    workflow.unpublish(version.item, by=moderator, comment="Superseded by guidance.")
    trail = [
        (e.action, e.from_state, e.to_state, e.actor.username)
        for e in AuditEvent.objects.for_item(version.item).order_by("at", "id")
    ]
    assert trail == [
        ("created", "", "draft", "author"),
        ("edited", "draft", "draft", "author"),
        ("submitted", "draft", "in_review", "author"),
        ("changes_requested", "in_review", "changes_requested", "moderator"),
        ("edited", "changes_requested", "changes_requested", "author"),
        ("submitted", "changes_requested", "in_review", "author"),
        ("approved", "in_review", "published", "moderator"),
        ("unpublished", "published", "unpublished", "moderator"),
    ]
    assert [e.data["fields"] for e in events(version, "edited")] == [["body"], ["body"]]


def test_audit_events_cannot_be_changed_or_deleted(author):
    version = version_in("draft", author)
    workflow.edit(version, by=author, title="x")
    event = AuditEvent.objects.first()
    event.comment = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(comment="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize("statement", ["UPDATE {table} SET comment = 'rewritten'",
                                       "DELETE FROM {table}"])  # fmt: skip
def test_database_refuses_to_rewrite_or_delete_audit_events(author, audit_guard, statement):
    version = version_in("draft", author)
    workflow.edit(version, by=author, title="x")
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(table=AuditEvent._meta.db_table))
    assert AuditEvent.objects.filter(comment="").count() == 1


def test_database_refuses_to_truncate_audit_events(author, audit_guard):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    version = version_in("draft", author)
    workflow.edit(version, by=author, title="x")
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks in the way
        cursor.execute(f"TRUNCATE {AuditEvent._meta.db_table} CASCADE")
    assert AuditEvent.objects.count() == 1


# --- rule 6: editing — no lost edits, only the fields given --------------------------------------


def test_second_save_of_a_stale_copy_is_refused_naming_who_saved_first(author):
    other = make_editor("editor2")
    version = version_in("draft", author, title="Original")
    mine = type(version).objects.get(pk=version.pk)
    theirs = type(version).objects.get(pk=version.pk)
    workflow.edit(theirs, by=other, title="Their title")
    with pytest.raises(workflow.EditConflict, match="editor2"):
        workflow.edit(mine, by=author, title="My title")
    version.refresh_from_db()
    assert version.title == "Their title"


def test_the_same_user_in_two_tabs_is_also_protected(author):
    version = version_in("draft", author)
    tab1 = type(version).objects.get(pk=version.pk)
    tab2 = type(version).objects.get(pk=version.pk)
    workflow.edit(tab1, by=author, title="From tab 1")
    with pytest.raises(workflow.EditConflict):
        workflow.edit(tab2, by=author, title="From tab 2")


def test_successive_saves_of_the_same_instance_are_fine(author):
    version = version_in("draft", author)
    workflow.edit(version, by=author, title="One")
    workflow.edit(version, by=author, title="Two")
    version.refresh_from_db()
    assert version.title == "Two" and version.edit_count == 2


def test_edit_refuses_workflow_fields(author):
    version = version_in("draft", author)
    with pytest.raises(workflow.WorkflowError):
        workflow.edit(version, by=author, state="published")


def test_edit_validates_fields(author):
    version = version_in("draft", author, kind="trial")
    with pytest.raises(ValidationError):
        workflow.edit(version, by=author, start_date="2019-13")


@pytest.mark.parametrize(
    "articles, other_treatments, problem",
    [
        (2, [], None),
        (1, ["platinum-based chemotherapy"], None),
        (1, ["pemetrexed", "platinum-based chemotherapy"], None),
        (1, [], "at least two treatments in all"),
        (0, ["chemotherapy", "radiotherapy"], "at least one in “therapies combined”"),
    ],
    ids=["two-articles", "article-and-chemotherapy", "article-and-two-others", "one-article",
         "no-immunotherapy"],
)  # fmt: skip
def test_a_combination_needs_an_immunotherapy_and_two_treatments_in_all(
    author, articles, other_treatments, problem
):
    therapies = [TherapyArticleVersionFactory(state="published").item for _ in range(articles)]
    version = CombinationEntryVersionFactory(
        state="draft", author=author, therapies=therapies, other_treatments=other_treatments
    )
    if problem is None:
        assert workflow.submit(version, by=author).state == "in_review"
    else:
        with pytest.raises(ValidationError, match=problem):
            workflow.submit(version, by=author)


def test_other_treatments_are_one_line_each(author):
    version = CombinationEntryVersionFactory(state="draft", author=author)
    with pytest.raises(ValidationError):
        workflow.edit(version, by=author, other_treatments=["carboplatin\npemetrexed"])


def test_a_stale_copy_cannot_undo_a_state_change(author, moderator):
    version = version_in("draft", author)
    stale = type(version).objects.get(pk=version.pk)
    workflow.submit(version, by=author)
    workflow.request_changes(version, by=moderator, comment="Fix the dosing sentence.")
    with pytest.raises(workflow.EditConflict, match="changes requested"):
        workflow.edit(stale, by=author, title="From a stale tab")
    version.refresh_from_db()
    assert (version.state, version.review_comment) == ("changes_requested",
                                                       "Fix the dosing sentence.")  # fmt: skip
    assert version.submitted_at is not None


def test_edit_writes_only_the_given_fields(author):
    version = version_in("draft", author, summary="Kept summary.")
    copy = type(version).objects.get(pk=version.pk)
    type(version).objects.filter(pk=version.pk).update(summary="Changed elsewhere.")
    workflow.edit(copy, by=author, title="New title")
    version.refresh_from_db()
    assert (version.title, version.summary) == ("New title", "Changed elsewhere.")


def test_edit_that_changes_nothing_records_nothing(author, moderator):
    version = version_in("draft", author, title="Same")
    workflow.edit(version, by=moderator, title="Same", body=version.body.replace("\n", "\r\n"))
    assert events(version) == []
    workflow.submit(version, by=author)
    workflow.approve(version, by=moderator)  # the no-op save did not make them a contributor


def test_a_refused_edit_leaves_the_instance_usable(author):
    version = version_in("draft", author, kind="trial")
    with pytest.raises(ValidationError):
        workflow.edit(version, by=author, start_date="2019-13")
    workflow.edit(version, by=author, start_date="2019-03")
    version.refresh_from_db()
    assert version.start_date == "2019-03"


@pytest.mark.parametrize("fields", [{"titel": "typo"}, {"body_html": "<b>x</b>"},
                                    {"edit_count": 7}, {"state": "published"}])  # fmt: skip
def test_edit_refuses_unknown_and_workflow_fields(author, fields):
    version = version_in("draft", author)
    with pytest.raises(workflow.WorkflowError):
        workflow.edit(version, by=author, **fields)


def test_edit_accepts_ids_for_links_and_citations(author):
    citation = CitationFactory()
    version = CombinationEntryVersionFactory(state="draft", author=author)
    therapies = [TherapyArticleVersionFactory(state="published").item for _ in range(3)]
    workflow.edit(version, by=author, therapies=[t.pk for t in therapies],
                  citations=[citation.pk])  # fmt: skip
    assert set(version.therapies.all()) == set(therapies)
    assert list(version.citations.all()) == [citation]


# --- rule 7: scheduled publishing ----------------------------------------------------------------


def test_approve_with_a_future_time_schedules_and_publish_due_publishes_once(author, moderator):
    live = version_in("published", author, title="Old")
    draft = workflow.new_version(live.item, by=author)
    workflow.edit(draft, by=author, title="Scheduled")
    workflow.submit(draft, by=author)
    at = timezone.now() + datetime.timedelta(hours=2)
    workflow.approve(draft, by=moderator, publish_at=at)
    draft.refresh_from_db()
    assert draft.state == "approved" and draft.publish_at == at
    assert workflow.publish_due(now=at - datetime.timedelta(minutes=1)) == []
    assert live.item.published == live
    published = workflow.publish_due(now=at)
    assert [v.pk for v in published] == [draft.pk]
    assert workflow.publish_due(now=at + datetime.timedelta(minutes=1)) == []  # idempotent
    live.refresh_from_db()
    draft.refresh_from_db()
    assert (live.state, draft.state) == ("superseded", "published")
    assert len(events(draft, "published")) == 1


def test_approve_with_a_past_time_publishes_at_once(author, moderator):
    version = version_in("in_review", author)
    workflow.approve(version, by=moderator, publish_at=timezone.now() - datetime.timedelta(hours=1))
    version.refresh_from_db()
    assert version.state == "published"


def test_publish_due_unpublishes_expired_items(author, moderator):
    version = version_in("in_review", author)
    until = timezone.now() + datetime.timedelta(days=30)
    workflow.approve(version, by=moderator, unpublish_at=until)
    workflow.publish_due(now=until - datetime.timedelta(seconds=1))
    version.refresh_from_db()
    assert version.state == "published"
    workflow.publish_due(now=until)
    workflow.publish_due(now=until)
    version.refresh_from_db()
    assert version.state == "unpublished"
    assert len(events(version, "unpublished")) == 1


def test_unpublish_time_must_follow_publish_time(author, moderator):
    version = version_in("in_review", author)
    at = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError):
        workflow.approve(version, by=moderator, publish_at=at, unpublish_at=at)


def test_discarding_a_scheduled_version_cancels_it(author, moderator):
    version = version_in("in_review", author)
    at = timezone.now() + datetime.timedelta(days=1)
    workflow.approve(version, by=moderator, publish_at=at)
    workflow.discard(version, by=moderator, comment="Superseded by newer data.")
    assert workflow.publish_due(now=at + datetime.timedelta(days=1)) == []
    version.refresh_from_db()
    assert version.state == "discarded" and version.publish_at == at  # kept in history


def test_unpublishing_cancels_a_scheduled_version(author, moderator):
    live = version_in("published", author)
    draft = workflow.new_version(live.item, by=author)
    workflow.submit(draft, by=author)
    at = timezone.now() + datetime.timedelta(hours=1)
    workflow.approve(draft, by=moderator, publish_at=at)
    workflow.unpublish(live.item, by=moderator, comment="Withdrawn for safety review.")
    assert workflow.publish_due(now=at + datetime.timedelta(hours=1)) == []
    draft.refresh_from_db()
    assert draft.state == "discarded"
    assert "Schedule cancelled" in events(draft, "discarded")[0].comment
    assert live.item.published is None


def test_take_down_time_carries_over_to_the_next_version(author, moderator):
    live = version_in("in_review", author)
    until = timezone.now() + datetime.timedelta(days=10)
    workflow.approve(live, by=moderator, unpublish_at=until)
    draft = workflow.new_version(live.item, by=author)
    workflow.submit(draft, by=author)
    workflow.approve(draft, by=moderator)
    draft.refresh_from_db()
    assert draft.unpublish_at == until


def test_naive_times_are_read_in_the_portal_time_zone(author, moderator):
    version = version_in("in_review", author)
    naive = (timezone.localtime() + datetime.timedelta(days=1)).replace(tzinfo=None)
    workflow.approve(version, by=moderator, publish_at=naive)
    version.refresh_from_db()
    assert version.state == "approved" and timezone.is_aware(version.publish_at)
    assert workflow.publish_due(now=naive + datetime.timedelta(minutes=1)) == [version]


# --- rule 8: notifications -----------------------------------------------------------------------


def test_submit_notifies_moderators(author, moderator, django_capture_on_commit_callbacks):
    make_moderator("moderator2")
    version = version_in("draft", author)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(version, by=author)
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["moderator2@example.org", "moderator@example.org"]


def test_approval_notifies_the_author(author, moderator, django_capture_on_commit_callbacks):
    version = version_in("in_review", author)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(version, by=moderator)
    assert mail.outbox[-1].to == [author.email]
    assert "approved" in mail.outbox[-1].subject.lower()


# --- concurrency on PostgreSQL -------------------------------------------------------------------


# serialized_rollback: the flush after a transactional test empties the groups made by
# migrations; this restores them for the next transactional test on the same worker.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_moderators_approving_at_once_publish_once():
    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is exercised on PostgreSQL")
    author = make_editor("author")
    moderators = [make_moderator("m1"), make_moderator("m2")]
    live = version_in("published", author)
    draft = version_in("in_review", author, item=live.item)
    barrier = threading.Barrier(2)
    outcomes = []

    def approve_as(moderator):
        try:
            copy = type(draft).objects.get(pk=draft.pk)
            barrier.wait()
            workflow.approve(copy, by=moderator)
            outcomes.append("published")
        except workflow.WorkflowError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve_as, args=(m,)) for m in moderators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("published") == 1
    assert any("someone else changed it first" in outcome for outcome in outcomes)
    assert live.item.versions.filter(state="published").count() == 1
    assert len(events(draft, "approved")) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_constraint_holds_even_when_code_is_bypassed(kind, author):
    live = version_in("published", author, kind)
    other = version_in("superseded", author, kind, item=live.item)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(other).objects.filter(pk=other.pk).update(state="published")


# --- manage.py publish_scheduled -----------------------------------------------------------------


def test_publish_scheduled_command_publishes_due_versions_once(author, moderator):
    live = version_in("published", author, title="Old")
    draft = workflow.new_version(live.item, by=author)
    workflow.submit(draft, by=author)
    workflow.approve(draft, by=moderator, publish_at=timezone.now() + datetime.timedelta(hours=1))
    not_yet = StringIO()
    call_command("publish_scheduled", stdout=not_yet)
    assert "0 scheduled version(s) published" in not_yet.getvalue()
    type(draft).objects.filter(pk=draft.pk).update(
        publish_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    first, second = StringIO(), StringIO()
    call_command("publish_scheduled", stdout=first)
    call_command("publish_scheduled", stdout=second)
    assert "1 scheduled version(s) published" in first.getvalue()
    assert "0 scheduled version(s) published" in second.getvalue()
    draft.refresh_from_db()
    live.refresh_from_db()
    assert (draft.state, live.state) == ("published", "superseded")
    assert len(events(draft, "published")) == 1
    assert events(draft, "published")[0].actor is None
