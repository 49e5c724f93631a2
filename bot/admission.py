"""How many turns run at once, and which go first: urgent before ordinary.

Under a surge every accepted update used to start its turn at once; all of them then shared
the process evenly and all slowed down together, an urgent message included. Here at most
`slots` turns run at a time; the others wait in line, and an urgent one (a message the NLU
reads as danger now, or the 🆘 button) is let in before any ordinary one. Fewer turns in
flight also means less contention for the database (SQLite has one writer)."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

URGENT, ORDINARY = 0, 1


class Admission:
    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._busy = 0
        self._order = itertools.count()
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    @asynccontextmanager
    async def turn(self, urgent: bool) -> AsyncIterator[None]:
        await self._enter(URGENT if urgent else ORDINARY)
        try:
            yield
        finally:
            self._leave()

    async def _enter(self, rank: int) -> None:
        if self._busy < self.slots and not self._waiting:
            self._busy += 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (rank, next(self._order), future))
        try:
            await future  # the slot is handed over by `_leave` (the count stays the same)
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self._leave()  # handed a slot just as it was cancelled: pass it on
            else:
                self._waiting = [w for w in self._waiting if w[2] is not future]
                heapq.heapify(self._waiting)
            raise

    def _leave(self) -> None:
        while self._waiting:
            _, _, future = heapq.heappop(self._waiting)
            if not future.done():
                future.set_result(None)  # the slot passes to the first in line
                return
        self._busy -= 1
