"""`manage.py verify_audit`: check the audit trail's hash chain, event by event.

Exit status 0 when every link holds, 1 at the first broken one, which it names. It prints
the chain's head (the last event's hash): kept somewhere else (a ticket, the backup log),
it also shows whether events were cut off the end — give it with --head to check that.
"""

from django.core.management.base import BaseCommand, CommandError

from therapies import audit
from therapies.models import AuditEvent


class Command(BaseCommand):
    help = "Check the audit trail's hash chain and report the first broken link."

    def add_arguments(self, parser):
        parser.add_argument("--head", default="", help="A head recorded earlier: it must "
                            "still be in the chain.")  # fmt: skip

    def handle(self, *args, head, **options):
        result = audit.verify()
        if not result.intact:
            event = AuditEvent.objects.get(pk=result.broken_at)
            raise CommandError(
                f"The audit trail is broken at event {event.pk} ({event.at:%Y-%m-%d %H:%M} "
                f"{event.action}, version {event.version_number}): {result.why}. "
                f"The {result.checked} event(s) before it hold.",
                returncode=1,
            )
        if head and not AuditEvent.objects.filter(hash=head).exists():
            raise CommandError(f"The head {head} is not in the audit trail: events recorded "
                               "up to it were removed.", returncode=1)  # fmt: skip
        self.stdout.write(f"{result.checked} audit events verified; the chain holds. "
                          f"Head: {result.head or '(empty)'}")  # fmt: skip
