"""Issue 14's NLU target on the strangers' danger corpus: urgent recall ≥ 0.98 at precision ≥
0.85 on every slice. The corpus (danger_corpus10.jsonl) was written apart from the training data
(tests/nlu/danger_corpus_src/README.md). Measured blind when it arrived (session 5), every
slice had recall 1.000 at precision 0.886–0.942; its misses have been read since, so this is a
regression gate at the targets, not the blind measurement (docs/nlu.md).

Corpus 12 (session 6, the calm side first, misses read) keeps recall ≥ 0.98 on every slice;
its precision (0.76–0.93 by slice with the second opinion) is below the target and only
guarded against falling further."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nlu.data import read_jsonl
from nlu.evaluate import evaluate, parse_items
from nlu.pipeline import NluPipeline

CORPUS = Path(__file__).with_name("danger_corpus10.jsonl")
CORPUS12 = Path(__file__).with_name("danger_corpus12.jsonl")
SLICES = ("ru", "kk", "kk_nodiac", "kk_latin", "mixed", "translit", "en")


def _report(corpus: Path) -> dict[str, Any]:
    items = parse_items(row for _, row in read_jsonl(corpus))
    return evaluate(NluPipeline().load(), items)


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return _report(CORPUS)


@pytest.fixture(scope="module", params=[str(n) for n in (11, *range(13, 35))])
def read_blind(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Each corpus that was measured blind and then read, in turn."""
    return _report(Path(__file__).with_name(f"danger_corpus{request.param}.jsonl"))


@pytest.fixture(scope="module")
def report12() -> dict[str, Any]:
    return _report(CORPUS12)


@pytest.mark.parametrize("slc", SLICES)
def test_urgent_recall_and_precision_per_slice(report: dict[str, Any], slc: str) -> None:
    figures = report["by_slice"][slc]
    assert figures["urgent_recall"] >= 0.98, figures
    assert figures["urgent_precision"] >= 0.85, figures


def test_almost_nothing_urgent_falls_below_the_possible_band(report: dict[str, Any]) -> None:
    # 314 of 314 today; the "almost no urgent message falls below it".
    assert report["overall"]["danger_recall"] >= 0.995, report["overall"]


@pytest.mark.parametrize("slc", SLICES)
def test_the_calm_first_corpus_keeps_recall_per_slice(report12: dict[str, Any], slc: str) -> None:
    figures = report12["by_slice"][slc]
    assert figures["urgent_recall"] >= 0.98, figures
    # 0.76–0.93 with the second opinion (kk_nodiac lowest); the target is 0.85
    assert figures["urgent_precision"] >= 0.75, figures


@pytest.mark.parametrize("slc", SLICES)
def test_the_read_blind_corpora_meet_the_targets_per_slice(
    read_blind: dict[str, Any], slc: str
) -> None:
    # Corpus 11, blind in session 6 (kk, kk_nodiac, translit recall 0.98 with one miss each),
    # corpus 13, blind at the start of session 7 (kk_nodiac 37 of 38), corpus 14, blind later
    # in session 7 (ru, translit, kk_latin 0.97), and corpus 15, blind at its end (ru,
    # translit, en 0.95), then read: at the targets now.
    figures = read_blind["by_slice"][slc]
    assert figures["urgent_recall"] >= 0.98, figures
    assert figures["urgent_precision"] >= 0.85, figures
