"""Reminders: rows in the database that a sweep claims atomically, then delivers.

APScheduler 3 cannot share one job store between processes (two processes were seen running
the same job twice), so it is only the timer: every process wakes the sweep every 30 s, and
the database decides who sends what. A claim is one statement — `UPDATE … WHERE id IN
(SELECT … FOR UPDATE SKIP LOCKED) RETURNING` on PostgreSQL; on SQLite the same conditional
UPDATE, which SQLite runs one writer at a time — so each reminder is sent by one process,
once. A process that dies between claiming and sending leaves a claim that another sweep
takes over after LEASE (a restart loses no reminder).

The survey after an attended session is a row of the same table (`AFTER_SESSION`), due at the
session's end: it rides on the same claim, so it too goes once however many processes run.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update

from booking.bookings import Bookings, BookingView
from booking.models import AFTER_SESSION, MISSED, Reminder
from core.clock import Clock
from storage.db import Database

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BATCH = 50
# Too close to the start to be useful: the reminder is skipped rather than sent late.
TOO_LATE = timedelta(minutes=30)

# (booking, hours before) -> delivered? `hours before` is AFTER_SESSION for the survey.
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
        # The survey goes only after a session still marked attended; the word after a missed
        # course session only while it is still marked missed; a reminder only before a
        # session still booked.
        wanted = {AFTER_SESSION: "attended", MISSED: "no_show"}.get(item.hours_before, "booked")
        if booking is None or booking.status != wanted:
            await self._finish(item.id, "cancelled")
            return 0
        if wanted != "booked":
            # Both are sent at most once, like the survey (see _send_survey).
            return await self._send_survey(item, booking, now)
        if wanted == "booked" and (
            now >= booking.starts_at - TOO_LATE or await self._superseded(item, now)
        ):
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

    async def _send_survey(self, item: Claimed, booking: BookingView, now: datetime) -> int:
        """The survey is recorded sent before it is handed over: a process dying in between
        loses it (a survey is optional) rather than sending it a second time after the claim's
        lease (a reminder prefers the opposite). A hand-over that fails outright is undone and
        retried by the next sweep."""
        if not await self._set(item.id, "sending", status="sent", sent_at=now):
            return 0
        try:
            delivered = await self._deliver(booking, item.hours_before)
        except Exception:
            log.exception("survey delivery failed; it will be retried")
            await self._set(item.id, "sent", status="pending", claimed_at=None, sent_at=None)
            return 0
        if not delivered:
            await self._set(item.id, "sent", status="failed")
        return int(delivered)

    async def _superseded(self, item: Claimed, now: datetime) -> bool:
        """A later reminder of the same booking is already due: send only the nearest one."""
        async with self._db.session() as s:
            later = await s.scalar(
                select(Reminder.id).where(
                    Reminder.booking_id == item.booking_id,
                    Reminder.hours_before < item.hours_before,
                    Reminder.hours_before > AFTER_SESSION,  # not the survey, not a missed one
                    Reminder.due_at <= now,
                )
            )
        return later is not None

    async def _finish(self, reminder_id: int, status: str, **values: object) -> None:
        await self._set(reminder_id, "sending", status=status, **values)

    async def _set(self, reminder_id: int, current: str, **values: object) -> bool:
        """Change a row still in the `current` status; False if it has moved on meanwhile."""
        async with self._db.session() as s, s.begin():
            done = await s.execute(
                update(Reminder)
                .where(Reminder.id == reminder_id, Reminder.status == current)
                .values(**values)
            )
        return bool(done.rowcount)  # type: ignore[attr-defined]
