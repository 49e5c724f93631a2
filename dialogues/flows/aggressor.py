"""Someone who wants to stop hurting a partner or a child: respect, responsibility, no collusion.

The first contact of kz-resources.md §5.2, in its order: immediate risk first (anyone in danger
now, weapons, thoughts of harming the partner, the children or himself, returning to an empty
home after she has left); imminent danger goes straight to the urgent path (102/112/150 and a
consultant, safety.urgent). Then the time-out, a short self-check and the family service's
programme. The self-check's answers are kept only if he agrees that the programme's specialist
may see them (aggressor.check_share: noted as check_* codes for his booking; "no" keeps nothing
and changes nothing). Drinking or drugs is noted for the specialist and, when chaotic, referred
onward, but never ends the conversation or excuses anything; who referred him is asked
(skippable) and goes on the booking and, anonymously, the registry
(dialogues/flows/aggressor_intake.py). docs/aggressor-programme.md explains the choices.
"""

from __future__ import annotations

from dialogues.context import Ctx
from dialogues.flow import Actions, Flow, Option, Step
from dialogues.flows.aggressor_intake import INTAKE_STEPS, RISK_KEY, keep, note

ACTIONS = Actions()
# The self-check: aggressor-check-<id> asks "has it happened that you...?" (yes / no).
CHECK = ("physical", "threats", "control", "sex", "fear")
# What a shared self-check notes for the specialist (registry.vocabulary.INTAKE_NOTES).
CHECK_CODES = ("check_shared", *(f"check_{item}" for item in CHECK))
# Typed answers (dialogues/data/answers.yaml).
YES, NO, NOT_SURE = ("yes",), ("no",), ("not_sure",)

# The risk questions, in order: aggressor-risk-<id> asks, a "yes" to one in IMMINENT is
# imminent danger (§5.2: "If there is imminent danger → 102"). A "not sure" is never a way out
# of the questions: it is noted for the specialist (UNSURE_NOTE) and the next question follows.
RISK = ("now", "weapon", "harm", "self", "left")
IMMINENT = frozenset({"now", "weapon", "harm", "self"})
UNSURE_NOTE = {"weapon": "weapon_unsure", "harm": "harm_unsure", "self": "harm_unsure"}


def _risk_step(index: int) -> Step:
    qid = RISK[index]
    target = f"aggressor.risk_{RISK[index + 1]}" if index + 1 < len(RISK) else "aggressor.menu"
    # "Her leaving" is the one question whose "yes" has its own advice, not the urgent path.
    yes_target = "aggressor.left" if qid == "left" else target
    return Step(
        f"aggressor.risk_{qid}",
        say=(f"aggressor-risk-{qid}",),
        options=(
            Option("yes", "aggressor-yes", goto=yes_target, do="aggressor.risk", answers=YES),
            Option("no", "aggressor-no", goto=target, do="aggressor.risk", answers=NO),
            Option(
                "not_sure",
                "aggressor-not-sure",
                goto="aggressor.timeout" if qid == "now" else target,
                do="aggressor.risk",
                answers=NOT_SURE,
            ),
        ),
        # Free text that is not an answer asks again: a risk question is never skipped by
        # NLU routing (an urgent message still goes to the urgent path first).
        insist="aggressor-risk-reask",
        columns=3,
    )


def _check_step(index: int) -> Step:
    target = (
        "aggressor.check_result"
        if index == len(CHECK) - 1
        else f"aggressor.check_{CHECK[index + 1]}"
    )
    return Step(
        f"aggressor.check_{CHECK[index]}",
        say=(f"aggressor-check-{CHECK[index]}",),
        options=(
            Option("yes", "aggressor-yes", goto=target, do="aggressor.check_answer", answers=YES),
            Option("no", "aggressor-no", goto=target, do="aggressor.check_answer", answers=NO),
        ),
        columns=2,
    )


FLOW = Flow(
    "aggressor",
    role="aggressor",
    summary="First contact (kz-resources §5.2): risk questions first (imminent → 102/112/150 and "
    "a consultant); time-out; self-check, shown to the specialist only with his consent; the "
    "programme; drinking noted and referred, never an excuse; who referred him (police or "
    "court: does he want attendance confirmed); booking.",
    steps=(
        Step(
            "aggressor.start",
            say=("aggressor-start", "aggressor-risk-intro"),
            on_enter="aggressor.reset",
            next=f"aggressor.risk_{RISK[0]}",
        ),
        *(_risk_step(i) for i in range(len(RISK))),
        Step(
            "aggressor.left",
            say=("aggressor-left", "aggressor-left-partner"),
            options=(
                Option("next", "aggressor-btn-next", goto="aggressor.menu"),
                Option("timeout", "aggressor-btn-timeout", goto="aggressor.timeout"),
            ),
        ),
        Step(
            "aggressor.timeout",
            say=("aggressor-timeout-now", "aggressor-timeout-steps", "aggressor-timeout-not"),
            options=(
                Option("ok", "aggressor-btn-calmer", do="aggressor.after_timeout"),
                Option("human", "victim-btn-human", goto="handoff.start"),
            ),
        ),
        Step(
            "aggressor.menu",
            say=("aggressor-menu",),
            options=(
                Option("check", "aggressor-btn-check", goto="aggressor.check_intro"),
                Option("programme", "aggressor-btn-programme", goto="aggressor.programme"),
                Option("timeout", "aggressor-btn-timeout", goto="aggressor.timeout"),
                # A parent afraid of hurting their own child: their own path (issue 17).
                Option("parent", "aggressor-btn-parent", goto="parent.start"),
                Option("human", "victim-btn-human", goto="handoff.start"),
            ),
        ),
        Step(
            "aggressor.check_intro",
            say=("aggressor-check-intro",),
            on_enter="aggressor.check_reset",
            next=f"aggressor.check_{CHECK[0]}",
        ),
        *(_check_step(i) for i in range(len(CHECK))),
        Step(
            "aggressor.check_result",
            on_enter="aggressor.check_result",
            next="aggressor.check_share",
        ),
        # His consent first, asked as a question that must be answered; either way he goes on
        # to what the result offers.
        Step(
            "aggressor.check_share",
            say=("aggressor-check-share-ask",),
            options=(
                Option(
                    "yes",
                    "aggressor-check-share-yes",
                    goto="aggressor.check_next",
                    do="aggressor.check_share",
                    answers=YES,
                ),
                Option(
                    "no",
                    "aggressor-check-share-no",
                    goto="aggressor.check_next",
                    do="aggressor.check_share",
                    answers=("no", "not_sure"),
                ),
            ),
            insist="aggressor-yes-no-reask",
            columns=2,
        ),
        Step(
            "aggressor.check_next",
            say=("aggressor-check-next",),
            options=(
                Option("programme", "aggressor-btn-programme", goto="aggressor.programme"),
                Option("timeout", "aggressor-btn-timeout", goto="aggressor.timeout"),
            ),
        ),
        *INTAKE_STEPS,
    ),
)


@ACTIONS("aggressor.reset")
async def reset(ctx: Ctx) -> None:
    ctx.state.vars[RISK_KEY] = {}
    ctx.state.vars.pop("self_check", None)  # answers never shared are not carried along


def _risk(ctx: Ctx) -> dict[str, str]:
    value = ctx.state.vars.get(RISK_KEY)
    return dict(value) if isinstance(value, dict) else {}


@ACTIONS("aggressor.risk")
async def risk(ctx: Ctx) -> None:
    qid = (ctx.step or "").removeprefix("aggressor.risk_")
    if qid not in RISK or ctx.value not in ("yes", "no", "not_sure"):
        return
    ctx.state.vars[RISK_KEY] = {**_risk(ctx), qid: ctx.value}
    if ctx.value == "not_sure" and qid in UNSURE_NOTE:
        note(ctx, UNSURE_NOTE[qid])
    if ctx.value == "yes" and qid == "left":
        note(ctx, "empty_home")
    if ctx.value == "yes" and qid in IMMINENT:
        # Imminent danger: the urgent path now (the numbers in its first reply, a consultant
        # called and promised only when one can answer: safety.call_consultant). "Back to the
        # conversation" then goes on with the next question, not out of them.
        note(ctx, "urgent")
        ctx.state.resume = _next_unanswered(ctx) or "aggressor.menu"
        ctx.goto("safety.urgent")


def _next_unanswered(ctx: Ctx) -> str | None:
    done = _risk(ctx)
    return next((f"aggressor.risk_{q}" for q in RISK if q not in done), None)


@ACTIONS("aggressor.after_timeout")
async def after_timeout(ctx: Ctx) -> None:
    # A time-out taken in the middle of the risk questions comes back to them.
    pending = _next_unanswered(ctx) if RISK_KEY in ctx.state.vars else None
    ctx.goto(pending or "aggressor.menu")


@ACTIONS("aggressor.check_reset")
async def check_reset(ctx: Ctx) -> None:
    ctx.state.vars["self_check"] = []


@ACTIONS("aggressor.check_answer")
async def check_answer(ctx: Ctx) -> None:
    item = (ctx.step or "").removeprefix("aggressor.check_")
    marked = ctx.state.vars.get("self_check")
    if item in CHECK and isinstance(marked, list) and ctx.value == "yes" and item not in marked:
        marked.append(item)


@ACTIONS("aggressor.check_result")
async def check_result(ctx: Ctx) -> None:
    # Not scored: only whether any was "yes". The answers wait for his consent (check_share).
    ctx.say("aggressor-check-some" if ctx.state.vars.get("self_check") else "aggressor-check-none")


@ACTIONS("aggressor.check_share")
async def check_share(ctx: Ctx) -> None:
    marked = ctx.state.vars.pop("self_check", None)
    if ctx.value != "yes":
        # "No" keeps nothing: not even what an earlier check shared.
        await keep(ctx, (), replacing=CHECK_CODES)
        ctx.say("aggressor-check-not-shared")
    elif isinstance(marked, list):  # else a second press: the answers are kept already
        shared = ("check_shared", *(f"check_{item}" for item in CHECK if item in marked))
        await keep(ctx, shared, replacing=CHECK_CODES)  # a redone check replaces the last
        ctx.say("aggressor-check-shared")
