"""The danger screen: one step per question of dialogues/data/danger_screen.yaml, then the result.

The questions, their order and the rule are data; this module turns them into steps. Answers
stay in the state (vars["danger"]) and go to the consultant with the case.
"""

from __future__ import annotations

from dialogues.context import Ctx
from dialogues.danger_screen import default_screen
from dialogues.flow import Actions, Flow, Option, Step
from dialogues.messages import RequestHandoff

ACTIONS = Actions()
SCREEN = default_screen()
_FIRST = SCREEN.step_id(0)
_TYPED = {  # typed answers besides the button labels
    "yes": {"да", "ага", "угу", "иә", "ия", "йә", "yes", "da", "ia", "iä"},
    "no": {"нет", "неа", "жоқ", "жок", "no", "net", "zhoq", "joq"},
    "not_sure": {"не знаю", "не уверена", "не уверен", "білмеймін", "белмеймин", "не знаю точно"},
}


def _question_step(index: int) -> Step:
    last = index == len(SCREEN.questions) - 1
    target = "danger.result" if last else SCREEN.step_id(index + 1)
    return Step(
        SCREEN.step_id(index),
        say=(SCREEN.questions[index].text,),
        options=(
            Option("yes", "danger-yes", goto=target, do="danger.answer"),
            Option("no", "danger-no", goto=target, do="danger.answer"),
            Option("not_sure", "danger-not-sure", goto=target, do="danger.answer"),
        ),
        on_text="danger.typed",
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
                Option("go", "danger-go", goto=_FIRST),
                Option("later", "danger-later", goto="danger.later"),
            ),
        ),
        Step(
            "danger.later",
            say=("danger-later-text",),
            options=(Option("go", "danger-go-now", goto=_FIRST),),
        ),
        *(_question_step(i) for i in range(len(SCREEN.questions))),
        Step(
            "danger.result",
            on_enter="danger.evaluate",
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


@ACTIONS("danger.typed")
async def typed(ctx: Ctx) -> None:
    said = " ".join((ctx.value or "").casefold().replace("ё", "е").split()).strip(" .!?,")
    for code, words in _TYPED.items():
        if said in words:
            index = next(i for i, q in enumerate(SCREEN.questions) if ctx.step == SCREEN.step_id(i))
            ctx.value = code
            await answer(ctx)
            last = index == len(SCREEN.questions) - 1
            ctx.goto("danger.result" if last else SCREEN.step_id(index + 1))
            return
    ctx.decline()


@ACTIONS("danger.evaluate")
async def evaluate(ctx: Ctx) -> None:
    result = SCREEN.evaluate(answers(ctx))
    ctx.state.vars["danger_level"] = result.level
    if ctx.services.registry is not None:
        await ctx.services.registry.update(ctx.state.contact, danger_level=result.level)
    if result.level == "high":
        ctx.say("danger-high")
        ctx.say("danger-high-numbers")
        if ctx.services.handoff_enabled:
            ctx.effect(RequestHandoff("danger_screen", urgent=True, details=handoff_details(ctx)))
            ctx.state.vars["danger_handed_off"] = True
            ctx.say("danger-high-consultant")
        else:
            ctx.say("danger-high-call")
    else:
        ctx.say("danger-lower")
        ctx.say("danger-lower-next")


@ACTIONS("danger.handoff")
async def handoff(ctx: Ctx) -> None:
    if not ctx.services.handoff_enabled:
        ctx.say("danger-call-150")
    elif ctx.state.vars.get("danger_handed_off"):
        ctx.say("danger-consultant-already")
    else:
        ctx.effect(RequestHandoff("danger_screen", details=handoff_details(ctx)))
        ctx.state.vars["danger_handed_off"] = True
        ctx.say("danger-consultant-called")
