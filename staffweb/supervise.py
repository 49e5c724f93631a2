"""The supervisor page for coordinators (issue 15): who is on shift, each consultant's open
cases, the unclaimed urgent cases first, moving a case to another consultant, and the closed
cases searched by number, date and outcome.

The live part polls one JSON endpoint (every 3 s) from a static script (the CSP allows no
inline script); moving a case posts to the desk (handoff/reassign.py), so the Telegram topic
and every console see it. The closed cases are a plain GET form, rendered here, also served as
JSON. The page shows no transcript: it reads states, holders and times, so it is not audited;
opening a case from it goes through the case page and its rules (a closed case that was not
the coordinator's asks for a reason first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from core.clock import ALMATY
from handoff.actions import Refused
from handoff.case_view import OUTCOMES, SYSTEM_OUTCOMES, Case, outcome_label
from handoff.models import CLAIMED, QUEUED
from handoff.relay import Consultant, Desk
from registry import vocabulary
from staffweb import console
from staffweb.body import read_json
from staffweb.site import StaffSite, current_staff

ROLES = ("coordinator",)  # the project's supervisors; admins pass every role check
PAGE_SIZE = 20
# The outcomes to search by: a consultant's, and the bot's own (nobody took it in time, the
# person cancelled...), which a supervisor looks for too.
ENDINGS = OUTCOMES + SYSTEM_OUTCOMES
# The words supervise.js shows (staff-js-* and page texts; {name} is filled in by the script).
# Its own words, and the console's (console.js sounds the alerts on this page too).
JS_TEXTS = {
    **console.JS_TEXTS,
    "waited": ("staff-js-waited", {"minutes": "{minutes}", "seconds": "{seconds}"}),
    "waited_s": ("staff-js-waited-seconds", {"seconds": "{seconds}"}),
    "error": ("staff-js-error", {"status": "{status}"}),
    "none_urgent": ("staff-sv-no-urgent", {}),
    "others": ("staff-sv-others-queued", {"count": "{count}"}),
    "escalations": ("staff-sv-escalations", {"count": "{count}"}),
    "nobody": ("staff-sv-nobody", {}),
    "off_shift": ("staff-sv-off-shift", {}),
    "seen": ("staff-sv-seen", {"minutes": "{minutes}"}),
    "no_live": ("staff-sv-no-live", {}),
    "to_queue": ("staff-sv-to-queue", {}),
    "choose": ("staff-sv-choose", {}),
    "move": ("staff-sv-move", {}),
    "moved": ("staff-sv-moved", {"number": "{number}"}),
}


def setup(site: StaffSite, desk: Desk | None) -> None:
    if desk is None:
        return  # handoff is off: nothing to supervise
    pages = _Supervise(site, desk)
    site.add_page("/handoff/supervise", pages.page, roles=ROLES, nav_label="staff-nav-supervise")
    site.add_page("/handoff/api/supervise", pages.live, roles=ROLES)
    site.add_page("/handoff/api/closed", pages.closed_json, roles=ROLES)
    site.add_page(
        "/handoff/api/case/{number}/reassign", pages.do_reassign, roles=ROLES, method="POST"
    )


@dataclass(frozen=True, slots=True)
class Search:
    """The closed cases' search, read from the query string (a bad date reads as none)."""

    number: str
    since: date | None
    until: date | None
    outcome: str
    page: int

    @classmethod
    def of(cls, query: Any) -> Search:
        outcome = str(query.get("outcome", ""))
        try:
            page = max(1, min(10_000, int(query.get("page", "1"))))
        except ValueError:
            page = 1
        return cls(
            number=str(query.get("number", "")).strip()[:12],
            since=_day(query.get("from")),
            until=_day(query.get("to")),
            outcome=outcome if outcome in ENDINGS else "",
            page=page,
        )

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The days as Almaty days (the centre's), the last one whole."""
        since = datetime.combine(self.since, time(), ALMATY) if self.since else None
        until = (
            datetime.combine(self.until + timedelta(days=1), time(), ALMATY) if self.until else None
        )
        return since, until

    def link(self, page: int) -> str:
        args = {
            "number": self.number,
            "from": self.since.isoformat() if self.since else "",
            "to": self.until.isoformat() if self.until else "",
            "outcome": self.outcome,
            "page": str(page),
        }
        return "/staff/handoff/supervise?" + urlencode({k: v for k, v in args.items() if v})


def ending_label(code: str | None, lang: str) -> str:
    """How a case ended, in words: a consultant's outcome as the consoles name it, or the
    bot's own ending (registry/vocabulary.py)."""
    if code in OUTCOMES:
        return outcome_label(code, lang)
    if code in SYSTEM_OUTCOMES:
        return vocabulary.label(vocabulary.SYSTEM_OUTCOMES, code, lang).capitalize()
    return "—"


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _local(at: datetime | None) -> str:
    return at.astimezone(ALMATY).strftime("%d.%m.%Y %H:%M") if at else ""


class _Supervise:
    def __init__(self, site: StaffSite, desk: Desk) -> None:
        self.site = site
        self.desk = desk

    # -- closed cases -------------------------------------------------------------------

    async def _closed(self, request: web.Request) -> tuple[Search, list[dict[str, str]], int]:
        search = Search.of(request.query)
        since, until = search.bounds()
        cases, total = await self.desk.cases.closed_search(
            number=search.number,
            since=since,
            until=until,
            outcome=search.outcome,
            offset=(search.page - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
        t = self.site.say(request)
        lang = self.site.lang(request)
        rows = [
            {
                "number": c.number,
                "closed": _local(c.closed_at),
                "state": t("staff-case-state-name", state=c.state),
                "outcome": ending_label(c.outcome, lang),
                "by": c.claimed_by or "—",
                "href": "/staff/handoff/case/" + c.number,
            }
            for c in cases
        ]
        return search, rows, total

    async def closed_json(self, request: web.Request) -> web.StreamResponse:
        search, rows, total = await self._closed(request)
        return web.json_response(
            {"cases": rows, "total": total, "page": search.page, "page_size": PAGE_SIZE}
        )

    async def page(self, request: web.Request) -> web.StreamResponse:
        search, rows, total = await self._closed(request)
        t = self.site.say(request)
        lang = self.site.lang(request)
        pages = max(1, -(-total // PAGE_SIZE))
        return self.site.render(
            request,
            "handoff_supervise.html",
            {
                "js_texts": {name: t(key, **args) for name, (key, args) in JS_TEXTS.items()},
                "search": search,
                "closed": rows,
                "total": total,
                "pages": pages,
                "prev": search.link(search.page - 1) if search.page > 1 else "",
                "next": search.link(search.page + 1) if search.page < pages else "",
                "outcomes": [(code, ending_label(code, lang)) for code in ENDINGS],
            },
        )

    # -- the live part ------------------------------------------------------------------

    async def live(self, request: web.Request) -> web.StreamResponse:
        now = self.desk.clock.now()
        cases = await self.desk.cases.open_cases()
        since = await self.desk.cases.unanswered_since(cases)
        on_shift = await self.desk.roster.on_shift(now)

        def waited(case: Case) -> int | None:
            # Claimed but nobody has written yet: the person has waited since their request,
            # however the claim looks from the queue.
            at = since.get(case.id) or (case.due_at if case.state == CLAIMED else None)
            return max(0, int((now - at).total_seconds())) if at else None

        queued = [c for c in cases if c.state == QUEUED and c.due_at <= now]
        urgent = sorted((c for c in queued if c.urgent), key=lambda c: c.due_at)
        live = sorted((c for c in cases if c.live), key=lambda c: (c.claimed_by or "", c.id))
        # One row per consultant: everyone on shift, and whoever holds a case though not
        # seen lately (a closed laptop with cases still open is what a supervisor must see).
        load: dict[str, dict[str, Any]] = {}
        for person in on_shift:
            seen = int((now - person.seen_at).total_seconds()) // 60
            load[person.username] = _load(person.staff_id, person.username, True, seen)
        for case in live:
            name = case.claimed_by or "—"
            row = load.setdefault(name, _load(case.claimed_staff_id, name, False, None))
            row["claimed" if case.state == CLAIMED else "active"] += 1
            wait = waited(case)
            if wait is not None and (row["oldest"] is None or wait > row["oldest"]):
                row["oldest"] = wait
        t = self.site.say(request)
        return web.json_response(
            {
                "urgent": [
                    {
                        "number": c.number,
                        "waited": waited(c),
                        "escalations": c.escalations,
                        "danger": t("staff-danger", danger=c.danger or "none"),
                    }
                    for c in urgent
                ],
                "others_queued": len(queued) - len(urgent),
                "consultants": sorted(load.values(), key=lambda r: (not r["on_shift"], r["name"])),
                "live": [
                    {
                        "number": c.number,
                        "holder": c.claimed_by or "",
                        "holder_id": c.claimed_staff_id,
                        "state": c.state,
                        "state_label": t("staff-case-state-name", state=c.state),
                        "urgent": c.urgent,
                        "waited": waited(c),
                    }
                    for c in live
                ],
                "targets": [{"id": p.staff_id, "name": p.username} for p in on_shift],
            }
        )

    async def do_reassign(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        case = await self.desk.cases.by_number(request.match_info["number"])
        if case is None:
            raise web.HTTPNotFound(text="no such case")
        body = await read_json(request, 4096)
        to = body.get("to")
        if to is not None and (isinstance(to, bool) or not isinstance(to, int)):
            raise web.HTTPBadRequest(text="to must be a staff id or null")
        who = Consultant(name=staff.username, via="web", staff=staff)
        try:
            done = await self.desk.reassign(case.id, who, to)
        except Refused as exc:
            return web.json_response(
                {"ok": False, "error": self.site.told(request, exc)}, status=409
            )
        return web.json_response({"ok": True, "state": done.state, "holder": done.claimed_by})


def _load(staff_id: int | None, name: str, on_shift: bool, seen: int | None) -> dict[str, Any]:
    return {
        "id": staff_id,
        "name": name,
        "on_shift": on_shift,
        "seen_minutes": seen,
        "claimed": 0,
        "active": 0,
        "oldest": None,
    }
