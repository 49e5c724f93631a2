"""The young person's path (issue 17) through the real app and NLU, in both languages: a
teenager's typed disclosure reaches it (Cyrillic, Kazakh typed without Kazakh letters, Latin);
an urgent one gets 102 in the first reply and an urgent case marked young_person; the child
danger screen's yes to an injury now is the urgent path, typed or pressed; «Мне уже есть 18»
leads to the adult path and stays there; the child's "what do I do?" steps."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.app import App
from bot.settings import Settings
from core.clock import FrozenClock
from core.messages import Inbound, Reply, RequestHandoff
from dialogues.directory import Directory, Entry, default_directory
from dialogues.services import Services
from nlu.result import NluResult
from tests.dialogue_tester import DialogueTester, labels

# Wednesday 25 Nov 2026, 06:00 in Almaty.
NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
WORDS = {
    "ru": {"lang": "Русский", "yes": "да", "no": "нет", "adult": "Мне уже есть 18"},
    "kk": {"lang": "Қазақша", "yes": "иә", "no": "жоқ", "adult": "Маған 18 толды"},
}
# The young path's first words, in each language.
YOUNG_START = {"ru": "Хорошо, что ты пишешь", "kk": "Сен ешнәрсеге кінәлі емессің"}


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    # Handoff on: the urgent cases are what these tests look at.
    on = settings.model_copy(update={"handoff_enabled": True})
    application = await App.create(on, clock=FrozenClock(NOW))
    yield application
    await application.close()


class Child:
    def __init__(self, app: App, lang: str) -> None:
        self.app, self.lang = app, lang
        self.handoffs: list[RequestHandoff] = []

    async def _handle(self, inbound: Inbound) -> list[Reply]:
        outcome = await self.app.conversations.handle(inbound)
        self.handoffs += outcome.handoffs
        return outcome.replies

    async def say(self, text: str) -> list[Reply]:
        return await self._handle(Inbound("console", "kid", NOW, text=text))

    async def press(self, payload: str) -> list[Reply]:
        return await self._handle(Inbound("console", "kid", NOW, payload=payload))

    async def begin(self) -> None:
        await self.say("/lang")
        await self.say(WORDS[self.lang]["lang"])


def text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


def labels_of(replies: list[Reply]) -> list[str]:
    return [b.label for r in replies for b in r.flat_buttons]


@pytest.mark.parametrize(
    ("lang", "disclosure"),
    [
        ("ru", "мне 14, отчим бьёт маму и меня"),
        ("kk", "маған 13 жас, әкем ұрады"),
        ("kk", "маган 13 жас, экем урады"),  # Kazakh typed without Kazakh letters
        ("kk", "men 14 jastamyn, akem urady"),  # in Latin letters
        ("ru", "mne 14, otchim b'et mamu i menya"),
    ],
)
async def test_a_teenagers_typed_disclosure_reaches_the_young_path(
    app: App, lang: str, disclosure: str
) -> None:
    child = Child(app, lang)
    await child.begin()
    replies = await child.say(disclosure)
    if "102" in replies[0].text:
        # Read as urgent ("бьёт" is now): the numbers first, then back into the young path.
        assert any(h.urgent and h.details.get("finer") == "young_person" for h in child.handoffs)
        replies = await child.press("!resume")
    assert YOUNG_START[lang] in text(replies), text(replies)
    assert WORDS[lang]["adult"] in labels_of(replies)
    assert any("150" in label for label in labels_of(replies))  # a consultant one tap away


@pytest.mark.parametrize(
    ("lang", "opening", "urgent"),
    [
        ("ru", "мне 14, мне плохо дома", "отчим сейчас ломает дверь в мою комнату"),
        ("kk", "маған 13 жас, әкем ұрады", "әкем қазір пышақпен тұр"),
    ],
)
async def test_an_urgent_message_from_a_child_gets_102_first_and_an_urgent_young_case(
    app: App, lang: str, opening: str, urgent: str
) -> None:
    child = Child(app, lang)
    await child.begin()
    await child.say(opening)
    replies = await child.say(urgent)
    assert "102" in replies[0].text and "112" in replies[0].text and replies[0].urgent
    cases = [h for h in child.handoffs if h.urgent]
    assert len(cases) == 1 and cases[0].details["finer"] == "young_person"
    # The child's advice, not the adults': no "держитесь"/"аулақ болыңыз" (the «вы» form).
    advice = {"ru": "Если можешь", "kk": "Мүмкін болса — көршілерге"}[lang]
    assert advice in text(replies)
    # The numbers themselves are said to a child too: «ты» / «сен», 150 as the children's line.
    you = {"ru": "Если тебе или кому-то рядом", "kk": "Саған немесе жаныңдағы"}[lang]
    assert replies[0].text.startswith(you), replies[0].text
    assert "вам" not in text(replies) and "Сізге" not in text(replies)


async def test_an_adults_urgent_message_is_said_with_vy() -> None:
    t = DialogueTester(services=Services(clock=FrozenClock(NOW), handoff_enabled=True))
    t.state.lang, t.state.lang_locked = "ru", True
    await t.press("!urgent")
    assert t.replies()[0].text.startswith("Если вам или кому-то")


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("pressed", [True, False])
async def test_the_child_screens_yes_to_an_injury_now_is_the_urgent_path(
    app: App, lang: str, pressed: bool
) -> None:
    child = Child(app, lang)
    await child.begin()
    await child.press("menu.main#young")
    replies = await (
        child.press("young.start#unsure")
        if pressed
        else child.say("не знаю" if lang == "ru" else "білмеймін")
    )
    assert {"ru": "обижает или бьёт", "kk": "ұра ма"}[lang] in text(replies)
    await (child.press("young.q_harm#yes") if pressed else child.say(WORDS[lang]["yes"]))
    replies = await (
        child.press("young.q_injury_now#yes") if pressed else child.say(WORDS[lang]["yes"])
    )
    assert "📞 102" in replies[0].text and "112" in replies[0].text
    (case,) = [h for h in child.handoffs if h.urgent]
    assert case.reason == "child_screen"
    assert case.details["finer"] == "young_person"
    assert case.details["child_screen"] == {"harm": "yes", "injury_now": "yes"}
    # The rest of the questions are not asked: danger now ends the screen.
    assert {"ru": "заперли", "kk": "қамап"}[lang] not in text(replies)


async def test_a_screen_with_no_danger_now_is_a_calm_summary_with_150_and_111(app: App) -> None:
    child = Child(app, "ru")
    await child.begin()
    await child.press("menu.main#young")
    await child.press("young.start#unsure")
    replies: list[Reply] = []
    for answer in ("да", "нет", "нет", "да", "нет", "нет", "нет"):
        replies = await child.say(answer)
    assert "не вижу прямой опасности" in text(replies)
    assert "150" in text(replies) and "111" in text(replies)
    assert not [h for h in child.handoffs if h.urgent]
    assert "💬 Позвать консультанта 150" in labels_of(replies)


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("pressed", [True, False])
async def test_i_am_18_leads_to_the_adult_path_and_stays_there(
    app: App, lang: str, pressed: bool
) -> None:
    child = Child(app, lang)
    await child.begin()
    disclosure = {"ru": "мне 15, папа бьёт маму", "kk": "маған 14 жас, әкем анамды ұрады"}[lang]
    replies = await child.say(disclosure)
    assert YOUNG_START[lang] in text(replies)
    replies = await (
        child.press("young.start#adult") if pressed else child.say(WORDS[lang]["adult"])
    )
    assert YOUNG_START[lang] not in text(replies)
    assert "victim.start#danger" in [b.payload for r in replies for b in r.flat_buttons]
    # A later message the NLU reads as a young writer's does not send them back.
    replies = await child.say(disclosure)
    assert YOUNG_START[lang] not in text(replies)


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_a_child_who_sees_it_happen_to_mum_is_a_witness_with_a_childs_advice(
    lang: str,
) -> None:
    t = DialogueTester(services=Services(clock=FrozenClock(NOW), handoff_enabled=True))
    t.state.lang, t.state.lang_locked = lang, True
    await t.press("menu.main#young")
    assert t.state.finer == "young_person"
    await t.text(WORDS[lang]["no"], labels(lang=lang))
    assert t.state.step == "young.what"
    await t.press("young.what#family")
    assert (t.state.step, t.state.role) == ("young.family", "witness")
    assert {"ru": "не вставай между ними", "kk": "араларына түспе"}[lang] in t.texts()
    await t.press("young.family#safety")
    assert {"ru": "без сим-карты", "kk": "сим-картасыз"}[lang] in t.texts()


async def test_yes_to_danger_now_is_the_urgent_path_and_resumes_at_what_is_happening() -> None:
    t = DialogueTester(services=Services(clock=FrozenClock(NOW), handoff_enabled=True))
    t.state.lang, t.state.lang_locked = "kk", True
    await t.press("menu.main#young")
    await t.text("иә", labels(lang="kk"))
    assert t.state.step == "safety.urgent"
    first = t.replies()[0]
    assert "102" in first.text and first.urgent
    (case,) = [e for e in t.effects() if isinstance(e, RequestHandoff)]
    assert case.urgent and case.details["finer"] == "young_person"
    # "What do I do?" right after: the child's steps.
    await t.text("не істеймін?", labels(lang="kk"))
    assert t.state.step == "safety.now" and "Үлкендердің арасына түспе" in t.texts()
    await t.press("!resume")
    assert t.state.step == "young.what"


async def test_the_me_button_makes_the_child_a_victim() -> None:
    t = DialogueTester()
    t.state.lang, t.state.lang_locked = "ru", True
    await t.press("menu.main#young")
    await t.press("young.start#not_now")
    await t.press("young.what#me")
    assert (t.state.step, t.state.role, t.state.finer) == ("young.me", "victim", "young_person")


async def test_a_typed_injury_the_nlu_reads_as_urgent_opens_one_case_with_one_set_of_numbers() -> (
    None
):
    t = DialogueTester(services=Services(clock=FrozenClock(NOW), handoff_enabled=True))
    t.state.lang, t.state.lang_locked = "ru", True
    await t.press("menu.main#young")
    await t.press("young.start#unsure")
    await t.press("young.q_harm#yes")
    await t.text("да, идёт кровь", labels(urgent=True))
    cases = [e for e in t.effects() if isinstance(e, RequestHandoff)]
    assert len(cases) == 1 and cases[0].urgent
    assert cases[0].details["finer"] == "young_person"
    assert sum("📞 102 —" in r.text for r in t.replies()) == 1
    assert t.state.vars["child_danger"] == {"harm": "yes", "injury_now": "yes"}
    assert "уже знает" in t.texts()


def _directory(*extra: Entry) -> Directory:
    """The bundled directory with the given regional entries added."""
    return Directory((*default_directory().entries, *extra))


def _entry(id_: str, kind: str, phone: str, *, verified: bool = True) -> Entry:
    return Entry(
        id=id_,
        region="almaty_city",
        kind=kind,
        name_ru=f"Тест {id_}",
        name_kk="",
        phones=(phone,),
        verified=verified,
        shelter=False,
    )


async def _region_for(t: DialogueTester) -> str:
    """From the menu through "it happens to me" and the trusted adults to the contacts of
    Almaty, typed."""
    await t.press("menu.main#young")
    await t.press("young.start#not_now")
    await t.press("young.what#me")
    await t.press("young.me#adults")
    await t.press("young.adults#region")
    assert t.state.step == "contacts.region"
    await t.text("алматы", labels(lang=t.state.lang or "ru"))
    return t.texts()


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_a_young_person_sees_the_juvenile_police_of_their_region_first(lang: str) -> None:
    """Issue 17: the juvenile police for the young, shown only when staff verified it."""
    centre = _entry("test_centre", "crisis_centre", "+77270000001")
    juvenile = _entry("test_juvenile", "juvenile_police", "+77270000002")
    hidden = _entry("test_juvenile_unchecked", "juvenile_police", "+77270000003", verified=False)
    t = DialogueTester(services=Services(contacts=_directory(centre, juvenile, hidden)))
    t.state.lang, t.state.lang_locked = lang, True
    shown = await _region_for(t)
    assert shown.index("+77270000002") < shown.index("+77270000001")  # juvenile police first
    assert "+77270000003" not in shown  # never an unverified number
    assert "150" in shown and "111" in shown


async def test_without_a_verified_juvenile_police_number_a_young_person_is_told_102() -> None:
    t = DialogueTester()
    t.state.lang, t.state.lang_locked = "ru", True
    shown = await _region_for(t)
    assert "инспекторов по делам несовершеннолетних" in shown and "102" in shown
    assert "рядом с тобой" in shown and "рядом с вами" not in shown  # said to a child


async def test_an_adult_sees_the_region_in_file_order_without_the_young_note() -> None:
    centre = _entry("test_centre", "crisis_centre", "+77270000001")
    juvenile = _entry("test_juvenile", "juvenile_police", "+77270000002")
    directory = _directory(centre, juvenile)
    assert [e.id for e in directory.regional("almaty_city", young=True)][:2] == [
        "test_juvenile",
        "test_centre",
    ]
    assert [e.id for e in directory.regional("almaty_city")][-2:] == [
        "test_centre",
        "test_juvenile",
    ]
    t = DialogueTester(services=Services(contacts=directory))
    t.state.lang, t.state.lang_locked = "ru", True
    await t.press("contacts.start#region")
    await t.text("алматы", labels(lang="ru"))
    assert "несовершеннолетних" not in t.texts()


def unsure(lang: str, role: str = "victim") -> NluResult:
    """A disclosure whose writer's age nothing told, the encoder's head leaning young below
    its threshold (nlu/finer_head.py UNSURE)."""
    return replace(labels(role=role, lang=lang), young_unsure=True)


UNDER_18 = {"ru": "Мне меньше 18", "kk": "Маған 18 толмаған"}


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("role", ["victim", "witness"])
async def test_when_the_nlu_leans_young_the_first_screen_offers_under_18_in_one_tap(
    lang: str, role: str
) -> None:
    t = DialogueTester()
    t.state.lang, t.state.lang_locked = lang, True
    await t.text("дома опять это началось, я устал(а)", unsure(lang, role))
    assert t.state.step == f"{role}.start"
    assert UNDER_18[lang] in t.labels()
    await t.press_label(UNDER_18[lang])
    assert (t.state.step, t.state.finer) == ("young.start", "young_person")
    assert YOUNG_START[lang] in t.texts()


async def test_typing_the_under_18_label_opens_the_young_path() -> None:
    t = DialogueTester()
    t.state.lang, t.state.lang_locked = "ru", True
    await t.text("они опять кричат, не могу так", unsure("ru"))
    await t.text("мне меньше 18")
    assert t.state.step == "young.start"


async def test_an_adult_reading_or_an_adult_who_said_so_is_not_offered_it() -> None:
    # Nothing leans young: the first screen is as it always was.
    t = DialogueTester()
    t.state.lang, t.state.lang_locked = "ru", True
    await t.text("муж опять кричит", labels(role="victim"))
    assert t.state.step == "victim.start" and UNDER_18["ru"] not in t.labels()
    # A reading that leans young after «Мне уже есть 18» is set aside.
    await t.press("menu.main#young")
    await t.press("young.start#adult")
    await t.text("они опять кричат", unsure("ru"))
    assert t.state.step == "victim.start" and UNDER_18["ru"] not in t.labels()
    # A stated adult age read later wins over the lean.
    t2 = DialogueTester()
    t2.state.lang, t2.state.lang_locked = "ru", True
    await t2.text("они опять кричат", unsure("ru"))
    await t2.text("мне 35, муж кричит", replace(labels(role="victim"), age="adult"))
    assert t2.state.step == "victim.start" and UNDER_18["ru"] not in t2.labels()
