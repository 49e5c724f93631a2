"""After the feedback, one gentle, skippable question about the person (issue 19): sex, then
an age band, each with «Не хочу отвечать». For the grant report's figures only: the answers
are codes on the anonymous registry row (sex, age_band, demographics), never kept in the chat.

Never asked in an urgent conversation: a contact the NLU marked urgent, a high danger level,
an urgent case (the one just closed included) or a consultant called from the danger screen.
"""

from __future__ import annotations

from dialogues.context import Ctx
from dialogues.flow import Actions, Flow, Option, Step
from dialogues.state import URGENT_SEEN

ACTIONS = Actions()
START = "about.sex"
# Set by the handoff desk when the case that ends with the feedback was urgent.
URGENT_CASE = "urgent_case"
DECLINED = "declined"
SEXES = ("female", "male")
AGE_BANDS = ("child", "young", "adult")
_DECLINE_SEX = Option(DECLINED, "about-decline", goto="about.done", do="about.sex")
_DECLINE_AGE = Option(DECLINED, "about-decline", goto="about.done", do="about.age")

FLOW = Flow(
    "about",
    summary="After the feedback, never when urgent: sex, then age band, each skippable; codes "
    "to the registry (sex, age_band, demographics asked/answered/declined).",
    steps=(
        Step(
            START,
            say=("about-intro", "about-q-sex"),
            on_enter="about.asked",
            options=(
                *(Option(s, f"about-{s}", goto="about.age", do="about.sex") for s in SEXES),
                _DECLINE_SEX,
            ),
            columns=2,
        ),
        Step(
            "about.age",
            say=("about-q-age",),
            options=(
                *(
                    Option(b, f"about-age-{b}", goto="about.done", do="about.age")
                    for b in AGE_BANDS
                ),
                _DECLINE_AGE,
            ),
            columns=3,
        ),
        Step("about.done", say=("about-thanks",)),
    ),
)


async def may_ask(ctx: Ctx) -> bool:
    """Whether the question may be asked now: once per contact, never in an urgent one."""
    known = ctx.state.vars
    if known.pop(URGENT_CASE, False) or known.get("danger_handed_off"):
        return False
    if known.get(URGENT_SEEN) or known.get("danger_level") == "high":
        return False
    registry = ctx.services.registry
    if registry is None or ctx.state.contact is None:
        return False
    row = await registry.get(ctx.state.contact)
    return (
        row is not None
        and not row.urgent
        and row.danger_level != "high"
        and row.demographics is None
    )


async def _note(ctx: Ctx, **fields: str) -> None:
    if ctx.services.registry is not None:
        await ctx.services.registry.update(ctx.state.contact, **fields)


@ACTIONS("about.asked")
async def asked(ctx: Ctx) -> None:
    await _note(ctx, demographics="asked")


@ACTIONS("about.sex")
async def sex(ctx: Ctx) -> None:
    """«Не хочу отвечать» here ends the question: the age is not asked after a refusal."""
    if ctx.value in SEXES:
        await _note(ctx, sex=ctx.value, demographics="answered")
    elif ctx.value == DECLINED:
        await _note(ctx, sex=DECLINED, demographics=DECLINED)


@ACTIONS("about.age")
async def age(ctx: Ctx) -> None:
    if ctx.value in AGE_BANDS:
        # The person's own word outweighs the NLU's reading on later turns (State.age).
        ctx.state.age = ctx.value
        await _note(ctx, age_band=ctx.value)
