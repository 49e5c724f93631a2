"""The aggressor programme's correctional course on the staff site (issue 16).

Who sees what (docs/aggressor-programme.md): a specialist of the aggressor stream sees and
runs the courses where they are one of the pair (of the intake or of any session);
coordinators see and run all; nobody else (a consultant, a specialist of the victims' or the
family stream: 403). Every look, every change and every refused look is in the audit log,
with the course number only.

Confirmation of attendance (for a court or police who sent him) is given only with his written
consent: staff record that they took it (or that he withdrew it), and the printable
confirmation page is refused without it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from aiohttp import web

from booking.bookings import BookingError, BookingView, Request, SlotTaken
from booking.course import ATTENDANCE, FOLLOW_UPS, OUTCOMES, REASONS, CourseError, CourseView
from booking.schedule import COURSE_LIMITS
from booking.streams import AGGRESSORS
from core.clock import ALMATY
from registry.vocabulary import REFERRALS
from staffweb.auth import Staff
from staffweb.booking_dayoff import STAFF_MOVED_STEP
from staffweb.booking_services import MANAGE, VIEW, BookingServices
from staffweb.site import NO_ACCESS, StaffSite, current_staff

LIST = "/programme/courses"
PAGE = "/programme/courses/{id:\\d+}"
ENROL = "/programme/courses/enrol/{booking:\\d+}"
ACTIONS = ("mark", "plan", "move", "note", "end", "follow-up", "consent", "consent-withdraw")
# What he said in the chat about a confirmation (codes of registry.vocabulary.INTAKE_NOTES).
CONFIRM_NOTES = ("confirm_wanted", "confirm_declined")


def setup(site: StaffSite, services: BookingServices) -> None:
    pages = _Pages(site, services)
    site.add_page(LIST, pages.courses, roles=VIEW)
    site.add_page(PAGE, pages.course, roles=VIEW)
    site.add_page(PAGE + "/confirmation", pages.confirmation, roles=VIEW)
    site.add_page(ENROL, pages.enrol, roles=VIEW, method="POST")
    site.add_page(PAGE + "/{action}", pages.act, roles=VIEW, method="POST")


def _local(moment: datetime | None) -> str:
    return f"{moment.astimezone(ALMATY):%d.%m.%Y %H:%M}" if moment else ""


def _day(day: date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else ""


class _Pages:
    def __init__(self, site: StaffSite, services: BookingServices) -> None:
        self.site = site
        self.services = services

    def now(self) -> datetime:
        return self.services.clock.now()

    async def _own(self, staff: Staff) -> int | None:
        """This account's specialist profile, if it is of the aggressor stream."""
        schedule = await self.services.service.schedule.load()
        return next(
            (
                s.id
                for s in schedule.specialists
                if s.staff_username == staff.username and s.stream == AGGRESSORS
            ),
            None,
        )

    async def _pair_of(self, course: CourseView) -> set[int]:
        pair = set(course.specialists)
        if course.intake_booking_id is not None:
            intake = await self.services.service.get(course.intake_booking_id)
            if intake is not None:
                pair.update(intake.specialists)
        return pair

    async def _may(self, staff: Staff, course: CourseView) -> bool:
        if staff.may(*MANAGE):
            return True
        own = await self._own(staff)
        return own is not None and own in await self._pair_of(course)

    async def _refuse(self, request: web.Request, subject: str) -> web.Response:
        await self.services.staff.audit(
            current_staff(request), "course-refused", subject, self.now()
        )
        return self.site.error(request, NO_ACCESS, 403)

    async def _course(self, request: web.Request) -> tuple[Staff, CourseView] | web.Response:
        staff = current_staff(request)
        course_id = int(request.match_info["id"])
        course = await self.services.service.courses.get(course_id)
        if course is None:
            raise web.HTTPNotFound(text="no such course")
        if not await self._may(staff, course):
            return await self._refuse(request, f"course {course_id}")
        return staff, course

    # -- the list -------------------------------------------------------------------------

    async def courses(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        coordinator = staff.may(*MANAGE)
        own = await self._own(staff)
        if not coordinator and own is None:
            return await self._refuse(request, "courses")
        today = self.now().astimezone(ALMATY).date()
        schedule = await self.services.service.schedule.load()
        rows = []
        for c in await self.services.service.courses.all():
            if not coordinator and own not in await self._pair_of(c):
                continue
            nxt = c.upcoming
            rows.append(
                {
                    "id": c.id,
                    "status": c.status,
                    "lang": c.lang,
                    "done": c.held,
                    "attended": c.attended,
                    "planned": c.sessions_planned,
                    "pair": schedule.names(c.specialists) if c.specialists else "",
                    "next": _local(nxt.starts_at) if nxt else "",
                    "follow_up": c.follow_up_is_due(today),
                }
            )
        await self.services.staff.audit(staff, "course-list", "", self.now())
        return self.site.render(request, "courses.html", {"courses": rows})

    # -- enrolment ------------------------------------------------------------------------

    async def enrol(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        booking = await self.services.service.get(int(request.match_info["booking"]))
        if booking is None or booking.kind != "stop":
            raise web.HTTPNotFound(text="no such programme booking")
        own = await self._own(staff)
        if not (staff.may(*MANAGE) or (own is not None and own in booking.specialists)):
            return await self._refuse(request, f"booking {booking.id}")
        versions = await self.services.service.assessments.versions(booking.id)
        latest = versions[0].sheet if versions else None
        form = await request.post()
        try:
            # Enrolment follows the sheet: only when its last version says "programme".
            if latest is None or latest.eligibility != "programme":
                raise CourseError("staff-course-error-not-eligible")
            course_id = await self.services.service.courses.enrol(
                booking,
                staff.username,
                sessions=_number(form, "sessions"),
                every_days=_number(form, "every_days"),
            )
        except CourseError as exc:
            return self.site.error(
                request, "staff-course-refused", 400, why=self.site.told(request, exc)
            )
        await self.services.staff.audit(
            staff, "course-enrol", f"course {course_id} booking {booking.id}", self.now()
        )
        raise web.HTTPSeeOther(f"/staff/programme/courses/{course_id}?done=enrolled")

    # -- one course -----------------------------------------------------------------------

    async def course(
        self, request: web.Request, error: str = "", status: int = 200
    ) -> web.StreamResponse:
        found = await self._course(request)
        if isinstance(found, web.Response):
            return found
        staff, c = found
        schedule = await self.services.service.schedule.load()
        today = self.now().astimezone(ALMATY).date()
        sessions = [self._session(b, schedule.names(b.specialists)) for b in c.sessions]
        offers: list[dict[str, str]] = []
        nxt = c.upcoming
        if c.status == "active":
            req = Request("stop", c.lang, c.mode)
            after = nxt.starts_at if nxt else self.now()
            for slot in await self.services.service.next_slots(req, after, limit=4):
                if nxt is None or slot.starts_at != nxt.starts_at:
                    offers.append(
                        {
                            "iso": slot.starts_at.isoformat(),
                            "label": _local(slot.starts_at),
                            "pair": schedule.names(slot.specialists),
                        }
                    )
        await self.services.staff.audit(staff, "course-view", f"course {c.id}", self.now())
        t = self.site.say(request)
        done = request.query.get("done", "")
        intake = (
            await self.services.service.get(c.intake_booking_id)
            if c.intake_booking_id is not None
            else None
        )
        return self.site.render(
            request,
            "course.html",
            {
                "c": c,
                "sessions": sessions,
                "next": nxt,
                "offers": offers,
                "pair": schedule.names(c.specialists) if c.specialists else "",
                "enrolled_at": _local(c.enrolled_at),
                "ended_at": _local(c.ended_at),
                "follow_up_due": _day(c.follow_up_due),
                "follow_up_is_due": c.follow_up_is_due(today),
                "keep_until": _day(c.keep_until.astimezone(ALMATY).date()) if c.keep_until else "",
                "notes": [{"by": n.by, "at": _local(n.at), "text": n.text} for n in c.notes],
                "reasons": REASONS,
                "outcomes": OUTCOMES,
                "follow_ups": FOLLOW_UPS,
                "attendance": ATTENDANCE,
                "referral": (
                    REFERRALS[intake.referral].get(self.site.lang(request))
                    if intake and intake.referral in REFERRALS
                    else ""
                ),
                "asked": next((n for n in CONFIRM_NOTES if intake and n in intake.intake), ""),
                "consent_at": _local(c.confirm_consent_at),
                "error": error,
                "message": t("staff-course-done", what=done) if done else "",
            },
            status,
        )

    def _session(self, b: BookingView, names: str) -> dict[str, Any]:
        return {
            "id": b.id,
            "when": _local(b.starts_at),
            "pair": names,
            "status": b.status,
            "moved": b.cancelled_by == "moved",
        }

    async def act(self, request: web.Request) -> web.StreamResponse:
        action = request.match_info["action"]
        if action not in ACTIONS:
            raise web.HTTPNotFound()
        found = await self._course(request)
        if isinstance(found, web.Response):
            return found
        staff, c = found
        form = await request.post()
        courses = self.services.service.courses
        subject = f"course {c.id}"
        try:
            if action == "mark":
                booking_id = _required(form, "booking")
                await courses.mark(c.id, booking_id, _one(form, "attendance"))
                subject += f" booking {booking_id} {_one(form, 'attendance')}"
            elif action == "plan":
                when = _one(form, "starts_at")
                if when:
                    made = await courses.book_at(c.id, _moment(when))
                else:
                    planned = await courses.plan_next(c.id)
                    if planned is None:
                        raise CourseError("staff-course-error-no-slot")
                    made = planned
                subject += f" booking {made.id}"
            elif action == "move":
                booking_id = _required(form, "booking")
                old = await self.services.service.get(booking_id)
                made = await courses.move(c.id, booking_id, _moment(_one(form, "starts_at")))
                subject += f" booking {booking_id} -> {made.id}"
                if old is not None:
                    # Told the neutral way the bookings page tells a moved session.
                    await self.services.tell(
                        made.person_id,
                        STAFF_MOVED_STEP,
                        {
                            "reminder_booking": made.id,
                            "moved_from": old.starts_at.isoformat(),
                            "staff_note": "",
                        },
                    )
            elif action == "note":
                await courses.add_note(c.id, staff.username, _one(form, "note"))
            elif action == "end":
                await courses.end(
                    c.id,
                    staff.username,
                    _one(form, "reason"),
                    _one(form, "outcome"),
                    _one(form, "note"),
                )
                subject += f" {_one(form, 'outcome')}"
            elif action == "consent":
                # The paper is signed at a session and kept by the service: the box says so.
                if _one(form, "signed") != "on":
                    raise CourseError("staff-course-error-consent-signed")
                await courses.set_consent(c.id, staff.username)
            elif action == "consent-withdraw":
                await courses.set_consent(c.id, None)
            else:
                await courses.follow_up(c.id, staff.username, _one(form, "result"))
                subject += f" {_one(form, 'result')}"
        except CourseError as exc:
            return await self.course(request, self.site.told(request, exc), 400)
        except SlotTaken:
            return await self.course(
                request, self.site.say(request)("staff-course-error-taken"), 409
            )
        except BookingError:
            return await self.course(
                request, self.site.say(request)("staff-course-error-not-session"), 400
            )
        await self.services.staff.audit(staff, f"course-{action}", subject, self.now())
        raise web.HTTPSeeOther(f"/staff/programme/courses/{c.id}?done={action}")

    async def confirmation(self, request: web.Request) -> web.StreamResponse:
        """A printable confirmation of attendance, only with his written consent recorded.

        It says what he attended and no more: no risk, no notes, no outcome in words; his name
        is written in by hand on the paper (the service does not store it)."""
        found = await self._course(request)
        if isinstance(found, web.Response):
            return found
        staff, c = found
        if c.confirm_consent_at is None:
            return self.site.error(request, "staff-course-error-no-consent", 409)
        await self.services.staff.audit(staff, "course-confirmation", f"course {c.id}", self.now())
        return self.site.render(
            request,
            "course_confirmation.html",
            {
                "c": c,
                "enrolled": _day(c.enrolled_at.astimezone(ALMATY).date()),
                "ended": _day(c.ended_at.astimezone(ALMATY).date()) if c.ended_at else "",
                "dates": [
                    _day(b.starts_at.astimezone(ALMATY).date())
                    for b in c.sessions
                    if b.status == "attended"
                ],
                "consent": _day(c.confirm_consent_at.astimezone(ALMATY).date()),
                "today": _day(self.now().astimezone(ALMATY).date()),
            },
        )


def _one(form: Any, key: str) -> str:
    value = form.get(key, "")
    return value.strip()[:2000] if isinstance(value, str) else ""


def _number(form: Any, key: str) -> int | None:
    text = _one(form, key)
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        low, high = COURSE_LIMITS["course_sessions" if key == "sessions" else "course_every_days"]
        raise CourseError("staff-course-error-range", low=str(low), high=str(high)) from None


def _required(form: Any, key: str) -> int:
    try:
        return int(_one(form, key))
    except ValueError:
        raise CourseError("staff-course-error-not-session") from None


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CourseError("staff-course-error-no-slot") from None
    if moment.tzinfo is None:
        raise CourseError("staff-course-error-no-slot")
    return moment
