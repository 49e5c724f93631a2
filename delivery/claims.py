"""The outbox's rows as a worker holds them (`Delivery`, `Result`), and claiming them.

- rows are claimed atomically (a conditional UPDATE ... RETURNING), so any number of processes
  may run workers and each row is sent once; a claimed row is held under a lease
  (delivery/leases.py);
- per destination (`dest`: one chat, one group, a person's urgent lane) one row is in flight at
  a time, and rows go out in the order they were queued, always (a reply's parts, a topic and
  its card). Urgency moves a whole destination ahead of the others: the worker claims the
  destinations with the most urgent rows waiting first, and a destination's next row goes
  with the priority of the most urgent row behind it. An urgent reply overtakes the person's
  ordinary ones by its lane (`person:<id>:urgent`), never by reordering a destination.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, bindparam, exists, func, or_, select, update
from sqlalchemy.orm import aliased

from core.clock import Clock
from core.priority import urgent_work
from delivery.models import OutboxRow
from storage.crypto import DecryptionError, Vault
from storage.db import Database

if TYPE_CHECKING:
    from delivery.courier import Courier
    from delivery.leases import Leases

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
# A held row's lease: renewed every LEASE/4 while its process lives; a dead process's rows are
# free after at most this long (at once, when the owner is seen dead on this machine).
LEASE = timedelta(seconds=10)


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


# Built once, executed with parameters (the hot path of every message sent): is anything of
# the destination queued or in flight?
DEST_BUSY = (
    select(OutboxRow.id)
    .where(OutboxRow.dest == bindparam("dest"), OutboxRow.state.in_((PENDING, SENDING)))
    .limit(1)
)


def lock_key(dest: str) -> int:
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


class Claims:
    """Claims rows for this process (held as `leases.owner`): what is due and next in its
    destination, the most urgent destinations first, for `courier` to deliver."""

    def __init__(
        self, db: Database, vault: Vault, wall: Clock, leases: Leases, courier: Courier
    ) -> None:
        self._db = db
        self._vault = vault
        self._wall = wall
        self._leases = leases
        self._courier = courier

    async def claim(self, limit: int) -> list[Delivery]:
        now = self._wall.now()
        kinds = list(self._courier.handlers)
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
            if self._courier.flying:
                # A destination busy here with a row that waits for the budget or its pace:
                # a more urgent row queued behind it lifts it (an urgent card behind an
                # ordinary post waits for that post, so the post goes as urgently).
                behind = await s.execute(
                    select(OutboxRow.dest, func.max(OutboxRow.priority))
                    .where(
                        OutboxRow.dest.in_(list(self._courier.flying)), OutboxRow.state == PENDING
                    )
                    .group_by(OutboxRow.dest)
                )
                for dest, priority in behind:
                    if (flying := self._courier.flying.get(dest)) is not None and priority:
                        flying.lift(int(priority))
        out: list[Delivery] = []
        for cand in candidates:
            # An urgent row's writes go first in the SQLite writer's queue (core/priority.py).
            urgency = int(cand.urgency or 0)
            token = urgent_work.set(urgency > 0)
            try:
                delivery = await self.take(cand.id, now)
            finally:
                urgent_work.reset(token)
            if delivery is not None:
                out.append(replace(delivery, priority=max(delivery.priority, urgency)))
        return out

    async def take(self, row_id: int, now: datetime) -> Delivery | None:
        stmt = (
            update(OutboxRow)
            .where(OutboxRow.id == row_id, OutboxRow.state == PENDING, _next_of_dest(OutboxRow))
            .values(
                state=SENDING,
                lease_until=now + self._leases.lease,
                owner=self._leases.owner,
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
        self._leases.held.add(row.id)
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
            self._leases.lease.total_seconds(),
        )
        if payload is None:
            await self._courier.finish(delivery, False, {}, "payload cannot be decrypted")
            return None
        return delivery
