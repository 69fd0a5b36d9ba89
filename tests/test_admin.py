"""The editorial workflow over HTTP: Django admin URLs posted to directly, bypassing buttons."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    VERSION_FACTORIES,
    CitationFactory,
    TherapyArticleVersionFactory,
    make_editor,
    make_moderator,
    make_user,
)
from therapies import workflow
from therapies.models import AuditEvent, CombinationEntry, TherapyArticle, VersionState

pytestmark = pytest.mark.django_db

LABELS = ["Submit for review", "Approve", "Request changes", "Unpublish", "New version",
          "Revert to this version", "Discard", "Withdraw from review", "Claim review",
          "Reschedule", "Cancel schedule"]  # fmt: skip


def admin_url(item, name, *args):
    meta = item._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{name}", args=[item.pk, *args])


def action_url(version, action):
    return admin_url(version.item, "workflow", version.number, action)


def login(client, user):
    client.force_login(user)
    return client


def state_of(version):
    version.refresh_from_db()
    return version.state


def change_form_data(client, item):
    """The POST data the change form would send unchanged."""
    response = client.get(admin_url(item, "change"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        else:
            data[name] = field.prepare_value(value) if hasattr(field, "prepare_value") else value
    return data


# --- role × action × state over HTTP -------------------------------------------------------------


ROLES = {
    "editor": lambda: make_editor("actor"),
    "moderator": lambda: make_moderator("actor"),
    "superuser": lambda: make_user("actor", superuser=True),
    "staff without permissions": lambda: make_user("actor"),
}


HTTP_MATRIX = [
    # action,            state,               role,                        status, new state
    ("submit", "draft", "editor", 302, "in_review"),
    ("submit", "changes_requested", "editor", 302, "in_review"),
    ("submit", "in_review", "editor", 400, "in_review"),
    ("submit", "draft", "staff without permissions", 403, "draft"),
    ("approve", "in_review", "moderator", 302, "published"),
    ("approve", "in_review", "superuser", 302, "published"),
    ("approve", "in_review", "editor", 403, "in_review"),
    ("approve", "draft", "moderator", 400, "draft"),
    ("approve", "published", "moderator", 400, "published"),
    ("request_changes", "in_review", "moderator", 302, "changes_requested"),
    ("request_changes", "in_review", "editor", 403, "in_review"),
    ("request_changes", "draft", "moderator", 400, "draft"),
    ("discard", "draft", "editor", 302, "discarded"),
    ("discard", "approved", "editor", 403, "approved"),
    ("discard", "approved", "moderator", 302, "discarded"),
    ("discard", "published", "moderator", 400, "published"),
]


@pytest.mark.parametrize("kind", ["therapy", "trial"])
@pytest.mark.parametrize("action,state,role,status,new_state", HTTP_MATRIX)
def test_workflow_matrix_over_http(client, kind, action, state, role, status, new_state):
    version = VERSION_FACTORIES[kind](state=state, author=make_editor("author"))
    login(client, ROLES[role]())
    response = client.post(action_url(version, action), {"comment": "Please cite the 5-y data."})
    assert response.status_code == status
    assert state_of(version) == new_state


def test_author_cannot_approve_over_http_even_as_superuser(client):
    admin = make_user("admin", superuser=True)
    version = TherapyArticleVersionFactory(state="in_review", author=admin)
    login(client, admin)
    response = client.post(action_url(version, "approve"), {})
    assert response.status_code == 403
    assert state_of(version) == "in_review"


def test_moderator_who_edited_cannot_approve_over_http(client):
    moderator = make_moderator("moderator")
    version = TherapyArticleVersionFactory(state="draft", author=make_editor("author"))
    login(client, moderator)
    data = change_form_data(client, version.item)
    data["summary"] = "Edited by the moderator."
    assert client.post(admin_url(version.item, "change"), data).status_code == 302
    assert client.post(action_url(version, "submit"), {}).status_code == 302
    assert client.post(action_url(version, "approve"), {}).status_code == 403
    assert state_of(version) == "in_review"


def test_request_changes_without_comment_is_refused(client):
    version = TherapyArticleVersionFactory(state="in_review", author=make_editor("author"))
    login(client, make_moderator())
    response = client.post(action_url(version, "request_changes"), {"comment": ""})
    assert response.status_code == 200  # the form is shown again with its error
    assert "This field is required" in response.content.decode()
    assert state_of(version) == "in_review"


@pytest.mark.parametrize("comment,status,new_state", [("", 200, "published"),
                                                      ("Withdrawn: new safety data.", 302,
                                                       "unpublished")])  # fmt: skip
def test_unpublish_over_http_requires_a_comment(client, comment, status, new_state):
    live = TherapyArticleVersionFactory(state="published")
    login(client, make_moderator())
    response = client.post(admin_url(live.item, "item_workflow", "unpublish"), {"comment": comment})
    assert response.status_code == status
    assert state_of(live) == new_state


def test_editor_cannot_unpublish_over_http(client):
    live = TherapyArticleVersionFactory(state="published")
    login(client, make_editor())
    response = client.post(admin_url(live.item, "item_workflow", "unpublish"), {"comment": "x"})
    assert response.status_code == 403
    assert state_of(live) == "published"


def test_scheduled_approval_over_http(client):
    version = TherapyArticleVersionFactory(state="in_review")
    login(client, make_moderator())
    when = (timezone.now() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(action_url(version, "approve"), {"publish_at": when})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.state == "approved" and version.publish_at > timezone.now()


def test_new_version_and_revert_over_http(client):
    first = TherapyArticleVersionFactory(state="superseded", title="First")
    live = TherapyArticleVersionFactory(item=first.item, state="published", title="Second")
    login(client, make_editor())
    response = client.post(action_url(first, "revert"), {})
    assert response.status_code == 302
    revert = first.item.in_progress
    assert (revert.number, revert.title, revert.state) == (3, "First", "draft")
    # Only one version in progress: New version is now refused.
    response = client.post(admin_url(live.item, "item_workflow", "new_version"), {})
    assert response.status_code == 400
    assert first.item.versions.count() == 3


def test_unknown_action_is_404(client):
    version = TherapyArticleVersionFactory(state="draft")
    login(client, make_moderator())
    assert client.post(action_url(version, "publish"), {}).status_code == 404


def test_anonymous_users_are_sent_to_login(client):
    version = TherapyArticleVersionFactory(state="in_review")
    response = client.post(action_url(version, "approve"), {})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert state_of(version) == "in_review"


def test_editors_cannot_rename_cancer_types(client):
    editor = make_editor()
    assert editor.has_perm("therapies.add_cancertype")
    assert not editor.has_perm("therapies.change_cancertype")
    assert make_moderator().has_perm("therapies.change_cancertype")


# --- the change form edits the working draft; reviewed content stays -----------------------------


def test_add_form_creates_an_item_with_its_first_draft(client):
    editor = make_editor("editor")
    citation = CitationFactory()
    login(client, editor)
    response = client.post(
        reverse("admin:therapies_therapyarticle_add"),
        {
            "slug": "il-2",
            "title": "High-dose interleukin-2",
            "therapy_class": "cytokine",
            "summary": "A cytokine that expands T cells.",
            "body": "## Mechanism\n\nIL-2 drives T-cell growth.",
            "key_agents": "aldesleukin",
            "citations": [citation.pk],
            "change_summary": "First version.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = TherapyArticle.objects.get(slug="il-2")
    version = item.versions.get()
    assert (version.state, version.author, version.key_agents) == ("draft", editor, ["aldesleukin"])
    assert list(version.citations.all()) == [citation]
    assert AuditEvent.objects.for_item(item).get().action == "created"


def test_the_desk_adds_a_chemo_immunotherapy_combination_ready_for_review(client):
    therapy = TherapyArticleVersionFactory(state="published").item
    editor = make_editor("editor")
    login(client, editor)
    response = client.post(
        reverse("admin:therapies_combinationentry_add"),
        {
            "slug": "pd-1-plus-chemotherapy",
            "title": "PD-1 blockade with platinum chemotherapy",
            "summary": "Chemo-immunotherapy.",
            "body": "## Evidence\n\nSee the trial.",
            "therapies": [therapy.pk],
            "other_treatments": "platinum chemotherapy\r\npemetrexed",
            "evidence_level": "standard_of_care",
            "key_trials": "NCT02578680",
            "citations": [CitationFactory().pk],
            "change_summary": "First version.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    version = CombinationEntry.objects.get(slug="pd-1-plus-chemotherapy").versions.get()
    assert version.other_treatments == ["platinum chemotherapy", "pemetrexed"]
    assert workflow.review_problems(version) == []


def test_saving_the_change_form_edits_the_draft_through_the_workflow(client):
    version = TherapyArticleVersionFactory(state="draft", body="Old body.")
    editor = make_editor("editor2")
    login(client, editor)
    data = change_form_data(client, version.item)
    data["body"] = "New body."
    data["state"] = "published"  # never editable: ignored
    assert client.post(admin_url(version.item, "change"), data).status_code == 302
    version.refresh_from_db()
    assert version.body == "New body." and version.state == "draft"
    assert version.last_edited_by == editor
    event = AuditEvent.objects.for_item(version.item).get(action="edited")
    assert event.actor == editor and event.data["fields"] == ["body"]


def test_a_stale_change_form_is_refused_naming_who_saved_first(client):
    version = TherapyArticleVersionFactory(state="draft", body="Original.")
    first, second = make_editor("first"), make_editor("second")
    first_client, second_client = client.__class__(), client.__class__()
    login(first_client, first)
    login(second_client, second)
    first_data = change_form_data(first_client, version.item)
    second_data = change_form_data(second_client, version.item)
    first_data["body"] = "First's text."
    assert first_client.post(admin_url(version.item, "change"), first_data).status_code == 302
    second_data["body"] = "Second's text."
    response = second_client.post(admin_url(version.item, "change"), second_data)
    assert response.status_code == 200
    assert "first saved this draft after you opened it" in response.content.decode()
    version.refresh_from_db()
    assert version.body == "First's text."


def test_read_only_versions_cannot_be_changed_through_the_form(client):
    version = TherapyArticleVersionFactory(state="in_review", body="Under review.")
    login(client, make_editor())
    response = client.get(admin_url(version.item, "change"))
    form = response.context["adminform"].form
    assert form.fields["body"].disabled
    client.post(admin_url(version.item, "change"), {"body": "Sneaky edit."})
    version.refresh_from_db()
    assert version.body == "Under review."


def test_change_form_uses_markdownx_live_preview(client):
    version = TherapyArticleVersionFactory(state="draft")
    login(client, make_editor())
    content = client.get(admin_url(version.item, "change")).content.decode()
    assert (
        "markdownx" in content and 'data-markdownx-urls-path="/markdownx/markdownify/"' in content
    )


def test_a_form_whose_draft_was_submitted_meanwhile_is_refused(client):
    version = TherapyArticleVersionFactory(state="draft", body="Original.")
    author = version.author
    editor = make_editor("slowpoke")
    login(client, editor)
    data = change_form_data(client, version.item)
    author.groups.add(*make_editor("tmp").groups.all())
    workflow.submit(type(version).objects.get(pk=version.pk), by=author)
    data["body"] = "My late change."
    response = client.post(admin_url(version.item, "change"), data)
    assert response.status_code == 200
    assert "changed version 1 after you opened this page (submitted)" in (response.content.decode())
    version.refresh_from_db()
    assert version.body == "Original." and version.state == "in_review"


def test_an_unchanged_save_with_browser_line_endings_records_nothing(client):
    version = TherapyArticleVersionFactory(state="draft", body="Line one.\n\nLine two.")
    login(client, make_moderator("moderator"))
    data = change_form_data(client, version.item)
    data["body"] = data["body"].replace("\n", "\r\n")
    assert client.post(admin_url(version.item, "change"), data).status_code == 302
    assert not AuditEvent.objects.filter(action="edited").exists()
    version.refresh_from_db()
    assert "\r" not in version.body


def test_changing_the_citation_selection_keeps_order_and_supports(client):
    version = TherapyArticleVersionFactory(state="draft")
    first, second, added = CitationFactory(), CitationFactory(), CitationFactory()
    workflow.edit(version, by=make_editor("someone"),
                  citations=[(second, "response rate"), (first, "survival")])  # fmt: skip
    login(client, make_editor())
    data = change_form_data(client, version.item)
    data["citations"] = [first.pk, second.pk, added.pk]
    assert client.post(admin_url(version.item, "change"), data).status_code == 302
    links = [(link.citation, link.supports) for link in version.citation_links.all()]
    assert links == [(second, "response rate"), (first, "survival"), (added, "")]


def test_items_with_reviewed_versions_cannot_be_deleted(client):
    live = TherapyArticleVersionFactory(state="published")
    draft_only = TherapyArticleVersionFactory(state="draft")
    login(client, make_user("root", superuser=True))
    assert client.post(admin_url(live.item, "delete"), {"post": "yes"}).status_code == 403
    assert TherapyArticle.objects.filter(pk=live.item.pk).exists()
    assert client.post(admin_url(draft_only.item, "delete"), {"post": "yes"}).status_code == 302
    changelist = client.get(reverse("admin:therapies_therapyarticle_changelist"))
    assert "delete_selected" not in changelist.content.decode()


def test_citations_of_reviewed_content_are_read_only(client):
    citation = CitationFactory(kind="url", value="https://www.cancer.gov/")
    live = TherapyArticleVersionFactory(state="published")
    live.citation_links.create(citation=citation)
    login(client, make_moderator())
    url = reverse("admin:therapies_citation_change", args=[citation.pk])
    client.post(url, {"kind": "url", "value": "https://evil.example/", "label": "x"})
    citation.refresh_from_db()
    assert citation.value == "https://www.cancer.gov/"
    loose = CitationFactory()
    url = reverse("admin:therapies_citation_change", args=[loose.pk])
    response = client.post(url, {"kind": "pmid", "value": "26027431", "label": "Larkin 2015"})
    assert response.status_code == 302


# --- buttons and action forms only for those who may use them ------------------------------------


def links_on(client, item):
    return set(re.findall(r'class="button" href="[^"]*">([^<]+)</a>',
                          client.get(admin_url(item, "change")).content.decode()))  # fmt: skip


@pytest.mark.parametrize(
    "state,role,expected",
    [
        ("draft", "editor", {"Submit for review", "Discard"}),
        ("in_review", "editor", {"Withdraw from review"}),
        (
            "in_review",
            "moderator",
            {"Approve", "Request changes", "Claim review", "Withdraw from review"},
        ),
        ("in_review", "moderator who is the author", {"Request changes", "Withdraw from review"}),
        ("approved", "moderator", {"Reschedule", "Cancel schedule", "Discard"}),
        ("approved", "editor", set()),
        # Reverting to the live version is a new draft from it, as "New version" is.
        ("published", "moderator", {"Unpublish", "New version", "Revert to this version"}),
        ("published", "editor", {"New version", "Revert to this version"}),
        ("published", "staff without permissions", set()),
    ],
)
def test_buttons_match_what_the_user_may_do(client, state, role, expected):
    if role == "moderator who is the author":
        user = make_moderator("actor")
        version = TherapyArticleVersionFactory(state=state, author=user)
    else:
        user = ROLES[role]()
        version = TherapyArticleVersionFactory(state=state)
    if role == "staff without permissions":
        user = make_user("viewer", perms=["therapies.view_therapyarticle"])
    login(client, user)
    assert links_on(client, version.item) & set(LABELS) == expected


def test_revert_button_on_older_versions(client):
    first = TherapyArticleVersionFactory(state="superseded")
    TherapyArticleVersionFactory(item=first.item, state="published")
    login(client, make_editor())
    assert "Revert to this version" in links_on(client, first.item)


def test_action_forms_are_refused_to_those_who_may_not_act(client):
    version = TherapyArticleVersionFactory(state="in_review")
    login(client, make_editor())
    assert client.get(action_url(version, "approve")).status_code == 403
    login(client, make_moderator())
    assert client.get(action_url(version, "approve")).status_code == 200


# --- compare, preview, history, queue ------------------------------------------------------------


def test_compare_shows_a_word_level_diff_field_by_field(client):
    live = TherapyArticleVersionFactory(state="published", body="Nivolumab improved survival.")
    TherapyArticleVersionFactory(
        item=live.item, state="in_review", body="Nivolumab improved overall survival."
    )
    login(client, make_moderator())
    content = client.get(admin_url(live.item, "compare")).content.decode()
    assert "<ins>overall </ins>" in content or "<ins>overall</ins>" in content
    assert "Version 1 (published)" in content and "Version 2 (in review)" in content


def test_compare_any_two_versions(client):
    first = TherapyArticleVersionFactory(state="superseded", title="Alpha")
    TherapyArticleVersionFactory(item=first.item, state="superseded", title="Beta")
    TherapyArticleVersionFactory(item=first.item, state="published", title="Gamma")
    login(client, make_editor())
    content = client.get(admin_url(first.item, "compare"), {"a": 1, "b": 3}).content.decode()
    assert "<del>Alpha</del><ins>Gamma</ins>" in content


def test_review_screen_compares_against_the_live_version(client):
    live = TherapyArticleVersionFactory(state="published", title="Live title")
    review = TherapyArticleVersionFactory(item=live.item, state="in_review", title="New title")
    login(client, make_moderator())
    content = client.get(action_url(review, "approve")).content.decode()
    assert "Changes against the live version 1" in content
    assert "<del>Live</del><ins>New</ins>" in content


def test_preview_renders_the_version_as_the_public_page_for_staff_only(client):
    live = TherapyArticleVersionFactory(state="published", body="Live text.")
    draft = TherapyArticleVersionFactory(item=live.item, state="draft", body="Draft text.")
    url = admin_url(live.item, "preview", draft.number)
    assert client.get(url).status_code == 302  # anonymous: to the login page
    login(client, make_editor())
    content = client.get(url).content.decode()
    assert "Draft text." in content and "Preview" in content and "not public" in content
    assert 'name="robots" content="noindex' in content
    assert "Live text." in client.get(live.item.get_absolute_url()).content.decode()


def test_history_lists_audit_events_newest_first(client):
    version = TherapyArticleVersionFactory(state="draft", author=make_editor("author"))
    workflow.submit(version, by=version.author, comment="First submission.")
    workflow.request_changes(version, by=make_moderator("reviewer"), comment="Needs the PMID.")
    login(client, make_editor())
    content = client.get(admin_url(version.item, "history")).content.decode()
    assert content.index("Needs the PMID.") < content.index("First submission.")


@pytest.mark.parametrize("method", ["add", "change", "delete"])
def test_nobody_can_edit_or_delete_audit_events_in_admin(client, method):
    version = TherapyArticleVersionFactory(state="draft")
    workflow.edit(version, by=make_editor("someone"), title="x")
    event = AuditEvent.objects.get()
    login(client, make_user("root", superuser=True))
    url = {
        "add": reverse("admin:therapies_auditevent_add"),
        "change": reverse("admin:therapies_auditevent_change", args=[event.pk]),
        "delete": reverse("admin:therapies_auditevent_delete", args=[event.pk]),
    }[method]
    response = client.post(url, {"comment": "rewritten", "post": "yes"})
    assert response.status_code in (302, 403)
    assert AuditEvent.objects.get().comment == ""
    assert AuditEvent.objects.count() == 1


def test_review_queue_on_the_admin_index(client):
    older = TherapyArticleVersionFactory(state="in_review", title="Older submission")
    newer = TherapyArticleVersionFactory(state="in_review", title="Newer submission")
    type(older).objects.filter(pk=older.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=3)
    )
    type(newer).objects.filter(pk=newer.pk).update(submitted_at=timezone.now())
    login(client, make_moderator())
    content = client.get(reverse("admin:index")).content.decode()
    assert "Waiting for review" in content
    assert content.index("Older submission") < content.index("Newer submission")


def test_editors_queue_shows_their_drafts_and_versions_sent_back(client):
    editor = make_editor("editor")
    TherapyArticleVersionFactory(state="draft", author=editor, title="My draft")
    sent_back = TherapyArticleVersionFactory(
        state="changes_requested", author=editor, title="Sent back"
    )
    type(sent_back).objects.filter(pk=sent_back.pk).update(review_comment="Add a source.")
    TherapyArticleVersionFactory(state="draft", title="Someone else's draft")
    login(client, editor)
    content = client.get(reverse("admin:index")).content.decode()
    assert "My draft" in content and "Sent back" in content and "Add a source." in content
    assert "Someone else's draft" not in content
    assert "Waiting for review" not in content


def test_changes_requested_comment_is_shown_on_the_version(client):
    version = TherapyArticleVersionFactory(state="changes_requested")
    type(version).objects.filter(pk=version.pk).update(review_comment="Cite PMID 26027431.")
    login(client, make_editor())
    assert "Cite PMID 26027431." in client.get(admin_url(version.item, "change")).content.decode()


def test_changelist_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(15):
        live = TherapyArticleVersionFactory(state="published")
        TherapyArticleVersionFactory(item=live.item, state="draft")
    login(client, make_editor())
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:therapies_therapyarticle_changelist")).status_code == 200


def test_state_labels_cover_every_state():
    assert {state.value for state in VersionState} == {
        "draft", "in_review", "changes_requested", "approved", "published", "superseded",
        "unpublished", "discarded",
    }  # fmt: skip


# --- the full sweep: role × action × state over HTTP ---------------------------------------------


ALLOWED_FROM = {
    "submit": {"draft", "changes_requested"},
    "approve": {"in_review"},
    "request_changes": {"in_review"},
    "discard": {"draft", "changes_requested", "approved"},
    "revert": {"published", "superseded", "unpublished"},
    "new_version": {"published", "superseded", "unpublished"},
    "unpublish": {"published"},
}


MAY = {
    "editor": {"submit", "discard", "revert", "new_version"},
    "moderator": set(ALLOWED_FROM),
    "moderator who is the author": set(ALLOWED_FROM) - {"approve"},
    "superuser": set(ALLOWED_FROM),
    "staff without permissions": set(),
}


SWEEP_ROLES = list(MAY)


SWEEP_STATES = [state.value for state in VersionState]


def expected_status(role, action, state):
    if role == "staff without permissions":
        return 403  # may not even view the item
    if state not in ALLOWED_FROM[action]:
        return 400
    if action not in MAY[role] or (role == "editor" and action == "discard" and
                                   state == "approved"):  # fmt: skip
        return 403
    return 302


@pytest.mark.parametrize("role", SWEEP_ROLES)
@pytest.mark.parametrize("action", list(ALLOWED_FROM))
@pytest.mark.parametrize("state", SWEEP_STATES)
def test_role_action_state_sweep_over_http(client, role, action, state):
    author = (
        make_moderator("actor") if role == "moderator who is the author" else make_editor("author")
    )
    actor = author if role == "moderator who is the author" else ROLES[role]()
    version = TherapyArticleVersionFactory(state=state, author=author)
    url = (
        admin_url(version.item, "item_workflow", action)
        if action in ("new_version", "unpublish")
        else action_url(version, action)
    )
    login(client, actor)
    response = client.post(url, {"comment": "Checked against PMID 26027431."})
    assert response.status_code == expected_status(role, action, state)
    version.refresh_from_db()
    if response.status_code != 302:
        assert version.state == state
        assert version.item.versions.count() == 1


def test_change_form_queries_do_not_grow_with_the_number_of_versions(client):
    def item_with(count):
        first = TherapyArticleVersionFactory(state="superseded")
        for _ in range(count - 2):
            TherapyArticleVersionFactory(item=first.item, state="superseded")
        TherapyArticleVersionFactory(item=first.item, state="published")
        return first.item

    login(client, make_moderator())
    few, many = item_with(2), item_with(12)

    def queries(item):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(admin_url(item, "change")).status_code == 200
        return len(captured)

    queries(few)  # warm the per-process caches (content types) first
    assert queries(many) == queries(few)
