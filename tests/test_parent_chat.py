"""The parents' path (issue 17) through the real engine and the real NLU, in both languages: a
parent's typed fear reaches the path; a shaken baby who does not wake gets 102/103 in the first
reply and an urgent case marked "parent"; the risk questions' "yes" goes to the urgent path;
the time-out and the self-check, typed and pressed, keep nothing; and a parent's session is
booked with a family-stream specialist, never one of the aggressor or victims' stream."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from booking.schedule import SEED_FILE
from booking.streams import FAMILY, STREAM_KINDS, may_take, stream_of_kind
from bot.app import App
from bot.settings import Settings
from core.clock import FrozenClock
from core.messages import Inbound, Reply, RequestHandoff
from dialogues.services import Services
from nlu.pipeline import NluPipeline
from nlu.result import NluResult
from tests.dialogue_tester import DialogueTester, first_button, labels

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # Wednesday, 06:00 in Almaty
_NLU: NluPipeline | None = None


def read(text: str) -> NluResult:
    global _NLU
    if _NLU is None:
        _NLU = NluPipeline().load()
    return _NLU.parse_sync(text)


def _tester(lang: str | None = None) -> DialogueTester:
    t = DialogueTester(services=Services(clock=FrozenClock(NOW), handoff_enabled=True))
    if lang:
        t.state.lang, t.state.lang_locked = lang, True
    return t


async def _resumed(t: DialogueTester) -> None:
    """After an urgent reply, "back to the conversation"."""
    if t.state.step == "safety.urgent":
        await t.press("!resume")


@pytest.mark.parametrize(
    "text",
    [
        "боюсь сорвусь на сына, не сплю третьи сутки",
        "баламды белбеумен ұрып жібердім",
        "баламды белбеумен урып жибердим",  # Kazakh without Kazakh letters
        "boyus sorvus na rebenka, ya ego udarila",  # Russian in Latin letters
        "кричу на дочь до истерики, боюсь ударю",
        "балама қол көтеріп қоям ба деп қорқамын",
    ],
)
async def test_a_parents_typed_fear_reaches_the_parents_path(text: str) -> None:
    t = _tester()
    await t.text(text, read(text))
    await _resumed(t)  # an urgent reading answers with the numbers first, then the path
    assert t.state.step == "parent.risk_now", (text, t.state.step)
    assert t.state.finer == "parent" and t.state.role == "aggressor"


@pytest.mark.parametrize(
    ("text", "lang", "advice"),
    [
        ("тряхнула малыша, он не просыпается", "ru", "Никогда не трясите"),
        ("нәрестені сілкіп жібердім, көзін ашпайды", "kk", "ешқашан сілкімеңіз"),
    ],
)
async def test_a_shaken_baby_gets_102_and_103_first_and_an_urgent_case_for_a_parent(
    text: str, lang: str, advice: str
) -> None:
    t = _tester()
    await t.text(text, read(text))
    first = t.replies()[0]
    assert "102" in first.text and "103" in first.text and first.urgent
    assert t.state.lang == lang
    assert advice in t.texts()
    cases = [e for e in t.effects() if isinstance(e, RequestHandoff)]
    assert len(cases) == 1 and cases[0].urgent
    assert cases[0].details["finer"] == "parent"
    # "What do I do?" then gives a parent's steps, 103 among them.
    await t.text("что делать?" if lang == "ru" else "не істеймін?", read("что делать?"))
    if t.state.step == "safety.now":
        assert "103" in t.texts() and ("кроватку" in t.texts() or "бесігіне" in t.texts())


@pytest.mark.parametrize(("lang", "yes"), [("ru", "да"), ("kk", "иә")])
async def test_a_yes_to_either_risk_question_opens_an_urgent_case_and_comes_back(
    lang: str, yes: str
) -> None:
    t = _tester(lang)
    await t.press("aggressor.menu#parent")  # the aggressor path's button for a parent
    assert t.state.step == "parent.risk_now" and t.state.finer == "parent"
    await t.text(yes)
    assert t.state.step == "safety.urgent"
    first = t.replies()[0]
    assert "102" in first.text and "103" in first.text
    (case,) = [e for e in t.effects() if isinstance(e, RequestHandoff)]
    assert case.urgent and case.details["finer"] == "parent"
    assert case.details["role"] == "aggressor"
    await t.press("!resume")
    assert t.state.step == "parent.risk_baby"
    await t.press("parent.risk_baby#yes")
    assert t.state.step == "safety.urgent"
    await t.press("!resume")
    assert t.state.step == "parent.timeout"


@pytest.mark.parametrize(
    ("lang", "no", "calmer"), [("ru", "нет", "Мне уже спокойнее"), ("kk", "жоқ", "Сабыр таптым")]
)
async def test_the_time_out_and_the_self_check_typed_and_pressed_keep_nothing(
    lang: str, no: str, calmer: str
) -> None:
    t = _tester(lang)
    await t.press("aggressor.menu#parent")
    await t.text(no)
    await t.text(no)
    assert t.state.step == "parent.timeout"
    texts = t.texts()
    assert "103" in texts and ("на спинку" in texts or "шалқасынан" in texts)
    await t.text(calmer)  # the button's own words
    assert t.state.step == "parent.menu"
    await t.press("parent.menu#check")
    assert t.state.step == "parent.check_hit"
    for answer in ("yes", "yes", "no", "yes", "no"):
        await t.press(f"{t.state.step}#{answer}")
    assert t.state.step == "parent.check_result"
    assert ("трясли" in t.texts() or "Тряска" in t.texts()) or "Сілку" in t.texts()
    assert "parent_check" not in t.state.vars  # informational: never kept
    assert not any(k.startswith("check") or k == "programme" for k in t.state.vars)
    # Typed answers work too.
    await t.press("parent.menu#check")
    for answer in ("нет" if lang == "ru" else "жоқ",) * 5:
        await t.text(answer)
    assert t.state.step == "parent.check_result"
    assert "parent_check" not in t.state.vars


def test_only_the_family_stream_takes_a_parents_session() -> None:
    assert stream_of_kind("parent") == FAMILY
    assert [s for s in STREAM_KINDS if may_take(s, "parent")] == [FAMILY]
    # The seed gives the kind to the family stream only.
    import yaml

    seed = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))
    takers = [s for s in seed["specialists"] if "parent" in s["kinds"]]
    assert takers and all(s["stream"] == FAMILY for s in takers)
    assert "parent" not in seed["settings"]["pair_kinds"]


# -- booking a parent's session through the app, down to the database ----------------------


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    application = await App.create(settings, clock=FrozenClock(NOW))
    yield application
    await application.close()


@pytest.mark.parametrize(
    ("lang", "opening", "no", "calmer", "support"),
    [
        (
            "ru",
            "боюсь сорвусь на сына, не сплю третьи сутки",
            "нет",
            "Мне уже спокойнее",
            "Где помогают родителям",
        ),
        (
            "kk",
            "балама қол көтеріп қоям ба деп қорқамын",
            "жоқ",
            "Сабыр таптым",
            "Ата-аналарға қайда көмектеседі",
        ),
    ],
)
async def test_a_parents_session_is_booked_with_a_family_stream_specialist(
    app: App, lang: str, opening: str, no: str, calmer: str, support: str
) -> None:
    async def say(text: str) -> list[Reply]:
        outcome = await app.conversations.handle(Inbound("console", "mum", NOW, text=text))
        return outcome.replies

    await say("/lang")
    await say("Русский" if lang == "ru" else "Қазақша")
    replies = await say(opening)
    back = "Вернуться к разговору" if lang == "ru" else "Әңгімеге оралу"
    if any(b.label == back for r in replies for b in r.flat_buttons):
        await say(back)  # an urgent reading: the numbers first, then the path
    await say(no)
    await say(no)
    await say(calmer)
    replies = await say(support)
    assert any("150" in r.text and "111" in r.text for r in replies)
    replies = await say(first_button(replies))  # 📅 book: the kind is preset, language asked
    replies = await say(first_button(replies))  # the language
    replies = await say(first_button(replies))  # the format
    for _ in range(4):  # day, time, no name, confirm: the first offered
        replies = await say(first_button(replies))
    assert any("записаны" in r.text or "жазылдыңыз" in r.text for r in replies), replies
    service = app.conversations.services.booking
    assert service is not None
    person = await app.conversations.handle(Inbound("console", "mum", NOW, text="/bookings"))
    assert person.person_id is not None
    (made,) = await service.upcoming(person.person_id)
    assert made.kind == "parent"
    schedule = await service.schedule.load()
    by_id = {s.id: s for s in schedule.specialists}
    assert made.specialists and all(by_id[s].stream == FAMILY for s in made.specialists)


@pytest.mark.parametrize(
    ("lang", "fear", "not_me", "later"),
    [
        (
            "ru",
            "боюсь сорвусь на сына, не сплю третьи сутки",
            "Это не я — ребёнка обижает другой взрослый",
            "кричу на дочь до истерики, боюсь ударю",
        ),
        (
            "kk",
            "балама қол көтеріп қоям ба деп қорқамын",
            "Бұл мен емес — баланы басқа үлкен адам ренжітеді",
            "баламды белбеумен ұрып жібердім",
        ),
    ],
)
async def test_it_is_not_me_in_one_tap_leaves_the_parents_path_for_good(
    lang: str, fear: str, not_me: str, later: str
) -> None:
    """A wrong reading costs one tap: a mother whose partner hurts the child is never kept on
    the path that asks a parent to change; a later parent's reading does not bring her back."""
    t = _tester(lang)
    await t.text(fear, read(fear))
    await _resumed(t)
    assert t.state.step == "parent.risk_now"
    await t.text(not_me, labels(lang=lang))
    assert (t.state.step, t.state.finer, t.state.role) == ("victim.start", None, "victim")
    await t.text(later, read(later))
    await _resumed(t)
    assert not (t.state.step or "").startswith("parent."), t.state.step
    assert t.state.finer != "parent"
