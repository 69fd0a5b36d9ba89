"""A trial note as an HL7 FHIR R4 ResearchStudy (/api/v1/trials/<NCT>/fhir).

Built from the API's record of the note (therapies/opendata.py), so it says what the note
says. Written as plain JSON rather than with the `fhir.resources` models, which the tests
use to validate it: one resource of a dozen elements does not justify loading pydantic
models of the whole FHIR specification in every web process.

FHIR R4's ResearchStudy has no element for an intervention: the interventions are its
`focus` ("the medication(s) … or other interventions that the study is seeking to gain more
information about") and each arm's `description` names those it gives.
"""

from __future__ import annotations

from django.conf import settings

FHIR_VERSION = "4.0.1"
CONTENT_TYPE = "application/fhir+json; fhirVersion=4.0"
NCT_SYSTEM = "https://clinicaltrials.gov"
PHASE_SYSTEM = "http://terminology.hl7.org/CodeSystem/research-study-phase"
STATUS_EXTENSION = "/fhir/StructureDefinition/registry-overall-status"

# ClinicalTrials.gov's overallStatus → ResearchStudy.status (a required binding). Where FHIR
# has no equivalent the closest true statement is used, and the registry's own value is
# always kept in the registry-overall-status extension.
STATUS = {
    "NOT_YET_RECRUITING": "approved",
    "RECRUITING": "active",
    "ENROLLING_BY_INVITATION": "active",
    "ACTIVE_NOT_RECRUITING": "closed-to-accrual",
    "SUSPENDED": "temporarily-closed-to-accrual",
    "TERMINATED": "administratively-completed",
    "COMPLETED": "completed",
    "WITHDRAWN": "withdrawn",
    # Expanded access records.
    "AVAILABLE": "active",
    "TEMPORARILY_NOT_AVAILABLE": "temporarily-closed-to-accrual",
    "NO_LONGER_AVAILABLE": "closed-to-accrual",
    "APPROVED_FOR_MARKETING": "closed-to-accrual",
    # Past its completion date and not verified for two years: accrual has surely ended.
    "UNKNOWN": "closed-to-accrual",
    "WITHHELD": "approved",
}
NOT_RECORDED_STATUS = "approved"  # a note whose registry status is not recorded yet

PHASE = {
    "NA": "n-a",
    "EARLY_PHASE1": "early-phase-1",
    "PHASE1": "phase-1",
    "PHASE1_PHASE2": "phase-1-phase-2",
    "PHASE2": "phase-2",
    "PHASE2_PHASE3": "phase-2-phase-3",
    "PHASE3": "phase-3",
    "PHASE4": "phase-4",
}


def _text(value: str) -> dict:
    return {"text": value}


def _arm(arm: dict) -> dict:
    entry = {"name": arm["label"] or "Arm"}
    if arm.get("type"):
        entry["type"] = _text(arm["type"].replace("_", " ").capitalize())
    if arm.get("interventions"):
        entry["description"] = "; ".join(arm["interventions"])
    return entry


def _artifact(citation: dict) -> dict:
    artifact = {
        "type": "citation",
        "url": citation["url"] or None,
        "display": citation["label"] or citation["id"],
        "citation": citation["supports"] or None,
    }
    return {name: value for name, value in artifact.items() if value}


def research_study(record: dict) -> dict:
    """The ResearchStudy of one trial-note record (an opendata record of kind "trial")."""
    status = record["overall_status"]["code"] if record["overall_status"] else ""
    study = {
        "resourceType": "ResearchStudy",
        "id": record["nct_id"],
        "meta": {"versionId": str(record["version"]), "lastUpdated": record["published_at"]},
        "extension": [
            {
                "url": f"{settings.SITE_URL}{STATUS_EXTENSION}",
                "valueString": status or "not recorded",
            }
        ],
        "identifier": [{"use": "official", "system": NCT_SYSTEM, "value": record["nct_id"]}],
        "title": record["title"],
        "status": STATUS.get(status, NOT_RECORDED_STATUS),
        "description": record["summary"],
        "condition": [_text(condition) for condition in record["conditions"]],
        "focus": [_text(intervention) for intervention in record["interventions"]],
        "arm": [_arm(arm) for arm in record["arms"]],
        "relatedArtifact": [
            {
                "type": "documentation",
                "display": "This trial note on the portal",
                "url": record["links"]["page"],
            },
            {
                "type": "documentation",
                "display": "The registry record",
                "url": record["registry_url"],
            },
            *(_artifact(citation) for citation in record["citations"]),
        ],
    }
    if record["phase"] and record["phase"]["code"] in PHASE:
        code = PHASE[record["phase"]["code"]]
        study["phase"] = {
            "coding": [{"system": PHASE_SYSTEM, "code": code}],
            "text": record["phase"]["label"],
        }
    if record["sponsor"]:
        study["sponsor"] = {"display": record["sponsor"]}
    period = {
        "start": record["start_date"],
        "end": record["completion_date"] or record["primary_completion_date"],
    }
    if period := {name: value for name, value in period.items() if value}:
        study["period"] = period
    # FHIR forbids empty arrays: an element with nothing in it is left out.
    return {name: value for name, value in study.items() if value not in ([], "", None)}
