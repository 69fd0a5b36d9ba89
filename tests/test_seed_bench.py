"""`manage.py seed_bench`: a large catalogue for benchmarks, written in bulk, that the portal
cannot tell from content that went through the workflow — and that no reader can mistake for
real content."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import TherapyArticleVersionFactory
from therapies.management.commands import seed_bench
from therapies.markdown import html_to_text, render_markdown
from therapies.models import (
    CONTENT_KINDS,
    IN_PROGRESS_STATES,
    CancerType,
    Citation,
    CombinationEntry,
    CombinationEntryVersion,
    EvidenceLevel,
    OverallStatus,
    TherapyArticle,
    TherapyArticleVersion,
    TherapyClass,
    TrialNote,
    TrialNoteVersion,
    TrialPhase,
    VersionState,
)
from therapies.validators import validate_partial_date

pytestmark = pytest.mark.django_db

SIZES = {"therapies": 5, "combinations": 8, "trials": 30}
VERSION_MODELS = [TherapyArticleVersion, CombinationEntryVersion, TrialNoteVersion]  # seeded kinds


def seed(**options):
    """Run the command quietly with the small sizes; return what it printed."""
    out = StringIO()
    call_command("seed_bench", **{**SIZES, "seed": 3, **options}, stdout=out, verbosity=0)
    return out.getvalue()


@pytest.fixture
def seeded():
    seed()


def all_versions():
    return [version for model in VERSION_MODELS for version in model.objects.order_by("pk")]


def states_by_item(version_model) -> dict[int, list[str]]:
    """Each item's version states, oldest first."""
    found = {}
    for item_id, state in version_model.objects.order_by("number").values_list("item", "state"):
        found.setdefault(item_id, []).append(state)
    return found


def snapshot() -> dict:
    counts = {model.__name__: model.objects.count() for model in CONTENT_KINDS.values()}
    counts.update({model.__name__: model.objects.count() for model in VERSION_MODELS})
    counts["users"] = get_user_model().objects.count()
    counts["citations"] = Citation.objects.count()
    counts["cancer types"] = CancerType.objects.count()
    return counts


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- what it writes ------------------------------------------------------------------------------


def test_creates_the_requested_number_of_items_of_each_kind(seeded):
    assert TherapyArticle.objects.count() == 5
    assert CombinationEntry.objects.count() == 8
    assert TrialNote.objects.count() == 30


def test_prints_a_summary_and_shows_progress_on_stderr():
    out, err = StringIO(), StringIO()
    call_command("seed_bench", **SIZES, stdout=out, stderr=err)
    assert "Seeded 5 therapy articles" in out.getvalue()
    assert "8 combination entries" in out.getvalue() and "30 trial notes" in out.getvalue()
    assert "\r[" in err.getvalue() and "43/43 items" in err.getvalue()


def test_everything_is_recognisably_synthetic(seeded):
    for item_model in (TherapyArticle, CombinationEntry):
        assert all(slug.startswith("bench-") for (slug,) in item_model.objects.values_list("slug"))
    assert all(
        "NCT90000000" <= nct_id <= "NCT99999999"
        for nct_id in TrialNote.objects.values_list("nct_id", flat=True)
    )
    for version in all_versions():
        assert version.title.endswith(" [synthetic]")
        assert version.summary.startswith("Synthetic benchmark record")
        assert "synthetic benchmark record" in version.body_text
    for citation in Citation.objects.all():
        assert int(citation.value) >= 90_000_000
        assert citation.label.startswith("Synthetic reference")
    for username in ("bench-editor", "bench-moderator"):
        user = get_user_model().objects.get(username=username)
        assert user.is_staff and not user.has_usable_password()


def test_most_items_are_published_some_with_history_a_draft_or_unpublished(seeded):
    histories = [states for model in VERSION_MODELS for states in states_by_item(model).values()]
    published = [states for states in histories if VersionState.PUBLISHED in states]
    assert len(published) / len(histories) >= 0.9
    assert any(VersionState.SUPERSEDED in states for states in published)
    assert any(set(states) & set(IN_PROGRESS_STATES) for states in published)
    assert any(states == [VersionState.UNPUBLISHED] for states in histories)
    assert any(len(states) == 1 and states[0] in IN_PROGRESS_STATES for states in histories)


def test_versions_keep_the_workflow_constraints_and_timeline(seeded):
    for model in VERSION_MODELS:
        for item_id, states in states_by_item(model).items():
            versions = list(model.objects.filter(item_id=item_id).order_by("number"))
            assert [version.number for version in versions] == list(range(1, len(versions) + 1))
            assert states.count(VersionState.PUBLISHED) <= 1
            assert sum(state in IN_PROGRESS_STATES for state in states) <= 1
            once_published = [version for version in versions if version.published_at]
            # Older versions were published before newer ones.
            assert once_published == sorted(once_published, key=lambda v: v.published_at)
            for version in versions:
                if version.state in IN_PROGRESS_STATES:
                    assert version.published_at is None and version.approved_at is None
                    continue
                assert version.reviewed_by.username == "bench-moderator"
                assert version.submitted_at < version.approved_at == version.published_at
                assert version.created_at < version.submitted_at


def test_every_version_has_its_body_rendered_and_cites_sources(seeded):
    for version in all_versions():
        assert version.body_html == render_markdown(version.body)
        assert version.body_text == html_to_text(version.body_html)
        links = list(version.citation_links.order_by("position"))
        assert 1 <= len(links) <= 4
        assert [link.position for link in links] == list(range(len(links)))
    bodies = " ".join(version.body_html for version in all_versions())
    for element in ("<h2", "<table>", "<ul>", '<a href="https://'):
        assert element in bodies


def test_versions_pass_model_validation(seeded):
    # search_vector is derived (and empty on SQLite); everything else is validated.
    for version in all_versions():
        version.full_clean(exclude=["search_vector"])


def test_trial_fields_are_drawn_from_registry_vocabularies(seeded):
    versions = list(TrialNoteVersion.objects.all())
    for version in versions:
        assert version.phase in TrialPhase.values
        assert version.overall_status in [*OverallStatus.values, ""]
        assert 1 <= len(version.conditions) <= 4
        assert 1 <= len(version.interventions) <= 4
        assert version.sponsor
        for date in (version.start_date, version.primary_completion_date):
            if date:
                validate_partial_date(date)
        if version.start_date:
            assert 1995 <= int(version.start_date[:4]) <= 2026
    phases = Counter(version.phase for version in versions)
    assert phases[TrialPhase.PHASE2] + phases[TrialPhase.PHASE1] > len(versions) / 3
    interventions = {name for version in versions for name in version.interventions}
    assert interventions & {"pembrolizumab", "nivolumab", "ipilimumab", "atezolizumab"}


def test_therapy_and_combination_fields_are_valid_choices(seeded):
    for version in TherapyArticleVersion.objects.all():
        assert version.therapy_class in TherapyClass.values
        assert version.evidence_level in [*EvidenceLevel.values, ""]
        assert 1 <= len(version.key_agents) <= 3
        assert version.cancer_types.exists()
    trial_ids = set(TrialNote.objects.values_list("nct_id", flat=True))
    for version in CombinationEntryVersion.objects.all():
        assert version.evidence_level in EvidenceLevel.values
        assert set(version.key_trials) <= trial_ids


def test_links_point_to_published_bench_items(seeded):
    published_therapies = set(TherapyArticle.objects.published().values_list("pk", flat=True))
    published_combinations = set(CombinationEntry.objects.published().values_list("pk", flat=True))
    for version in CombinationEntryVersion.objects.all():
        linked = set(version.therapies.values_list("pk", flat=True))
        assert 2 <= len(linked) <= 3 and linked <= published_therapies
    trials_with_links = 0
    for version in TrialNoteVersion.objects.all():
        therapies = set(version.therapies.values_list("pk", flat=True))
        combinations = set(version.combinations.values_list("pk", flat=True))
        assert len(therapies) <= 3 and therapies <= published_therapies
        assert len(combinations) <= 2 and combinations <= published_combinations
        trials_with_links += bool(therapies)
    assert trials_with_links


def test_same_seed_gives_the_same_titles():
    def titles():
        return [version.title for version in all_versions()]

    seed()
    first = titles()
    for item_model in CONTENT_KINDS.values():
        item_model.objects.all().delete()
    seed()
    assert titles() == first
    for item_model in CONTENT_KINDS.values():
        item_model.objects.all().delete()
    seed(seed=4)
    assert titles() != first


# --- the public site ---------------------------------------------------------------------------


def only_draft_titles() -> list[str]:
    return [
        version.title
        for model in VERSION_MODELS
        for version in model.objects.all()
        if not model.objects.filter(item=version.item, published_at__isnull=False).exists()
    ]


@pytest.mark.parametrize("url,version_model", [
    ("/", TherapyArticleVersion),
    ("/therapies/", TherapyArticleVersion),
    ("/trials/", TrialNoteVersion),
])  # fmt: skip
def test_public_pages_show_seeded_content_and_never_a_draft(client, seeded, url, version_model):
    content = text(client.get(url))
    published = version_model.objects.published().values_list("title", flat=True)
    assert any(title in content for title in published)
    hidden = only_draft_titles()
    assert hidden  # the seeded data has items that were never published
    for title in hidden:
        assert title not in content


def test_trial_detail_pages_show_published_notes_only(client, seeded):
    published = TrialNoteVersion.objects.published().select_related("item").first()
    content = text(client.get(published.item.get_absolute_url()))
    assert published.title in content and published.item.nct_id in content
    never_published = TrialNote.objects.exclude(versions__published_at__isnull=False).first()
    assert client.get(never_published.get_absolute_url()).status_code == 404


def test_search_finds_a_seeded_title_word(client, seeded):
    version = TrialNoteVersion.objects.published().first()
    code = version.title.split("(")[-1].split(")")[0]  # the bench code, e.g. SYN000012
    content = text(client.get("/search/", {"q": code}))
    assert version.title in content
    draft = TrialNoteVersion.objects.filter(title__in=only_draft_titles()).first()
    draft_code = draft.title.split("(")[-1].split(")")[0]
    assert draft.title not in text(client.get("/search/", {"q": draft_code}))


# --- safety: never into a real catalogue, never half an item ----------------------------------


def test_refuses_a_database_with_content_unless_forced():
    real = TherapyArticleVersionFactory(state="published", title="A real article")
    before = snapshot()
    with pytest.raises(CommandError, match="already holds content"):
        seed()
    assert snapshot() == before

    seed(force=True)
    assert TherapyArticle.objects.count() == 1 + SIZES["therapies"]
    assert TherapyArticle.objects.get(pk=real.item_id).published.title == "A real article"
    # Invented combinations and trials never link to the real article.
    assert not real.item.combination_versions.exists()
    assert not real.item.trial_versions.exists()


def test_forced_second_run_continues_the_numbering(seeded):
    keys = set(TrialNote.objects.values_list("nct_id", flat=True))
    slugs = set(TherapyArticle.objects.values_list("slug", flat=True))
    seed(force=True)
    assert TrialNote.objects.count() == 2 * SIZES["trials"]
    assert len(set(TrialNote.objects.values_list("nct_id", flat=True)) - keys) == 30
    assert len(set(TherapyArticle.objects.values_list("slug", flat=True)) - slugs) == 5


def test_a_failing_batch_leaves_none_of_its_items(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(seed_bench.Command, "write_links", fail)
    with pytest.raises(RuntimeError):
        seed()
    assert not TherapyArticle.objects.exists()
    assert not TherapyArticleVersion.objects.exists()


# --- PostgreSQL full-text search -------------------------------------------------------------


@pytest.mark.parametrize("version_model", VERSION_MODELS)
def test_search_vector_equals_what_the_workflow_stores(seeded, version_model):
    if connection.vendor != "postgresql":
        pytest.skip("the stored tsvector exists on PostgreSQL only")
    for state in (VersionState.PUBLISHED, *IN_PROGRESS_STATES):
        version = version_model.objects.filter(state=state).first()
        if version is None:
            continue
        seeded_vector = version.search_vector
        assert seeded_vector
        version.save()  # the vector written with the row, as by every workflow save
        version.refresh_from_db()
        assert version.search_vector == seeded_vector
