"""Reminders: rows in the database that a sweep claims atomically, then delivers.

APScheduler 3 cannot share one job store between processes (two processes were seen running
the same job twice), so it is only the timer: every process wakes the sweep every 30 s, and
the database decides who sends what. A claim is one statement — `UPDATE … WHERE id IN
(SELECT … FOR UPDATE SKIP LOCKED) RETURNING` on PostgreSQL; on SQLite the same conditional
UPDATE, which SQLite runs one writer at a time — so each reminder is sent by one process,
once. A process that dies between claiming and sending leaves a claim that another sweep
takes over after LEASE (a restart loses no reminder).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update

from booking.bookings import Bookings, BookingView
from booking.models import Reminder
from core.clock import Clock
from storage.db import Database

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BATCH = 50
# Too close to the start to be useful: the reminder is skipped rather than sent late.
TOO_LATE = timedelta(minutes=30)

# (booking, hours before) -> delivered?
Deliver = Callable[[BookingView, int], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    booking_id: int
    hours_before: int
    due_at: datetime


class ReminderSweep:
    def __init__(self, db: Database, clock: Clock, bookings: Bookings, deliver: Deliver) -> None:
        self._db = db
        self._clock = clock
        self._bookings = bookings
        self._deliver = deliver

    async def sweep(self) -> int:
        """Send every due reminder this process can claim; returns how many were sent."""
        sent = 0
        while True:
            claimed = await self.claim(self._clock.now())
            for item in claimed:
                sent += await self._send(item)
            if len(claimed) < BATCH:
                return sent

    async def claim(self, now: datetime) -> list[Claimed]:
        due = or_(
            and_(Reminder.status == "pending", Reminder.due_at <= now),
            and_(Reminder.status == "sending", Reminder.claimed_at < now - LEASE),
        )
        # FOR UPDATE SKIP LOCKED is rendered on PostgreSQL only; SQLite ignores it and
        # serialises the UPDATE instead. The outer condition is re-checked after locking.
        ids = (
            select(Reminder.id)
            .where(due)
            .order_by(Reminder.due_at)
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        )
        stmt = (
            update(Reminder)
            .where(Reminder.id.in_(ids.scalar_subquery()), due)
            .values(status="sending", claimed_at=now)
            .returning(Reminder.id, Reminder.booking_id, Reminder.hours_before, Reminder.due_at)
            .execution_options(synchronize_session=False)
        )
        async with self._db.session() as s, s.begin():
            rows = (await s.execute(stmt)).all()
        return [Claimed(r.id, r.booking_id, r.hours_before, r.due_at) for r in rows]

    async def _send(self, item: Claimed) -> int:
        now = self._clock.now()
        booking = await self._bookings.get(item.booking_id)
        if booking is None or booking.status != "booked":
            await self._finish(item.id, "cancelled")
            return 0
        if now >= booking.starts_at - TOO_LATE or await self._superseded(item, now):
            await self._finish(item.id, "skipped")
            return 0
        try:
            delivered = await self._deliver(booking, item.hours_before)
        except Exception:
            # The channel failed (network, platform outage): hand the claim back for a retry.
            log.exception("reminder delivery failed; it will be retried")
            await self._finish(item.id, "pending", claimed_at=None)
            return 0
        await self._finish(item.id, "sent" if delivered else "failed", sent_at=now)
        return int(delivered)

    async def _superseded(self, item: Claimed, now: datetime) -> bool:
        """A later reminder of the same booking is already due: send only the nearest one."""
        async with self._db.session() as s:
            later = await s.scalar(
                select(Reminder.id).where(
                    Reminder.booking_id == item.booking_id,
                    Reminder.hours_before < item.hours_before,
                    Reminder.due_at <= now,
                )
            )
        return later is not None

    async def _finish(self, reminder_id: int, status: str, **values: object) -> None:
        async with self._db.session() as s, s.begin():
            await s.execute(
                update(Reminder)
                .where(Reminder.id == reminder_id, Reminder.status == "sending")
                .values(status=status, **values)
            )
