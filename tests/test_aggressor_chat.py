"""The aggressor path's first contact (issue 16) down to what is stored: the urgent case a "yes"
to a weapon opens, the referral and the notes for the specialist on the booking, the referral
on the anonymous registry row; the self-check shared with his consent (before or after he
booked) and whether he wants attendance confirmed, typed and pressed, in both languages; and
the codes-only guards of all of them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from booking.bookings import BookingError, Bookings, BookingView, Intake, Request
from booking.models import Booking
from booking.schedule import ScheduleStore
from bot.app import App
from bot.settings import Settings
from core.clock import FrozenClock
from core.messages import Inbound, Reply, RequestHandoff
from dialogues.services import Services
from registry.models import Contact
from registry.service import Registry
from storage.crypto import Vault
from storage.db import Database
from tests.conftest import TEST_KEY
from tests.dialogue_tester import DialogueTester, first_button, labels
from tests.test_booking import SCHEDULE, START, TUESDAY, people
from tests.test_programme_assessment import a_sheet

# Wednesday 25 Nov 2026, 06:00 in Almaty: the bundled schedule has free slots ahead.
NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def at(step: str, lang: str) -> DialogueTester:
    t = DialogueTester(services=Services(clock=FrozenClock(NOW), handoff_enabled=True))
    t.state.lang, t.state.lang_locked, t.state.step = lang, True, step
    t.state.vars["aggressor_risk"] = {"now": "no"}
    return t


@pytest.mark.parametrize(("lang", "yes"), [("ru", "да"), ("kk", "иә"), ("ru", "Да!")])
async def test_a_typed_yes_to_a_weapon_opens_an_urgent_case_with_the_numbers_first(
    lang: str, yes: str
) -> None:
    t = at("aggressor.risk_weapon", lang)
    await t.text(yes, labels(role="aggressor", lang=lang))
    first = t.replies()[0]
    assert "102" in first.text and "112" in first.text and first.urgent
    cases = [e for e in t.effects() if isinstance(e, RequestHandoff)]
    assert len(cases) == 1 and cases[0].urgent
    assert cases[0].details["role"] == "aggressor"
    assert cases[0].details["aggressor_risk"] == {"now": "no", "weapon": "yes"}
    assert cases[0].details["aggressor_notes"] == ["urgent"]
    # Back to the conversation: the next risk question, not out of them.
    await t.press("!resume")
    assert t.state.step == "aggressor.risk_harm"


async def test_an_answer_the_nlu_reads_as_urgent_gives_one_urgent_reply_not_two() -> None:
    t = at("aggressor.risk_weapon", "ru")
    await t.text("да, есть ружьё", labels(role="aggressor", urgent=True))
    cases = [e for e in t.effects() if isinstance(e, RequestHandoff)]
    assert len(cases) == 1
    assert sum("📞 102" in r.text for r in t.replies()) == 1
    assert t.state.resume == "aggressor.risk_harm"


@pytest.mark.parametrize("question", ["now", "harm", "self"])
async def test_every_imminent_yes_goes_to_the_urgent_path(question: str) -> None:
    t = at(f"aggressor.risk_{question}", "ru")
    await t.press(f"aggressor.risk_{question}#yes")
    assert t.state.step == "safety.urgent"
    assert any(isinstance(e, RequestHandoff) and e.urgent for e in t.effects())


async def test_drinking_never_ends_the_path_and_is_noted() -> None:
    t = at("aggressor.programme", "ru")
    await t.text("да")
    assert t.state.step == "aggressor.substances"
    assert "не подойдёт" not in t.texts()
    await t.text("да")
    assert t.state.step == "aggressor.addiction"
    assert "нарколог" in t.texts()
    await t.press("aggressor.addiction#next")
    assert t.state.step == "aggressor.referral"
    assert t.state.vars["programme"]["notes"] == ["substances", "substances_chaotic"]


@pytest.mark.parametrize(("lang", "yes"), [("ru", "да"), ("kk", "иә")])
async def test_one_yes_about_drinking_never_closes_the_programme(lang: str, yes: str) -> None:
    """Issue 20: one «да» about drinking must not tell him the programme won't suit him. It is
    noted for the specialist; the path goes on to who referred him and to booking."""
    t = at("aggressor.programme", lang)
    said = []
    await t.text(yes)  # drinking is part of it
    said.append(t.texts())
    await t.text(yes)  # and hard to stop
    said.append(t.texts())
    await t.press("aggressor.addiction#next")
    said.append(t.texts())
    assert t.state.step == "aggressor.referral"
    await t.press("aggressor.referral#self")
    said.append(t.texts())
    assert t.state.step == "aggressor.book"
    assert any(b.payload == "aggressor.book#book" for r in t.replies() for b in r.flat_buttons)
    text = " ".join(said).casefold()
    for closing in ("не подойд", "не подходит", "не для вас", "сәйкес келмей", "жарамайды"):
        assert closing not in text, closing
    assert t.state.vars["programme"]["notes"] == ["substances", "substances_chaotic"]


# -- the whole path through the app, down to the database -----------------------------------


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    application = await App.create(settings, clock=FrozenClock(NOW))
    yield application
    await application.close()


@pytest.mark.parametrize(
    ("lang", "opening", "typed"),
    [
        (
            "ru",
            "я ударил жену",
            ["нет", "нет", "нет", "нет", "нет", "Программа для тех, кто хочет измениться"],
        ),
        (
            "kk",
            "әйелімді ұрып алдым",
            ["жоқ", "жоқ", "жоқ", "жоқ", "жоқ", "Өзгергісі келетіндерге арналған бағдарлама"],
        ),
    ],
)
async def test_from_i_hit_my_wife_through_risk_questions_to_a_booking_and_an_enrolment(
    app: App, lang: str, opening: str, typed: list[str]
) -> None:
    async def say(text: str) -> list[Reply]:
        outcome = await app.conversations.handle(Inbound("console", "him", NOW, text=text))
        return outcome.replies

    await say("/lang")
    await say("Русский" if lang == "ru" else "Қазақша")
    await say(opening)
    for text in typed:
        await say(text)
    await say("да" if lang == "ru" else "иә")  # drinking is part of it
    replies = await say("нет" if lang == "ru" else "жоқ")  # not chaotic
    assert any("150" in b.label for r in replies for b in r.flat_buttons)  # who referred him
    replies = await say("Телефон доверия 150" if lang == "ru" else "150 сенім телефоны")
    replies = await say(first_button(replies))  # 📅 book: booking asks the language
    replies = await say(first_button(replies))  # the language
    # The programme's pair meets online in the seeded schedule (docs/aggressor-programme.md).
    replies = await say("Онлайн, по видеосвязи" if lang == "ru" else "Онлайн, бейнебайланыс арқылы")
    for _ in range(4):  # day, time, no name, confirm: the first offered
        replies = await say(first_button(replies))
    assert any("записаны" in r.text or "жазылдыңыз" in r.text for r in replies), replies
    service = app.conversations.services.booking
    assert service is not None
    person = await app.conversations.handle(Inbound("console", "him", NOW, text="/bookings"))
    assert person.person_id is not None
    (made,) = await service.upcoming(person.person_id)
    assert (made.kind, made.referral) == ("stop", "line150")
    assert made.intake == ("substances",)
    registry = app.conversations.services.registry
    assert registry is not None and made.contact_id is not None
    contact = await registry.get(made.contact_id)
    assert isinstance(contact, Contact) and contact.referral == "line150" and contact.booked
    # At that session the pair assesses him (programme) and enrols him: the course's first
    # session is his next booking, in pairs of the programme's stream, at the rhythm.
    await service.assessments.save(made.id, a_sheet(), "prog", NOW)
    course_id = await service.courses.enrol(made, "prog")
    course = await service.courses.get(course_id)
    assert course is not None and course.status == "active" and course.upcoming is not None
    first = course.upcoming
    assert first.kind == "stop" and first.course_id == course_id and len(first.specialists) == 2
    assert first.starts_at - made.starts_at == timedelta(days=course.every_days)
    upcoming = await service.upcoming(person.person_id)
    assert [b.id for b in upcoming] == [made.id, first.id]


# -- the columns, on SQLite and PostgreSQL --------------------------------------------------


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    await database.upgrade()
    yield database
    await database.dispose()


async def test_the_booking_keeps_the_referral_and_the_encrypted_notes(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "schedule.yaml"
    path.write_text(SCHEDULE, encoding="utf-8")
    store = ScheduleStore(db)
    await store.seed(path)
    service = Bookings(db, Vault([TEST_KEY]), FrozenClock(START), store)
    (person,) = await people(db, 1)
    req = Request("stop", "ru", "office")
    slot = (await service.free_slots(req, TUESDAY))[0]
    made = await service.book(
        person, req, slot.starts_at, intake=Intake("police", ("substances", "empty_home"))
    )
    again = await service.get(made.id)
    assert again is not None
    assert (again.referral, again.intake) == ("police", ("substances", "empty_home"))
    async with db.session() as s:
        row = await s.get(Booking, made.id)
    assert row is not None and row.intake_enc and "substances" not in row.intake_enc
    with pytest.raises(BookingError):
        Intake("the police told me to")
    with pytest.raises(BookingError):
        Intake(None, ("he drinks a lot",))


async def test_the_registry_takes_a_referral_code_and_nothing_else(
    db: Database, clock: FrozenClock
) -> None:
    reg = Registry(db)
    cid = await reg.observe(None, channel="console", lang="kk", nlu=None, now=clock.now())
    await reg.update(cid, referral="court")
    row = await reg.get(cid)
    assert row is not None and row.referral == "court"
    with pytest.raises(ValueError):
        await reg.update(cid, referral="Иванов, участковый")


async def test_a_joint_session_is_not_offered_to_someone_on_the_aggressor_path() -> None:
    """No couples work while there is abuse: "Для семьи" pressed on the aggressor path gets
    why not, and the programme's session instead (booking/bookings.py refuses it too)."""
    t = at("booking.start", "ru")
    t.state.role = "aggressor"
    await t.press("booking.start=family")
    assert t.state.step == "booking.family_not_now"
    assert "пока в отношениях есть насилие" in t.texts()
    await t.press("booking.family_not_now#stop")
    assert t.state.step == "booking.lang" and t.state.vars["bk"]["kind"] == "stop"
    # Issue 20: nor to anyone whose path speaks of violence; an old button gets why not.
    other = at("booking.start", "ru")
    other.state.role = "victim"
    await other.press("booking.start=family")
    assert other.state.step == "booking.family_not_offered"
    assert "kind" not in other.state.vars.get("bk", {})
    await other.press("booking.family_not_offered#self")
    assert other.state.step == "booking.lang" and other.state.vars["bk"]["kind"] == "self"


async def _book_screen(app: App, who: str, path: list[str]) -> list[Reply]:
    async def say(text: str) -> list[Reply]:
        return (await app.conversations.handle(Inbound("console", who, NOW, text=text))).replies

    await say("/lang")
    await say("Русский")
    for text in path:
        await say(text)
    await say("/menu")
    return await say("Записаться к психологу")


@pytest.mark.parametrize(
    "path",
    [
        ["Мне нужна помощь"],
        ["Помощь нужна близкому"],
        ["Хочу перестать причинять боль"],
        ["Мне меньше 18"],
        ["помогите, он ломает дверь"],
    ],
)
async def test_the_family_session_is_not_offered_where_there_is_violence(
    app: App, path: list[str]
) -> None:
    """Issue 20: "Для семьи" was offered to everyone. Now only to someone whose conversation
    says nothing of violence; the others see no such button and no word of it."""
    replies = await _book_screen(app, "someone", path)
    shown = [b.label for r in replies for b in r.flat_buttons]
    text = " ".join(r.text for r in replies)
    assert "Для себя" in shown and "Мои записи" in shown, (text, shown)
    assert "Для семьи" not in shown and "для семьи" not in text


async def test_the_family_session_is_offered_to_someone_who_told_of_no_violence(app: App) -> None:
    replies = await _book_screen(app, "someone", [])
    shown = [b.label for r in replies for b in r.flat_buttons]
    assert shown[:4] == ["Для себя", "Хочу перестать причинять боль", "Для семьи", "Мои записи"]


# -- the self-check shared with his consent, attendance confirmation (issue 16) -------------

# What he types, or the label he presses, per language.
WORDS = {
    "ru": {
        "yes": "да",
        "no": "нет",
        "lang": "Русский",
        "opening": "я ударил жену",
        "programme": "Программа для тех, кто хочет измениться",
        "check": "Проверить себя",
        "self": "Моё решение",
        "police": "Инспектор полиции",
        "court": "Суд",
        "online": "Онлайн, по видеосвязи",
    },
    "kk": {
        "yes": "иә",
        "no": "жоқ",
        "lang": "Қазақша",
        "opening": "әйелімді ұрып алдым",
        "programme": "Өзгергісі келетіндерге арналған бағдарлама",
        # The model reads "Өзімді тексеру" alone as urgent (0.67): typed as the label on
        # screen, it is that button (dialogues/engine.py, precedence 3).
        "check": "Өзімді тексеру",
        "self": "Өз шешімім",
        "police": "Полиция инспекторы",
        "court": "Сот",
        "online": "Онлайн, бейнебайланыс арқылы",
    },
}
# physical yes, threats no, control yes, sex no, fear no
CHECK_ANSWERS = ("yes", "no", "yes", "no", "no")


class Him:
    """One man in the app, typing or pressing (a button's payload)."""

    def __init__(self, app: App, lang: str) -> None:
        self.app, self.w = app, WORDS[lang]
        self.person_id: int | None = None

    async def _handle(self, inbound: Inbound) -> list[Reply]:
        outcome = await self.app.conversations.handle(inbound)
        self.person_id = outcome.person_id or self.person_id
        return outcome.replies

    async def say(self, text: str) -> list[Reply]:
        return await self._handle(Inbound("console", "him", NOW, text=text))

    async def press(self, payload: str) -> list[Reply]:
        return await self._handle(Inbound("console", "him", NOW, payload=payload))

    async def answer(self, step: str, answer: str, pressed: bool) -> list[Reply]:
        return await (self.press(f"{step}#{answer}") if pressed else self.say(self.w[answer]))

    async def to_the_menu(self) -> None:
        await self.say("/lang")
        await self.say(self.w["lang"])
        await self.say(self.w["opening"])
        for _ in range(5):  # no to every risk question
            await self.say(self.w["no"])

    async def self_check(self, share: str, pressed: bool, *, on_menu: bool = True) -> list[Reply]:
        """Take the self-check: the menu's button typed when it is on screen (`on_menu`), else
        pressed (its payload still works from elsewhere)."""
        typed = on_menu and not pressed
        replies = await (self.say(self.w["check"]) if typed else self.press("aggressor.menu#check"))
        assert not any(r.urgent for r in replies), [r.text for r in replies]
        for answer in CHECK_ANSWERS:
            await self.say(self.w[answer])
        return await self.answer("aggressor.check_share", share, pressed)

    async def book(self, referral: str, confirm: str | None = None, pressed: bool = False) -> None:
        await self.say(self.w["programme"])
        await self.say(self.w["no"])  # no drinking
        replies = await self.say(self.w[referral])
        if confirm is None:
            replies = await self.say(first_button(replies))  # 📅 book
        else:  # either answer goes straight on to booking
            replies = await self.answer("aggressor.confirmation", confirm, pressed)
        replies = await self.say(first_button(replies))  # the language
        replies = await self.say(self.w["online"])
        for _ in range(4):  # day, time, no name, confirm: the first offered
            replies = await self.say(first_button(replies))
        assert any("записаны" in r.text or "жазылдыңыз" in r.text for r in replies), replies

    async def booking(self) -> BookingView:
        service = self.app.conversations.services.booking
        assert service is not None and self.person_id is not None
        (made,) = await service.upcoming(self.person_id)
        assert made.kind == "stop"
        return made


CASES = [("ru", False), ("ru", True), ("kk", False), ("kk", True)]


@pytest.mark.parametrize(("lang", "pressed"), CASES)
async def test_a_self_check_shared_with_his_consent_goes_on_the_booking(
    app: App, lang: str, pressed: bool
) -> None:
    him = Him(app, lang)
    await him.to_the_menu()
    replies = await him.self_check("yes", pressed)
    assert any(b.label == him.w["programme"] for r in replies for b in r.flat_buttons)
    await him.book("self")
    made = await him.booking()
    assert made.intake == ("check_shared", "check_physical", "check_control")


@pytest.mark.parametrize(("lang", "pressed"), CASES)
async def test_a_declined_self_check_keeps_nothing_and_changes_nothing(
    app: App, lang: str, pressed: bool
) -> None:
    him = Him(app, lang)
    await him.to_the_menu()
    replies = await him.self_check("no", pressed)
    assert any(b.label == him.w["programme"] for r in replies for b in r.flat_buttons)
    await him.book("self")
    made = await him.booking()
    assert made.intake == () and made.referral == "self"


@pytest.mark.parametrize(("lang", "pressed"), [("ru", True), ("kk", False)])
async def test_a_self_check_after_booking_reaches_the_booking_he_has_and_no_takes_it_back(
    app: App, lang: str, pressed: bool
) -> None:
    him = Him(app, lang)
    await him.to_the_menu()
    await him.book("self")
    assert (await him.booking()).intake == ()
    await him.say(him.w["opening"])  # back on the path: the risk questions, then the menu
    for _ in range(5):
        await him.say(him.w["no"])
    await him.self_check("yes", pressed)
    made = await him.booking()
    assert made.intake == ("check_shared", "check_physical", "check_control")
    # He does it again and says no: nothing of the self-check stays on the booking.
    await him.self_check("no", pressed, on_menu=False)
    assert (await him.booking()).intake == ()


@pytest.mark.parametrize(
    ("lang", "referral", "confirm", "pressed", "code"),
    [
        ("ru", "police", "yes", False, "confirm_wanted"),
        ("kk", "police", "yes", True, "confirm_wanted"),
        ("ru", "court", "no", True, "confirm_declined"),
        ("kk", "court", "no", False, "confirm_declined"),
    ],
)
async def test_a_man_sent_by_police_or_a_court_says_whether_he_wants_attendance_confirmed(
    app: App, lang: str, referral: str, confirm: str, pressed: bool, code: str
) -> None:
    him = Him(app, lang)
    await him.to_the_menu()
    await him.book(referral, confirm, pressed)
    made = await him.booking()
    assert (made.referral, made.intake) == (referral, (code,))


async def test_the_share_question_must_be_answered_and_a_redone_check_replaces_the_last() -> None:
    t = at("aggressor.check_share", "ru")
    t.state.vars["self_check"] = ["physical", "fear"]
    await t.text("а зачем?")
    assert t.state.step == "aggressor.check_share" and "«да» или «нет»" in t.texts()
    await t.text("да")
    assert t.state.step == "aggressor.check_next"
    assert t.state.vars["programme"]["notes"] == ["check_shared", "check_physical", "check_fear"]
    assert "self_check" not in t.state.vars
    await t.press("aggressor.check_share#yes")  # a second press changes nothing
    assert t.state.vars["programme"]["notes"] == ["check_shared", "check_physical", "check_fear"]
    t.state.step, t.state.vars["self_check"] = "aggressor.check_share", ["sex"]
    await t.press("aggressor.check_share#yes")
    assert t.state.vars["programme"]["notes"] == ["check_shared", "check_sex"]
    t.state.step, t.state.vars["self_check"] = "aggressor.check_share", []
    await t.text("не знаю")
    assert t.state.vars["programme"]["notes"] == [] and "self_check" not in t.state.vars


async def test_a_consultants_case_never_carries_the_shared_self_check() -> None:
    t = at("aggressor.menu", "ru")
    t.state.vars["programme"] = {"notes": ["substances", "check_shared", "check_physical"]}
    await t.press("!urgent")
    cases = [e for e in t.effects() if isinstance(e, RequestHandoff)]
    assert len(cases) == 1 and cases[0].details["aggressor_notes"] == ["substances"]


async def test_add_intake_merges_codes_into_the_next_programme_session_only(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "schedule.yaml"
    path.write_text(SCHEDULE, encoding="utf-8")
    store = ScheduleStore(db)
    await store.seed(path)
    service = Bookings(db, Vault([TEST_KEY]), FrozenClock(START), store)
    him, other = await people(db, 2)
    assert await service.add_intake(him, ("check_shared",)) is None  # nothing booked yet
    req = Request("stop", "ru", "office")
    slot = (await service.free_slots(req, TUESDAY))[0]
    made = await service.book(him, req, slot.starts_at, intake=Intake(None, ("substances",)))
    added = await service.add_intake(him, ("check_shared", "check_fear"))
    assert added is not None and added.id == made.id
    again = await service.get(made.id)
    assert again is not None and again.intake == ("substances", "check_shared", "check_fear")
    swapped = await service.add_intake(him, ("check_shared",), replacing=("check_fear",))
    assert swapped is not None and swapped.intake == ("substances", "check_shared")
    async with db.session() as s:
        row = await s.get(Booking, made.id)
    assert row is not None and row.intake_enc and "check" not in row.intake_enc
    with pytest.raises(BookingError):
        await service.add_intake(him, ("he said he is sorry",))
    assert await service.add_intake(other, ("check_shared",)) is None
