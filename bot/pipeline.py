"""The channel-free core of a turn: identify → intercept (a live case) → state → admit (the
flood gate, NLU) → dialogue → effects (bot/effects.py) → commit → handoff hooks."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

from bot.effects import Applied, Effects
from bot.locks import SharedLocks
from core.messages import Inbound, Reply, RequestHandoff
from delivery.claims import Result
from delivery.flood import Count, FloodGate
from dialogues.engine import EXIT as EXIT_PAYLOAD
from dialogues.engine import URGENT as URGENT_PAYLOAD
from dialogues.engine import Engine
from dialogues.services import Services
from dialogues.state import KINDS_OPENED, REGION, URGENT_SEEN, State
from nlu.result import LANGS, Lang, NluResult, Understander
from registry.service import Known, age_band_of
from storage.db import Tx
from storage.people import People, PersonRef
from storage.state import SqlStateStore, StateData, StateStore
from storage.transcript import MessageIds, Transcripts

log = logging.getLogger(__name__)

# A local terminal (and scripted conversations) is not a flood.
FLOOD_EXEMPT = {"console"}
SOS = "\N{SQUARED SOS}"  # 🆘 typed or pasted: the urgent button's emoji
# Pressed buttons a flood never holds back: the 🆘 button, quick exit, the danger screen's.
_NEVER_HELD_PAYLOADS = (URGENT_PAYLOAD, EXIT_PAYLOAD)
_DANGER_SCREEN = "danger."


@dataclass(frozen=True, slots=True)
class ErasureReport:
    deleted: int
    failed: int = 0
    supported: bool = True


class ChannelOps(Protocol):
    """What a channel can do to the person's chat besides sending."""

    async def erase(self, message_ids: Sequence[str]) -> ErasureReport: ...


@dataclass
class Outcome:
    person_id: int | None  # None once the person asked to be forgotten
    replies: list[Reply]
    lang: str
    nlu: NluResult | None = None
    handoffs: list[RequestHandoff] = field(default_factory=list)
    settled: bool = False  # the sink's `settle` (or `defer`) ran in the turn's own transaction
    deferred: bool = False  # over the flood limit: kept by the channel, processed later
    erased: bool = False  # quick exit (or "forget me"): what the channel kept is dropped too


@dataclass(frozen=True, slots=True)
class FirstLook:
    """A look at a message before its turn (bot/admission.py): whether it goes first, and the
    NLU result of its words, which the turn reuses rather than parsing them again."""

    urgent: bool = False  # 🆘, or words the NLU reads as urgent or possibly urgent
    text: str | None = None  # the cleaned text `nlu` is the result of
    nlu: NluResult | None = None  # parsed without a conversation language
    ordinary: bool = False  # deferred by the flood gate before: its words are not urgent
    possible: bool = False  # urgent only by the NLU's "possible danger": admitted after 🆘/urgent


class TurnSink(Protocol):
    """A channel's writes that belong in the turn's own transaction (the webhook inbox).

    A turn whose every effect is in that transaction calls `settle` there: the channel queues
    the replies and marks its update done, so the turn commits whole or not at all. A turn with
    work after the transaction (a handoff, an erasure, state kept in Redis) calls `provisional`
    instead, which keeps the state the turn started from, so that a re-run after a crash can
    put it back; the channel then settles after the turn, in a transaction of its own. A turn
    that hands off also calls `answer` there, and `answered` once it committed: its replies go
    before the case is opened (the phone numbers never wait for the desk)."""

    async def settle(self, conn: Tx, person_id: int, replies: list[Reply]) -> None: ...

    async def provisional(self, conn: Tx, person_id: int, before: StateData | None) -> None: ...

    async def answer(self, conn: Tx, person_id: int, replies: list[Reply]) -> None:
        """Queue the turn's own replies now, once (a re-run does not queue them again)."""
        ...

    def answered(self) -> None:
        """The turn's transaction committed: send what `answer` queued, without waiting."""
        ...

    async def defer(self, conn: Tx, person_id: int, replies: list[Reply], wait_s: float) -> None:
        """Over the flood limit: keep the message to be processed in `wait_s` (not done),
        and queue `replies` (the calm reply, or nothing)."""
        ...


# Looks at a message before the dialogue; returns True when it took the message (a live case).
Interceptor = Callable[[PersonRef, Inbound], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class _Admitted:
    """A message the flood gate let through, with the NLU result of its words (if any)."""

    nlu: NluResult | None


class Conversations:
    def __init__(
        self,
        *,
        engine: Engine,
        nlu: Understander,
        people: People,
        states: StateStore,
        transcripts: Transcripts,
        message_ids: MessageIds,
        services: Services,
        max_chars: int = 4000,
        flood: FloodGate | None = None,
    ) -> None:
        self.engine = engine
        self.nlu = nlu
        self.people = people
        self.states = states
        self.transcripts = transcripts
        self.message_ids = message_ids
        self.services = services
        self.max_chars = max_chars
        self.flood = flood
        self.interceptors: list[Interceptor] = []
        # Erase the chat, forget the person, run the handoff hooks (which handoff_setup adds).
        self.effects = Effects(
            people=people,
            states=states,
            transcripts=transcripts,
            message_ids=message_ids,
            services=services,
            texts=engine.texts,
        )
        # Per person; App.create adds the cross-process lock when Redis is configured.
        self.locks = SharedLocks()

    async def handle(
        self,
        inbound: Inbound,
        ops: ChannelOps | None = None,
        sink: TurnSink | None = None,
        look: FirstLook | None = None,
    ) -> Outcome:
        """One turn: intercept, admit, engine, effects, commit, then the handoff hooks. With a
        `sink` (a channel's inbox, which can keep a message for later) the flood gate applies;
        `look` is the channel's first look at the message, if it took one."""
        now = self.services.clock.now()
        if inbound.text is not None:
            inbound = replace(inbound, text=_clean(inbound.text, self.max_chars))
        person = await self.people.identify(
            inbound.channel, inbound.user_ref, inbound.address or inbound.user_ref, now
        )
        async with self.locks.hold(person.id):
            if await self._intercept(person, inbound, now):
                return Outcome(person.id, [], person.lang or "ru")
            before = await self.states.load(person.id)
            state = State.from_dict(before)
            if state.lang is None and person.lang:
                state.lang = person.lang
            admitted = await self._admit(person.id, inbound, state, sink, look)
            if isinstance(admitted, Outcome):  # over the flood limit: kept for later
                return admitted
            nlu = admitted.nlu
            turn = await self.engine.handle(state, inbound, nlu, self.services, person.id)
            state = turn.state  # an idle conversation comes back as a fresh state
            lang = state.lang or "ru"
            done = await self.effects.apply(person.id, inbound, ops, turn, nlu, now)
            if done.forgotten:
                return Outcome(None, done.replies, lang, nlu, erased=done.erased)
            settled = await self._commit(person, inbound, before, state, done, nlu, sink, now)
            done.replies.extend(await self.effects.hand_off(person, done.handoffs, state, nlu, now))
            return Outcome(
                person.id,
                done.replies,
                lang,
                nlu,
                done.handoffs,
                settled=settled,
                erased=done.erased,
            )

    async def _intercept(self, person: PersonRef, inbound: Inbound, now: datetime) -> bool:
        """A live case first: its messages go to the consultant, whatever the flood. True when
        an interceptor took the message."""
        for intercept in self.interceptors:
            if await intercept(person, inbound):
                if inbound.message_id:  # quick exit deletes it from the phone too
                    await self.message_ids.record(person.id, [inbound.message_id], now)
                return True
        return False

    async def _admit(
        self,
        person_id: int,
        inbound: Inbound,
        state: State,
        sink: TurnSink | None,
        look: FirstLook | None,
    ) -> Outcome | _Admitted:
        """The flood gate, then the NLU. Over the limit, a message that may not be urgent is
        deferred (its Outcome is returned); any other is admitted with the NLU of its words."""
        nlu = None
        wants_nlu = bool(inbound.text) and not (inbound.text or "").startswith("/")
        if sink is not None and self.flood is not None and inbound.channel not in FLOOD_EXEMPT:
            count = await self.flood.check(person_id)
            if count.over and not self._never_held(inbound, state):
                if wants_nlu and not (look is not None and look.ordinary):
                    nlu = await self._parse(inbound.text or "", state, look)
                if nlu is None or not (nlu.urgent or nlu.possible_danger):
                    return await self._defer(person_id, state, sink, count)
                log.info("flood limit passed by a message that may be urgent")
        if wants_nlu and nlu is None:
            nlu = await self._parse(inbound.text or "", state, look)
        return _Admitted(nlu)

    async def _commit(
        self,
        person: PersonRef,
        inbound: Inbound,
        before: StateData | None,
        state: State,
        done: Applied,
        nlu: NluResult | None,
        sink: TurnSink | None,
        now: datetime,
    ) -> bool:
        """What the turn learnt is written in one transaction (one BEGIN/COMMIT instead of one
        per store): the registry, the state (unless it lives in Redis), the language, the
        transcript, the inbound message id, and the channel's sink. All or nothing. Returns
        whether the sink settled the turn in that transaction."""
        lang = state.lang or "ru"
        lines = [("in", inbound.text or "")] + [("out", r.text) for r in done.replies]
        # In the database, the state joins the turn's transaction; in Redis, it is saved after.
        sql_states = self.states if isinstance(self.states, SqlStateStore) else None
        whole = not done.handoffs and not done.erased and sql_states is not None
        # A turn that hands off answers first: the numbers go before the case is opened.
        first = sink if done.handoffs and not done.erased else None
        async with self.people.db.transaction() as conn:
            if self.services.registry is not None:
                state.contact = await self.services.registry.observe_in(
                    conn,
                    state.contact,
                    channel=inbound.channel,
                    lang=lang,
                    nlu=nlu,
                    now=now,
                    known=_known(state),
                    seen_before=person.seen_before,
                )
            if sql_states is not None:
                await sql_states.save_in(conn, person.id, state.to_dict(), now)
            if state.lang and state.lang != person.lang:
                await self.people.set_lang_in(conn, person.id, state.lang)
            if sink is not None and not whole:
                await sink.provisional(conn, person.id, before)  # before the transcript
            await self.transcripts.append_in(conn, person.id, lines, now)
            if inbound.message_id and not done.erased:
                await self.message_ids.record_in(conn, person.id, [inbound.message_id], now)
            if sink is not None and whole:
                await sink.settle(conn, person.id, done.replies)
            elif first is not None:
                await first.answer(conn, person.id, done.replies)
        if first is not None:
            first.answered()
        if sql_states is None:
            await self.states.save(person.id, state.to_dict(), now)
        return sink is not None and whole

    async def first_look(self, text: str | None, payload: str | None) -> FirstLook:
        """A look before the turn, to let urgent messages go first (bot/admission.py): the 🆘
        button or emoji, or words the NLU reads as (possibly) urgent. Its NLU result is handed
        to the turn, so that the words are parsed once. Never raises."""
        if payload is not None:
            return FirstLook(urgent=payload == URGENT_PAYLOAD)
        if not text or text.startswith("/"):
            return FirstLook()
        cleaned = _clean(text, self.max_chars)
        sos = SOS in cleaned
        try:
            nlu = await self.nlu.parse(cleaned, quick=True)  # who is writing: in the turn
        except Exception:
            log.exception("urgency pre-check failed; treated as ordinary")
            return FirstLook(urgent=sos)
        sure = sos or nlu.urgent
        return FirstLook(
            sure or nlu.possible_danger, cleaned, nlu, possible=not sure and nlu.possible_danger
        )

    async def _parse(self, text: str, state: State, look: FirstLook | None) -> NluResult:
        context = _lang(state.lang)
        seen = look.nlu if look is not None and look.text == text else None
        # Parsed without the conversation's language: the same result unless the words carried
        # no language of their own (then the conversation's is the answer).
        # Who is writing is read until the conversation knows (nlu/finer_head.py); then the
        # encoder is not asked again for it.
        known = state.finer is not None
        if seen is not None and (context is None or seen.lang_confident or seen.lang == context):
            return seen if known else await self.nlu.finish(text, seen)
        return await self.nlu.parse(text, context_lang=context, quick=known)

    def _never_held(self, inbound: Inbound, state: State) -> bool:
        """What a flood never holds back, known without the NLU: the 🆘 button or emoji, quick
        exit, an answer to the danger screen, or to any step of the urgent path."""
        payload = inbound.payload or ""
        if payload in _NEVER_HELD_PAYLOADS or payload.startswith(_DANGER_SCREEN):
            return True
        if inbound.text and SOS in inbound.text:
            return True
        step = state.step or ""
        if step.startswith(_DANGER_SCREEN):
            return True
        current = self.engine.steps.get(step)
        return current is not None and current.urgent

    async def _defer(self, person_id: int, state: State, sink: TurnSink, count: Count) -> Outcome:
        """Over the limit and nothing urgent: the channel keeps the message for when the window
        allows (no state, no transcript yet). The window's first deferred one gets the calm
        reply, with the emergency numbers."""
        assert self.flood is not None
        lang = state.lang or "ru"
        first = await self.flood.defer(person_id)
        # Urgent: it carries the numbers, and must not wait behind the replies of the flood.
        calm = [Reply(self.engine.texts.get(lang, "flood-slow-down"), urgent=True)] if first else []
        async with self.people.db.transaction() as conn:
            await sink.defer(conn, person_id, calm, count.wait_s)
        log.warning("flood limit reached; message deferred %.0f s", count.wait_s)
        return Outcome(person_id, calm, lang, settled=True, deferred=True)

    async def enter_step(
        self, person_id: int, step_id: str, variables: dict[str, object] | None = None
    ) -> list[Reply]:
        """Start a step for a person proactively; the caller delivers the replies (Notifier).

        Variables are set before entering, so that the step can show them (a booking time).
        """
        async with self.locks.hold(person_id):
            state = State.from_dict(await self.states.load(person_id))
            state.vars.update(variables or {})
            turn = await self.engine.enter(state, step_id, self.services, person_id=person_id)
            await self.states.save(person_id, turn.state.to_dict(), self.services.clock.now())
            await self.transcripts.append(
                person_id, [("out", r.text) for r in turn.replies], self.services.clock.now()
            )
        return turn.replies

    async def record_sent(self, conn: Tx, result: Result) -> None:
        """An outbox `on_sent`: the ids of what a delivery sent, so that quick exit can delete
        it, in the transaction that marks the delivery sent."""
        ids: Sequence[str] = result.value.get("ids", [])
        person_id = result.delivery.person_id
        if person_id is not None and ids:
            await self.message_ids.record_in(conn, person_id, ids, self.services.clock.now())


def _known(state: State) -> Known:
    """What the registry row learns from the conversation's state at every turn (the registry
    checks every code against its vocabularies): the path the person chose, the region they
    gave, the kinds of violence they opened, the age band."""
    region = state.vars.get(REGION)
    kinds = state.vars.get(KINDS_OPENED)
    return Known(
        role=state.role,
        region=region if isinstance(region, str) else None,
        violence=tuple(k for k in kinds if isinstance(k, str)) if isinstance(kinds, list) else (),
        age_band=age_band_of(state.age, state.finer),
        urgent=bool(state.vars.get(URGENT_SEEN)),
    )


def _lang(lang: str | None) -> Lang | None:
    return lang if lang in LANGS else None


def _clean(text: str, limit: int) -> str:
    # Drop control characters (binary junk) but keep newlines; bound the size.
    text = "".join(ch for ch in text[: limit * 2] if ch.isprintable() or ch in "\n\t")
    return text[:limit]
