"""Running it like production (issue 14): health and readiness, structured logs, backups."""

import json
import logging
import os
import re
from pathlib import Path

import pytest
from django.db import DatabaseError, connections

pytestmark = pytest.mark.django_db


# --- health and readiness ----------------------------------------------------------------------


def test_healthz_says_the_process_is_up_without_touching_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")
    assert response["Cache-Control"] == "no-store"


def test_readyz_is_200_when_the_database_and_the_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content.decode() == "default: ok\ncache: ok\n"
    assert response["Cache-Control"] == "no-store"
    assert client.post("/readyz").status_code == 405


def test_readyz_is_503_naming_the_database_while_it_is_unreachable_then_200(client, monkeypatch):
    connection = connections["default"]
    real_cursor = connection.cursor

    def unreachable(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    monkeypatch.setattr(connection, "close", lambda: None)  # the test's transaction stays
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "default: unavailable (DatabaseError)" in response.content.decode()
    assert "cache: ok" in response.content.decode()
    monkeypatch.setattr(connection, "cursor", real_cursor)
    assert client.get("/readyz").status_code == 200


def test_readyz_is_503_naming_the_cache_while_it_is_unreachable(client, monkeypatch):
    from django.core.cache import cache

    def unreachable(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "set", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "cache: unavailable (ConnectionError)" in response.content.decode()


# --- structured logs ---------------------------------------------------------------------------


def json_lines(caplog, logger):
    from portal.logs import JsonFormatter

    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == logger]


def test_each_request_is_one_json_line_with_its_id_status_duration_and_queries(client, caplog):
    from tests.factories import TherapyArticleVersionFactory

    live = TherapyArticleVersionFactory(state="published")
    with caplog.at_level(logging.INFO, logger="portal.request"):
        response = client.get(live.item.get_absolute_url() + "?secret=1",
                              HTTP_X_REQUEST_ID="req-42")  # fmt: skip
    assert response["X-Request-ID"] == "req-42"
    (line,) = json_lines(caplog, "portal.request")
    assert line["request_id"] == "req-42" and line["method"] == "GET"
    assert line["path"] == live.item.get_absolute_url()  # no query string
    assert line["status"] == 200 and line["user"] == "anonymous"
    assert line["queries"] >= 1 and line["duration_ms"] > 0
    assert line["level"] == "info" and line["time"].endswith("Z")


def test_a_request_id_that_is_not_one_is_replaced(client, caplog):
    with caplog.at_level(logging.INFO, logger="portal.request"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert json_lines(caplog, "portal.request")[0]["queries"] == 0


def test_a_signed_in_users_request_logs_their_id_never_the_body(client, caplog):
    from tests.factories import make_editor

    editor = make_editor("writer")
    client.force_login(editor)
    with caplog.at_level(logging.INFO, logger="portal.request"):
        client.post("/admin/logout/", {"password": "hunter2"})
    (line,) = json_lines(caplog, "portal.request")
    assert line["user"] == editor.pk
    assert "hunter2" not in json.dumps(line)


def test_every_audit_event_is_logged_too(caplog):
    from tests.factories import TherapyArticleVersionFactory, make_editor
    from therapies import workflow

    editor = make_editor("writer")
    version = TherapyArticleVersionFactory(state="draft", author=editor)
    with caplog.at_level(logging.INFO, logger="portal.audit"):
        workflow.submit(version, by=editor)
    (line,) = json_lines(caplog, "portal.audit")
    assert line["action"] == "submitted" and line["item_id"] == version.item_id
    assert (line["from_state"], line["to_state"], line["actor"]) == ("draft", "in_review",
                                                                     editor.pk)  # fmt: skip


def test_production_logs_are_json_lines_on_stdout():
    import subprocess
    import sys

    from django.conf import settings

    probe = (
        "import django, logging; django.setup(); "
        "logging.getLogger('portal.request').info('hello', extra={'fields': {'a': 1}})"
    )
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "x" * 50, "SITE_URL": "https://e.org",
           "DATABASE_URL": "sqlite:///:memory:", "MAIL_BACKEND":
           "django.core.mail.backends.smtp.EmailBackend",
           "DJANGO_SETTINGS_MODULE": "portal.settings"}  # fmt: skip
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                            text=True, cwd=settings.BASE_DIR)  # fmt: skip
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert (line["message"], line["a"], line["logger"]) == ("hello", 1, "portal.request")


# --- backups -----------------------------------------------------------------------------------

PAGES = """
import hashlib, json, sys
import django
django.setup()
from django.test import Client
from therapies.models import CombinationEntry, TherapyArticle
client = Client()
therapy = TherapyArticle.objects.published().order_by("slug").first()
paths = ["/", "/therapies/", "/combinations/", "/trials/", "/trials/NCT01844505/",
         "/updates/", "/search/?q=melanoma", therapy.get_absolute_url(),
         therapy.get_history_url(),
         CombinationEntry.objects.published().order_by("slug").first().get_absolute_url()]
responses = {p: client.get(p) for p in paths}
statuses = {p: r.status_code for p, r in responses.items()}
assert set(statuses.values()) == {200}, statuses
print(json.dumps({p: hashlib.sha256(r.content).hexdigest() for p, r in responses.items()}))
"""


def run(args, env, **kwargs):
    import subprocess
    import sys

    from django.conf import settings

    result = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True,
                            cwd=settings.BASE_DIR, **kwargs)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def pages(env) -> dict:
    return json.loads(run(["-c", PAGES], env).strip().splitlines()[-1])


def round_trip(source_url: str, target_url: str, backup_path) -> None:
    """Demo content in `source_url`, backed up, restored into the empty `target_url`: the
    public pages are byte-identical and the audit trail verifies."""
    base = {**os.environ, "DEBUG": "1", "PAGE_CACHE": "0", "DJANGO_SETTINGS_MODULE":
            "portal.settings", "SITE_URL": "http://testserver",
            "ALLOWED_HOSTS": "testserver"}  # fmt: skip
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    source, target = {**base, "DATABASE_URL": source_url}, {**base, "DATABASE_URL": target_url}
    run(["manage.py", "migrate", "--noinput", "-v0"], source)
    run(["manage.py", "loaddemo"], source)
    before = pages(source)
    run(["manage.py", "backup", str(backup_path)], source)
    assert backup_path.stat().st_size > 0
    run(["manage.py", "restore", str(backup_path)], target)
    assert pages(target) == before
    assert "the chain holds" in run(["manage.py", "verify_audit"], target)
    # A second restore over it needs --replace: nothing is overwritten by accident.
    import subprocess
    import sys

    again = subprocess.run([sys.executable, "manage.py", "restore", str(backup_path)],
                           env=target, capture_output=True, text=True,
                           cwd=str(Path(__file__).resolve().parents[1]))  # fmt: skip
    assert again.returncode != 0 and "not empty" in again.stderr
    run(["manage.py", "restore", "--replace", str(backup_path)], target)
    assert pages(target) == before


def test_a_sqlite_backup_restores_to_identical_pages_and_an_intact_audit_trail(tmp_path):
    round_trip(
        f"sqlite:///{tmp_path / 'source.sqlite3'}",
        f"sqlite:///{tmp_path / 'target.sqlite3'}",
        tmp_path / "portal.backup",
    )


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the PostgreSQL round trip runs where DATABASE_URL names a PostgreSQL server",
)
def test_a_postgresql_backup_restores_to_identical_pages_and_an_intact_audit_trail(tmp_path):
    import psycopg

    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    names = ("portal_backup_source", "portal_backup_target")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        round_trip(f"{server}/{names[0]}", f"{server}/{names[1]}", tmp_path / "portal.backup")
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the worker --------------------------------------------------------------------------------


def test_the_worker_publishes_a_scheduled_version_without_cron():
    import datetime

    from django.utils import timezone

    from portal import worker
    from tests.factories import TherapyArticleVersionFactory

    due = TherapyArticleVersionFactory(
        state="approved", publish_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    done = worker.run_due()
    due.refresh_from_db()
    assert due.state == "published"
    assert done[0].startswith("publish_scheduled: 1 published")
    # Within the minute it does not run again; a minute later it does (nothing to do).
    assert not [line for line in worker.run_due() if line.startswith("publish_scheduled")]
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert worker.run_due(now=later)[0].startswith("publish_scheduled: 0 published")


def test_the_worker_publishes_a_data_release_every_30_days_when_asked(settings, tmp_path):
    import datetime

    from django.utils import timezone

    from portal import worker
    from tests.factories import TherapyArticleVersionFactory
    from therapies import releases

    settings.RELEASES_DIR = tmp_path
    assert "export_release" not in [job.name for job in worker.jobs()]
    settings.RELEASE_MONTHLY = True
    TherapyArticleVersionFactory(state="published")
    done = [line for line in worker.run_due() if line.startswith("export_release")]
    assert done and "Published as" in done[0]
    assert [manifest["counts"]["therapies"] for manifest in releases.published()] == [1]
    soon = timezone.now() + datetime.timedelta(days=29)
    assert not [line for line in worker.run_due(now=soon) if line.startswith("export_release")]


def test_a_weekly_job_runs_once_a_week_whichever_process_runs_it(mailoutbox):
    import datetime

    from django.utils import timezone

    from portal import worker
    from therapies.models import WorkerJob

    worker.run_due()
    first = WorkerJob.objects.get(name="review_reminders").last_started_at
    worker.run_due(now=timezone.now() + datetime.timedelta(days=3))
    assert WorkerJob.objects.get(name="review_reminders").last_started_at == first
    worker.run_due(now=timezone.now() + datetime.timedelta(days=8))
    assert WorkerJob.objects.get(name="review_reminders").last_started_at > first


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(monkeypatch):
    from portal import worker
    from therapies.models import WorkerJob

    def broken():
        raise RuntimeError("registry unreachable")

    monkeypatch.setattr(worker, "_reminders", broken)
    done = worker.run_due()
    assert any(line.startswith("publish_scheduled") for line in done)
    assert "registry unreachable" in WorkerJob.objects.get(name="review_reminders").last_error


def test_only_one_worker_holds_the_lock_and_a_dead_ones_is_taken_over():
    from portal.worker import WorkerLock

    first, second = WorkerLock(), WorkerLock()
    assert first.acquire()
    assert not second.acquire()  # a standby: the first is active
    first.release()  # the active worker died (its connection or file closed)
    assert second.acquire()
    second.release()


def test_two_worker_processes_publish_a_due_version_once(tmp_path):
    """Two `manage.py worker --once` processes started together against one database: the
    version is published once, by one of them; the other stood by."""
    import subprocess
    import sys

    from django.conf import settings

    database = tmp_path / "worker.sqlite3"
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}",
           "DJANGO_SETTINGS_MODULE": "portal.settings"}  # fmt: skip
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    run(["manage.py", "migrate", "--noinput", "-v0"], env)
    setup = (
        "import django, datetime; django.setup()\n"
        "from django.utils import timezone\n"
        "from tests.factories import TherapyArticleVersionFactory\n"
        "TherapyArticleVersionFactory(state='approved', "
        "publish_at=timezone.now() - datetime.timedelta(minutes=1))\n"
    )
    run(["-c", setup], env)
    hold = (
        "import django, sys, time; django.setup()\n"
        "from portal.worker import WorkerLock\n"
        "lock = WorkerLock(); assert lock.acquire(); print('held', flush=True); time.sleep(5)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", hold], env=env, cwd=settings.BASE_DIR,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert holder.stdout.readline().strip() == "held"
    standby = run(["manage.py", "worker", "--once"], env)
    assert "standing by" in standby and "published" not in standby
    holder.wait(timeout=30)
    active = run(["manage.py", "worker", "--once"], env)
    assert "publish_scheduled: 1 published" in active
    again = run(["manage.py", "worker", "--once"], env)
    assert "1 published" not in again


# --- what a second app server needs ------------------------------------------------------------


def test_sessions_live_in_the_cache_and_the_database(client):
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.core.cache import cache

    from tests.factories import make_editor

    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    client.force_login(make_editor("writer"))
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()  # survives a cache restart
    cache.clear()
    assert client.get("/admin/").status_code == 200  # still signed in, read from the database


# --- static files ------------------------------------------------------------------------------


def test_a_static_file_missing_from_collectstatic_is_linked_plainly_and_logged(tmp_path, caplog):
    from portal.storage import StaticFilesStorage

    storage = StaticFilesStorage(location=tmp_path)  # collectstatic never ran here
    with caplog.at_level(logging.ERROR, logger="portal.storage"):
        assert storage.url("css/site.css") == "/static/css/site.css"
    assert "not in collectstatic's output" in caplog.text


def test_a_name_that_is_no_static_file_is_refused_as_the_storage_does(tmp_path, caplog):
    """WhiteNoise asks, at start-up, about names derived from the collected files; those that
    are no static file must raise, not fill the production log with errors."""
    from portal.storage import StaticFilesStorage

    storage = StaticFilesStorage(location=tmp_path)
    with caplog.at_level(logging.ERROR, logger="portal.storage"), pytest.raises(ValueError):
        storage.url("admin/js/jquery.js")
    assert caplog.text == ""
