"""An event loop that runs urgent work's next step first.

Under a burst the loop's ready queue holds hundreds of callbacks: the webhook's accepts, the
ordinary turns, the outbox's sends. An urgent turn awaits some ninety times (database round
trips, Redis, the card's send), and on the stock loop each of its wake-ups queues behind all of
them: 10–20 ms a wait, one to two seconds a turn (docs/benchmarks.md, sessions 9 and 10). Here a
callback scheduled in a context where `core.priority.urgent_work` is set (an urgent turn, an
urgent update's storing, an urgent row's sending: the flag the pool and the SQLite writer
already read) goes ahead of the ordinary ready callbacks, behind the urgent ones already there.
Nothing else changes: I/O readiness, timers and thread wake-ups are the stock loop's, and
ordinary work keeps its order among itself.

It relies on CPython's `BaseEventLoop._ready` deque (3.11–3.13), checked at start-up; where it
is missing the stock order is kept and the log says so once.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from contextvars import Context
from typing import Any, TypeVar, TypeVarTuple

from core.priority import urgent_work

log = logging.getLogger(__name__)

_Ts = TypeVarTuple("_Ts")
_T = TypeVar("_T")


class UrgentFirstLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        super().__init__()
        ready = getattr(self, "_ready", None)
        self._front: deque[asyncio.Handle] | None = ready if isinstance(ready, deque) else None
        self._last_urgent: asyncio.Handle | None = None
        if self._front is None:
            log.warning("this Python's event loop has no ready queue to reorder: stock order")

    def call_soon(
        self,
        callback: Callable[[*_Ts], object],
        *args: *_Ts,
        context: Context | None = None,
    ) -> asyncio.Handle:
        handle = super().call_soon(callback, *args, context=context)
        ready = self._front
        if context is not None and ready and ready[-1] is handle and context.get(urgent_work):
            # The step of urgent work runs before the ordinary work that was ready ahead of it,
            # and after the urgent work that was (a future's callbacks keep their order).
            ready.pop()
            try:  # the urgent handles are at the front: a short scan, or none left
                place = ready.index(self._last_urgent) + 1 if self._last_urgent else 0
            except ValueError:
                place = 0
            ready.insert(place, handle)
            self._last_urgent = handle
        return handle


def run(main: Coroutine[Any, Any, _T]) -> _T:
    """`asyncio.run` on the urgent-first loop."""
    with asyncio.Runner(loop_factory=UrgentFirstLoop) as runner:
        return runner.run(main)
