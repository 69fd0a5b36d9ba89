"""`manage.py publish_scheduled`: publish approved versions whose time has come, unpublish
items whose unpublish time has passed, and try again the notifications that could not be
sent. Idempotent; safe to run every minute from cron or a worker, even two at once (each move
is a conditional UPDATE in workflow.publish_due). A move that fails is reported and retried
by the next run; it never stops the others.

`--every SECONDS` keeps it running, a pass every SECONDS, until it is stopped (Ctrl-C or
SIGTERM): what `make run` starts beside the development server, so that scheduled
publications fire there too.
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from therapies import notifications, workflow


class Command(BaseCommand):
    help = "Publish scheduled versions that are due and unpublish expired ones."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, metavar="SECONDS",
                            help="Keep running: a pass every SECONDS until stopped.")  # fmt: skip

    def handle(self, *args, every=None, **options):
        if not every:
            self.run_once(quiet=False)
            return
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
        self.stdout.write(f"Scheduler: a pass every {every:g} s (Ctrl-C stops it).")
        try:
            while True:
                self.run_once(quiet=True)
                time.sleep(every)
                close_old_connections()  # a connection idle that long may have been dropped
        except KeyboardInterrupt:
            self.stdout.write("Scheduler stopped.")

    def run_once(self, *, quiet: bool) -> None:
        published = workflow.publish_due()
        for version in published:
            self.stdout.write(f"Published {version.item} (version {version.number}).")
        if published or not quiet:
            self.stdout.write(
                self.style.SUCCESS(f"{len(published)} scheduled version(s) published.")
            )
        sent, failing = notifications.retry_due()
        if sent or failing:
            self.stdout.write(f"Notifications retried: {sent} sent, {failing} still failing.")
