"""Property-based: schemathesis generates requests from /api/v1/openapi.json, valid and
invalid, against content published through the workflow. No answer may be a 500, and every
answer must match the schema (status, content type and body)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import (
    CancerTypeFactory,
    CitationFactory,
    CombinationEntryVersionFactory,
    TherapyArticleVersionFactory,
    TrialNoteVersionFactory,
)
from therapies.api import api

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]  # fmt: skip


@pytest.fixture
def keep_connection():
    """Requests go through the WSGI handler itself, whose end-of-request signal would close
    the test's database connection (Django's test client disconnects it the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def content(db, settings, keep_connection):
    settings.API_RATE = "100000/m"
    settings.ALLOWED_HOSTS = ["*"]
    melanoma = CancerTypeFactory(name="Melanoma", slug="melanoma")
    cited = CitationFactory(value="26027431", label="Larkin J, et al. NEJM 2015.")
    doi = CitationFactory(kind="doi", value="10.1056/NEJMoa1504030", label="Larkin 2015")
    old = TherapyArticleVersionFactory(state="superseded", item__slug="pd-1-blockade",
                                       cites=[cited])  # fmt: skip
    live = TherapyArticleVersionFactory(
        state="published", item=old.item, number=2, cites=[cited, doi],
        published_at=old.live_until,
    )  # fmt: skip
    live.cancer_types.set([melanoma])
    other = TherapyArticleVersionFactory(state="published", item__slug="ctla-4-blockade",
                                         therapy_class="cytokine")  # fmt: skip
    CombinationEntryVersionFactory(state="published", item__slug="pd-1-plus-ctla-4",
                                   therapies=[live.item, other.item])  # fmt: skip
    trial = TrialNoteVersionFactory(
        state="published", item__nct_id="NCT01844505", sponsor="Bristol-Myers Squibb",
        interventions=["Drug: Nivolumab"], start_date="2013-07", completion_date="2026-01",
        registry_record={"arms": [{"label": "Arm A", "type": "EXPERIMENTAL",
                                   "interventions": ["Drug: Nivolumab"]}]},
    )  # fmt: skip
    trial.therapies.set([live.item])
    TherapyArticleVersionFactory(state="draft", item__slug="draft-only")


# The schema as /api/v1/openapi.json serves it (tested there), loaded without a request so
# that the tests can be generated when the module is collected; requests go to the WSGI app.
# (With its prefix given: resolving it would import the URL configuration at collection,
# under the settings' DEBUG, before the test run switches DEBUG off.)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = get_wsgi_application()


@schema.parametrize()
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))  # fmt: skip
def test_no_request_breaks_the_api_or_its_schema(case, content):
    case.call_and_validate(checks=CHECKS)
