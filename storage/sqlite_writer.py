"""One SQLite writer at a time, queued in asyncio instead of in SQLite's busy handler.

SQLite lets one connection write at a time. With a pool of connections, a second writer
spins in SQLite's busy handler, which sleeps in growing steps (1, 2, 5 … 100 ms) while
holding its aiosqlite thread: under load nearly every write transaction waited 40–50 ms for
a lock that was free most of that time (measured with `python -m bench e2e`, docs/benchmarks.md).
Here a transaction takes a process-wide lock just before its first write statement and gives
it back when its connection returns to the pool, so writers queue (urgent work first, then in
order) and start the moment the previous one is done. Reads never take it (WAL: readers don't
block).

Other processes on the same file still meet SQLite's own lock and busy timeout; SQLite is
the single-process default, PostgreSQL the multi-process one.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.util import await_only
from sqlalchemy.util.concurrency import in_greenlet

from core.priority import PrioritySlots, urgent_work

_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")
_HOLDS = "qamqor_holds_write_lock"


class WriterGate:
    """Installs the gate on a SQLite engine (sync engine under an AsyncEngine)."""

    def __init__(self, engine: Engine, wait_s: float = 10.0) -> None:
        self.wait_s = wait_s  # like busy_timeout: a lock never released is an error, not a hang
        # Futures belong to one event loop; tests may use a Database from several.
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, PrioritySlots] = (
            weakref.WeakKeyDictionary()
        )
        event.listen(engine, "before_cursor_execute", self._before_execute)
        # After the pool's reset (the rollback of anything uncommitted), not before it.
        event.listen(engine.pool, "checkin", self._checkin)

    def _lock(self) -> PrioritySlots:
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = PrioritySlots(1)
        return lock

    async def hold(self) -> PrioritySlots:
        """Wait for the writer's turn (a blocking transaction, `storage/db.py`); the caller
        releases what it returns."""
        return await self._acquire()

    async def _acquire(self) -> PrioritySlots:
        lock = self._lock()
        try:
            async with asyncio.timeout(self.wait_s):
                await lock.acquire(urgent_work.get())  # urgent turns' writes go first
        except TimeoutError:
            raise exc.OperationalError(
                "waiting for the SQLite writer", None, TimeoutError("database is locked")
            ) from None
        return lock

    def _before_execute(self, conn: Any, _cursor: Any, statement: str, *_: Any, **__: Any) -> None:
        info = conn.info
        if _HOLDS in info or not statement.lstrip()[:7].upper().startswith(_WRITES):
            return
        if not in_greenlet():
            return  # plain synchronous use (no event loop to queue on): SQLite's lock decides
        info[_HOLDS] = await_only(self._acquire())

    def _release(self, info: dict[str, Any]) -> None:
        lock = info.pop(_HOLDS, None)
        if lock is not None and lock.locked():
            lock.release()

    def _checkin(self, _dbapi_conn: Any, record: Any) -> None:
        if record is not None:
            self._release(record.info)
