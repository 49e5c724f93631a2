"""Safety interrupts: urgent help, quick exit, and erasing what is stored."""

from __future__ import annotations

from dialogues.context import Ctx
from dialogues.flow import MENU, RESUME, Actions, Flow, Option, Step
from dialogues.messages import EraseChat, ForgetPerson, Reply, RequestHandoff

ACTIONS = Actions()

# What to do right now, by who is writing: the numbers always come first (the step's text),
# then this advice. An aggressor about to hurt someone gets the time-out instruction.
URGENT_ADVICE_BY_ROLE = {
    "victim": "safety-urgent-now",
    "unknown": "safety-urgent-now",
    "witness": "safety-urgent-witness",
    "aggressor": "safety-urgent-aggressor",
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
                Option("no", "safety-forget-no", goto=MENU),
            ),
            columns=2,
        ),
        Step("safety.forgotten", controls=False, menu_button=False),
    ),
)


def _case_details(ctx: Ctx) -> dict[str, object]:
    """What the consultant should see at once: who is writing and any danger-screen answers."""
    details: dict[str, object] = {"role": urgent_role(ctx)}
    if isinstance(ctx.state.vars.get("danger"), dict):
        details["danger_screen"] = dict(ctx.state.vars["danger"])
        details["danger_level"] = ctx.state.vars.get("danger_level")
    return details


def urgent_role(ctx: Ctx) -> str:
    """Who is writing: the path the person chose, when the interrupt came from inside one
    (a choice they made outweighs one message's guess), or else the NLU role."""
    flow = (ctx.state.resume or "").partition(".")[0]
    if flow in URGENT_ADVICE_BY_ROLE and flow != "unknown":
        return flow
    if ctx.nlu is not None and ctx.nlu.role in URGENT_ADVICE_BY_ROLE:
        return ctx.nlu.role
    return "unknown"


@ACTIONS("safety.call_consultant")
async def call_consultant(ctx: Ctx) -> None:
    ctx.say(URGENT_ADVICE_BY_ROLE[urgent_role(ctx)])
    if ctx.services.handoff_enabled:
        ctx.say("safety-urgent-consultant")
        ctx.effect(RequestHandoff("urgent", urgent=True, details=_case_details(ctx)))
    else:
        ctx.say("safety-urgent-call")


def _reset(ctx: Ctx) -> None:
    ctx.state.vars.clear()
    ctx.state.resume = None


@ACTIONS("safety.erase")
async def erase(ctx: Ctx) -> None:
    _reset(ctx)
    ctx.effect(EraseChat(then_say=(Reply(ctx.t("safety-exit")),)))


@ACTIONS("safety.erase_urgent")
async def erase_urgent(ctx: Ctx) -> None:
    # The person asked to hide the chat because of danger: erase it, leave the bare numbers,
    # and still raise an urgent case, marked quiet so that consultants do not write first.
    _reset(ctx)
    ctx.effect(EraseChat(then_say=(Reply(ctx.t("safety-exit-urgent"), urgent=True),)))
    if ctx.services.handoff_enabled:
        ctx.effect(RequestHandoff("urgent-exit", urgent=True, details={"quiet": True}))


@ACTIONS("safety.forget")
async def forget(ctx: Ctx) -> None:
    _reset(ctx)
    ctx.effect(EraseChat(then_say=(Reply(ctx.t("safety-forgotten")),)))
    ctx.effect(ForgetPerson())
