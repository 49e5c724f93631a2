"""Webhook mode: store, acknowledge, then process — and each reply sent once.

1. The webhook stores the raw update (encrypted) in the inbox, commits, answers 200. A
   redelivery hits the unique key and is a no-op.
2. A task of this process drains that person's updates right away: it claims the oldest
   unfinished one (a lease), feeds it to the dispatcher, and the turn ends with ONE transaction
   that queues the replies in the outbox and marks the update done. Then the same task sends
   those outbox rows at once (`Outbox.deliver_now`); a 429/5xx/timeout leaves the row to the
   outbox worker, which retries with back-off honouring retry_after.
3. A job (`telegram.inbox`) picks up what a crashed process left: rows never claimed, leases
   expired.

A turn re-run after a crash starts from the state its first attempt started from: before the
dialogue runs, the person's state (and where the transcript stood) is kept in the inbox row;
a re-run puts it back. So the first attempt's partial work is undone, its replies were never
queued (that happens only with "done"), and the re-run's replies are queued once.

The one window left: Telegram accepted a message and the process died before its outbox row
was marked sent (the Bot API has no idempotency key). Then that one message is sent again.
See docs/reliability.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aiogram.types import InlineKeyboardMarkup, Update

from bot.channels.telegram.errors import as_delivery_error
from bot.channels.telegram.render import chunks, keyboard
from bot.inbox.store import Claimed, InboxStore
from bot.locks import KeyedLocks
from bot.pipeline import Outcome
from dialogues.messages import Inbound
from handoff.outbox import Delivery, Outbox, Result
from storage.clock import SystemClock
from storage.people import PersonRef

if TYPE_CHECKING:
    from bot.channels.telegram.channel import TelegramChannel

log = logging.getLogger(__name__)

CHANNEL = "telegram"
REPLY = "telegram.reply"  # outbox kind and tag of a turn's replies
GRACE = timedelta(seconds=5)  # a stored update nobody claimed for this long: the sweep takes it
MAX_ATTEMPTS = 5


@dataclass
class Turn:
    """The inbox row being processed in this task (a context variable)."""

    claimed: Claimed
    snapshot_done: bool = False
    completed: bool = False
    outbox_ids: list[int] = field(default_factory=list)


_current: ContextVar[Turn | None] = ContextVar("telegram_inbox_turn", default=None)


def current_turn() -> Turn | None:
    return _current.get()


def chat_of(update: Any) -> int | None:
    """The chat an update came from, read defensively from the raw JSON."""
    if not isinstance(update, dict):
        return None
    for key in ("message", "edited_message", "callback_query"):
        body = update.get(key)
        if isinstance(body, dict):
            message = body.get("message", body) if key == "callback_query" else body
            chat = message.get("chat") if isinstance(message, dict) else None
            if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                return int(chat["id"])
            sender = body.get("from")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int):
                return int(sender["id"])
    return None


class TelegramInbox:
    def __init__(self, channel: TelegramChannel, outbox: Outbox, lease_s: float) -> None:
        app = channel.app
        self.channel = channel
        self.outbox = outbox
        self.store = InboxStore(app.db, app.vault, CHANNEL)
        # Leases use physical time: tests freeze the business clock, not the wire.
        self.wall = SystemClock()
        self.lease = timedelta(seconds=lease_s)
        self._locks = KeyedLocks()
        self._tasks: set[asyncio.Task[None]] = set()
        self._draining: dict[str, int] = {}  # people this process is working on
        self._states = app.conversations.states
        self._conversations = app.conversations
        # First, so that a re-run's state is put back before anything reads it.
        app.conversations.interceptors.insert(0, self._snapshot)
        outbox.register(REPLY, self._send_reply)
        outbox.on_result(REPLY, self._on_sent)
        app.jobs.every(max(1.0, min(30.0, lease_s / 3)), "telegram.inbox", self.sweep)
        app.jobs.every(3600, "telegram.inbox.purge", lambda: self.store.purge(self.wall.now()))

    # -- accepting ----------------------------------------------------------------------

    async def accept(self, data: dict[str, Any]) -> bool:
        """Store an update (raises on storage errors: the webhook then answers 503).
        False when it had been stored before (a redelivery)."""
        update_id = int(data["update_id"])
        chat = chat_of(data)
        key = self.store.order_key(str(chat if chat is not None else f"u{update_id}"))
        row = await self.store.enqueue(str(update_id), key, update_id, data, self.wall.now())
        if row is None:
            return False
        self._spawn(self.drain(key))
        return True

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def idle(self) -> None:
        """Wait until every update accepted so far was processed (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

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

    async def drain(self, key: str) -> None:
        """Process this person's updates one at a time, in update_id order."""
        self._draining[key] = self._draining.get(key, 0) + 1
        try:
            await self._drain(key)
        finally:
            self._draining[key] -= 1
            if not self._draining[key]:
                del self._draining[key]

    async def _drain(self, key: str) -> None:
        async with self._locks.hold(hash(key)):
            while True:
                try:
                    claimed = await self.store.claim_next(key, self.wall.now(), self.lease)
                except Exception:
                    log.exception("inbox claim failed; the sweep will retry")
                    return
                if claimed is None:
                    return  # nothing left, or another process holds this person's update
                if not await self._process(claimed):
                    return

    async def _process(self, claimed: Claimed) -> bool:
        """One update; False when it failed (it is retried later, later ones wait)."""
        if claimed.payload is None or claimed.attempts > MAX_ATTEMPTS:
            log.error("Telegram update given up after %d attempts", claimed.attempts - 1)
            await self.store.finish(claimed.id, self.wall.now())
            chat = chat_of(claimed.payload)
            if chat is not None:
                await self.channel.fallback.send(chat)
            return True
        turn = Turn(claimed)
        token = _current.set(turn)
        try:
            update = Update.model_validate(claimed.payload, context={"bot": self.channel.bot})
            await self.channel.dispatcher.feed_update(self.channel.bot, update)
            if not turn.completed:  # not a person's turn (a group, an ignored kind)
                await self.store.finish(claimed.id, self.wall.now())
        except Exception:
            delay = min(60.0, 2.0**claimed.attempts)
            log.exception("Telegram update failed (attempt %d)", claimed.attempts)
            with contextlib.suppress(Exception):
                await self.store.retry_at(claimed.id, self.wall.now() + timedelta(seconds=delay))
            return False
        finally:
            _current.reset(token)
        if turn.outbox_ids:
            try:
                await self.outbox.deliver_now(turn.outbox_ids, lease=self.lease)
            except Exception:
                # Queued and done: the outbox worker delivers what is left.
                log.exception("sending a turn's replies failed; the outbox will retry")
        return True

    async def _snapshot(self, person: PersonRef, inbound: Inbound) -> bool:
        """An interceptor that never takes the message: it keeps or restores the state."""
        turn = _current.get()
        if turn is None or turn.snapshot_done or inbound.channel != CHANNEL:
            return False
        turn.snapshot_done = True
        c = turn.claimed
        if c.snapshot_taken and c.snapshot_person == person.id:
            # A re-run after a crash: undo what the interrupted attempt may have saved.
            if c.snapshot is None:
                await self._states.delete(person.id)
            else:
                await self._states.save(person.id, c.snapshot, self.channel.clock.now())
            await self.store.rewind_transcript(person.id, c.transcript_mark)
            log.info("Telegram update re-run from its snapshot (attempt %d)", c.attempts)
        else:
            state = await self._states.load(person.id)
            await self.store.keep_snapshot(c.id, person.id, state)
        return False

    async def complete(self, turn: Turn, chat_id: int, outcome: Outcome) -> None:
        """Queue the turn's replies and mark the update done, in one transaction."""
        dest = (
            f"person:{outcome.person_id}"
            if outcome.person_id is not None
            else "tg:" + self.store.order_key(str(chat_id))[:24]
        )
        ids: list[int] = []
        async with self.channel.app.db.session() as s, s.begin():
            for reply in outcome.replies:
                parts = chunks(reply.text)
                for i, part in enumerate(parts):
                    markup = keyboard(reply) if i == len(parts) - 1 else None
                    payload: dict[str, Any] = {"chat": chat_id, "text": part}
                    if markup is not None:
                        payload["markup"] = markup.model_dump(mode="json", exclude_none=True)
                    row_id = await self.outbox.enqueue(
                        REPLY,
                        dest,
                        payload,
                        person_id=outcome.person_id,
                        tag=REPLY,
                        priority=10 if reply.urgent else 0,
                        session=s,
                        kick=False,
                    )
                    ids.append(row_id)
            await self.store.finish(turn.claimed.id, self.wall.now(), session=s)
        turn.completed = True
        turn.outbox_ids = ids

    # -- sending (outbox handler) -------------------------------------------------------

    async def _send_reply(self, d: Delivery) -> dict[str, Any]:
        p = d.payload
        markup = InlineKeyboardMarkup.model_validate(p["markup"]) if p.get("markup") else None
        try:
            # Answer well within the lease, or another worker could send it again meanwhile.
            message = await self.channel.bot.send_message(
                int(p["chat"]),
                str(p["text"]),
                reply_markup=markup,
                request_timeout=max(1, int(self.lease.total_seconds() * 0.6)),
            )
        except Exception as exc:
            raise as_delivery_error(exc) from exc
        return {"ids": [str(message.message_id)]}

    async def _on_sent(self, result: Result) -> None:
        ids: Sequence[str] = result.value.get("ids", [])
        if result.ok and ids:
            await self._conversations.record_sent(result.delivery.person_id, ids)

    async def close(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.idle(), 20)
