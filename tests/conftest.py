import pytest

import therapies.apps

# Let the test runner's table flushes (between transactional tests) empty the audit trail,
# which the database otherwise refuses; tests of that refusal switch it off again.
therapies.apps.AUDIT_MAINTENANCE = True


@pytest.fixture(autouse=True)
def _empty_cache():
    # The local-memory cache outlives each test's rolled-back database: start every test
    # with no cached pages or counts from another test's data.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    # Only what makes tests fast (cookiecutter-django's test settings do the same).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def audit_guard(monkeypatch):
    """The database's protection of the audit trail, as in production."""
    from django.db import connection

    monkeypatch.setattr(therapies.apps, "AUDIT_MAINTENANCE", False)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET therapies.audit_maintenance = 'off'")
        yield
        with connection.cursor() as cursor:
            cursor.execute("SET therapies.audit_maintenance = 'on'")
    else:
        yield
