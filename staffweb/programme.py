"""The aggressor programme's assessment sheet on the staff site (issue 16, staff side).

Who may see it follows docs/aggressor-programme.md: the specialists of the aggressor stream
fill it and revise it (each save a new version signed with their username); coordinators read
it; nobody else, not a consultant, not a specialist of the victims' or the family stream (403),
so that a worker who supports a victim never reads about the man who harmed her. Every read
and every save goes to the audit log.

Beside the sheet, what the first conversation in the chat left on the booking: who referred
him (staff may set or correct it: it goes on all his programme bookings and the anonymous
registry rows), the codes noted for the specialist, and the self-check answers he chose to
pass on (docs/aggressor-programme.md).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from booking.assessment import (
    ANSWERS,
    ELIGIBILITY,
    MOTIVATIONS,
    OBSTACLES,
    PARTNER_ACTIONS,
    RISKS,
    AssessmentError,
    check,
)
from booking.bookings import BookingError, BookingView
from booking.streams import AGGRESSORS
from core.clock import ALMATY
from registry.vocabulary import INTAKE_NOTES, REFERRALS
from staffweb.auth import Staff
from staffweb.booking_services import MANAGE, VIEW, BookingServices
from staffweb.site import NO_ACCESS, Say, StaffSite, current_staff

PATH = "/programme/assessment/{id:\\d+}"


def setup(site: StaffSite, services: BookingServices) -> None:
    pages = _Pages(site, services)
    site.add_page(PATH, pages.sheet, roles=VIEW)
    site.add_page(PATH, pages.save, roles=VIEW, method="POST")
    site.add_page(PATH + "/referral", pages.referral, roles=VIEW, method="POST")


class _Pages:
    def __init__(self, site: StaffSite, services: BookingServices) -> None:
        self.site = site
        self.services = services

    async def _stream(self, staff: Staff) -> str | None:
        """The stream of the specialist profile linked to this account, if any."""
        schedule = await self.services.service.schedule.load()
        return next(
            (s.stream for s in schedule.specialists if s.staff_username == staff.username), None
        )

    async def _access(self, request: web.Request) -> tuple[Staff, BookingView, bool] | None:
        """(staff, booking, may write), or None when this reader may not see the sheet."""
        staff = current_staff(request)
        in_programme = await self._stream(staff) == AGGRESSORS
        if not (in_programme or staff.may(*MANAGE)):
            return None
        booking = await self.services.service.get(int(request.match_info["id"]))
        if booking is None or booking.kind != "stop":
            raise web.HTTPNotFound(text="no such programme booking")
        # Coordinators read; only the programme's own specialists sign a version.
        return staff, booking, in_programme

    async def sheet(
        self, request: web.Request, error: str = "", status: int = 200
    ) -> web.StreamResponse:
        access = await self._access(request)
        if access is None:
            await self._refused(request)
            return self.site.error(request, NO_ACCESS, 403)
        staff, booking, writer = access
        versions = await self.services.service.assessments.versions(booking.id)
        await self.services.staff.audit(
            staff, "assessment-view", f"booking {booking.id}", self.services.clock.now()
        )
        t = self.site.say(request)
        lang = self.site.lang(request)
        latest = versions[0].sheet if versions and versions[0].sheet else None
        schedule = await self.services.service.schedule.load()
        local = booking.starts_at.astimezone(ALMATY)
        # The course (staffweb/course.py): linked when there is one, offered when the last
        # version says "programme" to someone who may enrol (the pair or a coordinator).
        course = await self.services.service.courses.for_booking(booking.id)
        own = await self.services.own_specialist(staff)
        may_enrol = (
            latest is not None
            and latest.eligibility == "programme"
            and (course is None or course.status != "active")
            and (staff.may(*MANAGE) or (writer and own in booking.specialists))
        )
        return self.site.render(
            request,
            "assessment.html",
            {
                "booking": booking,
                "when": f"{local:%d.%m.%Y %H:%M}",
                "specialists": schedule.names(booking.specialists),
                "writer": writer,
                "coordinator": staff.may(*MANAGE),
                "latest": latest,
                "versions": [
                    {
                        "number": v.version,
                        "by": v.signed_by,
                        "at": f"{v.signed_at.astimezone(ALMATY):%d.%m.%Y %H:%M}",
                        "sheet": v.sheet,
                    }
                    for v in versions
                ],
                "risks": RISKS,
                "answers": ANSWERS,
                "motivations": MOTIVATIONS,
                "obstacles": OBSTACLES,
                "eligibility": ELIGIBILITY,
                "partner_actions": PARTNER_ACTIONS,
                "course": course,
                "may_enrol": may_enrol,
                "rules": schedule.rules,
                "referral": booking.referral,
                "referrals": {code: name.get(lang) for code, name in REFERRALS.items()},
                **_from_chat(booking, lang),
                "error": error,
                "message": _done(t, request.query.get("done", "")),
            },
            status,
        )

    async def save(self, request: web.Request) -> web.StreamResponse:
        access = await self._access(request)
        if access is None or not access[2]:
            await self._refused(request)
            return self.site.error(request, NO_ACCESS, 403)
        staff, booking, _ = access
        form = await request.post()
        try:
            sheet = check(
                {risk: _one(form, f"risk_{risk}") for risk in RISKS},
                motivation=_many(form, "motivation"),
                obstacles=_many(form, "obstacles"),
                motivation_note=_one(form, "motivation_note"),
                eligibility=_one(form, "eligibility"),
                reason=_one(form, "reason"),
                partner_actions=_many(form, "partner_actions"),
                partner_note=_one(form, "partner_note"),
            )
            number = await self.services.service.assessments.save(
                booking.id, sheet, staff.username, self.services.clock.now()
            )
        except AssessmentError as exc:
            return await self.sheet(request, self.site.told(request, exc), 400)
        await self.services.staff.audit(
            staff,
            "assessment-save",
            f"booking {booking.id} v{number}",
            self.services.clock.now(),
        )
        raise web.HTTPSeeOther(f"/staff/programme/assessment/{booking.id}?done=saved")

    async def referral(self, request: web.Request) -> web.StreamResponse:
        """Set who referred him: the programme's specialists and coordinators."""
        access = await self._access(request)
        staff = current_staff(request)
        if access is None or not (access[2] or staff.may(*MANAGE)):
            await self._refused(request)
            return self.site.error(request, NO_ACCESS, 403)
        booking = access[1]
        form = await request.post()
        code = _one(form, "referral") or None
        if code is not None and code not in REFERRALS:
            raise web.HTTPBadRequest(text="referral: one of " + ", ".join(REFERRALS))
        try:
            contacts = await self.services.service.set_referral(booking.id, code)
        except BookingError:
            raise web.HTTPNotFound(text="no such programme booking") from None
        registry = self.services.registry
        if registry is not None:
            for contact in contacts:
                await registry.update(contact, referral=code)
        await self.services.staff.audit(
            staff, "booking-referral", f"booking {booking.id}", self.services.clock.now()
        )
        raise web.HTTPSeeOther(f"/staff/programme/assessment/{booking.id}?done=referral")

    async def _refused(self, request: web.Request) -> None:
        """A refused look is written down too: the sheet is the most sensitive page here."""
        await self.services.staff.audit(
            current_staff(request),
            "assessment-refused",
            f"booking {request.match_info['id']}",
            self.services.clock.now(),
        )


# Codes of the self-check answers he passed on (dialogues/flows/aggressor.py), shown apart.
SELF_CHECK = "check_"


def _from_chat(booking: BookingView, lang: str) -> dict[str, Any]:
    """What the chat noted, in words: the notes, and the self-check he chose to pass on."""
    notes = [n for n in booking.intake if n in INTAKE_NOTES]
    return {
        "intake_notes": [INTAKE_NOTES[n].get(lang) for n in notes if not n.startswith(SELF_CHECK)],
        "self_check": [
            INTAKE_NOTES[n].get(lang)
            for n in notes
            if n.startswith(SELF_CHECK) and n != "check_shared"
        ],
        "self_check_shared": "check_shared" in notes,
    }


def _done(t: Say, done: str) -> str:
    return {"saved": t("staff-assessment-saved"), "referral": t("staff-referral-saved")}.get(
        done, ""
    )


def _one(form: Any, key: str) -> str:
    value = form.get(key, "")
    return value.strip()[:2000] if isinstance(value, str) else ""


def _many(form: Any, key: str) -> list[str]:
    return [v for v in form.getall(key, []) if isinstance(v, str)][:20]
