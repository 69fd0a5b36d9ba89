"""`manage.py import_ctgov PATH...`: import ClinicalTrials.gov API v2 study records from
files (one study, a `{"studies": [...]}` page, NDJSON), folders and `.zip` bulk downloads, as
trial-note drafts through the editorial workflow (see therapies/importer.py). Streaming:
memory stays bounded whatever the download's size. Exits non-zero if any record failed."""

from pathlib import Path

from django.core.management.base import CommandError

from therapies import ctgov
from therapies.management.registry_command import RegistryCommand


class Command(RegistryCommand):
    help = "Import ClinicalTrials.gov study records (files, pages, NDJSON, folders, .zip)."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="PATH",
            help="A study, a page, an NDJSON file, a folder or a .zip.",
        )  # fmt: skip

    def handle(self, *args, paths, **options):
        missing = [path for path in paths if not Path(path).exists()]
        if missing:
            raise CommandError(f"No such file or folder: {', '.join(missing)}")
        self.run_import(ctgov.read(paths))
