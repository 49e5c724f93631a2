"""The safety net at engine level (issue 14): typed answers mean buttons, the danger screen
nobody falls out of, safe fallbacks, the possible-danger check, "what do I do now", honest
promises of a consultant, and a conversation that keeps its language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.clock import FrozenClock
from core.messages import EraseChat, Inbound, RequestHandoff
from dialogues.danger_screen import default_screen
from dialogues.engine import URGENT
from dialogues.services import Services
from handoff.hours import WorkingHours
from nlu.result import NluResult
from tests.dialogue_tester import DialogueTester

SCREEN = default_screen()
JEALOUSY = SCREEN.step_id([q.id for q in SCREEN.questions].index("jealousy_control"))
NUMBERS = ("102", "112", "150")


def nlu(
    lang: str = "ru",
    *,
    intent: str = "other",
    role: str = "unknown",
    possible: bool = False,
    urgent: bool = False,
    confident: bool = True,
) -> NluResult:
    return NluResult(
        lang,  # type: ignore[arg-type]
        role,  # type: ignore[arg-type]
        intent,  # type: ignore[arg-type]
        urgent,
        0.99 if urgent else (0.4 if possible else 0.01),
        lang_confident=confident,
        possible_danger=possible and not urgent,
    )


def at(step: str, lang: str = "ru") -> DialogueTester:
    t = DialogueTester()
    t.state.lang, t.state.lang_locked, t.state.step = lang, True, step
    return t


def handoffs(t: DialogueTester) -> list[RequestHandoff]:
    return [e for e in t.effects() if isinstance(e, RequestHandoff)]


# -- typed answers on the danger screen ------------------------------------------------------

SPELLINGS = {
    "yes": ["ДА!!", "да", "ага", "угу", "ну да", "Иә", "ия", "иа", "ia", "Да 😢", "да, было"],
    "no": [
        "нет",
        "Нет.",
        "жоқ",
        "жок",
        "ЖОҚ!",
        "net",
        "да нет",
        "нет, не бил",
        "неа",
        "да не бил он",
    ],
    "not_sure": [
        "не знаю",
        "незнаю",
        "Не знаю...",
        "білмеймін",
        "білмим",
        "хз",
        "bilmeimin",
        "да не знаю",
        "точно не знаю",
    ],
}


@pytest.mark.parametrize(
    ("typed", "answer"), [(s, a) for a, spellings in SPELLINGS.items() for s in spellings]
)
async def test_every_common_spelling_answers_the_question(typed: str, answer: str) -> None:
    t = at(JEALOUSY)
    await t.text(typed, nlu(intent="other"))
    assert t.state.vars["danger"] == {"jealousy_control": answer}
    assert t.state.step == SCREEN.step_id(SCREEN.questions.index(SCREEN.questions[5]) + 1)


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("да, ножом угрожал", "yes"),
        ("угрожал ножом", "yes"),
        ("он мне топором махал", "yes"),
        ("пышақпен қорқытты", "yes"),
        ("не угрожал ножом", "no"),
        ("нет, не бил", "no"),
        ("не знаю, может быть", "not_sure"),
    ],
)
async def test_free_text_that_answers_the_weapon_question_counts(typed: str, answer: str) -> None:
    t = at(SCREEN.step_id(0))
    await t.text(typed, nlu(intent="help", role="victim"))
    assert t.state.vars["danger"] == {"weapon": answer}


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_anything_else_asks_the_same_question_again_never_the_menu(lang: str) -> None:
    t = at(JEALOUSY, lang)
    for typed in ("что?", "а зачем это", "контакты", "🤷"):
        await t.text(typed, nlu(lang, intent="contacts" if typed == "контакты" else "other"))
        assert t.state.step == JEALOUSY
        assert "danger" not in t.state.vars
        assert t.labels()[:3] == (
            ["Да", "Нет", "Не знаю"] if lang == "ru" else ["Иә", "Жоқ", "Білмеймін"]
        )
        assert ("кнопкой" if lang == "ru" else "Батырманы") in t.texts()
        assert all(n in t.texts() for n in NUMBERS)  # a re-ask is a fallback too


async def test_a_decisive_yes_ends_the_screen_at_once_with_the_numbers() -> None:
    t = at(SCREEN.step_id(0))
    t.services.handoff_enabled = True
    await t.text("ДА!!", nlu())
    assert t.state.step == "danger.result"
    assert all(n in t.texts() for n in NUMBERS) and "высокой опасности" in t.texts()
    (case,) = handoffs(t)
    assert case.urgent and case.details["danger_screen"] == {"weapon": "yes"}
    assert "Ответить на остальные вопросы" in t.labels()


async def test_strangling_not_sure_ends_the_screen_too() -> None:
    strangling = SCREEN.step_id([q.id for q in SCREEN.questions].index("strangling"))
    t = at(strangling, "kk")
    await t.text("білмим", nlu("kk"))
    assert t.state.step == "danger.result" and t.state.vars["danger_level"] == "high"


async def test_an_urgent_typed_answer_gets_the_numbers_first_and_is_recorded() -> None:
    # Decision (docs/danger-screen.md): danger first, the answer is not lost.
    t = at(SCREEN.step_id(1))
    t.services.handoff_enabled = True
    await t.text("да, он сказал что убьёт меня сегодня", nlu(urgent=True, role="victim"))
    first = t.replies()[0]
    assert first.urgent and all(n in first.text for n in NUMBERS)
    assert t.state.vars["danger"] == {"threat_to_kill": "yes"}
    (case,) = handoffs(t)
    assert case.details["danger_screen"] == {"threat_to_kill": "yes"}
    # The conversation goes on: here a decisive "yes", so the high-danger result follows.
    assert t.state.step == "danger.result" and "высокой опасности" in t.texts()
    assert "ответит здесь" in t.replies()[2].text and "уже переданы" in t.texts()
    await t.press("safety.urgent#resume")  # the urgent reply's own button still leads on
    assert t.state.step == "danger.result"
    assert not handoffs(t)  # the consultant was called once


async def test_an_urgent_typed_no_is_recorded_and_the_next_question_follows() -> None:
    t = at(SCREEN.step_id(4), "kk")  # strangling
    await t.text("жоқ, тұншықтырған жоқ", nlu("kk", urgent=True, role="victim"))
    assert "102" in t.replies()[0].text and t.replies()[0].urgent
    assert t.state.vars["danger"] == {"strangling": "no"}
    assert t.state.step == SCREEN.step_id(5)


# -- typed answers everywhere ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "target"),
    [
        ("нет, никому, хочу разобраться", "aggressor.risk_weapon"),
        ("Нет", "aggressor.risk_weapon"),
        ("жоқ, сабырлымын", "aggressor.risk_weapon"),
        ("да", "safety.urgent"),  # someone in danger now: the urgent path
        ("не знаю", "aggressor.timeout"),  # not sure: the time-out now, then the questions
    ],
)
async def test_a_typed_answer_to_the_aggressor_question_presses_its_button(
    typed: str, target: str
) -> None:
    t = at("aggressor.risk_now")
    await t.text(typed, nlu(intent="help", role="aggressor"))
    assert t.state.step == target


async def test_a_typed_kazakh_no_presses_the_no_button_of_the_substances_question() -> None:
    t = at("aggressor.programme")
    await t.text("Жоқ", nlu("kk"))
    assert t.state.step == "aggressor.referral"


# -- every fallback is safe ------------------------------------------------------------------


def _sos(t: DialogueTester) -> None:
    assert any(n in t.texts() for n in NUMBERS)
    assert all(n in t.texts() for n in NUMBERS)
    assert any(b.payload == URGENT for r in t.replies() for b in r.flat_buttons)


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("step", ["menu.main", "victim.start", "safety.forgotten"])
async def test_a_voice_note_reply_carries_the_numbers_and_the_sos_button(
    lang: str, step: str
) -> None:
    t = at(step, lang)
    await t._send(Inbound("test", "u", t.services.clock.now(), unsupported="voice"), None)
    _sos(t)


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_not_understood_and_stale_buttons_carry_the_numbers_and_the_sos_button(
    lang: str,
) -> None:
    t = at("menu.main", lang)
    await t.text("фывапролд", nlu(lang, intent="other"))
    assert t.state.step == "menu.main"
    _sos(t)
    await t.press("nowhere.gone#x")
    _sos(t)


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_the_menu_a_person_is_landed_on_carries_the_numbers_once(lang: str) -> None:
    # A help request the NLU cannot place (role unknown) lands on the menu: seen with an
    # English "basement storage with 3 kids. battery 4%. just text me pls" (corpus 20).
    t = at("victim.start", lang)
    await t.text("help", nlu(lang, intent="help"))
    assert t.state.step == "menu.main"
    _sos(t)
    # After "I did not understand … 102 · 112 · 150" the menu does not repeat them.
    await t.text("фывапролд", nlu(lang, intent="other"))
    assert sum(r.text.count("112") for r in t.replies()) == 1


@pytest.mark.parametrize(
    ("lang", "typed"),
    [
        ("ru", "что мне делать"),
        ("ru", "Что делать?!"),
        ("kk", "не істеймін"),
        ("ru", "what do I do"),
    ],
)
async def test_what_do_i_do_after_an_urgent_reply_gets_the_steps_for_right_now(
    lang: str, typed: str
) -> None:
    t = at("victim.start", lang)
    await t.text("он ломает дверь", nlu(lang, urgent=True, role="victim"))
    await t.text(typed, nlu(lang, intent="safety_plan", role="victim"))
    assert t.state.step == "safety.now"
    assert "102" in t.texts() and ("Дети" in t.texts() or "Балалар" in t.texts())
    assert t.replies()[0].urgent


async def test_what_do_i_do_long_after_goes_the_usual_way() -> None:
    t = at("victim.start")
    await t.text("он ломает дверь", nlu(urgent=True, role="victim"))
    assert isinstance(t.services.clock, FrozenClock)
    t.services.clock.advance(timedelta(hours=2))
    await t.text("что мне делать", nlu(intent="safety_plan", role="victim"))
    assert t.state.step != "safety.now"


# -- possible danger --------------------------------------------------------------------------


async def test_possible_danger_checks_first_then_answers_the_message() -> None:
    t = at("menu.main")
    await t.text(
        "он опять пьяный пришёл, мне страшно", nlu(intent="help", role="victim", possible=True)
    )
    first = t.replies()[0]
    assert first.urgent and all(n in first.text for n in NUMBERS)
    assert [b.label for b in first.flat_buttons] == [
        "Да, я в безопасности",
        "Мне опасно",
        "Не могу говорить",
    ]
    assert t.state.step == "victim.start" and len(t.replies()) > 1  # the normal answer follows
    assert not handoffs(t)


async def test_not_safe_goes_to_the_urgent_path_and_a_consultant() -> None:
    t = at("menu.main", "kk")
    t.services.handoff_enabled = True
    await t.text("ол тағы келді", nlu("kk", intent="help", role="victim", possible=True))
    await t.press_label("Маған қауіпті")
    assert t.state.step == "safety.urgent" and t.state.resume == "victim.start"
    assert "102" in t.replies()[0].text
    (case,) = handoffs(t)
    assert case.urgent


async def test_cant_talk_gives_bare_numbers_and_a_quiet_urgent_case() -> None:
    t = at("menu.main")
    t.services.handoff_enabled = True
    await t.text("он рядом", nlu(intent="help", role="victim", possible=True))
    await t.text("Не могу говорить", nlu(intent="other"))  # typed, not pressed
    assert t.texts() == "102 · 112 · 150" and t.labels() == []
    (case,) = handoffs(t)
    assert case.urgent and case.details == {"quiet": True}
    assert not any(isinstance(e, EraseChat) for e in t.effects())


async def test_safe_now_changes_nothing_and_the_check_is_not_repeated_at_once() -> None:
    t = at("menu.main")
    await t.text("он опять кричал", nlu(intent="help", role="victim", possible=True))
    assert "безопасности?" in t.replies()[0].text
    await t.press("safety.check#safe")
    assert t.state.step == "victim.start" and not handoffs(t)
    assert t.texts().startswith("Хорошо") and len(t.replies()) == 1  # nothing else changes
    await t.text("он опять кричал", nlu(intent="help", role="victim", possible=True))
    assert "безопасности?" not in t.replies()[0].text


async def test_no_check_right_after_an_urgent_reply() -> None:
    t = at("menu.main")
    await t.text("помогите", nlu(urgent=True))
    await t.text("он ещё тут", nlu(intent="help", role="victim", possible=True))
    assert "безопасности?" not in t.texts()


# -- honest promises ---------------------------------------------------------------------------


class _Queue:
    def __init__(self, served: bool) -> None:
        self.is_served = served

    async def served(self, now: datetime) -> bool:
        return self.is_served


def _services(hours: str, served: bool) -> Services:
    parsed = WorkingHours.parse(hours)
    return Services(
        clock=FrozenClock(datetime(2026, 11, 25, 20, tzinfo=UTC)),  # 01:00 in Almaty, Thursday
        handoff_enabled=True,
        handoff_hours=None if parsed.always else parsed,
        availability=_Queue(served),
    )


@pytest.mark.parametrize(
    ("hours", "served", "said", "unsaid"),
    [
        ("24/7", True, "ответит здесь", "освободится"),
        ("24/7", False, "как только освободится", "ответит здесь"),
        ("mon-fri 09:00-18:00", True, "когда чат откроется (26.11 09:00)", "ответит здесь"),
    ],
)
async def test_a_consultant_is_promised_only_when_one_can_answer_now(
    hours: str, served: bool, said: str, unsaid: str
) -> None:
    t = DialogueTester(services=_services(hours, served))
    t.state.lang = "ru"
    await t.text("помогите, он бьёт", nlu(urgent=True, role="victim"))
    assert said in t.texts() and unsaid not in t.texts()
    assert handoffs(t)[0].urgent  # the case is opened either way
    t = DialogueTester(services=_services(hours, served))
    t.state.lang, t.state.step = "ru", SCREEN.step_id(0)
    await t.text("да", nlu())
    assert ("ответит здесь" in t.texts()) == (said == "ответит здесь")


# -- language stickiness -------------------------------------------------------------------------


async def test_the_first_message_sets_the_language_and_a_short_one_does_not_switch_it() -> None:
    t = DialogueTester()
    await t.text("мне нужна помощь, муж бьёт", nlu("ru", intent="help", role="victim"))
    assert t.state.lang == "ru"
    await t.text("рахмет", nlu("kk", intent="thanks"))
    await t.text("иә", nlu("kk", intent="other"))
    assert t.state.lang == "ru"


async def test_two_kazakh_messages_in_a_row_switch_the_language() -> None:
    t = DialogueTester()
    await t.text("мне нужна помощь", nlu("ru", intent="help", role="victim"))
    await t.text("маған көмек керек", nlu("kk", intent="help", role="victim"))
    assert t.state.lang == "ru"
    await t.text("күйеуім мені ұрады", nlu("kk", intent="help", role="victim"))
    assert t.state.lang == "kk"


async def test_a_russian_message_between_resets_the_vote() -> None:
    t = DialogueTester()
    await t.text("маған көмек керек", nlu("kk", intent="help"))
    await t.text("мне нужна помощь срочно", nlu("ru", intent="help"))
    assert t.state.lang == "kk"
    await t.text("ол мені ұрады", nlu("kk", intent="help"))
    assert t.state.lang == "kk"  # one Russian message of four words is not a clear switch
    await t.text("муж опять пришёл пьяный сегодня ночью и бил меня", nlu("ru", intent="help"))
    assert t.state.lang == "ru"  # one long message is


async def test_a_chosen_language_never_switches() -> None:
    t = at("menu.main", "kk")
    await t.text("муж опять пришёл пьяный сегодня ночью и бил меня", nlu("ru", intent="help"))
    assert t.state.lang == "kk"


@pytest.mark.parametrize(("lang", "typed"), [("ru", "да, позовите"), ("kk", "иә")])
async def test_a_typed_yes_presses_a_dynamic_button_too(lang: str, typed: str) -> None:
    t = at("menu.main", lang)
    t.services.handoff_enabled = True
    await t.press("menu.main#human")
    assert t.state.step == "handoff.start"
    await t.text(typed, nlu(lang, intent="other"))
    assert t.state.step == "handoff.waiting" and handoffs(t)


@pytest.mark.parametrize("channel", ["telegram", "whatsapp", "console"])
async def test_the_first_greeting_carries_the_numbers_and_the_sos_button(channel: str) -> None:
    t = DialogueTester()
    turn = await t._send(Inbound(channel, "u", t.services.clock.now(), text="/start"), None)
    text = "\n".join(r.text for r in turn.replies)
    for lang_line in text.split("\n\n")[:2]:  # the Russian and the Kazakh paragraph
        assert all(n in lang_line for n in NUMBERS), lang_line
    assert any(b.payload == URGENT for r in turn.replies for b in r.flat_buttons)


@pytest.mark.parametrize(("served", "said"), [(True, False), (False, True)])
async def test_asking_for_a_consultant_says_honestly_when_nobody_is_at_the_queue(
    served: bool, said: bool
) -> None:
    t = DialogueTester(services=_services("24/7", served))
    t.state.lang, t.state.step = "ru", "handoff.start"
    await t.press("handoff.start=yes")
    assert handoffs(t) and t.state.step == "handoff.waiting"
    assert ("может занять время" in t.texts()) == said
