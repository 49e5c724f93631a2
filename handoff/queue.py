"""The queue, ranked by risk: urgent cases first, then danger, then waiting time.

Urgent cases form a tier of their own: no waiting time puts an ordinary case ahead of one.
Within a tier a score in points decides: danger gives a head start, every minute of waiting
adds some, so a long-waiting ordinary case overtakes a fresh high-danger one after an hour.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, TypeVar

URGENT_POINTS = 1000
DANGER_POINTS = {"high": 600, "elevated": 250}
POINTS_PER_MINUTE = 10


class Rankable(Protocol):
    @property
    def urgent(self) -> bool: ...
    @property
    def danger(self) -> str | None: ...
    @property
    def due_at(self) -> datetime: ...
    @property
    def id(self) -> int: ...


C = TypeVar("C", bound=Rankable)


def score(case: Rankable, now: datetime) -> float:
    waited = max(0.0, (now - case.due_at).total_seconds() / 60)
    points = URGENT_POINTS if case.urgent else 0
    return points + DANGER_POINTS.get(case.danger or "", 0) + waited * POINTS_PER_MINUTE


def rank(cases: Sequence[C], now: datetime) -> list[C]:
    """Cases that are due (a callback's time has come), highest score first."""
    due = [c for c in cases if c.due_at <= now]
    return sorted(due, key=lambda c: (not c.urgent, -score(c, now), c.due_at, c.id))


def position(cases: Sequence[C], case_id: int, now: datetime) -> int | None:
    """1-based place of a case among the due ones (None if it is not waiting)."""
    for i, c in enumerate(rank(cases, now), 1):
        if c.id == case_id:
            return i
    return None
