"""The content model: versioned items, the single-published-version guarantee, validation."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import (
    VERSION_FACTORIES,
    CitationFactory,
    CombinationEntryVersionFactory,
    TherapyArticleFactory,
    TherapyArticleVersionFactory,
    TrialNoteFactory,
    TrialNoteVersionFactory,
)
from therapies.models import Citation, TherapyArticle, TrialNote, TrialNoteVersion
from therapies.validators import validate_doi, validate_nct_id, validate_partial_date, validate_pmid

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["therapy", "combination", "trial"])
def test_database_refuses_a_second_published_version(kind):
    factory = VERSION_FACTORIES[kind]
    first = factory(state="published")
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(item=first.item, state="published")


@pytest.mark.parametrize("kind", ["therapy", "combination", "trial"])
def test_database_refuses_a_second_published_version_by_raw_update(kind):
    factory = VERSION_FACTORIES[kind]
    first = factory(state="published")
    second = factory(item=first.item, state="superseded")
    with pytest.raises(IntegrityError), transaction.atomic():
        type(second).objects.filter(pk=second.pk).update(state="published")


def test_published_versions_of_different_items_coexist():
    TherapyArticleVersionFactory(state="published")
    TherapyArticleVersionFactory(state="published")
    assert TherapyArticle.objects.published().count() == 2


def test_database_refuses_two_versions_in_progress():
    draft = TherapyArticleVersionFactory(state="draft")
    with pytest.raises(IntegrityError), transaction.atomic():
        TherapyArticleVersionFactory(item=draft.item, state="in_review")


def test_database_refuses_an_unknown_state():
    version = TherapyArticleVersionFactory(state="published")
    with pytest.raises(IntegrityError), transaction.atomic():
        type(version).objects.filter(pk=version.pk).update(state="live")


def test_item_exposes_its_published_version_and_its_versions():
    old = TherapyArticleVersionFactory(state="superseded", title="Old")
    live = TherapyArticleVersionFactory(item=old.item, state="published", title="Live")
    draft = TherapyArticleVersionFactory(item=old.item, state="draft", title="Next")
    item = old.item
    assert item.published == live
    assert list(item.versions.all()) == [draft, live, old]
    assert [v.number for v in item.versions.all()] == [3, 2, 1]
    assert item.in_progress == draft
    assert item.latest == draft


def test_item_without_a_published_version():
    version = TherapyArticleVersionFactory(state="in_review")
    assert version.item.published is None
    assert TherapyArticle.objects.published().count() == 0


def test_published_queryset_reads_only_published_versions(django_assert_num_queries):
    for _ in range(3):
        live = TherapyArticleVersionFactory(state="published", title="Live text")
        TherapyArticleVersionFactory(item=live.item, state="draft", title="Draft text")
    with django_assert_num_queries(2):
        titles = [item.published.title for item in TherapyArticle.objects.published()]
    assert titles == ["Live text"] * 3


def test_every_version_has_title_summary_and_a_rendered_markdown_body():
    for factory in VERSION_FACTORIES.values():
        version = factory(body="Some **bold** claim.")
        assert version.title and version.summary
        assert version.body_html == "<p>Some <strong>bold</strong> claim.</p>"


def test_links_point_at_items_and_survive_new_versions():
    combination = CombinationEntryVersionFactory(state="published")
    therapy = combination.therapies.first()
    TherapyArticleVersionFactory(item=therapy, state="draft")
    assert combination.therapies.filter(pk=therapy.pk).exists()
    assert therapy.combination_versions.filter(pk=combination.pk).exists()


# --- identifiers -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["NCT01844505", "NCT00000001"])
def test_nct_id_valid(value):
    validate_nct_id(value)


@pytest.mark.parametrize(
    "value",
    ["", "NCT123", "NCT0184450", "NCT018445050", "nct01844505", "NCT0184450A", " NCT01844505"],
)
def test_nct_id_invalid(value):
    with pytest.raises(ValidationError):
        validate_nct_id(value)


@pytest.mark.parametrize("value", ["26027431", "1", "123456789"])
def test_pmid_valid(value):
    validate_pmid(value)


@pytest.mark.parametrize("value", ["", "0", "0123", "PMID26027431", "2602743a", "1234567890", "-5"])
def test_pmid_invalid(value):
    with pytest.raises(ValidationError):
        validate_pmid(value)


@pytest.mark.parametrize(
    "value", ["10.1056/NEJMoa1504030", "10.1200/JCO.2014.58.3377", "10.1016/S0140-6736(24)00319-2"]
)
def test_doi_valid(value):
    validate_doi(value)


@pytest.mark.parametrize(
    "value", ["", "10.1056", "NEJMoa1504030", "11.1056/NEJMoa1504030", "10.12/x", "10.1056/ a b"]
)
def test_doi_invalid(value):
    with pytest.raises(ValidationError):
        validate_doi(value)


@pytest.mark.parametrize("value", ["2019", "2019-03", "2019-03-15", "2020-02-29"])
def test_partial_dates_valid(value):
    validate_partial_date(value)


@pytest.mark.parametrize(
    "value", ["", "19", "2019-3", "2019-13", "2019-00", "2019-02-30", "2021-02-29", "03-2019",
              "2019/03", "2019-03-15T00:00"]
)  # fmt: skip
def test_partial_dates_invalid(value):
    with pytest.raises(ValidationError):
        validate_partial_date(value)


def test_trial_version_accepts_partial_dates_and_rejects_bad_ones():
    version = TrialNoteVersionFactory(start_date="2019-03", primary_completion_date="2024")
    version.full_clean()
    version.start_date = "2019-14"
    with pytest.raises(ValidationError) as error:
        version.full_clean()
    assert "start_date" in error.value.message_dict


def test_trial_note_nct_id_is_validated_and_unique():
    with pytest.raises(ValidationError):
        TrialNote(nct_id="NCT123").full_clean()
    TrialNoteFactory(nct_id="NCT01844505")
    with pytest.raises(ValidationError):
        TrialNote(nct_id="NCT01844505").full_clean()


def test_database_refuses_a_malformed_nct_id():
    with pytest.raises(IntegrityError), transaction.atomic():
        TrialNote.objects.create(nct_id="BAD")


def test_trial_phase_and_status_use_clinicaltrials_gov_enumerations():
    version = TrialNoteVersionFactory(phase="PHASE1_PHASE2", overall_status="ACTIVE_NOT_RECRUITING")
    version.full_clean()
    version.overall_status = "Active"
    with pytest.raises(ValidationError):
        version.full_clean()
    assert "PHASE3" in TrialNoteVersion._meta.get_field("phase").flatchoices[6]


@pytest.mark.parametrize(
    "kind,value,stored",
    [
        ("pmid", "26027431", "26027431"),
        ("doi", "10.1056/NEJMoa1504030", "10.1056/NEJMoa1504030"),
        ("doi", "https://doi.org/10.1056/NEJMoa1504030", "10.1056/NEJMoa1504030"),
        ("nct", "NCT01844505", "NCT01844505"),
        ("url", "https://www.cancer.gov/about-cancer/treatment/types/immunotherapy",
         "https://www.cancer.gov/about-cancer/treatment/types/immunotherapy"),
    ],
)  # fmt: skip
def test_citation_accepts_each_kind(kind, value, stored):
    citation = Citation(kind=kind, value=value, label="x")
    citation.full_clean()
    assert citation.value == stored


@pytest.mark.parametrize(
    "kind,value",
    [("pmid", "abc"), ("doi", "doi.org/xyz"), ("nct", "NCT1"), ("url", "javascript:alert(1)"),
     ("url", "ftp://example.org/x")],
)  # fmt: skip
def test_citation_rejects_bad_identifiers(kind, value):
    with pytest.raises(ValidationError):
        Citation(kind=kind, value=value).full_clean()


def test_citation_links_to_its_source():
    assert CitationFactory(kind="pmid", value="26027431").url == (
        "https://pubmed.ncbi.nlm.nih.gov/26027431/"
    )
    assert CitationFactory(kind="doi", value="10.1056/NEJMoa1504030").url == (
        "https://doi.org/10.1056/NEJMoa1504030"
    )
    assert CitationFactory(kind="nct", value="NCT01844505").url == (
        "https://clinicaltrials.gov/study/NCT01844505"
    )


def test_key_trials_must_be_nct_ids():
    version = CombinationEntryVersionFactory(key_trials=["NCT01844505", "not-a-trial"])
    with pytest.raises(ValidationError) as error:
        version.full_clean()
    assert "key_trials" in error.value.message_dict


def test_slug_is_unique():
    TherapyArticleFactory(slug="car-t")
    with pytest.raises(IntegrityError), transaction.atomic():
        TherapyArticleFactory(slug="car-t")


@pytest.mark.parametrize("value", ["NCT01844505\n", "NCT０１８４４５０５", "NCT0184450٥"])
def test_nct_id_rejects_trailing_newlines_and_non_ascii_digits(value):
    with pytest.raises(ValidationError):
        validate_nct_id(value)


def test_a_url_citation_never_links_to_script():
    citation = Citation(kind="url", value="javascript:alert(1)")
    assert citation.url == ""


def test_version_models_declare_the_workflow_permissions():
    for factory in VERSION_FACTORIES.values():
        model = factory._meta.model
        codenames = {codename for codename, _ in model._meta.permissions}
        name = model._meta.model_name
        actions = ["submit", "approve", "request_changes", "schedule", "unpublish", "discard"]
        assert {f"{action}_{name}" for action in actions} <= codenames
