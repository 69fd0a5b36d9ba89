import datetime
from pathlib import Path

from django.core.management.base import BaseCommand

from portal import backup


class Command(BaseCommand):
    help = ("Back the database up while the portal runs: pg_dump's custom format on "
            "PostgreSQL, the online backup API on SQLite.")  # fmt: skip

    def add_arguments(self, parser):
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        parser.add_argument(
            "path",
            nargs="?",
            default=f"var/backups/portal-{stamp}.backup",
            help="Where to write it (default: var/backups/portal-<time>.backup)",
        )

    def handle(self, *args, path, **options):
        written = backup.backup(Path(path))
        self.stdout.write(self.style.SUCCESS(f"Backed up to {written}."))
