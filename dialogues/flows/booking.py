"""Booking a session with the family service: kind, language, format, day, time, confirm.

No real name is needed: a pseudonym (optional) and the chat itself are enough. "My bookings"
(button, or /bookings) lists them to move or cancel. Free text lands here through NLU (intent
`book`); inside the flow, day words ("в субботу", "сенбіде", "perenesti na ponedelnik")
preselect a day. Reminders and staff cancellations arrive as steps entered proactively; their
wording is neutral, because someone else may see the phone.

Every step is declared here, with the actions for choosing who the session is for, naming and
booking. The actions for the day and time are in booking_when.py, those for managing a booking in
booking_mine.py, the proactive ones in booking_proactive.py; the draft and the labels they share
in booking_common.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from booking.bookings import (
    MIN_REMINDER_LEAD,
    BookingError,
    Intake,
    SlotTaken,
    StreamRefused,
    TooMany,
)
from booking.dates import parse_day, wish
from booking.slots import local_day
from dialogues.context import Ctx
from dialogues.flow import MENU, Actions, Flow, Option, Step
from dialogues.flows.aggressor_intake import programme_intake
from dialogues.flows.booking_common import (
    KEY,
    _begin_move,
    _describe,
    _draft,
    _request,
    _today,
    _unavailable,
    _when,
    date_label,
    time_label,
)

ACTIONS = Actions()
MAX_NAME_WORDS = 4

KIND_HINT = "booking_kind_hint"  # set by another path before it sends the person here

_KIND = (
    Option("self", "booking-kind-self", goto="booking.lang", do="booking.set_kind"),
    Option("stop", "booking-kind-stop", goto="booking.lang", do="booking.set_kind"),
)
# "For the family" is offered only where nothing in the conversation speaks of violence, and
# "my bookings" follows it: both are the start's dynamic buttons (booking.pick_kind). Joint or
# family sessions are never offered where there is violence (kz-resources.md §5.1: no couples
# counselling or mediation while abuse is ongoing; docs/booking.md, issue 20).
FAMILY, MINE = "family", "mine"
# The paths whose walker has said there is violence around them (State.role, State.finer).
VIOLENCE_ROLES = frozenset({"victim", "aggressor", "witness"})

FLOW = Flow(
    "booking",
    summary="Book, move or cancel a free session with the family service; neutral reminders.",
    steps=(
        Step(
            "booking.start",
            on_enter="booking.start",
            on_text="booking.note_day",
            on_pick="booking.pick_kind",
            options=_KIND,
        ),
        Step(
            "booking.lang",
            say=("booking-ask-lang",),
            options=(
                Option("ru", "lang-ru", goto="booking.mode", do="booking.set_lang"),
                Option("kk", "lang-kk", goto="booking.mode", do="booking.set_lang"),
            ),
            on_text="booking.note_day",
            columns=2,
        ),
        Step(
            "booking.mode",
            say=("booking-ask-mode",),
            options=(
                Option("office", "booking-mode-office", goto="booking.day", do="booking.set_mode"),
                Option("online", "booking-mode-online", goto="booking.day", do="booking.set_mode"),
            ),
            on_text="booking.note_day",
        ),
        Step(
            "booking.day",
            on_enter="booking.offer_days",
            on_pick="booking.pick_day",
            on_text="booking.day_text",
            columns=2,
        ),
        Step(
            "booking.none",
            say=("booking-no-days",),
            options=(
                Option("mode", "booking-change-mode", goto="booking.mode"),
                Option("lang", "booking-change-lang", goto="booking.lang"),
            ),
        ),
        Step(
            "booking.slot",
            on_enter="booking.offer_slots",
            on_pick="booking.pick_slot",
            on_text="booking.day_text",
            columns=3,
        ),
        Step(
            "booking.retry",
            on_enter="booking.offer_alternatives",
            on_pick="booking.pick_alternative",
            on_text="booking.day_text",
        ),
        Step(
            "booking.name",
            say=("booking-ask-name",),
            options=(
                Option("skip", "booking-name-skip", goto="booking.confirm", do="booking.skip_name"),
            ),
            on_text="booking.set_name",
        ),
        Step(
            "booking.confirm",
            on_enter="booking.summary",
            options=(
                Option("yes", "booking-confirm-yes", do="booking.book", answers=("yes",)),
                Option("time", "booking-change-time", goto="booking.day"),
                Option(
                    "no", "booking-confirm-no", goto=MENU, do="booking.drop_draft", answers=("no",)
                ),
            ),
        ),
        Step(
            "booking.booked",
            on_enter="booking.show_booked",
            options=(Option("mine", "booking-mine-button", goto="booking.mine"),),
        ),
        Step(
            "booking.mine",
            on_enter="booking.list_mine",
            on_pick="booking.pick_mine",
        ),
        Step(
            "booking.manage",
            on_enter="booking.show_one",
            options=(
                Option("move", "booking-move", goto="booking.day", do="booking.begin_move"),
                Option("cancel", "booking-cancel", goto="booking.cancel_ask"),
                Option("back", "booking-back", goto="booking.mine"),
            ),
            on_text="booking.move_text",
        ),
        Step(
            "booking.cancel_ask",
            on_enter="booking.ask_cancel",
            options=(
                Option("yes", "booking-yes-cancel", do="booking.cancel", answers=("yes",)),
                Option("no", "booking-no-keep", goto="booking.manage", answers=("no",)),
            ),
            columns=2,
        ),
        Step(
            "booking.cancelled",
            say=("booking-cancelled",),
            options=(Option("new", "booking-new", goto="booking.start"),),
        ),
        # Proactive steps: neutral wording only (no psychologist, no violence, no crisis).
        Step(
            "booking.reminder",
            on_enter="booking.remind",
            options=(
                Option("yes", "booking-reminder-yes", do="booking.reminder_yes", answers=("yes",)),
                Option(
                    "no", "booking-reminder-no", goto="booking.reminder_cancel", answers=("no",)
                ),
            ),
            columns=2,
        ),
        Step("booking.reminder_ok", say=("booking-reminder-thanks",)),
        Step(
            "booking.reminder_cancel",
            say=("booking-reminder-cancel-ask",),
            options=(
                Option("yes", "booking-yes-cancel", do="booking.reminder_cancel", answers=("yes",)),
                Option("no", "booking-no-keep", goto="booking.reminder_ok", answers=("no",)),
            ),
            columns=2,
        ),
        Step("booking.reminder_cancelled", say=("booking-reminder-cancelled",)),
        Step(
            "booking.staff_cancelled",
            on_enter="booking.staff_cancelled",
            options=(Option("again", "booking-pick-other", goto="booking.mine"),),
        ),
        Step(
            "booking.staff_moved",
            on_enter="booking.staff_moved",
            options=(Option("again", "booking-pick-other", goto="booking.mine"),),
        ),
        Step("booking.online_link", on_enter="booking.online_link"),
        # A joint session asked by someone who uses violence: not while there is abuse.
        Step(
            "booking.family_not_now",
            say=("booking-family-not-now",),
            options=(_KIND[1],),
        ),
        # "For the family" pressed from an old keyboard by someone whose path speaks of violence.
        Step(
            "booking.family_not_offered",
            say=("booking-family-not-offered",),
            options=(_KIND[0],),
        ),
        # A consultant of line 150 offers the family service from a live case (warm referral).
        Step("booking.referred", say=("booking-referred-neutral",), next="booking.start"),
    ),
)


# -- who, language, format ------------------------------------------------------------------


@ACTIONS("booking.start")
async def start(ctx: Ctx) -> None:
    if _unavailable(ctx):
        return
    assert ctx.services.booking is not None and ctx.person_id is not None
    text = ctx.inbound.text or ""
    ctx.state.vars[KEY] = {}
    wanted = parse_day(text, _today(ctx)) if text else None
    if wanted:
        _draft(ctx)["want"] = wanted.isoformat()
    intent = wish(text) if text else None
    if intent is not None:
        mine = await ctx.services.booking.upcoming(ctx.person_id)
        if len(mine) == 1 and intent in ("move", "cancel"):
            _draft(ctx)["sel"] = mine[0].id
            if intent == "cancel":
                ctx.goto("booking.cancel_ask")
            else:
                _begin_move(ctx, mine[0])
                ctx.goto("booking.day")
            return
        if mine:
            ctx.goto("booking.mine")
            return
    kind = ctx.state.vars.pop(KIND_HINT, None)
    if kind in ("self", "stop", "family", "parent"):
        # Another path already said who the session is for (the aggressor's programme, a
        # parent's own session).
        _draft(ctx)["kind"] = kind
        ctx.goto("booking.lang")
        return
    family = not await _violence_around(ctx)
    ctx.say("booking-intro" if family else "booking-intro-no-family")
    if wanted:
        ctx.say("booking-day-noted", date=date_label(ctx, wanted))
    if family:
        ctx.offer(ctx.t("booking-kind-family"), FAMILY)
    ctx.offer(ctx.t("booking-mine-button"), MINE)


@ACTIONS("booking.pick_kind")
async def pick_kind(ctx: Ctx) -> None:
    if ctx.value == MINE:
        ctx.goto("booking.mine")
        return
    if ctx.value != FAMILY:
        ctx.goto("booking.start")
        return
    await set_kind(ctx)
    if ctx.redirect is None:
        ctx.goto("booking.lang")


@ACTIONS("booking.for_programme")
async def for_programme(ctx: Ctx) -> None:
    """Used by the aggressor path's invitation: the session is for stopping violence."""
    ctx.state.vars[KIND_HINT] = "stop"


@ACTIONS("booking.for_parent")
async def for_parent(ctx: Ctx) -> None:
    """Used by the parents' path (issue 17): a parent's own session about bringing up a child
    without violence, with the family stream only (booking/streams.py, docs/parents.md)."""
    ctx.state.vars[KIND_HINT] = "parent"


@ACTIONS("booking.set_kind")
async def set_kind(ctx: Ctx) -> None:
    if ctx.value == FAMILY and await _uses_violence(ctx):
        ctx.goto("booking.family_not_now")  # no couples work while there is abuse
        return
    if ctx.value == FAMILY and await _violence_around(ctx):
        ctx.goto("booking.family_not_offered")  # a button kept from before the path said so
        return
    _draft(ctx)["kind"] = ctx.value


async def _violence_around(ctx: Ctx) -> bool:
    """Whether the conversation says there is violence around the person: a path that says
    so (victim, aggressor, witness; a child's or a parent's path), an urgent reply, a danger
    screen, or the programme booked before. Then no family session is offered."""
    state = ctx.state
    if state.role in VIOLENCE_ROLES or state.finer is not None:
        return True
    if any(k in state.vars for k in ("urgent_at", "danger", "aggressor_risk")):
        return True
    return await _uses_violence(ctx)


async def _uses_violence(ctx: Ctx) -> bool:
    """On the aggressor path now (State.role), or booked the programme before."""
    if ctx.state.role == "aggressor":
        return True
    service = ctx.services.booking
    return bool(
        service is not None
        and ctx.person_id is not None
        and "family" not in await service.kinds_for(ctx.person_id)
    )


@ACTIONS("booking.set_lang")
async def set_lang(ctx: Ctx) -> None:
    _draft(ctx)["lang"] = ctx.value


@ACTIONS("booking.set_mode")
async def set_mode(ctx: Ctx) -> None:
    _draft(ctx)["mode"] = ctx.value


# -- naming and booking ---------------------------------------------------------------------


@ACTIONS("booking.set_name")
async def set_name(ctx: Ctx) -> None:
    from booking.bookings import MAX_PSEUDONYM

    name = " ".join((ctx.value or "").split())
    if not name or len(name) > MAX_PSEUDONYM or len(name.split()) > MAX_NAME_WORDS:
        ctx.say("booking-name-too-long", max=str(MAX_PSEUDONYM))
        return
    _draft(ctx)["name"] = name
    ctx.goto("booking.confirm")


@ACTIONS("booking.skip_name")
async def skip_name(ctx: Ctx) -> None:
    _draft(ctx).pop("name", None)


@ACTIONS("booking.summary")
async def summary(ctx: Ctx) -> None:
    req, d = _request(ctx), _draft(ctx)
    if req is None or "start" not in d or ctx.services.booking is None:
        ctx.goto("booking.start")
        return
    start_at = datetime.fromisoformat(d["start"])
    rules = (await ctx.services.booking.schedule.load()).rules
    ctx.say(
        "booking-summary",
        date=date_label(ctx, local_day(start_at)),
        time=time_label(start_at),
        duration=str(rules.session_minutes),
        name=d.get("name") or ctx.t("booking-name-none"),
        **_describe(ctx, req.kind, req.mode, req.lang),
    )


@ACTIONS("booking.drop_draft")
async def drop_draft(ctx: Ctx) -> None:
    ctx.state.vars.pop(KEY, None)


@ACTIONS("booking.book")
async def book(ctx: Ctx) -> None:
    if _unavailable(ctx):
        return
    service, person = ctx.services.booking, ctx.person_id
    assert service is not None and person is not None
    req, d = _request(ctx), _draft(ctx)
    if req is None or "start" not in d:
        ctx.goto("booking.start")
        return
    # The programme's first conversation (who referred him, notes for the specialist) goes on
    # a session for stopping violence only.
    referral, notes = programme_intake(ctx.state.vars) if req.kind == "stop" else (None, ())
    try:
        made = await service.book(
            person,
            req,
            datetime.fromisoformat(d["start"]),
            contact_id=ctx.state.contact,
            pseudonym=d.get("name"),
            replacing=d.get("moving"),
            intake=Intake(referral, notes),
        )
    except SlotTaken as taken:
        d["alts"] = [s.starts_at.isoformat() for s in taken.alternatives]
        ctx.goto("booking.retry" if taken.alternatives else "booking.none")
        if not taken.alternatives:
            ctx.say("booking-taken-none")
        return
    except TooMany:
        rules = (await service.schedule.load()).rules
        ctx.say("booking-too-many", max=str(rules.max_active_per_person))
        ctx.goto("booking.mine")
        return
    except StreamRefused:
        ctx.goto("booking.family_not_now")
        return
    except BookingError:
        ctx.say("booking-gone")
        ctx.goto("booking.mine")
        return
    if ctx.services.registry is not None:
        await ctx.services.registry.update(made.contact_id, booked=True)
    ctx.state.vars[KEY] = {"last": made.id, "moved": bool(d.get("moving"))}
    ctx.goto("booking.booked")


@ACTIONS("booking.show_booked")
async def show_booked(ctx: Ctx) -> None:
    service, d = ctx.services.booking, _draft(ctx)
    made = await service.get(int(d.get("last", 0)), ctx.person_id) if service else None
    if service is None or made is None:
        ctx.goto("booking.mine")
        return
    rules = (await service.schedule.load()).rules
    ctx.say("booking-moved" if d.get("moved") else "booking-done", **_when(ctx, made))
    if made.mode == "office":
        ctx.say("booking-done-office", address=rules.text("office_address", ctx.lang))
    else:
        ctx.say("booking-done-online", policy=rules.text("online_policy", ctx.lang))
    _promise_reminders(ctx, service.reminder_hours, made.starts_at)


def _promise_reminders(ctx: Ctx, hours: Sequence[int], starts_at: datetime) -> None:
    """Promise the reminders the booking has (Bookings.book makes one per `reminder_hours`
    that falls due an hour or more from now), no more and no fewer (issue 20)."""
    planned = [h for h in hours if starts_at - timedelta(hours=h) >= ctx.now + MIN_REMINDER_LEAD]
    if not planned:
        ctx.say("booking-done-manage")
        return
    parts = [ctx.t("booking-reminder-hours", hours=str(h)) for h in planned]
    when = f" {ctx.t('booking-reminder-and')} ".join(parts)
    count = "one" if len(planned) == 1 else "other"
    ctx.say("booking-done-reminders", count=count, when=when)
