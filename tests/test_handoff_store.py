"""Cases and the outbox on SQLite and PostgreSQL: one winner per claim, one send per row."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from delivery.claims import Delivery
from delivery.courier import Retry
from delivery.outbox import Outbox
from handoff.cases import CaseStore
from handoff.hours import WorkingHours
from handoff.queue import rank
from storage.crypto import Vault
from storage.db import Database
from storage.models import Person
from tests.conftest import TEST_KEY

NOW = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)


async def _person(db: Database) -> int:
    async with db.session() as s, s.begin():
        row = Person(channel="telegram", ref_hash="h" * 64, created_at=NOW, last_seen_at=NOW)
        s.add(row)
        await s.flush()
        return row.id


async def _open(store: CaseStore, person_id: int, **extra: Any) -> Any:
    values: dict[str, Any] = {
        "person_id": person_id,
        "contact_id": None,
        "reason": "asked",
        "urgent": False,
        "danger": None,
        "quiet": False,
        "lang": "ru",
        "role": "victim",
        "region": None,
        "details": {"danger_screen": {"weapon": True}},
        "callback_at": None,
        "topic_chat": None,
        "now": NOW,
    }
    values.update(extra)
    return await store.create(**values)


async def test_two_consultants_claiming_at_once_get_one_winner(db_url: str) -> None:
    first = Database(db_url)
    await first.upgrade()
    second = Database(db_url)  # another process, its own connection pool
    vault = Vault([TEST_KEY])
    try:
        stores = [CaseStore(first, vault), CaseStore(second, vault)]
        case = await _open(stores[0], await _person(first))
        assert case.details == {"danger_screen": {"weapon": True}}  # decrypted back
        results = await asyncio.gather(
            *(
                stores[i % 2].claim(case.id, by=f"consultant-{i}", now=NOW, staff_id=None)
                for i in range(12)
            )
        )
        winners = [r for r in results if r is not None]
        assert len(winners) == 1
        stored = await stores[1].get(case.id)
        assert stored is not None and stored.state == "claimed"
        assert stored.claimed_by == winners[0].claimed_by
        # Closing is decided once too.
        closes = await asyncio.gather(
            *(
                stores[i % 2].finish(case.id, state="closed", outcome="helped", now=NOW)
                for i in range(6)
            )
        )
        assert sum(c is not None for c in closes) == 1
    finally:
        await first.dispose()
        await second.dispose()


async def test_case_numbers_are_unique_and_cannot_be_guessed(db_url: str) -> None:
    import re

    from sqlalchemy import update

    from handoff.case_view import NUMBER_ALPHABET
    from handoff.models import HandoffCase

    db = Database(db_url)
    await db.upgrade()
    try:
        store = CaseStore(db, Vault([TEST_KEY]))
        person = await _person(db)
        cases = [await _open(store, person) for _ in range(40)]
        numbers = [c.number for c in cases]
        assert len(set(numbers)) == 40
        # K-XXXX-XXXX in 30 unambiguous signs (~39 bits), not K- and four digits in sequence
        shape = re.compile(f"K-[{NUMBER_ALPHABET}]{{4}}-[{NUMBER_ALPHABET}]{{4}}")
        assert all(shape.fullmatch(n) for n in numbers), numbers
        assert len({n[2:6] for n in numbers}) > 30  # drawn at random, not counted up
        assert (await store.by_number(numbers[0].lower())) == cases[0]  # typed in lower case
        async with db.session() as s, s.begin():  # a number drawn before: still found
            await s.execute(
                update(HandoffCase).where(HandoffCase.id == cases[1].id).values(number="K-4821")
            )
        old = await store.by_number("K-4821")
        assert old is not None and old.id == cases[1].id
    finally:
        await db.dispose()


async def test_several_workers_deliver_each_row_once_and_in_order(db_url: str) -> None:
    dbs = [Database(db_url) for _ in range(3)]
    await dbs[0].upgrade()
    vault = Vault([TEST_KEY])
    delivered: list[tuple[str, int]] = []

    async def handler(d: Delivery) -> dict[str, Any]:
        await asyncio.sleep(0.01)
        delivered.append((d.dest, int(d.payload["n"])))
        return {}

    outboxes = [Outbox(db, vault) for db in dbs]
    for ob in outboxes:
        ob.register("test", handler)
    try:
        for n in range(10):
            for dest in ("a", "b", "c"):
                await outboxes[0].enqueue("test", dest, {"n": n})
        for _ in range(200):
            done = await asyncio.gather(*(ob.run_once() for ob in outboxes))
            if not any(done) and not await outboxes[0].pending():
                break
        assert len(delivered) == 30  # every row exactly once
        for dest in ("a", "b", "c"):
            assert [n for d, n in delivered if d == dest] == list(range(10))  # in order
    finally:
        for db in dbs:
            await db.dispose()


async def test_a_429_backs_off_for_its_retry_after(tmp_path: Any) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/o.db")
    await db.upgrade()
    outbox = Outbox(db, Vault([TEST_KEY]))
    calls: list[int] = []

    async def handler(d: Delivery) -> dict[str, Any]:
        calls.append(int(d.payload["n"]))
        if d.payload["n"] == 0 and d.attempts == 1:
            raise Retry("429", after=30)
        return {}

    outbox.register("test", handler)
    try:
        await outbox.enqueue("test", "person:1", {"n": 0})
        await outbox.enqueue("test", "person:1", {"n": 1})
        for _ in range(3):
            await outbox.run_once()
        assert calls == [0]  # backing off for 30 s as told; the row behind it keeps its place
        assert await outbox.pending("person:") == 2
    finally:
        await db.dispose()


def test_the_queue_puts_danger_first_and_lets_waiting_count() -> None:
    from dataclasses import dataclass

    @dataclass
    class C:
        id: int
        urgent: bool
        danger: str | None
        due_at: datetime

    fresh_urgent = C(1, True, None, NOW)
    old_plain = C(2, False, None, NOW - timedelta(minutes=30))
    fresh_high = C(3, False, "high", NOW)
    very_old = C(4, False, None, NOW - timedelta(hours=2))
    later = C(5, True, None, NOW + timedelta(hours=1))  # a callback, not due yet
    order = [c.id for c in rank([old_plain, fresh_high, fresh_urgent, very_old, later], NOW)]
    assert order == [1, 4, 3, 2]  # urgent always first; then points (danger + waiting)


def test_working_hours() -> None:
    always = WorkingHours.parse("24/7")
    assert always.is_open(NOW)
    hours = WorkingHours.parse("mon-fri 09:00-18:00; sat 10:00-14:00")
    # 2026-11-25 is a Wednesday; 20:00 UTC is 01:00 Thursday in Almaty.
    assert not hours.is_open(NOW)
    opens = hours.next_open(NOW)
    assert opens == datetime(2026, 11, 26, 4, 0, tzinfo=UTC)  # 09:00 Almaty
    slots = hours.callback_slots(NOW)
    assert slots[0] == opens and len(slots) == 4
    night = WorkingHours.parse("20:00-08:00")
    assert night.is_open(NOW) and not night.is_open(NOW.replace(hour=8))
