"""Reads from a read replica, for readers who cannot tell (DATABASE_REPLICA_URL).

Anonymous readers' GET and HEAD requests for public pages read from the replica; everything
else reads and writes the primary: the desk (/admin/), the editor's endpoints, review links,
the workflow, imports and every management command (no request: the primary). Whoever has
just acted reads the primary too, so nobody misses their own change while the replica
catches up: anyone with a session (staff), and anyone within RECENT_WRITE_SECONDS of a
request that could write (a short-lived cookie set on every POST, PUT, PATCH or DELETE).

The decision is made once per request by ReplicaMiddleware and kept in a context variable
that the router reads; without the middleware (commands, the worker, tests) nothing goes to
the replica.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.conf import settings

REPLICA = "replica"
RECENT_WRITE_COOKIE = "portal_recent_write"
RECENT_WRITE_SECONDS = 10
# Addresses that always read the primary: the desk and whatever writes or must be current.
PRIMARY_PATHS = ("/admin/", "/markdownx/", "/review/", "/readyz", "/healthz")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

_replica_reads = contextvars.ContextVar("replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def reading_from_replica() -> bool:
    """Whether this request's reads go to the replica (the page cache asks)."""
    return _replica_reads.get()


@contextmanager
def replica_reads(enabled: bool = True):
    token = _replica_reads.set(enabled)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def wants_replica(request) -> bool:
    """An anonymous reader's GET or HEAD of a public page, who has not just acted."""
    return (
        replica_configured()
        and request.method in ("GET", "HEAD")
        and not request.path.startswith(PRIMARY_PATHS)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and RECENT_WRITE_COOKIE not in request.COOKIES
    )


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _replica_reads.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied: every row exists on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica gets its schema by replication


class ReplicaMiddleware:
    """Decides, once per request, whether its reads go to the replica; after a request that
    could write, sends the recent-write cookie so the next few seconds read the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with replica_reads(wants_replica(request)):
            response = self.get_response(request)
        if request.method not in SAFE_METHODS and replica_configured():
            response.set_cookie(RECENT_WRITE_COOKIE, "1", max_age=RECENT_WRITE_SECONDS,
                                httponly=True, samesite="Lax",
                                secure=settings.SESSION_COOKIE_SECURE)  # fmt: skip
        return response
