"""One SQLite writer at a time, queued in asyncio instead of in SQLite's busy handler.

SQLite lets one connection write at a time. With a pool of connections, a second writer
spins in SQLite's busy handler, which sleeps in growing steps (1, 2, 5 … 100 ms) while
holding its aiosqlite thread: under load nearly every write transaction waited 40–50 ms for
a lock that was free most of that time (measured with `python -m bench e2e`, docs/benchmarks.md).
Here a transaction takes a process-wide lock just before its first write statement and gives
it back when its connection returns to the pool, so writers queue (urgent work first, then in
order) and start the moment the previous one is done. Reads never take it (WAL: readers don't
block).

Every engine on one file in this process shares its queue. Other processes on the same file
still meet SQLite's own lock and busy timeout; SQLite is the single-process default,
PostgreSQL the multi-process one.
"""

from __future__ import annotations

import asyncio
import weakref
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.util import await_only
from sqlalchemy.util.concurrency import in_greenlet

from core.priority import PrioritySlots, urgent_work

_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")
_HOLDS = "qamqor_holds_write_lock"


# One queue per file and event loop (futures belong to one loop; tests use a Database from
# several), shared by every engine on that file in this process. Were two engines on one file
# to queue apart, a blocking transaction of one (storage/db.py) would wait in SQLite's busy
# handler, in the event loop's own thread, for the lock the other's connection holds while it
# waits for that very loop: a stall of the whole process until busy_timeout (seen: 10 s a
# write with three outbox workers on one file).
_QUEUES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, PrioritySlots]] = (
    weakref.WeakKeyDictionary()
)


class WriterGate:
    """Installs the gate on a SQLite engine (sync engine under an AsyncEngine)."""

    def __init__(self, engine: Engine, wait_s: float = 10.0) -> None:
        self.wait_s = wait_s  # like busy_timeout: a lock never released is an error, not a hang
        database = engine.url.database or ""
        # An in-memory database is one engine's own; a file is everyone's who opens it.
        self._file = (
            str(Path(database).expanduser().resolve())
            if database and database != ":memory:"
            else f"memory:{id(engine)}"
        )
        event.listen(engine, "before_cursor_execute", self._before_execute)
        # After the pool's reset (the rollback of anything uncommitted), not before it.
        event.listen(engine.pool, "checkin", self._checkin)

    def _lock(self) -> PrioritySlots:
        queues = _QUEUES.setdefault(asyncio.get_running_loop(), {})
        lock = queues.get(self._file)
        if lock is None:
            lock = queues[self._file] = PrioritySlots(1)
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
