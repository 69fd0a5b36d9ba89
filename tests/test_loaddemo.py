"""`manage.py loaddemo`: real, cited demo content and demo users, loaded idempotently."""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from therapies import ctgov, importer, registry
from therapies.models import (
    CONTENT_KINDS,
    AuditEvent,
    Citation,
    CombinationEntry,
    RegistrySnapshot,
    TherapyArticle,
    TherapyArticleVersion,
    TherapyClass,
    TrialNote,
)

pytestmark = pytest.mark.django_db

LANDMARK_TRIALS = {
    "NCT01844505": "PHASE3",  # CheckMate 067
    "NCT01866319": "PHASE3",  # KEYNOTE-006
    "NCT02348216": "PHASE1_PHASE2",  # ZUMA-1
    "NCT02435849": "PHASE2",  # ELIANA
    "NCT02278887": "PHASE3",  # TIL versus ipilimumab
    "NCT00065442": "PHASE3",  # IMPACT (sipuleucel-T)
}


@pytest.fixture
def demo(db):
    call_command("loaddemo", verbosity=0)


def snapshot():
    counts = {name: model.objects.count() for name, model in CONTENT_KINDS.items()}
    counts.update(
        {name: model.version_model().objects.count() for name, model in CONTENT_KINDS.items()}
    )
    counts["users"] = get_user_model().objects.count()
    counts["citations"] = Citation.objects.count()
    counts["events"] = AuditEvent.objects.count()
    return counts


def test_loaddemo_is_idempotent(demo):
    before = snapshot()
    call_command("loaddemo", verbosity=0)
    assert snapshot() == before


def test_if_empty_skips_a_database_with_content(demo):
    before = snapshot()
    call_command("loaddemo", "--if-empty", verbosity=0)
    assert snapshot() == before


def test_migrations_create_no_users():
    assert get_user_model().objects.count() == 0


def test_demo_users_and_roles(demo, client):
    User = get_user_model()
    for username in ["editor", "editor2", "moderator", "moderator2", "admin"]:
        assert client.login(username=username, password="demo"), username
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="editor").groups.filter(name="Editors").exists()
    assert User.objects.get(username="moderator").has_perm(
        "therapies.approve_therapyarticleversion"
    )
    assert not User.objects.get(username="editor").has_perm(
        "therapies.approve_therapyarticleversion"
    )


def test_published_therapies_cover_the_main_classes(demo):
    published = TherapyArticle.objects.published()
    assert published.count() >= 6
    classes = {item.published.therapy_class for item in published}
    assert {
        TherapyClass.CHECKPOINT_INHIBITOR,
        TherapyClass.CAR_T,
        TherapyClass.ADOPTIVE_CELL_TRANSFER,
        TherapyClass.CANCER_VACCINE,
        TherapyClass.CYTOKINE,
    } <= classes


def test_published_combinations_include_the_required_pairs(demo):
    published = CombinationEntry.objects.published()
    assert published.count() >= 3
    pairs = {
        frozenset(item.published.therapies.values_list("versions__therapy_class", flat=True))
        for item in published
    }
    assert frozenset({"checkpoint_inhibitor", "adoptive_cell_transfer"}) in pairs
    assert frozenset({"cancer_vaccine", "cytokine"}) in pairs
    agents = [
        set().union(*(t.published.key_agents for t in item.published.therapies.all()))
        for item in published
    ]
    assert any({"nivolumab", "ipilimumab"} <= combo for combo in agents)


def test_landmark_trials_with_their_true_ids_and_phases(demo):
    published = {item.nct_id: item.published for item in TrialNote.objects.published()}
    assert len(published) >= 8
    for nct_id, phase in LANDMARK_TRIALS.items():
        assert published[nct_id].phase == phase


def test_every_published_version_cites_its_sources_and_validates(demo):
    for kind, model in CONTENT_KINDS.items():
        # An ongoing trial has no paper yet: its registry record is the source of its design.
        sources = {"pmid", "doi", "nct"} if kind == "trial" else {"pmid", "doi"}
        for item in model.objects.published():
            version = item.published
            version.full_clean()
            kinds = set(version.citation_links.values_list("citation__kind", flat=True))
            assert kinds & sources, f"{item} cites no PubMed ID or DOI"
            if kind == "trial":
                assert ("nct", item.nct_id) in version.citation_links.values_list(
                    "citation__kind", "citation__value"
                )
    for citation in Citation.objects.all():
        citation.full_clean()


def test_the_workflow_has_something_to_show(demo):
    states = set()
    for model in CONTENT_KINDS.values():
        states |= set(model.version_model().objects.values_list("state", flat=True))
    assert {"draft", "in_review", "changes_requested", "approved", "published",
            "superseded"} <= states  # fmt: skip
    with_history = TherapyArticle.objects.published().filter(versions__state="superseded")
    assert with_history.distinct().count() >= 2
    sent_back = TherapyArticleVersion.objects.get(state="changes_requested")
    assert sent_back.review_comment


def test_unpublished_demo_items_answer_404(demo, client):
    for model in CONTENT_KINDS.values():
        for item in model.objects.exclude(versions__state="published"):
            assert client.get(item.get_absolute_url()).status_code == 404


def test_home_page_shows_the_demo(demo, client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"CheckMate 067" in response.content


def test_the_demo_s_changelog_and_condition_counts_equal_a_rebuild(demo):
    from therapies import catalog
    from therapies.models import ChangelogEntry, TrialCondition

    def derived():
        return (set(ChangelogEntry.objects.values_list("kind", "version_id", "visible")),
                dict(TrialCondition.objects.values_list("name", "trials")))  # fmt: skip

    kept = derived()
    catalog.rebuild_derived()
    assert derived() == kept and kept[1]["Melanoma"] >= 1


@pytest.mark.parametrize("nct_id,facts", [
    # OPTiM: 439 had been typed, the sponsor left blank.
    ("NCT00769704", {"enrollment": 437, "enrollment_type": "ACTUAL", "sponsor": "BioVex Limited",
                     "collaborators": ["Amgen"], "results_posted": True,
                     "interventions": ["Biological: Talimogene laherparepvec",
                                       "Biological: GM-CSF"]}),
    ("NCT00019682", {"enrollment": 185}),  # gp100 + IL-2: had been left blank
])  # fmt: skip
def test_demo_trial_facts_are_those_the_registry_gives(demo, nct_id, facts):
    """The registry facts a fact-check of the demo found wrong or missing, as an import of
    the record gives them (issue 11)."""
    version = TrialNote.objects.published().get(nct_id=nct_id).published
    assert {name: getattr(version, name) for name in facts} == facts


def test_the_demo_s_imported_note_is_what_an_import_of_its_record_gives(demo):
    """The demo loads one note through the registry import; importing the same record again
    changes nothing, and the published note holds the record's facts."""
    path = Path(__file__).parent / "data" / "ctgov" / "NCT04267848.json"
    note = TrialNote.objects.published().get(nct_id="NCT04267848")
    before = snapshot()

    result = importer.run(ctgov.read([path]))

    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert snapshot() == before
    version = note.published
    assert registry.fields_of(version) == registry.version_fields(
        ctgov.parse(json.loads(path.read_text()))
    )
    assert version.author.username == "ctgov-import"
    assert version.last_edited_by.username == "editor"  # who wrote the note and submitted it
    assert version.body != registry.PLACEHOLDER_BODY.format(nct_id="NCT04267848")
    assert list(version.therapies.values_list("slug", flat=True)) == [
        "anti-pd-1-pd-l1-antibodies"  # pembrolizumab, a key agent of the article
    ]
    assert RegistrySnapshot.objects.get(nct_id="NCT04267848").applied_facts is not None
