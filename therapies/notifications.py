"""Notification mail. Each message is a template, `templates/therapies/email/<name>.txt`,
whose first line is the subject; it is rendered now and sent once the transaction commits.
A mail failure is logged, never allowed to undo or fail the editorial move that already
happened."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


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

    def deliver():
        try:
            message = EmailMessage(
                subject.strip(),
                body.strip() + "\n",
                **({"bcc": recipients} if bcc else {"to": recipients}),
            )
            message.send()
        except Exception:
            logger.exception("Could not send notification %r to %s", subject, recipients)

    transaction.on_commit(deliver)
