"""The pipeline's fast path (shared ``Facts``, the Hyperscan prefilter) decides exactly as
the plain one: every rule method on its own, every pattern run with ``re``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nlu.bench import _EXTRA
from nlu.data import load_training
from nlu.pipeline import NluPipeline
from nlu.prefilter import Prefilter, required_literals

HERE = Path(__file__).parent
# danger_corpus11 is the held-out corpus: never read here.
CORPORA = ("danger_corpus10.jsonl", "danger_corpus12.jsonl")


def _texts() -> list[str]:
    texts = [e.text for e in load_training()]
    for name in CORPORA:
        with (HERE / name).open(encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for line in f if line.strip()]
    # Odd inputs: empty, a lone surrogate (no UTF-8 for Hyperscan), over the model's length.
    texts += [*_EXTRA, "", "\ud800 муж бьет", "он вернулся 😂 шучу " * 150]
    return texts


def test_fast_path_decides_as_the_plain_one(pipe: NluPipeline) -> None:
    # The same rules, prefiltered by Python's substring search instead of Hyperscan.
    nohs = NluPipeline().load()
    assert not nohs.rules.build_prefilter(use_hyperscan=False).uses_hyperscan
    diffs = []
    for text in _texts():
        plain = pipe._parse_plain(text, None)
        for fast in (pipe._parse(text, None), nohs._parse(text, None)):
            if fast != plain:  # every field: labels, rules, scores
                diffs.append((text[:80], fast, plain))
    assert not diffs, diffs[:3]


def test_hyperscan_is_used_where_it_is_installed(pipe: NluPipeline) -> None:
    pytest.importorskip("hyperscan")
    assert pipe.rules.prefilter.uses_hyperscan
    # Nearly every rule has literals to look for: otherwise the prefilter saves nothing.
    assert len(pipe.rules.prefilter.always) <= pipe.rules.prefilter.n // 10


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"\b(душит|задыхаюс)\b", {"душит", "задыхаюс"}),
        (r"(?<!не\s)\bшучу\b", {"шучу"}),
        (r"\bhands?\s+(around|on)\s+my", {"hand"}),
        (r"уб(ью|ьет)", {"убью", "убьет"}),
        (r"a{2,}bc", {"bc", "a"}),
        (r"\d{3}", None),
        (r"(муж|\w+)\s+бьет", {"бьет"}),
        (r"(?i)бьет", None),
        (r"x?", None),
    ],
)
def test_required_literals(pattern: str, literals: set[str] | None) -> None:
    got = required_literals(re.compile(pattern))
    if literals is None:
        assert got is None
    else:
        assert got is not None and literals & got and got <= literals | {"aa"}


@pytest.mark.parametrize("use_hyperscan", [True, False])
def test_prefilter_never_drops_a_pattern_that_matches(use_hyperscan: bool) -> None:
    pats = [re.compile(p) for p in (r"\bубью\b", r"\d+", r"(шучу|прикол)", r"bb|cc")]
    pf = Prefilter(pats, use_hyperscan=use_hyperscan)
    for text in ("я тебя убью", "12 раз", "прикол 🙂", "aabb", "ничего", "\ud800 убью"):
        cand = pf.candidates(text)
        assert cand != set(range(len(pats)))  # it does filter
        for i, p in enumerate(pats):
            if p.search(text):
                assert i in cand, (text, p.pattern)
