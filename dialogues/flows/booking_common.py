"""The booking flow's draft in state.vars and the labels its steps show, shared by booking.py
(choosing), booking_when.py (day and time), booking_mine.py (my bookings) and
booking_proactive.py (reminders)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from booking.bookings import BookingError, BookingView, Request
from booking.slots import local_day
from core.clock import ALMATY
from dialogues.context import Ctx

KEY = "bk"  # the flow's answers in state.vars


def _draft(ctx: Ctx) -> dict[str, Any]:
    draft = ctx.state.vars.get(KEY)
    if not isinstance(draft, dict):
        draft = {}
        ctx.state.vars[KEY] = draft
    return draft


def _request(ctx: Ctx) -> Request | None:
    d = _draft(ctx)
    try:
        return Request(str(d.get("kind")), str(d.get("lang")), str(d.get("mode")))
    except BookingError:
        return None


def _today(ctx: Ctx) -> date:
    return local_day(ctx.now)


def date_label(ctx: Ctx, day: date) -> str:
    return ctx.t(
        "booking-date",
        weekday=ctx.t(f"booking-wd-{day.weekday()}"),
        day=str(day.day),
        month=ctx.t(f"booking-month-{day.month}"),
    )


def time_label(moment: datetime) -> str:
    return moment.astimezone(ALMATY).strftime("%H:%M")


def when_label(ctx: Ctx, moment: datetime) -> str:
    """A button for a day and time; on WhatsApp the time comes first (a list row's title is
    cut at 24 characters, and the time is what tells two rows apart)."""
    return ctx.t("booking-when", date=date_label(ctx, local_day(moment)), time=time_label(moment))


def _when(ctx: Ctx, b: BookingView) -> dict[str, str]:
    return {"date": date_label(ctx, local_day(b.starts_at)), "time": time_label(b.starts_at)}


def _relative_day(ctx: Ctx, moment: datetime) -> str:
    """ "сегодня" / "завтра" / "27 ноября": for neutral proactive messages."""
    day, today = local_day(moment), _today(ctx)
    if day == today:
        return ctx.t("booking-day-today")
    if (day - today).days == 1:
        return ctx.t("booking-day-tomorrow")
    return ctx.t("booking-date-short", day=str(day.day), month=ctx.t(f"booking-month-{day.month}"))


def _unavailable(ctx: Ctx) -> bool:
    if ctx.services.booking is None or ctx.person_id is None:
        ctx.say("booking-unavailable")  # a bare engine (tests, tools): no database to book in
        return True
    return False


def _describe(ctx: Ctx, kind: str, mode: str, lang: str) -> dict[str, str]:
    return {
        "kind": ctx.t(f"booking-kind-{kind}"),
        "mode": ctx.t(f"booking-mode-{mode}"),
        "lang": ctx.t(f"booking-lang-{lang}"),
    }


def _begin_move(ctx: Ctx, b: BookingView) -> None:
    d = _draft(ctx)
    d.update(kind=b.kind, lang=b.lang, mode=b.mode, moving=b.id, sel=b.id)
    ctx.say("booking-moving", **_when(ctx, b))
