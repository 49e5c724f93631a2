"""Booking: slots from the schedule, no double booking under a race, reminders at the right
Almaty time exactly once, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from booking.bookings import Bookings, Request, SlotTaken, TooMany
from booking.dates import parse_day, wish
from booking.models import Booking, Reminder, SlotClaim
from booking.reminders import ReminderSweep
from booking.schedule import ScheduleError, ScheduleStore, parse_window
from bot.app import App
from bot.booking_setup import JOB
from bot.settings import Settings
from core.clock import ALMATY, FrozenClock
from core.messages import Inbound, Reply
from core.notify import Purpose
from storage.crypto import Vault
from storage.db import Database
from storage.people import People
from tests.conftest import TEST_KEY

# Thursday 26 Nov 2026, 01:00 in Almaty.
START = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
SCHEDULE = """
settings:
  session_minutes: 60
  break_minutes: 15
  horizon_days: 14
  min_notice_minutes: 120
  max_active_per_person: 2
  pair_kinds: [family]
  office_address: {ru: "ул. Примерная, 1", kk: "Мысал көшесі, 1"}
  online_policy: {ru: "Ссылку пришлём в чат.", kk: "Сілтемені чатқа жібереміз."}
specialists:
  - {name: "Психолог А.", role: psychologist, langs: [ru, kk], kinds: [self, family],
     modes: [office, online], hours: {fri: ["10:00-12:30"]}}
  - {name: "Психотерапевт Б.", role: psychotherapist, langs: [ru], kinds: [self, family],
     modes: [office], hours: {fri: ["10:00-11:00"]}}
  - {name: "Психолог В.", role: psychologist, langs: [kk, ru], kinds: [stop, family],
     modes: [office, online], hours: {tue: ["15:00-20:00"], fri: ["10:00-11:00"]}}
exceptions:
  - {first: 2026-12-04, last: 2026-12-04, note: "выходной"}
"""
FRIDAY = date(2026, 11, 27)
TUESDAY = date(2026, 12, 1)


def local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=ALMATY).astimezone(UTC)


@pytest.fixture
async def env(db_url: str, tmp_path: Path) -> AsyncIterator[tuple[Database, Bookings, FrozenClock]]:
    clock = FrozenClock(START)
    db = Database(db_url)
    await db.upgrade()
    path = tmp_path / "schedule.yaml"
    path.write_text(SCHEDULE, encoding="utf-8")
    store = ScheduleStore(db)
    assert await store.seed(path)
    assert not await store.seed(path)  # once only
    yield db, Bookings(db, Vault([TEST_KEY]), clock, store), clock
    await db.dispose()


async def people(db: Database, n: int) -> list[int]:
    registry = People(db, Vault([TEST_KEY]))
    return [(await registry.identify("console", f"u{i}", f"u{i}", START)).id for i in range(n)]


# -- the schedule and slots ---------------------------------------------------------------


async def test_slots_follow_hours_breaks_languages_and_days_off(env) -> None:  # type: ignore[no-untyped-def]
    _, service, _ = env
    self_ru = Request("self", "ru", "office")
    slots = await service.free_slots(self_ru, FRIDAY)
    # A: 10:00, 11:15 (12:30 would end after the window); B: 10:00 — one slot per start.
    assert [s.local.strftime("%H:%M") for s in slots] == ["10:00", "11:15"]
    assert slots[0].starts_at == datetime(2026, 11, 27, 5, 0, tzinfo=UTC)  # UTC+5
    kk_online = await service.free_slots(Request("self", "kk", "online"), FRIDAY)
    assert [s.specialists for s in kk_online] == [(1,), (1,)]  # only A speaks kk online
    assert await service.free_slots(self_ru, FRIDAY + timedelta(days=7)) == []  # day off
    days = await service.free_days(Request("stop", "kk", "office"))
    assert days[0] == FRIDAY and TUESDAY in days and all(d.weekday() in (1, 4) for d in days)
    assert FRIDAY + timedelta(days=7) not in days
    assert len(days) == 3  # two weeks of Tuesdays and Fridays, minus the day off


async def test_a_pair_needs_two_specialists_and_prefers_two_roles(env) -> None:  # type: ignore[no-untyped-def]
    _, service, _ = env
    slots = await service.free_slots(Request("family", "ru", "office"), FRIDAY)
    assert [s.local.strftime("%H:%M") for s in slots] == ["10:00"]  # 11:15 has only A
    assert slots[0].specialists == (1, 2)  # a psychologist with the psychotherapist


async def test_min_notice_and_horizon(env) -> None:  # type: ignore[no-untyped-def]
    _, service, clock = env
    clock.set(local(FRIDAY, 9, 30))  # 10:00 is too soon (2 h notice), 11:15 too
    assert await service.free_slots(Request("self", "ru", "office"), FRIDAY) == []
    assert (
        await service.free_slots(Request("self", "ru", "office"), FRIDAY + timedelta(days=21)) == []
    )


def test_windows_are_validated() -> None:
    assert parse_window("9:00-13:30") == (540, 810)
    for bad in ("13:00-09:00", "25:00-26:00", "ten to one", ""):
        with pytest.raises(ScheduleError):
            parse_window(bad)


def test_day_words_in_russian_kazakh_and_translit() -> None:
    today = date(2026, 11, 25)  # a Wednesday
    cases = {
        "можно в субботу?": date(2026, 11, 28),
        "сенбіде болады ма": date(2026, 11, 28),
        "перенести на понедельник": date(2026, 11, 30),
        "perenesti na ponedelnik": date(2026, 11, 30),
        "дүйсенбіге ауыстырыңызшы": date(2026, 11, 30),
        "завтра": date(2026, 11, 26),
        "ертең": date(2026, 11, 26),
        "послезавтра": date(2026, 11, 27),
        "28 ноября": date(2026, 11, 28),
        "қарашаның 28-і": date(2026, 11, 28),
        "3.12": date(2026, 12, 3),
        "в среду": date(2026, 11, 25),
        "5 января": date(2027, 1, 5),
    }
    for text, expected in cases.items():
        assert parse_day(text, today) == expected, text
    for text in ("жазылғым келеді", "хочу записаться", "средство", "на завтрак", "31.02"):
        assert parse_day(text, today) is None, text
    assert wish("перенести на понедельник") == "move"
    assert wish("отменить запись") == "cancel"
    assert wish("жазылғым келеді") is None


# -- booking and the race -------------------------------------------------------------------


async def test_many_people_race_for_the_last_slot_one_wins(env) -> None:  # type: ignore[no-untyped-def]
    db, service, _ = env
    req = Request("self", "kk", "online")  # one specialist: A at 10:00 and 11:15
    racers = await people(db, 24)
    ten = local(FRIDAY, 10)

    async def try_book(person: int) -> object:
        try:
            return await service.book(person, req, ten)
        except SlotTaken as taken:
            return taken

    results = await asyncio.gather(*(try_book(p) for p in racers))
    won = [r for r in results if not isinstance(r, SlotTaken)]
    lost = [r for r in results if isinstance(r, SlotTaken)]
    assert len(won) == 1 and len(lost) == 23
    assert all(
        r.alternatives and r.alternatives[0].starts_at == local(FRIDAY, 11, 15) for r in lost
    )
    async with db.session() as s:
        claims = (await s.execute(select(SlotClaim.specialist_id, SlotClaim.starts_at))).all()
        bookings = await s.scalar(select(func.count()).select_from(Booking))
    assert claims == [(1, ten)] and bookings == 1


async def test_racing_for_a_pair_slot_never_shares_a_specialist(env) -> None:  # type: ignore[no-untyped-def]
    db, service, _ = env
    req = Request("family", "ru", "office")
    racers = await people(db, 12)
    ten = local(FRIDAY, 10)
    results = await asyncio.gather(
        *(service.book(p, req, ten) for p in racers), return_exceptions=True
    )
    assert sum(not isinstance(r, BaseException) for r in results) == 1
    assert all(isinstance(r, SlotTaken) for r in results if isinstance(r, BaseException))
    async with db.session() as s:
        claims = (await s.execute(select(SlotClaim.specialist_id))).scalars().all()
    assert sorted(claims) == [1, 2]  # one pair, each specialist once
    # A single-specialist session still fits with the third, free specialist (В, kk/ru).
    other = await service.book(racers[0], Request("stop", "ru", "office"), ten)
    assert other.specialists == (3,)


async def test_cancel_frees_the_slot_and_move_is_one_transaction(env) -> None:  # type: ignore[no-untyped-def]
    db, service, _ = env
    person, other = await people(db, 2)
    req = Request("self", "kk", "online")
    first = await service.book(person, req, local(FRIDAY, 10), pseudonym="  Айгерим  ")
    assert first.pseudonym == "Айгерим"
    async with db.session() as s:
        stored = await s.scalar(select(Booking.pseudonym_enc))
    assert stored and "Айгерим" not in stored  # encrypted at rest
    moved = await service.book(person, req, local(FRIDAY, 11, 15), replacing=first.id)
    assert moved.pseudonym == "Айгерим"
    old = await service.get(first.id)
    assert old is not None and old.status == "cancelled" and old.cancelled_by == "moved"
    # The old time is free again: someone else can take it.
    taken = await service.book(other, req, local(FRIDAY, 10))
    assert await service.cancel(moved.id, by="person", person_id=other) is None  # not theirs
    assert (await service.cancel(moved.id, by="person", person_id=person)) is not None
    assert await service.cancel(moved.id, by="person") is None  # already cancelled
    assert [b.id for b in await service.upcoming(other)] == [taken.id]


async def test_one_person_cannot_take_every_slot(env) -> None:  # type: ignore[no-untyped-def]
    db, service, _ = env
    (person,) = await people(db, 1)
    req = Request("stop", "ru", "office")
    await service.book(person, req, local(TUESDAY, 15))
    await service.book(person, req, local(TUESDAY, 16, 15))
    with pytest.raises(TooMany):
        await service.book(person, req, local(TUESDAY, 17, 30))
    assert len(await service.free_slots(req, TUESDAY)) == 2  # 17:30 and 18:45 stay free


async def test_forgetting_a_person_erases_their_bookings(env) -> None:  # type: ignore[no-untyped-def]
    db, service, _ = env
    (person,) = await people(db, 1)
    await service.book(person, Request("stop", "ru", "office"), local(TUESDAY, 15))
    await People(db, Vault([TEST_KEY])).forget(person)
    async with db.session() as s:
        for table in (Booking, SlotClaim, Reminder):
            assert await s.scalar(select(func.count()).select_from(table)) == 0


# -- reminders --------------------------------------------------------------------------------


class Outbox:
    """Stands in for a channel's sender (what the person's phone would receive)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    async def __call__(self, address: str, replies: Sequence[Reply], purpose: Purpose) -> list[str]:
        self.sent.extend((address, r.text, purpose) for r in replies)
        return [str(len(self.sent))]


async def test_a_reminder_fires_once_at_the_right_almaty_time(env) -> None:  # type: ignore[no-untyped-def]
    db, service, clock = env
    (person,) = await people(db, 1)
    delivered: list[tuple[int, int]] = []

    async def deliver(booking, hours):  # type: ignore[no-untyped-def]
        delivered.append((booking.id, hours))
        return True

    sweep = ReminderSweep(db, clock, service, deliver)
    made = await service.book(person, Request("stop", "ru", "office"), local(TUESDAY, 15))
    assert made.starts_at == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # 15:00 Almaty
    due_24h = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # 15:00 Almaty the day before
    clock.set(due_24h - timedelta(seconds=1))
    assert await sweep.sweep() == 0 and delivered == []
    clock.set(due_24h)
    assert await sweep.sweep() == 1 and delivered == [(made.id, 24)]
    assert await sweep.sweep() == 0  # never twice
    clock.set(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))  # 13:00 Almaty: the 2-hour one
    assert await sweep.sweep() == 1 and delivered[-1] == (made.id, 2)
    clock.advance(timedelta(hours=1))
    assert await sweep.sweep() == 0 and len(delivered) == 2


async def test_a_cancelled_or_moved_booking_sends_no_reminder(env) -> None:  # type: ignore[no-untyped-def]
    db, service, clock = env
    (person,) = await people(db, 1)
    delivered: list[int] = []

    async def deliver(booking, hours):  # type: ignore[no-untyped-def]
        delivered.append(booking.id)
        return True

    req = Request("stop", "ru", "office")
    a = await service.book(person, req, local(TUESDAY, 15))
    b = await service.book(person, req, local(TUESDAY, 16, 15))
    moved = await service.book(person, req, local(TUESDAY, 17, 30), replacing=b.id)
    await service.cancel(a.id, by="person", person_id=person)
    clock.set(local(TUESDAY, 16))  # every 24-hour and 2-hour reminder is due by now
    await ReminderSweep(db, clock, service, deliver).sweep()
    assert delivered == [moved.id]  # only the 2-hour one of the moved booking
    async with db.session() as s:
        statuses = dict(
            (
                await s.execute(
                    select(Reminder.booking_id, Reminder.status).where(Reminder.hours_before == 24)
                )
            ).all()
        )
    assert statuses == {a.id: "cancelled", b.id: "cancelled", moved.id: "skipped"}


async def test_a_crashed_claim_is_taken_over_after_the_lease(env) -> None:  # type: ignore[no-untyped-def]
    db, service, clock = env
    (person,) = await people(db, 1)
    made = await service.book(person, Request("stop", "ru", "office"), local(TUESDAY, 15))
    clock.set(local(TUESDAY, 13))
    seen: list[int] = []

    async def deliver(booking, hours):  # type: ignore[no-untyped-def]
        seen.append(hours)
        return True

    sweep = ReminderSweep(db, clock, service, deliver)
    assert len(await sweep.claim(clock.now())) == 2  # claimed, then the process "dies"
    assert await sweep.sweep() == 0  # still leased
    clock.advance(timedelta(minutes=6))
    assert await sweep.sweep() == 1 and seen == [2]  # the 24 h one is superseded, skipped
    assert made.id


async def test_two_bot_processes_send_each_reminder_exactly_once(
    db_url: str, tmp_path: Path
) -> None:
    clock = FrozenClock(START)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        secret_key=TEST_KEY,  # type: ignore[arg-type]
        database_url=db_url,
    )
    one = await App.create(settings, clock=clock)
    two = await App.create(settings, clock=clock)
    outbox = Outbox()
    try:
        for app in (one, two):
            app.notifier.register("console", outbox)
        service = one.conversations.services.booking
        assert service is not None
        persons = []
        for i in range(6):
            outcome = await one.conversations.handle(
                Inbound("console", f"p{i}", clock.now(), text="/start")
            )
            assert outcome.person_id is not None
            persons.append(outcome.person_id)
        req = Request("self", "ru", "office")  # the bundled schedule
        made = []
        # A Wednesday: A and B both work, six sessions fit (two of them side by side).
        day = next(d for d in await service.free_days(req) if d.weekday() == 2)
        for person in persons:
            slot = (await service.free_slots(req, day))[0]
            made.append(await service.book(person, req, slot.starts_at))
        assert len({b.starts_at for b in made}) < len(made)  # some share a start
        clock.set(max(b.starts_at for b in made) - timedelta(hours=24))
        for _ in range(3):
            await asyncio.gather(one.jobs.run_now(JOB), two.jobs.run_now(JOB))
        # Reminders go through the durable outbox: wait for its workers (one per process).
        for _ in range(200):
            if len(outbox.sent) >= len(made):
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # and nothing more arrives
        assert len(outbox.sent) == len(made)  # one 24-hour reminder each, whoever sent it
        assert {a for a, _, _ in outbox.sent} == {f"p{i}" for i in range(6)}
        assert all(purpose == "reminder" for _, _, purpose in outbox.sent)
        texts = {t for _, t, _ in outbox.sent}
        for text in texts:
            assert text.startswith("Напоминание: встреча завтра в ")
            for word in ("психолог", "насили", "кризис", "150", "служб"):
                assert word not in text.lower()
    finally:
        await one.close()
        await two.close()
