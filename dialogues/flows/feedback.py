"""The anonymous questionnaire after a consultation or a session: three questions, buttons only.

Handoff and booking start it with `conversations.enter_step(person_id, "feedback.start")`.
Answers are codes, written to the registry only (never free text), and leave the state at the end.
"""

from __future__ import annotations

from dialogues.context import Ctx
from dialogues.flow import Actions, Flow, Option, Step
from dialogues.flows import about

ACTIONS = Actions()
QUESTIONS = ("helpful", "next_steps", "again")  # the registry's feedback keys, in order
_SKIP = Option("skip", "feedback-skip", goto="feedback.done")


def _answers(*codes: tuple[str, str], goto: str) -> tuple[Option, ...]:
    # A typed "да"/"жоқ"... means the yes/no button (dialogues/data/answers.yaml).
    return tuple(
        Option(code, key, goto=goto, do="feedback.answer", answers=_CLASS.get(code, ()))
        for code, key in codes
    )


_CLASS = {"yes": ("yes",), "no": ("no",)}


FLOW = Flow(
    "feedback",
    summary="Optional anonymous questionnaire: helpful 1–5, knows what to do next, would write "
    "again; codes to the registry.",
    steps=(
        Step(
            "feedback.start",
            say=("feedback-intro", "feedback-q-helpful"),
            on_enter="feedback.begin",
            options=(
                *_answers(
                    *((str(n), f"feedback-score-{n}") for n in range(1, 6)),
                    goto="feedback.next_steps",
                ),
                _SKIP,
            ),
            columns=5,
        ),
        Step(
            "feedback.next_steps",
            say=("feedback-q-next-steps",),
            options=(
                *_answers(
                    ("yes", "feedback-yes"),
                    ("partly", "feedback-partly"),
                    ("no", "feedback-no"),
                    goto="feedback.again",
                ),
                _SKIP,
            ),
            columns=3,
        ),
        Step(
            "feedback.again",
            say=("feedback-q-again",),
            options=(
                *_answers(
                    ("yes", "feedback-yes"),
                    ("no", "feedback-no"),
                    ("unsure", "feedback-unsure"),
                    goto="feedback.done",
                ),
                _SKIP,
            ),
            columns=3,
        ),
        Step("feedback.done", say=("feedback-thanks",), on_enter="feedback.save"),
    ),
)
_QUESTION_OF_STEP = {
    "feedback.start": "helpful",
    "feedback.next_steps": "next_steps",
    "feedback.again": "again",
}


@ACTIONS("feedback.begin")
async def begin(ctx: Ctx) -> None:
    ctx.state.vars["feedback"] = {}


@ACTIONS("feedback.answer")
async def answer(ctx: Ctx) -> None:
    question = _QUESTION_OF_STEP.get(ctx.step or "")
    current = ctx.state.vars.get("feedback")
    if question is None or not isinstance(current, dict):
        return
    current[question] = int(ctx.value) if question == "helpful" and ctx.value else ctx.value


@ACTIONS("feedback.save")
async def save(ctx: Ctx) -> None:
    given = ctx.state.vars.pop("feedback", None)
    if isinstance(given, dict) and given and ctx.services.registry is not None:
        clean = {k: v for k, v in given.items() if k in QUESTIONS}
        await ctx.services.registry.update(ctx.state.contact, feedback=clean)
        # Only someone who answered the feedback is asked about themselves, and never when
        # the conversation was urgent (about.may_ask).
        if await about.may_ask(ctx):
            ctx.goto(about.START)
    else:
        ctx.state.vars.pop(about.URGENT_CASE, None)
