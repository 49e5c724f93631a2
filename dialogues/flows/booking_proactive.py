"""The booking flow's proactive steps: reminders, and cancellations, moves and online-session
links by staff. Their wording is neutral, because someone else may see the phone."""

from __future__ import annotations

from datetime import datetime

from booking.bookings import BookingView
from dialogues.context import Ctx
from dialogues.flow import MENU, Actions
from dialogues.flows.booking_common import _relative_day, time_label

ACTIONS = Actions()  # the steps are declared in booking.py
REMINDER = "reminder_booking"  # set by the reminder sweep through enter_step
STAFF_NOTE = "staff_note"
MOVED_FROM = "moved_from"  # the start (ISO, UTC) a staff member moved the session from
ONLINE_LINK = "online_link"  # set by the staff page; taken out of the state at once


async def _reminded(ctx: Ctx) -> BookingView | None:
    service, ref = ctx.services.booking, ctx.state.vars.get(REMINDER)
    if service is None or ctx.person_id is None or not isinstance(ref, int):
        return None
    found = await service.get(ref, ctx.person_id)
    return found if found is not None and found.status == "booked" else None


@ACTIONS("booking.remind")
async def remind(ctx: Ctx) -> None:
    b = await _reminded(ctx)
    if b is None:
        ctx.say("booking-reminder-gone")
        ctx.goto("booking.reminder_ok")
        return
    ctx.say("booking-reminder", day=_relative_day(ctx, b.starts_at), time=time_label(b.starts_at))


@ACTIONS("booking.reminder_yes")
async def reminder_yes(ctx: Ctx) -> None:
    b = await _reminded(ctx)
    if b is None or ctx.services.booking is None or ctx.person_id is None:
        ctx.say("booking-reminder-gone")
    else:
        await ctx.services.booking.confirm(b.id, ctx.person_id)
    ctx.goto("booking.reminder_ok")


@ACTIONS("booking.reminder_cancel")
async def reminder_cancel(ctx: Ctx) -> None:
    b = await _reminded(ctx)
    if b is None or ctx.services.booking is None:
        ctx.say("booking-reminder-gone")
        ctx.goto("booking.reminder_ok")
        return
    await ctx.services.booking.cancel(b.id, by="person", person_id=b.person_id)
    ctx.state.vars.pop(REMINDER, None)
    ctx.goto("booking.reminder_cancelled")


@ACTIONS("booking.staff_cancelled")
async def staff_cancelled(ctx: Ctx) -> None:
    service, ref = ctx.services.booking, ctx.state.vars.pop(REMINDER, None)
    note = str(ctx.state.vars.pop(STAFF_NOTE, "") or "").strip()
    b = await service.get(ref, ctx.person_id) if service and isinstance(ref, int) else None
    if b is None:
        ctx.goto(MENU)
        return
    _say_with_note(
        ctx,
        ctx.t(
            "booking-staff-cancelled",
            day=_relative_day(ctx, b.starts_at),
            time=time_label(b.starts_at),
        ),
        note,
    )


@ACTIONS("booking.staff_moved")
async def staff_moved(ctx: Ctx) -> None:
    service, ref = ctx.services.booking, ctx.state.vars.pop(REMINDER, None)
    before = str(ctx.state.vars.pop(MOVED_FROM, "") or "")
    note = str(ctx.state.vars.pop(STAFF_NOTE, "") or "").strip()
    b = await service.get(ref, ctx.person_id) if service and isinstance(ref, int) else None
    try:
        old = datetime.fromisoformat(before)
    except ValueError:
        old = None
    if b is None or old is None:
        ctx.goto(MENU)
        return
    _say_with_note(
        ctx,
        ctx.t(
            "booking-staff-moved",
            old_day=_relative_day(ctx, old),
            old_time=time_label(old),
            day=_relative_day(ctx, b.starts_at),
            time=time_label(b.starts_at),
        ),
        note,
    )


def _say_with_note(ctx: Ctx, neutral: str, note: str) -> None:
    """A staff member's note never opens a message (a lock screen shows the first line): it
    goes in the same message, after the vetted neutral one, on one line (docs/lockscreen.md)."""
    note = " ".join(note.split())
    if note:
        ctx.say_text(f"{neutral}\n{ctx.t('booking-staff-note-line', note=note)}")
    else:
        ctx.say_text(neutral)


@ACTIONS("booking.online_link")
async def online_link(ctx: Ctx) -> None:
    # The link leaves the state here: it is a key to a private room and is kept nowhere.
    service, ref = ctx.services.booking, ctx.state.vars.pop(REMINDER, None)
    link = str(ctx.state.vars.pop(ONLINE_LINK, "") or "")
    b = await service.get(ref, ctx.person_id) if service and isinstance(ref, int) else None
    if b is None or not link:
        return  # the staff page checked the booking; nothing unasked is sent otherwise
    ctx.say(
        "booking-online-link",
        day=_relative_day(ctx, b.starts_at),
        time=time_label(b.starts_at),
        link=link,
    )
