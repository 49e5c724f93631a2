"""SQLite's one writer: writers queue in asyncio, urgent work first, nothing is locked out."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from core.priority import urgent_work
from storage.db import Database


async def _table(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT)"))


async def test_queued_writers_go_urgent_first_then_in_order(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/w.db")
    await _table(db)

    async def write(who: str) -> None:
        token = urgent_work.set(who.startswith("urgent"))
        try:
            async with db.transaction() as conn:
                await conn.execute(text("INSERT INTO t (who) VALUES (:w)"), {"w": who})
        finally:
            urgent_work.reset(token)

    async with db.engine.begin() as holder:  # a writer holds SQLite's write lock
        await holder.execute(text("INSERT INTO t (who) VALUES ('holder')"))
        tasks = [asyncio.create_task(write(w)) for w in ("a", "b", "urgent", "c")]
        async with asyncio.timeout(5):
            while db._gate._lock().waiting < 4:  # noqa: ASYNC110 - a plain counter
                await asyncio.sleep(0.001)
    await asyncio.gather(*tasks)
    async with db.engine.connect() as conn:
        order = list(await conn.scalars(text("SELECT who FROM t ORDER BY id")))
    assert order == ["holder", "urgent", "a", "b", "c"]
    await db.dispose()


async def test_many_concurrent_writers_through_both_paths_all_commit(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/w.db")
    await _table(db)

    async def through_session(i: int) -> None:
        async with db.session() as s, s.begin():
            await s.execute(text("INSERT INTO t (who) VALUES (:w)"), {"w": f"s{i}"})
            await asyncio.sleep(0)  # yield inside the transaction: others must wait, not fail

    async def through_transaction(i: int) -> None:
        async with db.transaction() as conn:
            await conn.execute(text("INSERT INTO t (who) VALUES (:w)"), {"w": f"t{i}"})

    await asyncio.gather(
        *(through_session(i) for i in range(40)), *(through_transaction(i) for i in range(40))
    )
    async with db.engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM t")) == 80
    await db.dispose()
