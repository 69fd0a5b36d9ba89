"""Settings for the test suite: the production settings plus the switches only tests use."""

from portal.settings import *  # noqa: F403

# Let the test runner's table flushes (between transactional tests) empty the audit trail,
# which the database otherwise refuses; tests of that refusal switch it off again
# (the `audit_guard` fixture).
AUDIT_MAINTENANCE = True

# Only what makes tests fast (cookiecutter-django's test settings do the same).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A fourth kind of content, declared only here, that goes through the whole workflow.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.fourth_kind"]  # noqa: F405
