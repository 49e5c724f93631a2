"""Safety interrupts: urgent help, quick exit, and erasing what is stored."""

from __future__ import annotations

from core.clock import ALMATY
from core.messages import EraseChat, ForgetPerson, Reply, RequestHandoff
from dialogues.context import Ctx
from dialogues.flow import MENU, RESUME, STAY, Actions, Flow, Option, Step
from dialogues.flows.aggressor_intake import RISK_KEY, consultant_notes
from dialogues.routes import HELP_BY_FINER
from dialogues.services import consultant_can_answer

ACTIONS = Actions()
# The roles a case names (a finer role, State.finer, picks its advice in ADVICE_BY_FINER).
ROLES = ("victim", "witness", "aggressor")

# What to do right now, by who is writing: the numbers always come first (the step's text),
# then this advice. An aggressor about to hurt someone gets the time-out instruction.
URGENT_ADVICE_BY_ROLE = {
    "victim": "safety-urgent-now",
    "unknown": "safety-urgent-now",
    "witness": "safety-urgent-witness",
    "aggressor": "safety-urgent-aggressor",
}
# "What do I do?" right after an urgent reply: steps for right now, by who is writing.
NOW_STEPS_BY_ROLE = {
    "victim": "safety-now-steps",
    "unknown": "safety-now-steps",
    "witness": "safety-urgent-witness",
    "aggressor": "safety-urgent-aggressor",
}
# By the finer role of who is writing (issue 17), before the role: (the urgent advice, the steps
# for "what do I do?"). A child gets a child's steps (texts in young.ftl).
ADVICE_BY_FINER = {
    "young_person": ("young-urgent-now", "young-now-steps"),
    "parent": ("safety-urgent-parent", "safety-now-parent"),
}

FLOW = Flow(
    "safety",
    summary="Runs before any flow: emergency numbers and a consultant; quick exit; /forget.",
    steps=(
        Step(
            "safety.urgent",
            say=("safety-urgent",),
            on_enter="safety.call_consultant",
            options=(Option("resume", "safety-resume", goto=RESUME),),
            urgent=True,
        ),
        # Possible danger: shown by the engine before the normal answer (never entered as a step).
        Step(
            "safety.check",
            say=("safety-check",),
            options=(
                Option("safe", "safety-check-safe", goto=STAY, do="safety.check_safe"),
                Option("unsafe", "safety-check-unsafe", goto="safety.urgent", do="safety.suspend"),
                Option("quiet", "safety-check-quiet", goto="safety.quiet"),
            ),
            urgent=True,
        ),
        # "Can't talk": the bare numbers and a quiet urgent case (consultants do not write first).
        Step(
            "safety.quiet",
            on_enter="safety.quiet",
            controls=False,
            menu_button=False,
            urgent=True,
        ),
        # "What do I do?" within an hour of an urgent reply: what to do right now.
        Step(
            "safety.now",
            on_enter="safety.now",
            options=(Option("resume", "safety-resume", goto=RESUME),),
            urgent=True,
        ),
        # Quick exit: nothing is said before erasing; the neutral line comes after.
        Step("safety.exit", on_enter="safety.erase", controls=False, menu_button=False),
        Step(
            "safety.exit_urgent",
            on_enter="safety.erase_urgent",
            controls=False,
            menu_button=False,
            urgent=True,
        ),
        Step(
            "safety.forget",
            say=("safety-forget-ask",),
            options=(
                Option("yes", "safety-forget-yes", goto="safety.forgotten", do="safety.forget"),
                Option("no", "safety-forget-no", goto=MENU, answers=("no",)),
            ),
            columns=2,
        ),
        Step("safety.forgotten", controls=False, menu_button=False),
    ),
)


def _case_details(ctx: Ctx) -> dict[str, object]:
    """What the consultant should see at once: who is writing and any danger-screen answers."""
    details: dict[str, object] = {"role": urgent_role(ctx)}
    if ctx.state.finer is not None:
        details["finer"] = ctx.state.finer  # a parent or a young person (issue 17)
    if isinstance(ctx.state.vars.get("danger"), dict):
        details["danger_screen"] = dict(ctx.state.vars["danger"])
        details["danger_level"] = ctx.state.vars.get("danger_level")
    # The aggressor path's risk answers (weapon, thoughts of harm...) and notes: codes only.
    if isinstance(ctx.state.vars.get(RISK_KEY), dict):
        details["aggressor_risk"] = dict(ctx.state.vars[RISK_KEY])
        details["aggressor_notes"] = list(consultant_notes(ctx.state.vars))
    return details


def urgent_role(ctx: Ctx) -> str:
    """Who is writing: the path the person is in, when the interrupt came from inside one (a
    choice they made outweighs one message's guess); else the NLU role of this message; else
    the path they chose earlier (State.role)."""
    flow = (ctx.state.resume or "").partition(".")[0]
    if flow in ROLES:
        return flow
    if ctx.nlu is not None and ctx.nlu.role in ROLES:
        return ctx.nlu.role
    chosen = ctx.state.role or "unknown"
    return chosen if chosen in ROLES else "unknown"


def _advice(ctx: Ctx) -> tuple[str, str]:
    """The text keys of the urgent advice and of the "right now" steps: by finer role first."""
    role = urgent_role(ctx)
    by_role = (URGENT_ADVICE_BY_ROLE[role], NOW_STEPS_BY_ROLE[role])
    return ADVICE_BY_FINER.get(ctx.state.finer or "", by_role)


async def urgent_handoff(
    ctx: Ctx, reason: str, details: dict[str, object], *, promise: str, no_handoff: str
) -> None:
    """Open an urgent case and say honestly what happens next: a consultant answers here only
    when one can now (docs/handoff.md, "Honest promises"); otherwise when the line opens or a
    consultant is free, with the phone lines meanwhile. Without handoff: `no_handoff`."""
    services = ctx.services
    if not services.handoff_enabled:
        ctx.say(no_handoff)
        return
    ctx.effect(RequestHandoff(reason, urgent=True, details=details))
    ctx.state.vars["danger_handed_off"] = True  # the danger screen does not call again
    hours = services.handoff_hours
    if await consultant_can_answer(services, ctx.now):
        ctx.say(promise)
    elif hours is not None and not hours.is_open(ctx.now):
        opens = hours.next_open(ctx.now).astimezone(ALMATY).strftime("%d.%m %H:%M")
        ctx.say("urgent-after-hours", opens=opens)
    else:
        ctx.say("urgent-queued")


@ACTIONS("safety.call_consultant")
async def call_consultant(ctx: Ctx) -> None:
    ctx.state.vars["urgent_at"] = ctx.now.isoformat()
    ctx.say(_advice(ctx)[0])
    if ctx.state.resume is None:
        # Nothing to resume (the first message was urgent): "back to the conversation" opens
        # the writer's own path (a child's), not the adults' menu.
        ctx.state.resume = HELP_BY_FINER.get(ctx.state.finer or "")
    await urgent_handoff(
        ctx,
        "urgent",
        _case_details(ctx),
        promise="safety-urgent-consultant",
        no_handoff="safety-urgent-call",
    )


@ACTIONS("safety.check_safe")
async def check_safe(ctx: Ctx) -> None:
    ctx.say("safety-check-ok")


@ACTIONS("safety.suspend")
async def suspend(ctx: Ctx) -> None:
    """Before the urgent path from a button: remember where the person was, to come back."""
    current = ctx.state.step
    if current and not current.startswith("safety.") and current != MENU:
        ctx.state.resume = current


@ACTIONS("safety.quiet")
async def quiet(ctx: Ctx) -> None:
    # Like the urgent quick exit, without erasing: bare numbers, and a case marked quiet so
    # that consultants do not write first (someone may be looking at the phone).
    ctx.state.vars["urgent_at"] = ctx.now.isoformat()
    ctx.messages.append(Reply(ctx.t("safety-exit-urgent"), urgent=True))
    if ctx.services.handoff_enabled:
        ctx.effect(RequestHandoff("urgent-quiet", urgent=True, details={"quiet": True}))


@ACTIONS("safety.now")
async def now(ctx: Ctx) -> None:
    steps = _advice(ctx)[1]
    if steps != "safety-now-steps":
        ctx.say("safety-now-numbers")
    ctx.say(steps)


def _reset(ctx: Ctx) -> None:
    ctx.state.vars.clear()
    ctx.state.role = ctx.state.finer = ctx.state.age = None
    ctx.state.resume = None


@ACTIONS("safety.erase")
async def erase(ctx: Ctx) -> None:
    _reset(ctx)
    ctx.effect(EraseChat(then_say=(Reply(ctx.t("safety-exit")),)))


@ACTIONS("safety.erase_urgent")
async def erase_urgent(ctx: Ctx) -> None:
    # The person asked to hide the chat because of danger: erase it, leave the bare numbers,
    # and still raise an urgent case, marked quiet so that consultants do not write first.
    # Danger first outweighs a neutral chat here: someone in danger now gets 102 and 112 in
    # the very reply, and the numbers alone say less than the conversation they replace
    # (docs/lockscreen.md, "The urgent quick exit").
    _reset(ctx)
    ctx.effect(EraseChat(then_say=(Reply(ctx.t("safety-exit-urgent"), urgent=True),)))
    if ctx.services.handoff_enabled:
        ctx.effect(RequestHandoff("urgent-exit", urgent=True, details={"quiet": True}))


@ACTIONS("safety.forget")
async def forget(ctx: Ctx) -> None:
    _reset(ctx)
    ctx.effect(EraseChat(then_say=(Reply(ctx.t("safety-forgotten")),)))
    ctx.effect(ForgetPerson())
