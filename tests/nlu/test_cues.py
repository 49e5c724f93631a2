"""Role cues (roles.txt), safety signals (safety.txt) and joke markers: the rules themselves,
independent of the trained weights."""

from __future__ import annotations

import pytest

from nlu.pipeline import NluPipeline
from nlu.text import normalize
from nlu.urgency import UrgencyRules


@pytest.fixture(scope="module")
def rules() -> UrgencyRules:
    return UrgencyRules.load()


FIRST_PERSON_THREATS = [
    "всё, я его сейчас задушу",
    "я жену прибью, сил нет",
    "я сам за себя не ручаюсь уже",
    "ya ego seichas zadushu",
    "мен оны қазір сабаймын",
    "әйелімді өлтіремін, шыдамым таусылды",
    "men ony öltıremın",
    "тоқтатыңыздаршы мені",
    "i'm gonna hurt him, i swear",
]
NOT_THE_WRITERS_THREAT = [
    "он орёт «я тебя прибью» и бьёт посуду",
    "муж написал: убью её и детей",
    "если он ещё раз подойдёт к детям, я его убью",
    "ол мені өлтіремін деп қорқытады",
    "he said i'll kill her if she leaves",
    "я её сейчас убью, шучу 😂",
]


@pytest.mark.parametrize("text", FIRST_PERSON_THREATS)
def test_first_person_threat_is_an_aggressor_cue(rules: UrgencyRules, text: str) -> None:
    cue = rules.role_cue(normalize(text))
    assert cue is not None and cue.role == "aggressor", text


@pytest.mark.parametrize("text", NOT_THE_WRITERS_THREAT)
def test_reported_or_defensive_threat_is_not_a_cue(rules: UrgencyRules, text: str) -> None:
    assert rules.role_cue(normalize(text)) is None, text


@pytest.mark.parametrize("text", ["я её сейчас придушу", "мен оны қазір ұрып жіберемін"])
def test_first_person_threat_now_is_urgent_and_aggressor(pipe: NluPipeline, text: str) -> None:
    r = pipe.parse_sync(text)
    assert r.urgent and r.urgent_rules, text
    assert r.role == "aggressor" and r.role_rule, (text, r.role_rule)


def test_reported_threat_keeps_the_victim(pipe: NluPipeline) -> None:
    r = pipe.parse_sync("муж кричит что убьёт меня, я заперлась")
    assert r.urgent and r.role == "victim" and r.role_rule is None


SAFE_NOW = [
    "я сейчас у родителей",
    "всё тихо, он на смене",
    "ол іссапарда",
    "қазірше бәрі жақсы",
    "ol jūmysqa kettı",
    "he's out of town for the weekend",
]
SAFE_BUT_DANGER = [
    "я у мамы, но он едет сюда",
    "он спит, а я боюсь пошевелиться",
    "мен анамдамын, бірақ ол іздеп жүр",
    "i'm at my sister's but he knows where she lives",
]


@pytest.mark.parametrize("text", SAFE_NOW)
def test_safety_signal(rules: UrgencyRules, text: str) -> None:
    assert rules.is_safe_now(normalize(text)), text


@pytest.mark.parametrize("text", SAFE_BUT_DANGER)
def test_danger_word_switches_the_safety_signal_off(rules: UrgencyRules, text: str) -> None:
    assert not rules.is_safe_now(normalize(text)), text


@pytest.mark.parametrize(
    "text", ["я у сестры, но он едет сюда с ножом", "он спит, а у меня кровь не останавливается"]
)
def test_safety_signal_never_hides_a_rule(pipe: NluPipeline, text: str) -> None:
    r = pipe.parse_sync(text)
    assert r.urgent and r.urgent_rules, text


@pytest.mark.parametrize(
    "text", ["я не шучу, я её сейчас задушу", "әзіл емес, оны қазір буындырамын"]
)
def test_not_joking_is_not_a_joke_marker(rules: UrgencyRules, text: str) -> None:
    assert rules.scan(normalize(text)), text
