"""A child or teenager writing to line 150 (issue 17): short sentences, «ты» / «сен», no law.

The path has no fixed role: the child says whether it is done to them (role victim) or they see
it happen to a parent or a brother or sister (role witness). Danger is asked first: "yes" is the
urgent path (102/112 in its first reply, a consultant called), "not sure" is the child danger
screen (dialogues/data/child_danger.yaml, separate from the adult one). A consultant of 150 is
one tap away on every step, and an adult the NLU took for a child leaves in one tap («Мне уже
есть 18»): the reading is cleared and they go to the adult victim path. Facts come only from
shared/domain/kz-resources.md (§1 lines 111 and 150, §6.1 children's safety planning); what
the path says and deliberately does not say is in docs/young-people.md.
"""

from __future__ import annotations

from dialogues.context import Ctx
from dialogues.danger_screen import SCREEN_FILE, DangerScreen
from dialogues.flow import Actions, Flow, Option, Step
from dialogues.flows.safety import urgent_handoff
from dialogues.state import ADULT_SAID, YOUNG_UNSURE

ACTIONS = Actions()
SCREEN = DangerScreen.load(SCREEN_FILE.with_name("child_danger.yaml"))
SCREEN_KEY = "child_danger"  # the child's screen answers in State.vars (codes only)
YES, NO, NOT_SURE = ("yes",), ("no",), ("not_sure",)
# What happens, as the child names it: option id -> the role it means.
ROLES = {"me": "victim", "family": "witness"}

_HUMAN = Option("human", "young-btn-human", goto="handoff.start")
_SAFETY = Option("safety", "young-btn-safety", goto="young.safety")
_ADULTS = Option("adults", "young-btn-adults", goto="young.adults")
_TELL = Option("tell", "young-btn-tell", goto="young.tell")
# Help in their region: the contacts flow, which puts the juvenile police first for them.
_REGION = Option("region", "young-btn-region", goto="contacts.region")


def _question_id(index: int) -> str:
    return f"young.q_{SCREEN.questions[index].id}"


def _question_step(index: int) -> Step:
    target = (
        "young.screen_result" if index == len(SCREEN.questions) - 1 else _question_id(index + 1)
    )
    question = SCREEN.questions[index]
    return Step(
        _question_id(index),
        say=(question.text,),
        options=(
            *(
                Option(
                    answer,
                    label,
                    goto=target,
                    do="young.answer",
                    answers=(answer,),
                    words=question.words_for(answer),
                )
                for answer, label in (
                    ("yes", "young-yes"),
                    ("no", "young-no"),
                    ("not_sure", "young-not-sure"),
                )
            ),
            _HUMAN,
        ),
        insist="young-reask",
        columns=3,
    )


FLOW = Flow(
    "young",
    finer="young_person",
    summary="A child or teenager (line 150): not your fault; danger now first (yes → 102/112 and "
    "a consultant; not sure → the child danger screen, child_danger.yaml); done to me (victim) or "
    "to mum or a sibling (witness); a trusted adult, the school psychologist, 150 and 111; what "
    "happens if you tell; safety steps for a child; «Мне уже есть 18» → the adult path.",
    steps=(
        Step(
            "young.start",
            say=("young-start", "young-now-ask"),
            options=(
                Option("now", "young-btn-now", goto="safety.urgent", do="young.now", answers=YES),
                Option("not_now", "young-btn-not-now", goto="young.what", answers=NO),
                Option("unsure", "young-btn-unsure", goto="young.screen", answers=NOT_SURE),
                Option("adult", "young-btn-adult", goto="victim.start", do="young.adult"),
                _HUMAN,
            ),
        ),
        Step(
            "young.what",
            say=("young-what-ask",),
            options=(
                Option("me", "young-btn-me", goto="young.me", do="young.role"),
                Option("family", "young-btn-family", goto="young.family", do="young.role"),
                _TELL,
                _HUMAN,
            ),
        ),
        Step(
            "young.me",
            say=("young-me", "young-me-next"),
            options=(
                _ADULTS,
                _TELL,
                _SAFETY,
                Option("screen", "young-btn-screen", goto="young.screen"),
                _HUMAN,
            ),
        ),
        Step(
            "young.family",
            say=("young-family", "young-family-dont"),
            options=(_SAFETY, _ADULTS, _TELL, _HUMAN),
        ),
        Step(
            "young.adults",
            say=("young-adults", "young-lines"),
            options=(_TELL, _SAFETY, _REGION, _HUMAN),
        ),
        Step(
            "young.tell", say=("young-tell", "young-tell-111"), options=(_ADULTS, _SAFETY, _HUMAN)
        ),
        Step(
            "young.safety",
            say=("young-safety-where", "young-safety-call", "young-safety-phone"),
            options=(_ADULTS, _TELL, _REGION, _HUMAN),
        ),
        Step(
            "young.screen",
            say=("young-screen-intro",),
            on_enter="young.screen_reset",
            next=_question_id(0),
        ),
        *(_question_step(i) for i in range(len(SCREEN.questions))),
        Step(
            "young.screen_result",
            on_enter="young.evaluate",
            options=(_SAFETY, _ADULTS, _HUMAN),
        ),
    ),
)


def screen_answers(ctx: Ctx) -> dict[str, str]:
    value = ctx.state.vars.get(SCREEN_KEY)
    return dict(value) if isinstance(value, dict) else {}


def handoff_details(ctx: Ctx) -> dict[str, object]:
    return {
        "role": ctx.state.role or "unknown",
        "finer": "young_person",
        "child_screen": screen_answers(ctx),
        "instrument": SCREEN.instrument,
    }


@ACTIONS("young.now")
async def danger_now(ctx: Ctx) -> None:
    """Danger now: the urgent path; "back to the conversation" then asks what is happening."""
    ctx.state.resume = "young.what"


@ACTIONS("young.adult")
async def adult(ctx: Ctx) -> None:
    """ "I am 18 or older": the reading was wrong, and it costs nothing — it is cleared and kept
    cleared (ADULT_SAID), and the person goes on as an adult who is hurt."""
    ctx.state.finer = ctx.state.age = None
    ctx.state.vars[ADULT_SAID] = True
    ctx.state.vars.pop(YOUNG_UNSURE, None)


@ACTIONS("young.maybe")
async def maybe(ctx: Ctx) -> None:
    """On the victim's and the witness's first screen: when the NLU leaned young without
    deciding (YOUNG_UNSURE) and nothing since told the age, «Мне меньше 18» is offered in one
    tap — the gentle ask of issue 17. An adult just goes on; nothing is asked or stored."""
    s = ctx.state
    if s.vars.get(YOUNG_UNSURE) and s.age is None and s.finer is None:
        ctx.offer(ctx.t("menu-young"), "young")


@ACTIONS("young.maybe_pick")
async def maybe_pick(ctx: Ctx) -> None:
    if ctx.value == "young":
        ctx.redirect = "young.start"


@ACTIONS("young.role")
async def role(ctx: Ctx) -> None:
    if ctx.value in ROLES:
        ctx.state.role = ROLES[ctx.value]


@ACTIONS("young.screen_reset")
async def screen_reset(ctx: Ctx) -> None:
    ctx.state.vars.pop(SCREEN_KEY, None)


@ACTIONS("young.answer")
async def answer(ctx: Ctx) -> None:
    qid = (ctx.step or "").removeprefix("young.q_")
    if qid in {q.id for q in SCREEN.questions} and ctx.value in ("yes", "no", "not_sure"):
        ctx.state.vars[SCREEN_KEY] = {**screen_answers(ctx), qid: ctx.value}
        if SCREEN.decided(qid, ctx.value):
            ctx.goto("young.screen_result")  # danger now: no more questions


@ACTIONS("young.evaluate")
async def evaluate(ctx: Ctx) -> None:
    answers = screen_answers(ctx)
    if any(SCREEN.decided(qid, a) for qid, a in answers.items()):
        if ctx.state.vars.get("danger_handed_off"):
            # The answer was typed in words the NLU read as urgent: the urgent reply just gave
            # the numbers and called a consultant; one case, one set of numbers.
            ctx.say("young-consultant-already")
            return
        # Danger now: the numbers first, then the consultant, as on the urgent path.
        ctx.state.vars["urgent_at"] = ctx.now.isoformat()
        ctx.say("young-screen-urgent")
        ctx.say("young-urgent-now")
        await urgent_handoff(
            ctx,
            "child_screen",
            handoff_details(ctx),
            promise="young-consultant-coming",
            no_handoff="young-call-150",
        )
        return
    ctx.say("young-screen-calm")
    ctx.say("young-lines")
