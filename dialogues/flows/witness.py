"""Someone who sees or hears violence against another person."""

from __future__ import annotations

from core.messages import Reply
from dialogues.context import Ctx
from dialogues.flow import Actions, Flow, Option, Step

ACTIONS = Actions()

FLOW = Flow(
    "witness",
    role="witness",
    summary="When to call 102 (no victim's consent needed), not intervening physically, "
    "how to talk, a forwardable message with 150/111.",
    steps=(
        Step(
            "witness.start",
            say=("witness-start",),
            on_enter="young.maybe",
            on_pick="young.maybe_pick",
            options=(
                Option("now", "witness-btn-now", goto="witness.now"),
                Option("talk", "witness-btn-talk", goto="witness.talk"),
                Option("share", "witness-btn-share", goto="witness.share"),
                Option("contacts", "victim-btn-contacts", goto="contacts.start"),
            ),
        ),
        Step(
            "witness.now",
            say=("witness-now-call", "witness-now-dont"),
            options=(
                Option("talk", "witness-btn-talk-later", goto="witness.talk"),
                Option("share", "witness-btn-share", goto="witness.share"),
            ),
        ),
        Step(
            "witness.talk",
            say=("witness-talk-how", "witness-talk-dont"),
            options=(
                Option("share", "witness-btn-share", goto="witness.share"),
                Option("now", "witness-btn-now", goto="witness.now"),
            ),
        ),
        Step(
            "witness.share",
            say=("witness-share-intro",),
            on_enter="witness.forwardable",
            options=(
                Option("talk", "witness-btn-talk", goto="witness.talk"),
                Option("start", "witness-btn-back", goto="witness.start"),
            ),
        ),
    ),
)


@ACTIONS("witness.forwardable")
async def forwardable(ctx: Ctx) -> None:
    # A message of its own, so that it can be forwarded as it is.
    ctx.messages.append(Reply(ctx.t("witness-share-message")))
    ctx.say("witness-share-after")
