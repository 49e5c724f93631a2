"""Migration 0910: who referred a person, on the booking and on the registry row, and the
encrypted notes for the specialist. Rows from before it keep their data and have no referral;
the downgrade takes the columns away without touching the bookings' claims or reminders, and
the upgrade can run again. It follows the course's 0900."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text

from booking.models import Booking
from core.clock import FrozenClock
from registry.models import Contact
from storage.db import Database
from tests.test_inbox_migration import _downgrade


async def test_0910_adds_the_referral_and_keeps_every_row(db_url: str, clock: FrozenClock) -> None:
    db = Database(db_url)
    now = clock.now()
    try:
        await db.upgrade("0900")
        async with db.engine.begin() as conn:
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
                    " VALUES (1, 1, 'stop', 'ru', 'office', :s, :e, 'booked', '1', :c, :t)"
                ),
                {"s": now, "e": now + timedelta(hours=1), "c": False, "t": now},
            )
            await conn.execute(
                text(
                    "INSERT INTO booking_reminders (booking_id, hours_before, due_at, status)"
                    " VALUES (1, 24, :t, 'pending')"
                ),
                {"t": now},
            )
            await conn.execute(
                text(
                    "INSERT INTO registry_contacts (id, started_at, last_at, channel, lang, role,"
                    " topics, urgent, handed_off, unclaimed, booked)"
                    " VALUES (1, :t, :t, 'telegram', 'kk', 'aggressor', '', :f, :f, :f, :y)"
                ),
                {"t": now, "f": False, "y": True},
            )
        await db.upgrade()
        async with db.session() as s:
            booking = await s.get(Booking, 1)
            contact = await s.get(Contact, 1)
            assert booking is not None and (booking.kind, booking.referral) == ("stop", None)
            assert booking.intake_enc is None
            assert contact is not None and (contact.role, contact.referral) == ("aggressor", None)
            booking.referral, contact.referral = "court", "court"
            await s.commit()
        async with db.session() as s:
            assert (await s.scalar(select(Booking.referral))) == "court"
        await _downgrade(db_url, "0900")
        async with db.engine.connect() as conn:
            left = (await conn.execute(text("SELECT id, kind FROM booking_bookings"))).all()
            reminders = (await conn.execute(text("SELECT booking_id FROM booking_reminders"))).all()
            contacts = (await conn.execute(text("SELECT id, role FROM registry_contacts"))).all()
            columns = (await conn.execute(text("SELECT * FROM registry_contacts"))).keys()
        assert [tuple(r) for r in left] == [(1, "stop")]
        assert [tuple(r) for r in reminders] == [(1,)]  # no cascade from a table copy
        assert [tuple(r) for r in contacts] == [(1, "aggressor")]
        assert "referral" not in columns
        await db.upgrade()
        async with db.session() as s:
            assert (await s.scalar(select(Contact.referral))) is None
    finally:
        await db.dispose()
