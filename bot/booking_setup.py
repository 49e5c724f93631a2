"""Puts booking into a running App: the schedule (seeded once), the service the flows use,
and the reminder sweep on the job timer. Called from App.create."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from booking.bookings import Bookings, BookingView
from booking.models import AFTER_SESSION, Booking
from booking.reminders import ReminderSweep
from booking.schedule import ScheduleStore

if TYPE_CHECKING:
    from bot.app import App

JOB = "booking.reminders"
REMINDER_STEP = "booking.reminder"
FEEDBACK_STEP = "feedback.start"  # the survey, due at the end of an attended session


async def install(app: App) -> Bookings:
    schedule = ScheduleStore(app.db)
    await schedule.seed()
    bookings = Bookings(
        app.db, app.vault, app.clock, schedule, reminder_hours=app.settings.reminder_hours
    )
    app.conversations.services.booking = bookings

    async def deliver(booking: BookingView, hours_before: int) -> bool:
        if hours_before == AFTER_SESSION:
            replies = await app.conversations.enter_step(booking.person_id, FEEDBACK_STEP, {})
            return await app.deliveries.notify(booking.person_id, replies, purpose="system")
        replies = await app.conversations.enter_step(
            booking.person_id, REMINDER_STEP, {"reminder_booking": booking.id}
        )
        # Through the durable outbox: the reminder is a row before it is a message, survives
        # a restart or a messenger outage, and is retried with back-off.
        return await app.deliveries.notify(booking.person_id, replies, purpose="reminder")

    # Retention keeps anyone with a session still ahead (their reminders must reach them).
    app.retention.holds.append(
        lambda now: select(Booking.person_id).where(
            Booking.status == "booked", Booking.starts_at > now
        )
    )
    sweep = ReminderSweep(app.db, app.clock, bookings, deliver)
    app.jobs.every(app.settings.booking_sweep_seconds, JOB, sweep.sweep)
    return bookings
