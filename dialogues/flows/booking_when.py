"""The booking flow's day and time: the days and free times it offers, the day words it
understands on the way ("в субботу", "сенбіде"), and other times when the chosen one was taken."""

from __future__ import annotations

import re
from datetime import date, datetime

from booking.dates import parse_day
from booking.slots import local_day
from core.clock import ALMATY
from dialogues.context import Ctx
from dialogues.flow import Actions
from dialogues.flows.booking_common import (
    _draft,
    _request,
    _today,
    _unavailable,
    date_label,
    time_label,
    when_label,
)

ACTIONS = Actions()  # the steps are declared in booking.py


def _wanted_day(ctx: Ctx) -> date | None:
    """The day the person typed, or None (the text is declined: another handler may read it)."""
    wanted = parse_day(ctx.value or "", _today(ctx))
    if wanted is None:
        ctx.decline()
    return wanted


@ACTIONS("booking.note_day")
async def note_day(ctx: Ctx) -> None:
    """A day named before the day step ("а можно в субботу?"): remembered for later."""
    wanted = _wanted_day(ctx)
    if wanted is None:
        return
    if ctx.state.step == "booking.start":
        return  # booking.start reads the same message again when it is re-entered
    _draft(ctx)["want"] = wanted.isoformat()
    ctx.say("booking-day-noted", date=date_label(ctx, wanted))


@ACTIONS("booking.offer_days")
async def offer_days(ctx: Ctx) -> None:
    if _unavailable(ctx):
        return
    assert ctx.services.booking is not None
    req = _request(ctx)
    if req is None:
        ctx.goto("booking.start")
        return
    d = _draft(ctx)
    days = await ctx.services.booking.free_days(req)
    wanted = d.pop("want", None)
    if wanted:
        day = date.fromisoformat(wanted)
        if day in days:
            d["day"] = wanted
            ctx.goto("booking.slot")
            return
        ctx.say("booking-want-full", date=date_label(ctx, day))
    if not days:
        ctx.goto("booking.none")
        return
    if not wanted:
        ctx.say("booking-ask-day")
    for day in days:
        ctx.offer(date_label(ctx, day), day.isoformat())


@ACTIONS("booking.pick_day")
async def pick_day(ctx: Ctx) -> None:
    try:
        date.fromisoformat(ctx.value or "")
    except ValueError:
        ctx.say("common-stale")
        return
    _draft(ctx)["day"] = ctx.value
    ctx.goto("booking.slot")


@ACTIONS("booking.day_text")
async def day_text(ctx: Ctx) -> None:
    wanted = _wanted_day(ctx)
    if wanted is None:
        return
    _draft(ctx)["want"] = wanted.isoformat()
    ctx.goto("booking.day")


@ACTIONS("booking.offer_slots")
async def offer_slots(ctx: Ctx) -> None:
    if _unavailable(ctx):
        return
    assert ctx.services.booking is not None
    req, d = _request(ctx), _draft(ctx)
    if req is None or "day" not in d:
        ctx.goto("booking.start" if req is None else "booking.day")
        return
    day = date.fromisoformat(d["day"])
    slots = await ctx.services.booking.free_slots(req, day)
    if not slots:
        ctx.say("booking-day-full")
        ctx.goto("booking.day")
        return
    ctx.say("booking-ask-time", date=date_label(ctx, day))
    for slot in slots:
        ctx.offer(time_label(slot.starts_at), time_label(slot.starts_at).replace(":", ""))
    ctx.offer(ctx.t("booking-other-day"), "days")


_HHMM = re.compile(r"(?:[01][0-9]|2[0-3])[0-5][0-9]", re.ASCII)


@ACTIONS("booking.pick_slot")
async def pick_slot(ctx: Ctx) -> None:
    d, value = _draft(ctx), ctx.value or ""
    if value == "days":
        ctx.goto("booking.day")
        return
    # A button's payload can be forged: only a real time of day ("0930") passes.
    if not _HHMM.fullmatch(value) or "day" not in d:
        ctx.say("common-stale")
        return
    day = date.fromisoformat(d["day"])
    local = datetime(day.year, day.month, day.day, int(value[:2]), int(value[2:]), tzinfo=ALMATY)
    d["start"] = local.isoformat()
    ctx.goto("booking.confirm" if d.get("moving") else "booking.name")


@ACTIONS("booking.offer_alternatives")
async def offer_alternatives(ctx: Ctx) -> None:
    alts = _draft(ctx).get("alts") or []
    if not alts:
        ctx.goto("booking.day")
        return
    ctx.say("booking-taken")
    for i, iso in enumerate(alts):
        moment = datetime.fromisoformat(iso)
        ctx.offer(when_label(ctx, moment), str(i))
    ctx.offer(ctx.t("booking-other-day"), "days")


@ACTIONS("booking.pick_alternative")
async def pick_alternative(ctx: Ctx) -> None:
    d, value = _draft(ctx), ctx.value or ""
    alts = d.get("alts") or []
    if value == "days":
        ctx.goto("booking.day")
        return
    if not value.isdigit() or int(value) >= len(alts):
        ctx.say("common-stale")
        return
    moment = datetime.fromisoformat(alts[int(value)])
    d["start"], d["day"] = moment.isoformat(), local_day(moment).isoformat()
    ctx.goto("booking.confirm")
