"""How many turns run at once, and which go first: urgent before ordinary.

Under a surge every accepted update used to start its turn at once; all of them then shared
the process evenly and all slowed down together, an urgent message included. Here at most
`slots` turns run at a time; the others wait in line, and an urgent one (a message the NLU
reads as danger now or possibly, or the 🆘 button or emoji: `Conversations.first_look`, whose
parse the turn then reuses) is let in before any ordinary one, and a surely urgent one before
one that is only possibly so (the NLU's first look reads some calm messages as possible
danger: under a surge they must not crowd out danger now), and its database writes go
first too (core/priority.py). Fewer turns in flight also means less contention
for the database (SQLite has one writer). A surely urgent turn may also take one of
`URGENT_RESERVE` slots of its own: under a surge every slot is held by an ordinary turn, and
waiting for one of them to end cost an urgent turn 10-260 ms (docs/benchmarks.md, session 10)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from core.priority import PrioritySlots, urgent_work

# Slots beyond `turn_slots` that only surely urgent turns (🆘, the NLU's "urgent") may take.
URGENT_RESERVE = 2


class Admission:
    def __init__(self, slots: int, urgent_reserve: int = 0) -> None:
        self._slots = PrioritySlots(slots, urgent_reserve)

    @property
    def waiting(self) -> int:
        return self._slots.waiting

    @asynccontextmanager
    async def turn(self, urgent: bool, possible: bool = False) -> AsyncIterator[None]:
        """`possible`: urgent only by the NLU's "possible danger", let in after the surely
        urgent (🆘, the NLU's "urgent"), before ordinary ones."""
        await self._slots.acquire(urgent, possible)
        token = urgent_work.set(urgent)
        try:
            yield
        finally:
            urgent_work.reset(token)
            self._slots.release()
