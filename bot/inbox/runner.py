"""One inbox for every channel and mode: store, acknowledge, then process — each turn once.

1. The channel stores the raw update (encrypted) in the inbox (`accept`), commits, and only
   then acknowledges it (the webhook's 200, or the next getUpdates of polling). A redelivery
   hits the unique key and is a no-op. When this process is not already working on the
   person, the row is stored already leased to it and, in the same transaction, checked to be
   the person's oldest unfinished update: processing it then needs no claim and no read.
2. A task of this process drains that person's updates right away, one at a time, in order
   (a lease per update; `Admission` lets urgent ones in first). An ordinary turn commits its
   writes, its replies (outbox rows) and "done" in ONE transaction (`_Sink.settle`), then
   sends those rows at once (`Outbox.deliver_owned`); a 429/5xx/timeout leaves them to the
   outbox worker, which retries with back-off.
3. A job (`<channel>.inbox`) picks up what a crashed process left: rows never claimed,
   leases expired.

A turn with work after its transaction (a handoff, an erasure, state in Redis) stores, in that
transaction, the state it started from (`_Sink.provisional`) and queues its replies with
"done" afterwards; a re-run after a crash in between puts that state back first. So a re-run
always starts from the state its first attempt started from, and replies are queued once.

A channel supplies an `Adapter`: who an update is from and its words (read from the stored
JSON), how to run it (its native update → `Inbound`, then `Runner.turn`), how a reply becomes
outbox payloads and how one is sent. See docs/reliability.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from bot.admission import Admission
from bot.background import Background
from bot.fallback import STORAGE_ERRORS
from bot.inbox.store import Claimed, InboxStore
from bot.jobs import Jobs
from bot.locks import KeyedLocks
from bot.pipeline import ChannelOps, Conversations, FirstLook, Outcome
from core.clock import SystemClock
from core.messages import Inbound, Reply
from core.priority import OUTBOX_FIRST, OUTBOX_NORMAL, OUTBOX_POSSIBLE, OUTBOX_URGENT, urgent_work
from delivery.claims import Delivery
from delivery.notifier import URGENT_LANE, dest_of
from delivery.outbox import Outbox
from dialogues.engine import SAFETY_CHECK
from storage.crypto import Vault
from storage.db import Database, Tx
from storage.people import PersonRef
from storage.state import StateData

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

GRACE = timedelta(seconds=5)  # a stored update nobody claimed for this long: the sweep takes it
MAX_ATTEMPTS = 5
TURN_TIMEOUT_S = 20.0


class Adapter(Protocol):
    """What a channel supplies to the runner."""

    name: str  # the channel: "telegram", "whatsapp"

    def chat_of(self, payload: dict[str, Any] | None) -> str | None:
        """The chat an update belongs to (its person's order), read defensively."""
        ...

    def words_of(self, payload: dict[str, Any] | None) -> tuple[str | None, str | None]:
        """The text and the button payload of an update, for the first look (urgency)."""
        ...

    async def run(self, payload: dict[str, Any]) -> None:
        """Turn the stored update into an `Inbound` and call `Runner.turn` (or do nothing:
        not a person's turn)."""
        ...

    async def fallback(self, payload: dict[str, Any] | None) -> None:
        """The phone lines, straight through the platform, when the person is a person."""
        ...

    def render(self, chat: str, reply: Reply) -> list[dict[str, Any]]:
        """One reply as outbox payloads, one per platform message."""
        ...

    async def send(self, payload: dict[str, Any], timeout_s: float) -> list[str]:
        """Send one outbox payload; the ids to keep for quick exit. Raises Retry/Permanent."""
        ...


@dataclass
class Turn:
    """The inbox row being processed in this task (a context variable)."""

    runner: Runner
    claimed: Claimed
    look: FirstLook | None = None  # what `accept` (or the claim) saw: reused by the turn
    snapshot_done: bool = False
    completed: bool = False
    deferred_s: float | None = None  # the flood gate kept it for this long
    owned: list[Delivery] = field(default_factory=list)  # replies this task sends itself
    answered: int = 0  # the turn's first replies, queued before its handoff (`answer_in`)
    early: list[Delivery] = field(default_factory=list)  # of those, the rows this task sends
    numbers: asyncio.Task[bool] | None = None  # the first of them, on its way (`send_answer`)
    rest: list[Delivery] = field(default_factory=list)  # the others: after the handoff


class _Sink:
    """The turn's replies and the update's end, in the turn's own transaction (TurnSink)."""

    def __init__(self, runner: Runner, turn: Turn, chat: str) -> None:
        self._runner = runner
        self._turn = turn
        self._chat = chat

    async def settle(self, conn: Tx, person_id: int, replies: list[Reply]) -> None:
        await self._runner.settle_in(conn, self._turn, self._chat, person_id, replies)

    async def provisional(self, conn: Tx, person_id: int, before: StateData | None) -> None:
        c = self._turn.claimed
        if not (c.snapshot_taken and c.snapshot_person == person_id):
            await self._runner.store.keep_snapshot_in(conn, c.id, person_id, before)

    async def defer(self, conn: Tx, person_id: int, replies: list[Reply], wait_s: float) -> None:
        await self._runner.defer_in(conn, self._turn, self._chat, person_id, replies, wait_s)

    async def answer(self, conn: Tx, person_id: int, replies: list[Reply]) -> None:
        await self._runner.answer_in(conn, self._turn, self._chat, person_id, replies)

    def answered(self) -> None:
        self._runner.send_answer(self._turn)


_current: ContextVar[Turn | None] = ContextVar("inbox_turn", default=None)


def current_turn() -> Turn | None:
    return _current.get()


class Runner:
    def __init__(
        self,
        adapter: Adapter,
        *,
        db: Database,
        vault: Vault,
        conversations: Conversations,
        outbox: Outbox,
        jobs: Jobs,
        admission: Admission,
        lease_s: float,
        keep_done: timedelta,
    ) -> None:
        self.adapter = adapter
        self.channel = adapter.name
        self.db = db
        self.outbox = outbox
        self.store = InboxStore(db, vault, adapter.name, keep_done)
        # Leases use physical time: tests freeze the business clock, not the wire.
        self.wall = SystemClock()
        self.lease = timedelta(seconds=lease_s)
        self._locks = KeyedLocks()
        self._background = Background()
        self._draining: dict[str, int] = {}  # people this process is working on
        self._accepting = KeyedLocks()  # one person's updates are stored in arrival order
        self._timers: set[asyncio.TimerHandle] = set()  # when deferred updates fall due
        self._closing = False
        self._conversations = conversations
        self._states = conversations.states
        self.admission = admission
        self.reply_kind = f"{adapter.name}.reply"  # outbox kind and tag of a turn's replies
        # First, so that a re-run's state is put back before anything reads it.
        conversations.interceptors.insert(0, self._snapshot)
        outbox.register(self.reply_kind, self._send_reply, on_sent=conversations.record_sent)
        jobs.every(max(1.0, min(30.0, lease_s / 3)), f"{self.channel}.inbox", self.sweep)
        jobs.every(3600, f"{self.channel}.inbox.purge", lambda: self.store.purge(self.wall.now()))

    @classmethod
    def for_app(cls, adapter: Adapter, app: App, keep_done: timedelta) -> Runner:
        """The runner of a channel, built from the app's services (the same for every channel)."""
        assert app.outbox is not None
        return cls(
            adapter,
            db=app.db,
            vault=app.vault,
            conversations=app.conversations,
            outbox=app.outbox,
            jobs=app.jobs,
            admission=app.admission,
            lease_s=app.settings.inbox_lease_s,
            keep_done=keep_done,
        )

    # -- accepting ----------------------------------------------------------------------

    async def accept(
        self, update_key: str, seq: int, payload: dict[str, Any], look: FirstLook | None = None
    ) -> bool:
        """Store an update (raises on storage errors: the channel then sends the phone lines
        and refuses it). False when it had been stored before (a redelivery)."""
        chat = self.adapter.chat_of(payload)
        key = self.store.order_key(chat if chat is not None else f"u{update_key}")
        # One person's updates are stored in the order they arrived: the first look below may
        # wait (the Rasa backend asks over HTTP), and a later message of the same person must
        # not be stored, claimed and run before it.
        async with self._accepting.hold(key):
            # Nobody here is working on this person: store the update claimed by this process,
            # so that processing it needs no claim of its own (the common case).
            mine = key not in self._draining
            self._draining[key] = self._draining.get(key, 0) + 1
            try:
                # A first look at the words: an urgent update is stored and processed first.
                if look is None:
                    look = await self._conversations.first_look(*self.adapter.words_of(payload))
                token = urgent_work.set(look.urgent)
                try:
                    stored = await self.store.enqueue(
                        update_key, key, seq, payload, self.wall.now(), self.lease if mine else None
                    )
                finally:
                    urgent_work.reset(token)
            except BaseException:
                self._leave(key)
                raise
        if stored is None:
            self._leave(key)
            return False
        row, held = stored
        first = Claimed(row, payload, 1, False, None, None, None) if held else None
        self._spawn(self.drain(key, first, counted=True, look=look))
        return True

    def _leave(self, key: str) -> None:
        self._draining[key] -= 1
        if not self._draining[key]:
            del self._draining[key]

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        self._background.spawn(work)

    async def idle(self) -> None:
        """Wait until every update accepted so far was processed (tests, shutdown)."""
        await self._background.idle()

    def start(self) -> None:
        """At start-up: take over what a previous run left, without waiting for the job."""
        self._spawn(self._sweep_quietly())

    async def _sweep_quietly(self) -> None:
        try:
            await self.sweep()
        except Exception:
            log.exception("inbox sweep at start-up failed; the job will retry")

    async def sweep(self) -> int:
        """The job: drain the people whose updates nobody is working on."""
        keys = await self.store.waiting(self.wall.now(), GRACE)
        fresh = [k for k in keys if k not in self._draining]
        for key in fresh:  # in the background: the job itself stays short
            self._spawn(self.drain(key))
        return len(fresh)

    # -- processing ---------------------------------------------------------------------

    async def drain(
        self,
        key: str,
        first: Claimed | None = None,
        counted: bool = False,
        look: FirstLook | None = None,
    ) -> None:
        """Process this person's updates one at a time, in order. `first`: an update stored
        stored held by this process, its person's head (`accept`)."""
        if not counted:
            self._draining[key] = self._draining.get(key, 0) + 1
        deferred: list[float] = []
        try:
            await self._drain(key, first, look, deferred)
        finally:
            self._leave(key)
            if deferred:  # come back when the first deferred update is due
                self._later(key, min(deferred))

    def _later(self, key: str, delay_s: float) -> None:
        def due() -> None:
            self._timers.discard(handle)
            if key not in self._draining and not self._closing:
                self._spawn(self.drain(key))

        handle = asyncio.get_running_loop().call_later(delay_s + 0.05, due)
        self._timers.add(handle)

    async def _drain(
        self, key: str, first: Claimed | None, look: FirstLook | None, deferred: list[float]
    ) -> None:
        async with self._locks.hold(hash(key)):
            # `first` was stored held by this process and found to be its person's head in
            # the same transaction: its turn starts without a claim or a read of its own.
            if first is not None:
                try:
                    if not await self._process(first, look, deferred):
                        return
                except Exception:
                    log.exception("inbox start failed; the sweep will retry")
                    return
            while True:
                try:
                    claimed = await self.store.claim_next(key, self.wall.now(), self.lease)
                except Exception:
                    log.exception("inbox claim failed; the sweep will retry")
                    return
                if claimed is None:
                    return  # nothing left, or another process holds this person's update
                if not await self._process(claimed, None, deferred):
                    return

    async def _process(
        self, claimed: Claimed, look: FirstLook | None, deferred: list[float]
    ) -> bool:
        """One update; False when it failed (it is retried later, later ones wait).
        It waits for a turn slot first: urgent updates are let in before ordinary ones."""
        if look is None:
            if claimed.deferred:  # its words were read before: not urgent
                look = FirstLook(ordinary=True)
            else:
                look = await self._conversations.first_look(*self.adapter.words_of(claimed.payload))
        async with self.admission.turn(look.urgent, look.possible):
            return await self._run(claimed, look, deferred)

    async def _run(self, claimed: Claimed, look: FirstLook, deferred: list[float]) -> bool:
        if claimed.payload is None or claimed.attempts > MAX_ATTEMPTS:
            log.error("%s update given up after %d attempts", self.channel, claimed.attempts - 1)
            await self.store.finish(claimed.id, self.wall.now())
            await self.adapter.fallback(claimed.payload)
            return True
        turn = Turn(self, claimed, look)
        token = _current.set(turn)
        try:
            await self.adapter.run(claimed.payload)
            if not turn.completed:  # not a person's turn (a group, an ignored kind)
                await self.store.finish(claimed.id, self.wall.now())
        except Exception:
            delay = min(60.0, 2.0**claimed.attempts)
            log.exception("%s update failed (attempt %d)", self.channel, claimed.attempts)
            with contextlib.suppress(Exception):
                await self.store.retry_at(claimed.id, self.wall.now() + timedelta(seconds=delay))
            await self._send_rest(turn)  # queued and committed: the person gets them all
            return False
        finally:
            _current.reset(token)
        if turn.deferred_s is not None:
            deferred.append(turn.deferred_s)
        await self._send_rest(turn)
        await self._deliver(turn.owned)
        return True

    async def _deliver(self, owned: list[Delivery]) -> bool:
        if not owned:
            return True
        try:
            return await self.outbox.deliver_owned(owned)
        except Exception:
            # Queued and done: the outbox worker delivers what is left.
            log.exception("sending a turn's replies failed; the outbox will retry")
            return False

    async def _send_rest(self, turn: Turn) -> None:
        """After the handoff, the answer's later messages: the numbers went first, then the
        case's topic and card (queued by the handoff, as urgent), then these. Behind the
        numbers if those did not go: the worker sends them all, in order."""
        numbers, rest = turn.numbers, turn.rest
        turn.numbers, turn.rest = None, []
        if numbers is None:
            return
        sent = await numbers
        try:
            if not sent:
                await self.outbox.hand_back(rest)
            elif rest:
                await self._deliver(rest)
        except Exception:
            log.exception("the rest of an answer was not sent; its lease lapses to the worker")

    async def turn(self, inbound: Inbound, chat: str, ops: ChannelOps | None) -> Outcome:
        """Run the person's turn for the update being processed (called by `Adapter.run`):
        its replies are queued and the update marked done with the turn's own writes."""
        turn = _current.get()
        if turn is None or turn.runner is not self:
            raise RuntimeError("a turn outside the inbox")
        sink = _Sink(self, turn, chat)
        try:
            async with asyncio.timeout(TURN_TIMEOUT_S):
                outcome = await self._conversations.handle(inbound, ops, sink, turn.look)
        except STORAGE_ERRORS:
            # The person still gets the phone lines now; the update is retried later.
            log.exception("turn failed on storage; answered with the phone lines")
            await self.adapter.fallback(turn.claimed.payload)
            raise
        await self.complete(turn, chat, outcome)  # sent right after, once
        return outcome

    async def _snapshot(self, person: PersonRef, inbound: Inbound) -> bool:
        """An interceptor that never takes the message: on a re-run after a crash, it puts
        back the state the interrupted attempt started from (see `_Sink.provisional`)."""
        turn = _current.get()
        if turn is None or turn.runner is not self or turn.snapshot_done:
            return False
        if inbound.channel != self.channel:
            return False
        turn.snapshot_done = True
        c = turn.claimed
        if c.snapshot_taken and c.snapshot_person == person.id:
            if c.snapshot is None:
                await self._states.delete(person.id)
            else:
                now = self._conversations.services.clock.now()
                await self._states.save(person.id, c.snapshot, now)
            await self.store.rewind_transcript(person.id, c.transcript_mark)
            log.info("%s update re-run from its snapshot (attempt %d)", self.channel, c.attempts)
        return False

    async def complete(self, turn: Turn, chat: str, outcome: Outcome) -> None:
        """Queue the turn's replies and mark the update done, in one transaction (unless the
        turn did so in its own: `outcome.settled`)."""
        if outcome.settled:
            return
        async with self.db.transaction() as conn:
            if outcome.erased and outcome.person_id is not None:
                # Replies still queued (paced, or in the ordinary lane an urgent reply
                # overtook) are part of the erased conversation: they never go.
                await self.outbox.drop_unsent_in(conn, self.reply_kind, outcome.person_id)
            await self.settle_in(conn, turn, chat, outcome.person_id, outcome.replies)
            if outcome.erased:
                # The person erased the conversation: the messages a flood kept for later are
                # part of it; answering them after the exit would bring the chat back.
                key = self.store.order_key(chat)
                await self.store.drop_deferred_in(conn, key, self.wall.now())

    async def defer_in(
        self,
        conn: Tx,
        turn: Turn,
        chat: str,
        person_id: int,
        replies: Sequence[Reply],
        wait_s: float,
    ) -> None:
        """Over the flood limit: the update stays in the inbox, due when the window ends; the
        calm reply (if any) is queued in the same transaction."""
        await self._queue_in(conn, turn, chat, person_id, replies)
        until = self.wall.now() + timedelta(seconds=wait_s)
        await self.store.defer_in(conn, turn.claimed.id, until)
        turn.completed = True
        turn.deferred_s = wait_s

    async def answer_in(
        self, conn: Tx, turn: Turn, chat: str, person_id: int, replies: Sequence[Reply]
    ) -> None:
        """A turn that hands off answers first: its replies (the phone numbers first) are
        queued in its own transaction, before the case is opened, and sent as soon as that
        commits (`send_answer`). Opening a case takes several transactions, a tenth of a
        second or more under a burst; and if it fails, the person has the numbers already.
        The update is marked answered in the same transaction: a re-run queues them never
        again."""
        turn.answered = len(replies)
        if turn.claimed.answered:
            return  # queued by the attempt that crashed in its handoff
        await self._queue_in(conn, turn, chat, person_id, replies)
        await self.store.mark_answered_in(conn, turn.claimed.id)
        turn.early, turn.owned = turn.owned, []

    def send_answer(self, turn: Turn) -> None:
        """After the turn's transaction: its first message (the numbers) goes now, beside the
        handoff; the rest after it (`_send_rest`), so that the case's card is not kept
        behind them by the platform's budget (~33 ms a message at 30/s)."""
        early, turn.early = turn.early, []
        if early:
            self.outbox.keep(early)
            turn.numbers = asyncio.create_task(self._deliver(early[:1]))
            turn.rest = early[1:]

    async def settle_in(
        self,
        conn: Tx,
        turn: Turn,
        chat: str,
        person_id: int | None,
        replies: Sequence[Reply],
    ) -> None:
        # The replies queued before the handoff (now or by an interrupted attempt) are not
        # queued again: only what the handoff added after them.
        skip = turn.answered or (len(replies) if turn.claimed.answered else 0)
        await self._queue_in(conn, turn, chat, person_id, replies, skip)
        await self.store.finish(turn.claimed.id, self.wall.now(), session=conn)
        turn.completed = True

    async def _queue_in(
        self,
        conn: Tx,
        turn: Turn,
        chat: str,
        person_id: int | None,
        replies: Sequence[Reply],
        skip: int = 0,
    ) -> None:
        """Queue `replies[skip:]`, in the lane and destination of all of `replies` (what the
        handoff adds follows the turn's own replies in their destination)."""
        # Urgent replies take the person's urgent lane: the numbers never wait behind the
        # person's own earlier replies. Within a destination the parts keep their order.
        urgent = any(r.urgent for r in replies)
        dest = (
            dest_of(person_id, urgent)
            if person_id is not None
            else f"{self.channel[:2]}:" + self.store.order_key(chat)[:24] + URGENT_LANE * urgent
        )
        # Possible danger only (its one-tap check the only urgent message): below danger now.
        checking = urgent and all(_is_check(r) for r in replies if r.urgent)
        lane = OUTBOX_POSSIBLE if checking else OUTBOX_URGENT
        payloads = [
            (payload, lane if reply.urgent else OUTBOX_NORMAL)
            for reply in replies[skip:]
            for payload in self.adapter.render(chat, reply)
        ]
        if urgent and payloads and not checking and not skip:
            # The numbers first of all: the urgent case's topic and card (OUTBOX_URGENT) go
            # right after this message, not before it, and not after the whole reply.
            payloads[0] = (payloads[0][0], OUTBOX_FIRST)
        owned = await self.outbox.enqueue_owned(
            conn, self.reply_kind, dest, payloads, person_id=person_id, tag=self.reply_kind
        )
        turn.owned = owned
        if payloads and not owned:
            self.outbox.kick()  # queued behind earlier messages: the worker sends them

    # -- sending (outbox handler) -------------------------------------------------------

    async def _send_reply(self, d: Delivery) -> dict[str, Any]:
        # Answer well within the lease, or another worker could send it again meanwhile.
        timeout_s = max(1.0, self.lease.total_seconds() * 0.6)
        return {"ids": await self.adapter.send(d.payload, timeout_s)}

    async def close(self) -> None:
        self._closing = True
        for timer in self._timers:  # what they would have drained, the next run's sweep will
            timer.cancel()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.idle(), 20)


def _is_check(reply: Reply) -> bool:
    """The possible-danger check («are you safe now?»): its buttons are the check's options."""
    return any(b.payload.startswith(f"{SAFETY_CHECK}#") for b in reply.flat_buttons)
