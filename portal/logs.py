"""Structured logs: one JSON object per line on stdout, for whatever collects a container's or
a unit's output (journald, Loki, CloudWatch…).

Hand-written because the standard library has no JSON formatter and the usual packages
(python-json-logger, structlog) would add a dependency for twenty lines. A record's `fields`
(passed as `extra={"fields": {...}}`) become top-level keys; nothing else of the request is
logged — no query string, no body, no headers but the request id.
"""

import json
import logging
import re
import time
import uuid
from contextlib import ExitStack

from django.conf import settings
from django.db import connections

request_logger = logging.getLogger("portal.request")
audit_logger = logging.getLogger("portal.audit")

# A request id from the proxy is kept only if it looks like one (it is echoed and logged).
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)

    converter = time.gmtime  # times in UTC, marked Z


class RequestLogMiddleware:
    """Logs each request once it is answered: its id (X-Request-ID from the proxy, else a new
    one, echoed in the response), method, path, status, duration, the user's id (when the
    request read it) and how many database queries it ran."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        queries = [0]

        def count(execute, sql, params, many, context):
            queries[0] += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with ExitStack() as stack:
            for alias in settings.DATABASES:
                stack.enter_context(connections[alias].execute_wrapper(count))
            response = self.get_response(request)
        duration = time.perf_counter() - started
        response["X-Request-ID"] = request.request_id
        # The user only if the request already looked them up: logging must not add a query.
        user = getattr(request, "_cached_user", None)
        request_logger.info(
            "%s %s %s", request.method, request.path, response.status_code,
            extra={"fields": {
                "request_id": request.request_id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(duration * 1000, 1),
                "user": user.pk if user is not None and user.is_authenticated else "anonymous",
                "queries": queries[0],
            }},
        )  # fmt: skip
        return response


def log_audit_event(event) -> None:
    """An audit event as a log line too (the database row stays the record)."""
    audit_logger.info(
        "%s %s", event.action, event.item_type.model if event.item_type_id else "",
        extra={"fields": {
            "action": event.action,
            "item_type": event.item_type.model if event.item_type_id else None,
            "item_id": event.item_id,
            "version": event.version_number,
            "actor": event.actor_id,
            "from_state": event.from_state,
            "to_state": event.to_state,
        }},
    )  # fmt: skip
