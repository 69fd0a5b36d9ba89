import pytest


@pytest.fixture(autouse=True)
def _empty_cache():
    # The local-memory cache outlives each test's rolled-back database: start every test
    # with no cached pages or counts from another test's data.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def audit_guard(settings):
    """The database's protection of the audit trail, as in production."""
    from django.db import connection

    settings.AUDIT_MAINTENANCE = False
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET therapies.audit_maintenance = 'off'")
        yield
        with connection.cursor() as cursor:
            cursor.execute("SET therapies.audit_maintenance = 'on'")
    else:
        yield
