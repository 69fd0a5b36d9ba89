"""The read-only JSON API, /api/v1/, on django-ninja.

django-ninja gives typed query parameters, response models checked against what is sent,
and an OpenAPI 3.1 schema generated from the same declarations (with its own Swagger UI
files, served by us: no CDN). The records themselves come from therapies/opendata.py,
which the data releases share, so the API and a release describe a version the same way.

The views stay thin: check the parameters, read through opendata, shape the answer. HTTP
concerns live elsewhere: conditional requests and caching in the page cache
(therapies/pagecache.py, by scope: an item's endpoints on its item, the rest on the
catalogue), the rate limit in portal.middleware.ApiRateLimitMiddleware, CORS in
django-cors-headers (settings.CORS_*).
"""

import datetime
import functools
import inspect
from typing import Annotated, Literal

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Query, Router, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field, WithJsonSchema

from therapies import fhir, opendata
from therapies.fields import REGULATORY_STATUSES
from therapies.models import EvidenceLevel, OverallStatus, TherapyClass, TrialPhase

# --- what the API answers -------------------------------------------------------------------

# Times are given as written in the records (UTC, "Z", to the microsecond), the same in the
# API and in the data releases: strings, declared as date-time in the schema.
Moment = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]


class ErrorOut(Schema):
    error: str = Field(description="A short code: bad_request, not_found, too_many_requests.")
    detail: str = Field(description="What was wrong, in words.")
    parameter: str | None = Field(None, description="The parameter at fault, if one was.")


class Coded(Schema):
    code: str
    label: str


class InterestsOut(Schema):
    declared_on: str | None
    agents: list[str]
    sponsors: list[str]


class ReviewedOut(Schema):
    by: str | None = Field(description="The moderator who approved this version.")
    at: Moment | None = Field(description="When it was approved.")
    interests_declared: InterestsOut | None = Field(
        description="The reviewer's conflict-of-interest statement at the review, as the "
        "public page shows it."
    )


class CorrectionOut(Schema):
    at: Moment
    note: str


class CitationRef(Schema):
    id: str = Field(description="type:identifier, e.g. pmid:26027431.")
    type: Literal["pmid", "doi", "nct", "url"]
    identifier: str
    label: str
    url: str
    supports: str = Field(description="The statement this source backs in the record.")
    same_as: str | None = Field(description="The same paper under its other identifier.")


class LinksOut(Schema):
    page: str
    history: str
    version_page: str
    api: str
    versions: str
    version_api: str


class LinkedOut(Schema):
    id: str
    title: str


class CancerTypeRef(Schema):
    id: str
    name: str


STATUS = Literal["published", "superseded", "unpublished"]


class RecordOut(Schema):
    id: str = Field(description="The stable identifier: a slug, or a trial's NCT ID.")
    kind: str
    title: str
    summary: str
    version: int = Field(description="The version number, counted per item.")
    status: STATUS = Field(description="What this version is now: live, replaced or taken down.")
    published_at: Moment
    live_until: Moment | None = Field(
        description="When it stopped being live (superseded or unpublished); null while live."
    )
    reviewed: ReviewedOut
    change_summary: str
    correction: CorrectionOut | None
    evidence_level: Coded | None
    citations: list[CitationRef]
    body_markdown: str = Field(description="The editor's Markdown source.")
    body_html: str = Field(description="The body rendered and sanitized on the server.")
    links: LinksOut


class RegulatoryStatusOut(Schema):
    agent: str
    status: Literal[tuple(REGULATORY_STATUSES)] = Field(
        description="; ".join(f"{code}: {label}" for code, label in REGULATORY_STATUSES.items())
    )
    date: str = Field(
        description="Approved, withdrawn or (investigational) checked on: YYYY-MM-DD, or "
        "YYYY-MM or YYYY as the source gives it."
    )
    source: str = Field(description="The FDA label or announcement (an address).")
    indication: str


class TherapyOut(RecordOut):
    assessed_on: str | None = Field(description="Assessed as up to date: when the evidence "
                                    "was last checked (YYYY-MM-DD).")  # fmt: skip
    regulatory_status: list[RegulatoryStatusOut]
    therapy_class: Coded
    key_agents: list[str]
    cancer_types: list[CancerTypeRef]


class CombinationOut(RecordOut):
    assessed_on: str | None = Field(description="Assessed as up to date (YYYY-MM-DD).")
    therapies: list[LinkedOut]
    other_treatments: list[str] = Field(description="Treatments combined that have no therapy "
                                        "article here, such as chemotherapy.")  # fmt: skip
    key_trials: list[str]


class ArmOut(Schema):
    label: str
    type: str
    interventions: list[str]


class InterventionOut(Schema):
    type: str
    name: str


class TrialOut(RecordOut):
    nct_id: str
    registry_url: str
    brief_title: str
    official_title: str
    phase: Coded | None
    overall_status: Coded | None
    study_type: str | None
    conditions: list[str]
    interventions: list[str]
    registry_interventions: list[InterventionOut]
    arms: list[ArmOut]
    sponsor: str
    collaborators: list[str]
    enrollment: int | None
    enrollment_type: str | None
    start_date: str | None
    start_date_type: str | None
    primary_completion_date: str | None
    primary_completion_date_type: str | None
    completion_date: str | None
    completion_date_type: str | None
    results_posted: bool | None
    registry_last_update: str | None
    registry_difference: str
    therapies: list[LinkedOut]
    combinations: list[LinkedOut]


class VersionLine(Schema):
    version: int
    status: STATUS
    title: str
    published_at: Moment
    live_until: Moment | None
    change_summary: str
    correction: CorrectionOut | None
    links: LinksOut


class VersionsOut(Schema):
    id: str
    kind: str
    items: list[VersionLine]
    next: str | None


class CancerTypeLinks(Schema):
    therapies: str
    page: str
    api: str


class CancerTypeOut(Schema):
    id: str
    name: str
    links: CancerTypeLinks


class CitationLinks(Schema):
    api: str


class CitingOut(Schema):
    kind: str
    id: str
    title: str
    supports: str


class CitationOut(Schema):
    id: str
    type: Literal["pmid", "doi", "nct", "url"]
    identifier: str
    label: str
    url: str
    same_as: str | None
    links: CitationLinks
    cited_by: list[CitingOut] | None = None


class EvidenceLevelOut(Schema):
    code: str
    label: str
    definition: str
    rank: int = Field(description="1 is the strongest evidence.")
    page: str


def page_of(item_schema, name: str):
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {"items": list[item_schema], "next": str | None, "limit": int},
            "next": Field(description="The next page's address; null on the last page."),
        },
    )


TherapyPage = page_of(TherapyOut, "TherapyPage")
CombinationPage = page_of(CombinationOut, "CombinationPage")
TrialPage = page_of(TrialOut, "TrialPage")
CancerTypePage = page_of(CancerTypeOut, "CancerTypePage")
CitationPage = page_of(CitationOut, "CitationPage")


# --- parameters -------------------------------------------------------------------------------


def _codes(choices) -> type:
    return Literal[tuple(str(code) for code, _ in choices)]


AS_OF = "What the portal showed at this moment (ISO 8601, e.g. 2026-06-01T00:00:00Z)."


class Common(Schema):
    as_of: str | None = Field(None, description=AS_OF, max_length=64)


class ListCommon(Common):
    q: str | None = Field(
        None, description='Full-text search (words, "phrases", -word).', max_length=200
    )
    cursor: str | None = Field(
        None, description="From the previous page's `next`.", max_length=1000
    )
    limit: int = Field(opendata.DEFAULT_LIMIT, ge=1, le=opendata.MAX_LIMIT)


class TherapyFilters(ListCommon):
    therapy_class: _codes(TherapyClass.choices) | None = None
    cancer: str | None = Field(None, description="A cancer type's id (slug).", max_length=200)
    evidence: _codes(EvidenceLevel.choices) | None = None


class CombinationFilters(ListCommon):
    class_a: _codes(TherapyClass.choices) | None = Field(
        None, description="Combines a therapy of this class …"
    )
    class_b: _codes(TherapyClass.choices) | None = Field(
        None, description="… with one of this class."
    )
    evidence: _codes(EvidenceLevel.choices) | None = None
    therapy: str | None = Field(None, description="A therapy's id (slug).", max_length=200)


class TrialFilters(ListCommon):
    phase: _codes(TrialPhase.choices) | None = None
    status: _codes(OverallStatus.choices) | None = None
    condition: str | None = Field(
        None, description="A condition as registered (any case).", max_length=200
    )
    therapy: str | None = Field(None, description="A therapy's id (slug).", max_length=200)
    results: Literal["posted", "none"] | None = None


class CancerTypeFilters(ListCommon):
    pass


class CitationFilters(ListCommon):
    type: Literal["pmid", "doi", "nct", "url"] | None = None


class Paging(Common):
    cursor: str | None = Field(None, max_length=1000)
    limit: int = Field(opendata.DEFAULT_LIMIT, ge=1, le=opendata.MAX_LIMIT)


def _known_parameters(request: HttpRequest, schema: type[Schema]) -> None:
    """An unknown parameter is an error, not silently ignored: a misspelt filter would
    otherwise return everything."""
    unknown = sorted(set(request.GET) - set(schema.model_fields))
    if unknown:
        allowed = ", ".join(sorted(schema.model_fields)) or "none"
        raise opendata.BadRequest(
            f"Unknown parameter {unknown[0]!r}; this endpoint takes: {allowed}.",
            parameter=unknown[0],
        )


def _filters(request, schema, params) -> tuple[dict, datetime.datetime | None]:
    _known_parameters(request, schema)
    values = {name: value for name, value in params.dict().items() if value not in (None, "")}
    return values, opendata.parse_moment(values.get("as_of"))


def _page(request, params, rows, order: str, to_records) -> dict:
    """One page of a list: the records of its rows (`to_records` of the page's rows), the
    next page's address and the limit."""
    found, cursor = opendata.page(rows, order, params.cursor, params.limit)
    return {"items": to_records(found), "next": _next_url(request, cursor),
            "limit": params.limit}  # fmt: skip


def _each(to_record):
    return lambda rows: [to_record(row) for row in rows]


def _next_url(request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return opendata.absolute(f"{request.path}?{query.urlencode()}")


# --- the API ------------------------------------------------------------------------------------

api = NinjaAPI(
    title=f"{settings.PORTAL_NAME}: open data API",
    version="1",
    description=(
        "Read-only access to everything the portal has published: therapy articles, "
        "combination entries, clinical-trial notes, cancer types, citations and the evidence "
        "scale. Every version ever published stays addressable (`/versions/<n>/`), and "
        "`as_of` returns what the portal showed at any moment. Responses carry ETag and "
        "Last-Modified (answer 304 to a matching If-None-Match or If-Modified-Since) and "
        "RateLimit-* headers; over the limit, 429 with Retry-After. Data releases: /releases/."
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs/",
)


def _error(request, status: int, code: str, detail: str, parameter: str | None = None):
    return api.create_response(
        request, {"error": code, "detail": detail, "parameter": parameter}, status=status
    )


@api.exception_handler(opendata.BadRequest)
def bad_request(request, exc):
    return _error(request, 400, "bad_request", exc.message, exc.parameter or None)


@api.exception_handler(NinjaValidationError)
def invalid_parameters(request, exc):
    first = exc.errors[0] if exc.errors else {}
    where = [str(part) for part in first.get("loc", ()) if part not in ("query", "path")]
    detail = first.get("msg", "Invalid parameter.")
    return _error(request, 400, "bad_request", detail, where[-1] if where else None)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "not_found", str(exc) or "Not found.")


@api.exception_handler(HttpError)
def http_error(request, exc):
    return _error(request, exc.status_code, "error", str(exc))


ERRORS = {400: ErrorOut, 404: ErrorOut}


class IndexOut(Schema):
    collections: dict[str, str]
    openapi: str
    docs: str
    releases: str
    licence: str


@api.get("/", response={200: IndexOut, **ERRORS}, url_name="index", operation_id="index",
         summary="Where everything is", tags=["Reference data"])  # fmt: skip
def index(request):
    _known_parameters(request, Schema)
    names = ("therapies", "combinations", "trials", "cancer-types", "citations",
             "evidence-levels")  # fmt: skip
    return {
        "collections": {name: opendata.url_for(f"api-v1:{name}-list") for name in names},
        "openapi": opendata.url_for("api-v1:openapi-json"),
        "docs": opendata.url_for("api-v1:openapi-view"),
        "releases": opendata.url_for("releases"),
        "licence": settings.DATA_LICENCE,
    }


COLLECTION_OUT = {
    "therapies": (TherapyOut, TherapyPage, TherapyFilters),
    "combinations": (CombinationOut, CombinationPage, CombinationFilters),
    "trials": (TrialOut, TrialPage, TrialFilters),
}


def _content_router(collection: str) -> Router:
    """List, detail and versions of one kind of content."""
    kind = opendata.kind_of(collection)
    record_out, page_out, filters = COLLECTION_OUT[collection]
    key_name = kind.key_field  # "slug", or a trial's "nct_id"
    meta = kind.item_model._meta
    label, one = str(meta.verbose_name_plural), str(meta.verbose_name)
    router = Router(tags=[label.capitalize()])
    order = f"item__{kind.key_field}"

    def records_live(moment):
        return opendata.live_at(kind.version_model, moment).select_related("item", "reviewed_by")

    @router.get(
        "/",
        response={200: page_out, **ERRORS},
        url_name=f"{collection}-list",
        operation_id=f"list_{collection}",
        summary=f"List published {label}",
    )
    def list_view(request, params: Query[filters]):
        values, moment = _filters(request, filters, params)
        versions = opendata.filter_versions(kind, records_live(moment), values, moment)
        return _page(request, params, versions, order,
                     lambda found: opendata.records(found, moment))  # fmt: skip

    def live_version(key: str, moment):
        key = opendata.check_key(kind, key)
        version = records_live(moment).filter(**{order: key}).first()
        if version is None:
            when = f" on {moment.isoformat()}" if moment else ""
            raise Http404(f"No {one} with this id was published{when}.")
        return version

    @router.get(
        f"/{{{key_name}}}/",
        response={200: record_out, **ERRORS},
        url_name=f"{collection}-detail",
        operation_id=f"get_{kind.name}",
        summary=f"One of the {label}, as published now or at `as_of`",
    )
    @_key_named(key_name)
    def detail_view(request, key: str, params: Query[Common]):
        _, moment = _filters(request, Common, params)
        version = live_version(key, moment)
        return opendata.records([version], moment)[0]

    @router.get(
        f"/{{{key_name}}}/versions/",
        response={200: VersionsOut, **ERRORS},
        url_name=f"{collection}-versions",
        operation_id=f"list_{kind.name}_versions",
        summary="Every version ever published (published, superseded, unpublished)",
    )
    @_key_named(key_name)
    def versions_view(request, key: str, params: Query[Paging]):
        _, moment = _filters(request, Paging, params)
        key = opendata.check_key(kind, key)
        versions = opendata.ever_published(kind.version_model).filter(**{order: key})
        if moment is not None:
            versions = versions.filter(published_at__lte=moment)
        versions = versions.select_related("item").defer(*versions.BODY_FIELDS)
        found, cursor = opendata.page(versions, "number", params.cursor, params.limit)
        if not found and params.cursor is None:
            raise Http404(f"No {one} with this id was ever published.")
        return {
            "id": key,
            "kind": kind.name,
            "next": _next_url(request, cursor),
            "items": [opendata.version_summary(version, moment) for version in found],
        }

    @router.get(
        f"/{{{key_name}}}/versions/{{number}}/",
        response={200: record_out, **ERRORS},
        url_name=f"{collection}-version",
        operation_id=f"get_{kind.name}_version",
        summary="One version exactly as it was published",
    )
    @_key_named(key_name)
    def version_view(request, key: str, number: int, params: Query[Common]):
        _known_parameters(request, Common)
        if params.as_of:
            raise opendata.BadRequest(
                "A numbered version is fixed: as_of does not apply.", parameter="as_of"
            )
        key = opendata.check_key(kind, key)
        version = (
            opendata.ever_published(kind.version_model)
            .filter(**{order: key, "number": number})
            .select_related("item", "reviewed_by")
            .first()
        )
        if version is None:
            raise Http404(f"No version {number} of this {one} was published.")
        return opendata.records([version])[0]

    return router


def _key_named(name: str):
    """The view's `key` parameter under the kind's own name (`slug`, `nct_id`): ninja reads
    path parameters from the signature, and the schema should say what the key is."""

    def rename(view):
        signature = inspect.signature(view)
        parameters = [
            p.replace(name=name) if p.name == "key" else p for p in signature.parameters.values()
        ]

        @functools.wraps(view)
        def renamed(request, **kwargs):
            kwargs["key"] = kwargs.pop(name)
            return view(request, **kwargs)

        renamed.__signature__ = signature.replace(parameters=parameters)
        return renamed

    return rename


for _collection in ("therapies", "combinations", "trials"):
    api.add_router(f"/{_collection}", _content_router(_collection))


# --- FHIR -------------------------------------------------------------------------------------


@api.get(
    "/trials/{nct_id}/fhir",
    response={200: dict, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "A FHIR R4 ResearchStudy resource",
                "content": {fhir.CONTENT_TYPE.split(";")[0]: {"schema": {"type": "object"}}},
            }
        }
    },
    url_name="trials-fhir",
    operation_id="get_trial_fhir",
    tags=["Clinical-trial notes"],
    summary="A trial note as an HL7 FHIR R4 ResearchStudy",
)
def trial_fhir(request, nct_id: str, params: Query[Common]):
    _, moment = _filters(request, Common, params)
    kind = opendata.kind_of("trials")
    key = opendata.check_key(kind, nct_id)
    version = (
        opendata.live_at(kind.version_model, moment)
        .filter(item__nct_id=key)
        .select_related("item", "reviewed_by")
        .first()
    )
    if version is None:
        raise Http404("No clinical-trial note with this NCT ID was published.")
    study = fhir.research_study(opendata.records([version], moment)[0])
    response = api.create_response(request, study, status=200)
    response["Content-Type"] = fhir.CONTENT_TYPE
    return response


# --- reference data -----------------------------------------------------------------------------

reference = Router(tags=["Reference data"])


@reference.get(
    "/cancer-types/",
    response={200: CancerTypePage, **ERRORS},
    url_name="cancer-types-list",
    operation_id="list_cancer_types",
    summary="Cancer types covered by published therapy articles",
)
def cancer_types(request, params: Query[CancerTypeFilters]):
    values, moment = _filters(request, CancerTypeFilters, params)
    rows = opendata.cancer_types(moment)
    if values.get("q"):
        rows = rows.filter(name__icontains=values["q"])
    return _page(request, params, rows, "slug", _each(opendata.cancer_type_record))


@reference.get(
    "/cancer-types/{slug}/",
    response={200: CancerTypeOut, **ERRORS},
    url_name="cancer-types-detail",
    operation_id="get_cancer_type",
)
def cancer_type(request, slug: str, params: Query[Common]):
    _, moment = _filters(request, Common, params)
    found = opendata.cancer_types(moment).filter(slug=slug).first()
    if found is None:
        raise Http404("No published content covers a cancer type with this id.")
    return opendata.cancer_type_record(found)


@reference.get(
    "/citations/",
    response={200: CitationPage, **ERRORS},
    url_name="citations-list",
    operation_id="list_citations",
    summary="Sources cited by published content",
)
def citations(request, params: Query[CitationFilters]):
    values, moment = _filters(request, CitationFilters, params)
    rows = opendata.cited(moment)
    if values.get("type"):
        rows = rows.filter(kind=values["type"])
    if values.get("q"):
        rows = rows.filter(label__icontains=values["q"]) | rows.filter(value__icontains=values["q"])
    return _page(request, params, rows, "pk", _each(opendata.citation_record))


@reference.get(
    "/citations/{path:citation}/",
    response={200: CitationOut, **ERRORS},
    url_name="citations-detail",
    operation_id="get_citation",
    summary="One source (type:identifier) and the published items citing it",
)
def citation(request, citation: str, params: Query[Common]):
    _, moment = _filters(request, Common, params)
    kind, value = opendata.parse_citation_id(citation)
    found = opendata.cited(moment).filter(kind=kind, value=value).first()
    if found is None:
        raise Http404("No published content cites this source.")
    return opendata.citation_record(found, opendata.citing(found, moment))


@reference.get(
    "/evidence-levels/",
    response={200: list[EvidenceLevelOut], **ERRORS},
    url_name="evidence-levels-list",
    operation_id="list_evidence_levels",
    summary="The evidence scale, strongest first",
)
def evidence_levels(request, params: Query[Common]):
    _filters(request, Common, params)  # the scale has not changed: as_of is accepted as is
    return opendata.evidence_levels()


@reference.get(
    "/evidence-levels/{code}/",
    response={200: EvidenceLevelOut, **ERRORS},
    url_name="evidence-levels-detail",
    operation_id="get_evidence_level",
)
def evidence_level(request, code: str, params: Query[Common]):
    _filters(request, Common, params)
    for level in opendata.evidence_levels():
        if level["code"] == code:
            return level
    raise Http404("No evidence level has this code.")


api.add_router("", reference)
