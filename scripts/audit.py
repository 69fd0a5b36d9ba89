"""`make audit`: pip-audit over the pinned requirements (runtime and dev).

Fails (exit 1) on a known vulnerability that has a fixed release, the thing to act on now.
A known vulnerability without a fix is reported and does not fail. If no vulnerability
database answers from this machine — pip-audit's PyPI service reads pypi.org/pypi/<name>/
<version>/json, and OSV is api.osv.dev — it says so plainly: nothing was audited, so nothing
is claimed, and it exits 0: a missing database is the machine's limit, not the project's.

Why a wrapper: pip-audit itself fails on every known vulnerability, fixed or not, and counts
a package it could not look up as a pass.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ["requirements.txt", "requirements-dev.txt"]
SERVICES = ["pypi", "osv"]  # tried in turn until one answers for the packages


def run_pip_audit(pip_audit: str, service: str) -> dict | str:
    """pip-audit's JSON report from `service`, or why it could not run at all."""
    command = [pip_audit, "--no-deps", "--disable-pip", "--format", "json",
               "--progress-spinner", "off", "--vulnerability-service", service]  # fmt: skip
    for requirements in REQUIREMENTS:
        command += ["-r", str(ROOT / requirements)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        lines = result.stderr.strip().splitlines()
        return lines[-1][:300] if lines else f"pip-audit exited with {result.returncode}"


def verdict(report: dict) -> tuple[int, list[str]]:
    """(exit status, lines to print) for one pip-audit JSON report: 1 for a known
    vulnerability with a fix, 0 for none, 3 when no package could be looked up."""
    dependencies = report.get("dependencies", [])
    audited = [dep for dep in dependencies if "skip_reason" not in dep]
    if not audited:
        reasons = {dep["skip_reason"] for dep in dependencies}
        return 3, [f"not audited: {reason}" for reason in sorted(reasons)[:3]]
    lines, fixable = [], 0
    for dep in audited:
        for vuln in dep.get("vulns", []):
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed release yet"
            lines.append(f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in: {fixes})")
            fixable += bool(vuln.get("fix_versions"))
    skipped = len(dependencies) - len(audited)
    noun = "vulnerability" if fixable == 1 else "vulnerabilities"
    lines.append(f"{len(audited)} packages audited, {skipped} could not be looked up; "
                 f"{fixable} known {noun} with a fix.")  # fmt: skip
    return (1 if fixable else 0), lines


def main(pip_audit: str) -> int:
    unreachable = []
    for service in SERVICES:
        report = run_pip_audit(pip_audit, service)
        if isinstance(report, str):
            unreachable.append(f"{service}: {report}")
            continue
        status, lines = verdict(report)
        if status != 3:
            print(f"make audit ({service}):")
            print("\n".join(f"  {line}" for line in lines))
            return status
        unreachable.append(f"{service}: {lines[0] if lines else 'no packages'}")
    print(
        "make audit: no vulnerability database could be reached from this machine, so "
        "nothing was audited:"
    )
    print("\n".join(f"  {line}" for line in unreachable))
    print("  Run `make audit` where pypi.org's JSON API or api.osv.dev is reachable.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "pip-audit"))
