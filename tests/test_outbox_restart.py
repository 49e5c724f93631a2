"""The outbox after a process dies or stops: its rows go out again within seconds, and what
may already have reached the platform is told apart from what certainly did not (issue 22).

A row waiting for the send budget is held only under a short lease its process renews; a
row is marked attempted just before its message is handed to the platform.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from core.clock import FrozenClock, SystemClock
from delivery.claims import LEASE, Delivery
from delivery.leases import NAMESPACE, POSSIBLE_DUPLICATE
from delivery.models import OutboxRow
from delivery.outbox import Outbox
from delivery.sendrate import SendBudget
from storage.crypto import Vault
from storage.db import Database
from tests.conftest import TEST_KEY


class OneToken:
    """A send budget with one token, then none for an hour."""

    def __init__(self) -> None:
        self.left = 1

    async def take(self, priority: int = 0) -> float:
        if self.left:
            self.left -= 1
            return 0.0
        return 3600.0


def _dead_owner() -> str:
    """The owner id of a process of this machine that has exited."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return f"{NAMESPACE}-{proc.pid}-dead"


async def _rows(db: Database) -> dict[str, Any]:
    async with db.session() as s:
        rows = (await s.execute(select(OutboxRow).order_by(OutboxRow.id))).scalars().all()
        return {r.dest: r for r in rows}


async def _until(check: Any, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def _dying_worker(
    db: Database, vault: Vault, owner: str, wall: FrozenClock | None = None
) -> tuple[Outbox, asyncio.Task[int]]:
    """A worker that hands row "x" to the platform (which never answers) while row "y" waits
    for the send budget; returns it and its round, to be cancelled like a process killed."""
    budget = SendBudget(OneToken())
    dying = Outbox(db, vault, wall=wall)
    dying.owner = owner

    async def hang(d: Delivery) -> dict[str, Any]:
        await budget.acquire()
        await asyncio.Event().wait()  # the HTTP call in flight when the process dies
        return {}

    dying.register("test", hang)
    await dying.enqueue("test", "x", {"n": 1}, priority=10)
    await dying.enqueue("test", "y", {"n": 2}, priority=10)
    task = asyncio.create_task(dying.run_once())

    async def x_attempted_y_waiting() -> bool:
        rows = await _rows(db)
        return rows["x"].attempted_at is not None and rows["y"].state == "sending"

    await _until(x_attempted_y_waiting)
    return dying, task


async def _kill(task: asyncio.Task[int]) -> None:
    task.cancel()  # no clean-up runs: the rows stay "sending", as after kill -9
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def test_rows_of_a_process_that_died_here_go_out_at_once_duplicates_told_apart(
    db_url: str,
) -> None:
    db = Database(db_url)
    await db.upgrade()
    vault = Vault([TEST_KEY])
    try:
        await _kill((await _dying_worker(db, vault, _dead_owner()))[1])
        sent: list[str] = []

        async def record(d: Delivery) -> dict[str, Any]:
            sent.append(d.dest)
            return {}

        restarted = Outbox(db, vault)
        restarted.register("test", record)
        # Its leases have not lapsed, but its process is gone: re-queued at once.
        assert await restarted.recover() == 2
        assert restarted.taken_over == 1 and restarted.possible_duplicates == 1
        rows = await _rows(db)
        assert rows["x"].last_error == POSSIBLE_DUPLICATE  # may have gone out: sent again
        assert rows["y"].last_error is None  # waited for budget: never attempted
        await restarted.run_once()
        assert sorted(sent) == ["x", "y"]
    finally:
        await db.dispose()


async def test_rows_of_a_process_elsewhere_go_out_once_its_short_lease_lapses(
    db_url: str,
) -> None:
    db = Database(db_url)
    await db.upgrade()
    vault = Vault([TEST_KEY])
    try:
        await _kill((await _dying_worker(db, vault, "elsewhere000-1-abcdef"))[1])
        now = SystemClock().now()
        other = Outbox(db, vault, wall=FrozenClock(now))
        assert await other.recover() == 0  # alive, as far as anyone here can tell
        later = Outbox(db, vault, wall=FrozenClock(now + LEASE + timedelta(seconds=1)))
        assert await later.recover() == 2 and later.possible_duplicates == 1
        assert timedelta(seconds=10) >= LEASE
    finally:
        await db.dispose()


async def test_a_live_process_renews_the_lease_of_a_row_waiting_for_budget(
    db_url: str,
) -> None:
    db = Database(db_url)
    await db.upgrade()
    vault = Vault([TEST_KEY])
    wall = FrozenClock(SystemClock().now())
    task = None
    try:
        holder, task = await _dying_worker(db, vault, "elsewhere000-1-abcdef", wall)
        for _ in range(3):  # a minute of waiting, renewed as the upkeep does
            wall.advance(LEASE / 2)
            await holder.renew()
        other = Outbox(db, vault, wall=wall)
        assert await other.recover() == 0  # still held by its live process
    finally:
        if task is not None:
            await _kill(task)
        await db.dispose()


async def test_a_stopping_process_gives_its_rows_back_at_once(db_url: str) -> None:
    db = Database(db_url)
    await db.upgrade()
    vault = Vault([TEST_KEY])
    try:
        budget = SendBudget(OneToken())
        budget.bucket.left = 0  # type: ignore[attr-defined]
        stopping = Outbox(db, vault, poll_seconds=0.05)

        async def waits(d: Delivery) -> dict[str, Any]:
            await budget.acquire()
            return {}

        stopping.register("test", waits)
        await stopping.enqueue("test", "y", {"n": 1}, priority=10)
        stopping.start()

        async def held() -> bool:
            return bool((await _rows(db))["y"].state == "sending")

        await _until(held)
        await stopping.stop()
        row = (await _rows(db))["y"]
        assert row.state == "pending" and row.owner is None and row.last_error is None
    finally:
        await db.dispose()
