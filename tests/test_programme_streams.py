"""Issue 16, staff side: streams and pairs hold in the schedule, on SQLite and PostgreSQL.

A specialist of the victims' stream never gets a session of the aggressor programme (even when
a row says they take it); every programme session gets a pair of the aggressor stream; no time
is offered when only one of a pair is free; a fixed pair is kept; and a person in the aggressor
stream can never book a joint ("family") session (docs/aggressor-programme.md)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from booking.bookings import Bookings, Request, StreamRefused
from booking.models import Specialist
from booking.schedule import ScheduleError, ScheduleStore
from booking.streams import AGGRESSORS, may_take
from core.clock import ALMATY, FrozenClock
from storage.crypto import Vault
from storage.db import Database
from storage.people import People
from tests.conftest import TEST_KEY

START = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)  # Thursday 26 Nov, 01:00 in Almaty
TUESDAY = date(2026, 12, 1)
FRIDAY = date(2026, 11, 27)
SCHEDULE = """
settings:
  session_minutes: 60
  break_minutes: 15
  horizon_days: 14
  min_notice_minutes: 120
  max_active_per_person: 2
  pair_kinds: [family, stop]
  office_address: {ru: "ул. Примерная, 1", kk: "Мысал көшесі, 1"}
  online_policy: {ru: "Ссылку пришлём в чат.", kk: "Сілтемені чатқа жібереміз."}
specialists:
  - {name: "А", role: psychologist, stream: victims, langs: [ru, kk], kinds: [self, family],
     modes: [office], hours: {tue: ["15:00-20:00"], fri: ["10:00-12:30"]}}
  - {name: "Б", role: psychotherapist, stream: victims, langs: [ru], kinds: [self, family],
     modes: [office], hours: {tue: ["15:00-20:00"], fri: ["10:00-11:00"]}}
  - {name: "В", role: psychologist, stream: aggressors, langs: [ru, kk], kinds: [stop],
     modes: [office], hours: {tue: ["15:00-20:00"], fri: ["10:00-11:00"]}}
  - {name: "Г", role: psychotherapist, stream: aggressors, langs: [ru, kk], kinds: [stop],
     modes: [office], hours: {tue: ["15:00-17:30"]}}
  - {name: "Д", role: psychotherapist, stream: aggressors, langs: [ru], kinds: [stop],
     modes: [office], hours: {tue: ["15:00-17:30"]}}
"""
VICTIMS_SIDE = {1, 2}
PROGRAMME = {3, 4, 5}
STOP = Request("stop", "ru", "office")


def local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=ALMATY).astimezone(UTC)


@pytest.fixture
async def env(db_url: str, tmp_path: Path) -> AsyncIterator[tuple[Database, Bookings]]:
    db = Database(db_url)
    await db.upgrade()
    path = tmp_path / "schedule.yaml"
    path.write_text(SCHEDULE, encoding="utf-8")
    store = ScheduleStore(db)
    assert await store.seed(path)
    yield db, Bookings(db, Vault([TEST_KEY]), FrozenClock(START), store)
    await db.dispose()


async def people(db: Database, n: int) -> list[int]:
    registry = People(db, Vault([TEST_KEY]))
    return [(await registry.identify("console", f"p{i}", f"p{i}", START)).id for i in range(n)]


async def all_slots(service: Bookings, req: Request) -> list[tuple[int, ...]]:
    out = []
    for day in await service.free_days(req):
        out += [s.specialists for s in await service.free_slots(req, day)]
    return out


async def test_a_programme_session_always_gets_a_pair_of_its_stream(env) -> None:  # type: ignore[no-untyped-def]
    db, service = env
    slots = await service.free_slots(STOP, TUESDAY)
    # Г and Д work 15:00-17:30: two starts; В alone at 17:30 and 18:45 is no pair.
    assert [s.local.strftime("%H:%M") for s in slots] == ["15:00", "16:15"]
    every = await all_slots(service, STOP)
    assert every and all(len(pair) == 2 and set(pair) <= PROGRAMME for pair in every)
    # Friday: В is free at 10:00, but alone: no programme time that day.
    assert await service.free_slots(STOP, FRIDAY) == []
    (person,) = await people(db, 1)
    made = await service.book(person, STOP, local(TUESDAY, 15))
    assert len(made.specialists) == 2 and set(made.specialists) <= PROGRAMME
    # A psychologist with a psychotherapist: В (3) and one of Г, Д.
    assert 3 in made.specialists
    # Each member of the pair sees the booking as theirs.
    for sid in made.specialists:
        seen = await service.between(local(TUESDAY, 0), local(TUESDAY, 23), sid)
        assert [b.id for b in seen] == [made.id]


async def test_the_victims_stream_never_gets_a_programme_session(env) -> None:  # type: ignore[no-untyped-def]
    db, service = env
    # Even a row edited by hand to take "stop" stays on its side of the wall.
    async with db.session() as s, s.begin():
        await s.execute(update(Specialist).where(Specialist.id == 1).values(kinds="self,stop"))
    assert all(set(p) <= PROGRAMME for p in await all_slots(service, STOP))
    for kind in ("self", "family"):
        for pair in await all_slots(service, Request(kind, "ru", "office")):
            assert set(pair) <= VICTIMS_SIDE, (kind, pair)
    # The staff form refuses to cross it, either way.
    store = service.schedule
    common = {"role": "psychologist", "langs": ["ru"], "modes": ["office"], "active": True}
    with pytest.raises(ScheduleError):
        await store.save_specialist(
            1, name="А", kinds=["self", "stop"], stream="victims", staff_username=None, **common
        )
    with pytest.raises(ScheduleError):
        await store.save_specialist(
            3, name="В", kinds=["stop", "family"], stream=AGGRESSORS, staff_username=None, **common
        )
    assert not may_take(AGGRESSORS, "family") and not may_take(AGGRESSORS, "self")
    assert not may_take("victims", "stop") and not may_take("family", "stop")


async def test_no_time_when_only_one_of_a_pair_is_free(env) -> None:  # type: ignore[no-untyped-def]
    _, service = env
    store = service.schedule
    # Г and Д on leave: В is free all Tuesday, but alone.
    for sid in (4, 5):
        await store.add_day_off(sid, TUESDAY, TUESDAY, "")
    assert await service.free_slots(STOP, TUESDAY) == []
    assert TUESDAY not in await service.free_days(STOP)


async def test_a_busy_member_takes_the_time_away(env) -> None:  # type: ignore[no-untyped-def]
    db, service = env
    one, two = await people(db, 2)
    first = await service.book(one, STOP, local(TUESDAY, 15))
    # The other therapist is still free at 15:00, but В is taken: no second pair then.
    assert [s.local.strftime("%H:%M") for s in await service.free_slots(STOP, TUESDAY)] == ["16:15"]
    second = await service.book(two, STOP, local(TUESDAY, 16, 15))
    assert set(first.specialists) & set(second.specialists) == {3}
    assert await service.free_slots(STOP, TUESDAY) == []


async def test_a_fixed_pair_is_the_only_pair_offered(env) -> None:  # type: ignore[no-untyped-def]
    _, service = env
    store = service.schedule
    await store.set_rule("fixed_pairs", "3+5")
    assert (await store.load()).rules.fixed_pairs == ((3, 5),)
    slots = await service.free_slots(STOP, TUESDAY)
    assert [s.specialists for s in slots] == [(3, 5), (3, 5)]
    await store.add_day_off(5, TUESDAY, TUESDAY, "")
    # В and Г are both free, but they are not the fixed pair.
    assert await service.free_slots(STOP, TUESDAY) == []
    for bad in ("3+3", "3", "3+4, 4+5", "a+b"):
        with pytest.raises(ScheduleError):
            await store.set_rule("fixed_pairs", bad)
    await store.set_rule("fixed_pairs", "")
    assert len(await service.free_slots(STOP, TUESDAY)) == 2


async def test_family_is_refused_to_anyone_in_the_aggressor_stream(env) -> None:  # type: ignore[no-untyped-def]
    db, service = env
    him, other = await people(db, 2)
    family = Request("family", "ru", "office")
    assert "family" in await service.kinds_for(him)
    made = await service.book(him, STOP, local(TUESDAY, 15))
    assert await service.person_stream(him) == AGGRESSORS
    assert "family" not in await service.kinds_for(him)
    slot = (await service.free_slots(family, TUESDAY))[0]
    with pytest.raises(StreamRefused):
        await service.book(him, family, slot.starts_at)
    # Cancelling the programme session does not reopen joint work.
    await service.cancel(made.id, by="person")
    with pytest.raises(StreamRefused):
        await service.book(him, family, slot.starts_at)
    # Someone outside the programme books it as before, with a pair of the other side.
    joint = await service.book(other, family, slot.starts_at)
    assert set(joint.specialists) == VICTIMS_SIDE
