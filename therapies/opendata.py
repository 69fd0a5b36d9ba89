"""Open data: the published content as records, now or at any past moment.

What the JSON API (therapies/api.py), the data releases (therapies/releases.py) and the
pinned public pages read. Everything starts from `live_at` (what readers saw at a moment)
or `ever_published` (every version that was once public), never from the versions table
as a whole, so drafts, versions in review and scheduled versions cannot reach a record.

A version was live from its `published_at` until its `live_until` (superseded or
unpublished; empty while it is live), so "what the portal showed at T" is one indexed
condition per kind. Records are plain JSON-able dicts built for a page of versions at a
time with a fixed number of queries, whatever the page's size.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import functools
import json
import re
from collections import defaultdict
from urllib.parse import quote

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from therapies import catalog, kinds, search, trust
from therapies.citations import number_markers, references
from therapies.fields import source_url
from therapies.models import (
    CancerType,
    Citation,
    EvidenceLevel,
    OverallStatus,
    TherapyArticleVersion,
    TherapyClass,
    TrialPhase,
    VersionState,
)
from therapies.validators import NCT_ID_RE

# The states of a version that was once public: live now, replaced, or taken down.
EVER_PUBLISHED_STATES = (VersionState.PUBLISHED, VersionState.SUPERSEDED, VersionState.UNPUBLISHED)
# The collections of content, by their name in addresses and files.
COLLECTIONS = {"therapies": "therapy", "combinations": "combination", "trials": "trial"}
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]{1,200}")


class BadRequest(ValueError):
    """A filter or parameter a client got wrong: answered 400 with this message."""

    def __init__(self, message: str, *, parameter: str = ""):
        super().__init__(message)
        self.message, self.parameter = message, parameter


# --- moments and versions ----------------------------------------------------------------------


def parse_moment(text: str | None, parameter: str = "as_of") -> datetime.datetime | None:
    """An ISO 8601 moment (`2026-06-01T00:00:00Z`, or a date, read as its midnight UTC); None
    when not given. A time without a zone is read as UTC."""
    if text is None or text == "":
        return None
    text = text.strip()
    # "+02:00" written unencoded in a query string arrives as " 02:00".
    text = re.sub(r" (\d\d:?\d\d)$", r"+\1", text)
    moment = None
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = datetime.date.fromisoformat(text)
            moment = datetime.datetime.combine(day, datetime.time.min)
    except ValueError:
        moment = None
    if moment is None:
        raise BadRequest(
            f"{parameter} must be an ISO 8601 date or time, e.g. 2026-06-01T00:00:00Z.",
            parameter=parameter,
        )
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    if moment.year < 1900:
        raise BadRequest(f"{parameter} is before any publication.", parameter=parameter)
    if moment.year > 9000:
        raise BadRequest(f"{parameter} is too far in the future.", parameter=parameter)
    return moment


def live_condition(moment: datetime.datetime | None = None, prefix: str = "") -> Q:
    """A version (reached through `prefix`, e.g. "version__") that readers saw at `moment`
    (now when None)."""
    if moment is None:
        return Q(**{f"{prefix}state": VersionState.PUBLISHED})
    return (
        Q(**{f"{prefix}state": VersionState.PUBLISHED, f"{prefix}live_until__isnull": True})
        | Q(**{f"{prefix}live_until__gt": moment})
    ) & Q(**{f"{prefix}state__in": EVER_PUBLISHED_STATES, f"{prefix}published_at__lte": moment})


def live_at(version_model, moment: datetime.datetime | None = None):
    """The versions readers saw at `moment` (now when None): at most one per item."""
    return version_model.objects.filter(live_condition(moment))


def ever_published(version_model):
    """Every version that was once public, whatever it is now."""
    return version_model.objects.filter(state__in=EVER_PUBLISHED_STATES, published_at__isnull=False)


def kind_of(collection: str) -> kinds.Kind:
    return kinds.get(COLLECTIONS[collection])


def check_key(kind: kinds.Kind, key: str) -> str:
    """A well-formed key of the kind (an NCT ID in capitals, or a slug), else BadRequest."""
    if kind.key_field == "nct_id":
        key = key.upper()
        if not NCT_ID_RE.fullmatch(key):
            raise BadRequest(
                "A trial is named by its NCT ID, e.g. NCT01844505.", parameter="nct_id"
            )
    elif not SLUG_RE.fullmatch(key):
        raise BadRequest(
            "Not a valid identifier (letters, digits, - and _).", parameter=kind.key_field
        )
    return key


# --- filters ------------------------------------------------------------------------------------


def _choice(params: dict, name: str, choices) -> str:
    value = params.get(name) or ""
    if value and value not in dict(choices):
        allowed = ", ".join(str(code) for code, _ in choices)
        raise BadRequest(f"{name} must be one of: {allowed}.", parameter=name)
    return value


def _slug(params: dict, name: str) -> str:
    value = (params.get(name) or "").strip()
    if value and not SLUG_RE.fullmatch(value):
        raise BadRequest(f"{name} must be a slug (letters, digits, - and _).", parameter=name)
    return value


def _text(params: dict, name: str, limit: int = 200) -> str:
    value = (params.get(name) or "").strip()
    if len(value) > limit:
        raise BadRequest(f"{name} is longer than {limit} characters.", parameter=name)
    return value


RESULTS_CHOICES = [("posted", "Results posted"), ("none", "No results posted")]


def filter_versions(kind: kinds.Kind, versions, params: dict, moment=None):
    """The list filters of the kind's public page, on `versions` (live at `moment`), and
    full-text search (`q`). A value the page would not offer is a BadRequest."""
    if kind.name == "therapy":
        if therapy_class := _choice(params, "therapy_class", TherapyClass.choices):
            versions = versions.filter(therapy_class=therapy_class)
        if cancer := _slug(params, "cancer"):
            versions = versions.filter(cancer_types__slug=cancer)
        if evidence := _choice(params, "evidence", EvidenceLevel.choices):
            versions = versions.filter(evidence_level=evidence)
    elif kind.name == "combination":
        class_a = _choice(params, "class_a", TherapyClass.choices)
        class_b = _choice(params, "class_b", TherapyClass.choices)
        versions = catalog.with_classes(
            versions, class_a, class_b, therapies=live_at(TherapyArticleVersion, moment)
        )
        if evidence := _choice(params, "evidence", EvidenceLevel.choices):
            versions = versions.filter(evidence_level=evidence)
        if therapy := _slug(params, "therapy"):
            versions = versions.filter(therapies__slug=therapy)
    elif kind.name == "trial":
        if phase := _choice(params, "phase", TrialPhase.choices):
            versions = versions.filter(phase=phase)
        if status := _choice(params, "status", OverallStatus.choices):
            versions = versions.filter(overall_status=status)
        if condition := _text(params, "condition"):
            # The whole condition as registered, in any case (the spellings published trial
            # notes use, and the one asked for, which an older version may have used).
            matches = Q(conditions__has_entry=condition)
            for spelling in catalog.spellings_of(condition):
                matches |= Q(conditions__has_entry=spelling)
            versions = versions.filter(matches)
        if therapy := _slug(params, "therapy"):
            versions = versions.filter(therapies__slug=therapy)
        if results := _choice(params, "results", RESULTS_CHOICES):
            versions = (
                versions.filter(results_posted=True)
                if results == "posted"
                else versions.exclude(results_posted=True)
            )
    if query := search.clean_query(params.get("q")):
        versions = versions.filter(search.matches(kind.version_model, query))
    return versions


# --- cursor pagination --------------------------------------------------------------------------


def encode_cursor(after: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": after}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    """The key the page starts after; a cursor this API did not give out is a BadRequest."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        after = data["after"]
        if not isinstance(after, str) or len(after) > 600 or _CONTROL.search(after):
            raise ValueError(after)
        after.encode("utf-8")  # a lone surrogate is no key of ours
    except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error):
        raise BadRequest("Not a cursor given out by this API.", parameter="cursor") from None
    return after


def check_limit(limit) -> int:
    if limit is None or limit == "":
        return DEFAULT_LIMIT
    try:
        limit = int(limit)
    except (TypeError, ValueError):
        raise BadRequest("limit must be a whole number.", parameter="limit") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise BadRequest(f"limit must be between 1 and {MAX_LIMIT}.", parameter="limit")
    return limit


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NUMBERED_ORDERS = frozenset({"pk", "number"})


def page(rows, order: str, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """One page of `rows` ordered by the unique `order` field (stable, whatever is
    published meanwhile), after the cursor's key: (rows, the next page's cursor or None).
    One query, one row more than the page to know whether another follows."""
    after = decode_cursor(cursor)
    if after is not None and order in NUMBERED_ORDERS:
        if not after.isascii() or not after.isdigit() or len(after) > 18:
            raise BadRequest("Not a cursor given out by this list.", parameter="cursor")
        after = int(after)
    if after is not None:
        rows = rows.filter(**{f"{order}__gt": after})
    found = list(rows.order_by(order)[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    if not more:
        return found, None
    last = found[-1]
    for part in order.split("__"):
        last = getattr(last, part)
    return found, encode_cursor(str(last))


# --- records ------------------------------------------------------------------------------------


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def iso(moment) -> str | None:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z") if moment else None


def _coded(value: str, choices) -> dict | None:
    return {"code": value, "label": str(dict(choices).get(value, value))} if value else None


def public_name(user) -> str | None:
    """How a reviewer is named in public data: their full name, else their username unless
    it is an e-mail address."""
    if user is None:
        return None
    name = user.get_full_name() or user.get_username()
    return name if "@" not in name else "A moderator of the portal"


def _reviewer(version) -> dict:
    user = version.reviewed_by
    statement = trust.statement_at_review(version)
    return {
        "by": public_name(user),
        "at": iso(version.approved_at),
        # What the public page's "Reviewed by" line shows of the reviewer's statement.
        "interests_declared": None
        if statement is None
        else {
            "declared_on": statement.declared_on.isoformat() if statement.declared_on else None,
            "agents": statement.agents,
            "sponsors": statement.sponsors,
        },
    }


def citation_id(citation: Citation) -> str:
    return f"{citation.kind}:{citation.value}"


def _citation(link) -> dict:
    citation = link.citation
    same_as = citation.same_as
    return {
        "id": citation_id(citation),
        "type": citation.kind,
        "identifier": citation.value,
        "label": citation.label,
        "url": citation.url,
        "supports": link.supports,
        "same_as": citation_id(same_as) if same_as else None,
    }


_MARKS = ("opendata-key-0", "11111", "22222")


@functools.lru_cache(maxsize=128)
def _url_pattern(url_name: str, arguments: int, script_prefix: str) -> str:
    """reverse(url_name) once, as a format string with {0}, {1}… for its arguments: a page of
    a hundred records links each six ways, and reverse() walks the resolver every time.
    Keys are slugs and NCT IDs (validated on save), numbers are numbers: nothing to quote."""
    marks = [_MARKS[0], *_MARKS[1:]][:arguments]
    url = reverse(url_name, args=marks)
    for position, mark in enumerate(marks):
        url = url.replace(mark, f"{{{position}}}")
    return url


def url_for(url_name: str, *arguments) -> str:
    """The absolute address of a public page or endpoint (SITE_URL, so the same records
    in the API and in a release)."""
    pattern = _url_pattern(url_name, len(arguments), get_script_prefix())
    return absolute(pattern.format(*arguments))


def version_links(kind: kinds.Kind, key: str, number: int) -> dict:
    collection = next(name for name, kind_name in COLLECTIONS.items() if kind_name == kind.name)
    return {
        "page": url_for(f"therapies:{kind.url_name}_detail", key),
        "history": url_for(f"therapies:{kind.url_name}_history", key),
        "version_page": url_for(f"therapies:{kind.url_name}_version", key, number),
        "api": url_for(f"api-v1:{collection}-detail", key),
        "versions": url_for(f"api-v1:{collection}-versions", key),
        "version_api": url_for(f"api-v1:{collection}-version", key, number),
    }


def _linked_titles(versions, link: str, target: str, moment) -> dict[int, list[dict]]:
    """For each version, the items it links by `link` that were live at `moment` (at its own
    publication, for a version no longer live read on its own), as {id, title}, by id: one
    query for the links and one per moment (one, for a list)."""
    field = kinds.of(versions[0]).version_model._meta.get_field(link)
    source, linked = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    pairs = list(
        field.remote_field.through.objects.filter(
            **{f"{source}__in": [version.pk for version in versions]}
        ).values_list(source, linked)
    )
    wanted = {item_id for _, item_id in pairs}
    target_kind = kinds.get(target)
    shown = {}
    for at in {moment or version.live_moment for version in versions}:
        rows = (
            live_at(target_kind.version_model, at)
            .filter(item_id__in=wanted)
            .values_list("item_id", f"item__{target_kind.key_field}", "title")
        )
        shown[at] = {item_id: {"id": key, "title": title} for item_id, key, title in rows}
    linked_by = defaultdict(list)
    for version_id, item_id in pairs:
        linked_by[version_id].append(item_id)
    return {
        version.pk: sorted(
            (
                shown[moment or version.live_moment][item_id]
                for item_id in linked_by[version.pk]
                if item_id in shown[moment or version.live_moment]
            ),
            key=lambda entry: entry["id"],
        )
        for version in versions
    }


def _trial_fields(version) -> dict:
    record = version.registry_record or {}
    arms = [
        {
            "label": arm.get("label", ""),
            "type": arm.get("type", ""),
            "interventions": list(arm.get("interventions", [])),
        }
        for arm in record.get("arms", [])
    ]
    interventions = [
        {"type": entry.get("type", ""), "name": entry.get("name", "")}
        for entry in record.get("interventions", [])
    ]
    return {
        "nct_id": version.item.nct_id,
        "registry_url": version.item.registry_url,
        "brief_title": version.brief_title,
        "official_title": version.official_title,
        "phase": _coded(version.phase, TrialPhase.choices),
        "overall_status": _coded(version.overall_status, OverallStatus.choices),
        "study_type": version.study_type or None,
        "conditions": list(version.conditions),
        "interventions": list(version.interventions),
        "registry_interventions": interventions,
        "arms": arms,
        "sponsor": version.sponsor,
        "collaborators": list(version.collaborators),
        "enrollment": version.enrollment,
        "enrollment_type": version.enrollment_type or None,
        "start_date": version.start_date or None,
        "start_date_type": version.start_date_type or None,
        "primary_completion_date": version.primary_completion_date or None,
        "primary_completion_date_type": version.primary_completion_date_type or None,
        "completion_date": version.completion_date or None,
        "completion_date_type": version.completion_date_type or None,
        "results_posted": version.results_posted,
        "registry_last_update": (
            version.registry_last_update.isoformat() if version.registry_last_update else None
        ),
        "registry_difference": version.registry_difference,
    }


def prepare(versions: list, moment=None) -> list:
    """Load what records of `versions` (one kind) show, in a fixed number of queries:
    their citations, cancer types and linked items live at `moment` (each version's own
    publication when None and the version is not live now)."""
    if not versions:
        return versions
    kind = kinds.of(versions[0])
    for version in versions:
        version.live_moment = (
            version.published_at if version.state != VersionState.PUBLISHED else None
        )
    citation_model = kind.version_model._meta.get_field("citation_links").related_model
    links = defaultdict(list)
    for link in (
        citation_model.objects.filter(version__in=versions)
        .select_related("citation", "citation__same_as")
        .order_by("version_id", "position", "pk")
    ):
        links[link.version_id].append(link)
    for version in versions:
        version.api_citations = links[version.pk]
    if kind.name == "therapy":
        through = kind.version_model.cancer_types.through
        types = defaultdict(list)
        for row in (
            through.objects.filter(therapyarticleversion__in=versions)
            .select_related("cancertype")
            .order_by("cancertype__name")
        ):
            types[row.therapyarticleversion_id].append(row.cancertype)
        for version in versions:
            version.api_cancer_types = types[version.pk]
    for link, target in kind.links.items():
        found = _linked_titles(versions, link, target, moment)
        for version in versions:
            setattr(version, f"api_{link}", found[version.pk])
    return versions


def _as_it_stood(version, moment) -> dict:
    """The version's status, end and correction as they stood at `moment` (now when None):
    a version live then is "published" with no end, and a correction made later is not
    shown, so an answer or a release about a past moment never tells what came after it."""
    status, until = version.state, version.live_until
    if moment is not None and (until is None or until > moment):
        status, until = VersionState.PUBLISHED, None
    corrected = version.corrected_at
    if corrected is not None and moment is not None and corrected > moment:
        corrected = None
    return {
        "status": status,
        "live_until": iso(until),
        "correction": {"at": iso(corrected), "note": version.correction_note}
        if corrected else None,
    }  # fmt: skip


_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)


def public_markdown(text: str) -> str:
    """The Markdown source as published: without HTML comments, which the rendered page
    never shows and which editors use for notes to each other."""
    return _HTML_COMMENT.sub("", text or "")


def record(version, moment=None) -> dict:
    """A version as a JSON-able record (after `prepare`), as it stood at `moment`."""
    kind = kinds.of(version)
    key = version.item.key
    data = {
        "id": key,
        "kind": kind.name,
        "title": version.title,
        "summary": version.summary,
        "version": version.number,
        "published_at": iso(version.published_at),
        **_as_it_stood(version, moment),
        "reviewed": _reviewer(version),
        "change_summary": version.change_summary,
        "evidence_level": _coded(getattr(version, "evidence_level", ""), EvidenceLevel.choices),
        "citations": [_citation(link) for link in version.api_citations],
        "body_markdown": public_markdown(version.body),
        # Citation markers numbered as the record's references (same papers merged).
        "body_html": number_markers(version.body_html, references(version.api_citations)),
        "links": version_links(kind, key, version.number),
    }
    if hasattr(version, "assessed_on"):
        data["assessed_on"] = version.assessed_on.isoformat() if version.assessed_on else None
    if kind.name == "therapy":
        data["regulatory_status"] = [
            {"agent": entry.get("agent", ""), "status": entry.get("status", ""),
             "date": entry.get("date", ""), "source": source_url(entry.get("source", "")),
             "indication": entry.get("indication", "")}
            for entry in version.regulatory_status or []
        ]  # fmt: skip
        data["therapy_class"] = _coded(version.therapy_class, TherapyClass.choices)
        data["key_agents"] = list(version.key_agents)
        data["cancer_types"] = [{"id": c.slug, "name": c.name} for c in version.api_cancer_types]
    elif kind.name == "combination":
        data["therapies"] = version.api_therapies
        data["other_treatments"] = list(version.other_treatments)
        data["key_trials"] = list(version.key_trials)
    elif kind.name == "trial":
        data.update(_trial_fields(version))
        data["therapies"] = version.api_therapies
        data["combinations"] = version.api_combinations
    return data


def version_summary(version, moment=None) -> dict:
    """One line of an item's list of versions: when it was live, and what it changed (as it
    stood at `moment`)."""
    kind = kinds.of(version)
    key = version.item.key
    return {
        "version": version.number,
        "title": version.title,
        "published_at": iso(version.published_at),
        **_as_it_stood(version, moment),
        "change_summary": version.change_summary,
        "links": version_links(kind, key, version.number),
    }


def records(versions, moment=None) -> list[dict]:
    return [record(version, moment) for version in prepare(list(versions), moment)]


def versions_for_records(version_model):
    """The columns and joins a record reads (the body included)."""
    return version_model.objects.select_related("item", "reviewed_by")


# --- cancer types, citations, the evidence scale ---------------------------------------------


def cancer_types(moment=None):
    """Cancer types that therapy articles live at `moment` cover (a type only a draft names
    is not public)."""
    through = TherapyArticleVersion.cancer_types.through.objects.filter(
        live_condition(moment, "therapyarticleversion__"), cancertype=OuterRef("pk")
    )
    return CancerType.objects.filter(Exists(through))


def cancer_type_record(cancer_type) -> dict:
    return {
        "id": cancer_type.slug,
        "name": cancer_type.name,
        "links": {
            "therapies": url_for("api-v1:therapies-list") + f"?cancer={cancer_type.slug}",
            "page": absolute(reverse("therapies:therapy_list")) + f"?cancer={cancer_type.slug}",
            "api": url_for("api-v1:cancer-types-detail", cancer_type.slug),
        },
    }


def cited(moment=None):
    """Citations cited by a version live at `moment` (one only a draft cites is not public)."""
    # One EXISTS per kind, probed row by row along the page's order (the citation index of
    # each kind's links): a page reads its own rows, not every link of every version.
    condition = Q()
    for kind in kinds.all_kinds():
        citation_model = kind.version_model._meta.get_field("citation_links").related_model
        condition |= Exists(
            citation_model.objects.filter(live_condition(moment, "version__"),
                                          citation=OuterRef("pk"))
        )  # fmt: skip
    return Citation.objects.filter(condition).select_related("same_as")


def parse_citation_id(text: str) -> tuple[str, str]:
    kind, _, value = text.partition(":")
    if kind not in Citation.Kind.values or not value or len(value) > 500:
        raise BadRequest(
            "A citation is named type:identifier, e.g. pmid:26027431 or doi:10.1056/NEJMoa1504030.",
            parameter="citation",
        )
    return kind, Citation.normalize_value(kind, value)


def citation_record(citation: Citation, cited_by: list | None = None) -> dict:
    data = {
        "id": citation_id(citation),
        "type": citation.kind,
        "identifier": citation.value,
        "label": citation.label,
        "url": citation.url,
        "same_as": citation_id(citation.same_as) if citation.same_as else None,
        "links": {
            "api": url_for("api-v1:citations-detail", quote(citation_id(citation), safe=":/;()._-"))
        },
    }
    if cited_by is not None:
        data["cited_by"] = cited_by
    return data


def citing(citation: Citation, moment=None, limit: int = 200) -> list[dict]:
    """The items live at `moment` that cite `citation`, with what it supports there: one
    query per kind, at most `limit` of each."""
    found = []
    for kind in kinds.all_kinds():
        citation_model = kind.version_model._meta.get_field("citation_links").related_model
        live = live_at(kind.version_model, moment).values("pk")
        rows = (
            citation_model.objects.filter(citation=citation, version__in=live)
            .values_list(f"version__item__{kind.key_field}", "version__title", "supports")
            .order_by(f"version__item__{kind.key_field}")[:limit]
        )
        found += [
            {"kind": kind.name, "id": key, "title": title, "supports": supports}
            for key, title, supports in rows
        ]
    return found


def evidence_levels() -> list[dict]:
    return [
        {
            "code": level.value,
            "label": str(level.label),
            "definition": level.definition,
            "rank": rank,
            "page": absolute(reverse("evidence_scale")) + f"#{level.anchor}",
        }
        for rank, level in enumerate(EvidenceLevel, start=1)
    ]
