"""The demo's content checks itself (issue 16): every published version of every kind, as
`loaddemo` leaves it, is walked and must

- match the registry: a trial note whose ClinicalTrials.gov record is shipped with the
  portal (`therapies/demo_records/`) has exactly the registry facts that record gives;
- tie every number to a source: no sentence stating a number without a citation marker in
  its sentence or paragraph (`therapies/claims.py`);
- cite well-formed sources: every citation is a valid PubMed ID, DOI, NCT ID or address, and
  every marker in the text names one of the version's citations;
- say each key agent's approval status: every therapy article has a status row for each of
  its key agents.
"""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from therapies import claims, ctgov, kinds, registry
from therapies.citations import number_markers, references
from therapies.markdown import cited_in
from therapies.models import TrialNoteVersion

pytestmark = pytest.mark.django_db

RECORDS = Path(__file__).resolve().parent.parent / "therapies" / "demo_records"


@pytest.fixture
def published(db):
    """Every published version of the demo."""
    call_command("loaddemo", verbosity=0)
    versions = []
    for kind in kinds.all_kinds():
        versions += list(
            kind.version_model.objects.published()
            .select_related("item")
            .prefetch_related("citation_links__citation__same_as")
        )
    return versions


def name(version) -> str:
    return f"{kinds.of(version).name} {version.item.key} v{version.number}"


def test_the_demo_publishes_every_kind(published):
    assert {kinds.of(version).name for version in published} >= {"therapy", "combination",
                                                                  "trial"}  # fmt: skip


def test_every_key_agent_of_a_therapy_article_has_its_approval_status(published):
    missing = {}
    for version in published:
        if kinds.of(version).name != "therapy":
            continue
        rows = {row["agent"].lower() for row in version.regulatory_status}
        statuses = {row["status"] for row in version.regulatory_status}
        without = [agent for agent in version.key_agents if agent.lower() not in rows]
        if without or not statuses <= {"approved", "accelerated", "withdrawn",
                                        "investigational"}:  # fmt: skip
            missing[name(version)] = without
    assert missing == {}


def test_every_trial_note_with_a_shipped_record_has_its_registry_facts(published):
    shipped = {path.stem: path for path in RECORDS.glob("NCT*.json")}
    checked = 0
    for version in published:
        if not isinstance(version, TrialNoteVersion) or version.item.nct_id not in shipped:
            continue
        record = ctgov.parse(json.loads(shipped[version.item.nct_id].read_text("utf-8")))
        expected = registry.version_fields(record)
        own = registry.fields_of(version)
        differing = {key: (own.get(key), value) for key, value in expected.items()
                     if own.get(key) != value}  # fmt: skip
        assert not differing, (name(version), differing)
        checked += 1
    assert checked == len(shipped)


def test_every_sentence_stating_a_number_marks_its_source(published):
    uncited = {name(version): claims.uncited_numeric_sentences(version.body)
               for version in published}  # fmt: skip
    assert {key: value for key, value in uncited.items() if value} == {}


def test_every_citation_is_well_formed_and_every_marker_resolves(published):
    problems = []
    for version in published:
        links = list(version.citation_links.all())
        for link in links:
            try:
                link.citation.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                problems.append(f"{name(version)}: {link.citation}: {error.messages}")
        if cited_in(version.body_html):
            numbered = number_markers(version.body_html, references(links))
            if ">?</a>" in numbered:
                problems.append(f"{name(version)}: a marker names a source it does not cite")
    assert problems == []
