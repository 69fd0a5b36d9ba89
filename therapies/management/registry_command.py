"""What `import_ctgov` and `sync_ctgov` share: run the import over a stream of records with a
progress bar on a terminal, report each failed record as it happens, close with the summary
line and exit non-zero if any record failed."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from therapies import importer


class RegistryCommand(BaseCommand):
    def run_import(self, items, *, total: int | None = None) -> importer.Result:
        """Import the (where, study) pairs `items` and report (see `report`)."""
        return self.report(lambda **hooks: importer.run(items, **hooks), total=total)

    def report(self, work, *, total: int | None = None) -> importer.Result:
        """Run `work(on_error=, on_each=)` (an import that returns its `importer.Result`) with
        a progress bar, then report; a failed record or a broken-off input ends the command
        with exit status 1."""
        # tqdm draws only on a terminal (disable=None); the bar goes to stderr, so piped
        # output stays the report.
        with tqdm(total=total, unit=" records", disable=None, file=sys.stderr,
                  dynamic_ncols=True) as bar:  # fmt: skip

            def on_error(error):
                bar.clear()
                self.stderr.write(f"Failed: {error}")
                bar.refresh()

            result = work(on_error=on_error, on_each=lambda: bar.update())
        for change in result.changes:
            if change.urgent:
                self.stdout.write(f"Urgent: {change.nct_id}: {', '.join(change.urgent)}")
        self.stdout.write(result.summary())
        if result.aborted:
            raise CommandError(f"The input broke off: {result.aborted}. The records read "
                               "before it were imported.", returncode=1)  # fmt: skip
        if result.failed:
            raise CommandError(f"{result.failed} record(s) could not be imported.", returncode=1)
        return result
