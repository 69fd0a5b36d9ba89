"""`make bench`: time, database queries and peak Python memory of every public page, on the
demo content plus BENCH_ITEMS (default 200) generated items of each kind, in production mode
(DEBUG off, cached templates, hashed static files).

Speed and memory are measured here, never asserted in tests: numbers depend on the machine.
The query counts are the same as the test suite's fixed budgets (≤ 15 per page).

Runs against a throwaway SQLite database in a temporary directory; set BENCH_DATABASE_URL
to a scratch PostgreSQL database to measure there (its tables are created and filled).
"""

import math
import os
import pathlib
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = pathlib.Path(tempfile.mkdtemp(prefix="portal-bench-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="portal.settings",
    DEBUG="0",
    SECRET_KEY="bench-only-not-secret",
    ALLOWED_HOSTS="testserver",
    SECURE_COOKIES="0",
    SECURE_SSL_REDIRECT="0",  # the test client speaks plain HTTP, as a proxy would to the app
    PAGE_CACHE="0",  # the pages' own cost: a cached page runs no query at all
    DATABASE_URL=os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{WORK}/bench.sqlite3",
    SITE_URL="http://testserver",
    MAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tests.factories import (  # noqa: E402
    CombinationEntryVersionFactory,
    TherapyArticleVersionFactory,
    TrialNoteVersionFactory,
)
from therapies.models import TherapyArticle, TrialNote  # noqa: E402

ITEMS = int(os.environ.get("BENCH_ITEMS", "200"))
RUNS = int(os.environ.get("BENCH_RUNS", "20"))


def prepare() -> None:
    settings.STATIC_ROOT = WORK / "static"  # collected here, not into the checkout
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("loaddemo", verbosity=0)
    author = get_user_model().objects.get(username="editor")  # one author: hashing is slow
    therapies = [
        TherapyArticleVersionFactory(state="published", title=f"Bench therapy {n}",
                                     author=author).item
        for n in range(ITEMS)
    ]  # fmt: skip
    for n in range(ITEMS):
        CombinationEntryVersionFactory(
            state="published", title=f"Bench combination {n}", author=author,
            therapies=[therapies[n], therapies[n - 1]],
        )  # fmt: skip
        note = TrialNoteVersionFactory(state="published", title=f"Bench trial {n}", author=author)
        note.therapies.set([therapies[n]])


def urls() -> list[str]:
    therapy = TherapyArticle.objects.get(slug="anti-pd-1-pd-l1-antibodies")
    trial = TrialNote.objects.published().first()
    return [
        "/", "/therapies/", "/combinations/", "/trials/", "/trials/?phase=PHASE3&sort=start",
        "/search/?q=melanoma", "/updates/", "/feeds/updates/", "/sitemap.xml",
        "/about/evidence/", therapy.get_absolute_url(), therapy.get_history_url(),
        trial.get_absolute_url(),
    ]  # fmt: skip


def measure(client: Client, url: str) -> dict:
    for _ in range(3):  # warm the template and query caches
        assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured)  # now: the log is read lazily and the next request clears it
    tracemalloc.start()
    client.get(url)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "median": statistics.median(timings),
        "p95": sorted(timings)[math.ceil(len(timings) * 0.95) - 1],
        "queries": queries,
        "peak_kib": peak / 1024,
    }


def main() -> None:
    started = time.perf_counter()
    prepare()
    print(f"{connection.vendor}, demo + {ITEMS} items of each kind, {RUNS} runs per page "
          f"(set up in {time.perf_counter() - started:.1f} s)\n")  # fmt: skip
    print(f"{'page':48} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'peak KiB':>9}")
    client = Client()
    for url in urls():
        row = measure(client, url)
        print(f"{url[:48]:48} {row['median']:10.1f} {row['p95']:8.1f} {row['queries']:8d} "
              f"{row['peak_kib']:9.0f}")  # fmt: skip


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        shutil.rmtree(WORK, ignore_errors=True)
