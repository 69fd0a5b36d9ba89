from pathlib import Path

from django.core.management.base import BaseCommand

from portal import backup


class Command(BaseCommand):
    help = ("Restore a backup written by `manage.py backup` into an empty database (or, with "
            "--replace, over what it holds). Then run `manage.py verify_audit`.")  # fmt: skip

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--replace", action="store_true",
                            help="drop what the database holds first")  # fmt: skip

    def handle(self, *args, path, replace=False, **options):
        backup.restore(Path(path), replace=replace)
        self.stdout.write(self.style.SUCCESS(f"Restored {path}. Check it: manage.py "
                                             "verify_audit"))  # fmt: skip
