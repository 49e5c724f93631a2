"""Second quality gate: the challenge set (tests/nlu/challenge.jsonl).

285 items written in round two *before* the training data was changed, aimed at the known
weaknesses: benign replies inside a conversation («я у мамы», «қазір тыныш»), habitual
violence without present danger, first-person threats by the writer, English. It is never
trained on. Thresholds (docs/nlu.md, "Challenge set"): recall is the hard line; precision
and role F1 are floors a little under what the shipped model reaches, so a regression on
any of the weaknesses fails the suite.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nlu.data import read_jsonl
from nlu.evaluate import evaluate, parse_items
from nlu.pipeline import NluPipeline

CHALLENGE = Path(__file__).with_name("challenge.jsonl")


@pytest.fixture(scope="module")
def report(pipe: NluPipeline) -> dict[str, Any]:
    items = parse_items(row for _, row in read_jsonl(CHALLENGE))
    assert len(items) >= 250
    return evaluate(pipe, items)


def test_urgent_recall(report: dict[str, Any]) -> None:
    assert report["overall"]["urgent_recall"] >= 0.95


def test_urgent_precision(report: dict[str, Any]) -> None:
    assert report["overall"]["urgent_precision"] >= 0.70


def test_role_macro_f1(report: dict[str, Any]) -> None:
    assert report["overall"]["role_macro_f1"] >= 0.80


def test_language(report: dict[str, Any]) -> None:
    assert report["overall"]["lang_acc"] >= 0.97


def test_aggressor_threats_keep_their_role(report: dict[str, Any]) -> None:
    # First-person threats were read as a victim's cry before round two (13 of 64).
    row = report["confusion"]["role"]["aggressor"]
    assert row.get("aggressor", 0) / sum(row.values()) >= 0.9, row
