"""Migration 0860: the online-session link's record on a booking, and the survey after the
session as a once-per-booking row. A session marked attended before it already had its survey
(it went at the click), so it gets a row marked sent and never a second copy; other bookings
get none; the downgrade takes both away and the upgrade can run again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text

from booking.models import AFTER_SESSION, Booking, Reminder
from core.clock import FrozenClock
from storage.db import Database
from tests.test_inbox_migration import _downgrade


async def test_0860_marks_the_surveys_already_sent_and_adds_the_link_record(
    db_url: str, clock: FrozenClock
) -> None:
    db = Database(db_url)
    now = clock.now()
    try:
        await db.upgrade("0850")
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO people (id, channel, ref_hash, created_at, last_seen_at)"
                    " VALUES (1, 'telegram', 'h1', :t, :t)"
                ),
                {"t": now},
            )
            for booking_id, status in ((1, "attended"), (2, "no_show"), (3, "booked")):
                start = now - timedelta(days=booking_id)
                await conn.execute(
                    text(
                        "INSERT INTO booking_bookings (id, person_id, kind, lang, mode, starts_at,"
                        " ends_at, status, specialist_ids, confirmed, created_at)"
                        " VALUES (:id, 1, 'self', 'ru', 'online', :s, :e, :st, '1', :c, :t)"
                    ),
                    {
                        "id": booking_id,
                        "s": start,
                        "e": start + timedelta(hours=1),
                        "st": status,
                        "c": False,
                        "t": now,
                    },
                )
            await conn.execute(
                text(
                    "INSERT INTO booking_reminders (booking_id, hours_before, due_at, status)"
                    " VALUES (3, 24, :t, 'pending')"
                ),
                {"t": now},
            )
        await db.upgrade()
        async with db.session() as s:
            rows = (
                await s.execute(
                    select(Reminder.booking_id, Reminder.hours_before, Reminder.status).order_by(
                        Reminder.booking_id
                    )
                )
            ).all()
            links = (await s.execute(select(Booking.id, Booking.link_sends))).all()
        assert [tuple(r) for r in rows] == [(1, AFTER_SESSION, "sent"), (3, 24, "pending")]
        assert sorted(tuple(r) for r in links) == [(1, 0), (2, 0), (3, 0)]
        await _downgrade(db_url, "0850")
        async with db.engine.connect() as conn:
            left = (
                await conn.execute(text("SELECT booking_id, hours_before FROM booking_reminders"))
            ).all()
        assert [tuple(r) for r in left] == [(3, 24)]
        await db.upgrade()
    finally:
        await db.dispose()
