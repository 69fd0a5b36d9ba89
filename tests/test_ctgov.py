"""Reading ClinicalTrials.gov API v2 study records and mapping them to registry facts
(therapies/ctgov.py), on real records (tests/data/ctgov, copied from ../shared/data/ctgov)."""

import io
import json
import zipfile
from pathlib import Path

import pytest

from therapies import ctgov

DATA = Path(__file__).parent / "data" / "ctgov"
SINGLE = sorted(DATA.glob("NCT*.json"))
PAGES = sorted(DATA.glob("page_*.json"))


def study(path: Path) -> dict:
    return json.loads(path.read_text())


def one(name: str) -> ctgov.RegistryRecord:
    return ctgov.parse(study(DATA / name))


# --- every shipped record ------------------------------------------------------------------------


@pytest.mark.parametrize("path", SINGLE + PAGES, ids=lambda p: p.name)
def test_every_shipped_record_reads_and_maps(path):
    found = list(ctgov.read([path]))
    assert found
    for where, record in found:
        assert str(path) in where
        mapped = ctgov.parse(record)
        assert ctgov.NCT_ID.match(mapped.nct_id)
        assert mapped.brief_title and mapped.overall_status
        assert mapped.source is record
        json.dumps(mapped.facts())  # storable as it is


def test_a_full_record_maps_every_fact():
    record = one("NCT03934567.json")
    assert record.nct_id == "NCT03934567"
    assert record.brief_title.startswith("A Multi-Center Phase 2 Study to Evaluate Efficacy")
    assert record.official_title.startswith("An Open-label, Single-arm, Multi-center Phase 2")
    assert (record.overall_status, record.phase, record.study_type) == (
        "ACTIVE_NOT_RECRUITING", "PHASE2", "INTERVENTIONAL",
    )  # fmt: skip
    assert record.conditions == ("Lymphoma, Follicular",)
    assert record.interventions == (ctgov.Intervention("DRUG", "Abexinostat"),)
    assert record.interventions[0].label == "Drug: Abexinostat"
    assert record.lead_sponsor == "Xynomic Pharmaceuticals, Inc."
    assert (record.enrollment, record.enrollment_type) == (87, "ACTUAL")
    assert record.start == ctgov.RegistryDate("2020-04-22", "ACTUAL")
    assert record.primary_completion == ctgov.RegistryDate("2025-01-29", "ACTUAL")
    assert record.completion == ctgov.RegistryDate("2025-10-30", "ESTIMATED")
    assert record.completion.estimated
    assert record.results_posted is False and record.last_update == "2025-04-10"


def test_two_phases_make_phase_1_2_and_other_names_are_kept():
    record = one("NCT03377387.json")
    assert record.phase == "PHASE1_PHASE2"
    assert "BEHAVIORAL" in {i.type for i in record.interventions}


def test_results_posted_and_a_date_without_its_type():
    record = one("NCT02513394.json")
    assert record.results_posted is True
    assert record.start == ctgov.RegistryDate("2015-08", "")  # month precision, type not said


def test_an_observational_study_has_no_phase():
    record = one("NCT06604689.json")
    assert (record.study_type, record.phase) == ("OBSERVATIONAL", "")


def test_a_partial_record_leaves_absent_facts_absent():
    record = one("NCT05187377.json")
    assert record.results_posted is None and record.last_update == ""
    assert record.enrollment == 32 and record.enrollment_type == ""
    assert all(intervention.type == "" for intervention in record.interventions)


def test_collaborators_are_read():
    record = one("NCT04267848.json")
    raw = record.source["protocolSection"]["sponsorCollaboratorsModule"].get("collaborators", [])
    assert record.collaborators == tuple(c["name"] for c in raw)
    assert len(record.interventions) == 12


def test_the_same_record_maps_to_equal_facts():
    assert one("NCT03934567.json") == one("NCT03934567.json")
    changed = study(DATA / "NCT03934567.json")
    changed["protocolSection"]["statusModule"]["overallStatus"] = "COMPLETED"
    assert ctgov.parse(changed) != one("NCT03934567.json")


# --- the forms a download comes in ---------------------------------------------------------------


def nct_ids(found):
    return [ctgov.parse(record).nct_id for _, record in found]


def test_a_page_yields_each_study_with_its_position():
    found = list(ctgov.read([DATA / "page_keytruda_combinations.json"]))
    assert nct_ids(found) == ["NCT05431270", "NCT03590054", "NCT04795661"]
    assert found[1][0].endswith("page_keytruda_combinations.json, study 2")


def test_ndjson_a_folder_and_a_zip(tmp_path):
    lines = [json.dumps(study(path), separators=(",", ":")) for path in SINGLE[:4]]
    ndjson = tmp_path / "studies.ndjson"
    ndjson.write_text("\n".join(lines) + "\n\n")
    expected = [study(path)["protocolSection"]["identificationModule"]["nctId"]
                for path in SINGLE[:4]]  # fmt: skip
    assert nct_ids(ctgov.read([ndjson])) == expected
    assert [where for where, _ in ctgov.read([ndjson])][1].endswith("studies.ndjson line 2")
    # The same lines in a .json file are recognised as NDJSON by their first line.
    as_json = tmp_path / "folder" / "studies.json"
    as_json.parent.mkdir()
    as_json.write_text("\n".join(lines))
    assert nct_ids(ctgov.read([as_json.parent])) == expected
    archive = tmp_path / "ctg-studies.json.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in SINGLE[:3]:
            zipped.write(path, f"ctg-studies/{path.name}")
    assert nct_ids(ctgov.read([archive])) == sorted(p.stem for p in SINGLE[:3])


# --- bad input: a clear error per record, the others still read ----------------------------------


def errors_and_ids(tmp_path, content: bytes, name="bad.ndjson"):
    path = tmp_path / name
    path.write_bytes(content)
    errors, ids = [], []
    for where, record in ctgov.read([path]):
        try:
            if isinstance(record, ctgov.RecordError):
                raise record
            ids.append(ctgov.parse(record).nct_id)
        except ctgov.RecordError as error:
            errors.append((where, error))
    return errors, ids


def good_line(path=SINGLE[0]) -> bytes:
    return json.dumps(study(path)).encode()


def broken(mutate) -> bytes:
    record = study(DATA / "NCT03934567.json")
    mutate(record["protocolSection"])
    return json.dumps(record).encode()


@pytest.mark.parametrize("bad,message", [
    (b'{"protocolSection": {', "malformed JSON"),
    (broken(lambda p: p["identificationModule"].pop("nctId")), "no NCT ID"),
    (broken(lambda p: p["identificationModule"].update(nctId="NCT123")), "not an NCT ID"),
    (broken(lambda p: p["statusModule"].update(overallStatus="FINISHED")),
     "unknown value 'FINISHED'"),
    (broken(lambda p: p["designModule"].update(phases=["PHASE5"])), "unknown value 'PHASE5'"),
    (broken(lambda p: p["statusModule"]["startDateStruct"].update(date="2019-02-30")),
     "not a date that exists"),
    (broken(lambda p: p["statusModule"]["startDateStruct"].update(date="March 2019")),
     "is not a date"),
    (broken(lambda p: p["designModule"]["enrollmentInfo"].update(count="87")), "expected a number"),
    (broken(lambda p: p["conditionsModule"].update(conditions="Lymphoma")), "expected a list"),
    (broken(lambda p: p["identificationModule"].update(briefTitle="x" * 10_000_000)),
     "briefTitle: a text of more than 1,000,000 characters"),
    ('{"protocolSection": {"identificationModule": {"nctId": "NCT0393456\xe9"}}}'
     .encode("latin-1"), "not UTF-8"),
    (b"[1, 2]", "a study is an object"),
])  # fmt: skip
def test_each_bad_record_is_named_and_the_others_still_read(tmp_path, bad, message):
    content = good_line(SINGLE[0]) + b"\n" + bad + b"\n" + good_line(SINGLE[1]) + b"\n"
    errors, ids = errors_and_ids(tmp_path, content)
    assert ids == [SINGLE[0].stem, SINGLE[1].stem]
    [(where, error)] = errors
    assert where.endswith("bad.ndjson line 2") and message in str(error)
    if b"NCT03934567" in bad and "NCT ID" not in message and "UTF-8" not in message:
        assert error.nct_id == "NCT03934567"


def test_a_malformed_document_names_its_file_and_line(tmp_path):
    errors, ids = errors_and_ids(tmp_path, b'{\n  "studies": [\n    {,\n  ]\n}\n', "page.json")
    [(where, error)] = errors
    assert ids == [] and where.endswith("page.json") and "line 3" in str(error)


def test_an_empty_file_and_a_missing_one_are_errors(tmp_path):
    errors, _ = errors_and_ids(tmp_path, b"", "empty.json")
    assert "empty file" in str(errors[0][1])
    [(where, error)] = list(ctgov.read([tmp_path / "missing.json"]))
    assert "no such file" in str(error)


SMALL = (
    b'{"protocolSection": {"identificationModule": {"nctId": "NCT01234567", "briefTitle": '
    b'"T"}, "statusModule": {"overallStatus": "COMPLETED"}}}'
)


def test_an_oversized_line_is_skipped_without_holding_it(tmp_path, monkeypatch):
    monkeypatch.setattr(ctgov, "MAX_RECORD_BYTES", 1000)
    path = tmp_path / "big.ndjson"
    path.write_bytes(b'{"x": "' + b"y" * 5000 + b'"}\n' + SMALL + b"\n")
    (where, error), (_, record) = list(ctgov.read([path]))
    assert isinstance(error, ctgov.RecordError) and "a line over" in str(error)
    assert where.endswith("line 1") and ctgov.parse(record).nct_id == "NCT01234567"


def test_reading_streams_one_record_at_a_time():
    class Counted(io.BytesIO):
        def readline(self, *args):
            line = super().readline(*args)
            self.furthest = self.tell()
            return line

    stream = Counted((SMALL + b"\n") * 1000)
    records = ctgov._read_stream(stream, "many.ndjson", True)
    where, first = next(records)
    assert ctgov.parse(first).nct_id == "NCT01234567"
    assert stream.furthest <= 2 * (len(SMALL) + 1)  # not the other 999 lines
    assert len(list(records)) == 999


# --- the registry's API, replayed by a local server (tests never touch the network) ------------

PAGE_1, PAGE_2, LAST = (
    study(DATA / name)
    for name in (
        "page_cyanheads_1.json",
        "page_biomcp_phelan_next.json",
        "page_biomcp_nsclc_egfr_l858r.json",
    )
)


def client(httpserver, **kwargs):
    return ctgov.Client(httpserver.url_for("/api/v2"), user_agent="AtlasTest/1.0 (tests)",
                        backoff=0, **kwargs)  # fmt: skip


def page_ids(page):
    return [s["protocolSection"]["identificationModule"]["nctId"] for s in page["studies"]]


def serve_pages(httpserver):
    """The registry, replayed: three shipped pages, chained by their nextPageToken."""
    from werkzeug import Response

    by_token = {None: PAGE_1, PAGE_1["nextPageToken"]: PAGE_2, PAGE_2["nextPageToken"]: LAST}

    def handler(request):
        return Response(json.dumps(by_token[request.args.get("pageToken")]),
                        content_type="application/json")  # fmt: skip

    httpserver.expect_request("/api/v2/studies", method="GET").respond_with_handler(handler)


def test_the_client_pages_through_the_registry(httpserver):
    serve_pages(httpserver)
    found = list(client(httpserver).studies(query="pembrolizumab", condition="melanoma"))
    assert [s["protocolSection"]["identificationModule"]["nctId"] for s in found] == (
        page_ids(PAGE_1) + page_ids(PAGE_2) + page_ids(LAST)
    )
    first, *_ = [request for request, _ in httpserver.log]
    assert first.headers["User-Agent"] == "AtlasTest/1.0 (tests)"
    assert (first.args["query.term"], first.args["query.cond"]) == ("pembrolizumab", "melanoma")
    assert first.args["fields"] == ctgov.FIELDS and first.args["pageSize"] == "100"
    assert len(httpserver.log) == 3


def test_the_client_stops_at_the_limit_without_fetching_more(httpserver):
    serve_pages(httpserver)
    found = list(client(httpserver).studies(query="pembrolizumab", condition="melanoma",
                                            limit=len(PAGE_1["studies"])))  # fmt: skip
    assert len(found) == len(PAGE_1["studies"]) and len(httpserver.log) == 1


def test_since_asks_only_for_what_changed(httpserver):
    import datetime

    serve_pages(httpserver)
    found = list(client(httpserver).studies(since=datetime.date(2026, 11, 1), limit=1))
    assert len(found) == 1
    [(request, _)] = httpserver.log
    assert request.args["filter.advanced"] == "AREA[LastUpdatePostDate]RANGE[2026-11-01,MAX]"
    assert "query.term" not in request.args


def test_a_429_is_retried_after_the_time_it_asks(httpserver):
    from werkzeug import Response

    answers = [Response("slow down", status=429, headers={"Retry-After": "0"}),
               Response("unavailable", status=503)]  # fmt: skip

    def handler(request):
        return (
            answers.pop(0)
            if answers
            else Response(json.dumps(LAST), content_type="application/json")
        )

    httpserver.expect_request("/api/v2/studies").respond_with_handler(handler)
    found = list(client(httpserver).studies())
    assert len(found) == len(LAST["studies"]) and len(httpserver.log) == 3


def test_a_registry_that_keeps_failing_is_reported(httpserver):
    httpserver.expect_request("/api/v2/studies").respond_with_data("down", status=503)
    with pytest.raises(ctgov.RegistryUnavailable, match="503"):
        list(client(httpserver, retries=2).studies())
    assert len(httpserver.log) == 3  # the first try and two retries
