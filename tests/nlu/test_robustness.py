from __future__ import annotations

import time

import pytest

from nlu.pipeline import NluPipeline
from nlu.result import INTENTS, LANGS, ROLES, NluResult


def _valid(r: NluResult) -> None:
    assert r.lang in LANGS and r.role in ROLES and r.intent in INTENTS
    assert 0.0 <= r.urgency <= 1.0


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\n\t", "\x00\x01\x02", "\ufffd" * 50, "🙏", "😭😭😭", "?!", "а" * 10, "\u200b"],
)
async def test_odd_inputs_never_raise(pipe: NluPipeline, text: str) -> None:
    _valid(pipe.parse_sync(text))
    _valid(await pipe.parse(text, context_lang="kk"))


def test_empty_is_safe_default(pipe: NluPipeline) -> None:
    r = pipe.parse_sync("", context_lang="kk")
    assert (r.lang, r.urgent, r.lang_confident) == ("kk", False, False)


def test_non_str_input_never_raises(pipe: NluPipeline) -> None:
    _valid(pipe.parse_sync(b"\xff\xfe\x00bytes"))  # type: ignore[arg-type]
    _valid(pipe.parse_sync(None))  # type: ignore[arg-type]
    _valid(pipe.parse_sync("текст", context_lang="xx"))  # type: ignore[arg-type]


def test_huge_text_is_bounded(pipe: NluPipeline) -> None:
    text = "муж опять кричит на меня и детей, " * 200_000  # ~7 MB
    # CPU time, not wall time: the bound is on the work the scan does (it reads at most
    # MAX_SCAN_CHARS), and must not flake when other processes share the machine.
    t = time.process_time()
    r = pipe.parse_sync(text)
    assert time.process_time() - t < 2.0
    _valid(r)


def test_binary_noise(pipe: NluPipeline) -> None:
    noise = bytes(range(256)).decode("latin-1") * 100
    _valid(pipe.parse_sync(noise))
