"""The audit trail's hash chain: each event stores the hash of the one before it and its own,
so that an event altered, removed or slipped in afterwards — by whoever could get past the
database's append-only triggers — breaks the chain where it happened (`manage.py
verify_audit` names the first broken link).

Appending takes a lock for the rest of the transaction (PostgreSQL: an advisory lock), so
that two moves at once never both follow the same event: the chain has no forks.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db import connection

# The fields an event's hash covers, in this order: everything but its id and hashes.
HASHED_FIELDS = (
    "item_type_id", "item_id", "version_type_id", "version_id", "version_number", "actor_id",
    "at", "action", "from_state", "to_state", "comment", "data",
)  # fmt: skip
CHAIN_LOCK = 7_461_676  # the advisory-lock key that serializes appends (any fixed number)


def event_hash(prev_hash: str, event) -> str:
    """SHA-256 of the previous event's hash and this event's fields (an AuditEvent, or a
    historical model's instance in a migration), as canonical JSON."""
    fields = {name: getattr(event, name) for name in HASHED_FIELDS}
    at = fields["at"]
    fields["at"] = at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{text}".encode()).hexdigest()


def lock_chain() -> None:
    """Serialize appends until the transaction ends (SQLite serializes writers itself)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


@dataclass
class Verification:
    checked: int
    head: str  # the last event's hash: record it elsewhere to detect a cut-off tail
    broken_at: int | None = None  # the id of the first event that does not fit
    why: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify() -> Verification:
    """Walk the whole trail in id order (streamed) and check every link."""
    from therapies.models import AuditEvent

    events = AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
    previous, checked = "", 0
    for event in events:
        if event.prev_hash != previous:
            return Verification(checked, previous, event.pk, "it does not follow the event "
                                "before it: an event was removed, or slipped in")  # fmt: skip
        if event.hash != event_hash(event.prev_hash, event):
            return Verification(checked, previous, event.pk, "its contents were altered "
                                "after it was written")  # fmt: skip
        previous = event.hash
        checked += 1
    return Verification(checked, previous)
