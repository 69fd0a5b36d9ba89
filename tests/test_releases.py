"""Data releases: `manage.py export_release`, reproducible files with checksums, the
changelog between releases, and the downloads at /releases/."""

import csv
import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories import CitationFactory, make_editor, make_moderator
from therapies import releases, workflow
from therapies.models import TherapyArticle

pytestmark = pytest.mark.django_db

KINDS = ("therapies", "combinations", "trials", "cancer_types", "citations", "evidence_levels")


def publish(version):
    workflow.submit(version, by=make_editor())
    workflow.approve(version, by=make_moderator())
    version.refresh_from_db()
    return version


def therapy(slug, **fields):
    fields = {"title": slug.capitalize(), "summary": "A summary.", "body": "Text.",
              "therapy_class": "checkpoint_inhibitor", "evidence_level": "phase3",
              "key_agents": ["nivolumab"], "citations": [CitationFactory()], **fields}  # fmt: skip
    return publish(workflow.create_therapy_article(by=make_editor(), slug=slug, **fields))


def revise(item, **fields):
    editor = make_editor()
    version = workflow.new_version(item, by=editor)
    workflow.edit(version, by=editor, **fields)
    return publish(version)


@pytest.fixture
def releases_dir(settings, tmp_path):
    settings.RELEASES_DIR = tmp_path / "published"
    return settings.RELEASES_DIR


def test_a_release_has_jsonl_and_csv_per_kind_a_manifest_and_a_readme(tmp_path):
    therapy("nivolumab")
    therapy("ipilimumab")
    manifest = releases.export(tmp_path / "r")
    names = sorted(path.name for path in (tmp_path / "r").iterdir())
    expected = sorted([f"{kind}.{ext}" for kind in KINDS for ext in ("jsonl", "csv")]
                      + ["README.md", "manifest.json", "SHA256SUMS"])  # fmt: skip
    assert names == expected
    assert manifest["counts"]["therapies"] == 2 and manifest["counts"]["evidence_levels"] == 5
    assert manifest["schema_version"] == releases.SCHEMA_VERSION
    assert manifest["licence"].startswith("CC BY 4.0")
    assert (
        manifest["release_id"]
        == manifest["released_at"].replace("-", "").replace(":", "")[:15] + "Z"
    )
    for entry in manifest["files"]:
        data = (tmp_path / "r" / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["bytes"]
    lines = (tmp_path / "r" / "therapies.jsonl").read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["ipilimumab", "nivolumab"]
    with (tmp_path / "r" / "therapies.csv").open(newline="") as table:
        rows = list(csv.DictReader(table))
    assert [row["id"] for row in rows] == ["ipilimumab", "nivolumab"]
    assert rows[0]["evidence_level.label"] == "Phase 3 evidence"
    assert rows[0]["key_agents"] == "nivolumab" and rows[0]["reviewed.by"]
    readme = (tmp_path / "r" / "README.md").read_text()
    assert manifest["release_id"] in readme and "sha256sum -c SHA256SUMS" in readme


def test_exporting_unchanged_content_again_gives_byte_identical_files(tmp_path):
    therapy("nivolumab")
    first = releases.export(tmp_path / "a")
    second = releases.export(tmp_path / "b")
    assert first == second
    for entry in first["files"] + [{"name": "manifest.json"}]:
        name = entry["name"]
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_release_as_of_a_moment_holds_what_was_live_then(tmp_path):
    first = therapy("nivolumab", title="Nivolumab v1")
    moment = timezone.now()
    revise(first.item, title="Nivolumab v2")
    call_command("export_release", str(tmp_path / "then"), "--as-of", moment.isoformat())
    record = json.loads((tmp_path / "then" / "therapies.jsonl").read_text())
    assert record["title"] == "Nivolumab v1" and record["version"] == 1
    manifest = json.loads((tmp_path / "then" / "manifest.json").read_text())
    assert manifest["released_at"] <= manifest["as_of"]


def test_the_changelog_lists_added_removed_and_changed_items_and_level_changes(tmp_path):
    kept = therapy("nivolumab", evidence_level="phase3")
    dropped = therapy("interferon")
    releases.export(tmp_path / "one")
    revise(kept.item, evidence_level="standard_of_care", title="Nivolumab")
    workflow.unpublish(dropped.item, by=make_moderator(), comment="Outdated.")
    therapy("relatlimab")
    manifest = releases.export(tmp_path / "two", previous=tmp_path / "one")
    log = json.loads((tmp_path / "two" / "changelog.json").read_text())
    changes = log["changes"]["therapies"]
    assert changes["added"] == ["relatlimab"] and changes["removed"] == ["interferon"]
    assert changes["changed"] == [{"id": "nivolumab", "title": "Nivolumab",
                                   "previous_version": 1, "version": 2}]  # fmt: skip
    assert changes["evidence_levels"] == [{
        "id": "nivolumab", "title": "Nivolumab", "previous": "Phase 3 evidence",
        "current": "Approved standard of care",
    }]  # fmt: skip
    text = (tmp_path / "two" / "CHANGELOG.md").read_text()
    assert (
        "Evidence level of Nivolumab (nivolumab): Phase 3 evidence → Approved standard of care"
        in text
    )
    assert (
        manifest["previous_release_id"]
        == json.loads((tmp_path / "one" / "manifest.json").read_text())["release_id"]
    )
    assert "changelog.json" in {entry["name"] for entry in manifest["files"]}


def test_the_manifest_lists_every_other_file_with_its_checksum(tmp_path):
    therapy("nivolumab")
    call_command("export_release", str(tmp_path / "r"))
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    listed = {entry["name"]: entry["sha256"] for entry in manifest["files"]}
    on_disk = {path.name for path in (tmp_path / "r").iterdir()} - {"manifest.json"}
    assert set(listed) == on_disk
    for name, digest in listed.items():
        assert hashlib.sha256((tmp_path / "r" / name).read_bytes()).hexdigest() == digest
    for key in ("release_id", "released_at", "counts", "schema_version", "licence"):
        assert manifest[key]


def test_a_release_written_beside_an_earlier_one_gets_a_changelog_against_it(tmp_path):
    kept = therapy("nivolumab", evidence_level="phase3")
    call_command("export_release", str(tmp_path / "2026-05"))
    revise(kept.item, evidence_level="standard_of_care")
    call_command("export_release", str(tmp_path / "2026-06"))
    text = (tmp_path / "2026-06" / "CHANGELOG.md").read_text()
    assert "Phase 3 evidence → Approved standard of care" in text
    assert not (tmp_path / "2026-05" / "CHANGELOG.md").exists()


def test_published_releases_are_listed_with_checksums_and_changes(client, releases_dir):
    kept = therapy("nivolumab")
    call_command("export_release", "--publish")
    revise(kept.item, evidence_level="standard_of_care")
    call_command("export_release", "--publish")
    call_command("export_release", "--publish")  # the same content again: nothing new
    published = releases.published()
    assert len(published) == 2
    assert published[0]["previous_release_id"] == published[1]["release_id"]
    page = client.get("/releases/").content.decode()
    for manifest in published:
        for entry in manifest["files"]:
            assert entry["sha256"] in page
    assert "Phase 3 evidence → Approved standard of care" in page
    name = published[0]["directory"]
    download = client.get(f"/releases/{name}/therapies.jsonl")
    assert download.status_code == 200 and download["Cache-Control"].endswith("immutable")
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == next(
        entry["sha256"] for entry in published[0]["files"] if entry["name"] == "therapies.jsonl"
    )
    shared = client.get(f"/releases/{name}/manifest.json", headers={"origin": "https://x.org"})
    assert shared["Access-Control-Allow-Origin"] == "*"
    for bad in ("nope.txt", "..%2Fmanifest.json", "%2Fetc%2Fpasswd"):
        assert client.get(f"/releases/{name}/{bad}").status_code == 404
    assert client.get("/releases/nothing/manifest.json").status_code == 404


def test_the_command_refuses_a_bad_moment_or_a_missing_previous_release(tmp_path):
    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("export_release", str(tmp_path), "--as-of", "last week")
    with pytest.raises(CommandError, match="no manifest"):
        call_command("export_release", str(tmp_path), "--previous", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="directory"):
        call_command("export_release")
    assert TherapyArticle.objects.count() == 0
