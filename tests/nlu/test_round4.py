"""Round four (issue 14, strangers' feedback): a feared return within hours, conditional
threats, and the kill/choke rules kept quiet in calm contexts (films, news, sport, law
questions, the distant past, idioms). Texts here are not in the training data."""

from __future__ import annotations

import pytest

from nlu.pipeline import NluPipeline
from nlu.text import normalize
from nlu.urgency import UrgencyRules

FEARED_RETURN = [
    ("kk", "ол түнгі тоғызда келеді, кеше мені ұрып-соқты, бүгін одан да жаман болады"),
    ("kk_nodiac", "куйеуим сагат жетиде келеди кеше мени урды коркамын"),
    ("kk_latin", "kuieuim keshke keledi, keshe meni urdy, oltiremin dedi"),
    ("ru", "он вернётся в девять, вчера избил меня за переписку"),
    ("translit", "muzh pridet v 9 vecherom, vchera izbil, skazal chto ub'et"),
]
CONDITIONAL = [
    ("kk", "шағымдансам үйімді өртеймін деді"),
    ("kk_nodiac", "полицияга айтсан тири журмеисин деп коркытты"),
    ("ru", "сказал если я расскажу сестре, он меня закопает"),
]
CALM = [
    "кеше фильм көрдім, онда күйеуі әйелін буындырды, қатты әсер етті",
    "жаңалықта бір әйелді күйеуі өлтіргенін айтты, қорқынышты",
    "өлтіремін деп қорқыту үшін қандай жаза бар, жалпы сұрақ",
    "он жыл бұрын ол мені тұншықтыратын, қазір ажырастық, бәрі жақсы",
    "ыстықтан тұншығып барамыз, желдеткіш керек",
    "бастығым есеп үшін мені өлтіреді ғой",
    "меня душит обида на подругу",
    "в сериале муж задушил жену, какой ужас",
    "какая статья за угрозу убийством, спрашиваю для реферата",
    "у меня астма, задыхаюсь по ночам, к какому врачу идти",
]
RULE_NAMES = ("kill_threat", "choking", "return_feared", "if_tell", "if_leave")


@pytest.fixture(scope="module")
def rules() -> UrgencyRules:
    return UrgencyRules.load()


@pytest.mark.parametrize(("slc", "text"), FEARED_RETURN)
def test_feared_return_is_urgent_by_rule(
    pipe: NluPipeline, rules: UrgencyRules, slc: str, text: str
) -> None:
    names = [h.name for h in rules.scan(normalize(text))]
    assert any(n.endswith(":return_feared") or "kill_threat" in n for n in names), (slc, names)
    assert pipe.parse_sync(text).urgent, (slc, text)


@pytest.mark.parametrize(("slc", "text"), CONDITIONAL)
def test_conditional_threat_is_urgent_by_rule(
    pipe: NluPipeline, rules: UrgencyRules, slc: str, text: str
) -> None:
    assert rules.scan(normalize(text)), (slc, text)
    assert pipe.parse_sync(text).urgent, (slc, text)


@pytest.mark.parametrize("text", CALM)
def test_kill_and_choke_rules_stay_quiet_in_calm_contexts(rules: UrgencyRules, text: str) -> None:
    names = [h.name for h in rules.scan(normalize(text)) if h.name.endswith(RULE_NAMES)]
    assert not names, (text, names)


@pytest.mark.parametrize(
    "text",
    [
        "в фильме он её задушил, а мой муж сейчас душит меня",
        "бес жыл бұрын да буындырған, қазір тағы буындырып жатыр",
        "жаңалықта айтты, ал менің күйеуім қазір мені өлтіремін деп тұр",
    ],
)
def test_danger_now_beats_a_calm_context(pipe: NluPipeline, text: str) -> None:
    r = pipe.parse_sync(text)
    assert r.urgent and r.urgent_rules, (text, r.urgent_rules)


@pytest.mark.parametrize(
    "text",
    [
        "сөйлей алмаймын, тек жаза аламын",
        "soilei almaimyn tek jaza alamyn",
        "не могу говорить, могу только писать",
        "келинимнин моинында саусак изи бар, улым кеше кыскан",
    ],
)
def test_hiding_and_neck_marks_are_rules(rules: UrgencyRules, text: str) -> None:
    names = [h.name for h in rules.scan(normalize(text))]
    assert any(n.endswith(("hiding2", "neck_marks")) for n in names), (text, names)
