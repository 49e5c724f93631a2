"""`python -m bench e2e` runs end to end and prints its figures (a smoke run, no timing asserts)."""

from __future__ import annotations

import json
import subprocess
import sys

SMALL = ["--duration", "3", "--rate", "10", "--users", "40", "--concurrency", "4"]
KEYS = {
    "throughput_per_s",
    "echo_throughput_per_s",
    "ratio",
    "latency_p50_ms",
    "latency_p99_ms",
    "urgent_to_queue_p50_ms",
    "urgent_to_queue_p99_ms",
    "peak_rss_mb",
}


def test_bench_e2e_prints_the_figures_and_the_ratio() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bench", "e2e", *SMALL],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result.keys() >= KEYS
    assert result["throughput_per_s"] > 0 and result["echo_throughput_per_s"] > 0
    assert result["ratio"] is not None and result["peak_rss_mb"] > 0
    # At 10 updates/s every message is answered, and the urgent probe's case reaches the queue.
    assert result["errors"] == 0, result["failures"]
    assert result["urgent_probes"] >= 1 and result["urgent_to_queue_p99_ms"] is not None
    assert "process errors" not in run.stderr
