"""Puts booking into a running App: the schedule (seeded once), the service the flows use,
and the reminder sweep on the job timer. Called from App.create."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from booking.bookings import Bookings, BookingView
from booking.course import keeps
from booking.models import AFTER_SESSION, MISSED, Booking
from booking.reminders import ReminderSweep
from booking.schedule import ScheduleStore
from core.messages import Reply

if TYPE_CHECKING:
    from bot.app import App

JOB = "booking.reminders"
COURSE_JOB = "booking.courses"
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
        if hours_before == MISSED:
            # After a missed course session: one neutral line in the person's language (it
            # may show on a lock screen), no step of the chat: /bookings is how he replies.
            text = app.conversations.engine.texts.get(booking.lang, "booking-course-missed")
            return await app.deliveries.notify(booking.person_id, [Reply(text)], purpose="reminder")
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
    # ...and anyone enrolled in the programme's course, until its follow-up (booking/course.py).
    app.retention.holds.append(keeps)
    sweep = ReminderSweep(app.db, app.clock, bookings, deliver)
    app.jobs.every(app.settings.booking_sweep_seconds, JOB, sweep.sweep)
    # The course's next session, when its rhythm comes within the horizon (booking/course.py).
    app.jobs.every(3600, COURSE_JOB, bookings.courses.plan_due)
    return bookings
