"""Who holds a row being sent, and for how long.

A held row carries its process (`owner`) and a short lease (LEASE) that the process renews
while it lives (`Leases.start`), so a process that dies lets go of its rows within seconds — at
once when a process on the same machine sees that the owner's pid is gone (a restart). A row
found held by a dead process is re-queued at once, in its place, and counted either as never
attempted (nothing can repeat) or as a possible duplicate (the platform may have accepted it;
it is sent again: a repeat is better than a loss). docs/reliability.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, or_, select, update

from core.clock import Clock
from delivery.claims import PENDING, SENDING
from delivery.models import OutboxRow
from storage.db import Database

log = logging.getLogger(__name__)

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


class Leases:
    """The rows this process holds "sending" (`held`, as `owner`): their leases renewed while it
    lives, and what dead processes held re-queued (`kick` wakes the worker for them)."""

    def __init__(
        self, db: Database, wall: Clock, lease: timedelta, kick: Callable[[], None]
    ) -> None:
        self._db = db
        self._wall = wall
        self.lease = lease
        self._kick = kick
        self.owner = owner_id()
        self.held: set[int] = set()  # rows this process holds "sending"
        self._task: asyncio.Task[None] | None = None
        self.taken_over = 0  # rows a dead process held, never attempted: re-queued
        self.possible_duplicates = 0  # rows a dead process may have sent: re-queued, re-sent

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._upkeep(), name="outbox upkeep")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

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
            await asyncio.sleep(self.lease.total_seconds() / 4)

    async def renew(self) -> None:
        if not self.held:
            return
        async with self._db.transaction() as conn:
            await conn.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.id.in_(list(self.held)),
                    OutboxRow.owner == self.owner,
                    OutboxRow.state == SENDING,
                )
                .values(lease_until=self._wall.now() + self.lease)
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
                # Not what this process still holds: a renewal delayed by a locked database
                # does not make its own row a dead process's.
                ~and_(OutboxRow.owner == self.owner, OutboxRow.id.in_(list(self.held))),
            )
            count += await self._requeue(lapsed)
        for owner in gone:
            count += await self._requeue(and_(OutboxRow.state == SENDING, OutboxRow.owner == owner))
        if count:
            self._kick()
        return count

    async def release(self, owner: str) -> int:
        """Give back every row `owner` holds (this process, stopping)."""
        self.held.clear()
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
