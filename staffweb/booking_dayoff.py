"""A day off's page: the sessions already booked on those days, each to move to a free slot
or cancel, the person told either way in a neutral message in their language.

Adding a day off leads here. Nothing is moved or cancelled by itself: a coordinator may know
that the specialist will work after all, or call the person; and the page stays reachable
from the schedule as long as the day off has sessions on it."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from aiohttp import web

from booking.bookings import BookingError, BookingView, Request, SlotTaken, TooMany
from booking.schedule import WEEKDAYS, DayOff, Schedule
from core.clock import ALMATY
from staffweb.booking_services import MANAGE, BookingServices
from staffweb.site import Say, StaffSite, current_staff

log = logging.getLogger(__name__)

STAFF_MOVED_STEP = "booking.staff_moved"
STAFF_CANCELLED_STEP = "booking.staff_cancelled"
OFFERED = 3  # free slots offered per session: enough to choose, short enough at 390 px
MAX_NOTE = 300


def setup(site: StaffSite, services: BookingServices) -> None:
    pages = _DayOffPages(site, services)
    site.add_page("/bookings/dayoff/{id:\\d+}", pages.show, roles=MANAGE)
    site.add_page("/bookings/{id:\\d+}/move", pages.move, roles=MANAGE, method="POST")


def hit(schedule: Schedule, day_off: DayOff, booking: BookingView) -> bool:
    """A booking falls on the day off (one of its specialists is off that day)."""
    day = booking.starts_at.astimezone(ALMATY).date()
    return any(day_off.covers(sid, day) for sid in booking.specialists)


class _DayOffPages:
    def __init__(self, site: StaffSite, services: BookingServices) -> None:
        self.site = site
        self.services = services

    async def show(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        service = self.services.service
        schedule = await service.schedule.load()
        day_off = next(
            (d for d in schedule.days_off if d.id == int(request.match_info["id"])), None
        )
        if day_off is None:
            raise web.HTTPNotFound(text="no such day off")
        t = self.site.say(request)
        now = self.services.clock.now()
        found = await service.booked_on_days(
            day_off.first_day, day_off.last_day, day_off.specialist_id
        )
        items = []
        for b in found:
            if not hit(schedule, day_off, b) or b.ends_at <= now:
                continue
            offers = await service.next_slots(Request(b.kind, b.lang, b.mode), now, OFFERED)
            items.append(
                {
                    **_describe(t, b, schedule),
                    "offers": [
                        {"value": o.starts_at.isoformat(), "label": _when(t, o.starts_at)}
                        for o in offers
                    ],
                }
            )
        await self.services.staff.audit(staff, "dayoff-view", f"day off {day_off.id}", now)
        done = request.query.get("done", "")
        return self.site.render(
            request,
            "dayoff.html",
            {
                "day_off": day_off,
                "who": (
                    schedule.names([day_off.specialist_id])
                    if day_off.specialist_id
                    else t("staff-schedule-whole-service")
                ),
                "items": items,
                "message": t(f"staff-bookings-done-{done}") if done in DONE else "",
            },
        )

    async def move(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        form = await request.post()
        service = self.services.service
        booking = await service.get(int(request.match_info["id"]))
        if booking is None:
            raise web.HTTPNotFound(text="no such booking")
        try:
            starts_at = datetime.fromisoformat(str(form.get("starts_at", "")))
        except ValueError:
            raise web.HTTPBadRequest(text="starts_at: a time offered on the page") from None
        if starts_at.tzinfo is None:
            raise web.HTTPBadRequest(text="starts_at: a time offered on the page")
        try:
            moved = await service.move(booking.id, starts_at)
        except SlotTaken:
            return self.site.error(request, "staff-bookings-error-slot-taken", 409)
        except (TooMany, BookingError):
            return self.site.error(request, "staff-bookings-error-changed", 409)
        now = self.services.clock.now()
        await self.services.staff.audit(
            staff, "booking-move", f"booking {booking.id} -> {moved.id}", now
        )
        await self.services.tell(
            moved.person_id,
            STAFF_MOVED_STEP,
            {
                "reminder_booking": moved.id,
                "moved_from": booking.starts_at.isoformat(),
                "staff_note": _clean(str(form.get("note", ""))),
            },
        )
        back = str(form.get("dayoff", ""))
        target = f"/staff/bookings/dayoff/{back}" if back.isdigit() else "/staff/bookings"
        raise web.HTTPSeeOther(f"{target}?done=moved")


DONE = ("saved", "cancelled", "moved")


def _describe(t: Say, b: BookingView, schedule: Schedule) -> dict[str, Any]:
    return {
        "id": b.id,
        "when": _when(t, b.starts_at),
        "specialists": schedule.names(b.specialists),
        "kind": t("staff-kind", kind=b.kind),
        "mode": t("staff-mode", mode=b.mode),
        "lang": t("staff-bookings-csv-lang", lang=b.lang),
        "name": b.pseudonym or "—",
    }


def _when(t: Say, moment: datetime) -> str:
    local = moment.astimezone(ALMATY)
    weekday = t("staff-weekday", day=WEEKDAYS[local.weekday()])
    return f"{weekday}, {local:%d.%m} {local:%H:%M}"


def _clean(text: str) -> str:
    text = "".join(ch for ch in text if ch.isprintable() or ch == "\n")
    return text.strip()[:MAX_NOTE]
