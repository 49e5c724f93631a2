"""The person who is hurt: naming what happens, the safety plan, legal first steps in Kazakhstan.

Legal facts come only from shared/domain/kz-resources.md (§3); where a fact was not verified
there, the texts send the person to a lawyer of 111 instead of stating it.
"""

from __future__ import annotations

from core.messages import Reply
from dialogues.context import Ctx
from dialogues.flow import Actions, Flow, Option, Step
from dialogues.state import KINDS_OPENED

ACTIONS = Actions()

# The kinds of violence a person can name: step id suffix -> (button key, text key).
KINDS = ("physical", "psychological", "economic", "sexual", "control")
# The safety-plan checklist, in order. Per item: plan-item-<id> (button), plan-tip-<id>
# (the explanation shown when it is ticked), plan-note-<id> (its line in the discreet message).
PLAN_ITEMS = ("documents", "money", "phone", "place", "codeword", "children")
# The legal first steps: step id suffix -> button key legal-btn-<id>, text key legal-<id>.
LEGAL = ("police", "order", "court", "forensic", "aid", "law2024")

_BACK_TO_LEGAL = Option("more", "legal-more", goto="victim.legal")

FLOW = Flow(
    "victim",
    role="victim",
    summary="Validation, kinds of violence, safety-plan checklist and discreet note, legal steps.",
    steps=(
        Step(
            "victim.start",
            say=("victim-start", "victim-what-now"),
            on_enter="young.maybe",
            on_pick="young.maybe_pick",
            options=(
                Option("danger", "victim-btn-danger", goto="danger.start"),
                Option("plan", "victim-btn-plan", goto="victim.safety_plan"),
                Option("kinds", "victim-btn-kinds", goto="victim.kinds"),
                Option("legal", "victim-btn-legal", goto="victim.legal"),
                Option("contacts", "victim-btn-contacts", goto="contacts.start"),
                Option("partner", "victim-btn-partner", goto="victim.partner"),
                Option("human", "victim-btn-human", goto="handoff.start"),
            ),
        ),
        # The programme's offer for her partner (issue 16), as Жан-Сая's clients passed it on:
        # her safety is asked first (talking about his behaviour can trigger escalation,
        # kz-resources.md §5.2); only a clear "safe" gives the text. It is a text she copies,
        # not a forward (a forward shows where it came from), and it never mentions her.
        Step(
            "victim.partner",
            say=("victim-partner-intro", "victim-partner-safe-ask"),
            options=(
                Option("safe", "victim-partner-safe", goto="victim.partner_text", answers=("yes",)),
                Option(
                    "unsafe", "victim-partner-unsafe", goto="victim.partner_unsafe", answers=("no",)
                ),
                Option(
                    "unsure",
                    "victim-partner-unsure",
                    goto="victim.partner_unsafe",
                    answers=("not_sure",),
                ),
            ),
            insist="aggressor-risk-reask",
        ),
        Step(
            "victim.partner_text",
            say=("victim-partner-copy", "victim-partner-text", "victim-partner-after"),
            options=(
                Option("plan", "victim-btn-plan", goto="victim.safety_plan"),
                Option("start", "plan-btn-more-help", goto="victim.start"),
            ),
        ),
        Step(
            "victim.partner_unsafe",
            say=("victim-partner-unsafe-text",),
            options=(
                Option("danger", "victim-btn-danger", goto="danger.start"),
                Option("plan", "victim-btn-plan", goto="victim.safety_plan"),
                Option("human", "victim-btn-human", goto="handoff.start"),
            ),
        ),
        Step(
            "victim.kinds",
            say=("victim-kinds-ask",),
            options=tuple(Option(k, f"kind-btn-{k}", goto=f"victim.kind_{k}") for k in KINDS),
        ),
        *(
            Step(
                f"victim.kind_{k}",
                say=(f"kind-{k}", "kind-not-your-fault"),
                on_enter="victim.kind_opened",
                options=(
                    Option("other", "kind-other", goto="victim.kinds"),
                    Option("next", "kind-what-to-do", goto="victim.start"),
                ),
            )
            for k in KINDS
        ),
        Step(
            "victim.safety_plan",
            on_enter="plan.show",
            on_pick="plan.toggle",
            options=(Option("note", "plan-btn-note", goto="victim.plan_note"),),
        ),
        Step(
            "victim.plan_note",
            on_enter="plan.note",
            say=(),
            options=(
                Option("plan", "plan-btn-back", goto="victim.safety_plan"),
                Option("start", "plan-btn-more-help", goto="victim.start"),
            ),
        ),
        Step(
            "victim.legal",
            say=("legal-intro",),
            options=tuple(Option(k, f"legal-btn-{k}", goto=f"victim.legal_{k}") for k in LEGAL),
        ),
        *(
            Step(
                f"victim.legal_{k}",
                say=(f"legal-{k}", f"legal-{k}-where"),
                options=(_BACK_TO_LEGAL, Option("human", "victim-btn-human", goto="handoff.start")),
            )
            for k in LEGAL
        ),
    ),
)


def _ticked(ctx: Ctx) -> list[str]:
    value = ctx.state.vars.get("plan")
    return [i for i in PLAN_ITEMS if isinstance(value, list) and i in value]


@ACTIONS("victim.kind_opened")
async def kind_opened(ctx: Ctx) -> None:
    """The kinds the person opened, for the anonymous registry (its `violence` column)."""
    kind = (ctx.step or "").removeprefix("victim.kind_")
    opened = ctx.state.vars.get(KINDS_OPENED)
    opened = opened if isinstance(opened, list) else []
    if kind in KINDS and kind not in opened:
        ctx.state.vars[KINDS_OPENED] = [*opened, kind]


@ACTIONS("plan.show")
async def show_plan(ctx: Ctx) -> None:
    ticked = _ticked(ctx)
    if "plan" not in ctx.state.vars:
        ctx.state.vars["plan"] = []
        ctx.say("plan-intro")
    ctx.say("plan-progress", done=len(ticked), total=len(PLAN_ITEMS))
    for item in PLAN_ITEMS:
        mark = "☑" if item in ticked else "☐"
        ctx.offer(f"{mark} {ctx.t(f'plan-item-{item}')}", item)


@ACTIONS("plan.toggle")
async def toggle_plan_item(ctx: Ctx) -> None:
    item = ctx.value
    if item not in PLAN_ITEMS:
        return
    ticked = _ticked(ctx)
    if item in ticked:
        ticked.remove(item)
        ctx.say("plan-untick", item=ctx.t(f"plan-item-{item}"))
    else:
        ticked.append(item)
        ctx.say(f"plan-tip-{item}")
    ctx.state.vars["plan"] = [i for i in PLAN_ITEMS if i in ticked]


@ACTIONS("plan.note")
async def discreet_note(ctx: Ctx) -> None:
    """One message that can stay on the phone: a neutral title, no alarming words."""
    ticked = _ticked(ctx)
    lines = [ctx.t("plan-note-title")]
    lines += [f"{'☑' if i in ticked else '☐'} {ctx.t(f'plan-note-{i}')}" for i in PLAN_ITEMS]
    lines.append(ctx.t("plan-note-numbers"))
    ctx.messages.append(Reply("\n".join(lines)))
    ctx.say("plan-note-after")
