"""The consultants' web console on the staff site: the live queue and one page per case.

The page is HTML; the live parts poll small JSON endpoints (every 1.5–2 s) from a static
script (the CSP allows no inline script). Claims, replies, notes and closes go through the
same desk as the Telegram topics, so both consoles work on the same cases at once.
Every read of a transcript — the page, and each API answer that carries lines — is written
to the audit log. A consultant reads open cases and the cases they took part in; a
coordinator reads any case, and for a closed case that was not theirs must say why (the
reason is stored with the audit entry).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp import web

from contacts.entry import Contact
from contacts.reply import regional_reply, shown_in
from contacts.store import ContactStore
from core.clock import ALMATY
from core.texts import LANGS
from handoff.actions import Refused
from handoff.canned import CannedReplies
from handoff.card import case_screens, danger_label, role_label
from handoff.case_view import OUTCOMES, Case, outcome_label
from handoff.linking import CODE_TTL, Links
from handoff.relay import Consultant, Desk
from staffweb.auth import Staff
from staffweb.body import read_json
from staffweb.site import StaffSite, current_staff

ROLES = ("consultant", "coordinator")
STATIC = Path(__file__).with_name("static") / "handoff"
MAX_JSON = 64 * 1024
MIN_REASON, MAX_REASON = 10, 500  # characters of a coordinator's reason to open a closed case
NOT_YOURS = "staff-case-not-yours"
REASON_NEEDED = "staff-case-reason-needed"
# The words console.js shows, handed to it in the page (staff-js-*; {name} marks an argument
# the script fills in).
JS_TEXTS = {
    "empty": ("staff-js-queue-empty", {}),
    "callback": ("staff-js-callback", {"when": "{when}"}),
    "urgent": ("staff-urgent", {}),
    "alerts": ("staff-js-alerts", {"count": "{count}"}),
    "waited": ("staff-js-waited", {"minutes": "{minutes}", "seconds": "{seconds}"}),
    "waited_s": ("staff-js-waited-seconds", {"seconds": "{seconds}"}),
    "error": ("staff-js-error", {"status": "{status}"}),
    "you": ("staff-js-you", {}),
    "undelivered": ("staff-js-undelivered", {}),
    "alert_new": ("staff-js-alert-new", {"number": "{number}"}),
    "alert_urgent": ("staff-js-alert-urgent", {"number": "{number}"}),
    "alert_again": ("staff-js-alert-again", {"number": "{number}", "count": "{count}"}),
    "alert_body": ("staff-js-alert-body", {}),
    "no_next": ("staff-js-no-next", {}),
}


def setup(
    site: StaffSite,
    desk: Desk | None,
    canned: CannedReplies,
    contacts: ContactStore | None = None,
) -> None:
    if desk is None:
        return  # handoff is off: no console
    site.app.router.add_static("/handoff-static", STATIC)
    pages = _Pages(site, desk, canned, contacts)
    site.add_page("/handoff", pages.queue_page, roles=ROLES, nav_label="staff-nav-handoff")
    site.add_page("/handoff/api/queue", pages.queue_json, roles=ROLES)
    site.add_page("/handoff/case/{number}", pages.case_page, roles=ROLES)
    site.add_page("/handoff/api/case/{number}", pages.case_json, roles=ROLES)
    links = desk.links
    if links is not None and desk.topics.enabled:  # a Telegram group to work in
        linking = _LinkPage(site, desk, links)
        site.add_page("/handoff/link", linking.page, roles=ROLES, nav_label="staff-nav-telegram")
        site.add_page("/handoff/link", linking.new_code, roles=ROLES, method="POST")
        site.add_page("/handoff/unlink", linking.unlink, roles=ROLES, method="POST")
    for action in ("claim", "reply", "note", "close", "reopen", "refer"):
        site.add_page(
            f"/handoff/api/case/{{number}}/{action}",
            getattr(pages, f"do_{action}"),
            roles=ROLES,
            method="POST",
        )


def _local(at: Any) -> str:
    return at.astimezone(ALMATY).strftime("%d.%m %H:%M:%S") if at else ""


class _Pages:
    def __init__(
        self,
        site: StaffSite,
        desk: Desk,
        canned: CannedReplies,
        contacts: ContactStore | None = None,
    ) -> None:
        self.site = site
        self.desk = desk
        self.canned = canned
        self.contacts = contacts  # the live directory: its region's entries as a canned reply

    # -- the queue ----------------------------------------------------------------------

    def _js_texts(self, request: web.Request) -> dict[str, str]:
        t = self.site.say(request)
        return {name: t(key, **args) for name, (key, args) in JS_TEXTS.items()}

    def _state(self, request: web.Request, state: str) -> str:
        return self.site.say(request)("staff-case-state-name", state=state)

    async def queue_page(self, request: web.Request) -> web.StreamResponse:
        return self.site.render(
            request, "handoff_queue.html", {"js_texts": self._js_texts(request)}
        )

    async def queue_json(self, request: web.Request) -> web.StreamResponse:
        await self.desk.consultant_seen()  # the console is open: the queue is being served
        now = self.desk.clock.now()
        staff = current_staff(request)
        lang = self.site.lang(request)
        texts = self.desk.texts
        rows = []
        queue = await self.desk.queue()
        # Honest waiting: since the person's first message still without an answer, not
        # since the request (an overdue ordinary row looked worse than a fresh urgent one).
        since = await self.desk.cases.unanswered_since([case for case, _, _ in queue])
        for case, points, place in queue:
            waiting = since.get(case.id)
            rows.append(
                {
                    "number": case.number,
                    "state": case.state,
                    "state_label": self._state(request, case.state),
                    "urgent": case.urgent,
                    "danger": danger_label(texts, lang, case.danger) if case.danger else "",
                    "lang": case.lang,
                    "role": role_label(texts, lang, case.role, case.details),
                    "waited": int((now - waiting).total_seconds()) if waiting else None,
                    "place": place,
                    "score": round(points),
                    "claimed_by": case.claimed_by or "",
                    "mine": case.claimed_staff_id == staff.id,
                    "escalated": case.escalated_at is not None and case.state == "queued",
                    "escalations": case.escalations,
                    "callback": _local(case.callback_at) if case.callback_at else "",
                    "quiet": case.quiet,
                    "failed": case.failed_deliveries,
                }
            )
        alerts = sum(1 for r in rows if r["escalated"])
        return web.json_response({"cases": rows, "alerts": alerts})

    # -- one case -----------------------------------------------------------------------

    async def _case(self, request: web.Request) -> Case:
        case = await self.desk.cases.by_number(request.match_info["number"])
        if case is None:
            raise web.HTTPNotFound(text="no such case")
        return case

    async def _access(self, staff: Staff, case: Case, request: web.Request) -> str | None:
        """Whether `staff` may read this case's transcript: "" (no reason needed), the
        coordinator's reason, or None (refused, or a reason is still needed)."""
        if case.open or await self.desk.cases.took_part(case.id, staff.id, staff.username):
            return ""
        if not staff.may("coordinator"):
            return None
        reason = " ".join(request.query.get("reason", "").split())[:MAX_REASON]
        return reason if len(reason) >= MIN_REASON else None

    async def _audit_read(self, staff: Staff, action: str, case: Case, reason: str) -> None:
        await self.site.auth.audit(
            staff, action, case.number, self.desk.clock.now(), reason=reason or None
        )

    async def case_page(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        case = await self._case(request)
        reason = await self._access(staff, case, request)
        if reason is None:
            if not staff.may("coordinator"):
                return self.site.error(request, NOT_YOURS, 403)
            return self.site.render(
                request,
                "handoff_reason.html",
                {
                    "case": case,
                    "message": self.site.say(request)(REASON_NEEDED),
                    "given": request.query.get("reason", "")[:MAX_REASON],
                    "min_reason": MIN_REASON,
                },
                403,
            )
        await self._audit_read(staff, "case-view", case, reason)
        before = []
        if case.person_id is not None and case.open:
            before = await self.desk.transcripts.recent(case.person_id, limit=50)
        lang = self.site.lang(request)
        texts = self.desk.texts
        canned = await self._canned(lang, case.lang, case.region)
        notes = await self.desk.cases.notes(case.id)
        earlier = [
            (
                c.number,
                c.created_at.astimezone(ALMATY).strftime("%d.%m.%Y %H:%M"),
                outcome_label(c.outcome, lang)
                if c.outcome in OUTCOMES
                else self._state(request, c.state),
                c.urgent,
            )
            for c in await self.desk.cases.earlier(case)
        ]
        said = [ln for ln in before if ln.direction == "in"]
        last_in = f"{_local(said[-1].at)} — {said[-1].text[:160]}" if said else ""
        return self.site.render(
            request,
            "handoff_case.html",
            {
                "case": case,
                "state_label": self._state(request, case.state),
                "danger": danger_label(texts, lang, case.danger),
                "role": role_label(texts, lang, case.role, case.details),
                "screens": case_screens(texts, lang, case.details),
                "before": [(ln.direction, ln.text, _local(ln.at)) for ln in before],
                "canned": canned,
                "outcomes": [(code, outcome_label(code, lang)) for code in OUTCOMES],
                "js_texts": self._js_texts(request),
                "notes": notes,
                "earlier": earlier,
                "last_in": last_in,
                "callback": _local(case.callback_at) if case.callback_at else "",
                "reason": reason,
            },
        )

    async def _canned(
        self, lang: str, person_lang: str, region: str | None = None
    ) -> list[tuple[str, list[Any]]]:
        """The active canned replies grouped by the language they insert, the person's first;
        each (title in the staff member's language, text, what the search looks through). The
        verified contacts of the case's region come first, when it has any (issue 18)."""
        replies = await self.canned.all(active_only=True)
        order = sorted(LANGS, key=lambda code: code != person_lang)
        nearby = await self._nearby(region)
        texts = self.desk.texts
        groups = []
        for code in order:
            items: list[Any] = []
            if nearby and region:
                title = texts.get(
                    lang, "staff-canned-region", {"region": texts.get(lang, f"region-{region}")}
                )
                text = regional_reply(texts, code, region, nearby)
                items.append((title, text, f"{title} {text}"))
            items += [
                (r.title(lang), r.text(code), " ".join([*r.titles.values(), *r.texts.values()]))
                for r in replies
            ]
            groups.append((code, items))
        return groups

    async def _nearby(self, region: str | None) -> list[Contact]:
        if self.contacts is None or not region:
            return []
        now = self.desk.clock.now()
        return shown_in(await self.contacts.all(), region, now, self.contacts.grace)

    async def case_json(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        await self.desk.consultant_seen()
        case = await self._case(request)
        reason = await self._access(staff, case, request)
        if reason is None:
            message = REASON_NEEDED if staff.may("coordinator") else NOT_YOURS
            return web.json_response(
                {"ok": False, "error": self.site.say(request)(message)}, status=403
            )
        try:
            after = max(0, int(request.query.get("after", "0")))
        except ValueError:
            after = 0
        lines = await self.desk.cases.lines(case.id, after=after)
        if lines:  # a poll that brings no new lines reads nothing
            await self._audit_read(staff, "case-read", case, reason)
        return web.json_response(
            {
                "state": case.state,
                "state_label": self._state(request, case.state),
                "claimed_by": case.claimed_by or "",
                "mine": _who(staff).owns(case),
                "reopenable": self.desk.may_reopen(
                    case, _who(staff), force=staff.may("coordinator")
                ),
                "quiet": case.quiet,
                "urgent": case.urgent,
                "lines": [
                    {
                        "id": ln.id,
                        "dir": ln.direction,
                        "author": ln.author,
                        "text": ln.text,
                        "at": _local(ln.at),
                        "urgent": ln.urgent,
                        "delivery": ln.delivery,
                    }
                    for ln in lines
                ],
            }
        )

    def _refused(self, request: web.Request, exc: Refused) -> web.StreamResponse:
        return web.json_response({"ok": False, "error": self.site.told(request, exc)}, status=409)

    async def do_claim(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        case = await self._case(request)
        try:
            await self.desk.claim(case.id, _who(staff))
        except Refused as exc:
            return self._refused(request, exc)
        return web.json_response({"ok": True})

    async def do_reply(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        case = await self._case(request)
        body = await _json(request)
        try:
            line = await self.desk.reply(case.id, _who(staff), str(body.get("text", "")))
        except Refused as exc:
            return self._refused(request, exc)
        return web.json_response({"ok": True, "id": line.id})

    async def do_note(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        case = await self._case(request)
        body = await _json(request)
        try:
            await self.desk.note(case.id, _who(staff), str(body.get("text", ""))[:4000])
        except Refused as exc:
            return self._refused(request, exc)
        return web.json_response({"ok": True})

    async def do_close(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        case = await self._case(request)
        body = await _json(request)
        try:
            await self.desk.close(
                case.id,
                _who(staff),
                str(body.get("outcome", "")),
                force=staff.may("coordinator"),
            )
        except Refused as exc:
            return self._refused(request, exc)
        return web.json_response({"ok": True})

    async def do_refer(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        case = await self._case(request)
        try:
            await self.desk.refer(case.id, _who(staff))
        except Refused as exc:
            return self._refused(request, exc)
        return web.json_response({"ok": True})

    async def do_reopen(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        case = await self._case(request)
        try:
            await self.desk.reopen(case.id, _who(staff), force=staff.may("coordinator"))
        except Refused as exc:
            return self._refused(request, exc)
        return web.json_response({"ok": True})


class _LinkPage:
    """Linking a Telegram account: a one-time code to send to the bot (handoff/linking.py)."""

    def __init__(self, site: StaffSite, desk: Desk, links: Links) -> None:
        self.site = site
        self.desk = desk
        self.links = links

    async def _render(self, request: web.Request, code: str | None) -> web.StreamResponse:
        staff = current_staff(request)
        since = await self.links.linked_at(staff.id)
        minutes = int(CODE_TTL.total_seconds() // 60)
        context = {"code": code, "since": _local(since) if since else "", "minutes": minutes}
        return self.site.render(request, "handoff_link.html", context)

    async def page(self, request: web.Request) -> web.StreamResponse:
        return await self._render(request, None)

    async def new_code(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        now = self.desk.clock.now()
        code = await self.links.new_code(staff.id, now)
        await self.desk.audit(staff, "telegram-link-code", "", now)
        return await self._render(request, code)

    async def unlink(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        await self.links.unlink(staff.id)
        await self.desk.audit(staff, "telegram-unlink", "", self.desk.clock.now())
        raise web.HTTPSeeOther("/staff/handoff/link")


def _who(staff: Staff) -> Consultant:
    return Consultant(name=staff.username, via="web", staff=staff)


async def _json(request: web.Request) -> dict[str, Any]:
    return await read_json(request, MAX_JSON)
