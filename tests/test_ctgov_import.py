"""The ClinicalTrials.gov import and sync (therapies/importer.py, `import_ctgov`,
`sync_ctgov`): registry records become trial-note drafts through the workflow, changes flag
what depends on a trial, and the evidence gate checks registry facts at approval. Records
are the real ones in tests/data/ctgov; the registry's API is replayed by a local server."""

import copy
import datetime
import io
import json
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    CitationFactory,
    CombinationEntryVersionFactory,
    TherapyArticleVersionFactory,
    make_editor,
    make_moderator,
    make_user,
)
from therapies import ctgov, importer, registry, trust, workflow
from therapies.models import (
    AuditEvent,
    Citation,
    ConflictOfInterestStatement,
    RecheckFlag,
    RegistrySnapshot,
    RegistrySync,
    TrialNote,
    TrialNoteVersion,
    VersionState,
)
from therapies.permissions import IMPORT_USERNAME

pytestmark = pytest.mark.django_db
_commits = None

DATA = Path(__file__).parent / "data" / "ctgov"
FULL = DATA / "NCT03934567.json"  # active, not recruiting; 87 actual; no results


def study(path: Path = FULL) -> dict:
    return json.loads(path.read_text())


def changed(record: dict | None = None, **status) -> dict:
    """A copy of `record` (NCT03934567 by default) whose registry facts moved on."""
    record = copy.deepcopy(record or study())
    protocol = record["protocolSection"]
    for key, value in status.items():
        if key == "hasResults":
            record["hasResults"] = value
        elif key in ("count",):
            protocol["designModule"]["enrollmentInfo"]["count"] = value
        else:
            protocol["statusModule"][key] = value
    protocol["statusModule"]["lastUpdatePostDateStruct"] = {"date": "2026-01-15",
                                                            "type": "ACTUAL"}  # fmt: skip
    return record


def write_ndjson(tmp_path, *records, name="records.ndjson") -> Path:
    path = tmp_path / name
    path.write_bytes(b"".join(
        (record if isinstance(record, bytes) else json.dumps(record).encode()) + b"\n"
        for record in records
    ))  # fmt: skip
    return path


@pytest.fixture(autouse=True)
def _mail_on_commit(django_capture_on_commit_callbacks):
    """Mail is sent when a transaction commits: let run_import's commits happen."""
    global _commits
    _commits = django_capture_on_commit_callbacks


def run_import(*paths, expect_failure=False) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with _commits(execute=True):
        if expect_failure:
            with pytest.raises(CommandError) as failed:
                call_command("import_ctgov", *map(str, paths), stdout=out, stderr=err)
            assert failed.value.returncode == 1
        else:
            call_command("import_ctgov", *map(str, paths), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def summary_line(out: str) -> str:
    return out.strip().splitlines()[-1]


def note(nct_id: str) -> TrialNote:
    return TrialNote.objects.get(nct_id=nct_id)


def publish(version, moderator=None):
    """An editor takes up the imported draft (writes the note, if the import's placeholder
    is still there) and submits it; a moderator approves it."""
    editor = make_editor()
    if version.body.startswith("Imported from the ClinicalTrials.gov record"):
        workflow.edit(version, by=editor, body="The editors' note on this trial.")
    workflow.submit(version, by=editor)
    workflow.approve(version, by=moderator or make_moderator())
    version.refresh_from_db()
    return version


def submit(version, editor=None):
    """An editor takes up the imported draft: writes the note and submits it."""
    editor = editor or make_editor()
    workflow.edit(version, by=editor, body="The editors' note on this trial.")
    workflow.submit(version, by=editor)
    version.refresh_from_db()
    return version


def imported(nct_id="NCT03934567", tmp_path=None, record=None) -> TrialNoteVersion:
    importer.run([("test", record or study())])
    return note(nct_id).versions.get(number=1)


# --- every shipped record, and each mapping rule -------------------------------------------------

SHIPPED = sorted(DATA.glob("*.json"))


def shipped_records() -> dict[str, ctgov.RegistryRecord]:
    """NCT ID → the record of it an import takes: the first of equal age in the shipped
    files (pages repeat some studies, one with fewer other names)."""
    found = {}
    for _, raw in ctgov.read(SHIPPED):
        record = ctgov.parse(raw)
        if record.nct_id not in found or record.last_update > found[record.nct_id].last_update:
            found[record.nct_id] = record
    return found


def test_every_shipped_record_imports_as_a_draft_by_the_import(tmp_path):
    out, err = run_import(DATA)
    records = shipped_records()
    assert err == ""
    assert summary_line(out).startswith(f"{len(records)} created, 0 updated, ")
    assert summary_line(out).endswith("0 flagged, 0 failed")
    for nct_id, record in records.items():
        version = note(nct_id).versions.get()
        assert version.state == VersionState.DRAFT
        assert version.author.username == IMPORT_USERNAME
        assert registry.fields_of(version) == registry.version_fields(record)
        assert version.registry_record == record.facts()
        cited = list(version.citation_links.values_list("citation__kind", "citation__value"))
        assert cited == [(Citation.Kind.NCT, nct_id)]  # its own record: the gate's source
        assert version.title and version.summary and version.body
        assert not TrialNote.objects.published().filter(nct_id=nct_id).exists()
        assert RegistrySnapshot.objects.get(nct_id=nct_id).facts == record.facts()


def test_an_imported_note_passes_the_evidence_gate_like_a_typed_one():
    version = imported()
    assert trust.evidence_problems(version) == []
    assert workflow.review_problems(version) == [
        "body: the import's placeholder is still there; write the editors' note."
    ]  # an editor writes the note before it can go to review
    assert registry.disagreements(version, registry.snapshot_for("NCT03934567")) == []
    publish(version)
    assert version.state == VersionState.PUBLISHED


def test_the_registry_facts_become_version_fields():
    version = imported()
    assert (version.item.nct_id, version.phase, version.study_type) == (
        "NCT03934567", "PHASE2", "INTERVENTIONAL",
    )  # fmt: skip
    assert version.brief_title.startswith("A Multi-Center Phase 2 Study to Evaluate Efficacy")
    assert version.official_title.startswith("An Open-label, Single-arm, Multi-center Phase 2")
    assert version.title == version.brief_title
    assert version.overall_status == "ACTIVE_NOT_RECRUITING"
    assert version.conditions == ["Lymphoma, Follicular"]
    assert version.interventions == ["Drug: Abexinostat"]  # with its type
    assert version.sponsor == "Xynomic Pharmaceuticals, Inc."
    assert (version.enrollment, version.enrollment_type) == (87, "ACTUAL")
    assert (version.start_date, version.start_date_type) == ("2020-04-22", "ACTUAL")
    assert (version.primary_completion_date, version.primary_completion_date_type) == (
        "2025-01-29", "ACTUAL",
    )  # fmt: skip
    assert (version.completion_date, version.completion_date_type) == ("2025-10-30", "ESTIMATED")
    assert version.results_posted is False
    assert version.registry_last_update == datetime.date(2025, 4, 10)


@pytest.mark.parametrize("phases,expected", [
    (["PHASE1", "PHASE2"], "PHASE1_PHASE2"),
    (["PHASE2", "PHASE3"], "PHASE2_PHASE3"),
    (["NA"], "NA"),
    (["EARLY_PHASE1"], "EARLY_PHASE1"),
    (["PHASE4"], "PHASE4"),
    ([], ""),
])  # fmt: skip
def test_phases_map_to_one_phase(phases, expected):
    record = study()
    record["protocolSection"]["designModule"]["phases"] = phases
    assert imported(record=record).phase == expected


def test_partial_dates_collaborators_and_results_posted_are_kept():
    record = study()
    status = record["protocolSection"]["statusModule"]
    status["startDateStruct"] = {"date": "2019-03", "type": "ESTIMATED"}
    status["primaryCompletionDateStruct"] = {"date": "2021"}
    record["protocolSection"]["sponsorCollaboratorsModule"]["collaborators"] = [
        {"name": "National Cancer Institute (NCI)", "class": "NIH"}
    ]
    record["hasResults"] = True
    version = imported(record=record)
    assert (version.start_date, version.start_date_type) == ("2019-03", "ESTIMATED")
    assert (version.primary_completion_date, version.primary_completion_date_type) == ("2021", "")
    assert version.collaborators == ["National Cancer Institute (NCI)"]
    assert version.results_posted is True


def test_an_observational_study_imports_without_a_phase():
    importer.run([("test", study(DATA / "NCT06604689.json"))])
    version = note("NCT06604689").versions.get()
    assert (version.phase, version.study_type) == ("", "OBSERVATIONAL")
    assert trust.evidence_problems(version) == []
    assert not any(p.startswith("phase") for p in workflow.review_problems(version))


def test_an_intervention_named_by_a_key_agent_links_the_therapy():
    therapy = TherapyArticleVersionFactory(state="published", key_agents=["ABEXINOSTAT"]).item
    TherapyArticleVersionFactory(state="draft", key_agents=["Abexinostat"])  # not published
    version = imported()
    assert list(version.therapies.all()) == [therapy]
    assert f"Linked therapy: {therapy.slug}" in version.change_summary
    assert "Drug: Abexinostat" in version.change_summary


def test_an_other_name_links_the_therapy_too():
    record = study()
    record["protocolSection"]["armsInterventionsModule"]["interventions"][0]["otherNames"] = [
        "PCI-24781"
    ]
    therapy = TherapyArticleVersionFactory(state="published", key_agents=["pci-24781"]).item
    version = imported(record=record)
    assert list(version.therapies.all()) == [therapy]
    assert "key agent PCI-24781" in version.change_summary


# --- a re-import is a no-op ----------------------------------------------------------------------


def fingerprint():
    return (
        list(TrialNoteVersion.objects.order_by("pk").values_list("pk", "state", "edit_count",
                                                                  "updated_at")),
        AuditEvent.objects.count(), RecheckFlag.objects.count(),
        list(RegistrySnapshot.objects.order_by("pk").values_list("facts", "changed_at")),
    )  # fmt: skip


def test_re_importing_the_same_records_writes_nothing():
    run_import(DATA)
    before = fingerprint()
    mail.outbox.clear()
    out, _ = run_import(DATA)
    assert (
        summary_line(out) == f"0 created, 0 updated, {len(list(ctgov.read(SHIPPED)))} "
        "unchanged, 0 flagged, 0 failed"
    )
    assert fingerprint() == before
    assert mail.outbox == []  # nothing to tell


def test_a_re_import_still_moves_the_checked_time():
    imported()
    first = RegistrySnapshot.objects.get().checked_at
    later = first + datetime.timedelta(days=1)
    importer.run([("test", study())], now=later)
    assert RegistrySnapshot.objects.get().checked_at == later


# --- a changed record ----------------------------------------------------------------------------


@pytest.fixture
def live():
    """NCT03934567 imported and published, with what depends on it."""
    version = publish(imported())
    therapy = TherapyArticleVersionFactory(state="published").item
    TrialNoteVersion.objects.get(pk=version.pk).therapies.add(therapy)
    citing = TherapyArticleVersionFactory(
        state="published", cites=[CitationFactory(kind="nct", value="NCT03934567")]
    ).item
    listing = CombinationEntryVersionFactory(state="published", key_trials=["NCT03934567"]).item
    unrelated = CombinationEntryVersionFactory(state="published").item
    return {"version": version, "linked": therapy, "citing": citing, "listing": listing,
            "unrelated": unrelated}  # fmt: skip


def open_flags(item):
    return list(RecheckFlag.objects.for_item(item).open())


def test_a_changed_record_makes_a_new_draft_and_the_live_page_waits(client, live, tmp_path):
    mail.outbox.clear()
    out, _ = run_import(write_ndjson(tmp_path, changed(overallStatus="COMPLETED",
                                                       hasResults=True)))  # fmt: skip
    assert summary_line(out) == "0 created, 1 updated, 0 unchanged, 0 flagged, 0 failed"
    item = note("NCT03934567")
    draft = item.versions.get(number=2)
    assert draft.state == VersionState.DRAFT and draft.author.username == IMPORT_USERNAME
    assert draft.change_summary == (
        "Registry update of 2026-01-15: Overall status: Active, not recruiting → Completed; "
        "results posted."
    )
    assert (draft.overall_status, draft.results_posted) == ("COMPLETED", True)
    assert (draft.title, draft.summary, draft.body) == (
        live["version"].title, live["version"].summary, live["version"].body,
    )  # the editors' own text is kept  # fmt: skip
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Active, not recruiting" in page and "Completed" not in page
    assert ("Registry data as of 2025-04-10, checked " in page
            and "The registry record was updated on 2026-01-15; the editors are reviewing "
            "that update." in page)  # fmt: skip
    publish(draft)
    cache_cleared = client.get(item.get_absolute_url()).content.decode()
    assert "Completed" in cache_cleared


def test_a_changed_record_flags_every_dependent_with_the_reason(live, tmp_path):
    run_import(write_ndjson(tmp_path, changed(overallStatus="COMPLETED")))
    for name in ("linked", "citing", "listing"):
        [flag] = open_flags(live[name])
        assert flag.change == RecheckFlag.Change.REGISTRY and flag.trial == note("NCT03934567")
        assert "NCT03934567 changed" in flag.reason
        assert "Overall status: Active, not recruiting → Completed" in flag.reason
        assert not flag.urgent
    assert open_flags(live["unrelated"]) == []


@pytest.mark.parametrize("change,why", [
    ({"overallStatus": "TERMINATED"}, "status changed to terminated"),
    ({"overallStatus": "SUSPENDED"}, "status changed to suspended"),
    ({"overallStatus": "WITHDRAWN"}, "status changed to withdrawn"),
    ({"hasResults": True}, "results first posted"),
    ({"count": 97}, "enrollment changed by more than 10%"),
    ({"primaryCompletionDateStruct": {"date": "2025-06", "type": "ACTUAL"}},
     "primary completion date moved"),
])  # fmt: skip
def test_important_changes_are_urgent(live, tmp_path, change, why):
    run_import(write_ndjson(tmp_path, changed(**change)))
    [flag] = open_flags(live["citing"])
    assert flag.urgent and why in flag.reason


@pytest.mark.parametrize("change", [{"count": 95}, {"overallStatus": "COMPLETED"}])
def test_small_changes_are_not_urgent(live, tmp_path, change):
    run_import(write_ndjson(tmp_path, changed(**change)))
    [flag] = open_flags(live["citing"])
    assert not flag.urgent


def test_an_urgent_change_sorts_first_in_the_review_queue(live, tmp_path):
    editor, moderator = make_editor(), make_moderator()
    calm = CombinationEntryVersionFactory(state="draft", author=editor)
    workflow.submit(calm, by=editor)  # submitted first: oldest
    run_import(write_ndjson(tmp_path, changed(overallStatus="TERMINATED")))
    dependent = live["listing"].published
    revised = workflow.new_version(live["listing"], by=editor)
    workflow.submit(revised, by=editor)
    queue = workflow.review_queue(moderator)
    assert [v.item for v in queue["to_review"]] == [dependent.item, calm.item]
    assert queue["to_review"][0].urgent and not queue["to_review"][1].urgent
    [from_registry] = queue["registry"]
    assert from_registry.item == note("NCT03934567") and from_registry.urgent


def test_moderators_get_one_digest_per_run(live, tmp_path):
    make_moderator("second", email="second@example.org")
    mail.outbox.clear()
    other = changed(study(DATA / "NCT05147467.json"))
    run_import(write_ndjson(tmp_path, changed(overallStatus="TERMINATED"), other))
    [digest] = mail.outbox
    assert digest.subject.startswith("[Registry] Import: 1 created, 1 updated")
    assert "1 urgent" in digest.subject and "second@example.org" in digest.bcc
    body = digest.body
    assert body.index("URGENT") < body.index("NCT03934567: status changed to terminated")
    assert "NCT05147467 created" in body and "3 dependent pages flagged" in body


def test_approving_the_registry_draft_clears_the_notes_own_flag(live, tmp_path):
    run_import(write_ndjson(tmp_path, changed(overallStatus="TERMINATED")))
    item = note("NCT03934567")
    [own] = open_flags(item)
    assert own.urgent and own.reason.startswith("Written into draft version 2")
    publish(item.versions.get(number=2))
    assert open_flags(item) == []


# --- a version already in progress ---------------------------------------------------------------


@pytest.fixture
def in_progress(live):
    """An editor's draft version 2 of the published note."""
    editor = make_editor("author", email="author@example.org")
    draft = workflow.new_version(live["version"].item, by=editor)
    workflow.edit(draft, by=editor, body="The editor's revised note.")
    return draft


def move_to(draft, state):
    if state == "changes_requested":
        workflow.submit(draft, by=draft.author)
        workflow.request_changes(draft, by=make_moderator(), comment="Tighten the caveats.")
    elif state in ("in_review", "approved"):
        workflow.submit(draft, by=draft.author)
        if state == "approved":
            workflow.approve(draft, by=make_moderator(),
                             publish_at=datetime.datetime.now(datetime.UTC)
                             + datetime.timedelta(days=3))  # fmt: skip
    draft.refresh_from_db()
    assert draft.state == state
    return draft


@pytest.mark.parametrize("state", ["draft", "changes_requested"])
def test_a_draft_in_progress_gets_the_registry_facts(in_progress, tmp_path, state):
    draft = move_to(in_progress, state)
    mail.outbox.clear()
    out, _ = run_import(write_ndjson(tmp_path, changed(overallStatus="COMPLETED")))
    assert summary_line(out).startswith("0 created, 1 updated")
    draft.refresh_from_db()
    assert draft.state == state and draft.overall_status == "COMPLETED"
    assert draft.body == "The editor's revised note."
    assert "Overall status: Active, not recruiting → Completed" in draft.change_summary
    event = AuditEvent.objects.for_version(draft).filter(action="edited").first()
    assert event.actor.username == IMPORT_USERNAME and "overall_status" in event.data["fields"]
    told = [m for m in mail.outbox if m.to == ["author@example.org"]]
    assert len(told) == 1 and "NCT03934567" in told[0].subject


@pytest.mark.parametrize("state", ["in_review", "approved"])
def test_a_version_in_review_or_scheduled_is_not_touched_but_flagged(in_progress, tmp_path,
                                                                     state):  # fmt: skip
    version = move_to(in_progress, state)
    before = TrialNoteVersion.objects.filter(pk=version.pk).values().get()
    path = write_ndjson(tmp_path, changed(overallStatus="COMPLETED"))
    out, _ = run_import(path)
    assert summary_line(out) == "0 created, 0 updated, 0 unchanged, 1 flagged, 0 failed"
    assert TrialNoteVersion.objects.filter(pk=version.pk).values().get() == before
    [own] = open_flags(version.item)
    assert own.change == RecheckFlag.Change.REGISTRY and "Not applied yet" in own.reason
    assert RegistrySnapshot.objects.get().pending
    # the next run tries again: still busy, flagged once
    out, _ = run_import(path)
    assert summary_line(out).endswith("1 flagged, 0 failed") and len(open_flags(version.item)) == 1
    if state == "in_review":  # once it is editable again, the next run writes the change in
        workflow.request_changes(version, by=make_moderator(), comment="Registry changed.")
        out, _ = run_import(path)
        assert summary_line(out).startswith("0 created, 1 updated")
        version.refresh_from_db()
        assert version.overall_status == "COMPLETED"
        assert not RegistrySnapshot.objects.get().pending


# --- the import can never approve ----------------------------------------------------------------


@pytest.mark.parametrize("move", ["claim", "approve", "request_changes", "discard"])
def test_the_import_account_can_never_decide(move):
    version = imported()
    bot = importer.import_user()
    bot.is_superuser = True  # whatever it is given
    bot.save()
    submit(version)
    assert workflow.refusal(version, move, bot)
    with pytest.raises(PermissionDenied):
        workflow.approve(version, by=bot)


def test_the_import_account_cannot_sign_in():
    bot = importer.import_user()
    assert not bot.has_usable_password()


def test_only_the_import_writes_the_registry_record():
    version = imported()
    editor = make_editor()
    with pytest.raises(ValidationError, match="only the ClinicalTrials.gov import"):
        workflow.edit(version, by=editor, registry_record={"nct_id": "NCT03934567"})


def test_the_import_is_shown_by_name_in_the_admin(admin_client):
    version = imported()
    page = admin_client.get(version.item.get_admin_url()).content.decode()
    assert "ClinicalTrials.gov import" in page
    audit = admin_client.get(reverse("admin:therapies_auditevent_changelist")).content.decode()
    assert "ClinicalTrials.gov import" in audit and ">ctgov-import<" not in audit


# --- registry facts checked at approval ----------------------------------------------------------


def typed_note(**fields):
    """A note an editor typed by hand, then the registry's record of it imported."""
    editor = make_editor()
    record = ctgov.parse(study())
    values = {**registry.version_fields(record), **fields}
    values.pop("registry_last_update")
    version = workflow.create_item(
        TrialNote, by=editor, key="NCT03934567", title="Abexinostat in follicular lymphoma",
        summary="Single-arm phase 2 trial.", body="A note.",
        citations=[{"kind": "nct", "value": "NCT03934567"}], **values,
    )  # fmt: skip
    RegistrySnapshot.objects.create(nct_id="NCT03934567", facts=record.facts(),
                                    last_update=datetime.date(2025, 4, 10))  # fmt: skip
    workflow.submit(version, by=editor)
    version.refresh_from_db()
    return version


@pytest.mark.parametrize("field,value", [
    ("phase", "PHASE3"), ("overall_status", "COMPLETED"), ("enrollment", 90),
    ("sponsor", "Another sponsor"), ("start_date", "2020-05"),
    ("primary_completion_date", "2025-02"), ("completion_date", ""),
])  # fmt: skip
def test_the_gate_refuses_a_version_that_disagrees_with_the_registry(field, value):
    version = typed_note(**{field: value})
    refusal = workflow.refusal(version, "approve", make_moderator())
    assert refusal and "registry says otherwise" in refusal
    assert registry.label(field) in refusal
    with pytest.raises(ValidationError):
        workflow.approve(version, by=make_moderator())


def test_the_gate_accepts_a_version_that_agrees():
    version = typed_note()
    assert workflow.refusal(version, "approve", make_moderator()) is None


def test_a_recorded_reason_lets_a_differing_version_through_and_is_shown(client):
    version = typed_note(enrollment=90)
    editor = make_editor()
    workflow.request_changes(version, by=make_moderator(), comment="Enrollment?")
    workflow.edit(version, by=editor,
                  registry_difference="The sponsor's 2025 report gives 90 enrolled.")  # fmt: skip
    workflow.submit(version, by=editor)
    workflow.approve(version, by=make_moderator())
    page = client.get(version.item.get_absolute_url()).content.decode()
    assert "Differs from the registry: The sponsor&#x27;s 2025 report gives 90 enrolled." in page


def test_the_review_screen_shows_registry_and_version_side_by_side(admin_client):
    version = typed_note(enrollment=90)
    page = admin_client.get(version.item.get_admin_url()).content.decode()
    assert "Registry versus version 1" in page
    assert "<strong>90 (actual)</strong> (differs)" in page and "<td>87 (actual)</td>" in page


# --- public --------------------------------------------------------------------------------------


def test_the_trial_page_says_how_fresh_its_registry_data_is(client):
    version = publish(imported())
    checked = RegistrySnapshot.objects.get().checked_at
    page = client.get(version.item.get_absolute_url()).content.decode()
    assert f"Registry data as of 2025-04-10, checked {checked:%Y-%m-%d}." in page
    assert "https://clinicaltrials.gov/study/NCT03934567?tab=history" in page


def test_an_import_refreshes_the_cached_trial_page(client, tmp_path):
    version = publish(imported())
    RegistrySnapshot.objects.update(checked_at=timezone.now() - datetime.timedelta(days=3))
    stale = client.get(version.item.get_absolute_url()).content.decode()  # now cached
    assert f"checked {day(3):%Y-%m-%d}." in stale
    run_import(write_ndjson(tmp_path, study()))  # unchanged: only the check is new
    page = client.get(version.item.get_absolute_url()).content.decode()
    assert f"checked {day(0):%Y-%m-%d}." in page and "editors are reviewing" not in page


def test_trial_lists_filter_by_results_posted(client):
    with_results = study(DATA / "NCT05147467.json")
    with_results["hasResults"] = True
    publish(imported(record=with_results, nct_id="NCT05147467"))
    publish(imported())
    posted = client.get(reverse("therapies:trial_list"), {"results": "posted"}).content.decode()
    none = client.get(reverse("therapies:trial_list"), {"results": "none"}).content.decode()
    assert "NCT05147467" in posted and "NCT03934567" not in posted
    assert "NCT03934567" in none and "NCT05147467" not in none


def test_the_admin_filters_trial_notes_by_results_posted(admin_client):
    with_results = study(DATA / "NCT05147467.json")
    with_results["hasResults"] = True
    imported(record=with_results, nct_id="NCT05147467")
    imported()
    page = admin_client.get(reverse("admin:therapies_trialnote_changelist"),
                            {"results": "posted"}).content.decode()  # fmt: skip
    assert "NCT05147467" in page and "NCT03934567" not in page


# --- bad input: a clear error per record, the others imported, nothing half-written --------------


def broken(mutate, nct_id="NCT03934567") -> bytes:
    record = study()
    record["protocolSection"]["identificationModule"]["nctId"] = nct_id
    mutate(record["protocolSection"])
    return json.dumps(record).encode()


BAD = [
    (b'{"protocolSection": {', "malformed JSON", ""),
    (broken(lambda p: p["identificationModule"].pop("nctId")), "no NCT ID", ""),
    (broken(lambda p: p["statusModule"].update(overallStatus="FINISHED")),
     "unknown value 'FINISHED'", "NCT03934567"),
    (broken(lambda p: p["statusModule"]["startDateStruct"].update(date="2019-02-30")),
     "not a date that exists", "NCT03934567"),
    (broken(lambda p: p["designModule"]["enrollmentInfo"].update(count="87")),
     "expected a number", "NCT03934567"),
    (broken(lambda p: p["identificationModule"].update(briefTitle="x" * 10_000_000)),
     "identificationModule.briefTitle: a text of", "NCT03934567"),
    ('{"protocolSection": {"identificationModule": {"nctId": "NCT0393456\xe9"}}}'
     .encode("latin-1"), "not UTF-8", ""),
    # The NCT ID is named even when the record cannot be decoded, and a huge text is refused
    # in a field the portal does not read too.
    (broken(lambda p: p["identificationModule"].update(briefTitle="Caf\xe9"))
     .replace(b"Caf\\u00e9", "Caf\xe9".encode("latin-1")), "not UTF-8", "NCT03934567"),
    (broken(lambda p: None)[:-40], "malformed JSON", "NCT03934567"),
    (broken(lambda p: p.update(descriptionModule={"briefSummary": "x" * 10_000_000})),
     "descriptionModule.briefSummary: a text of more than", "NCT03934567"),
]  # fmt: skip


@pytest.mark.parametrize("bad,message,nct_id", BAD, ids=[b[1] for b in BAD])
def test_a_bad_record_is_named_and_the_others_import(tmp_path, bad, message, nct_id):
    good = [study(DATA / "NCT05147467.json"), study(DATA / "NCT06382129.json")]
    path = write_ndjson(tmp_path, good[0], bad, good[1])
    out, err = run_import(path, expect_failure=True)
    assert summary_line(out) == "2 created, 0 updated, 0 unchanged, 0 flagged, 1 failed"
    [line] = err.strip().splitlines()
    assert f"{path} line 2" in line and message in line and nct_id in line
    assert len(line) < 1000  # the 10 MB string is not echoed
    assert set(TrialNote.objects.values_list("nct_id", flat=True)) == {
        "NCT05147467", "NCT06382129",
    }  # fmt: skip
    assert not RegistrySnapshot.objects.filter(nct_id="NCT03934567").exists()


def test_a_record_failing_halfway_leaves_nothing_behind(tmp_path, monkeypatch):
    real_keep = importer._Run._keep

    def failing_keep(self, snapshot, record, facts, *, applied):
        if record.nct_id == "NCT03934567":
            raise RuntimeError("the database went away")
        return real_keep(self, snapshot, record, facts, applied=applied)

    monkeypatch.setattr(importer._Run, "_keep", failing_keep)
    path = write_ndjson(tmp_path, study(), study(DATA / "NCT05147467.json"))
    out, err = run_import(path, expect_failure=True)
    assert "NCT03934567" in err and "the database went away" in err
    assert f"{path} line 1" in err
    assert summary_line(out) == "1 created, 0 updated, 0 unchanged, 0 flagged, 1 failed"
    assert not TrialNote.objects.filter(nct_id="NCT03934567").exists()
    assert AuditEvent.objects.count() == 1  # the other note's "created"
    assert TrialNote.objects.filter(nct_id="NCT05147467").exists()


def test_a_missing_path_is_refused():
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_ctgov", "/nonexistent/records.ndjson")


def test_the_import_reads_pages_zips_and_folders(tmp_path):
    import zipfile

    archive = tmp_path / "bulk.zip"
    with zipfile.ZipFile(archive, "w") as bulk:
        for name in ("NCT03934567.json", "NCT05147467.json"):
            bulk.write(DATA / name, f"ctg-studies/{name}")
    page = DATA / "page_keytruda_combinations.json"
    out, _ = run_import(archive, page)
    assert summary_line(out).startswith("5 created")


# --- sync_ctgov, against a local replay of the registry ------------------------------------------

PAGE_1, PAGE_2, LAST = (
    study(DATA / name)
    for name in ("page_cyanheads_1.json", "page_biomcp_phelan_next.json",
                 "page_biomcp_nsclc_egfr_l858r.json")
)  # fmt: skip


@pytest.fixture
def registry_server(httpserver, settings):
    """The registry's /studies, replayed page by page from shipped pages; the first request
    is answered 429 once, as a busy registry does."""
    from werkzeug import Response

    settings.CTGOV_API_URL = httpserver.url_for("/api/v2")
    by_token = {None: PAGE_1, PAGE_1["nextPageToken"]: PAGE_2, PAGE_2["nextPageToken"]: LAST}
    answered = {"429": False}

    def handler(request):
        if not answered["429"]:
            answered["429"] = True
            return Response("slow down", status=429, headers={"Retry-After": "0"})
        return Response(json.dumps(by_token[request.args.get("pageToken")]),
                        content_type="application/json")  # fmt: skip

    httpserver.expect_request("/api/v2/studies", method="GET").respond_with_handler(handler)
    return httpserver


def page_ids(*pages):
    return {s["protocolSection"]["identificationModule"]["nctId"] for p in pages
            for s in p["studies"]}  # fmt: skip


def test_sync_pages_through_the_registry_and_retries_a_429(registry_server):
    out = io.StringIO()
    call_command("sync_ctgov", "--query", "immunotherapy", "--condition", "melanoma",
                 stdout=out)  # fmt: skip
    expected = page_ids(PAGE_1, PAGE_2, LAST)
    assert set(TrialNote.objects.values_list("nct_id", flat=True)) == expected
    assert summary_line(out.getvalue()).startswith(f"{len(expected)} created")
    requests = [request for request, _ in registry_server.log]
    assert registry_server.log[0][1].status_code == 429  # then retried
    assert len(requests) == 4  # the 429, then three pages
    first = requests[1]
    assert first.args["query.term"] == "immunotherapy" and first.args["query.cond"] == "melanoma"
    assert "protocolSection.identificationModule" in first.args["fields"]
    assert first.headers["User-Agent"].startswith("ImmunotherapyAtlas/")
    assert requests[2].args["pageToken"] == PAGE_1["nextPageToken"]


def test_sync_since_asks_only_for_what_changed(registry_server):
    call_command("sync_ctgov", "--query", "immunotherapy", "--since", "2026-11-01",
                 "--max", "1", stdout=io.StringIO())  # fmt: skip
    request = registry_server.log[-1][0]
    assert request.args["filter.advanced"] == "AREA[LastUpdatePostDate]RANGE[2026-11-01,MAX]"
    assert TrialNote.objects.count() == 1


def ran(query, *, days_ago, complete=True, condition=""):
    """A sync of `query` that began `days_ago` days ago."""
    return RegistrySync.objects.create(
        query=query, condition=condition, complete=complete,
        started_at=timezone.now() - datetime.timedelta(days=days_ago),
    )  # fmt: skip


def day(days_ago: int) -> datetime.date:
    return (timezone.now() - datetime.timedelta(days=days_ago)).date()


def sync_last(server, *args) -> str | None:
    """Run a `--since last` sync; the last-update range it asked the registry for."""
    call_command("sync_ctgov", *args, "--since", "last", stdout=io.StringIO())
    return server.log[-1][0].args.get("filter.advanced")


def test_sync_since_last_fetches_everything_the_first_time(registry_server):
    assert sync_last(registry_server, "--query", "x") is None  # no date filter
    run = RegistrySync.objects.get()
    assert (run.query, run.since, run.complete) == ("x", None, True)
    assert run.finished_at is not None
    created = len(page_ids(PAGE_1, PAGE_2, LAST))
    assert run.summary == f"{created} created, 0 updated, 0 unchanged, 0 flagged, 0 failed"


def test_sync_since_last_starts_the_day_before_the_last_complete_run(registry_server):
    ran("x", days_ago=3)
    ran("x", days_ago=9)
    ran("x", days_ago=1, complete=False)
    asked = sync_last(registry_server, "--query", "x")
    # A day's overlap: the registry dates its updates in US Eastern time.
    assert asked == f"AREA[LastUpdatePostDate]RANGE[{day(3 + 1):%Y-%m-%d},MAX]"
    assert RegistrySync.objects.first().since == day(3 + 1)


def _fail_one(study):
    record = ctgov.parse(study)
    if record.nct_id == "NCT07014020":
        raise ctgov.RecordError("refused for the test", nct_id=record.nct_id)
    return record


def _break_off(self, **params):
    yield from PAGE_1["studies"]
    raise ConnectionError("the registry stopped answering")


@pytest.mark.parametrize("incomplete,patch,args", [
    ("failed a record", (importer, "parse", _fail_one), []),
    ("broke off", (ctgov.Client, "studies", _break_off), []),
    ("stopped at --max", None, ["--max", "2"]),
])  # fmt: skip
def test_sync_since_last_fetches_again_what_an_incomplete_run_missed(
    registry_server, monkeypatch, incomplete, patch, args
):
    ran("x", days_ago=5)
    if patch:
        monkeypatch.setattr(*patch)
    try:
        call_command("sync_ctgov", "--query", "x", "--since", "last", *args,
                     stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    except CommandError:
        assert patch, "only a failed or broken-off run exits non-zero"
    latest = RegistrySync.objects.first()
    assert latest.since == day(5 + 1) and latest.finished_at is not None
    assert not latest.complete, incomplete
    assert importer.since_last_sync("x", "") == day(5 + 1)  # not from the incomplete run


def test_each_search_has_its_own_last_run():
    ran("x", days_ago=2)
    ran("y", days_ago=7, condition="melanoma")
    assert importer.since_last_sync("x", "") == day(2 + 1)
    assert importer.since_last_sync("y", "melanoma") == day(7 + 1)
    assert importer.since_last_sync("y", "") is None
    assert importer.since_last_sync("z", "") is None


def test_sync_needs_something_to_ask_for():
    with pytest.raises(CommandError, match="--query"):
        call_command("sync_ctgov")


def test_sync_reports_a_registry_that_is_down(httpserver, settings):
    settings.CTGOV_API_URL = httpserver.url_for("/api/v2")
    httpserver.expect_request("/api/v2/studies").respond_with_data("down", status=404)
    with pytest.raises(CommandError, match="answered 404"):
        call_command("sync_ctgov", "--query", "x", stdout=io.StringIO())


def test_a_user_may_be_given_the_import_name_only_by_the_import():
    # the account is found by its username; the permission rule holds for it alone
    other = make_user("someone-else", perms=["therapies.approve_trialnoteversion"])
    version = imported()
    submit(version)
    assert workflow.refusal(version, "approve", other) is None


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("terminal", [True, False])
def test_a_progress_bar_shows_on_a_terminal_only(tmp_path, monkeypatch, terminal):
    stderr = Terminal() if terminal else io.StringIO()
    monkeypatch.setattr("sys.stderr", stderr)
    run_import(write_ndjson(tmp_path, study(), study(DATA / "NCT05147467.json")))
    shown = stderr.getvalue()
    assert ("2 records" in shown) is terminal


# --- edge cases of a real registry ---------------------------------------------------------------


def test_a_held_back_change_is_retried_without_its_record(in_progress, tmp_path):
    version = move_to(in_progress, "in_review")
    run_import(write_ndjson(tmp_path, changed(overallStatus="COMPLETED")))
    workflow.request_changes(version, by=make_moderator(), comment="Registry changed.")
    other = write_ndjson(tmp_path, study(DATA / "NCT05147467.json"), name="other.ndjson")
    out, _ = run_import(other)  # a run that does not bring NCT03934567 again
    assert summary_line(out) == "1 created, 1 updated, 0 unchanged, 0 flagged, 0 failed"
    version.refresh_from_db()
    assert version.overall_status == "COMPLETED" and not RegistrySnapshot.objects.get(
        nct_id="NCT03934567").pending  # fmt: skip


def test_a_registry_that_breaks_off_mid_sync_keeps_what_was_read(httpserver, settings):
    from werkzeug import Response

    settings.CTGOV_API_URL = httpserver.url_for("/api/v2")

    def handler(request):
        if request.args.get("pageToken"):
            return Response("gone", status=404)
        return Response(json.dumps(PAGE_1), content_type="application/json")

    httpserver.expect_request("/api/v2/studies").respond_with_handler(handler)
    out = io.StringIO()
    with pytest.raises(CommandError, match="answered 404"):
        call_command("sync_ctgov", "--query", "x", stdout=out)
    assert set(TrialNote.objects.values_list("nct_id", flat=True)) == page_ids(PAGE_1)
    assert summary_line(out.getvalue()).startswith(f"{len(page_ids(PAGE_1))} created")


def test_a_partial_record_never_blanks_what_is_known(tmp_path):
    publish(imported())
    partial = changed(overallStatus="COMPLETED")
    for module in ("designModule", "conditionsModule", "armsInterventionsModule",
                   "sponsorCollaboratorsModule"):  # fmt: skip
        partial["protocolSection"].pop(module)
    partial.pop("hasResults")
    run_import(write_ndjson(tmp_path, partial))
    draft = note("NCT03934567").versions.get(number=2)
    assert draft.overall_status == "COMPLETED"
    assert (draft.phase, draft.enrollment, draft.sponsor) == (
        "PHASE2", 87, "Xynomic Pharmaceuticals, Inc.",
    )  # fmt: skip
    assert draft.interventions == ["Drug: Abexinostat"] and draft.results_posted is False
    assert draft.change_summary == (
        "Registry update of 2026-01-15: Overall status: Active, not recruiting → Completed."
    )


def test_a_note_whose_versions_were_all_discarded_starts_over(tmp_path):
    version = imported()
    workflow.discard(version, by=make_user(perms=["therapies.discard_trialnoteversion"]))
    out, _ = run_import(write_ndjson(tmp_path, changed(overallStatus="COMPLETED")))
    assert summary_line(out).startswith("1 created") and summary_line(out).endswith("0 failed")
    draft = note("NCT03934567").versions.get(number=2)
    assert draft.state == VersionState.DRAFT and draft.overall_status == "COMPLETED"


def test_an_editors_deliberate_difference_survives_an_unrelated_registry_change(tmp_path):
    editor = make_editor()
    version = imported()
    workflow.edit(version, by=editor, body="The editors' note.", enrollment=90,
                  registry_difference="The sponsor's 2025 report gives 90 enrolled.")  # fmt: skip
    workflow.submit(version, by=editor)
    workflow.approve(version, by=make_moderator())
    run_import(write_ndjson(tmp_path, changed(overallStatus="COMPLETED")))
    draft = note("NCT03934567").versions.get(number=2)
    assert (draft.enrollment, draft.overall_status) == (90, "COMPLETED")
    assert "Enrollment" not in draft.change_summary
    assert draft.registry_difference == ""  # each version states its reason afresh
    assert "registry says otherwise" in workflow.refusal(
        submit(draft, editor), "approve", make_moderator()
    )


def test_a_dismissed_flag_does_not_come_back(in_progress, live, tmp_path):
    move_to(in_progress, "in_review")
    path = write_ndjson(tmp_path, changed(overallStatus="COMPLETED"))
    run_import(path)
    [flag] = open_flags(live["citing"])
    workflow.dismiss_flag(flag, make_user(perms=["therapies.dismiss_recheckflag"]),
                          "Still right: the article does not rest on the status.")  # fmt: skip
    run_import(path)
    assert open_flags(live["citing"]) == []


def test_an_older_copy_never_replaces_a_held_back_change(in_progress, tmp_path):
    move_to(in_progress, "in_review")
    run_import(write_ndjson(tmp_path, changed(overallStatus="COMPLETED")))
    out, _ = run_import(write_ndjson(tmp_path, study(), name="old.ndjson"))  # 2025-04-10
    snapshot = RegistrySnapshot.objects.get(nct_id="NCT03934567")
    assert snapshot.facts["overall_status"] == "COMPLETED" and snapshot.pending


def test_a_failed_first_copy_lets_the_second_import(tmp_path):
    bad = study()
    bad["protocolSection"]["sponsorCollaboratorsModule"]["leadSponsor"]["name"] = "x" * 2001
    out, _ = run_import(write_ndjson(tmp_path, bad), expect_failure=True)
    other = write_ndjson(tmp_path, bad, study(), name="both.ndjson")
    out, err = run_import(other, expect_failure=True)
    assert summary_line(out) == "1 created, 0 updated, 0 unchanged, 0 flagged, 1 failed"


def test_whoever_submits_the_imports_draft_cannot_approve_it():
    moderator = make_moderator()
    version = submit(imported(), editor=moderator)
    assert "four eyes" in workflow.refusal(version, "approve", moderator)


def test_a_last_update_that_is_not_a_whole_date_is_a_bad_record():
    record = study()
    record["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2025-04"
    with pytest.raises(ctgov.RecordError, match="not a whole date"):
        ctgov.parse(record)


def test_a_large_first_import_digest_lists_at_most_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "DIGEST_LIMIT", 2)
    make_moderator()
    mail.outbox.clear()
    run_import(DATA)
    [digest] = mail.outbox
    listed = [line for line in digest.body.splitlines() if line.startswith("- NCT")]
    assert len(listed) == 2
    assert f"… and {len(shipped_records()) - 2} more" in digest.body


def test_a_held_back_change_that_fails_on_retry_is_reported(in_progress, tmp_path,
                                                            monkeypatch):  # fmt: skip
    version = move_to(in_progress, "in_review")
    run_import(write_ndjson(tmp_path, changed(overallStatus="COMPLETED")))
    workflow.request_changes(version, by=make_moderator(), comment="Registry changed.")

    def broken_edit(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(workflow, "edit", broken_edit)
    other = write_ndjson(tmp_path, study(DATA / "NCT05147467.json"), name="other.ndjson")
    out, err = run_import(other, expect_failure=True)
    assert "NCT03934567" in err and "held back" in err and "the database went away" in err
    assert summary_line(out).endswith("1 failed")


# --- arms: how a trial uses each intervention --------------------------------------------------


def test_the_import_keeps_each_arm_with_its_type_and_interventions():
    record = ctgov.parse(study(DATA / "NCT04267848.json"))
    arms = {arm.label: arm for arm in record.arms}
    control = arms["Arm A (platinum doublet, observation)"]
    assert control.type == "ACTIVE_COMPARATOR" and "Drug: Cisplatin" in control.interventions
    assert "Biological: Pembrolizumab" not in control.interventions
    sequential = arms["Arm B (platinum doublet, sequential pembrolizumab)"]
    assert sequential.type == "EXPERIMENTAL"
    assert "Biological: Pembrolizumab" in sequential.interventions
    assert ctgov.RegistryRecord.from_facts(record.facts()) == record


@pytest.mark.parametrize("arms,kept", [
    ("not a list", []),
    ([{"label": "A", "type": "MYSTERY", "interventionNames": ["Drug: X"]}], [("A", "")]),
    (["not an object", {"label": "B", "type": "EXPERIMENTAL"}], [("B", "EXPERIMENTAL")]),
])  # fmt: skip
def test_arms_the_portal_cannot_read_never_fail_the_record(arms, kept):
    raw = study(DATA / "NCT04267848.json")
    raw["protocolSection"]["armsInterventionsModule"]["armGroups"] = arms
    record = ctgov.parse(raw)  # the facts the portal checks are all still there
    assert [(arm.label, arm.type) for arm in record.arms] == kept
    assert record.interventions


def test_a_conflict_says_which_arm_gives_the_declared_agent():
    importer.run([("test", study(DATA / "NCT04267848.json"))])
    version = TrialNote.objects.get(nct_id="NCT04267848").latest
    moderator = make_moderator("declares")
    ConflictOfInterestStatement.objects.filter(user=moderator).update(
        agents=["pembrolizumab", "cisplatin"]
    )
    problems = trust.coi_problems(version, moderator)
    assert (
        "You declared an interest in cisplatin, which is the comparator in arm “Arm A (platinum "
        "doublet, observation)” and an experimental treatment in arms “Arm B (platinum doublet, "
        "sequential pembrolizumab)” and “Arm C (platinum doublet, combination pembrolizumab)” "
        "of this clinical-trial note (“Drug: Cisplatin”)."
    ) in problems
    assert any(p.startswith("You declared an interest in pembrolizumab, which is an "
                            "experimental treatment in arms") for p in problems)  # fmt: skip
