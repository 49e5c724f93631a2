"""The PostgreSQL pool (storage/db.py, storage/pool.py, issue 21): no ping for a connection
used a moment ago; one idle longer is pinged and replaced if the server dropped it; one
dropped within the window fails one statement, then the pool recovers; when every connection
is taken, urgent work gets the next one before earlier ordinary work."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection
from sqlalchemy.engine import make_url

from bot.fallback import STORAGE_ERRORS
from core.priority import urgent_work
from storage.db import Database

pytestmark = pytest.mark.postgres


async def _pid(db: Database) -> int:
    async with db.transaction() as conn:
        return int(await conn.scalar(text("SELECT pg_backend_pid()")))


async def _terminate(url: str, *pids: int) -> None:
    parsed = make_url(url)
    admin = await asyncpg.connect(
        host=parsed.host, port=parsed.port, user=parsed.username, database=parsed.database
    )
    try:
        for pid in pids:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()
    await asyncio.sleep(0.05)  # the backend's end reaches the client's socket


@pytest.fixture
def pings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every ping of a pooled connection (`pool_pre_ping` and the idle check both call it)."""
    seen: list[int] = []
    ping = AsyncAdapt_asyncpg_connection.ping

    def counted(self: AsyncAdapt_asyncpg_connection) -> None:
        seen.append(1)
        ping(self)

    monkeypatch.setattr(AsyncAdapt_asyncpg_connection, "ping", counted)
    return seen


async def test_a_connection_used_a_moment_ago_is_not_pinged(pg_url: str, pings: list[int]) -> None:
    db = Database(pg_url)
    try:
        first = await _pid(db)
        for _ in range(5):
            assert await _pid(db) == first  # the same pooled connection, back at once
        async with db.engine.connect() as conn:  # reads check out the same way
            await conn.execute(text("SELECT 1"))
        assert pings == []  # with pool_pre_ping, one per checkout: three round trips each
    finally:
        await db.dispose()


async def test_an_idle_connection_the_server_dropped_is_replaced_before_use(
    pg_url: str, pings: list[int]
) -> None:
    db = Database(pg_url, ping_idle_s=0.1)
    try:
        first = await _pid(db)
        await _terminate(pg_url, first)
        await asyncio.sleep(0.15)
        again = await _pid(db)  # no error: the ping found it dead, a new one was made
        assert again != first
        assert len(pings) == 1
    finally:
        await db.dispose()


async def test_a_connection_dropped_within_the_window_fails_once_then_all_are_replaced(
    pg_url: str,
) -> None:
    db = Database(pg_url, ping_idle_s=3600.0)
    try:
        held = asyncio.Event()

        async def hold() -> int:
            async with db.transaction() as conn:
                pid = int(await conn.scalar(text("SELECT pg_backend_pid()")))
                await held.wait()
                return pid

        tasks = [asyncio.create_task(hold()) for _ in range(2)]
        await asyncio.sleep(0.2)
        held.set()
        old = set(await asyncio.gather(*tasks))  # two connections back in the pool
        assert len(old) == 2
        await _terminate(pg_url, *old)  # e.g. the server restarted
        # The statement that finds a dead connection fails as any outage does: a storage
        # error, which a turn answers with the phone lines and retries (bot/fallback.py).
        with pytest.raises(STORAGE_ERRORS):
            await _pid(db)
        # The failure invalidated the pool: the other dead connection is not handed out.
        held.clear()
        tasks = [asyncio.create_task(hold()) for _ in range(2)]
        await asyncio.sleep(0.2)
        assert not any(t.done() for t in tasks)
        held.set()
        new = set(await asyncio.gather(*tasks))
        assert not new & old
    finally:
        await db.dispose()


async def test_urgent_work_gets_the_next_free_connection_before_earlier_ordinary_work(
    pg_url: str,
) -> None:
    db = Database(pg_url)
    try:
        capacity = db.engine.sync_engine.pool.size() + 20  # pool_size + max_overflow
        freed = [asyncio.Event() for _ in range(capacity)]
        order: list[str] = []

        async def hold(i: int) -> None:
            async with db.transaction() as conn:
                await conn.execute(text("SELECT 1"))
                await freed[i].wait()

        async def checkout(name: str, urgent: bool) -> None:
            urgent_work.set(urgent)  # this task's work (an urgent turn sets it so)
            async with db.transaction() as conn:
                order.append(name)
                await conn.execute(text("SELECT 1"))

        holders = [asyncio.create_task(hold(i)) for i in range(capacity)]
        await asyncio.sleep(0.5)  # every connection taken
        waiting = [asyncio.create_task(checkout(f"ordinary {i}", False)) for i in range(3)]
        await asyncio.sleep(0.05)
        waiting.append(asyncio.create_task(checkout("urgent", True)))
        await asyncio.sleep(0.05)
        assert order == []
        freed[0].set()  # one connection comes back: the waiters pass it on, urgent first
        await asyncio.gather(*waiting)
        assert order == ["urgent", "ordinary 0", "ordinary 1", "ordinary 2"]
        for event in freed:
            event.set()
        await asyncio.gather(*holders)
    finally:
        await db.dispose()


async def test_a_checkout_that_finds_no_connection_in_time_is_a_storage_error(pg_url: str) -> None:
    db = Database(pg_url)
    pool = db.engine.sync_engine.pool
    try:
        pool._timeout = 0.2  # type: ignore[attr-defined]  # 5 s in service
        capacity = pool.size() + 20
        freed = asyncio.Event()

        async def hold() -> None:
            async with db.transaction() as conn:
                await conn.execute(text("SELECT 1"))
                await freed.wait()

        holders = [asyncio.create_task(hold()) for _ in range(capacity)]
        await asyncio.sleep(0.5)
        with pytest.raises(STORAGE_ERRORS):
            await _pid(db)
        freed.set()
        await asyncio.gather(*holders)
        # The place it waited for was given up: every connection can be taken again.
        freed.clear()
        holders = [asyncio.create_task(hold()) for _ in range(capacity)]
        await asyncio.sleep(0.5)
        assert not any(t.done() for t in holders)
        freed.set()
        await asyncio.gather(*holders)
    finally:
        await db.dispose()
