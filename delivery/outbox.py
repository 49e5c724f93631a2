"""A durable outbox: deliveries are rows first, messages second.

Anything the bot sends on its own (a consultant's reply, a case card, a reminder) is written
here in the same breath as the decision that causes it, and a worker delivers it:

- rows are claimed atomically (a conditional UPDATE ... RETURNING), so any number of processes
  may run workers and each row is sent once; a held row carries its process (`owner`) and a
  short lease (LEASE) that the process renews while it lives (`_upkeep`), so a process that
  dies lets go of its rows within seconds — at once when a process on the same machine sees
  that the owner's pid is gone (a restart);
- just before a row's first message goes out (its send budget granted) `attempted_at` is
  written; a row found held by a dead process is re-queued at once, in its place, and counted
  either as never attempted (nothing can repeat) or as a possible duplicate (the platform may
  have accepted it; it is sent again: a repeat is better than a loss). docs/reliability.md;
- per destination (`dest`: one chat, one group, a person's urgent lane) one row is in flight at
  a time, and rows go out in the order they were queued, always (a reply's parts, a topic and
  its card). Urgency moves a whole destination ahead of the others: the worker claims the
  destinations with the most urgent rows waiting first, and a destination's next row goes
  with the priority of the most urgent row behind it. An urgent reply overtakes the person's
  ordinary ones by its lane (`person:<id>:urgent`), never by reordering a destination;
- the pace is not the outbox's: every message takes the platform's overall budget and its
  destination's pace at the transport (delivery/sendrate.py), in the row's priority, so urgent
  rows go first there too and nothing waits for a gap between rows;
- the worker claims more rows as soon as it is woken, without waiting for those in flight:
  an urgent row queued while ordinary ones wait for the budget is claimed at once;
- 429 and 5xx answers back off (honouring retry_after; a 429 also holds the destination's
  pace for every message to it); a delivery that finally fails is marked failed and its
  listeners are told (the consultant sees it).

Handlers by `kind` do the actual sending; they raise `Retry` or `Permanent`. Listeners by `tag`
hear about results (e.g. the relay records message pairs). See docs/handoff.md.

Delivery timing (leases, back-off, rate windows) uses physical time, not the application's
clock: tests freeze the business clock without freezing the wire.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.clock import Clock, SystemClock
from core.priority import urgent_work
from delivery.models import OutboxRow
from delivery.sendrate import Busy, SendScope, sending
from storage.crypto import DecryptionError, Vault
from storage.db import Database, Tx

log = logging.getLogger(__name__)

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
# How long a turn's own sending (`deliver_owned`) waits for the send budget
# before it leaves the row to the worker: briefly, for the turn holds a turn slot and the
# person's next message meanwhile; queued, the most urgent rows go first (docs/benchmarks.md).
NOW_WAIT_S = 0.25
# How long the worker waits for the send budget before the row goes back to the queue (where
# the most urgent rows are claimed first).
BUDGET_WAIT_S = 30.0
# Rows one process's worker holds in flight at once (waiting for the send budget or sending).
IN_FLIGHT = 100
# A held row's lease: renewed every LEASE/4 while its process lives; a dead process's rows are
# free after at most this long (at once, when the owner is seen dead on this machine).
LEASE = timedelta(seconds=10)
POSSIBLE_DUPLICATE = "possible duplicate: attempted by a process that died"


def _namespace() -> str:
    """This machine's boot and pid namespace: owners that share it can be checked by pid."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        pids = os.readlink("/proc/self/ns/pid")
    except OSError:
        return "x" + os.urandom(4).hex()  # unknown: nobody else can match it
    return hashlib.sha256(f"{boot}|{pids}".encode()).hexdigest()[:12]


NAMESPACE = _namespace()


def owner_id() -> str:
    """This process as a row owner: `<namespace>-<pid>-<random>`."""
    return f"{NAMESPACE}-{os.getpid()}-{os.urandom(3).hex()}"


def owner_gone(owner: str) -> bool:
    """True only when `owner` was a process of this namespace that no longer exists."""
    ns, _, rest = owner.partition("-")
    pid = rest.partition("-")[0]
    if ns != NAMESPACE or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # exists (another user's) or cannot tell
    return False


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


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    kind: str
    dest: str
    person_id: int | None
    payload: dict[str, Any]
    tag: str
    meta: dict[str, Any]
    attempts: int
    priority: int = 0  # the row's, or more: the most urgent row waiting behind it
    lease_s: float = LEASE.total_seconds()


@dataclass(frozen=True, slots=True)
class Result:
    delivery: Delivery
    ok: bool
    value: dict[str, Any] = field(default_factory=dict)  # what the handler returned (ids)
    error: str = ""


# Built once, executed with parameters (the hot path of every message sent).
_BUSY = (
    select(OutboxRow.id)
    .where(OutboxRow.dest == bindparam("dest"), OutboxRow.state.in_((PENDING, SENDING)))
    .limit(1)
)
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


def _lock_key(dest: str) -> int:
    """A destination as a PostgreSQL advisory lock key (a signed 64-bit integer)."""
    return int.from_bytes(hashlib.sha256(dest.encode()).digest()[:8], "big", signed=True)


def _next_of_dest(row: Any) -> Any:
    """`row` is its destination's next: nothing of the destination in flight and no row
    queued before it. A destination's rows keep their order whatever their priorities (the
    parts of one reply may differ in urgency); a row waiting for its retry holds back those
    behind it."""
    other = aliased(OutboxRow)
    return ~exists().where(
        other.dest == row.dest,
        other.id != row.id,
        or_(other.state == SENDING, and_(other.state == PENDING, other.id < row.id)),
    )


def _urgency(row: Any) -> Any:
    """A destination is as urgent as the most urgent row waiting in it: its next row goes
    with that priority (an urgent card queued behind an ordinary post lifts the post)."""
    behind = aliased(OutboxRow)
    return (
        select(func.max(behind.priority))
        .where(behind.dest == row.dest, behind.state == PENDING)
        .scalar_subquery()
    )


Handler = Callable[[Delivery], Awaitable[dict[str, Any]]]
# Runs inside the transaction that marks a delivery sent (what it writes commits with it).
TxListener = Callable[[Tx, Result], Awaitable[None]]
Listener = Callable[[Result], Awaitable[None]]


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
        self._lease = lease
        self.owner = owner_id()
        self._held: set[int] = set()  # rows this process holds "sending"
        self._upkeep_task: asyncio.Task[None] | None = None
        self.taken_over = 0  # rows a dead process held, never attempted: re-queued
        self.possible_duplicates = 0  # rows a dead process may have sent: re-queued, re-sent
        self.max_attempts = max_attempts
        self._poll = poll_seconds
        self._handlers: dict[str, Handler] = {}
        self._listeners: dict[str, list[Listener]] = {}
        self._on_sent: dict[str, TxListener] = {}
        self._in_flight: set[asyncio.Task[bool]] = set()
        # The row each destination has in flight here: lifted when a more urgent one queues.
        self._flying: dict[str, SendScope] = {}
        self._kick = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    # -- configuration ------------------------------------------------------------------

    def register(self, kind: str, handler: Handler, on_sent: TxListener | None = None) -> None:
        """`handler` sends a row of `kind`. `on_sent` records what was sent (the platform's
        message ids) within the transaction that marks the row sent: nothing written after
        the platform accepted a message may fail the delivery, or it would be sent twice.
        Should it fail, the row is marked sent on its own."""
        self._handlers[kind] = handler
        if on_sent is not None:
            self._on_sent[kind] = on_sent

    def on_result(self, tag: str, listener: Listener) -> None:
        self._listeners.setdefault(tag, []).append(listener)

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
        lease = lease or self._lease
        meta_json = json.dumps(meta or {}, separators=(",", ":"))[:256]
        busy = await conn.scalar(_BUSY, {"dest": dest})
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
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(dest)}
                    )
                owned = await self.enqueue_owned(
                    conn, kind, dest, [(payload, priority)], person_id=None, tag=tag, meta=meta
                )
        finally:
            urgent_work.reset(token)
        if not owned:
            self.kick()  # behind what is there: the worker sends it
            return False
        self._held.update(d.id for d in owned)  # its lease is renewed while it waits
        task = asyncio.create_task(
            self._deliver(owned[0], paced=False, wait=BUDGET_WAIT_S),
            name=f"outbox row {owned[0].id}",
        )
        self._in_flight.add(task)
        task.add_done_callback(self._delivered)
        return True

    async def deliver_owned(self, deliveries: list[Delivery]) -> bool:
        """Send rows claimed by `enqueue_owned`, in order. At the first that is not delivered
        now, the rest are handed back to the worker (which keeps their order)."""
        self._held.update(d.id for d in deliveries)
        for i, delivery in enumerate(deliveries):
            # A part goes as urgently as the most urgent part after it (they keep their order).
            urgency = max(d.priority for d in deliveries[i:])
            if not await self._deliver(replace(delivery, priority=urgency), paced=False):
                rest = [d.id for d in deliveries[i + 1 :]]
                if rest:
                    self._held.difference_update(rest)
                    async with self._db.transaction() as conn:
                        await conn.execute(
                            update(OutboxRow)
                            .where(OutboxRow.id.in_(rest), OutboxRow.state == SENDING)
                            .values(
                                state=PENDING,
                                lease_until=None,
                                owner=None,
                                attempted_at=None,  # never handed to the platform
                                attempts=OutboxRow.attempts - 1,
                            )
                        )
                self.kick()
                return False
        return True

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
        self._kick.set()

    # -- the worker ---------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._stopping = False
            loop = asyncio.get_running_loop()
            self._upkeep_task = loop.create_task(self._upkeep(), name="outbox upkeep")
            self._task = loop.create_task(self._run(), name="outbox")

    async def stop(self) -> None:
        self._stopping = True
        self._kick.set()
        if self._task is not None:
            # Let a round in flight finish (its rows are then marked), cancel after a bound.
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._task, timeout=5)
            self._task = None
        if self._in_flight:  # rows sent at once (`enqueue_now`) where no worker ran
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.idle(), timeout=5)
            for task in list(self._in_flight):
                task.cancel()
        if self._upkeep_task is not None:
            self._upkeep_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._upkeep_task
            self._upkeep_task = None
        # What this process still holds goes back to the queue now, not after its lease: the
        # next process (or another one) sends it at once.
        try:
            await self.release(self.owner)
        except Exception:
            log.warning("outbox rows not released at stop; their lease lapses in %s", self._lease)

    # -- leases -------------------------------------------------------------------------

    async def _upkeep(self) -> None:
        """Renew the leases of the rows this process holds; re-queue what dead processes
        held. The first round runs at once (a restart finds its predecessor's rows)."""
        while True:
            try:
                await self.renew()
                await self.recover()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("outbox lease upkeep failed; retrying", exc_info=True)
            await asyncio.sleep(self._lease.total_seconds() / 4)

    async def renew(self) -> None:
        if not self._held:
            return
        async with self._db.transaction() as conn:
            await conn.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.id.in_(list(self._held)),
                    OutboxRow.owner == self.owner,
                    OutboxRow.state == SENDING,
                )
                .values(lease_until=self._wall.now() + self._lease)
            )

    async def recover(self) -> int:
        """Re-queue rows whose holder is gone: its lease lapsed, or its process is seen dead
        on this machine. Returns how many; each is counted and logged as never attempted or
        as a possible duplicate (its message may have reached the platform)."""
        now = self._wall.now()
        async with self._db.session() as s:  # one read; writes only when something is found
            holders = (
                await s.execute(
                    select(OutboxRow.owner, func.min(OutboxRow.lease_until))
                    .where(OutboxRow.state == SENDING)
                    .group_by(OutboxRow.owner)
                )
            ).all()
        gone = [o for o, _ in holders if o is not None and o != self.owner and owner_gone(o)]
        count = 0
        if any(until is None or until < now for _, until in holders):
            lapsed = and_(
                OutboxRow.state == SENDING,
                or_(OutboxRow.lease_until < now, OutboxRow.lease_until.is_(None)),
            )
            count += await self._requeue(lapsed)
        for owner in gone:
            count += await self._requeue(and_(OutboxRow.state == SENDING, OutboxRow.owner == owner))
        if count:
            self.kick()
        return count

    async def release(self, owner: str) -> int:
        """Give back every row `owner` holds (this process, stopping)."""
        self._held.clear()
        return await self._requeue(and_(OutboxRow.state == SENDING, OutboxRow.owner == owner))

    async def _requeue(self, held: Any) -> int:
        """Back to "pending", in place (ids keep each destination's order), due now."""
        now = self._wall.now()
        values: dict[str, Any] = {"state": PENDING, "lease_until": None, "owner": None}
        async with self._db.transaction() as conn:
            unsent = await conn.execute(
                update(OutboxRow)
                .where(held, OutboxRow.attempted_at.is_(None))
                .values(**values, next_at=now)
                .returning(OutboxRow.id)
            )
            fresh = len(unsent.all())
            maybe = await conn.execute(
                update(OutboxRow)
                .where(held, OutboxRow.attempted_at.is_not(None))
                .values(**values, next_at=now, last_error=POSSIBLE_DUPLICATE)
                .returning(OutboxRow.id)
            )
            repeats = len(maybe.all())
        if fresh:
            self.taken_over += fresh
            log.info("outbox: %d row(s) of a stopped process re-queued (never attempted)", fresh)
        if repeats:
            self.possible_duplicates += repeats
            log.warning(
                "outbox: %d row(s) of a stopped process may have been sent; sending again "
                "(possible duplicates)",
                repeats,
            )
        return fresh + repeats

    async def _run(self) -> None:
        """Claim what is due whenever woken, up to IN_FLIGHT rows held at once, and deliver
        each in a task of its own: a row waiting for the budget never holds up the claim of
        a more urgent one (the budget hands tokens out urgent first)."""
        try:
            while not self._stopping:
                self._kick.clear()
                claimed: list[Delivery] = []
                room = IN_FLIGHT - len(self._in_flight)
                try:  # with no room, it still lifts the rows in flight
                    claimed = await self._claim(max(0, min(room, 30)))
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("outbox worker round failed; retrying")
                for d in claimed:
                    task = asyncio.create_task(self._deliver(d), name=f"outbox row {d.id}")
                    self._in_flight.add(task)
                    task.add_done_callback(self._delivered)
                if claimed and len(self._in_flight) < IN_FLIGHT:
                    continue  # more may be due
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._kick.wait(), self._poll)
            # Stopping: let the rows in flight finish (stop() bounds the wait).
            while self._in_flight:
                await asyncio.wait(set(self._in_flight))
        finally:
            for task in list(self._in_flight):
                task.cancel()

    async def idle(self) -> None:
        """Wait until the rows in flight here (the worker's and those sent at once) are done."""
        while self._in_flight:
            await asyncio.wait(set(self._in_flight))

    def _delivered(self, task: asyncio.Task[bool]) -> None:
        if len(self._in_flight) == IN_FLIGHT:
            self._kick.set()  # room again for a row (a sent row's `_finish` wakes it anyway)
        self._in_flight.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("outbox delivery failed unexpectedly", exc_info=exc)

    async def run_once(self, limit: int = 30) -> int:
        """Claim what is due and allowed, deliver it; returns how many were attempted."""
        claimed = await self._claim(limit)
        if not claimed:
            return 0
        await asyncio.gather(*(self._deliver(d) for d in claimed))
        return len(claimed)

    async def _claim(self, limit: int) -> list[Delivery]:
        now = self._wall.now()
        kinds = list(self._handlers)
        if not kinds:
            return []
        # Rows a dead process held are re-queued by `recover` first (counted there).
        due = and_(OutboxRow.state == PENDING, OutboxRow.next_at <= now)
        async with self._db.session() as s:
            urgency = _urgency(OutboxRow).label("urgency")
            candidates = (
                (
                    await s.execute(
                        select(OutboxRow.id, urgency)
                        .where(due, _next_of_dest(OutboxRow), OutboxRow.kind.in_(kinds))
                        .order_by(urgency.desc(), OutboxRow.id)
                        .limit(limit)
                    )
                ).all()
                if limit > 0
                else []
            )
            if self._flying:
                # A destination busy here with a row that waits for the budget or its pace:
                # a more urgent row queued behind it lifts it (an urgent card behind an
                # ordinary post waits for that post, so the post goes as urgently).
                behind = await s.execute(
                    select(OutboxRow.dest, func.max(OutboxRow.priority))
                    .where(OutboxRow.dest.in_(list(self._flying)), OutboxRow.state == PENDING)
                    .group_by(OutboxRow.dest)
                )
                for dest, priority in behind:
                    if (flying := self._flying.get(dest)) is not None and priority:
                        flying.lift(int(priority))
        out: list[Delivery] = []
        for cand in candidates:
            # An urgent row's writes go first in the SQLite writer's queue (core/priority.py).
            urgency = int(cand.urgency or 0)
            token = urgent_work.set(urgency > 0)
            try:
                delivery = await self._take(cand.id, now)
            finally:
                urgent_work.reset(token)
            if delivery is not None:
                out.append(replace(delivery, priority=max(delivery.priority, urgency)))
        return out

    async def _take(self, row_id: int, now: datetime) -> Delivery | None:
        stmt = (
            update(OutboxRow)
            .where(OutboxRow.id == row_id, OutboxRow.state == PENDING, _next_of_dest(OutboxRow))
            .values(
                state=SENDING,
                lease_until=now + self._lease,
                owner=self.owner,
                attempted_at=None,
                attempts=OutboxRow.attempts + 1,
            )
            .returning(
                OutboxRow.id,
                OutboxRow.kind,
                OutboxRow.dest,
                OutboxRow.person_id,
                OutboxRow.payload_enc,
                OutboxRow.tag,
                OutboxRow.meta,
                OutboxRow.attempts,
                OutboxRow.priority,
            )
        )
        async with self._db.session() as s, s.begin():
            row = (await s.execute(stmt)).first()
        if row is None:
            return None  # another worker took it
        self._held.add(row.id)
        try:
            payload = self._vault.decrypt_json(row.payload_enc)
        except (DecryptionError, ValueError):
            payload = None
        delivery = Delivery(
            row.id,
            row.kind,
            row.dest,
            row.person_id,
            payload if isinstance(payload, dict) else {},
            row.tag,
            json.loads(row.meta or "{}"),
            row.attempts,
            row.priority,
            self._lease.total_seconds(),
        )
        if payload is None:
            await self._finish(delivery, False, {}, "payload cannot be decrypted")
            return None
        return delivery

    async def _deliver(self, d: Delivery, paced: bool = True, wait: float | None = None) -> bool:
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
        handler = self._handlers[d.kind]
        if wait is None:
            wait = BUDGET_WAIT_S if paced else NOW_WAIT_S
        # The worker's rows are marked attempted once their budget is granted, right before
        # the platform is called; a turn's own rows were (`enqueue_owned`).
        before = (lambda: self._attempted(d)) if paced else None
        scope = None
        try:
            with sending(d.priority, within=wait, before_send=before, dest=d.dest) as scope:
                self._flying[d.dest] = scope
                try:
                    value = await handler(d)
                finally:
                    if self._flying.get(d.dest) is scope:
                        del self._flying[d.dest]
        except Lost:
            self._held.discard(d.id)
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
                await self._finish(d, False, {}, f"gave up: {exc}")
            else:
                await self._back_off(d, str(exc), exc.after)
            return False
        except Permanent as exc:
            await self._finish(d, False, {}, str(exc))
            return False
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # network trouble, a bug in a handler: retry, then give up
            log.warning("delivery %s (%s) failed: %s", d.id, d.kind, type(exc).__name__)
            if d.attempts >= self.max_attempts:
                await self._finish(d, False, {}, type(exc).__name__)
            else:
                await self._back_off(d, type(exc).__name__, None)
            return False
        await self._finish(d, True, value, "")
        return True

    async def _attempted(self, d: Delivery) -> None:
        async with self._db.transaction() as conn:
            marked = await conn.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.id == d.id,
                    OutboxRow.owner == self.owner,
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
        self._held.discard(d.id)
        delay = min(300.0, 2.0 * 2 ** (d.attempts - 1)) * random.uniform(0.8, 1.2)
        if after is not None:
            delay = 0.0 if at_once else max(after, 0.5)
        async with self._db.transaction() as conn:
            await conn.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.id == d.id,
                    OutboxRow.state == SENDING,
                    OutboxRow.owner == self.owner,
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
            self.kick()

    async def _finish(self, d: Delivery, ok: bool, value: dict[str, Any], error: str) -> None:
        self._held.discard(d.id)
        params = {
            "row": d.id,
            "v_state": SENT if ok else FAILED,
            "v_sent_at": self._wall.now() if ok else None,
            "v_error": error[:200] or None,
        }
        result = Result(d, ok, value, error)
        marked = False
        on_sent = self._on_sent.get(d.kind) if ok else None
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
        for listener in self._listeners.get(d.tag, ()):
            try:
                await listener(result)
            except Exception:
                log.exception("outbox listener for %s failed", d.tag)
        if ok:
            self._kick.set()  # the next row of this destination may be due

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
