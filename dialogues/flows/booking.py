"""Booking a session with the family service: kind, language, format, day, time, confirm.

No real name is needed: a pseudonym (optional) and the chat itself are enough. "My bookings"
(button, or /bookings) lists them to move or cancel. Free text lands here through NLU (intent
`book`); inside the flow, day words ("в субботу", "сенбіде", "perenesti na ponedelnik")
preselect a day. Reminders and staff cancellations arrive as steps entered proactively; their
wording is neutral, because someone else may see the phone.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from booking.bookings import BookingError, BookingView, Request, SlotTaken, TooMany
from booking.dates import parse_day, wish
from booking.slots import local_day
from core.clock import ALMATY
from dialogues.context import Ctx
from dialogues.flow import MENU, Actions, Flow, Option, Step

ACTIONS = Actions()
KEY = "bk"  # the flow's answers in state.vars
REMINDER = "reminder_booking"  # set by the reminder sweep through enter_step
STAFF_NOTE = "staff_note"
MAX_NAME_WORDS = 4

KIND_HINT = "booking_kind_hint"  # set by another path before it sends the person here

_KIND = (
    Option("self", "booking-kind-self", goto="booking.lang", do="booking.set_kind"),
    Option("stop", "booking-kind-stop", goto="booking.lang", do="booking.set_kind"),
    Option("family", "booking-kind-family", goto="booking.lang", do="booking.set_kind"),
    Option("mine", "booking-mine-button", goto="booking.mine"),
)

FLOW = Flow(
    "booking",
    summary="Book, move or cancel a free session with the family service; neutral reminders.",
    steps=(
        Step("booking.start", on_enter="booking.start", on_text="booking.note_day", options=_KIND),
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
    ),
)


# -- helpers ------------------------------------------------------------------------------


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


# -- choosing -------------------------------------------------------------------------------


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
    if kind in ("self", "stop", "family"):
        # Another path already said who the session is for (the aggressor's programme).
        _draft(ctx)["kind"] = kind
        ctx.goto("booking.lang")
        return
    ctx.say("booking-intro")
    if wanted:
        ctx.say("booking-day-noted", date=date_label(ctx, wanted))


@ACTIONS("booking.note_day")
async def note_day(ctx: Ctx) -> None:
    """A day named before the day step ("а можно в субботу?"): remembered for later."""
    wanted = parse_day(ctx.value or "", _today(ctx))
    if wanted is None:
        ctx.decline()
        return
    if ctx.state.step == "booking.start":
        return  # booking.start reads the same message again when it is re-entered
    _draft(ctx)["want"] = wanted.isoformat()
    ctx.say("booking-day-noted", date=date_label(ctx, wanted))


@ACTIONS("booking.for_programme")
async def for_programme(ctx: Ctx) -> None:
    """Used by the aggressor path's invitation: the session is for stopping violence."""
    ctx.state.vars[KIND_HINT] = "stop"


@ACTIONS("booking.set_kind")
async def set_kind(ctx: Ctx) -> None:
    _draft(ctx)["kind"] = ctx.value


@ACTIONS("booking.set_lang")
async def set_lang(ctx: Ctx) -> None:
    _draft(ctx)["lang"] = ctx.value


@ACTIONS("booking.set_mode")
async def set_mode(ctx: Ctx) -> None:
    _draft(ctx)["mode"] = ctx.value


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
    wanted = parse_day(ctx.value or "", _today(ctx))
    if wanted is None:
        ctx.decline()
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
    try:
        made = await service.book(
            person,
            req,
            datetime.fromisoformat(d["start"]),
            contact_id=ctx.state.contact,
            pseudonym=d.get("name"),
            replacing=d.get("moving"),
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
    ctx.say("booking-done-after")


# -- my bookings ------------------------------------------------------------------------------


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


def _begin_move(ctx: Ctx, b: BookingView) -> None:
    d = _draft(ctx)
    d.update(kind=b.kind, lang=b.lang, mode=b.mode, moving=b.id, sel=b.id)
    ctx.say("booking-moving", **_when(ctx, b))


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


# -- proactive: reminders and cancellations by staff ------------------------------------------


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
    ctx.say(
        "booking-staff-cancelled", day=_relative_day(ctx, b.starts_at), time=time_label(b.starts_at)
    )
    if note:
        ctx.say("booking-staff-note", note=note)
