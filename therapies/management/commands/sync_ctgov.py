"""`manage.py sync_ctgov --query TERM [--condition …] [--since DATE] [--max N]`: fetch
matching studies from the ClinicalTrials.gov API v2 (`CTGOV_API_URL`) page by page and import
them as `import_ctgov` does. `--since` asks only for records the registry updated on or after
that date (`--since last`: since the last complete run of the same search), so a nightly run
fetches only what changed, and what a failed or broken-off run missed is fetched again."""

import datetime

from django.conf import settings
from django.core.management.base import CommandError

from therapies import ctgov, importer
from therapies.management.registry_command import RegistryCommand


def _since(value: str):
    if value == "last":
        return "last"
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD) or 'last'") from None


class Command(RegistryCommand):
    help = "Fetch studies from the ClinicalTrials.gov API v2 and import them as trial notes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--query",
            default="",
            metavar="TERM",
            help="Search terms, matched anywhere in a record (query.term).",
        )
        parser.add_argument("--condition", default="", help="A condition (query.cond).")
        parser.add_argument(
            "--since",
            type=_since,
            metavar="DATE",
            help="Only records last updated on or after DATE (YYYY-MM-DD), or 'last': "
            "since the last complete run of the same search (everything, the first time).",
        )
        parser.add_argument(
            "--max", type=int, dest="limit", metavar="N", help="Import at most N records."
        )
        parser.add_argument("--page-size", type=int, default=100, help="Records per page.")
        # fmt: skip

    def handle(self, *args, query, condition, since, limit, page_size, **options):
        if not query and not condition:
            raise CommandError("Say what to fetch: --query TERM and/or --condition NAME.")
        if limit is not None and limit < 1:
            raise CommandError("--max must be at least 1.")
        client = ctgov.Client(settings.CTGOV_API_URL, user_agent=settings.CTGOV_USER_AGENT)
        self.report(
            lambda **hooks: importer.sync(client, query=query, condition=condition,
                                          since=since, limit=limit, page_size=page_size,
                                          **hooks)[0]
        )  # fmt: skip
