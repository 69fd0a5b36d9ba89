"""Data releases: everything published at one moment, as files a researcher can cite.

`manage.py export_release OUTDIR [--as-of DATE]` writes, for each kind of record, one JSON
Lines file and one CSV file (the records of therapies/opendata.py, as the API gives them),
a `manifest.json` (release id, time, counts, the SHA-256 of every file, the schema version
and the licence) and a README. With `--publish` it also puts the release among the
downloads at /releases/, with a changelog against the release before it: items added,
removed and changed, and evidence levels "previous → current".

A release is a function of the content alone: its id and time are those of the last public
change it contains (never the clock), records are in key order and JSON is written with
sorted keys, so exporting unchanged content again gives byte-identical files.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import shutil
import tempfile
import types
import typing
from pathlib import Path

from django.conf import settings
from django.db.models import Max
from pydantic import BaseModel

from therapies import kinds, opendata
from therapies.opendata import iso

SCHEMA_VERSION = "1"
BATCH = 500
# File stem → what it holds. Content kinds first, then the reference data.
CONTENT_FILES = {"therapies": "therapies", "combinations": "combinations", "trials": "trials"}
REFERENCE_FILES = ("cancer_types", "citations", "evidence_levels")
RELEASE_ID_FORMAT = "%Y%m%dT%H%M%SZ"


# --- what a release holds ---------------------------------------------------------------------


def last_change(moment: datetime.datetime | None = None) -> datetime.datetime | None:
    """The time of the last public change at or before `moment` (now): a publication, a
    version leaving the site, or a correction note."""
    moment = moment or datetime.datetime.now(datetime.UTC)
    found = []
    for kind in kinds.all_kinds():
        versions = opendata.ever_published(kind.version_model)
        for field in ("published_at", "live_until", "corrected_at"):
            found.append(
                versions.filter(**{f"{field}__lte": moment}).aggregate(at=Max(field))["at"]
            )
    found = [at for at in found if at is not None]
    return max(found) if found else None


def _content_records(collection: str, moment) -> typing.Iterator[dict]:
    """Every record of the collection live at `moment`, in key order, a batch at a time."""
    kind = opendata.kind_of(collection)
    order = f"item__{kind.key_field}"
    versions = opendata.live_at(kind.version_model, moment).select_related("item", "reviewed_by")
    cursor = None
    while True:
        found, cursor = opendata.page(versions, order, cursor, BATCH)
        yield from opendata.records(found, moment)
        if cursor is None:
            return


def _reference_records(name: str, moment) -> typing.Iterator[dict]:
    if name == "cancer_types":
        for row in opendata.cancer_types(moment).order_by("slug").iterator(chunk_size=BATCH):
            yield opendata.cancer_type_record(row)
    elif name == "citations":
        for row in opendata.cited(moment).order_by("kind", "value").iterator(chunk_size=BATCH):
            yield opendata.citation_record(row)
    else:
        yield from opendata.evidence_levels()


def _schema(name: str) -> type[BaseModel]:
    from therapies import api  # the API's response models are the records' schema

    return {
        "therapies": api.TherapyOut,
        "combinations": api.CombinationOut,
        "trials": api.TrialOut,
        "cancer_types": api.CancerTypeOut,
        "citations": api.CitationOut,
        "evidence_levels": api.EvidenceLevelOut,
    }[name]


def _model_of(annotation):
    """The pydantic model an annotation holds (`X`, `X | None`), or None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        for part in typing.get_args(annotation):
            if model := _model_of(part):
                return model
    return None


def csv_columns(model: type[BaseModel]) -> list[str]:
    """The CSV header of a record model: its fields, a nested record's fields as
    `field.subfield`."""
    columns = []
    for name, field in model.model_fields.items():
        nested = _model_of(field.annotation)
        if nested is None:
            columns.append(name)
        else:
            columns += [f"{name}.{sub}" for sub in nested.model_fields]
    return columns


# A cell a spreadsheet would read as a formula (text from the registry is outside data).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """One CSV cell, safe to open in a spreadsheet (a text that would start a formula is
    prefixed with an apostrophe, as OWASP advises)."""
    text = _plain_cell(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _plain_cell(value) -> str:
    """Lists joined with "; " (a list of records by their ids), anything nested deeper as
    JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if all(isinstance(entry, dict) and "id" in entry for entry in value):
            return "; ".join(str(entry["id"]) for entry in value)
        if all(isinstance(entry, str) for entry in value):
            return "; ".join(value)
        return _json(value)
    if isinstance(value, dict):
        return _json(value)
    return str(value)


def csv_row(record: dict, columns: list[str]) -> list[str]:
    row = []
    for column in columns:
        name, _, sub = column.partition(".")
        value = record.get(name)
        if sub:
            value = value.get(sub) if isinstance(value, dict) else None
        row.append(_cell(value))
    return row


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# --- writing --------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_collection(outdir: Path, name: str, records: typing.Iterable[dict]) -> int:
    columns = csv_columns(_schema(name))
    count = 0
    with (
        (outdir / f"{name}.jsonl").open("w", encoding="utf-8", newline="\n") as lines,
        (outdir / f"{name}.csv").open("w", encoding="utf-8", newline="") as table,
    ):
        writer = csv.writer(table, lineterminator="\r\n")
        writer.writerow(columns)
        for record in records:
            lines.write(_json(record) + "\n")
            writer.writerow(csv_row(record, columns))
            count += 1
    return count


def _summary(outdir: Path) -> dict[str, dict[str, dict]]:
    """{collection: {id: {version, title, evidence_level}}} of a release's content files."""
    found = {}
    for name in CONTENT_FILES:
        entries = {}
        path = outdir / f"{name}.jsonl"
        if path.exists():
            with path.open(encoding="utf-8") as lines:
                for line in lines:
                    record = json.loads(line)
                    level = record.get("evidence_level") or {}
                    entries[record["id"]] = {
                        "version": record["version"],
                        "title": record["title"],
                        "evidence_level": level.get("label"),
                    }
        found[name] = entries
    return found


def changelog(previous: dict, current: dict) -> dict:
    """What changed between two releases' summaries: per collection, the ids added, removed
    and changed (a new version), and evidence-level changes "previous → current"."""
    result = {}
    for name in CONTENT_FILES:
        before, after = previous.get(name, {}), current.get(name, {})
        changed = sorted(
            key
            for key in before.keys() & after.keys()
            if before[key]["version"] != after[key]["version"]
        )
        levels = [
            {
                "id": key,
                "title": after[key]["title"],
                "previous": before[key]["evidence_level"],
                "current": after[key]["evidence_level"],
            }
            for key in sorted(before.keys() & after.keys())
            if before[key]["evidence_level"] != after[key]["evidence_level"]
        ]
        result[name] = {
            "added": sorted(after.keys() - before.keys()),
            "removed": sorted(before.keys() - after.keys()),
            "changed": [
                {
                    "id": key,
                    "title": after[key]["title"],
                    "previous_version": before[key]["version"],
                    "version": after[key]["version"],
                }
                for key in changed
            ],
            "evidence_levels": levels,
        }
    return result


def _changelog_markdown(release: str, previous: str, log: dict, current: dict) -> str:
    lines = [f"# Changes in release {release} since {previous}", ""]
    for name, changes in log.items():
        title = name.replace("_", " ").capitalize()
        lines += [f"## {title}", ""]
        counts = (
            f"{len(changes['added'])} added, {len(changes['removed'])} removed, "
            f"{len(changes['changed'])} changed"
        )
        lines += [counts, ""]
        for key in changes["added"]:
            lines.append(f"- Added: {current[name][key]['title']} ({key})")
        for key in changes["removed"]:
            lines.append(f"- Removed: {key}")
        for entry in changes["changed"]:
            lines.append(
                f"- Changed: {entry['title']} ({entry['id']}), version "
                f"{entry['previous_version']} → {entry['version']}"
            )
        for entry in changes["evidence_levels"]:
            lines.append(
                f"- Evidence level of {entry['title']} ({entry['id']}): "
                f"{entry['previous'] or 'none'} → {entry['current'] or 'none'}"
            )
        lines.append("")
    return "\n".join(lines)


README = """# {portal} data release {release}

Everything the portal had published on {created} (UTC): the reviewed therapy articles,
combination entries and clinical-trial notes, with the cancer types, citations and evidence
scale they use. Drafts and versions in review are never part of a release.

Licence: {licence}.
Cite as: {portal}, data release {release}, {url}

## Files

Each kind of record comes as JSON Lines (`<kind>.jsonl`, one record per line, the same
records as the API at {api}) and as CSV (`<kind>.csv`: nested fields as `field.subfield`,
lists joined with "; ", deeper structures as JSON). `manifest.json` lists every file with
its SHA-256 and number of records; check a download with `sha256sum -c SHA256SUMS`. A CSV
cell that would start a spreadsheet formula (=, +, -, @) begins with an apostrophe.
{changes}
Every record names its version number, when it was published, who reviewed it and when,
its evidence level and its citations. `links.version_api` and `links.version_page` point
at exactly that version, which stays available after it is replaced.
Schema version {schema}: {docs}
"""


def export(
    outdir: Path, *, as_of: datetime.datetime | None = None, previous: Path | None = None
) -> dict:
    """Write the release of what was live at `as_of` (now) into `outdir` (created, or
    emptied of an earlier release's files); compare with the release in `previous` if
    given. Returns the manifest."""
    snapshot = last_change(as_of)
    moment = as_of or snapshot
    release = (
        (snapshot or datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC))
        .astimezone(datetime.UTC)
        .strftime(RELEASE_ID_FORMAT)
    )
    outdir.mkdir(parents=True, exist_ok=True)
    for stale in ("changelog.json", "CHANGELOG.md"):  # from an earlier export into outdir
        (outdir / stale).unlink(missing_ok=True)
    counts = {}
    for name in CONTENT_FILES:
        counts[name] = _write_collection(outdir, name, _content_records(name, moment))
    for name in REFERENCE_FILES:
        counts[name] = _write_collection(outdir, name, _reference_records(name, moment))
    files = [
        f"{name}.{ext}" for name in (*CONTENT_FILES, *REFERENCE_FILES) for ext in ("jsonl", "csv")
    ]
    previous_manifest = None
    changes_text = ""
    if previous is not None:
        previous_manifest = json.loads((previous / "manifest.json").read_text("utf-8"))
        current = _summary(outdir)
        log = changelog(_summary(previous), current)
        (outdir / "changelog.json").write_text(
            _json({"from": previous_manifest["release_id"], "to": release, "changes": log}) + "\n",
            encoding="utf-8",
        )
        (outdir / "CHANGELOG.md").write_text(
            _changelog_markdown(release, previous_manifest["release_id"], log, current),
            encoding="utf-8",
        )
        files += ["changelog.json", "CHANGELOG.md"]
        changes_text = (
            f"\n`CHANGELOG.md` and `changelog.json` list what changed since "
            f"release {previous_manifest['release_id']}.\n"
        )
    created = iso(snapshot)
    url = f"{settings.SITE_URL}/releases/#{release}"
    (outdir / "README.md").write_text(
        README.format(
            portal=settings.PORTAL_NAME,
            release=release,
            created=created or "(nothing yet)",
            licence=settings.DATA_LICENCE,
            url=url,
            api=f"{settings.SITE_URL}/api/v1/",
            docs=f"{settings.SITE_URL}/api/v1/docs/",
            schema=SCHEMA_VERSION,
            changes=changes_text,
        ),
        encoding="utf-8",
    )
    files.append("README.md")

    def entry(name):
        path = outdir / name
        kind, _, extension = name.rpartition(".")
        records = counts.get(kind) if extension in ("jsonl", "csv") else None
        return {"name": name, "bytes": path.stat().st_size, "sha256": _sha256(path),
                "records": records}  # fmt: skip

    entries = [entry(name) for name in sorted(files)]
    (outdir / "SHA256SUMS").write_text(
        "".join(f"{each['sha256']}  {each['name']}\n" for each in entries), encoding="utf-8"
    )
    entries.append(entry("SHA256SUMS"))
    manifest = {
        "release_id": release,
        "released_at": created,
        "as_of": iso(as_of) if as_of else created,
        "schema_version": SCHEMA_VERSION,
        "licence": settings.DATA_LICENCE,
        "source": settings.SITE_URL,
        "counts": counts,
        "files": entries,
        "previous_release_id": previous_manifest["release_id"] if previous_manifest else None,
    }
    (outdir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    return manifest


# --- published releases (/releases/) ----------------------------------------------------------


def published(root: Path | None = None) -> list[dict]:
    """The manifests of the releases in RELEASES_DIR, newest first (each with its changelog
    when it has one)."""
    root = Path(root or settings.RELEASES_DIR)
    found = []
    if not root.is_dir():
        return found
    for path in root.iterdir():
        manifest_path = path / "manifest.json"
        if not path.is_dir() or path.name.startswith(".") or not manifest_path.is_file():
            continue
        manifest = json.loads(manifest_path.read_text("utf-8"))
        changes = path / "changelog.json"
        manifest["changelog"] = (
            json.loads(changes.read_text("utf-8"))["changes"] if changes.is_file() else None
        )
        manifest["directory"] = path.name
        found.append(manifest)
    found.sort(
        key=lambda manifest: (manifest["released_at"] or "", manifest["directory"]), reverse=True
    )
    return found


def newest_before(folders, snapshot: datetime.datetime | None, *, exclude=None) -> Path | None:
    """The release, among those in `folders`, of the newest content older than `snapshot`
    (a release in the same folder as a new one is the one it is compared with)."""
    this = iso(snapshot) or ""
    found = []
    for folder in folders:
        for manifest in published(folder):
            path = Path(folder) / manifest["directory"]
            if exclude is not None and path.resolve() == Path(exclude).resolve():
                continue
            if manifest["released_at"] and manifest["released_at"] < this:
                found.append((manifest["released_at"], path))
    return max(found)[1] if found else None


def publish(source: Path, root: Path | None = None) -> tuple[str, bool]:
    """Put the release in `source` among the published ones, atomically (a half-copied
    release is never listed): (its directory name, whether it was new). The same content
    published again is left as it is."""
    root = Path(root or settings.RELEASES_DIR)
    root.mkdir(parents=True, exist_ok=True)
    manifest = json.loads((source / "manifest.json").read_text("utf-8"))
    name = manifest["release_id"]
    target = root / name
    suffix = 1
    while target.exists():
        existing = json.loads((target / "manifest.json").read_text("utf-8"))
        if existing["files"] == manifest["files"]:
            return target.name, False
        suffix += 1
        target = root / f"{name}-{suffix}"
    staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=root))
    shutil.copytree(source, staging, dirs_exist_ok=True)
    staging.rename(target)
    return target.name, True


def release_file(directory: str, name: str, root: Path | None = None) -> Path | None:
    """A file of a published release, only if its manifest lists it (or is the manifest,
    or SHA256SUMS): never any other path."""
    root = Path(root or settings.RELEASES_DIR)
    for manifest in published(root):
        if manifest["directory"] != directory:
            continue
        listed = {entry["name"] for entry in manifest["files"]} | {"manifest.json", "SHA256SUMS"}
        if name in listed:
            return root / directory / name
    return None
