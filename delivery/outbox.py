"""A durable outbox: deliveries are rows first, messages second.

Anything the bot sends on its own (a consultant's reply, a case card, a reminder) is written
here in the same breath as the decision that causes it, and a worker delivers it:

- rows are claimed atomically, one in flight per destination, in the order they were queued,
  the destinations with the most urgent rows first (delivery/claims.py);
- a held row carries its process and a short lease that the process renews while it lives; a
  row found held by a dead process is re-queued at once, as never attempted or as a possible
  duplicate (delivery/leases.py, docs/reliability.md);
- a row's handler sends it, paced at the transport in the row's priority; 429 and 5xx answers
  back off, a delivery that finally fails is marked failed and its listeners are told
  (delivery/courier.py);
- the worker claims more rows as soon as it is woken, without waiting for those in flight:
  an urgent row queued while ordinary ones wait for the budget is claimed at once
  (delivery/worker.py).

Handlers by `kind` do the actual sending; they raise `Retry` or `Permanent`. Listeners by `tag`
hear about results (e.g. the relay records message pairs). See docs/handoff.md.

Delivery timing (leases, back-off, rate windows) uses physical time, not the application's
clock: tests freeze the business clock without freezing the wire.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock, SystemClock
from core.priority import urgent_work
from delivery.claims import (
    DEST_BUSY,
    FAILED,
    LEASE,
    PENDING,
    SENDING,
    SENT,
    Claims,
    Delivery,
    lock_key,
)
from delivery.courier import BUDGET_WAIT_S, Courier, Handler, Listener, TxListener
from delivery.leases import Leases
from delivery.models import OutboxRow
from delivery.worker import Worker
from storage.crypto import Vault
from storage.db import Database, Tx

log = logging.getLogger(__name__)


class Outbox:
    def __init__(
        self,
        db: Database,
        vault: Vault,
        *,
        wall: Clock | None = None,
        lease: timedelta = LEASE,
        max_attempts: int = 10,
        poll_seconds: float = 1.0,
    ) -> None:
        self._db = db
        self._vault = vault
        self._wall = wall or SystemClock()
        self._leases = Leases(db, self._wall, lease, self.kick)
        self._courier = Courier(db, self._wall, self._leases, self.kick, max_attempts)
        claims = Claims(db, vault, self._wall, self._leases, self._courier)
        self._worker = Worker(claims, self._courier, poll_seconds)

    @property
    def owner(self) -> str:
        """This process as the owner of the rows it holds (delivery/leases.py)."""
        return self._leases.owner

    @owner.setter
    def owner(self, owner: str) -> None:
        self._leases.owner = owner

    @property
    def taken_over(self) -> int:
        """Rows a dead process held, never attempted: re-queued."""
        return self._leases.taken_over

    @property
    def possible_duplicates(self) -> int:
        """Rows a dead process may have sent: re-queued, re-sent."""
        return self._leases.possible_duplicates

    @property
    def max_attempts(self) -> int:
        return self._courier.max_attempts

    @max_attempts.setter
    def max_attempts(self, attempts: int) -> None:
        self._courier.max_attempts = attempts

    # -- configuration ------------------------------------------------------------------

    def register(self, kind: str, handler: Handler, on_sent: TxListener | None = None) -> None:
        """`handler` sends a row of `kind`. `on_sent` records what was sent (the platform's
        message ids) within the transaction that marks the row sent: nothing written after
        the platform accepted a message may fail the delivery, or it would be sent twice.
        Should it fail, the row is marked sent on its own."""
        self._courier.handlers[kind] = handler
        if on_sent is not None:
            self._courier.on_sent[kind] = on_sent

    def on_result(self, tag: str, listener: Listener) -> None:
        self._courier.listeners.setdefault(tag, []).append(listener)

    # -- writing ------------------------------------------------------------------------

    async def enqueue(
        self,
        kind: str,
        dest: str,
        payload: dict[str, Any],
        *,
        person_id: int | None = None,
        tag: str = "",
        meta: dict[str, Any] | None = None,
        priority: int = 0,
        session: AsyncSession | Tx | None = None,
        kick: bool = True,
    ) -> int:
        """Add a delivery; pass `session` to make it part of the caller's transaction.
        `kick=False` when the caller delivers it itself right after (`deliver_owned`)."""
        now = self._wall.now()
        values = {
            "kind": kind,
            "dest": dest,
            "person_id": person_id,
            "payload_enc": self._vault.encrypt_json(payload),
            "tag": tag,
            "meta": json.dumps(meta or {}, separators=(",", ":"))[:256],
            "priority": priority,
            "state": PENDING,
            "attempts": 0,
            "next_at": now,
            "created_at": now,
        }
        stmt = insert(OutboxRow).values(**values).returning(OutboxRow.id)
        if session is not None:
            row_id = (await session.execute(stmt)).scalar_one()
        else:
            async with self._db.session() as s, s.begin():
                row_id = (await s.execute(stmt)).scalar_one()
        if kick:
            self.kick()
        return int(row_id)

    async def enqueue_owned(
        self,
        conn: Tx,
        kind: str,
        dest: str,
        payloads: list[tuple[dict[str, Any], int]],
        *,
        person_id: int | None,
        tag: str,
        lease: timedelta | None = None,
        meta: dict[str, Any] | None = None,
    ) -> list[Delivery]:
        """Queue a turn's messages to one destination (payload, priority) in the caller's
        transaction, already claimed by the caller when nothing else for `dest` is queued or
        in flight: it sends them right after the commit (`deliver_owned`) without a claim of
        its own. Otherwise they are queued behind what is there, for the worker; [] then.
        Owned rows count as attempted from the commit (they go within NOW_WAIT_S or are
        handed back): a crash right after it makes them possible duplicates, never losses."""
        now = self._wall.now()
        lease = lease or self._leases.lease
        meta_json = json.dumps(meta or {}, separators=(",", ":"))[:256]
        busy = await conn.scalar(DEST_BUSY, {"dest": dest})
        owned = busy is None
        rows = [
            {
                "kind": kind,
                "dest": dest,
                "person_id": person_id,
                "payload_enc": self._vault.encrypt_json(payload),
                "tag": tag,
                "meta": meta_json,
                "priority": priority,
                "state": SENDING if owned else PENDING,
                "attempts": 1 if owned else 0,
                "next_at": now,
                "lease_until": now + lease if owned else None,
                "owner": self.owner if owned else None,
                "attempted_at": now if owned else None,
                "created_at": now,
            }
            for payload, priority in payloads
        ]
        if not rows:
            return []
        ids = (
            await conn.scalars(
                insert(OutboxRow).returning(OutboxRow.id, sort_by_parameter_order=True), rows
            )
        ).all()
        if not owned:
            return []
        lease_s = lease.total_seconds()
        return [
            Delivery(int(row_id), kind, dest, person_id, payload, tag, meta or {}, 1, p, lease_s)
            for row_id, (payload, p) in zip(ids, payloads, strict=True)
        ]

    async def enqueue_now(
        self,
        kind: str,
        dest: str,
        payload: dict[str, Any],
        *,
        tag: str = "",
        meta: dict[str, Any] | None = None,
        priority: int = 0,
    ) -> bool:
        """Queue one row in a transaction of its own and, when nothing else of `dest` is
        queued or in flight, send it from this process at once (a task of its own), claimed
        from the start: no worker pass, no claim, no "attempted" write (an urgent case's topic
        and card, issue 21). True when this process sends it. Should the process die before
        it is marked, its lease lapses and a worker sends it (a possible duplicate, never a
        loss); a 429 or a busy budget hands it to the worker as any row."""
        token = urgent_work.set(priority > 0 or urgent_work.get())  # first in SQLite's queue
        try:
            async with self._db.transaction() as conn:
                if self._db.dialect == "postgresql":
                    # Turns of other people (in other processes too) may queue to this
                    # destination at the same moment: one at a time, or two rows could both
                    # find it free and fly together.
                    await conn.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(dest)}
                    )
                owned = await self.enqueue_owned(
                    conn, kind, dest, [(payload, priority)], person_id=None, tag=tag, meta=meta
                )
        finally:
            urgent_work.reset(token)
        if not owned:
            self.kick()  # behind what is there: the worker sends it
            return False
        self._leases.held.update(d.id for d in owned)  # its lease is renewed while it waits
        task = asyncio.create_task(
            self._courier.deliver(owned[0], paced=False, wait=BUDGET_WAIT_S),
            name=f"outbox row {owned[0].id}",
        )
        self._worker.hold(task)
        return True

    async def deliver_owned(self, deliveries: list[Delivery]) -> bool:
        """Send rows claimed by `enqueue_owned`, in order. At the first that is not delivered
        now, the rest are handed back to the worker (which keeps their order)."""
        self.keep(deliveries)
        for i, delivery in enumerate(deliveries):
            # A part goes as urgently as the most urgent part after it (they keep their order).
            urgency = max(d.priority for d in deliveries[i:])
            if not await self._courier.deliver(replace(delivery, priority=urgency), paced=False):
                await self.hand_back(deliveries[i + 1 :])
                return False
        return True

    def keep(self, deliveries: list[Delivery]) -> None:
        """Rows from `enqueue_owned` that this process sends itself, maybe a little later:
        their leases are renewed meanwhile."""
        self._leases.held.update(d.id for d in deliveries)

    async def hand_back(self, deliveries: list[Delivery]) -> None:
        """Rows from `enqueue_owned` this process will not send (one before them was not
        delivered): back to the worker, never attempted, in their order."""
        if deliveries:
            ids = [d.id for d in deliveries]
            self._leases.held.difference_update(ids)
            async with self._db.transaction() as conn:
                await conn.execute(
                    update(OutboxRow)
                    .where(OutboxRow.id.in_(ids), OutboxRow.state == SENDING)
                    .values(
                        state=PENDING,
                        lease_until=None,
                        owner=None,
                        attempted_at=None,  # never handed to the platform
                        attempts=OutboxRow.attempts - 1,
                    )
                )
        self.kick()

    async def drop_unsent_in(self, conn: Tx, kind: str, person_id: int) -> int:
        """Delete, in the caller's transaction, the person's rows of `kind` never handed to
        the platform (quick exit: a reply that arrived after the erasure would bring the chat
        back). A row the worker holds meanwhile is not sent: its `before_send` finds it gone."""
        result = await conn.execute(
            delete(OutboxRow).where(
                OutboxRow.kind == kind,
                OutboxRow.person_id == person_id,
                OutboxRow.state.in_((PENDING, SENDING)),
                OutboxRow.attempted_at.is_(None),
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def kick(self) -> None:
        """Wake this process's worker now (other processes notice within a poll)."""
        self._worker.kick()

    # -- the worker (delivery/worker.py) ------------------------------------------------

    def start(self) -> None:
        if not self._worker.running:
            self._leases.start()
            self._worker.start()

    async def stop(self) -> None:
        await self._worker.stop()
        await self._leases.stop()
        # What this process still holds goes back to the queue now, not after its lease: the
        # next process (or another one) sends it at once.
        try:
            await self.release(self.owner)
        except Exception:
            log.warning(
                "outbox rows not released at stop; their lease lapses in %s", self._leases.lease
            )

    async def idle(self) -> None:
        """Wait until the rows in flight here (the worker's and those sent at once) are done."""
        await self._worker.idle()

    async def run_once(self, limit: int = 30) -> int:
        """Claim what is due and allowed, deliver it; returns how many were attempted."""
        return await self._worker.run_once(limit)

    # -- leases (delivery/leases.py) ----------------------------------------------------

    async def renew(self) -> None:
        await self._leases.renew()

    async def recover(self) -> int:
        """Re-queue rows whose holder is gone (`Leases.recover`); returns how many."""
        return await self._leases.recover()

    async def release(self, owner: str) -> int:
        """Give back every row `owner` holds (this process, stopping)."""
        return await self._leases.release(owner)

    # -- upkeep -------------------------------------------------------------------------

    async def purge(self, older_than: timedelta = timedelta(days=1)) -> int:
        """Delete finished rows (sent or failed) older than this; they carry no text."""
        cutoff = self._wall.now() - older_than
        async with self._db.session() as s, s.begin():
            result = await s.execute(
                delete(OutboxRow).where(
                    OutboxRow.state.in_((SENT, FAILED)), OutboxRow.created_at < cutoff
                )
            )
        return int(getattr(result, "rowcount", 0) or 0)

    async def pending(self, dest_prefix: str = "") -> int:
        async with self._db.session() as s:
            return int(
                await s.scalar(
                    select(func.count()).where(
                        OutboxRow.state.in_((PENDING, SENDING)),
                        OutboxRow.dest.startswith(dest_prefix),
                    )
                )
                or 0
            )
