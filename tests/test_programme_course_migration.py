"""Migration 0900 with data, on SQLite and PostgreSQL: the course table comes and bookings get
their course column without losing a booking, claim or sheet (a batch rebuild would cascade
deletes on SQLite); the downgrade takes both away and the upgrade runs again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import inspect, text

from core.clock import FrozenClock
from storage.db import Database
from tests.test_inbox_migration import _downgrade
from tests.test_programme_migration import _count


async def test_0900_adds_the_course_and_keeps_every_booking(
    db_url: str, clock: FrozenClock
) -> None:
    db = Database(db_url)
    now = clock.now()
    start = now + timedelta(days=1)
    try:
        await db.upgrade("0890")
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO booking_specialists (id, name, role, langs, kinds, modes,"
                    " active, stream) VALUES (1, 'S', 'psychologist', 'ru', 'stop', 'online',"
                    " :a, 'aggressors')"
                ),
                {"a": True},
            )
            await conn.execute(
                text(
                    "INSERT INTO people (id, channel, ref_hash, created_at, last_seen_at)"
                    " VALUES (1, 'telegram', 'h1', :t, :t)"
                ),
                {"t": now},
            )
            await conn.execute(
                text(
                    "INSERT INTO booking_bookings (id, person_id, kind, lang, mode, starts_at,"
                    " ends_at, status, specialist_ids, confirmed, created_at)"
                    " VALUES (1, 1, 'stop', 'ru', 'online', :s, :e, 'booked', '1', :c, :t)"
                ),
                {"s": start, "e": start + timedelta(hours=1), "c": False, "t": now},
            )
            await conn.execute(
                text(
                    "INSERT INTO booking_claims (booking_id, specialist_id, starts_at, ends_at)"
                    " VALUES (1, 1, :s, :e)"
                ),
                {"s": start, "e": start + timedelta(hours=1)},
            )
            await conn.execute(
                text(
                    "INSERT INTO programme_assessments (booking_id, version, signed_by,"
                    " signed_at, body_enc) VALUES (1, 1, 'prog', :t, 'token')"
                ),
                {"t": now},
            )
        await db.upgrade()
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO programme_courses (id, person_id, intake_booking_id, lang, mode,"
                    " sessions_planned, every_days, status, enrolled_by, enrolled_at)"
                    " VALUES (1, 1, 1, 'ru', 'online', 12, 7, 'active', 'prog', :t)"
                ),
                {"t": now},
            )
            await conn.execute(text("UPDATE booking_bookings SET course_id = 1 WHERE id = 1"))
        for table in ("booking_bookings", "booking_claims", "programme_assessments"):
            assert await _count(db, table) == 1, table
        await _downgrade(db_url, "0890")
        async with db.engine.connect() as conn:
            tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
            columns = await conn.run_sync(
                lambda sync: [c["name"] for c in inspect(sync).get_columns("booking_bookings")]
            )
        assert "programme_courses" not in tables and "course_id" not in columns
        for table in ("booking_bookings", "booking_claims", "programme_assessments"):
            assert await _count(db, table) == 1, table
        await db.upgrade()
        assert await _count(db, "programme_courses") == 0
    finally:
        await db.dispose()
