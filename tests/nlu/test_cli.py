from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from nlu.cli import nlu_group

ROOT = Path(__file__).resolve().parents[2]


def test_predict_survives_bad_lines() -> None:
    lines = [
        json.dumps({"id": 1, "text": "Здравствуйте"}, ensure_ascii=False),
        "",
        "not json at all",
        "[1, 2, 3]",
        json.dumps({"id": 2}),
        json.dumps({"id": 3, "text": "\x00\x01\x02\x03\x04\x05"}),
        json.dumps({"id": 4, "text": "x" * 200_000}),
        json.dumps({"id": 5, "text": "да", "context_lang": "kk"}, ensure_ascii=False),
        json.dumps({"id": 6, "text": "муж опять пьяный ломает дверь"}, ensure_ascii=False),
    ]
    stdin = ("\n".join(lines) + "\n").encode() + b"\xff\xfe garbage\n"
    res = CliRunner().invoke(nlu_group, ["predict"], input=stdin)
    assert res.exit_code == 0, res.output
    out = [json.loads(x) for x in res.stdout.splitlines()]
    assert len(out) == len(lines) + 1
    assert out[0]["id"] == 1 and out[0]["intent"] == "greet" and "error" not in out[0]
    assert {"lang", "role", "intent", "urgent", "urgency"} <= out[0].keys()
    for k in (1, 2, 3, 4, 5, 6, 9):
        assert "error" in out[k], out[k]
    assert out[7]["lang"] == "kk" and out[7]["lang_confident"] is False
    assert out[8]["urgent"] is True


def test_predict_as_module_subprocess() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "nlu.cli", "predict"],
        input='{"id": "a", "text": "pomogite"}\n{oops\n',
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    out = [json.loads(x) for x in proc.stdout.splitlines()]
    assert out[0]["id"] == "a" and out[0]["lang"] == "ru"
    assert "error" in out[1]


def test_evaluate_json(tmp_path: Path) -> None:
    f = tmp_path / "items.jsonl"
    rows = [
        {"text": "Здравствуйте", "lang": "ru", "slice": "ru", "role": "unknown",
         "intent": "greet", "urgent": False},
        {"text": "он с ножом, помогите", "lang": "ru", "slice": "ru", "role": "victim",
         "intent": "help", "urgent": True},
    ]  # fmt: skip
    lines = [json.dumps(r, ensure_ascii=False) for r in rows] + ["{broken", '{"text": "x"}']
    f.write_text("\n".join(lines), encoding="utf-8")
    res = CliRunner().invoke(nlu_group, ["evaluate", str(f), "--json"])
    assert res.exit_code == 0, res.output
    rep = json.loads(res.stdout)
    assert rep["overall"]["n"] == 2
    assert rep["overall"]["urgent_recall"] == 1.0
    assert "ru" in rep["by_slice"] and "ru" in rep["by_lang"]
    assert "role" in rep["confusion"]
    text = CliRunner().invoke(nlu_group, ["evaluate", str(f)])
    assert "overall" in text.output and "confusion" in text.output


def test_bench_smoke() -> None:
    res = CliRunner().invoke(nlu_group, ["bench", "-n", "40"])
    assert res.exit_code == 0, res.output
    last = json.loads(res.stdout.strip().splitlines()[-1])
    for key in ("p50_ms", "p99_ms", "throughput_per_s", "load_s", "rss_mb"):
        assert last[key] > 0
