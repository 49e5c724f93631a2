"""The coordinators' page of the directory of help contacts (issue 18): list with search and
filters, the due and overdue entries first; add, edit, verify and retire an entry.

The entries live in contacts/store.py, which writes every change and its audit row in one
transaction and tells the bot's snapshot to refresh. An entry refused as written comes back on
its form with the coordinator's words kept and the reason beside it (400).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from aiohttp import web

from contacts.entry import Contact, ContactError, Details
from contacts.rules import HOW, KINDS, LANGUAGES, NATIONAL, TRISTATE
from contacts.store import ContactStore, default_due
from core.clock import ALMATY
from registry.vocabulary import region_label
from staffweb.site import StaffSite, current_staff

ROLES = ("coordinator",)  # and admins, who may do everything
PATH = "/contacts"
DAY = "%d.%m.%Y"
DONE = ("added", "saved", "verified", "retired")
_TEXT_FIELDS = (
    "name_ru",
    "name_kk",
    "whatsapp",
    "website",
    "hours_ru",
    "hours_kk",
    "line_ru",
    "line_kk",
    "notes",
    "source",
)


def setup(site: StaffSite, store: ContactStore) -> None:
    page = _Page(site, store)
    site.add_page(PATH, page.list, roles=ROLES, nav_label="staff-nav-contacts")
    site.add_page(f"{PATH}/new", page.new, roles=ROLES)
    site.add_page(f"{PATH}/add", page.add, roles=ROLES, method="POST")
    site.add_page(f"{PATH}/{{id:[a-z0-9_]+}}", page.show, roles=ROLES)
    for action in ("edit", "verify", "retire"):
        site.add_page(
            f"{PATH}/{{id:[a-z0-9_]+}}/{action}", getattr(page, action), roles=ROLES, method="POST"
        )


def _str(form: Any, name: str, limit: int = 4000) -> str:
    value = form.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


def details_of(form: Any, keep: Details | None = None) -> Details:
    """The form's fields (what the page does not edit is kept from `keep`)."""
    typed = _str(form, "phones").replace(";", ",").split(",")
    phones = tuple(p.strip() for p in typed if p.strip())
    chosen = {lang for lang in LANGUAGES if form.get(f"lang_{lang}")}
    return Details(
        region=_str(form, "region", 32),
        kind=_str(form, "kind", 32),
        phones=phones,
        free=_str(form, "free", 8) or "unknown",
        shelter=_str(form, "shelter", 8) or "unknown",
        languages=tuple(lang for lang in LANGUAGES if lang in chosen),
        last_seen=keep.last_seen if keep else "",
        confidence=keep.confidence if keep else "",
        **{name: _str(form, name) for name in _TEXT_FIELDS},
    )


def _day(value: datetime | None) -> str:
    return value.astimezone(ALMATY).strftime(DAY) if value else ""


class _Page:
    def __init__(self, site: StaffSite, store: ContactStore) -> None:
        self.site = site
        self.store = store

    def _common(self, request: web.Request) -> dict[str, Any]:
        lang = self.site.lang(request)
        regions = [(NATIONAL, self.site.say(request)("staff-contact-national"))] + [
            (rid, region_label(rid, lang)) for rid in self.store.regions
        ]
        return {
            "regions": regions,
            "region_names": dict(regions),
            "kinds": KINDS,
            "how": HOW,
            "tristate": TRISTATE,
            "languages": LANGUAGES,
            "day": _day,
            "grace_days": self.store.grace.days,
        }

    def _standing(self, c: Contact) -> Any:
        return c.standing(self.site.clock.now(), self.store.grace)

    # -- the list -----------------------------------------------------------------------

    async def list(self, request: web.Request) -> web.StreamResponse:
        t = self.site.say(request)
        q = request.query.get("q", "").strip().casefold()[:100]
        region = request.query.get("region", "")
        kind = request.query.get("kind", "")
        due_only = request.query.get("due") == "1"
        everything = await self.store.all()
        standings = {c.id: self._standing(c) for c in everything}
        reminders = [c for c in everything if standings[c.id].reminder]
        # Hidden first, then overdue, then due soon; each by its date.
        order = {"hidden": 0, "overdue": 1, "due": 2}
        reminders.sort(key=lambda c: (order[standings[c.id].code], standings[c.id].since))

        def matches(c: Contact) -> bool:
            d = c.details
            words = " ".join((c.id, d.name_ru, d.name_kk, *d.phones, d.notes)).casefold()
            return (
                (not q or q in words)
                and (not region or d.region == region)
                and (not kind or d.kind == kind)
                and (not due_only or standings[c.id].reminder)
            )

        done = request.query.get("done", "")
        return self.site.render(
            request,
            "contacts.html",
            {
                **self._common(request),
                "entries": [c for c in everything if matches(c)],
                "reminders": reminders,
                "standings": standings,
                "q": request.query.get("q", "")[:100],
                "region": region,
                "kind": kind,
                "due_only": due_only,
                "message": t(f"staff-contact-done-{done}") if done in DONE else "",
            },
        )

    # -- one entry ----------------------------------------------------------------------

    def _form(
        self,
        request: web.Request,
        contact: Contact | None,
        *,
        error: str = "",
        typed: Details | None = None,
        typed_id: str = "",
        status: int = 200,
    ) -> web.Response:
        now = self.site.clock.now()
        done = request.query.get("done", "")
        t = self.site.say(request)
        return self.site.render(
            request,
            "contact_edit.html",
            {
                **self._common(request),
                "contact": contact,
                "d": typed or (contact.details if contact else None),
                "typed_id": typed_id,
                "standing": self._standing(contact) if contact else None,
                "next_check": default_due(now).astimezone(ALMATY).date().isoformat(),
                "error": error,
                "message": t(f"staff-contact-done-{done}") if done in DONE else "",
            },
            status,
        )

    async def _get(self, request: web.Request) -> Contact:
        contact = await self.store.get(request.match_info["id"])
        if contact is None:
            raise web.HTTPNotFound(text="no such contact")
        return contact

    async def new(self, request: web.Request) -> web.StreamResponse:
        return self._form(request, None)

    async def show(self, request: web.Request) -> web.StreamResponse:
        return self._form(request, await self._get(request))

    async def add(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        form = await request.post()
        entry_id = _str(form, "id", 64).strip().lower()
        details = details_of(form)
        try:
            await self.store.add(
                entry_id, details, staff.username, self.site.clock.now(), staff_id=staff.id
            )
        except ContactError as exc:
            error = self.site.told(request, exc)
            return self._form(
                request, None, error=error, typed=details, typed_id=entry_id, status=400
            )
        raise web.HTTPSeeOther(f"/staff{PATH}/{entry_id}?done=added")

    async def edit(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        contact = await self._get(request)
        form = await request.post()
        details = details_of(form, contact.details)
        try:
            await self.store.edit(
                contact.id, details, staff.username, self.site.clock.now(), staff_id=staff.id
            )
        except ContactError as exc:
            error = self.site.told(request, exc)
            return self._form(request, contact, error=error, typed=details, status=400)
        raise web.HTTPSeeOther(f"/staff{PATH}/{contact.id}?done=saved")

    async def verify(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        contact = await self._get(request)
        form = await request.post()
        try:
            due = _due(_str(form, "due", 10))
            await self.store.verify(
                contact.id,
                _str(form, "how", 16),
                _str(form, "verified_source", 1000),
                staff.username,
                self.site.clock.now(),
                due_at=due,
                staff_id=staff.id,
            )
        except ContactError as exc:
            return self._form(request, contact, error=self.site.told(request, exc), status=400)
        raise web.HTTPSeeOther(f"/staff{PATH}/{contact.id}?done=verified")

    async def retire(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        contact = await self._get(request)
        await self.store.retire(contact.id, staff.username, self.site.clock.now(), staff.id)
        raise web.HTTPSeeOther(f"/staff{PATH}?done=retired")


def _due(value: str) -> datetime | None:
    """The next check date typed on the form (the end of that day in Almaty); blank: default."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise ContactError("staff-contact-error-due") from exc
    return datetime.combine(day, time(), ALMATY) + timedelta(days=1) - timedelta(seconds=1)
