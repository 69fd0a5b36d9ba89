"""`make audit` (scripts/audit.py): what fails CI and what is only reported."""

from scripts import audit


def dep(name, *vulns, version="1.0"):
    return {"name": name, "version": version,
            "vulns": [{"id": vid, "fix_versions": fixes} for vid, fixes in vulns]}  # fmt: skip


def test_a_known_vulnerability_with_a_fix_fails():
    status, lines = audit.verdict({"dependencies": [
        dep("django", ("PYSEC-2099-1", ["6.1.4"])), dep("nh3"),
    ]})  # fmt: skip
    assert status == 1
    assert "django 1.0: PYSEC-2099-1 (fixed in: 6.1.4)" in lines
    assert lines[-1].startswith("2 packages audited, 0 could not be looked up; 1 known")


def test_a_vulnerability_without_a_fix_is_reported_but_does_not_fail():
    status, lines = audit.verdict({"dependencies": [dep("tqdm", ("GHSA-x", []))]})
    assert status == 0 and "tqdm 1.0: GHSA-x (fixed in: no fixed release yet)" in lines


def test_nothing_looked_up_is_not_a_pass():
    status, lines = audit.verdict({"dependencies": [
        {"name": "django", "skip_reason": "Dependency not found on PyPI"},
    ]})  # fmt: skip
    assert status == 3 and lines == ["not audited: Dependency not found on PyPI"]


def test_an_unreachable_database_is_said_plainly_and_does_not_fail(monkeypatch, capsys):
    monkeypatch.setattr(audit, "run_pip_audit", lambda tool, service: f"{service} unreachable")
    assert audit.main("pip-audit") == 0
    out = capsys.readouterr().out
    assert "no vulnerability database could be reached" in out and "nothing was audited" in out


def test_the_first_service_that_answers_decides(monkeypatch):
    reports = {"pypi": "unreachable", "osv": {"dependencies": [dep("x", ("OSV-1", ["2"]))]}}
    monkeypatch.setattr(audit, "run_pip_audit", lambda tool, service: reports[service])
    assert audit.main("pip-audit") == 1
