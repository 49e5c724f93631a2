"""The safety net (issue 14): the hard urgent categories, calm look-alikes, the danger tier.

The sentences here are written for this test, in other words than the training data
(nlu/data/*/safety_net.yml), so that a model that only memorised its data would fail.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from nlu.cli import nlu_group
from nlu.model import MODEL_PATH, LinearModel
from nlu.pipeline import NluPipeline
from nlu.urgency import UrgencyRules, _lower

SOS = ["🆘", "🆘🆘🆘", "SOS", "sos!!", "‼️", "‼️‼️", "🚨", "помогите", "Помогите!!!", "ПОМОГИТЕ",
       "помогите мне", "көмектесіңдер", "Көмектесіңдер!", "комектесиндер", "komektesinder",
       "көмектесіңізші", "help", "please help"]  # fmt: skip

# (slice, text): one or more per hard category, in every slice.
HARD_URGENT = [
    # a suicide act told plainly
    ("ru", "я проглотила целую пачку таблеток от сердца, мне очень плохо"),
    ("ru", "выпила уксус полчаса назад, всё горит"),
    ("translit", "ya naglotalas tabletok, prostite"),
    ("kk", "ұйықтайтын таблеткалардың бәрін жұтып қойдым"),
    ("kk_nodiac", "дарилердин барин иштим, кешириндер"),
    ("kk_latin", "barlyq tabletkalardy ishtim, qoshtasyndar"),
    ("mixed", "анамның қан қысымы дәрілерінің бәрін жұтып қойдым, простите"),
    ("en", "i swallowed a whole pack of pills an hour ago"),
    # strangulation without the word
    ("ru", "вечером он сдавил мне горло, я отключилась, теперь больно глотать"),
    ("translit", "on szhal mne gorlo rukami, ya poteryala soznanie"),
    ("kk", "ол түнде қолымен мойнымды қысты, дауысым қарлығып қалды"),
    ("kk_nodiac", "ол мойнымды кысып устады, есимнен танып калдым"),
    ("kk_latin", "ol moinymdy qysty, jutynganda auyrady"),
    ("en", "he squeezed my throat last night and now it hurts to swallow"),
    # hiding, writing in silence
    ("ru", "пишу тихо из ванной, он ходит по дому"),
    ("kk", "ақырын жазып отырмын, ол келесі бөлмеде"),
    ("en", "texting quietly from the bathroom, he's home"),
    # he is back; a countdown; relatives on their way
    ("ru", "он вернулся"),
    ("translit", "on opyat' vernulsya"),
    ("kk", "ол қайтып келді"),
    ("kk_latin", "ol qaityp keldi"),
    ("en", "he's back"),
    ("ru", "через 15 минут он будет дома, мне некуда идти"),
    ("ru", "он сейчас подъедет к дому, я вижу его машину, я одна с детьми"),
    ("kk", "қырық минуттан кейін ол үйге жетеді, балаларды қайда апарам"),
    ("ru", "свекровь с братьями мужа уже едут, хотят забрать меня силой"),
    # a conditional threat in Kazakh
    ("kk", "кетсем өлтіреді"),
    ("kk_nodiac", "кетсем олтиреди"),
    ("kk_latin", "ketsem öltiredi"),
    ("mixed", "ажырассам өлтіремін деді, что мне делать"),
    # a parent afraid of hurting a small child now; an aggressor on the edge
    ("ru", "дочка орёт третий час, я боюсь что сейчас её тряхну, остановите меня"),
    (
        "kk",
        "ұлым екі жаста, айқайлай береді, қазір оған бір нәрсе "
        "істеп қоямын ба деп қорқамын, қолым дірілдеп тұр",
    ),
    ("en", "i'm at my limit and about to hit my son"),
]

CALM = [
    ("ru", "приняла пару таблеток нурофена от зуба, всё прошло"),
    ("ru", "охрипла после концерта, как быстро вернуть голос"),
    ("ru", "в фильме он её задушил, мы с подругой плакали"),
    ("ru", "начальник меня убьёт за этот отчёт"),
    ("kk", "басым ауырғаны үшін бір таблетка іштім"),
    ("kk", "бастығым мені өлтіреді, есеп әлі дайын емес"),
    ("kk_latin", "futbolda olardy jenip tastadyq"),
    ("en", "i'd kill for a pizza right now"),
    ("en", "my coach is gonna kill me for skipping practice haha"),
]


@pytest.mark.parametrize("text", SOS)
def test_sos_and_bare_cry_are_urgent(pipe: NluPipeline, text: str) -> None:
    res = pipe.parse_sync(text)
    assert res.urgent and res.danger == "urgent", (text, res)


@pytest.mark.parametrize(("slc", "text"), HARD_URGENT)
def test_hard_categories_urgent(pipe: NluPipeline, slc: str, text: str) -> None:
    res = pipe.parse_sync(text)
    assert res.urgent, (slc, text, res.urgency, res.urgent_rules)


@pytest.mark.parametrize(("slc", "text"), CALM)
def test_calm_lookalikes_not_urgent(pipe: NluPipeline, slc: str, text: str) -> None:
    res = pipe.parse_sync(text)
    assert not res.urgent, (slc, text, res.urgency, res.urgent_rules)


@pytest.mark.parametrize(
    "text",
    ["он скоро приедет", "ол жолда", "if i leave he says i'll regret it", "он вернулся домой"],
)
def test_soft_signals_are_at_least_possible(pipe: NluPipeline, text: str) -> None:
    assert pipe.parse_sync(text).danger in ("urgent", "possible"), text


@pytest.mark.parametrize("text", ["Здравствуйте", "сәлеметсіз бе", "рахмет", "хочу записаться"])
def test_greetings_are_no_danger(pipe: NluPipeline, text: str) -> None:
    res = pipe.parse_sync(text)
    assert res.danger == "none" and not res.possible_danger, (text, res)


def test_soft_signal_cancelled_by_safety_or_joke() -> None:
    rules = UrgencyRules.load()
    assert rules.possible_signal("он вернулся") == "possible:ru_back"
    assert rules.possible_signal("он вернулся 😂 шучу") is None


def test_possible_band_just_below_threshold(pipe: NluPipeline) -> None:
    m = pipe.model
    assert 0.0 < m.possible_threshold <= m.urgent_threshold
    # A probability in the band is "possible", never "urgent"; the contract field is unchanged.
    res = pipe.parse_sync("он скоро приедет")
    assert res.scores["urgent"]["possible"] == m.possible_threshold
    if not res.urgent:
        assert res.possible_danger and res.urgency < 0.5


def test_band_calibration_stored_in_artefact() -> None:
    m = LinearModel.load(MODEL_PATH)
    band = m.meta["cv"]["possible"]
    assert band["edge"] == m.possible_threshold
    assert band["recall"] >= 0.99, band
    assert band["non_urgent_flagged"] < 0.5, band


def test_predict_prints_danger_tier() -> None:
    lines = [
        json.dumps({"id": 1, "text": "🆘"}),
        json.dumps({"id": 2, "text": "он скоро приедет"}, ensure_ascii=False),
        json.dumps({"id": 3, "text": "Здравствуйте"}, ensure_ascii=False),
    ]
    res = CliRunner().invoke(nlu_group, ["predict"], input="\n".join(lines) + "\n")
    assert res.exit_code == 0, res.output
    out = [json.loads(x) for x in res.stdout.splitlines()]
    assert out[0]["danger"] == "urgent" and out[0]["urgent"] is True
    assert out[1]["danger"] in ("urgent", "possible")
    assert out[2]["danger"] == "none" and out[2]["urgent"] is False


def test_evaluate_reports_danger_recall(pipe: NluPipeline) -> None:
    from nlu.evaluate import Item, evaluate

    items = [
        Item("🆘", "ru", "ru", "unknown", "help", True),
        Item("Здравствуйте", "ru", "ru", "unknown", "greet", False),
    ]
    rep = evaluate(pipe, items)
    assert rep["by_slice"]["ru"]["danger_recall"] == 1.0
    assert rep["by_slice"]["ru"]["calm_flagged"] == 0.0
    assert rep["possible_threshold"] == pipe.model.possible_threshold


def test_rule_patterns_keep_escapes() -> None:
    # lower() once turned \W into \w: "^\W*помогите\W*$" then missed "Помогите!!!".
    assert _lower(r"^\W*ПОМОГИТЕ\S\Z") == r"^\W*помогите\S\Z"
    hits = UrgencyRules.load().scan("помогите!!!")
    assert "ru:cry" in [h.name for h in hits]


@pytest.mark.parametrize(
    "text", ["мне опасно", "Мне сейчас опасно!", "маған қауіпті", "magan qauipti", "I'm not safe"]
)
def test_saying_i_am_in_danger_is_urgent(pipe: NluPipeline, text: str) -> None:
    # Also the possible-danger check's "not safe" button label, typed.
    assert pipe.parse_sync(text).urgent


def test_asking_about_danger_is_not_a_cry(pipe: NluPipeline) -> None:
    assert not pipe.parse_sync("мне опасно идти в полицию?").urgent
