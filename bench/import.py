"""`make bench-import`: how fast `manage.py import_ctgov` takes a registry download, and how
much memory it needs, on PostgreSQL.

1. Writes BENCH_RECORDS (default 10,000) study records as NDJSON, made from the real records
   in tests/data/ctgov with synthetic NCT IDs (NCT9xxxxxxx: not real trials, never content).
2. In a scratch PostgreSQL database (created and dropped here, or BENCH_DATABASE_URL),
   migrated and loaded with the demo content (so interventions are matched against
   therapies' key agents), it runs the command three times, each in its own process, timed
   with its peak resident memory (the child's ru_maxrss):
   - the first import (every record a new trial note with a draft);
   - the same file again (a no-change re-import: nothing written);
   - the file with a tenth of the records changed (new drafts, flags, one digest).
3. Prints a table and writes it as JSON to bench/results/import_latest.json.

Targets (issue 11): first import under 180 s with peak memory under 300 MB; no-change
re-import under 60 s. Reported, never asserted. BENCH_SMOKE=1 (200 records) is CI's run.
"""

import datetime
import json
import os
import pathlib
import platform
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from load import django_env, log, scratch_database  # noqa: E402

SMOKE = os.environ.get("BENCH_SMOKE") == "1"
RECORDS = int(os.environ.get("BENCH_RECORDS", 200 if SMOKE else 10_000))
DATA = ROOT / "tests" / "data" / "ctgov"
RESULTS = ROOT / "bench" / "results"
TARGETS = {"first_s": 180.0, "first_mb": 300.0, "again_s": 60.0}


def templates() -> list[dict]:
    """The shipped single-study records, to copy from."""
    return [json.loads(path.read_text()) for path in sorted(DATA.glob("NCT*.json"))]


def write_records(path: pathlib.Path, *, changed_every: int = 0) -> None:
    """RECORDS NDJSON lines; with `changed_every`, every n-th record's status, results and
    last update moved on (as a registry's nightly changes would)."""
    sources = templates()
    with path.open("w") as out:
        for n in range(RECORDS):
            record = json.loads(json.dumps(sources[n % len(sources)]))
            protocol = record["protocolSection"]
            protocol["identificationModule"]["nctId"] = f"NCT9{n:07d}"
            if changed_every and n % changed_every == 0:
                protocol["statusModule"]["overallStatus"] = "COMPLETED"
                protocol["statusModule"]["lastUpdatePostDateStruct"] = {
                    "date": "2026-11-01", "type": "ACTUAL",
                }  # fmt: skip
                record["hasResults"] = True
            out.write(json.dumps(record) + "\n")


def timed_import(env: dict, path: pathlib.Path) -> dict:
    """Run `import_ctgov path` in a child process: seconds, peak RSS (MB), summary line."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "import_ctgov", str(path)],
            env=env, cwd=ROOT, stdout=out, stderr=err,
        )  # fmt: skip
        _, status, usage = os.wait4(child.pid, 0)  # the child's own peak memory
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        if child.returncode:
            sys.exit(f"bench: import_ctgov failed ({child.returncode}):\n{err.read()[-2000:]}")
        summary = out.read().strip().splitlines()[-1]
    # ru_maxrss is in KiB on Linux
    return {"seconds": round(seconds, 1), "peak_mb": round(usage.ru_maxrss / 1024, 1),
            "summary": summary}  # fmt: skip


def table(result: dict) -> str:
    rows = [
        ("first import", result["first"], f"< {TARGETS['first_s']:.0f} s, "
         f"< {TARGETS['first_mb']:.0f} MB"),
        ("no-change re-import", result["again"], f"< {TARGETS['again_s']:.0f} s"),
        ("a tenth changed", result["changed"], "—"),
    ]  # fmt: skip
    lines = [f"{'run':<22} {'records':>8} {'seconds':>8} {'rec/s':>7} {'peak MB':>8}  "
             f"{'target':<22} summary"]  # fmt: skip
    for name, run, target in rows:
        rate = result["records"] / run["seconds"] if run["seconds"] else 0
        lines.append(f"{name:<22} {result['records']:>8} {run['seconds']:>8} {rate:>7.0f} "
                     f"{run['peak_mb']:>8}  {target:<22} {run['summary']}")  # fmt: skip
    return "\n".join(lines)


def main() -> int:
    RESULTS.mkdir(exist_ok=True)
    work = pathlib.Path(tempfile.mkdtemp(prefix="portal-bench-import-"))
    same, changed = work / "records.ndjson", work / "changed.ndjson"
    write_records(same)
    write_records(changed, changed_every=10)
    log(f"bench: {RECORDS} records, {same.stat().st_size / 1e6:.0f} MB of NDJSON")
    with scratch_database() as (database_url, _):
        env = django_env(database_url, page_cache=False)
        env["LOG_LEVEL"] = "ERROR"
        for command in (["migrate", "--noinput", "-v", "0"], ["loaddemo", "-v", "0"]):
            subprocess.run([sys.executable, str(ROOT / "manage.py"), *command], env=env,
                           cwd=ROOT, check=True)  # fmt: skip
        result = {
            "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "smoke": SMOKE, "records": RECORDS, "machine": platform.platform(),
            "database": "PostgreSQL", "targets": TARGETS,
        }  # fmt: skip
        for name, path in (("first", same), ("again", same), ("changed", changed)):
            log(f"bench: {name} …")
            result[name] = timed_import(env, path)
    for path in (same, changed):
        path.unlink()
    work.rmdir()
    print(table(result))
    name = "import_smoke.json" if SMOKE else "import_latest.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwritten to bench/results/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
