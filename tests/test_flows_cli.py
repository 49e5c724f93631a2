"""`qamqor contacts check` and `qamqor flows table` as staff run them: real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def qamqor(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QAMQOR_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=cwd,
    )


def test_contacts_check_on_the_bundled_directory() -> None:
    result = qamqor("contacts", "check", str(ROOT / "dialogues/data/contacts.yaml"))
    assert result.returncode == 0, result.stderr
    assert "5 entries will be shown; 0 errors" in result.stdout
    assert "north_kz_police_women_group" in result.stdout  # unverified: listed, not shown


def test_contacts_check_reports_errors_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "contacts.yaml"
    bad.write_text(
        "entries:\n"
        "  - {id: a, region: mars, kind: hotline, name_ru: A, phones: ['150'], verified: true}\n"
        "  - {id: b, region: abai, kind: hotline, name_ru: B, phones: [], verified: true}\n",
        encoding="utf-8",
    )
    result = qamqor("contacts", "check", str(bad))
    assert result.returncode == 1
    assert "unknown region 'mars'" in result.stdout and "verified but has no phone" in result.stdout
    missing = qamqor("contacts", "check", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 1 and "cannot read" in missing.stdout


def test_flows_table_check_passes_on_the_committed_table() -> None:
    result = qamqor("flows", "table", "--check")
    assert result.returncode == 0, result.stderr
