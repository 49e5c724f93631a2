"""Urgent work first: the priority lanes, a context flag, and slots that let urgent waiters
in before the rest.

The outbox (delivery/outbox.py) sends its rows highest priority first: urgent replies in
OUTBOX_URGENT (their first message in OUTBOX_FIRST), the possible-danger check in
OUTBOX_POSSIBLE, ordinary ones in OUTBOX_NORMAL.

An urgent turn (bot/admission.py) sets `urgent_work` for everything it awaits, so that the
SQLite writer queue (storage/sqlite_writer.py) lets its writes go before ordinary ones: under
a surge, a message about danger now must not wait behind hundreds of greetings."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from contextvars import ContextVar

OUTBOX_URGENT, OUTBOX_NORMAL = 10, 0
# The first message of an urgent turn's reply (the phone numbers): ahead even of the urgent
# case's topic and card, which go at OUTBOX_URGENT, right after it.
OUTBOX_FIRST = OUTBOX_URGENT + 1
# The one-tap check of possible danger (its line with 102/112/150): ahead of everything
# ordinary, behind danger now. Under a burst, many calm messages read as possible danger, and
# their checks must not push an urgent case's card back (seen in the PostgreSQL burst).
OUTBOX_POSSIBLE = 5

urgent_work: ContextVar[bool] = ContextVar("urgent_work", default=False)

# The order of waiters for slots (lower goes first): urgent, then what may be urgent (the NLU's
# "possible danger": under a surge it is a sizeable share of calm messages, and must not crowd
# out real urgency), then ordinary.
URGENT, POSSIBLE, ORDINARY = 0, 1, 2


class PrioritySlots:
    """At most `slots` holders; waiters are let in urgent first, then possibly urgent, then
    the rest, each in arrival order. `reserve` more are for the surely urgent alone: under a
    surge every slot is taken by ordinary work, and an urgent turn that waits for one waits
    for an ordinary turn to end (tens to hundreds of ms, docs/benchmarks.md, session 10)."""

    def __init__(self, slots: int, reserve: int = 0) -> None:
        self.slots = slots
        self.reserve = reserve
        self._busy = 0
        self._order = itertools.count()
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def locked(self) -> bool:
        return self._busy >= self.slots

    async def acquire(self, urgent: bool, possible: bool = False) -> None:
        """`possible`: urgent only possibly (behind the surely urgent, ahead of ordinary)."""
        rank = (POSSIBLE if possible else URGENT) if urgent else ORDINARY
        if self._busy < self._limit(rank) and not (self._waiting and self._waiting[0][0] <= rank):
            self._busy += 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (rank, next(self._order), future))
        try:
            await future  # the slot is handed over by `release` (the count stays the same)
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.release()  # handed a slot just as it was cancelled: pass it on
            else:
                self._waiting = [w for w in self._waiting if w[2] is not future]
                heapq.heapify(self._waiting)
            raise

    def release(self) -> None:
        while self._waiting:
            rank, _, future = self._waiting[0]
            if self._busy > self._limit(rank):
                break  # a reserved slot freed: not one the first in line may take
            heapq.heappop(self._waiting)
            if not future.done():
                future.set_result(None)  # the slot passes to the first in line
                return
        self._busy -= 1

    def _limit(self, rank: int) -> int:
        return self.slots + self.reserve if rank == URGENT else self.slots
