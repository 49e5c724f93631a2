"""Someone who wants to stop hurting a partner or a child: respect, responsibility, no collusion.

First the immediate question (about to hurt someone? → time-out now), then a short self-check
(informational, no score), the family service's programme (→ booking.start), and an honest
referral to addiction services, which the programme needs to come first for dependent people.
"""

from __future__ import annotations

from dialogues.context import Ctx
from dialogues.flow import Actions, Flow, Option, Step

ACTIONS = Actions()
# The self-check: aggressor-check-<id> asks "has it happened that you...?" (yes / no).
CHECK = ("physical", "threats", "control", "sex", "fear")
# Typed answers (dialogues/data/answers.yaml): "not sure" about being on the edge is taken as yes.
YES, NO, YES_OR_UNSURE = ("yes",), ("no",), ("yes", "not_sure")


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
    summary="Responsibility-focused: time-out now if about to hurt someone; self-check; "
    "the family service's programme; addiction referral.",
    steps=(
        Step(
            "aggressor.start",
            say=("aggressor-start", "aggressor-now-ask"),
            options=(
                Option(
                    "edge", "aggressor-btn-edge", goto="aggressor.timeout", answers=YES_OR_UNSURE
                ),
                Option("calm", "aggressor-btn-calm", goto="aggressor.menu", answers=NO),
            ),
        ),
        Step(
            "aggressor.timeout",
            say=("aggressor-timeout-now", "aggressor-timeout-steps", "aggressor-timeout-not"),
            options=(
                Option("ok", "aggressor-btn-calmer", goto="aggressor.menu"),
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
            options=(
                Option("programme", "aggressor-btn-programme", goto="aggressor.programme"),
                Option("timeout", "aggressor-btn-timeout", goto="aggressor.timeout"),
            ),
        ),
        Step(
            "aggressor.programme",
            say=("aggressor-programme", "aggressor-substances-ask"),
            options=(
                Option(
                    "yes",
                    "aggressor-substances-yes",
                    goto="aggressor.addiction",
                    answers=YES_OR_UNSURE,
                ),
                Option("no", "aggressor-substances-no", goto="aggressor.book", answers=NO),
            ),
        ),
        Step(
            "aggressor.book",
            say=("aggressor-book",),
            options=(
                Option(
                    "book", "aggressor-btn-book", goto="booking.start", do="booking.for_programme"
                ),
            ),
        ),
        Step(
            "aggressor.addiction",
            say=(
                "aggressor-addiction",
                "aggressor-addiction-where",
                "aggressor-addiction-meanwhile",
            ),
            options=(
                Option("timeout", "aggressor-btn-timeout", goto="aggressor.timeout"),
                Option("human", "victim-btn-human", goto="handoff.start"),
            ),
        ),
    ),
)


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
    # Informational only: the answers are not kept or scored, just whether any was "yes".
    marked = ctx.state.vars.pop("self_check", None)
    ctx.say("aggressor-check-some" if marked else "aggressor-check-none")
    ctx.say("aggressor-check-next")
