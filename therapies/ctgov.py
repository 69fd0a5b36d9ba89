"""ClinicalTrials.gov API v2 study records: read them as the registry publishes them, and map
each to the facts a trial-note version holds.

Two pure pieces, no database and no workflow (the import command joins them to the workflow):

- `read(paths)` streams records from files, pages (`{"studies": [...]}`), NDJSON, folders and
  `.zip` bulk downloads, one at a time, so memory stays bounded whatever the download's size;
  a record that cannot be read comes back as a `RecordError` naming its file and position,
  and the others still come.
- `parse(study)` maps one record to a `RegistryRecord`, or raises `RecordError` naming the
  field: a missing NCT ID, an unknown enumeration value, an impossible date, a wrong type or
  an oversized string. Real records are often partial (fetched with `fields=`): an absent
  field is absent, never an error.

Schema: https://clinicaltrials.gov/data-api/about-api/study-data-structure
"""

from __future__ import annotations

import datetime
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from therapies.models import OverallStatus, TrialPhase

# Registry enumerations the portal stores (the rest of a record is kept as imported).
STUDY_TYPES = ("INTERVENTIONAL", "OBSERVATIONAL", "EXPANDED_ACCESS")
INTERVENTION_TYPES = (
    "BEHAVIORAL", "BIOLOGICAL", "COMBINATION_PRODUCT", "DEVICE", "DIAGNOSTIC_TEST",
    "DIETARY_SUPPLEMENT", "DRUG", "GENETIC", "PROCEDURE", "RADIATION", "OTHER",
)  # fmt: skip
# What an arm of a trial is, as the registry says (armGroups[].type).
ARM_TYPES = ("EXPERIMENTAL", "ACTIVE_COMPARATOR", "PLACEBO_COMPARATOR", "SHAM_COMPARATOR",
             "NO_INTERVENTION", "OTHER")  # fmt: skip
DATE_TYPES = ("ACTUAL", "ESTIMATED")
PHASES = ("NA", "EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4")
# A study's phases as the portal's one phase: the registry lists a phase 1/2 trial as
# ["PHASE1", "PHASE2"].
_PHASE_OF = {
    ("NA",): TrialPhase.NA, ("EARLY_PHASE1",): TrialPhase.EARLY_PHASE1,
    ("PHASE1",): TrialPhase.PHASE1, ("PHASE1", "PHASE2"): TrialPhase.PHASE1_PHASE2,
    ("PHASE2",): TrialPhase.PHASE2, ("PHASE2", "PHASE3"): TrialPhase.PHASE2_PHASE3,
    ("PHASE3",): TrialPhase.PHASE3, ("PHASE4",): TrialPhase.PHASE4,
}  # fmt: skip
NCT_ID = re.compile(r"^NCT\d{8}$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# The parts of a record (protocolSection modules, and hasResults) and the facts each gives.
SECTIONS = {
    "identificationModule": ("brief_title", "official_title"),
    "statusModule": ("overall_status", "start", "primary_completion", "completion",
                     "last_update"),
    "designModule": ("phase", "study_type", "enrollment", "enrollment_type"),
    "conditionsModule": ("conditions",),
    "armsInterventionsModule": ("interventions", "arms"),
    "sponsorCollaboratorsModule": ("lead_sponsor", "collaborators"),
    "hasResults": ("results_posted",),
}  # fmt: skip
# The longest text the portal takes from a record (a title, a name, a condition); a longer
# one is a malformed record, not content.
MAX_TEXT = 2000
# The longest line or file read as one record: a real study is at most a few MB.
MAX_RECORD_BYTES = 20 * 1024 * 1024
# The longest text anywhere in a record, read or not: the registry caps its longest fields
# (a detailed description) at tens of thousands of characters, so a longer one is damage.
# Only documents over LARGE_DOCUMENT_BYTES are searched for one, so that the scan costs
# nothing on ordinary records.
MAX_ANY_TEXT = 1_000_000
LARGE_DOCUMENT_BYTES = 1024 * 1024
_NCT_ID_BYTES = re.compile(rb'"nctId"\s*:\s*"(NCT\d{8})"')


class RecordError(ValueError):
    """A record that cannot be imported, and why: `where` names the file and position,
    `nct_id` the study when it is known."""

    def __init__(self, message: str, *, where: str = "", nct_id: str = ""):
        super().__init__(message)
        self.message, self.where, self.nct_id = message, where, nct_id

    def __str__(self) -> str:
        parts = [self.where, self.nct_id]
        prefix = ", ".join(part for part in parts if part)
        return f"{prefix}: {self.message}" if prefix else self.message


@dataclass(frozen=True)
class RegistryDate:
    """A registry date: "2019", "2019-03" or "2019-03-14", actual or estimated (or not said)."""

    date: str
    type: str = ""

    @property
    def estimated(self) -> bool:
        return self.type == "ESTIMATED"


@dataclass(frozen=True)
class Intervention:
    type: str  # one of INTERVENTION_TYPES, or "" when the record does not say
    name: str
    other_names: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """As the registry writes it in an arm: "Drug: Pembrolizumab"."""
        kind = self.type.replace("_", " ").capitalize() if self.type else ""
        return f"{kind}: {self.name}" if kind else self.name


@dataclass(frozen=True)
class Arm:
    """One arm of a trial: its label, what it is (an ARM_TYPES value, "" when the record does
    not say) and the interventions it gives, as the registry writes them ("Drug: Ipilimumab")."""

    label: str
    type: str = ""
    interventions: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegistryRecord:
    """The registry facts of one study that a trial-note version holds."""

    nct_id: str
    brief_title: str = ""
    official_title: str = ""
    overall_status: str = ""  # an OverallStatus value
    phase: str = ""  # a TrialPhase value; "" when the record lists none (observational)
    study_type: str = ""
    conditions: tuple[str, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    arms: tuple[Arm, ...] = ()
    lead_sponsor: str = ""
    collaborators: tuple[str, ...] = ()
    enrollment: int | None = None
    enrollment_type: str = ""
    start: RegistryDate | None = None
    primary_completion: RegistryDate | None = None
    completion: RegistryDate | None = None
    results_posted: bool | None = None  # None: the record does not say
    last_update: str = ""  # the registry's last update posted, "YYYY-MM-DD"
    source: dict = field(default_factory=dict, compare=False, repr=False)
    # The parts of the record it was fetched with (a record fetched with `fields=` may lack
    # some): a fact of a missing part is unknown, not empty (see `merged`).
    sections: frozenset[str] = field(default=frozenset(SECTIONS), compare=False, repr=False)

    @property
    def updated_on(self) -> datetime.date | None:
        """The registry's last update of the record, as a date (parse checks it is whole)."""
        return datetime.date.fromisoformat(self.last_update) if self.last_update else None

    def facts(self) -> dict:
        """The mapped facts as plain JSON-able values, for storing and comparing imports."""
        facts = asdict(self)
        facts.pop("source")
        facts.pop("sections")
        for name in ("conditions", "collaborators"):
            facts[name] = list(facts[name])
        facts["interventions"] = [
            {**intervention, "other_names": list(intervention["other_names"])}
            for intervention in facts["interventions"]
        ]
        facts["arms"] = [{**arm, "interventions": list(arm["interventions"])}
                         for arm in facts["arms"]]  # fmt: skip
        return facts

    def merged(self, previous: RegistryRecord | None) -> RegistryRecord:
        """This record with the facts of the parts it lacks taken from `previous` (the same
        study imported before), so that a partial record never blanks what is known."""
        if previous is None or self.sections >= set(SECTIONS):
            return self
        kept = {name: getattr(previous, name) for section, names in SECTIONS.items()
                if section not in self.sections for name in names}  # fmt: skip
        return replace(self, **kept, sections=previous.sections | self.sections)

    @classmethod
    def from_facts(cls, facts: dict) -> RegistryRecord:
        """The record whose `facts()` are `facts` (as stored with a version or snapshot)."""
        known = {name: facts[name] for name in cls.__dataclass_fields__ if name in facts}
        for name in ("start", "primary_completion", "completion"):
            if known.get(name):
                known[name] = RegistryDate(**known[name])
        known["interventions"] = tuple(
            Intervention(item["type"], item["name"], tuple(item.get("other_names", ())))
            for item in known.get("interventions", ())
        )
        known["arms"] = tuple(
            Arm(item["label"], item.get("type", ""), tuple(item.get("interventions", ())))
            for item in known.get("arms", ())
        )
        for name in ("conditions", "collaborators"):
            known[name] = tuple(known.get(name, ()))
        return cls(**known)


# --- parsing one record ---------------------------------------------------------------------


def _get(mapping: dict, path: str, kind: type | tuple, where: str):
    """The value at a dotted `path`, checked to be of `kind`; None when absent."""
    value = mapping
    for part in path.split("."):
        if value is None:
            return None
        if not isinstance(value, dict):
            raise RecordError(f"{where}: expected an object, found {type(value).__name__}")
        value = value.get(part)
    if value is None:
        return None
    if isinstance(value, bool) and kind is not bool and bool not in _tuple(kind):
        raise RecordError(f"{path}: expected {_names(kind)}, found true/false")
    if not isinstance(value, kind):
        raise RecordError(f"{path}: expected {_names(kind)}, found {type(value).__name__}")
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise RecordError(f"{path}: a text of {len(value):,} characters (at most {MAX_TEXT:,})")
    return value


def _tuple(kind) -> tuple:
    return kind if isinstance(kind, tuple) else (kind,)


def _names(kind) -> str:
    names = {str: "text", int: "a number", bool: "true/false", list: "a list", dict: "an object"}
    return " or ".join(names.get(k, k.__name__) for k in _tuple(kind))


def _text(mapping: dict, path: str) -> str:
    return (_get(mapping, path, str, path) or "").strip()


def _texts(mapping: dict, path: str) -> tuple[str, ...]:
    values = _get(mapping, path, list, path) or []
    found = []
    for position, value in enumerate(values):
        if not isinstance(value, str):
            raise RecordError(f"{path}[{position}]: expected text, found {type(value).__name__}")
        if len(value) > MAX_TEXT:
            raise RecordError(f"{path}[{position}]: a text of {len(value):,} characters")
        if value.strip() and value.strip() not in found:
            found.append(value.strip())
    return tuple(found)


def _enum(value: str, allowed, path: str) -> str:
    if value and value not in allowed:
        raise RecordError(f"{path}: unknown value {value!r}")
    return value


def _date(mapping: dict, path: str) -> RegistryDate | None:
    struct = _get(mapping, path, dict, path)
    if struct is None:
        return None
    date = _text(struct, "date")
    if not date:
        return None
    match = _DATE.match(date)
    if match is None:
        raise RecordError(f"{path}.date: {date!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        raise RecordError(f"{path}.date: {date!r} is not a date that exists") from None
    return RegistryDate(date, _enum(_text(struct, "type"), DATE_TYPES, f"{path}.type"))


def _arms(protocol: dict) -> tuple[Arm, ...]:
    """The record's arms. They only word a reviewer's conflict of interest ("the comparator in
    arm …"), so a malformed list is left out rather than failing the record, and an arm type
    the portal does not know is kept as unknown ("")."""
    try:
        raw_arms = _get(protocol, "armsInterventionsModule.armGroups", list, "armGroups") or []
        arms = []
        for raw in raw_arms:
            if isinstance(raw, dict) and (label := _text(raw, "label")):
                kind = _text(raw, "type")
                arms.append(Arm(label, kind if kind in ARM_TYPES else "",
                                _texts(raw, "interventionNames")))  # fmt: skip
        return tuple(arms)
    except RecordError:
        return ()


def parse(study) -> RegistryRecord:
    """Map one API v2 study record to its registry facts (see the module docstring)."""
    if not isinstance(study, dict):
        raise RecordError(f"a study is an object, found {type(study).__name__}")
    protocol = _get(study, "protocolSection", dict, "protocolSection")
    if protocol is None:
        raise RecordError("no protocolSection, so no NCT ID")
    nct_id = _text(protocol, "identificationModule.nctId")
    if not nct_id:
        raise RecordError("no NCT ID (protocolSection.identificationModule.nctId)")
    if not NCT_ID.match(nct_id):
        raise RecordError(f"{nct_id!r} is not an NCT ID (NCT and eight digits)")
    try:
        return _parse(study, protocol, nct_id)
    except RecordError as error:
        error.nct_id = nct_id
        raise


def _parse(study: dict, protocol: dict, nct_id: str) -> RegistryRecord:
    status = "statusModule"
    phases = tuple(_texts(protocol, "designModule.phases"))
    for phase in phases:
        _enum(phase, PHASES, "designModule.phases")
    if phases and phases not in _PHASE_OF:
        raise RecordError(f"designModule.phases: {list(phases)} is not a phase the portal knows")
    interventions = []
    raw_interventions = _get(protocol, "armsInterventionsModule.interventions", list,
                             "interventions") or []  # fmt: skip
    for position, raw in enumerate(raw_interventions):
        where = f"armsInterventionsModule.interventions[{position}]"
        if not isinstance(raw, dict):
            raise RecordError(f"{where}: expected an object, found {type(raw).__name__}")
        name = _text(raw, "name")
        if name:
            interventions.append(Intervention(
                _enum(_text(raw, "type"), INTERVENTION_TYPES, f"{where}.type"), name,
                _texts(raw, "otherNames"),
            ))  # fmt: skip
    collaborators = []
    for position, raw in enumerate(
        _get(protocol, "sponsorCollaboratorsModule.collaborators", list, "collaborators") or []
    ):
        if not isinstance(raw, dict):
            raise RecordError(f"sponsorCollaboratorsModule.collaborators[{position}]: expected "
                              f"an object, found {type(raw).__name__}")  # fmt: skip
        if name := _text(raw, "name"):
            collaborators.append(name)
    count = _get(protocol, "designModule.enrollmentInfo.count", int, "enrollment")
    if count is not None and count < 0:
        raise RecordError(f"designModule.enrollmentInfo.count: {count} is negative")
    has_results = _get(study, "hasResults", bool, "hasResults")
    last_update = _date(protocol, f"{status}.lastUpdatePostDateStruct")
    if last_update is not None and len(last_update.date) != 10:
        raise RecordError(f"{status}.lastUpdatePostDateStruct.date: {last_update.date!r} is "
                          "not a whole date (YYYY-MM-DD)")  # fmt: skip
    sections = {name for name in SECTIONS if name in protocol}
    if "hasResults" in study:
        sections.add("hasResults")
    return RegistryRecord(
        nct_id=nct_id,
        brief_title=_text(protocol, "identificationModule.briefTitle"),
        official_title=_text(protocol, "identificationModule.officialTitle"),
        overall_status=_enum(
            _text(protocol, f"{status}.overallStatus"),
            OverallStatus.values,
            f"{status}.overallStatus",
        ),  # fmt: skip
        phase=_PHASE_OF[phases] if phases else "",
        study_type=_enum(
            _text(protocol, "designModule.studyType"), STUDY_TYPES, "designModule.studyType"
        ),  # fmt: skip
        conditions=_texts(protocol, "conditionsModule.conditions"),
        interventions=tuple(interventions),
        arms=_arms(protocol),
        lead_sponsor=_text(protocol, "sponsorCollaboratorsModule.leadSponsor.name"),
        collaborators=tuple(collaborators),
        enrollment=count,
        enrollment_type=_enum(
            _text(protocol, "designModule.enrollmentInfo.type"),
            DATE_TYPES,
            "designModule.enrollmentInfo.type",
        ),  # fmt: skip
        start=_date(protocol, f"{status}.startDateStruct"),
        primary_completion=_date(protocol, f"{status}.primaryCompletionDateStruct"),
        completion=_date(protocol, f"{status}.completionDateStruct"),
        results_posted=has_results,
        last_update=last_update.date if last_update else "",
        source=study,
        sections=frozenset(sections),
    )


# --- reading records --------------------------------------------------------------------------

_LINE_FORMATS = (".ndjson", ".jsonl")


def read(paths: Iterable[str | Path]) -> Iterator[tuple[str, dict | RecordError]]:
    """(where, record) for every study record in `paths` — files, folders, `.zip` files —
    one at a time, in order. `where` names the file, line and position; a record that
    cannot be read comes as a RecordError saying why, and the others still come."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file()
                           and p.suffix in (".json", ".zip", *_LINE_FORMATS))  # fmt: skip
            yield from read(found)
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for member in sorted(archive.namelist()):
                    if member.endswith((".json", *_LINE_FORMATS)):
                        with archive.open(member) as stream:
                            yield from _read_stream(stream, f"{path}:{member}",
                                                    member.endswith(_LINE_FORMATS))  # fmt: skip
        elif not path.is_file():
            yield str(path), RecordError("no such file", where=str(path))
        else:
            with path.open("rb") as stream:
                yield from _read_stream(stream, str(path), path.suffix in _LINE_FORMATS)


def _read_stream(stream, name: str, ndjson: bool) -> Iterator[tuple[str, dict | RecordError]]:
    """One file's records: NDJSON (one study or page a line), or one JSON document (a
    study or a page). A `.json` file whose first line is a whole JSON document is read as
    NDJSON too. NDJSON is read a line at a time; a document whole (a page holds at most
    1,000 studies), up to MAX_RECORD_BYTES."""
    lines = _lines(stream)
    first = next(lines, None)
    if first is None:
        yield name, RecordError("empty file", where=name)
        return
    if not ndjson and first[1] is not None:
        try:
            json.loads(first[1].decode("utf-8"))
            ndjson = True
        except (UnicodeDecodeError, json.JSONDecodeError):
            ndjson = False
    if ndjson:
        for number, line in _chain(first, lines):
            where = f"{name} line {number}"
            if line is None:
                yield where, RecordError(f"a line over {MAX_RECORD_BYTES // 2**20} MB",
                                         where=where)  # fmt: skip
            elif line.strip():
                yield from _documents(line, where)
        return
    parts = [first[1] or b""]
    size = len(parts[0])
    for _, line in lines:
        if line is None or size > MAX_RECORD_BYTES:
            yield name, RecordError(f"a JSON document over {MAX_RECORD_BYTES // 2**20} MB",
                                    where=name)  # fmt: skip
            return
        parts.append(line)
        size += len(line)
    yield from _documents(b"".join(parts), name)


def _chain(first, rest):
    yield first
    yield from rest


def _lines(stream) -> Iterator[tuple[int, bytes | None]]:
    """(number, line) of a binary stream; None for a line longer than MAX_RECORD_BYTES,
    which is skipped without holding it."""
    number = 0
    while line := stream.readline(MAX_RECORD_BYTES + 1):
        number += 1
        if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
            while (chunk := stream.readline(MAX_RECORD_BYTES)) and not chunk.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, line


def _documents(data: bytes, where: str) -> Iterator[tuple[str, dict | RecordError]]:
    """The studies of one JSON document: itself, or a page's `studies`."""
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        yield where, RecordError(f"not UTF-8 text (byte {error.start})", where=where,
                                 nct_id=_nct_id_in(data))  # fmt: skip
        return
    except json.JSONDecodeError as error:
        message = f"malformed JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        yield where, RecordError(message, where=where, nct_id=_nct_id_in(data))
        return
    large = len(data) > LARGE_DOCUMENT_BYTES
    if isinstance(document, dict) and "studies" in document:
        studies = document["studies"]
        if not isinstance(studies, list):
            yield where, RecordError("`studies` is not a list", where=where)
            return
        for position, study in enumerate(studies, start=1):
            yield _checked(f"{where}, study {position}", study, large)
    else:
        yield _checked(where, document, large)


def _nct_id_in(data: bytes) -> str:
    """The NCT ID of a record that could not be decoded, when its bytes name only one."""
    found = set(_NCT_ID_BYTES.findall(data))
    return found.pop().decode() if len(found) == 1 else ""


def _checked(where: str, study, large: bool) -> tuple[str, dict | RecordError]:
    """A study, or a RecordError if it holds an oversized text in any field (searched for
    only in a large document)."""
    if large and (path := _oversized_text(study)):
        return where, RecordError(f"{path}: a text of more than {MAX_ANY_TEXT:,} characters",
                                  where=where, nct_id=_nct_id_of(study))  # fmt: skip
    return where, study


def _nct_id_of(study) -> str:
    try:
        value = study["protocolSection"]["identificationModule"]["nctId"]
    except (TypeError, KeyError):
        return ""
    return value if isinstance(value, str) and NCT_ID.match(value) else ""


def _oversized_text(value, path: str = "") -> str:
    """The path of the first text longer than MAX_ANY_TEXT in `value`, or ""."""
    stack = [(path, value)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if len(value) > MAX_ANY_TEXT:
                return path or "the record"
        elif isinstance(value, dict):
            stack.extend((f"{path}.{key}" if path else key, item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((f"{path}[{n}]", item) for n, item in enumerate(value))
    return ""


# --- the registry's API -----------------------------------------------------------------------

DEFAULT_API_URL = "https://clinicaltrials.gov/api/v2"
# Only what `parse` reads, so a page of 1,000 studies stays small.
FIELDS = ",".join([
    "protocolSection.identificationModule", "protocolSection.statusModule",
    "protocolSection.sponsorCollaboratorsModule", "protocolSection.conditionsModule",
    "protocolSection.designModule", "protocolSection.armsInterventionsModule", "hasResults",
])  # fmt: skip


class RegistryUnavailable(RuntimeError):
    """The registry did not answer usefully, after the retries."""


class Client:
    """A client of the registry's API v2 `/studies` (https://clinicaltrials.gov/data-api/api).

    requests with urllib3's Retry: up to `retries` further tries on 429 and 5xx answers and on
    broken connections, waiting `backoff` × 2^n seconds or what Retry-After says. It names
    itself with a descriptive User-Agent, as the registry asks of automated clients.
    """

    def __init__(self, base_url: str = DEFAULT_API_URL, *, user_agent: str, retries: int = 5,
                 backoff: float = 1.0, timeout: float = 60):  # fmt: skip
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": user_agent, "Accept": "application/json"})
        retry = Retry(total=retries, backoff_factor=backoff, status_forcelist=(429, 500, 502,
                      503, 504), allowed_methods=("GET",), respect_retry_after_header=True,
                      raise_on_status=False)  # fmt: skip
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self.session.mount("https://", HTTPAdapter(max_retries=retry))

    def studies(
        self, *, query: str = "", condition: str = "", since: datetime.date | None = None,
        page_size: int = 100, limit: int | None = None,
    ) -> Iterator[dict]:  # fmt: skip
        """The studies matching `query` (any field) and `condition`, last updated on or after
        `since`, page by page (`pageToken`), at most `limit` of them."""
        params = {"format": "json", "pageSize": page_size, "fields": FIELDS}
        if query:
            params["query.term"] = query
        if condition:
            params["query.cond"] = condition
        if since is not None:
            params["filter.advanced"] = f"AREA[LastUpdatePostDate]RANGE[{since:%Y-%m-%d},MAX]"
        found = 0
        token = None
        while True:
            try:
                response = self.session.get(
                    f"{self.base_url}/studies", timeout=self.timeout,
                    params={**params, **({"pageToken": token} if token else {})},
                )  # fmt: skip
            except requests.RequestException as error:
                raise RegistryUnavailable(f"ClinicalTrials.gov did not answer: {error}") from error
            if response.status_code != 200:
                raise RegistryUnavailable(
                    f"ClinicalTrials.gov answered {response.status_code} to {response.url}"
                )
            try:
                page = response.json()
            except ValueError as error:
                raise RegistryUnavailable(
                    "ClinicalTrials.gov answered something not JSON"
                ) from error
            for study in page.get("studies") or []:
                yield study
                found += 1
                if limit is not None and found >= limit:
                    return
            token = page.get("nextPageToken")
            if not token:
                return
