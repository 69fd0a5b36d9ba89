"""The background worker (`manage.py worker`): the scheduled moves, notification retries,
review reminders and the nightly registry sync, without cron.

Several worker processes may run (one per machine, say); only the one holding the lock acts
and the others wait as standbys. On PostgreSQL the lock is a session advisory lock on a
connection of its own, so it is released the moment its process dies, however it dies, and
a standby takes over within one interval. On SQLite (one machine) it is an exclusive lock
on a file beside the database. Each job records when it last ran (WorkerJob), so a weekly
job runs once a week whichever process runs it.

Hand-written: Django 6's tasks framework has no periodic tasks or worker of its own, and
django-tasks-db's worker runs enqueued tasks, not a schedule; the loop below is what is
needed, and each job is a call into the same functions the management commands use.
"""

from __future__ import annotations

import datetime
import fcntl
import io
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from therapies import notifications, workflow
from therapies.models import WorkerJob

logger = logging.getLogger("portal.worker")
LOCK_KEY = 0x504F5254  # "PORT": the advisory lock every worker asks for


class WorkerLock:
    """The one-active-worker lock: `acquire()` without waiting, True if this process holds it
    now; `release()` lets a standby take over."""

    def __init__(self, alias: str = "default"):
        self.alias = alias
        self._holder = None

    def acquire(self) -> bool:
        if self._holder is not None:
            return True
        if connections[self.alias].vendor == "postgresql":
            return self._acquire_advisory()
        return self._acquire_file()

    def _acquire_advisory(self) -> bool:
        import psycopg

        params = connections[self.alias].get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params.pop("prepare_threshold", None)
        held = psycopg.connect(**params, autocommit=True)
        if held.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY]).fetchone()[0]:
            self._holder = held
            return True
        held.close()
        return False

    def _acquire_file(self) -> bool:
        name = str(connections[self.alias].settings_dict["NAME"])
        path = (
            Path(f"{name}.worker.lock")
            if name and ":memory:" not in name and "mode=memory" not in name
            else Path(settings.BASE_DIR) / "var" / "worker.lock"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")  # noqa: SIM115 — held open for the process's lifetime
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._holder = handle
        return True

    def release(self) -> None:
        if self._holder is not None:
            self._holder.close()  # closing the connection or the file releases the lock
            self._holder = None


@dataclass(frozen=True)
class Job:
    name: str
    every: datetime.timedelta
    run: Callable[[], str]


def _publish() -> str:
    published = workflow.publish_due()
    sent, failing = notifications.retry_due()
    return f"{len(published)} published; notifications {sent} sent, {failing} failing"


def _reminders() -> str:
    call_command("review_reminders", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return "review reminders sent"


def _sync() -> str:
    query = settings.CTGOV_SYNC_QUERY
    call_command("sync_ctgov", "--query", query, "--since", "last",
                 stdout=open(os.devnull, "w"))  # noqa: SIM115  # fmt: skip
    return f"registry synced ({query})"


def _release() -> str:
    out = io.StringIO()
    call_command("export_release", "--publish", stdout=out)
    return out.getvalue().strip().splitlines()[-1] if out.getvalue().strip() else "released"


def jobs() -> list[Job]:
    found = [
        Job("publish_scheduled", datetime.timedelta(minutes=1), _publish),
        Job("review_reminders", datetime.timedelta(days=7), _reminders),
    ]
    if settings.CTGOV_SYNC_QUERY:  # the nightly sync, when a search is configured
        found.append(Job("sync_ctgov", datetime.timedelta(days=1), _sync))
    if settings.RELEASE_MONTHLY:  # a data release at /releases/ every 30 days
        found.append(Job("export_release", datetime.timedelta(days=30), _release))
    return found


def run_due(now: datetime.datetime | None = None) -> list[str]:
    """Run every job whose period has passed since it last started; what each did. A job
    that fails is logged and recorded, and tried again next period; it never stops the
    others. Call only while holding the WorkerLock."""
    now = now or timezone.now()
    done = []
    for job in jobs():
        record, _ = WorkerJob.objects.get_or_create(name=job.name)
        if record.last_started_at and now - record.last_started_at < job.every:
            continue
        WorkerJob.objects.filter(pk=record.pk).update(last_started_at=now)
        try:
            outcome = job.run()  # each move commits on its own (workflow.publish_due)
        except Exception as error:  # noqa: BLE001 — one job's failure never stops the others
            logger.exception("Worker job %s failed", job.name)
            WorkerJob.objects.filter(pk=record.pk).update(last_error=repr(error)[:2000])
            continue
        WorkerJob.objects.filter(pk=record.pk).update(last_finished_at=timezone.now(),
                                                      last_error="")  # fmt: skip
        logger.info("%s: %s", job.name, outcome, extra={"fields": {"job": job.name}})
        done.append(f"{job.name}: {outcome}")
    return done
