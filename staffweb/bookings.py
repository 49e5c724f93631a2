"""Staff pages for bookings: the week by specialist, outcomes, cancelling, the schedule, CSV.

Coordinators see and manage everything and edit the schedule. A specialist sees the bookings
of the specialist profile linked to their staff account (the "staff login" field of the
schedule), and marks or cancels only those. Every change is written to the audit log.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from aiohttp import web

from booking.bookings import Bookings, BookingView
from booking.online_link import LinkError, check_link
from booking.schedule import (
    COURSE_LIMITS,
    KINDS,
    LANGS,
    LIMITS,
    MODES,
    ROLES,
    WEEKDAYS,
    ScheduleError,
)
from booking.slots import at_local, local_day
from booking.streams import STREAMS
from core.clock import ALMATY
from staffweb import booking_csv, booking_dayoff, course, programme
from staffweb.auth import Staff
from staffweb.booking_services import MANAGE, VIEW, BookingServices
from staffweb.site import Say, StaffSite, current_staff

__all__ = ["BookingServices", "setup"]

log = logging.getLogger(__name__)

MAX_NOTE = 300
STAFF_CANCELLED_STEP = "booking.staff_cancelled"
ONLINE_LINK_STEP = "booking.online_link"


def setup(site: StaffSite, services: BookingServices) -> None:
    pages = _Pages(site, services)
    site.add_page("/bookings", pages.week, roles=VIEW, nav_label="staff-nav-bookings")
    site.add_page("/bookings/export.csv", pages.export, roles=MANAGE)
    site.add_page("/bookings/{id:\\d+}/outcome", pages.outcome, roles=VIEW, method="POST")
    site.add_page("/bookings/{id:\\d+}/cancel", pages.cancel, roles=VIEW, method="POST")
    site.add_page("/bookings/{id:\\d+}/link", pages.link, roles=VIEW, method="POST")
    site.add_page(
        "/bookings/schedule", pages.schedule, roles=MANAGE, nav_label="staff-nav-schedule"
    )
    for name in ("specialist", "hours", "hours-delete", "dayoff", "dayoff-delete", "rules"):
        site.add_page(f"/bookings/schedule/{name}", pages.edit, roles=MANAGE, method="POST")
    booking_dayoff.setup(site, services)
    programme.setup(site, services)
    course.setup(site, services)


class _Pages:
    def __init__(self, site: StaffSite, services: BookingServices) -> None:
        self.site = site
        self.services = services

    @property
    def bookings(self) -> Bookings:
        return self.services.service

    def now(self) -> datetime:
        return self.services.clock.now()

    def _sees_all(self, staff: Staff) -> bool:
        return staff.may(*MANAGE)

    # -- the week ---------------------------------------------------------------------------

    async def week(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        today = local_day(self.now())
        first = _date(request.query.get("from")) or today
        schedule = await self.bookings.schedule.load()
        own = await self.services.own_specialist(staff)
        chosen = _int(request.query.get("specialist"))
        if not self._sees_all(staff):
            chosen = own if own is not None else -1
        rows = (
            []
            if chosen == -1
            else await self.bookings.between(
                at_local(first, 0), at_local(first + timedelta(days=7), 0), chosen
            )
        )
        t = self.site.say(request)
        days = []
        for offset in range(7):
            day = first + timedelta(days=offset)
            items = [
                _row(t, b, schedule.names(b.specialists))
                for b in rows
                if local_day(b.starts_at) == day
            ]
            days.append(
                {"day": day, "label": _day_label(t, day), "today": day == today, "bookings": items}
            )
        await self.services.staff.audit(staff, "bookings-view", first.isoformat(), self.now())
        return self.site.render(
            request,
            "bookings.html",
            {
                "days": days,
                "first": first,
                "prev": first - timedelta(days=7),
                "next": first + timedelta(days=7),
                "today": today,
                "specialists": schedule.specialists,
                "chosen": chosen,
                "sees_all": self._sees_all(staff),
                "unlinked": not self._sees_all(staff) and own is None,
                "message": _done(t, request.query.get("done", "")),
                "now": self.now(),
            },
        )

    async def outcome(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        form = await request.post()
        outcome = str(form.get("outcome", ""))
        booking = await self.bookings.get(int(request.match_info["id"]))
        if booking is None or not await self.services.allowed(staff, booking):
            raise web.HTTPNotFound(text="no such booking")
        if outcome not in ("attended", "no_show"):
            raise web.HTTPBadRequest(text="outcome must be attended or no_show")
        if booking.status == "cancelled":
            return self._error(request, "staff-bookings-error-cancelled")
        if booking.starts_at > self.now():
            return self._error(request, "staff-bookings-error-not-started")
        marked = await self.bookings.mark(booking.id, outcome)
        if marked is None:
            return self._error(request, "staff-bookings-error-changed")
        registry = self.services.registry
        if registry is not None:
            await registry.update(marked.contact_id, attended=outcome == "attended")
        await self.services.staff.audit(
            staff, f"booking-{outcome}", f"booking {booking.id}", self.now()
        )
        # The survey is not sent here: `mark` scheduled it for the session's end, once
        # (booking/reminders.py sends it), so a click mid-session or a correction sends none.
        return _back(form, "marked")

    async def cancel(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        form = await request.post()
        note = _clean(str(form.get("note", "")))
        booking = await self.bookings.get(int(request.match_info["id"]))
        if booking is None or not await self.services.allowed(staff, booking):
            raise web.HTTPNotFound(text="no such booking")
        cancelled = await self.bookings.cancel(booking.id, by="staff")
        if cancelled is None:
            return self._error(request, "staff-bookings-error-inactive")
        await self.services.staff.audit(
            staff, "booking-cancel", f"booking {booking.id}", self.now()
        )
        await self.services.tell(
            cancelled.person_id,
            STAFF_CANCELLED_STEP,
            {"reminder_booking": cancelled.id, "staff_note": note},
        )
        return _back(form, "cancelled")

    async def link(self, request: web.Request) -> web.StreamResponse:
        """Send the person the link to their online session, in a vetted neutral message.

        The link is checked and passed to the chat step; it is never logged, audited or
        stored (the audit log and the booking record only that a link was sent)."""
        staff = current_staff(request)
        form = await request.post()
        booking = await self.bookings.get(int(request.match_info["id"]))
        if booking is None or not await self.services.allowed(staff, booking):
            raise web.HTTPNotFound(text="no such booking")
        if booking.mode != "online" or booking.status != "booked":
            return self._error(request, "staff-link-error-not-online")
        if booking.ends_at <= self.now():
            return self._error(request, "staff-link-error-over")
        try:
            link = check_link(str(form.get("link", "")))
        except LinkError as exc:
            return self.site.render(
                request, "error.html", {"message": self.site.told(request, exc)}, 400
            )
        sent = await self.services.tell(
            booking.person_id,
            ONLINE_LINK_STEP,
            {"reminder_booking": booking.id, "online_link": link},
        )
        if not sent:
            return self.site.error(request, "staff-link-error-not-sent", 502)
        await self.bookings.record_link(booking.id)
        await self.services.staff.audit(staff, "booking-link", f"booking {booking.id}", self.now())
        return _back(form, "link")

    def _error(self, request: web.Request, key: str) -> web.Response:
        return self.site.error(request, key, 409)

    # -- CSV --------------------------------------------------------------------------------

    async def export(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        today = local_day(self.now())
        first = _date(request.query.get("from")) or today - timedelta(days=30)
        last = _date(request.query.get("to")) or today + timedelta(days=30)
        if last < first or (last - first).days > 731:
            raise web.HTTPBadRequest(text="from/to: at most two years, from before to")
        schedule = await self.bookings.schedule.load()
        rows = await self.bookings.between(
            at_local(first, 0), at_local(last + timedelta(days=1), 0)
        )
        body = booking_csv.render(self.site.say(request), rows, schedule)
        await self.services.staff.audit(staff, "bookings-export", f"{first}..{last}", self.now())
        return web.Response(
            body=body,
            content_type="text/csv",
            charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="bookings-{first}-{last}.csv"'},
        )

    # -- the schedule -----------------------------------------------------------------------

    async def schedule(
        self, request: web.Request, error: str = "", status: int = 200
    ) -> web.StreamResponse:
        schedule = await self.bookings.schedule.load()
        t = self.site.say(request)
        return self.site.render(
            request,
            "schedule.html",
            {
                "schedule": schedule,
                "rules": schedule.rules,
                "kinds": KINDS,
                "langs": LANGS,
                "modes": MODES,
                "roles": ROLES,
                "streams": STREAMS,
                "stream_names": {x: t("staff-stream", stream=x) for x in STREAMS},
                "fixed_pairs": ", ".join(f"{a}+{b}" for a, b in schedule.rules.fixed_pairs),
                "kind_names": {k: t("staff-kind", kind=k) for k in KINDS},
                "mode_names": {m: t("staff-mode", mode=m) for m in MODES},
                "role_names": {r: t("staff-specialist-role", role=r) for r in ROLES},
                "weekdays": [(d, t("staff-weekday", day=name)) for d, name in enumerate(WEEKDAYS)],
                "limits": LIMITS,
                "course_limits": COURSE_LIMITS,
                "error": error,
                "message": _done(t, request.query.get("done", "")),
            },
            status,
        )

    async def edit(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        form = await request.post()
        what = request.path.rsplit("/", 1)[-1]
        store = self.bookings.schedule
        try:
            if what == "specialist":
                await store.save_specialist(
                    _int(_one(form, "id")),
                    name=_one(form, "name"),
                    role=_one(form, "role"),
                    langs=_many(form, "langs"),
                    kinds=_many(form, "kinds"),
                    modes=_many(form, "modes"),
                    active=_one(form, "active") == "on",
                    staff_username=_one(form, "staff_username"),
                    stream=_one(form, "stream") or None,
                )
            elif what == "hours":
                await store.add_hours(
                    _required_int(form, "specialist_id"),
                    _required_int(form, "weekday"),
                    _one(form, "window"),
                )
            elif what == "hours-delete":
                await store.delete_hours(_required_int(form, "id"))
            elif what == "dayoff":
                first = _date(_one(form, "first"))
                last = _date(_one(form, "last")) or first
                if first is None or last is None:
                    raise ScheduleError("staff-schedule-dates-needed")
                added = await store.add_day_off(
                    _int(_one(form, "specialist_id")), first, last, _one(form, "note")
                )
                await self.services.staff.audit(staff, "schedule-dayoff", "", self.now())
                # Bookings already made on those days are not cancelled by themselves: the
                # day off's page lists them, to move or cancel each with a word to the person.
                raise web.HTTPSeeOther(f"/staff/bookings/dayoff/{added}?done=saved")
            elif what == "dayoff-delete":
                await store.delete_day_off(_required_int(form, "id"))
            elif what == "rules":
                for key in LIMITS:
                    await store.set_rule(key, _one(form, key))
                for key in COURSE_LIMITS:
                    if key in form:  # an older form without them keeps the stored values
                        await store.set_rule(key, _one(form, key))
                await store.set_rule("pair_kinds", _many(form, "pair_kinds"))
                await store.set_rule("fixed_pairs", _one(form, "fixed_pairs"))
                for key in ("office_address", "online_policy"):
                    await store.set_rule(key, {lang: _one(form, f"{key}_{lang}") for lang in LANGS})
            else:
                raise web.HTTPNotFound()
        except ScheduleError as exc:
            return await self.schedule(request, self.site.told(request, exc), 400)
        await self.services.staff.audit(staff, f"schedule-{what}", "", self.now())
        raise web.HTTPSeeOther("/staff/bookings/schedule?done=saved")


# -- helpers ------------------------------------------------------------------------------


def _row(t: Say, b: BookingView, names: str) -> dict[str, Any]:
    local = b.starts_at.astimezone(ALMATY)
    return {
        "id": b.id,
        "time": f"{local:%H:%M}–{b.ends_at.astimezone(ALMATY):%H:%M}",
        "specialists": names,
        "kind": t("staff-kind", kind=b.kind),
        "lang": b.lang,
        "mode": t("staff-mode", mode=b.mode),
        "name": b.pseudonym or "—",
        "status": b.status,
        "status_name": t("staff-booking-status", status=b.status),
        "confirmed": b.confirmed,
        "started": b.starts_at,
        "ends": b.ends_at,
        "online": b.mode == "online",
        "link_sent": (f"{b.link_sent_at.astimezone(ALMATY):%d.%m %H:%M}" if b.link_sent_at else ""),
        "link_sends": b.link_sends,
        # The aggressor programme's sessions open their assessment sheet (staffweb/programme.py).
        "programme": b.kind == "stop",
        "course": b.course_id,
    }


def _day_label(t: Say, day: date) -> str:
    return f"{t('staff-weekday', day=WEEKDAYS[day.weekday()])}, {day:%d.%m.%Y}"


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _int(value: object) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def _one(form: Any, key: str) -> str:
    value = form.get(key, "")
    return value.strip()[:600] if isinstance(value, str) else ""


def _many(form: Any, key: str) -> list[str]:
    return [v for v in form.getall(key, []) if isinstance(v, str)][:10]


def _required_int(form: Any, key: str) -> int:
    value = _int(_one(form, key))
    if value is None:
        raise ScheduleError("staff-schedule-number-needed", field=key)
    return value


def _clean(text: str) -> str:
    text = "".join(ch for ch in text if ch.isprintable() or ch == "\n")
    return text.strip()[:MAX_NOTE]


DONE = ("marked", "cancelled", "saved", "link", "moved")


def _done(t: Say, done: str) -> str:
    """The note after a change (`?done=`): staff-bookings-done-marked and the like."""
    return t(f"staff-bookings-done-{done}") if done in DONE else ""


def _back(form: Any, done: str) -> web.StreamResponse:
    """Back to the week the staff member was looking at (or the day off they came from)."""
    day_off = _int(_one(form, "dayoff"))
    if day_off is not None:
        raise web.HTTPSeeOther(f"/staff/bookings/dayoff/{day_off}?done={done}")
    query = [f"done={done}"]
    first = _date(_one(form, "from"))
    if first is not None:
        query.append(f"from={first.isoformat()}")
    chosen = _int(_one(form, "specialist"))
    if chosen is not None:
        query.append(f"specialist={chosen}")
    raise web.HTTPSeeOther("/staff/bookings?" + "&".join(query))
