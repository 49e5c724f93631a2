"""What flows may use besides texts: injected by the runtime, never imported from channels."""

from __future__ import annotations

from dataclasses import dataclass, field

from booking.bookings import Bookings
from dialogues.directory import Directory
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
    # Sessions with the family service (booking/); None where no database is wired.
    booking: Bookings | None = None
    # The directory of help contacts (QAMQOR_CONTACTS_FILE); None = the bundled one.
    contacts: Directory | None = None
