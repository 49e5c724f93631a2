"""Whole conversations through `qamqor chat` (a real process), scripted in conversations/*.yml.

A script lists turns: what to send (a button label, a command or free text) and substrings that
must (`expect`) or must not (`absent`) be in the bot's replies to that turn. The console echoes
every message after "> ", so the output is split into one block per turn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.test_console import chat

SCRIPTS = sorted((Path(__file__).parent / "conversations").glob("*.yml"))


def _turns(script: dict[str, Any]) -> list[dict[str, Any]]:
    return [t if isinstance(t, dict) else {"send": t} for t in script["turns"]]


def _blocks(stdout: str) -> list[str]:
    blocks: list[str] = []
    for line in stdout.splitlines():
        if line.startswith("> "):
            blocks.append("")
        elif blocks:
            blocks[-1] += line + "\n"
    return blocks


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_conversation(tmp_path: Path, path: Path) -> None:
    script = yaml.safe_load(path.read_text(encoding="utf-8"))
    turns = _turns(script)
    result = chat(tmp_path, "".join(f"{t['send']}\n" for t in turns), *script.get("args", []))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    blocks = _blocks(result.stdout)
    assert len(blocks) == len(turns), result.stdout
    for n, (turn, block) in enumerate(zip(turns, blocks, strict=True), 1):
        for want in map(str, turn.get("expect", [])):
            assert want in block, f"turn {n} ({turn['send']!r}): no {want!r} in:\n{block}"
        for unwanted in turn.get("absent", []):
            assert unwanted not in block, f"turn {n} ({turn['send']!r}): {unwanted!r} in:\n{block}"
        if turn.get("first"):
            first = block.split("Qamqor: ")[1]
            for want in turn["first"]:
                assert want in first, f"turn {n}: the first reply lacks {want!r}:\n{first}"


def test_every_path_has_a_script_in_both_languages() -> None:
    covered: dict[str, set[str]] = {}
    for path in SCRIPTS:
        script = yaml.safe_load(path.read_text(encoding="utf-8"))
        for flow in script["covers"]:
            covered.setdefault(flow, set()).add(script["lang"])
    paths = ("victim", "danger", "witness", "aggressor", "contacts", "controls", "safety", "young")
    for flow in paths:
        assert covered.get(flow) == {"ru", "kk"}, (flow, covered.get(flow))
