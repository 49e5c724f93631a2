"""`python -m bench.login_flood` runs end to end and prints its figures (a smoke run: it
asserts what happened, never how fast)."""

from __future__ import annotations

import json
import subprocess
import sys


def test_the_login_flood_bench_answers_every_start_and_refuses_the_flood() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bench.login_flood", "--duration", "2", "--clients", "2"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    for phase in ("alone", "one_address", "many_addresses"):
        assert result[f"{phase}_p50_ms"] is not None and result[f"{phase}_p99_ms"] is not None
    for phase in ("one_address", "many_addresses"):
        # every /start sent during the flood was answered
        assert int(result[f"{phase}_answered"]) >= 7, result
    # one address: a handful of checks, then quick refusals without hashing
    statuses = result["one_address_login_statuses"]
    assert statuses.get("401", 0) == 5 and statuses.get("429", 0) > 0, statuses
    assert set(result["many_addresses_login_statuses"]) <= {"401", "429"}
    assert "process errors" not in run.stderr
