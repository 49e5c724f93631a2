"""What flows may use besides texts: injected by the runtime, never imported from channels."""

from __future__ import annotations

from dataclasses import dataclass, field

from dialogues.notify import Notifier
from handoff.hours import WorkingHours
from registry.service import Registry
from storage.clock import Clock, SystemClock


@dataclass
class Services:
    clock: Clock = field(default_factory=SystemClock)
    # Whether live consultants can take a case now (the handoff package sets this up).
    handoff_enabled: bool = False
    # When consultants answer in the chat (None: always, as line 150 does).
    handoff_hours: WorkingHours | None = None
    # Proactive delivery to a person (reminders, consultants); set by the runtime.
    notifier: Notifier | None = None
    # The anonymous registry (region, danger level, bookings... are noted there).
    registry: Registry | None = None
