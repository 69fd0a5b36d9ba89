"""Kinds of content are declared once (therapies/kinds.py; the portal's three in models.py)
and read by trust, workflow, search, views, admin and loaddemo. A fourth kind declared only
in the test suite (tests/fourth_kind: guideline notes that link therapies) goes through the
whole workflow with no edit anywhere else."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import TherapyArticleVersionFactory, make_user
from tests.fourth_kind.models import GuidelineNote, GuidelineNoteVersion
from therapies import catalog, kinds, pagecache, search, trust, workflow
from therapies.models import (
    AuditEvent,
    ChangelogEntry,
    CombinationEntry,
    ConflictOfInterestStatement,
    RecheckFlag,
    TherapyArticle,
    TrialNote,
)

pytestmark = pytest.mark.django_db

ACTIONS = ["add", "change", "view", "submit", "discard"]
MODERATION = ["approve", "request_changes", "schedule", "unpublish", "correct"]


def guideline_user(name, *actions):
    return make_user(name, perms=[f"fourth_kind.{action}_guidelinenoteversion"
                                  for action in actions])  # fmt: skip


@pytest.fixture
def editor():
    return guideline_user("guideline-editor", *ACTIONS)


@pytest.fixture
def moderator():
    return guideline_user("guideline-moderator", *ACTIONS, *MODERATION)


@pytest.fixture
def therapy():
    return TherapyArticleVersionFactory(state="published", key_agents=["pembrolizumab"])


def draft(editor, therapy, **fields):
    return workflow.create_item(
        GuidelineNote, by=editor, key="esmo-melanoma-example",
        title="Adjuvant therapy in resected melanoma (example guideline)",
        summary="What a guideline recommends, summarised.", body="## Recommendation\n\nText.",
        issuer="Example Society", agents=["pembrolizumab"], therapies=[therapy.item],
        citations=["PMID: 26027431"], **fields,
    )  # fmt: skip


def test_the_portal_declares_its_three_kinds_once():
    assert [kind.name for kind in kinds.all_kinds()][:3] == ["therapy", "combination", "trial"]
    assert kinds.of(TherapyArticle).version_model is TherapyArticle.version_model()
    assert kinds.of(CombinationEntry).links == {"therapies": "therapy"}
    assert kinds.of(TrialNote).key_field == "nct_id"
    assert {(k.name, link) for k, link in kinds.get("therapy").linking()} >= {
        ("combination", "therapies"),
        ("trial", "therapies"),
    }
    with pytest.raises(LookupError):
        kinds.of(AuditEvent)


def test_a_fourth_kind_goes_through_the_whole_workflow(editor, moderator, therapy):
    version = draft(editor, therapy)
    assert kinds.of(version).name == "guideline"
    workflow.edit(version, by=editor, title="Adjuvant therapy in resected stage III melanoma")
    workflow.submit(version, by=editor)
    workflow.withdraw(version, by=editor)
    workflow.submit(version, by=editor)
    workflow.claim_review(version, by=moderator)
    assert workflow.allowed_actions(version, moderator) >= {"approve", "request_changes"}
    workflow.request_changes(version, by=moderator, comment="Cite the trial itself.")
    workflow.submit(version, by=editor)
    workflow.approve(version, by=moderator)
    assert version.state == "published" and version.item.published == version
    entry = ChangelogEntry.objects.get(kind="guideline", version_id=version.pk)
    assert entry.kind == "guideline" and entry.visible

    second = workflow.new_version(version.item, by=editor)
    workflow.edit(second, by=editor, summary="Updated after the 5-year data.")
    workflow.submit(second, by=editor)
    workflow.approve(second, by=moderator, publish_at=timezone.now() + datetime.timedelta(1))
    workflow.reschedule(second, by=moderator, publish_at=timezone.now() + datetime.timedelta(2))
    assert workflow.publish_due(now=timezone.now() + datetime.timedelta(3)) == [second]
    version.refresh_from_db()
    second.refresh_from_db()
    assert (version.state, second.state) == ("superseded", "published")
    workflow.mark_correction(second, by=moderator, note="A dose was misprinted.")
    workflow.unpublish(second.item, by=moderator, comment="Guideline withdrawn by its issuer.")
    reverted = workflow.new_version(second.item, by=editor, from_version=version)
    assert reverted.change_summary == "Reverted to version 1."
    workflow.discard(reverted, by=editor)
    actions = set(AuditEvent.objects.for_item(version.item).values_list("action", flat=True))
    assert actions >= {"created", "edited", "submitted", "withdrawn", "review_claimed",
                       "changes_requested", "approved", "superseded", "rescheduled",
                       "published", "corrected", "unpublished", "discarded"}  # fmt: skip


def test_its_declared_rules_apply(editor, moderator, therapy):
    # Review needs the declared minimum of links.
    version = draft(editor, therapy)
    workflow.edit(version, by=editor, therapies=[])
    with pytest.raises(ValidationError, match="at least one in “therapies recommended”"):
        workflow.submit(version, by=editor)
    workflow.edit(version, by=editor, therapies=[therapy.item])
    workflow.submit(version, by=editor)
    # Its agents count for conflicts of interest.
    declared = guideline_user("declared", *MODERATION)
    statement = ConflictOfInterestStatement.objects.get(user=declared)
    statement.agents = ["pembrolizumab"]
    statement.save()
    with pytest.raises(PermissionDenied, match="pembrolizumab"):
        workflow.approve(version, by=declared)
    # Its linked therapies must be published to approve it.
    therapist = make_user("therapy-moderator", groups=["Moderators"])
    workflow.unpublish(therapy.item, by=therapist, comment="Withdrawn for re-review.")
    assert "Not published" in workflow.refusal(version, "approve", moderator)
    # ...and the unpublished therapy flagged it for a re-check.
    assert RecheckFlag.objects.for_item(version.item).open().exists()


def test_a_change_to_a_therapy_flags_it_and_its_approval_clears_the_flag(
    editor, moderator, therapy
):
    version = draft(editor, therapy)
    workflow.submit(version, by=editor)
    therapy_moderator = make_user("therapy-moderator", groups=["Moderators"])
    therapy_editor = make_user("therapy-editor", groups=["Editors"])
    changed = workflow.new_version(therapy.item, by=therapy_editor)
    workflow.edit(changed, by=therapy_editor, key_agents=["nivolumab"])
    workflow.submit(changed, by=therapy_editor)
    workflow.approve(changed, by=therapy_moderator)
    flag = RecheckFlag.objects.for_item(version.item).open().get()
    assert "key agents changed from pembrolizumab to nivolumab" in flag.reason
    assert trust.dependents_of(therapy.item) == [version.item]
    workflow.approve(version, by=moderator)
    assert not RecheckFlag.objects.for_item(version.item).open().exists()


def test_search_and_the_cache_scopes_read_its_declaration(editor, moderator, therapy):
    version = draft(editor, therapy)
    assert version.search_keywords() == "Example Society pembrolizumab"
    workflow.submit(version, by=editor)
    workflow.approve(version, by=moderator)
    results = search.search("Society", [GuidelineNoteVersion])
    assert [result.pk for result in results] == [version.pk]
    assert pagecache.item_scope("guideline", version.item.key) in catalog.linked_scopes(therapy)
