"""The coordinators' page of canned replies: list, add, edit, reorder, retire and restore.

The replies themselves live in handoff/canned.py; the case page (console.py) offers the active
ones. Every change is written to the audit log in words (what changed, in which language). A
reply refused as written comes back on the page with the coordinator's words kept and the
reason beside it (400), never as an error page.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from core.clock import ALMATY
from core.texts import LANGS
from handoff.canned import MAX_TEXT, MAX_TITLE, Canned, CannedError, CannedReplies
from staffweb.site import StaffSite, current_staff

ROLES = ("coordinator",)
PATH = "/handoff/canned"
WHEN = "%d.%m.%Y %H:%M"
DONE = ("added", "saved", "moved", "retired", "restored")


def setup(site: StaffSite, replies: CannedReplies) -> None:
    page = _Page(site, replies)
    site.add_page(PATH, page.show, roles=ROLES, nav_label="staff-nav-canned")
    site.add_page(f"{PATH}/add", page.add, roles=ROLES, method="POST")
    for action in ("edit", "up", "down", "retire", "restore"):
        site.add_page(
            f"{PATH}/{{id:\\d+}}/{action}", getattr(page, action), roles=ROLES, method="POST"
        )


def _fields(form: Any, name: str) -> dict[str, str]:
    """`title_ru`, `title_kk` (and the like) of a form; anything else in them is ignored."""
    found = {}
    for lang in LANGS:
        value = form.get(f"{name}_{lang}", "")
        # Cut well above the limit: the store says "too long"; a megabyte is not kept.
        found[lang] = value[: MAX_TEXT * 2] if isinstance(value, str) else ""
    return found


def _subject(reply: Canned) -> str:
    return f"canned reply #{reply.id} «{reply.title('ru')}»"[:128]


def _changes(before: Canned, after: Canned) -> str:
    """What an edit changed, in words for the audit log: "title (kk), text (ru)"."""
    parts = [
        f"{what} ({lang})"
        for what, old, new in (
            ("title", before.titles, after.titles),
            ("text", before.texts, after.texts),
        )
        for lang in LANGS
        if old[lang] != new[lang]
    ]
    return "changed " + ", ".join(parts) if parts else "saved unchanged"


class _Page:
    def __init__(self, site: StaffSite, replies: CannedReplies) -> None:
        self.site = site
        self.replies = replies

    async def show(
        self,
        request: web.Request,
        *,
        error: str = "",
        typed: dict[str, Any] | None = None,
        status: int = 200,
    ) -> web.StreamResponse:
        t = self.site.say(request)
        done = request.query.get("done", "")
        replies = await self.replies.all()
        return self.site.render(
            request,
            "handoff_canned.html",
            {
                "replies": replies,
                "updated": {r.id: r.updated_at.astimezone(ALMATY).strftime(WHEN) for r in replies},
                "langs": LANGS,
                "max_title": MAX_TITLE,
                "max_text": MAX_TEXT,
                "error": error,
                # What the coordinator typed into the form that was refused: shown again.
                "typed": typed or {},
                "message": t(f"staff-canned-done-{done}") if done in DONE else "",
            },
            status,
        )

    async def _refused(
        self, request: web.Request, exc: CannedError, form: Any, target: str
    ) -> web.StreamResponse:
        typed = {"target": target, "titles": _fields(form, "title"), "texts": _fields(form, "text")}
        return await self.show(request, error=self.site.told(request, exc), typed=typed, status=400)

    async def _audit(self, request: web.Request, action: str, reply: Canned, words: str) -> None:
        await self.site.auth.audit(
            current_staff(request), action, _subject(reply), self.site.clock.now(), reason=words
        )

    def _id(self, request: web.Request) -> int:
        return int(request.match_info["id"])

    async def add(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        form = await request.post()
        try:
            reply = await self.replies.add(
                _fields(form, "title"), _fields(form, "text"), staff.username, self.site.clock.now()
            )
        except CannedError as exc:
            return await self._refused(request, exc, form, "new")
        await self._audit(request, "canned-add", reply, f"added at place {reply.position}")
        raise web.HTTPSeeOther(f"/staff{PATH}?done=added")

    async def edit(self, request: web.Request) -> web.StreamResponse:
        staff = current_staff(request)
        form = await request.post()
        reply_id = self._id(request)
        try:
            changed = await self.replies.edit(
                reply_id,
                _fields(form, "title"),
                _fields(form, "text"),
                staff.username,
                self.site.clock.now(),
            )
        except CannedError as exc:
            return await self._refused(request, exc, form, str(reply_id))
        if changed is None:
            raise web.HTTPNotFound(text="no such canned reply")
        before, after = changed
        await self._audit(request, "canned-edit", after, _changes(before, after))
        raise web.HTTPSeeOther(f"/staff{PATH}?done=saved#reply-{reply_id}")

    async def _move(self, request: web.Request, step: int) -> web.StreamResponse:
        staff = current_staff(request)
        reply_id = self._id(request)
        place = await self.replies.move(reply_id, step, staff.username, self.site.clock.now())
        reply = await self.replies.get(reply_id)
        if place is None or reply is None:
            raise web.HTTPNotFound(text="no such canned reply")
        way = "up" if step < 0 else "down"
        await self._audit(request, "canned-move", reply, f"moved {way} to place {place}")
        raise web.HTTPSeeOther(f"/staff{PATH}?done=moved#reply-{reply_id}")

    async def up(self, request: web.Request) -> web.StreamResponse:
        return await self._move(request, -1)

    async def down(self, request: web.Request) -> web.StreamResponse:
        return await self._move(request, +1)

    async def _activate(self, request: web.Request, active: bool) -> web.StreamResponse:
        staff = current_staff(request)
        reply_id = self._id(request)
        reply = await self.replies.set_active(
            reply_id, active, staff.username, self.site.clock.now()
        )
        if reply is None:
            raise web.HTTPNotFound(text="no such canned reply")
        words = "restored: offered on the case page again" if active else "retired"
        action = "canned-restore" if active else "canned-retire"
        await self._audit(request, action, reply, words)
        done = "restored" if active else "retired"
        raise web.HTTPSeeOther(f"/staff{PATH}?done={done}#reply-{reply_id}")

    async def retire(self, request: web.Request) -> web.StreamResponse:
        return await self._activate(request, False)

    async def restore(self, request: web.Request) -> web.StreamResponse:
        return await self._activate(request, True)
