"""What the booking pages share: their services, who may manage a booking, and how the person
is told (through the durable outbox, in the person's language, by a step of the chat)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from booking.bookings import Bookings, BookingView
from core.clock import Clock
from core.messages import Reply
from core.notify import Notifier, Purpose
from registry.service import Registry
from staffweb.auth import Staff, StaffAuth

log = logging.getLogger(__name__)

VIEW = ("coordinator", "specialist")
MANAGE = ("coordinator",)

# Starts a step for a person and returns its replies (Conversations.enter_step).
EnterStep = Callable[[int, str, dict[str, object] | None], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class BookingServices:
    """What the booking pages use; bot/web/server.py builds it from the App."""

    bookings: Bookings | None  # None while booking is not configured: the pages answer 503
    registry: Registry | None
    staff: StaffAuth  # for the audit log
    clock: Clock
    # The outbox's notifier where there is one: a staff page may run where no channel does.
    notifier: Notifier
    enter_step: EnterStep

    @property
    def service(self) -> Bookings:
        if self.bookings is None:
            raise web.HTTPServiceUnavailable(text="booking is not configured")
        return self.bookings

    async def own_specialist(self, staff: Staff) -> int | None:
        """The specialist profile linked to this staff account, if any."""
        schedule = await self.service.schedule.load()
        return next(
            (s.id for s in schedule.specialists if s.staff_username == staff.username), None
        )

    async def allowed(self, staff: Staff, booking: BookingView) -> bool:
        """Coordinators manage every booking; a specialist only those of their own profile."""
        if staff.may(*MANAGE):
            return True
        own = await self.own_specialist(staff)
        return own is not None and own in booking.specialists

    async def tell(
        self,
        person_id: int,
        step: str,
        variables: dict[str, object],
        purpose: Purpose = "system",
    ) -> bool:
        """Start a step for the person and deliver it; a failed delivery undoes nothing.

        Through the durable outbox: a staff page may run where no channel does (`qamqor web`),
        and the person's state has already moved on, so the message must not be lost. The
        step speaks the person's language (their state knows it)."""
        try:
            replies = await self.enter_step(person_id, step, variables)
            if await self.notifier.notify(person_id, replies, purpose=purpose):
                return True
            log.info("a booking message could not be delivered (no channel to send on)")
        except Exception:
            log.exception("a booking message to a person failed")
        return False
