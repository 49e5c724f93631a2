"""PostgreSQL's connection pool, urgent work first.

SQLAlchemy's pool hands its connections out in arrival order. At the start of a burst the
webhook requests store their updates all at once, the pool's 30 connections are taken, and
an urgent turn's every transaction (some twenty) queued behind them: one probe waited
~950 ms for connections in all (docs/benchmarks.md, session 10). Here a checkout first takes a place
in `PrioritySlots` (as many as the pool has connections), where the work marked urgent
(`core.priority.urgent_work`: an urgent turn, an urgent update's storing, an urgent row's
sending) is let in before the rest. Once in, the pool has a connection or room to make one:
the pool's own wait is never reached.
"""

from __future__ import annotations

import asyncio
from contextvars import ContextVar
from typing import Any

from sqlalchemy import exc
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry
from sqlalchemy.util import await_only  # `await_` in SQLAlchemy 2.1; this name in 2.0 too

from core.priority import PrioritySlots, urgent_work

# Set while this task is inside the pool's own `_do_get`, which may call itself again.
_inside: ContextVar[bool] = ContextVar("pool_checkout", default=False)


class UrgentFirstPool(AsyncAdaptedQueuePool):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._line = PrioritySlots(self.size() + max(self._max_overflow, 0))

    def _do_get(self) -> ConnectionPoolEntry:
        if _inside.get():
            return super()._do_get()
        try:
            await_only(self._take_place())
        except TimeoutError:
            raise exc.TimeoutError(
                f"no pooled connection within {self._timeout:.0f} s (size {self.size()}, "
                f"overflow {self._max_overflow})"
            ) from None
        token = _inside.set(True)
        try:
            return super()._do_get()
        except BaseException:
            self._line.release()
            raise
        finally:
            _inside.reset(token)

    async def _take_place(self) -> None:
        # A deadline, not `wait_for`: that would run the wait as a task of its own, one more
        # turn of a busy event loop for every checkout, even when a place is free.
        async with asyncio.timeout(self._timeout):
            await self._line.acquire(urgent_work.get())

    def _do_return_conn(self, record: ConnectionPoolEntry) -> None:
        try:
            super()._do_return_conn(record)
        finally:
            self._line.release()
