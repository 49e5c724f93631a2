"""A parent who hurts, or fears hurting, their child (issue 17): respect, responsibility, safety.

The same first contact as the aggressor path (kz-resources.md §5.2), fitted to a parent: a
child in danger now first. A child hurt now, or a parent who could hurt them in the next
minutes, and a shaken baby who is limp, vomiting or hard to wake, or a head injury, go
straight to the urgent path (102/112/103 first, a consultant called: safety.urgent, with
State.finer "parent" on the case and parent-fit advice); "back to the conversation" goes on
with the next question. Then the time-out for parents (the baby put down on its back in the
cot, leave the room, breathe, call someone; never shake a baby; an older child: stop, step
away, no belt, talk later), a short self-check that is informational and never kept, and
support: a parent's own session with the family service (booking kind "parent", the family
stream only) and lines 150 and 111. No shaming and no collusion: exhaustion explains, it does
not excuse; "he provoked me" is not accepted. docs/parents.md explains the choices.
"""

from __future__ import annotations

from dataclasses import replace

from dialogues.context import Ctx
from dialogues.flow import Actions, Flow, Option, Step
from dialogues.state import NOT_PARENT_SAID

ACTIONS = Actions()
RISK_KEY = "parent_risk"  # state.vars: {risk question: "yes" | "no" | "not_sure"}, this visit
CHECK_KEY = "parent_check"  # state.vars: the self-check's "yes" items, dropped at its result
# The risk questions, in order (parent-risk-<id>); a "yes" to any is the urgent path.
RISK = ("now", "baby")
# The self-check (parent-check-<id>): "has it happened that you...?" (yes / no).
CHECK = ("hit", "shake", "scream", "rope", "alone")
YES, NO, NOT_SURE = ("yes",), ("no",), ("not_sure",)


def _risk_step(index: int) -> Step:
    qid = RISK[index]
    target = f"parent.risk_{RISK[index + 1]}" if index + 1 < len(RISK) else "parent.timeout"
    return Step(
        f"parent.risk_{qid}",
        say=(f"parent-risk-{qid}",),
        options=(
            Option("yes", "parent-yes", goto=target, do="parent.risk", answers=YES),
            Option("no", "parent-no", goto=target, do="parent.risk", answers=NO),
            # Not sure whether the child is safe is treated as a time-out now; not sure about
            # the baby's signs is a question for 103, said in the time-out's first message.
            Option(
                "not_sure",
                "parent-not-sure",
                goto="parent.timeout",
                do="parent.risk",
                answers=NOT_SURE,
            ),
        ),
        # A risk question is never skipped by NLU routing (an urgent message still goes to
        # the urgent path first).
        insist="parent-risk-reask",
        columns=3,
    )


def _first_risk_step() -> Step:
    """The first question also offers, in one tap, "it is not me: another adult hurts my
    child": a wrong reading must cost nothing, and a mother protecting her child from her
    partner is never told she is the one to change (issue 17)."""
    step = _risk_step(0)
    not_me = Option("not_me", "parent-btn-not-me", goto="victim.start", do="parent.not_me")
    return replace(step, options=(*step.options, not_me))


def _check_step(index: int) -> Step:
    last = index == len(CHECK) - 1
    target = "parent.check_result" if last else f"parent.check_{CHECK[index + 1]}"
    return Step(
        f"parent.check_{CHECK[index]}",
        say=(f"parent-check-{CHECK[index]}",),
        options=(
            Option("yes", "parent-yes", goto=target, do="parent.check_answer", answers=YES),
            Option("no", "parent-no", goto=target, do="parent.check_answer", answers=NO),
        ),
        columns=2,
    )


_HUMAN = Option("human", "parent-btn-human", goto="handoff.start")

FLOW = Flow(
    "parent",
    role="aggressor",
    finer="parent",
    summary="A parent who hurts or fears hurting their child: a child in danger now first (hurt "
    "now, could hurt in minutes, a shaken baby limp or hard to wake, a head injury → "
    "102/112/103 and a consultant); time-out for parents; a self-check never kept; a parent's "
    "session with the family service, 150 and 111.",
    steps=(
        Step(
            "parent.start",
            say=("parent-start", "parent-risk-intro"),
            on_enter="parent.reset",
            next=f"parent.risk_{RISK[0]}",
        ),
        _first_risk_step(),
        *(_risk_step(i) for i in range(1, len(RISK))),
        Step(
            "parent.timeout",
            say=("parent-timeout-baby", "parent-timeout-older", "parent-timeout-not"),
            options=(
                Option("ok", "parent-btn-calmer", do="parent.after_timeout"),
                _HUMAN,
            ),
        ),
        Step(
            "parent.menu",
            say=("parent-menu",),
            options=(
                Option("check", "parent-btn-check", goto="parent.check_intro"),
                Option("support", "parent-btn-support", goto="parent.support"),
                Option("timeout", "parent-btn-timeout", goto="parent.timeout"),
                _HUMAN,
            ),
        ),
        Step(
            "parent.check_intro",
            say=("parent-check-intro",),
            on_enter="parent.check_reset",
            next=f"parent.check_{CHECK[0]}",
        ),
        *(_check_step(i) for i in range(len(CHECK))),
        Step(
            "parent.check_result",
            on_enter="parent.check_result",
            options=(
                Option("support", "parent-btn-support", goto="parent.support"),
                Option("timeout", "parent-btn-timeout", goto="parent.timeout"),
            ),
        ),
        Step(
            "parent.support",
            say=("parent-support", "parent-support-lines"),
            options=(
                Option("book", "parent-btn-book", goto="booking.start", do="booking.for_parent"),
                _HUMAN,
                Option("timeout", "parent-btn-timeout", goto="parent.timeout"),
            ),
        ),
    ),
)


def _risk(ctx: Ctx) -> dict[str, str]:
    value = ctx.state.vars.get(RISK_KEY)
    return dict(value) if isinstance(value, dict) else {}


def _next_unanswered(ctx: Ctx) -> str | None:
    done = _risk(ctx)
    return next((f"parent.risk_{q}" for q in RISK if q not in done), None)


@ACTIONS("parent.reset")
async def reset(ctx: Ctx) -> None:
    ctx.state.vars[RISK_KEY] = {}
    ctx.state.vars.pop(CHECK_KEY, None)


@ACTIONS("parent.not_me")
async def not_me(ctx: Ctx) -> None:
    """ "It is not me: another adult hurts my child": the parent's reading was wrong. It is
    cleared and kept cleared (NOT_PARENT_SAID); the person goes on as someone protecting a
    child (the victims' path, whose safety steps cover the children)."""
    ctx.state.vars.pop(RISK_KEY, None)
    ctx.state.finer = None
    ctx.state.vars[NOT_PARENT_SAID] = True


@ACTIONS("parent.risk")
async def risk(ctx: Ctx) -> None:
    qid = (ctx.step or "").removeprefix("parent.risk_")
    if qid not in RISK or ctx.value not in ("yes", "no", "not_sure"):
        return
    ctx.state.vars[RISK_KEY] = {**_risk(ctx), qid: ctx.value}
    if ctx.value == "yes":
        # A child hurt or about to be: the urgent path now (102/112/103 in its first reply,
        # the parent's advice, a consultant called with finer "parent" on the case). "Back to
        # the conversation" then goes on with the next question, or the time-out.
        ctx.state.resume = _next_unanswered(ctx) or "parent.timeout"
        ctx.goto("safety.urgent")


@ACTIONS("parent.after_timeout")
async def after_timeout(ctx: Ctx) -> None:
    # A time-out taken in the middle of the risk questions comes back to them.
    pending = _next_unanswered(ctx) if RISK_KEY in ctx.state.vars else None
    ctx.goto(pending or "parent.menu")


@ACTIONS("parent.check_reset")
async def check_reset(ctx: Ctx) -> None:
    ctx.state.vars[CHECK_KEY] = []


@ACTIONS("parent.check_answer")
async def check_answer(ctx: Ctx) -> None:
    item = (ctx.step or "").removeprefix("parent.check_")
    marked = ctx.state.vars.get(CHECK_KEY)
    if item in CHECK and isinstance(marked, list) and ctx.value == "yes" and item not in marked:
        marked.append(item)


@ACTIONS("parent.check_result")
async def check_result(ctx: Ctx) -> None:
    # Informational, not scored and never kept: the answers are dropped here.
    marked = ctx.state.vars.pop(CHECK_KEY, None)
    marked = marked if isinstance(marked, list) else []
    ctx.say("parent-check-some" if marked else "parent-check-none")
    if "shake" in marked:
        ctx.say("parent-check-shaken")
    if "alone" in marked or "rope" in marked:
        ctx.say("parent-check-tired")
