"""Quality gate on the held-out file: fails when the shipped model drops below the targets.

The held-out file is never used for training or threshold picking (see docs/nlu.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nlu.data import read_jsonl
from nlu.evaluate import evaluate, parse_items
from nlu.pipeline import NluPipeline

HELDOUT = Path(__file__).with_name("heldout.jsonl")
SLICES = ("ru", "kk", "kk_nodiac", "kk_latin", "mixed", "translit", "en")


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    if not HELDOUT.exists():
        pytest.skip(f"held-out file {HELDOUT} is absent")
    items = parse_items(row for _, row in read_jsonl(HELDOUT))
    return evaluate(NluPipeline().load(), items)


def test_urgent_recall(report: dict[str, Any]) -> None:
    assert report["overall"]["urgent_recall"] >= 0.97


def test_urgent_precision(report: dict[str, Any]) -> None:
    assert report["overall"]["urgent_precision"] >= 0.80


def test_role_macro_f1(report: dict[str, Any]) -> None:
    assert report["overall"]["role_macro_f1"] >= 0.85


def test_intent_accuracy(report: dict[str, Any]) -> None:
    assert report["overall"]["intent_acc"] >= 0.85


@pytest.mark.parametrize("slc", SLICES)
def test_language_accuracy_per_slice(report: dict[str, Any], slc: str) -> None:
    assert slc in report["by_slice"], f"no {slc} items in the held-out file"
    assert report["by_slice"][slc]["lang_acc"] >= 0.97, report["by_slice"][slc]
