"""Settings: safe by default in production, zero-configuration in development."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_off_without_secret_key_refuses_to_start():
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_off_with_secret_key_starts():
    result = manage("check", "--deploy", "--fail-level", "ERROR", DEBUG="0",
                    SECRET_KEY="x" * 60, ALLOWED_HOSTS="portal.example.org",
                    SMTP_HOST="smtp.example.org")  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_production_without_smtp_fails_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "ERROR", DEBUG="0",
                    SECRET_KEY="x" * 60, ALLOWED_HOSTS="portal.example.org")  # fmt: skip
    assert result.returncode != 0
    assert "mail.E001" in result.stderr


def test_debug_on_has_a_development_key():
    result = manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_unreadable_debug_value_is_an_error(value):
    result = manage("check", DEBUG=value)
    assert result.returncode != 0
    assert "not a yes/no value" in result.stderr


def test_database_url_selects_the_backend():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='portal.settings'; "
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    )
    env = {**os.environ, "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/x", "DEBUG": "1"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    assert out.strip() == "django.db.backends.postgresql"
    env.pop("DATABASE_URL")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    assert out.strip() == "django.db.backends.sqlite3"


@pytest.mark.parametrize("flag,expected", [(None, "True"), ("1", "True"), ("0", "False")])
def test_postgresql_binds_parameters_on_the_server_unless_told_not_to(flag, expected):
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='portal.settings'; "
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['server_side_binding'])"
    )
    env = {**os.environ, "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/x", "DEBUG": "1"}
    env.pop("DB_SERVER_SIDE_BINDING", None)
    if flag is not None:
        env["DB_SERVER_SIDE_BINDING"] = flag
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    assert out.strip() == expected
