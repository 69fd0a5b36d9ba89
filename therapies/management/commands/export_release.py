"""Write a data release: everything published at one moment (therapies/releases.py)."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from therapies import opendata, releases


class Command(BaseCommand):
    help = (
        "Write a dated data release of everything published (now, or --as-of a moment) into "
        "OUTDIR: JSON Lines and CSV per kind, manifest.json with SHA-256 checksums, README. "
        "--publish also lists it at /releases/ (RELEASES_DIR) with a changelog."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "outdir",
            nargs="?",
            help="Where to write the release (with --publish, may be left out).",
        )
        parser.add_argument("--as-of", help="ISO 8601 date or time, e.g. 2026-06-01T00:00:00Z.")
        parser.add_argument(
            "--previous",
            help="An earlier release's directory, for the "
            "changelog (with --publish: the newest published one).",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help=f"Add the release to /releases/ ({settings.RELEASES_DIR}).",
        )

    def handle(self, *args, outdir=None, as_of=None, previous=None, publish=False, **options):
        if not outdir and not publish:
            raise CommandError("Name the directory to write the release to (or --publish).")
        try:
            moment = opendata.parse_moment(as_of, "--as-of")
        except opendata.BadRequest as error:
            raise CommandError(error.message) from None
        previous_dir = Path(previous) if previous else None
        if previous_dir and not (previous_dir / "manifest.json").is_file():
            raise CommandError(f"{previous_dir} holds no release (no manifest.json).")
        with tempfile.TemporaryDirectory() as scratch:
            target = Path(outdir) if outdir else Path(scratch) / "release"
            if previous_dir is None:
                # The newest earlier release beside this one, or among the published ones.
                folders = [target.parent] + ([settings.RELEASES_DIR] if publish else [])
                previous_dir = releases.newest_before(
                    folders, releases.last_change(moment), exclude=target
                )
            manifest = releases.export(target, as_of=moment, previous=previous_dir)
            counts = ", ".join(f"{n} {name}" for name, n in manifest["counts"].items())
            self.stdout.write(f"Release {manifest['release_id']} written to {target}: {counts}")
            if previous_dir is not None:
                self.stdout.write(f"Changelog against {previous_dir}.")
            if publish:
                name, new = releases.publish(target)
                self.stdout.write(
                    f"Published as /releases/ {name}."
                    if new
                    else f"Release {name} is already published with this content."
                )
