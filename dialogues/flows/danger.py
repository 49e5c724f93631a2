"""The danger screen: one step per question of dialogues/data/danger_screen.yaml, then the result.

The questions, their order and the rule are data; this module turns them into steps. Answers
stay in the state (vars["danger"]) and go to the consultant with the case.
"""

from __future__ import annotations

from core.messages import RequestHandoff
from dialogues.context import Ctx
from dialogues.danger_screen import default_screen
from dialogues.flow import Actions, Flow, Option, Step
from dialogues.flows.safety import urgent_handoff
from dialogues.services import consultant_can_answer

ACTIONS = Actions()
SCREEN = default_screen()
_FIRST = SCREEN.step_id(0)


def _question_step(index: int) -> Step:
    # Typed answers: the leading "да"/"жоқ"/"не знаю"... (answer classes) and the question's
    # own words from the YAML; anything else asks the same question again (`insist`).
    last = index == len(SCREEN.questions) - 1
    target = "danger.result" if last else SCREEN.step_id(index + 1)
    question = SCREEN.questions[index]
    return Step(
        SCREEN.step_id(index),
        say=(question.text,),
        options=tuple(
            Option(
                answer,
                label,
                goto=target,
                do="danger.answer",
                answers=(answer,),
                words=question.words_for(answer),
            )
            for answer, label in (
                ("yes", "danger-yes"),
                ("no", "danger-no"),
                ("not_sure", "danger-not-sure"),
            )
        ),
        insist="danger-reask",
        columns=3,
    )


FLOW = Flow(
    "danger",
    summary=f"Danger screen ({SCREEN.instrument}): {len(SCREEN.questions)} yes/no/not-sure "
    "questions from dialogues/data/danger_screen.yaml; high danger → numbers and a consultant.",
    steps=(
        Step(
            "danger.start",
            say=("danger-intro", "danger-safe-to-answer"),
            on_enter="danger.reset",
            options=(
                Option("go", "danger-go", goto=_FIRST, answers=("yes",)),
                Option("later", "danger-later", goto="danger.later", answers=("no", "not_sure")),
            ),
        ),
        Step(
            "danger.later",
            say=("danger-later-text",),
            options=(Option("go", "danger-go-now", goto=_FIRST, answers=("yes",)),),
        ),
        *(_question_step(i) for i in range(len(SCREEN.questions))),
        # The offered button "answer the other questions" (after a decisive yes) is dynamic.
        Step(
            "danger.result",
            on_enter="danger.evaluate",
            on_pick="danger.continue",
            options=(
                Option("human", "danger-btn-human", goto="danger.handoff"),
                Option("plan", "victim-btn-plan", goto="victim.safety_plan"),
                Option("contacts", "victim-btn-contacts", goto="contacts.start"),
            ),
        ),
        Step(
            "danger.handoff",
            on_enter="danger.handoff",
            options=(Option("plan", "victim-btn-plan", goto="victim.safety_plan"),),
        ),
    ),
)


def answers(ctx: Ctx) -> dict[str, str]:
    value = ctx.state.vars.get("danger")
    return dict(value) if isinstance(value, dict) else {}


def handoff_details(ctx: Ctx) -> dict[str, object]:
    return {
        "danger_screen": answers(ctx),
        "danger_level": ctx.state.vars.get("danger_level"),
        "instrument": SCREEN.instrument,
    }


@ACTIONS("danger.reset")
async def reset(ctx: Ctx) -> None:
    ctx.state.vars.pop("danger", None)
    ctx.state.vars.pop("danger_level", None)
    ctx.state.vars.pop("danger_handed_off", None)


@ACTIONS("danger.answer")
async def answer(ctx: Ctx) -> None:
    qid = (ctx.step or "").removeprefix("danger.")
    if qid in {q.id for q in SCREEN.questions} and ctx.value in ("yes", "no", "not_sure"):
        ctx.state.vars["danger"] = {**answers(ctx), qid: ctx.value}
        if SCREEN.decided(qid, ctx.value):
            ctx.goto("danger.result")  # high danger: the result now, the rest later if wanted


def _unanswered(ctx: Ctx) -> str | None:
    done = answers(ctx)
    return next(
        (SCREEN.step_id(i) for i, q in enumerate(SCREEN.questions) if q.id not in done), None
    )


@ACTIONS("danger.evaluate")
async def evaluate(ctx: Ctx) -> None:
    result = SCREEN.evaluate(answers(ctx))
    ctx.state.vars["danger_level"] = result.level
    if ctx.services.registry is not None:
        await ctx.services.registry.update(ctx.state.contact, danger_level=result.level)
    if result.level == "high":
        ctx.say("danger-high")
        ctx.say("danger-high-numbers")
        if ctx.state.vars.get("danger_handed_off"):
            if ctx.services.handoff_enabled:
                ctx.say("danger-consultant-already")
            else:
                ctx.say("danger-high-call")
        else:
            await urgent_handoff(
                ctx,
                "danger_screen",
                handoff_details(ctx),
                promise="danger-high-consultant",
                no_handoff="danger-high-call",
            )
        if _unanswered(ctx) is not None:
            ctx.say("danger-rest-later")
            ctx.offer(ctx.t("danger-btn-continue"), "continue")
    else:
        ctx.say("danger-lower")
        ctx.say("danger-lower-next")


@ACTIONS("danger.continue")
async def continue_screen(ctx: Ctx) -> None:
    ctx.goto(_unanswered(ctx) or "danger.result")


@ACTIONS("danger.handoff")
async def handoff(ctx: Ctx) -> None:
    if not ctx.services.handoff_enabled:
        ctx.say("danger-call-150")
    elif ctx.state.vars.get("danger_handed_off"):
        ctx.say("danger-consultant-already")
    else:
        ctx.effect(RequestHandoff("danger_screen", details=handoff_details(ctx)))
        ctx.state.vars["danger_handed_off"] = True
        if await consultant_can_answer(ctx.services, ctx.now):
            ctx.say("danger-consultant-called")
        else:
            ctx.say("danger-consultant-later")
