"""Notification mail. Each message is a template, `templates/therapies/email/<name>.txt`,
whose first line is the subject; it is rendered now, stored as a `Notification` in the same
transaction as the move it reports, and sent once that transaction commits.

A mail failure never undoes or fails the editorial move that already happened: the
notification stays unsent, `retry_due` (run by `publish_scheduled`) tries it again with
growing pauses, and the admin says how many could not be sent.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from therapies.models import Notification

logger = logging.getLogger(__name__)

# Tries before a notification is given up (it stays listed as not sent); the pause before
# try n + 1 is RETRY_BASE × 2^n: 2, 4, 8… minutes, about four hours in all.
MAX_ATTEMPTS = 8
RETRY_BASE = datetime.timedelta(minutes=1)
# Sent notifications are kept this long (what was mailed, to whom), then removed.
KEEP_SENT = datetime.timedelta(days=30)


def admin_url(version) -> str:
    """The address of the version's item in the admin, for a link in a message."""
    return f"{settings.SITE_URL}{version.item.get_admin_url()}"


def send(name: str, recipients: Iterable[str], *, bcc: bool = False, **context) -> None:
    """Send message `name` to `recipients` (empty addresses skipped, each once) after the
    current transaction commits; `bcc`: as blind copies, so that a digest sent to many does
    not tell each the others' addresses."""
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    version = context.get("version")
    if version is not None:
        context.setdefault("admin_url", admin_url(version))
    text = render_to_string(f"therapies/email/{name}.txt", context).strip()
    subject, _, body = text.partition("\n")
    # A subject is one line: whatever a template put in it (a title from before titles were
    # checked) cannot split the header.
    subject = " ".join(subject.split())[:300]
    notification = Notification.objects.create(
        name=name, subject=subject, body=body.strip() + "\n", recipients=recipients, bcc=bcc,
        next_attempt_at=timezone.now(),
    )  # fmt: skip
    transaction.on_commit(lambda: deliver(notification))


def deliver(notification: Notification) -> bool:
    """Try to send `notification` once; record the outcome. True if it was sent."""
    address = {"bcc": notification.recipients} if notification.bcc else {
        "to": notification.recipients
    }  # fmt: skip
    notification.attempts += 1
    try:
        EmailMessage(notification.subject, notification.body, **address).send()
    except Exception as error:  # noqa: BLE001 — kept for a retry, and shown in the admin
        logger.exception("Could not send notification %r (try %d)", notification.subject,
                         notification.attempts)  # fmt: skip
        notification.last_error = f"{type(error).__name__}: {error}"[:1000]
        pause = RETRY_BASE * 2**notification.attempts
        notification.next_attempt_at = (
            timezone.now() + pause if notification.attempts < MAX_ATTEMPTS else None
        )
        sent = False
    else:
        notification.sent_at = timezone.now()
        notification.next_attempt_at = None
        sent = True
    Notification.objects.filter(pk=notification.pk).update(
        attempts=notification.attempts, last_error=notification.last_error,
        sent_at=notification.sent_at, next_attempt_at=notification.next_attempt_at,
    )  # fmt: skip
    return sent


def retry_due(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Try again every notification whose next try is due (oldest first), and remove sent
    ones older than KEEP_SENT. Returns (sent, still failing)."""
    now = now or timezone.now()
    due = Notification.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now,
                                      attempts__gt=0).order_by("next_attempt_at")  # fmt: skip
    sent = failing = 0
    for notification in due[:500].iterator():
        if deliver(notification):
            sent += 1
        else:
            failing += 1
    Notification.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    return sent, failing


def unsent():
    """Notifications that could not be sent (tried at least once, not delivered)."""
    return Notification.objects.filter(sent_at__isnull=True, attempts__gt=0)


def retry(notifications) -> int:
    """Try the given notifications again now (the admin's action); how many were sent."""
    return sum(deliver(notification) for notification in notifications)
