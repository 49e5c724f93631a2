"""Asking for a live consultant: confirm → a case is opened → the place in the queue.

The case itself is opened by the handoff package when the engine emits `RequestHandoff`
(bot/effects.py runs the hooks and adds their answer — the place in the queue — to the turn).
While a case is open, what the person writes goes to the case (handoff/relay.py intercepts it).
"""

from __future__ import annotations

from datetime import datetime

from core.clock import ALMATY
from core.messages import RequestHandoff
from dialogues.context import Ctx
from dialogues.flow import MENU, Actions, Flow, Option, Step
from dialogues.services import consultant_can_answer

ACTIONS = Actions()
# What other flows may leave in state.vars for the case card (the danger screen, the region).
# What the consultant's card gets from the conversation: the danger screen, the region, and the
# aggressor path's risk answers and notes for the specialist (codes only).
CARD_VARS = ("danger_screen", "danger_level", "region", "aggressor_risk", "programme")

FLOW = Flow(
    "handoff",
    summary="A live consultant of line 150 in the same chat; the queue; callbacks out of hours.",
    steps=(
        # Buttons are offered by the action: none when handoff is off (the lines instead).
        Step("handoff.start", on_enter="handoff.check", on_pick="handoff.choose"),
        Step(
            "handoff.waiting",
            say=("handoff-finding",),
            on_enter="handoff.may_wait",
            options=(Option("cancel", "handoff-cancel", do="handoff.cancel", goto=MENU),),
        ),
        Step(
            "handoff.after_hours",
            on_enter="handoff.offer_times",
            on_pick="handoff.pick_time",
            options=(Option("call", "handoff-call-instead", goto="contacts.start"),),
        ),
        Step("handoff.callback_set", on_enter="handoff.confirm_time"),
        Step("handoff.unavailable", say=("handoff-unavailable", "paths-national-lines")),
    ),
)


@ACTIONS("handoff.check")
async def check(ctx: Ctx) -> None:
    if not ctx.services.handoff_enabled:
        ctx.say("handoff-unavailable")
        ctx.say("paths-national-lines")
        return
    ctx.say("handoff-intro")
    ctx.offer(ctx.t("handoff-yes"), "yes", answers=("yes",))
    ctx.offer(ctx.t("handoff-no"), "no", answers=("no", "not_sure"))


@ACTIONS("handoff.choose")
async def choose(ctx: Ctx) -> None:
    if ctx.value != "yes":
        ctx.goto(MENU)
        return
    await request(ctx)
    if ctx.redirect is None:
        ctx.goto("handoff.waiting")


def _card_details(ctx: Ctx) -> dict[str, object]:
    return {k: ctx.state.vars[k] for k in CARD_VARS if k in ctx.state.vars}


async def request(ctx: Ctx) -> None:
    if not ctx.services.handoff_enabled:
        ctx.goto("handoff.unavailable")
        return
    hours = ctx.services.handoff_hours
    if hours is not None and not hours.is_open(ctx.now):
        ctx.goto("handoff.after_hours")
        return
    ctx.effect(RequestHandoff("asked", details=_card_details(ctx)))


@ACTIONS("handoff.may_wait")
async def may_wait(ctx: Ctx) -> None:
    if not await consultant_can_answer(ctx.services, ctx.now):
        ctx.say("handoff-may-wait")  # honest: nobody is at the queue right now


@ACTIONS("handoff.cancel")
async def cancel(ctx: Ctx) -> None:
    # The open case itself is withdrawn by the relay, which sees this button first.
    ctx.say("handoff-cancelled")


def _local(at: datetime) -> str:
    return at.astimezone(ALMATY).strftime("%d.%m %H:%M")


@ACTIONS("handoff.offer_times")
async def offer_times(ctx: Ctx) -> None:
    hours = ctx.services.handoff_hours
    if hours is None:
        ctx.goto("handoff.start")
        return
    ctx.say("handoff-after-hours", opens=_local(hours.next_open(ctx.now)))
    for slot in hours.callback_slots(ctx.now):
        ctx.offer(_local(slot), slot.astimezone(ALMATY).strftime("%Y%m%d%H%M"))


@ACTIONS("handoff.pick_time")
async def pick_time(ctx: Ctx) -> None:
    try:
        at = datetime.strptime(ctx.value or "", "%Y%m%d%H%M").replace(tzinfo=ALMATY)
    except ValueError:
        ctx.goto("handoff.after_hours")
        return
    ctx.state.vars["handoff_callback"] = _local(at)
    details = {**_card_details(ctx), "callback_at": at.isoformat()}
    ctx.effect(RequestHandoff("callback", details=details))
    ctx.goto("handoff.callback_set")


@ACTIONS("handoff.confirm_time")
async def confirm_time(ctx: Ctx) -> None:
    ctx.say("handoff-callback-set", when=str(ctx.state.vars.get("handoff_callback", "")))
