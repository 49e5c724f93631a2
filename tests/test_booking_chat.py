"""Booking in the chat: scripted `qamqor chat` runs in both languages (book, move, cancel),
and free text that names a day or asks to move a booking, through the real pipeline."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import App
from bot.settings import Settings
from core.clock import FrozenClock
from core.messages import Inbound, Reply
from dialogues.state import State
from tests.dialogue_tester import labels
from tests.test_console import chat

CONTROLS = ("🆘", "✖", "☰")


def test_book_move_and_cancel_in_russian(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/start",
            "Русский",
            "Записаться к психологу",
            "Для себя",
            "Русский",
            "Онлайн, по видеосвязи",
            "1",  # the first free day
            "1",  # its first free time
            "Айгерим",
            "✅ Записаться",
            "/bookings",
            "1",  # the booking
            "Перенести",
            "1",
            "1",
            "✅ Записаться",
            "/bookings",
            "1",
            "Отменить запись",
            "Да, отменить",
            "/bookings",
        ]
    )
    result = chat(tmp_path, script + "\n", "--new")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Для кого встреча?" in out and "Совместных встреч с тем, кто причиняет вам боль" in out
    assert "Как обращаться: Айгерим" in out
    assert "Вы записаны: " in out and "(время Астаны)" in out
    assert "Встреча онлайн." in out
    assert "Переносим запись с " in out and "Запись перенесена: " in out
    assert "Отменить запись на " in out and "Запись отменена." in out
    assert "У вас нет предстоящих записей." in out.rsplit("> /bookings", 1)[1]
    assert "Traceback" not in result.stderr


def test_book_move_and_cancel_in_kazakh(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/start",
            "Қазақша",
            "Психологқа жазылу",
            "Өзім үшін",
            "Қазақша",
            "Бетпе-бет, кеңседе",
            "1",
            "1",
            "Өткізіп жіберу",
            "✅ Жазылу",
            "/bookings",
            "1",
            "Ауыстыру",
            "1",
            "1",
            "✅ Жазылу",
            "/bookings",
            "1",
            "Жазылудан бас тарту",
            "Иә, бас тартамын",
            "/bookings",
        ]
    )
    result = chat(tmp_path, script + "\n", "--new")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Кездесу кім үшін?" in out
    assert "Сізді қалай атаймыз: көрсетілмеген" in out
    assert "Сіз жазылдыңыз: " in out and "(Астана уақыты)" in out
    assert "Кездесу бетпе-бет." in out
    assert "Жазылу ауыстырылды: " in out
    assert "Жазылудан бас тарттыңыз." in out
    assert "Сізде алдағы жазылу жоқ." in out.rsplit("> /bookings", 1)[1]
    assert "Вы записаны" not in out  # Kazakh all the way


# -- free text inside the flow, through the pipeline ------------------------------------------


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    # Wednesday 25 Nov 2026, 10:00 in Almaty.
    application = await App.create(
        settings, clock=FrozenClock(datetime(2026, 11, 25, 5, tzinfo=UTC))
    )
    yield application
    await application.close()


class Person:
    def __init__(self, app: App, ref: str = "someone") -> None:
        self.app, self.ref = app, ref
        self.replies: list[Reply] = []

    async def send(self, text: str) -> str:
        outcome = await self.app.conversations.handle(
            Inbound("console", self.ref, self.app.clock.now(), text=text)
        )
        self.replies = outcome.replies
        return "\n".join(r.text for r in outcome.replies)

    async def press(self, label: str) -> str:
        for reply in self.replies:
            for button in reply.flat_buttons:
                if button.label == label:
                    outcome = await self.app.conversations.handle(
                        Inbound("console", self.ref, self.app.clock.now(), payload=button.payload)
                    )
                    self.replies = outcome.replies
                    return "\n".join(r.text for r in outcome.replies)
        raise AssertionError(f"no button {label!r} in {self.labels()}")

    def labels(self) -> list[str]:
        return [
            b.label
            for r in self.replies
            for b in r.flat_buttons
            if not b.label.startswith(CONTROLS)
        ]


async def test_a_day_named_in_free_text_preselects_it(app: App) -> None:
    p = Person(app)
    await p.send("/start")
    await p.press("Русский")
    await p.press("Записаться к психологу")
    said = await p.send("а можно в субботу?")
    assert "день выбран: суббота, 28 ноября" in said
    await p.press("Хочу перестать причинять боль")
    await p.press("Русский")
    said = await p.press("Онлайн, по видеосвязи")
    assert "суббота, 28 ноября. Выберите время" in said  # straight to Saturday's times
    assert p.labels()[:2] == ["10:00", "11:15"]


async def test_a_kazakh_day_word_at_the_day_step(app: App) -> None:
    p = Person(app, "kk-person")
    await p.send("/start")
    await p.press("Қазақша")
    await p.press("Психологқа жазылу")
    await p.press("Өзім үшін")
    await p.press("Қазақша")
    await p.press("Онлайн, бейнебайланыс арқылы")
    said = await p.send("дүйсенбіге болады ма")
    assert "30 қараша, дүйсенбі. Уақытты таңдаңыз" in said


async def test_book_intent_routes_here_and_move_words_reach_the_booking(app: App) -> None:
    p = Person(app, "mover")
    await p.send("/start")
    await p.press("Русский")
    await p.press("Записаться к психологу")
    await p.press("Для себя")
    await p.press("Русский")
    await p.press("Очно, в офисе")
    await p.press("пятница, 27 ноября")
    await p.press("10:00")
    await p.press("Пропустить")
    assert "Вы записаны: пятница, 27 ноября, 10:00" in await p.press("✅ Записаться")
    # Free text "перенести на понедельник" with intent `book` (NLU) routes to booking.start,
    # which finds the one booking and moves it to Monday.
    conv = app.conversations
    person_id = (await conv.people.identify("console", "mover", None, app.clock.now())).id
    state_data = await conv.states.load(person_id)
    turn = await conv.engine.handle(
        State.from_dict(state_data),
        Inbound("console", "mover", app.clock.now(), text="перенести на понедельник"),
        labels("book"),
        conv.services,
        person_id,
    )
    text = "\n".join(r.text for r in turn.replies)
    assert turn.step == "booking.slot"
    assert "Переносим запись с пятница, 27 ноября, 10:00" in text
    assert "понедельник, 30 ноября. Выберите время" in text


async def test_a_long_story_is_not_taken_as_a_name(app: App) -> None:
    p = Person(app, "story")
    await p.send("/start")
    await p.press("Русский")
    await p.press("Записаться к психологу")
    await p.press("Для себя")
    await p.press("Русский")
    await p.press("Очно, в офисе")
    await p.press(p.labels()[0])
    await p.press(p.labels()[0])
    said = await p.send("у меня сложная ситуация дома и я долго думала прежде чем написать сюда")
    assert "Хватит короткого имени" in said


@pytest.mark.parametrize("forged", ["2599", "²³⁴⁵", "9999", "12:0"])
async def test_a_forged_time_button_is_refused_calmly(app: App, forged: str) -> None:
    p = Person(app, f"forger-{forged}")
    await p.send("/start")
    await p.press("Русский")
    await p.press("Записаться к психологу")
    await p.press("Для себя")
    await p.press("Русский")
    await p.press("Онлайн, по видеосвязи")
    day = next(b for r in p.replies for b in r.flat_buttons if "=" in b.payload)
    await p.press(day.label)
    step = next(b.payload for r in p.replies for b in r.flat_buttons if "=" in b.payload)
    outcome = await app.conversations.handle(
        Inbound("console", p.ref, app.clock.now(), payload=step.split("=")[0] + "=" + forged)
    )
    assert "кнопка" in " ".join(r.text for r in outcome.replies).lower()


@pytest.mark.parametrize(
    ("lang", "start", "kind", "day", "promise"),
    [
        (
            "ru",
            "Русский",
            ("Записаться к психологу", "Для себя", "Русский", "Очно, в офисе"),
            "пятница, 27 ноября",
            "за 24 ч и за 2 ч до начала",
        ),
        (
            "kk",
            "Қазақша",
            ("Психологқа жазылу", "Өзім үшін", "Қазақша", "Бетпе-бет, кеңседе"),
            "27 қараша, жұма",
            "24 сағат және 2 сағат бұрын",
        ),
    ],
)
async def test_the_reminders_promised_are_the_reminders_made(
    app: App,
    lang: str,
    start: str,
    kind: tuple[str, ...],
    day: str,
    promise: str,
) -> None:
    """Issue 20: «Накануне я пришлю напоминание» was said while two were made (24 h and 2 h
    before). The text now says what the booking's reminder rows are."""
    from sqlalchemy import select

    from booking.models import Booking, Reminder

    p = Person(app, f"reminded-{lang}")
    await p.send("/start")
    await p.press(start)
    for label in kind:
        await p.press(label)
    await p.press(day)
    await p.press(p.labels()[0])  # the first time
    await p.press(p.labels()[0])  # no name
    said = await p.press(p.labels()[0])  # book
    assert promise in said and "Накануне" not in said, said
    async with app.db.session() as s:
        booking = (await s.scalars(select(Booking))).one()
        hours = sorted((await s.scalars(select(Reminder.hours_before))).all(), reverse=True)
    assert booking.status == "booked" and hours == [24, 2]
