"""`make bench`: the public pages under load at catalogue size, against the framework's ceiling.

1. A scratch PostgreSQL database (created here and dropped afterwards, or BENCH_DATABASE_URL)
   is migrated and filled by `manage.py seed_bench` (BENCH_THERAPIES, BENCH_COMBINATIONS,
   BENCH_TRIALS; 2,000 / 5,000 / 50,000 by default).
2. gunicorn serves the portal with production settings (DEBUG off, hashed static files,
   persistent database connections, Redis as the cache): 2 sync workers, no control socket.
3. wrk, in its own process, drives each public page for BENCH_SECONDS at BENCH_CONNECTIONS
   (16) connections. Before each page it drives a constant-response view of the same server
   (`/_bench/constant/`, through the whole middleware stack) for as long: the framework's
   ceiling on this machine, measured beside each page, with the machine idle before each run.
   All of it twice: page cache off (PAGE_CACHE=0), then on.
4. With the page cache off it drives each page again over one connection: a single request's
   latency. With it on, it publishes a new version of a trial note through the workflow and
   times until a reader is served it (publish-to-visible).
5. It prints a table and writes the same as JSON under bench/results/.

Numbers, never assertions: targets are reported against, not enforced — except in the smoke
run (BENCH_SMOKE=1: tiny data, one second a page), which CI uses so the benchmark cannot
silently break, and which fails on any error or non-200 answer.
"""

import contextlib
import datetime
import json
import os
import pathlib
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid

ROOT = pathlib.Path(__file__).resolve().parent.parent
VENV_BIN = pathlib.Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
SMOKE = os.environ.get("BENCH_SMOKE") == "1"
SIZES = {
    "therapies": int(os.environ.get("BENCH_THERAPIES", 20 if SMOKE else 2000)),
    "combinations": int(os.environ.get("BENCH_COMBINATIONS", 40 if SMOKE else 5000)),
    "trials": int(os.environ.get("BENCH_TRIALS", 200 if SMOKE else 50000)),
}
SECONDS = int(os.environ.get("BENCH_SECONDS", 1 if SMOKE else 8))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 16))
WORKERS = 2
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
CONSTANT = "/_bench/constant/"
# Targets of issue 9, as shares of the constant view's requests/s.
TARGETS = {"detail": 15.0, "other": 8.0, "cached": 60.0, "single_p95_ms": 100.0,
           "publish_to_visible_s": 1.0}  # fmt: skip
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH {"requests": %d, "duration_us": %d, "connect": %d, ' ..
    '"read": %d, "write": %d, "status": %d, "timeout": %d, "p50": %.3f, "p95": %.3f, ' ..
    '"p99": %.3f, "max": %.3f}\\n', summary.requests, summary.duration, e.connect, e.read,
    e.write, e.status, e.timeout, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the database ------------------------------------------------------------------------------


def _admin_url() -> str:
    """A PostgreSQL URL of a role that may create databases (as .ci/run finds one)."""
    import psycopg

    if url := os.environ.get("BENCH_ADMIN_DATABASE_URL"):
        return url
    for role in ("postgres", "root", "portal_ci"):
        for password in ("", f":{role}"):
            url = f"postgres://{role}{password}@127.0.0.1:5432/postgres"
            with (
                contextlib.suppress(psycopg.Error),
                psycopg.connect(url, connect_timeout=3) as connection,
            ):
                row = connection.execute(
                    "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user"
                ).fetchone()
                if row and row[0]:
                    return url
    sys.exit("bench: no PostgreSQL role that may create a database was found on 127.0.0.1; "
             "set BENCH_DATABASE_URL (or BENCH_ADMIN_DATABASE_URL).")  # fmt: skip


@contextlib.contextmanager
def scratch_database():
    """BENCH_DATABASE_URL as given, or a new database dropped afterwards (BENCH_KEEP=1
    keeps it)."""
    if url := os.environ.get("BENCH_DATABASE_URL"):
        yield url, False
        return
    import psycopg

    admin = _admin_url()
    name = f"portal_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.rsplit("/", 1)[0] + f"/{name}", True
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_env(database_url: str, *, page_cache: bool) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "0",
        # Reached over plain HTTP here, as gunicorn is behind a proxy that ends TLS (and says
        # so with X-Forwarded-Proto, which the load generator does not send).
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "SITE_URL": "http://127.0.0.1",
        # The approvals timed for publish-to-visible send their mail nowhere.
        "MAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "CONN_MAX_AGE": "600",
        # Persistent connections, as the figures in README were measured (the production
        # default is a pool: DB_POOL).
        "DB_POOL": "0",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": "bench",
        "PAGE_CACHE": "1" if page_cache else "0",
        "BENCH_ENDPOINTS": "1",
        "STATIC_ROOT": str(STATIC_ROOT),
        "LOG_LEVEL": "WARNING",
        # One load generator is one client: the API's limit is counted (in Redis) as usual
        # but set out of its reach.
        "API_RATE": "100000000/m",
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


# --- the server and the load generator ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict):
    port = free_port()
    command = [str(VENV_BIN / "gunicorn"), "portal.wsgi:application", "--workers", str(WORKERS),
               "--no-control-socket", "--bind", f"127.0.0.1:{port}", "--timeout", "60",
               "--log-level", "warning"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                if fetch(base + CONSTANT)[0] == 200:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 — loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def _cpu_times() -> tuple[int, int]:
    fields = [int(value) for value in pathlib.Path("/proc/stat").read_text().split()[1:9]]
    return sum(fields), fields[3] + fields[4]  # total, idle + iowait


def wait_until_idle(threshold: float = 0.85, window: float = 0.3, limit: float = 15) -> None:
    """Wait (at most `limit` seconds) until the machine's CPUs are idle, so that one run's
    stragglers (database writes, a worker finishing) do not slow the next."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        total, idle = _cpu_times()
        time.sleep(window)
        total2, idle2 = _cpu_times()
        if total2 > total and (idle2 - idle) / (total2 - total) >= threshold:
            return


def wrk(url: str, *, connections: int, seconds: int) -> dict:
    threads = min(2, connections)
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "2s",
         "-s", str(WRK_LUA), url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH "))
    data = json.loads(line[len("BENCH ") :])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["errors"] = data["connect"] + data["read"] + data["write"] + data["status"]
    return data


# --- what is measured --------------------------------------------------------------------------


def pages() -> list[tuple[str, str, str]]:
    """(name, kind, path) of every public page measured; kind "detail" or "other" decides
    the target. Detail pages are the most linked ones: the heaviest of their kind."""
    from django.db.models import Count

    from therapies.models import CombinationEntry, TherapyArticle, TrialNote, TrialNoteVersion

    therapy = (
        TherapyArticle.objects.published()
        .annotate(n=Count("trial_versions"))
        .order_by("-n", "pk")
        .first()
    )
    combination = CombinationEntry.objects.published().order_by("pk").first()
    trial = (
        TrialNote.objects.published()
        .annotate(n=Count("versions__therapies"))
        .order_by("-n", "pk")
        .first()
    )
    conditions = TrialNoteVersion.objects.published().values_list("conditions", flat=True)
    condition = next(c[0] for c in conditions.order_by("pk")[:50] if c)
    common, rare = search_terms()
    from therapies.opendata import encode_cursor

    year_ago = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=365)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    return [
        ("home", "other", "/"),
        ("therapy list", "other", "/therapies/"),
        ("therapy list, filtered", "other", "/therapies/?therapy_class=car_t"),
        ("combination list", "other", "/combinations/"),
        ("combination list, filtered", "other",
         "/combinations/?class_a=checkpoint_inhibitor&class_b=car_t"),
        ("trial list", "other", "/trials/"),
        ("trial list, phase 3 completed", "other", "/trials/?phase=PHASE3&status=COMPLETED"),
        ("trial list, by condition", "other",
         f"/trials/?condition={urllib.parse.quote(condition)}&sort=start"),
        ("trial list, page 40", "other", "/trials/?page=40"),
        ("therapy detail", "detail", therapy.get_absolute_url()),
        ("therapy history", "detail", therapy.get_history_url()),
        ("combination detail", "detail", combination.get_absolute_url()),
        ("trial detail", "detail", trial.get_absolute_url()),
        (f"search, common term ({common})", "other", f"/search/?q={common}"),
        (f"search, rare term ({rare})", "other", f"/search/?q={rare}"),
        ("updates", "other", "/updates/"),
        ("RSS feed", "other", "/feeds/updates/"),
        ("sitemap", "other", "/sitemap.xml"),
        ("sitemap section", "other", "/sitemap-trials.xml"),
        ("API: trial list", "other", "/api/v1/trials/"),
        ("API: trial list, phase 3, by condition", "other",
         f"/api/v1/trials/?phase=PHASE3&condition={urllib.parse.quote(condition)}"),
        ("API: trial list, page after a cursor", "other",
         f"/api/v1/trials/?cursor={encode_cursor(trial.nct_id)}"),
        ("API: trial list as of a year ago", "other", f"/api/v1/trials/?as_of={year_ago}"),
        ("API: therapy list, search", "other", f"/api/v1/therapies/?q={common}"),
        ("API: citations", "other", "/api/v1/citations/"),
        ("API: therapy detail", "detail", f"/api/v1/therapies/{therapy.slug}/"),
        ("API: therapy versions", "detail", f"/api/v1/therapies/{therapy.slug}/versions/"),
        ("API: trial detail", "detail", f"/api/v1/trials/{trial.nct_id}/"),
        ("API: trial as FHIR", "detail", f"/api/v1/trials/{trial.nct_id}/fhir"),
    ]  # fmt: skip


def search_terms() -> tuple[str, str]:
    """A word in many published titles and one in very few (each found by the database)."""
    from collections import Counter

    from therapies.models import TrialNoteVersion

    words = Counter()
    titles = TrialNoteVersion.objects.published().values_list("title", flat=True)
    for title in titles.order_by("pk")[:2000]:
        words.update({w for w in re.findall(r"[a-z]{6,}", title.lower()) if w != "synthetic"})
    ranked = [word for word, _ in words.most_common()]
    return ranked[0], ranked[-1]


def publish_to_visible(base: str, runs: int = 5) -> list[float]:
    """Seconds from a moderator's approval (the call to `workflow.approve`, with its gates,
    audit and mail) until a reader is served the new version, through a cache that holds the
    old page."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test.utils import override_settings

    from therapies import workflow
    from therapies.models import ConflictOfInterestStatement, TrialNote

    users = get_user_model().objects
    editor, moderator = users.get(username="bench-editor"), users.get(username="bench-moderator")
    editor.groups.add(Group.objects.get(name="Editors"))
    moderator.groups.add(Group.objects.get(name="Moderators"))
    ConflictOfInterestStatement.objects.update_or_create(
        user=moderator, defaults={"statement": "None (benchmark account).",
                                  "declared_on": datetime.date.today()},
    )  # fmt: skip
    editor, moderator = users.get(pk=editor.pk), users.get(pk=moderator.pk)
    timings = []
    # The workflow's notification mail stays in memory (the console backend would print it).
    quiet = override_settings(
        MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    )
    quiet.enable()
    for note in (
        TrialNote.objects.published()
        .filter(versions__state="published")
        .exclude(versions__state__in=["draft", "in_review", "changes_requested", "approved"])
        .order_by("pk")[: runs + 1]
    ):
        url = base + note.get_absolute_url()
        fetch(url), fetch(url)  # cached now
        draft = workflow.new_version(note, by=editor)
        marker = f"Updated {uuid.uuid4().hex[:8]}"
        workflow.edit(draft, by=editor, title=f"{draft.title} — {marker}",
                      change_summary="Benchmark: publish-to-visible.")  # fmt: skip
        workflow.submit(draft, by=editor)
        started = time.perf_counter()
        workflow.approve(draft, by=moderator)
        log(f"  publish-to-visible: approved in {time.perf_counter() - started:.3f} s")
        while marker not in fetch(url)[1]:
            if time.perf_counter() - started > 30:
                break
            time.sleep(0.005)
        timings.append(time.perf_counter() - started)
    quiet.disable()
    # The first publication also loads the workflow's code and mail templates into this
    # process, which a running server has long done: it is a warm-up, not a measurement.
    return timings[1:]


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip()
                for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.machine())  # fmt: skip
    memory = next(line.split()[1] for line in pathlib.Path("/proc/meminfo").read_text()
                  .splitlines() if line.startswith("MemTotal"))  # fmt: skip
    import django
    from django.db import connection

    return {
        "cpus": os.cpu_count(), "cpu": cpu, "memory_gib": round(int(memory) / 1024**2, 1),
        "python": platform.python_version(), "django": django.get_version(),
        "postgresql": connection.cursor().connection.info.server_version,
        "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1],
    }  # fmt: skip


# --- the run -----------------------------------------------------------------------------------


def measure(base: str, page_list, *, cache: str) -> list[dict]:
    rows = []
    for name, kind, path in page_list:
        status, body = fetch(base + path)
        for _ in range(2):  # warm: the page cache, the cached counts, the database's buffers
            fetch(base + path)
        wait_until_idle()
        ceiling = wrk(base + CONSTANT, connections=CONNECTIONS, seconds=SECONDS)
        wait_until_idle()
        run = wrk(base + path, connections=CONNECTIONS, seconds=SECONDS)
        share = 100 * run["rps"] / ceiling["rps"]
        target = TARGETS["cached"] if cache == "on" else TARGETS[kind]
        rows.append({
            "page": name, "path": path, "kind": kind, "cache": cache, "status": status,
            "bytes": len(body.encode()), "rps": round(run["rps"], 1),
            "ceiling_rps": round(ceiling["rps"], 1), "share_adjacent_pct": round(share, 2),
            "target_pct": target, "p50_ms": run["p50"], "p95_ms": run["p95"],
            "p99_ms": run["p99"], "errors": run["errors"], "timeouts": run["timeout"],
            "ceiling_errors": ceiling["errors"] + ceiling["timeout"],
        })  # fmt: skip
        log(f"  {cache:3} {name:42} {run['rps']:8.1f}/s {share:6.1f} % of "
            f"{ceiling['rps']:.0f}/s  p95 {run['p95']:7.1f} ms  errors {run['errors']}"
            f"+{run['timeout']}")  # fmt: skip
    # The constant view's rate swings by a fifth from one run to the next on this machine;
    # each page's share is taken of the median of all of this mode's constant-view runs,
    # and the share of the run right beside it is kept as well.
    ceiling = statistics.median(row["ceiling_rps"] for row in rows)
    for row in rows:
        row["ceiling_median_rps"] = round(ceiling, 1)
        row["share_pct"] = round(100 * row["rps"] / ceiling, 2)
    return rows


def single(base: str, page_list) -> list[dict]:
    rows = []
    for name, _, path in page_list:
        wait_until_idle()
        run = wrk(base + path, connections=1, seconds=max(1, SECONDS // 2))
        rows.append({"page": name, "path": path, "p50_ms": run["p50"], "p95_ms": run["p95"],
                     "errors": run["errors"] + run["timeout"]})  # fmt: skip
        log(f"  1 connection, cache off: {name:42} p95 {run['p95']:7.1f} ms")
    return rows


def table(result: dict) -> str:
    """The results as a Markdown table, for README."""
    by_page = {}
    for row in result["runs"]:
        by_page.setdefault(row["page"], {})[row["cache"]] = row
    single_p95 = {row["page"]: row["p95_ms"] for row in result["single"]}
    lines = [
        "| page | cache off: req/s | share | p50 / p95 / p99 ms | cache on: req/s | share "
        "| p50 / p95 / p99 ms | errors | 1 connection p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page, modes in by_page.items():
        cells = [page]
        for mode in ("off", "on"):
            row = modes[mode]
            flag = "" if row["share_pct"] >= row["target_pct"] else " ✗"
            cells += [
                f"{row['rps']:,.0f}",
                f"{row['share_pct']:.1f} %{flag}",
                f"{row['p50_ms']:.0f} / {row['p95_ms']:.0f} / {row['p99_ms']:.0f}",
            ]
        cells.append(str(sum(modes[m]["errors"] + modes[m]["timeouts"] for m in modes)))
        cells.append(f"{single_p95.get(page, 0):.0f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    if shutil.which("wrk") is None:
        sys.exit("bench: wrk is not installed (Debian: apt-get install wrk).")
    started = time.perf_counter()
    RESULTS.mkdir(exist_ok=True)
    with scratch_database() as (database_url, created):
        env_off, env_on = (django_env(database_url, page_cache=flag) for flag in (False, True))
        os.environ.update(env_on)  # this process publishes through the same cache
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.cache import cache

        from therapies.models import TrialNote

        log(f"bench: database {database_url.rsplit('/', 1)[1]}, Redis {REDIS_URL}")
        manage(env_off, "migrate", "--noinput", "-v", "0")
        manage(env_off, "collectstatic", "--noinput", "-v", "0")
        if created or not TrialNote.objects.exists():
            seeding = time.perf_counter()
            manage(env_off, "seed_bench", *(f"--{kind}={n}" for kind, n in SIZES.items()))
            seed_seconds = round(time.perf_counter() - seeding, 1)
        else:
            seed_seconds = None
        cache.clear()
        page_list = pages()
        if only := os.environ.get("BENCH_PAGES"):  # e.g. BENCH_PAGES=API: those pages only
            page_list = [page for page in page_list if only in page[0]]
        result = {
            "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "smoke": SMOKE, "machine": machine(), "sizes": SIZES, "seed_seconds": seed_seconds,
            "seconds_per_run": SECONDS, "connections": CONNECTIONS, "workers": WORKERS,
            "runs": [], "single": [], "publish_to_visible_s": [],
        }  # fmt: skip
        log("bench: page cache off")
        with gunicorn(env_off) as base:
            result["runs"] += measure(base, page_list, cache="off")
            result["single"] = single(base, page_list)
        cache.clear()
        log("bench: page cache on")
        with gunicorn(env_on) as base:
            result["runs"] += measure(base, page_list, cache="on")
            result["publish_to_visible_s"] = [round(t, 3) for t in publish_to_visible(base)]
        cache.clear()
    result["elapsed_s"] = round(time.perf_counter() - started, 1)
    name = "smoke.json" if SMOKE else f"{result['when'][:10]}.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2) + "\n")
    if not SMOKE:
        (RESULTS / "latest.json").write_text(json.dumps(result, indent=2) + "\n")
    print(table(result))
    print(f"\npublish-to-visible (s): {result['publish_to_visible_s']}; "
          f"seeded in {seed_seconds} s; whole run {result['elapsed_s']} s; "
          f"written to bench/results/{name}")  # fmt: skip
    failures = [row for row in result["runs"] if row["errors"] or row["status"] != 200]
    failures += [row for row in result["single"] if row["errors"]]
    if len(result["publish_to_visible_s"]) == 0 or max(result["publish_to_visible_s"]) > 30:
        failures.append({"page": "publish-to-visible", "errors": "never visible"})
    for row in failures:
        log(f"bench: {row['page']}: errors {row['errors']}, status {row.get('status')}")
    return 1 if SMOKE and failures else 0


STATIC_ROOT = pathlib.Path(tempfile.mkdtemp(prefix="portal-bench-static-"))
WRK_LUA = STATIC_ROOT.parent / f"{STATIC_ROOT.name}.lua"

if __name__ == "__main__":
    WRK_LUA.write_text(WRK_SCRIPT)
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(STATIC_ROOT, ignore_errors=True)
        WRK_LUA.unlink(missing_ok=True)
