"""Delivering one claimed row: its kind's handler sends it, and the row is marked.

- the pace is not the outbox's: every message takes the platform's overall budget and its
  destination's pace at the transport (delivery/sendrate.py), in the row's priority, so urgent
  rows go first there too and nothing waits for a gap between rows;
- just before a row's first message goes out (its send budget granted) `attempted_at` is
  written: should the process die then, the row is a possible duplicate (delivery/leases.py);
- 429 and 5xx answers back off (honouring retry_after; a 429 also holds the destination's
  pace for every message to it); a delivery that finally fails is marked failed and its
  listeners are told (the consultant sees it).

A row's handler (by its `kind`) raises `Retry` or `Permanent`; the listeners of its `tag` hear
every result.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.exc import SQLAlchemyError

from core.clock import Clock
from core.priority import urgent_work
from delivery.claims import FAILED, PENDING, SENDING, SENT, Delivery, Result
from delivery.leases import Leases
from delivery.models import OutboxRow
from delivery.sendscope import Busy, SendScope, sending
from storage.db import Database, Tx

log = logging.getLogger(__name__)

# How long a turn's own sending (`deliver_owned`) waits for the send budget
# before it leaves the row to the worker: briefly, for the turn holds a turn slot and the
# person's next message meanwhile; queued, the most urgent rows go first (docs/benchmarks.md).
NOW_WAIT_S = 0.25
# How long the worker waits for the send budget before the row goes back to the queue (where
# the most urgent rows are claimed first).
BUDGET_WAIT_S = 30.0


class Lost(Busy):
    """The row was taken over by another worker before its message went: do not send it.
    (A `Busy`, so that the channels' error mapping passes it through untouched.)"""


class Retry(Exception):
    """Try again later (429, 5xx, network); `after` seconds if the server said so."""

    def __init__(self, reason: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


class Permanent(Exception):
    """This delivery can never succeed (blocked by the user, chat gone, bad request)."""


# Built once, executed with parameters (the hot path of every message sent).
_FINISH = (
    update(OutboxRow)
    .where(OutboxRow.id == bindparam("row"))
    .values(
        state=bindparam("v_state"),
        sent_at=bindparam("v_sent_at"),
        lease_until=None,
        owner=None,
        payload_enc="",  # the text is not kept once delivered or given up
        last_error=bindparam("v_error"),
    )
)


Handler = Callable[[Delivery], Awaitable[dict[str, Any]]]
# Runs inside the transaction that marks a delivery sent (what it writes commits with it).
TxListener = Callable[[Tx, Result], Awaitable[None]]
Listener = Callable[[Result], Awaitable[None]]


class Courier:
    """Delivers claimed rows by their kind's handler (`handlers`), tells the listeners, and
    marks each row: sent, failed, or back in the queue for later."""

    def __init__(
        self,
        db: Database,
        wall: Clock,
        leases: Leases,
        kick: Callable[[], None],
        max_attempts: int,
    ) -> None:
        self._db = db
        self._wall = wall
        self._leases = leases
        self._kick = kick  # the worker: a row is due again, or its destination's next may be
        self.max_attempts = max_attempts
        self.handlers: dict[str, Handler] = {}
        self.listeners: dict[str, list[Listener]] = {}
        self.on_sent: dict[str, TxListener] = {}
        # The row each destination has in flight here: lifted when a more urgent one queues.
        self.flying: dict[str, SendScope] = {}

    async def deliver(self, d: Delivery, paced: bool = True, wait: float | None = None) -> bool:
        if d.priority <= 0 or urgent_work.get():
            return await self._deliver_row(d, paced, wait)
        token = urgent_work.set(True)  # its writes (attempted, sent) go first in SQLite's queue
        try:
            return await self._deliver_row(d, paced, wait)
        finally:
            urgent_work.reset(token)

    async def _deliver_row(self, d: Delivery, paced: bool, wait: float | None) -> bool:
        """Deliver one claimed row; True when it was sent. Its messages wait for the send
        budget in the row's priority: in the worker for up to BUDGET_WAIT_S; from a turn
        (`deliver_owned`) briefly, as the person's next message waits. A row
        that got no budget in time goes back to the queue, where the worker takes the most
        urgent first. `paced=False`: the row was claimed at its commit (`enqueue_owned`),
        already counted as attempted."""
        handler = self.handlers[d.kind]
        if wait is None:
            wait = BUDGET_WAIT_S if paced else NOW_WAIT_S
        # The worker's rows are marked attempted once their budget is granted, right before
        # the platform is called; a turn's own rows were (`enqueue_owned`).
        before = (lambda: self._attempted(d)) if paced else None
        scope = None
        try:
            with sending(d.priority, within=wait, before_send=before, dest=d.dest) as scope:
                self.flying[d.dest] = scope
                try:
                    value = await handler(d)
                finally:
                    if self.flying.get(d.dest) is scope:
                        del self.flying[d.dest]
        except Lost:
            self._leases.held.discard(d.id)
            log.warning("delivery %s was taken over or withdrawn before it was sent", d.id)
            return False
        except Busy:
            # Not refused by the platform, only not its turn yet: an urgent row is due again
            # at once (the worker waits for the budget longer, still first in line).
            await self._back_off(d, "send budget busy", 0.0, at_once=d.priority > 0)
            return False
        except Retry as exc:
            if exc.after is not None and scope is not None:
                # Nothing more to this destination before then, from any row or turn.
                await scope.refused(exc.after)
            if d.attempts >= self.max_attempts:
                await self.finish(d, False, {}, f"gave up: {exc}")
            else:
                await self._back_off(d, str(exc), exc.after)
            return False
        except Permanent as exc:
            await self.finish(d, False, {}, str(exc))
            return False
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # network trouble, a bug in a handler: retry, then give up
            log.warning("delivery %s (%s) failed: %s", d.id, d.kind, type(exc).__name__)
            if d.attempts >= self.max_attempts:
                await self.finish(d, False, {}, type(exc).__name__)
            else:
                await self._back_off(d, type(exc).__name__, None)
            return False
        await self.finish(d, True, value, "")
        return True

    async def _attempted(self, d: Delivery) -> None:
        async with self._db.transaction() as conn:
            marked = await conn.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.id == d.id,
                    OutboxRow.owner == self._leases.owner,
                    OutboxRow.state == SENDING,
                )
                .values(attempted_at=self._wall.now())
                .returning(OutboxRow.id)
            )
            if marked.first() is None:
                raise Lost(str(d.id))

    async def _back_off(
        self, d: Delivery, reason: str, after: float | None, at_once: bool = False
    ) -> None:
        self._leases.held.discard(d.id)
        delay = min(300.0, 2.0 * 2 ** (d.attempts - 1)) * random.uniform(0.8, 1.2)
        if after is not None:
            delay = 0.0 if at_once else max(after, 0.5)
        async with self._db.transaction() as conn:
            await conn.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.id == d.id,
                    OutboxRow.state == SENDING,
                    OutboxRow.owner == self._leases.owner,
                )
                .values(
                    state=PENDING,
                    lease_until=None,
                    owner=None,
                    attempted_at=None,  # refused or not sent: the platform did not take it
                    next_at=self._wall.now() + timedelta(seconds=delay),
                    last_error=reason[:200],
                )
            )
        log.info("delivery %s retries in %.1fs (%s)", d.id, delay, reason[:60])
        if at_once:
            self._kick()

    async def finish(self, d: Delivery, ok: bool, value: dict[str, Any], error: str) -> None:
        # The row stays held, its lease renewed, until it is marked: were the lease to lapse
        # while a locked database delays the mark, the row would be re-queued and sent again.
        try:
            await self._mark(d, ok, value, error)
        finally:
            self._leases.held.discard(d.id)
        if ok:
            self._kick()  # the next row of this destination may be due

    async def _mark(self, d: Delivery, ok: bool, value: dict[str, Any], error: str) -> None:
        params = {
            "row": d.id,
            "v_state": SENT if ok else FAILED,
            "v_sent_at": self._wall.now() if ok else None,
            "v_error": error[:200] or None,
        }
        result = Result(d, ok, value, error)
        marked = False
        on_sent = self.on_sent.get(d.kind) if ok else None
        if on_sent is not None:
            try:
                async with self._db.transaction() as conn:
                    await conn.execute(_FINISH, params)
                    await on_sent(conn, result)
                marked = True
            except Exception:
                log.exception("recording delivery %s failed; marking the row on its own", d.id)
        # A message the platform accepted must be marked sent, or it is sent again once the
        # lease expires: through a short database outage, keep trying (the lease still holds).
        for wait in () if marked else (0.5, 1.0, 2.0, 4.0, 8.0, 0.0):
            try:
                async with self._db.transaction() as conn:
                    await conn.execute(_FINISH, params)
                break
            except (SQLAlchemyError, OSError, TimeoutError):
                if not ok or not wait:
                    raise
                log.warning("delivery %s sent but not yet marked; retrying", d.id)
                await asyncio.sleep(wait)
        if not ok:
            log.warning("delivery %s (%s) failed for good: %s", d.id, d.kind, error[:80])
        for listener in self.listeners.get(d.tag, ()):
            try:
                await listener(result)
            except Exception:
                log.exception("outbox listener for %s failed", d.tag)
