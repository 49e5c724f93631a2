"""What flows may use besides texts: injected by the runtime, never imported from channels."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from booking.bookings import Bookings
from core.clock import Clock, SystemClock
from dialogues.directory import Directory
from handoff.hours import WorkingHours
from registry.service import Registry


class Availability(Protocol):
    """Whether the case queue is being served now (handoff/presence.py implements it)."""

    async def served(self, now: datetime) -> bool: ...


@dataclass
class Services:
    clock: Clock = field(default_factory=SystemClock)
    # Whether live consultants can take a case now (the handoff package sets this up).
    handoff_enabled: bool = False
    # When consultants answer in the chat (None: always, as line 150 does).
    handoff_hours: WorkingHours | None = None
    # Whether a consultant is at the queue now (None: not tracked, taken as served; the runtime
    # always sets it when handoff is on).
    availability: Availability | None = None
    # The anonymous registry (region, danger level, bookings... are noted there).
    registry: Registry | None = None
    # Sessions with the family service (booking/); None where no database is wired.
    booking: Bookings | None = None
    # The directory of help contacts (QAMQOR_CONTACTS_FILE); None = the bundled one.
    contacts: Directory | None = None


async def consultant_can_answer(services: Services, now: datetime) -> bool:
    """May the bot promise that a consultant will answer now? Only when handoff is on, within
    working hours, and the queue is being served (docs/handoff.md, "Honest promises")."""
    if not services.handoff_enabled:
        return False
    if services.handoff_hours is not None and not services.handoff_hours.is_open(now):
        return False
    return services.availability is None or await services.availability.served(now)
