import pytest


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    # Only what makes tests fast (cookiecutter-django's test settings do the same).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
