from __future__ import annotations

import pytest

from nlu.pipeline import NluPipeline
from nlu.text import normalize
from nlu.urgency import UrgencyRules

URGENT_WITHOUT_KEYWORDS = [
    "он стоит за дверью",
    "я заперлась в ванной",
    "есік алдында тұр",
    "удали всё, он идёт",
    "esik aldynda tur",
    "on stoit za dver'yu",
    "он едет сюда и у него ключи",
    "ол келді, чатты жабыңыз",
    "ol keldi, chatty jabyñyz",
    "он молча снимает ремень",
]
URGENT = [
    "он с ножом",
    "muzh seichas menya b'et",
    "ол пышақ алып жүр",
    "он душит меня",
    "не хочу больше жить, выпью все таблетки",
    "өмір сүргім келмейді",
    "he has a knife and is outside my door",
    "соседи, слышу как он бьёт её, она кричит",
]
IDIOMS = [
    "убить готова за посуду",
    "убью тебя если не позвонишь маме, говорю сестре 😂",
    "өлердей шаршадым",
    "начальник меня убьёт, опять опоздала",
    "i'm dying to see that movie",
]


@pytest.mark.parametrize("text", URGENT_WITHOUT_KEYWORDS + URGENT)
def test_urgent(pipe: NluPipeline, text: str) -> None:
    r = pipe.parse_sync(text)
    assert r.urgent, (text, r.urgency, r.scores["urgent"])


@pytest.mark.parametrize("text", IDIOMS)
def test_idiom_not_urgent(pipe: NluPipeline, text: str) -> None:
    r = pipe.parse_sync(text)
    assert not r.urgent, (text, r.urgency, r.urgent_rules)


def test_one_urgent_sentence_in_a_long_story(pipe: NluPipeline) -> None:
    story = (
        "Здравствуйте. Мы женаты восемь лет, у нас двое детей, живём в Павлодаре. "
        "Первые годы всё было хорошо, потом он начал пить и ревновать к коллегам. "
        "Я много раз думала уйти, но родители говорят терпеть ради детей. "
    ) * 3 + "Сейчас он стоит за дверью ванной и кричит, что это моя последняя ночь."
    r = pipe.parse_sync(story)
    assert r.urgent


def test_urgent_signal_past_model_cut_is_still_seen(pipe: NluPipeline) -> None:
    text = "обычный рассказ о жизни. " * 500 + "он с ножом, помогите"
    r = pipe.parse_sync(text)
    assert r.urgent and r.urgent_rules


def test_rule_files_compile_and_fold() -> None:
    rules = UrgencyRules.load()
    assert len(rules.rules) > 20
    assert rules.scan(normalize("Есік алдында тұр"))
    assert rules.scan(normalize("esik aldynda tur"))  # same rule, Latin Kazakh
    assert rules.scan(normalize("есик алдында тур"))  # and without diacritics


def test_translit_reflexive_verbs_read_as_cyrillic() -> None:
    # "podnimaetsya" is «поднимается», not «поднимаеця»: the rules are written in Cyrillic.
    from nlu.urgency import canon

    assert canon(normalize("ruka podnimaetsya, ona boitsya")) == "рука поднимается, она боится"
