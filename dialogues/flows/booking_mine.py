"""My bookings: the booking flow's steps to see, move or cancel a booking already made."""

from __future__ import annotations

from booking.bookings import BookingView
from booking.dates import parse_day
from dialogues.context import Ctx
from dialogues.flow import Actions
from dialogues.flows.booking_common import (
    KEY,
    _begin_move,
    _describe,
    _draft,
    _today,
    _unavailable,
    _when,
    when_label,
)

ACTIONS = Actions()  # the steps are declared in booking.py


@ACTIONS("booking.list_mine")
async def list_mine(ctx: Ctx) -> None:
    if _unavailable(ctx):
        return
    assert ctx.services.booking is not None and ctx.person_id is not None
    mine = await ctx.services.booking.upcoming(ctx.person_id)
    if not mine:
        ctx.say("booking-mine-none")
    else:
        ctx.say("booking-mine-list")
    for b in mine:
        ctx.offer(when_label(ctx, b.starts_at), str(b.id))
    ctx.offer(ctx.t("booking-new"), "new")


@ACTIONS("booking.pick_mine")
async def pick_mine(ctx: Ctx) -> None:
    if ctx.value == "new":
        ctx.goto("booking.start")
        return
    if not (ctx.value or "").isdigit():
        ctx.say("common-stale")
        return
    want = _draft(ctx).get("want")
    ctx.state.vars[KEY] = {"sel": int(ctx.value or 0), **({"want": want} if want else {})}
    ctx.goto("booking.manage")


async def _selected(ctx: Ctx) -> BookingView | None:
    service, sel = ctx.services.booking, _draft(ctx).get("sel")
    if service is None or ctx.person_id is None or not isinstance(sel, int):
        return None
    found = await service.get(sel, ctx.person_id)
    return found if found is not None and found.status == "booked" else None


@ACTIONS("booking.show_one")
async def show_one(ctx: Ctx) -> None:
    b = await _selected(ctx)
    if b is None:
        ctx.say("booking-gone")
        ctx.goto("booking.mine")
        return
    ctx.say("booking-details", **_when(ctx, b), **_describe(ctx, b.kind, b.mode, b.lang))


@ACTIONS("booking.begin_move")
async def begin_move(ctx: Ctx) -> None:
    b = await _selected(ctx)
    if b is None:
        ctx.say("booking-gone")
        ctx.goto("booking.mine")
        return
    _begin_move(ctx, b)


@ACTIONS("booking.move_text")
async def move_text(ctx: Ctx) -> None:
    """ "перенести на понедельник" while looking at a booking: move it to that day."""
    wanted = parse_day(ctx.value or "", _today(ctx))
    b = await _selected(ctx)
    if wanted is None or b is None:
        ctx.decline()
        return
    _begin_move(ctx, b)
    _draft(ctx)["want"] = wanted.isoformat()
    ctx.goto("booking.day")


@ACTIONS("booking.ask_cancel")
async def ask_cancel(ctx: Ctx) -> None:
    b = await _selected(ctx)
    if b is None:
        ctx.say("booking-gone")
        ctx.goto("booking.mine")
        return
    ctx.say("booking-cancel-ask", **_when(ctx, b))


@ACTIONS("booking.cancel")
async def cancel(ctx: Ctx) -> None:
    b = await _selected(ctx)
    service = ctx.services.booking
    if (
        b is None
        or service is None
        or await service.cancel(b.id, by="person", person_id=b.person_id) is None
    ):
        ctx.say("booking-gone")
        ctx.goto("booking.mine")
        return
    ctx.state.vars.pop(KEY, None)
    ctx.goto("booking.cancelled")
