"""`manage.py worker`: the background jobs without cron (portal/worker.py). Run one per
machine or more; one acts, the others stand by and take over if it dies."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from portal import worker


class Command(BaseCommand):
    help = "Run the scheduled jobs (publishing, reminders, the nightly sync) until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            default=30,
            metavar="SECONDS",
            help="How often to look for due jobs (default 30).",
        )
        parser.add_argument("--once", action="store_true",
                            help="One pass, if this process gets the lock, then exit.")  # fmt: skip

    def handle(self, *args, every=30, once=False, **options):
        lock = worker.WorkerLock()
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
        standing_by = False
        try:
            while True:
                if lock.acquire():
                    if standing_by:
                        self.stdout.write("Worker: the lock is free, taking over.")
                        standing_by = False
                    for line in worker.run_due():
                        self.stdout.write(line)
                elif not standing_by:
                    self.stdout.write("Worker: another worker is active; standing by.")
                    standing_by = True
                if once:
                    return
                time.sleep(every)
                close_old_connections()
        except KeyboardInterrupt:
            self.stdout.write("Worker stopped.")
        finally:
            lock.release()
