"""Settings: safe by default in production, zero-configuration in development."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


PRODUCTION_SETTINGS = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "SITE_URL", "SMTP_HOST",
                       "MAIL_BACKEND", "DJANGO_SETTINGS_MODULE"}  # fmt: skip
# What a production start needs besides DEBUG=0 (a deliberate SQLite file here).
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "portal.example.org",
              "DATABASE_URL": "sqlite:////tmp/portal-settings-test.sqlite3",
              "SITE_URL": "https://portal.example.org",
              "SMTP_HOST": "smtp.example.org"}  # fmt: skip


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_SETTINGS}
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


def test_production_with_everything_set_starts():
    result = manage("check", "--deploy", "--fail-level", "ERROR", **PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("missing,reason", [
    ("DATABASE_URL", "DATABASE_URL is not set"),
    ("SITE_URL", "SITE_URL is not set"),
    ("SMTP_HOST", "No mail backend is configured"),
])  # fmt: skip
def test_production_refuses_to_start_without_each_setting(missing, reason):
    result = manage("check", **{k: v for k, v in PRODUCTION.items() if k != missing})
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert reason in last and "refuses to start" in last  # one line says why


def test_production_refuses_console_mail_but_takes_another_backend():
    smtp_less = {k: v for k, v in PRODUCTION.items() if k != "SMTP_HOST"}
    console = manage("check", MAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
                     **smtp_less)  # fmt: skip
    assert console.returncode != 0 and "real mail backend" in console.stderr
    dummy = manage("check", MAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                   **smtp_less)  # fmt: skip
    assert dummy.returncode == 0, dummy.stderr
    blank = manage("check", MAIL_BACKEND="  ", **smtp_less)
    assert blank.returncode != 0 and "No mail backend is configured" in blank.stderr
    # SMTP wins over a MAIL_BACKEND left over from development.
    both = manage("check", MAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
                  **PRODUCTION)  # fmt: skip
    assert both.returncode == 0, both.stderr


def test_development_needs_none_of_them():
    assert manage("check", DEBUG="1").returncode == 0


def test_test_only_switches_live_in_the_test_settings():
    from django.conf import settings

    from therapies import apps

    assert settings.SETTINGS_MODULE == "portal.test_settings" and settings.AUDIT_MAINTENANCE
    assert not hasattr(apps, "AUDIT_MAINTENANCE")  # off unless AUDIT_MAINTENANCE=1 is set
    code = ("import os; os.environ['DJANGO_SETTINGS_MODULE']='portal.settings'; "
            "from django.conf import settings; print(getattr(settings, 'AUDIT_MAINTENANCE', 0), "
            "settings.PASSWORD_HASHERS[0])")  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_SETTINGS}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout.split()  # fmt: skip
    assert out[0] == "0" and "MD5" not in out[1]


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


# --- production defaults that pass check --deploy (issue 12) --------------------------------------

# Everything README's production list names, with a key `check --deploy` accepts.
DEPLOY = {**PRODUCTION, "SECRET_KEY": "pX7#kq2!Lm9$zR4@wT6^vB8&nC1*hJ3(eF5)gD0_aS-yU+iO=lK",
          "REDIS_URL": "redis://127.0.0.1:6379/0",
          "DATABASE_URL": "sqlite:////tmp/portal-deploy-test.sqlite3"}  # fmt: skip


def test_production_defaults_pass_check_deploy_with_no_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **DEPLOY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_hsts_can_be_left_to_a_proxy_that_sets_it():
    result = manage("check", "--deploy", "--fail-level", "WARNING", HSTS_SET_BY_PROXY="1",
                    **DEPLOY)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


PROBE = """
import json
from django.test import Client
# Behind the proxy, which says the request came over HTTPS.
http, proxied = Client(), Client(HTTP_X_FORWARDED_PROTO="https")
home = http.get("/", HTTP_HOST="portal.example.org")
secure_home = proxied.get("/", HTTP_HOST="portal.example.org")
login = proxied.get("/admin/login/", HTTP_HOST="portal.example.org")
health = http.get("/healthz", HTTP_HOST="portal.example.org")
ready = http.get("/readyz", HTTP_HOST="portal.example.org")
robots = proxied.get("/robots.txt", HTTP_HOST="portal.example.org")
from django.conf import settings
print(json.dumps({
    "home": [home.status_code, home.get("Location")],
    "secure": [secure_home.status_code, login.status_code,
               bool(login.cookies["csrftoken"]["secure"])],
    "health": [health.status_code, health.content.decode()],
    "ready": ready.status_code,
    "hsts": robots.get("Strict-Transport-Security"),
    "csp": robots.get("Content-Security-Policy"),
    "cookies_secure": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,
                       settings.SESSION_COOKIE_HTTPONLY],
    "frame": robots.get("X-Frame-Options"), "nosniff": robots.get("X-Content-Type-Options"),
}))
"""


def test_production_headers_and_redirects():
    import json

    assert manage("migrate", "-v0", **DEPLOY).returncode == 0
    result = manage("shell", "-c", PROBE, **DEPLOY)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["home"] == [301, "https://portal.example.org/"]  # plain HTTP is redirected
    assert seen["secure"] == [200, 200, True]  # over HTTPS the pages answer, cookies secure
    assert seen["health"] == [200, "ok\n"]  # but the health check answers over plain HTTP
    assert seen["ready"] in (200, 503)  # and so does readiness (never a redirect)
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"  # behind a proxy
    assert "default-src 'self'" in seen["csp"] and "script-src 'self'" in seen["csp"]
    assert seen["cookies_secure"] == [True, True, True]
    assert (seen["frame"], seen["nosniff"]) == ("DENY", "nosniff")


def test_flush_empties_a_development_database_only_when_asked_for_maintenance(tmp_path):
    """`manage.py flush` meets the audit trail's triggers; AUDIT_MAINTENANCE=1 is the
    documented way through (on PostgreSQL it counts only for the tables' owner)."""
    db = {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}"}
    assert manage("migrate", "-v0", **db).returncode == 0
    make_event = ("from tests.factories import TherapyArticleVersionFactory, make_editor; "
                  "from therapies import workflow; v = TherapyArticleVersionFactory(); "
                  "workflow.edit(v, by=make_editor('e'), title='x')")  # fmt: skip
    assert manage("shell", "-c", make_event, **db).returncode == 0
    refused = manage("flush", "--noinput", **db)
    assert refused.returncode != 0 and "couldn't be flushed" in refused.stderr
    assert manage("flush", "--noinput", AUDIT_MAINTENANCE="1", **db).returncode == 0
