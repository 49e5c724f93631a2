"""What a turn may ask for besides its replies (core/messages.py): erase the chat (quick exit),
forget the person, hand the conversation to a consultant.

The pipeline (bot/pipeline.py) applies the first two before it commits the turn, and runs the
handoff hooks after the commit, once the state they read is saved."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core.messages import EraseChat, ForgetPerson, Inbound, Reply, RequestHandoff
from dialogues.engine import Turn
from dialogues.services import Services
from dialogues.state import State
from dialogues.texts import Texts
from nlu.result import NluResult
from storage.people import People, PersonRef
from storage.state import StateStore
from storage.transcript import MessageIds, Transcripts

if TYPE_CHECKING:  # the pipeline names the channel's side of a turn, and imports this module
    from bot.pipeline import ChannelOps

log = logging.getLogger(__name__)

DELETABLE_FOR = timedelta(hours=48)

# Called for each handoff request; the handoff package provides it. What it returns is
# added to the turn's replies.
HandoffHook = Callable[
    [PersonRef, RequestHandoff, State, NluResult | None], Awaitable[Sequence[Reply] | None]
]
# Erases what a domain package keeps about a person who asked to be forgotten (before the
# person's row goes); returns what to tell them about it (what could not be erased).
Eraser = Callable[[int, str], Awaitable[Sequence[Reply]]]


@dataclass
class Applied:
    """A turn's replies with what its effects added, and what is left for the pipeline."""

    replies: list[Reply]
    handoffs: list[RequestHandoff]  # for the handoff hooks, after the commit
    erased: bool = False  # quick exit (or "forget me"): what the channel kept is dropped too
    forgotten: bool = False  # the person is gone: nothing of the turn is stored


class Effects:
    def __init__(
        self,
        *,
        people: People,
        states: StateStore,
        transcripts: Transcripts,
        message_ids: MessageIds,
        services: Services,
        texts: Texts,
    ) -> None:
        self.people = people
        self.states = states
        self.transcripts = transcripts
        self.message_ids = message_ids
        self.services = services
        self.texts = texts
        self.handoff_hooks: list[HandoffHook] = []
        self.erasers: list[Eraser] = []

    async def apply(
        self,
        person_id: int,
        inbound: Inbound,
        ops: ChannelOps | None,
        turn: Turn,
        nlu: NluResult | None,
        now: datetime,
    ) -> Applied:
        """Erase the chat, forget the person. Handoff requests are only collected: their hooks
        run once the turn is committed (`hand_off`)."""
        lang = turn.state.lang or "ru"
        handoffs = [e for e in turn.effects if isinstance(e, RequestHandoff)]
        done = Applied(list(turn.replies), handoffs)
        for effect in turn.effects:
            if isinstance(effect, EraseChat):
                done.replies.extend(await self._erase(person_id, inbound, ops, lang))
                done.replies.extend(effect.then_say)
                done.erased = True
        if any(isinstance(e, ForgetPerson) for e in turn.effects):
            done.replies.extend(
                await self._forget(person_id, inbound.channel, turn.state, nlu, now)
            )
            done.forgotten = True
        return done

    async def hand_off(
        self,
        person: PersonRef,
        handoffs: Sequence[RequestHandoff],
        state: State,
        nlu: NluResult | None,
        now: datetime,
    ) -> list[Reply]:
        """Runs the handoff hooks; returns their replies, already in the transcript."""
        replies: list[Reply] = []
        for request in handoffs:
            for hook in self.handoff_hooks:
                # A hook may answer within the turn (the place in the queue).
                extra = list(await hook(person, request, state, nlu) or ())
                await self.transcripts.append(person.id, [("out", r.text) for r in extra], now)
                replies.extend(extra)
        return replies

    async def _forget(
        self, person_id: int, channel: str, state: State, nlu: NluResult | None, now: datetime
    ) -> list[Reply]:
        """Everything about the person goes but the anonymous count; returns what to tell them."""
        lang = state.lang or "ru"
        if self.services.registry is not None:  # the anonymous count stays
            await self.services.registry.observe(
                state.contact, channel=channel, lang=lang, nlu=nlu, now=now
            )
        await self.states.delete(person_id)
        replies: list[Reply] = []
        for eraser in self.erasers:
            replies.extend(await eraser(person_id, lang))
        await self.people.forget(person_id)
        replies.append(Reply(self.texts.get(lang, "safety-forgotten-kept")))
        log.info("person forgotten on request")
        return replies

    async def _erase(
        self, person_id: int, inbound: Inbound, ops: ChannelOps | None, lang: str
    ) -> list[Reply]:
        now = self.services.clock.now()
        ids, too_old = await self.message_ids.since(person_id, now - DELETABLE_FOR)
        if inbound.message_id:
            ids.append(inbound.message_id)
        report = await ops.erase(ids) if ops else None  # None: the channel cannot delete
        await self.message_ids.clear(person_id)
        texts = self.texts
        if report is None or not report.supported:
            # A channel may explain its own way of deleting a chat (erase-unsupported--whatsapp).
            return [Reply(texts.get(lang, "erase-unsupported", channel=inbound.channel))]
        left = too_old + report.failed
        if left:
            return [
                Reply(texts.get(lang, "erase-report", {"deleted": report.deleted, "left": left}))
            ]
        return []
