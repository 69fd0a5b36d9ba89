"""`manage.py sync_ctgov --query TERM [--condition …] [--since DATE] [--max N]`: fetch
matching studies from the ClinicalTrials.gov API v2 (`CTGOV_API_URL`) page by page and import
them as `import_ctgov` does. `--since` asks only for records the registry updated on or after
that date (`--since last`: since the newest registry update already imported), so a nightly
run fetches only what changed."""

import datetime

from django.conf import settings
from django.core.management.base import CommandError
from django.db.models import Max

from therapies import ctgov
from therapies.management.registry_command import RegistryCommand
from therapies.models import RegistrySnapshot


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
            help="Only records last updated on or after DATE (YYYY-MM-DD), or "
            "'last': since the newest registry update already imported.",
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
        if since == "last":
            since = RegistrySnapshot.objects.aggregate(last=Max("last_update"))["last"]
        client = ctgov.Client(settings.CTGOV_API_URL, user_agent=settings.CTGOV_USER_AGENT)
        studies = client.studies(
            query=query,
            condition=condition,
            since=since,
            page_size=min(page_size, limit or page_size),
            limit=limit,
        )
        self.run_import(
            (f"{settings.CTGOV_API_URL}/studies, record {n}", study)
            for n, study in enumerate(studies, 1)
        )
