"""A fake WhatsApp Cloud API (Graph API) over real HTTP, and Meta-shaped webhook payloads.

It accepts POST /{version}/{phone_id}/messages as the Cloud API documents it, validates the
shapes and limits the real API enforces (and answers Graph-style errors when they are broken),
optionally enforces the 24-hour window and the throughput limit (`messages_per_s`: 80 a
second by default on the real API; answered with error 130429), records every call, and can be
told to fail the next calls (429 / 5xx). The payload builders produce webhooks shaped as in
Meta's documentation (text, button_reply, list_reply, image, audio, location, reaction,
unsupported, template button, statuses, errors) and sign them with the app secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import ClientSession, web

from devtools.fake_telegram import bound_port

WABA_ID = "102290129340398"
DISPLAY_NUMBER = "77010000150"
WINDOW = timedelta(hours=24)


@dataclass
class Sent:
    """A message the fake accepted."""

    to: str
    body: dict[str, Any]
    wamid: str
    at: float = field(default_factory=time.monotonic)

    @property
    def type(self) -> str:
        return str(self.body.get("type"))

    @property
    def text(self) -> str:
        """What the person reads: the text or the interactive body (or the template name)."""
        if self.type == "text":
            return str(self.body["text"]["body"])
        if self.type == "interactive":
            return str(self.body["interactive"]["body"]["text"])
        return f"[template {self.body['template']['name']}]"

    def options(self) -> list[tuple[str, str, str]]:
        """(id, title, description) of every button or list row."""
        if self.type != "interactive":
            return []
        inter = self.body["interactive"]
        if inter["type"] == "button":
            return [(b["reply"]["id"], b["reply"]["title"], "") for b in inter["action"]["buttons"]]
        return [
            (r["id"], r["title"], r.get("description", ""))
            for s in inter["action"]["sections"]
            for r in s["rows"]
        ]


@dataclass
class _Failure:
    status: int
    code: int
    remaining: int
    retry_after: int | None


class GraphAPIError(Exception):
    def __init__(self, status: int, code: int, message: str, details: str = "") -> None:
        self.status, self.code, self.message, self.details = status, code, message, details


class FakeGraphAPI:
    def __init__(
        self,
        *,
        token: str = "EAAG-test-token",
        phone_id: str = "106540352242922",
        app_secret: str = "test-app-secret-0123456789",
        version: str = "v21.0",
        clock: Callable[[], datetime] | None = None,
        enforce_window: bool = True,
        messages_per_s: int | None = None,
    ) -> None:
        self.token, self.phone_id, self.app_secret, self.version = (
            token,
            phone_id,
            app_secret,
            version,
        )
        self.clock = clock or (lambda: datetime.now(UTC))
        self.enforce_window = enforce_window
        self.calls: list[dict[str, Any]] = []  # every request body, accepted or not
        self.sent: list[Sent] = []
        self.read: list[str] = []
        self.rejected: list[tuple[int, str]] = []  # (code, details) of refused sends
        self.last_inbound: dict[str, datetime] = {}
        self._failures: list[_Failure] = []
        self.messages_per_s = messages_per_s
        self.too_many = 0  # sends refused for throughput
        self._recent: deque[float] = deque()  # accepted messages in the last second
        self._ids = itertools.count(1)
        # Called with each message accepted, before the response: a test can make something
        # fail right then (a database cut after a turn committed and started sending).
        self.on_accepted: Callable[[Sent], Awaitable[None]] | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- server -------------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application(client_max_size=10 << 20)
        app.router.add_post("/{version}/{phone_id}/messages", self._messages)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = bound_port(site)
        return self.api_base

    @property
    def api_base(self) -> str:
        """What QAMQOR_WHATSAPP_API_BASE is set to (the version included)."""
        return f"http://127.0.0.1:{self.port}/{self.version}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def fail_next(
        self,
        status: int = 429,
        *,
        times: int = 1,
        code: int | None = None,
        retry_after: int | None = None,
    ) -> None:
        default = 130429 if status == 429 else 131000
        self._failures.append(_Failure(status, code or default, times, retry_after))

    async def _messages(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return _graph_error(GraphAPIError(401, 190, "Invalid OAuth access token"))
        if request.match_info["version"] != self.version:
            return _graph_error(GraphAPIError(400, 2500, "Unknown path components"))
        if request.match_info["phone_id"] != self.phone_id:
            return _graph_error(GraphAPIError(400, 100, "Unsupported post request"))
        try:
            body = await request.json()
        except ValueError:
            return _graph_error(GraphAPIError(400, 100, "Invalid JSON"))
        self.calls.append(body)
        for f in self._failures:
            if f.remaining > 0:
                f.remaining -= 1
                headers = {"Retry-After": str(f.retry_after)} if f.retry_after else {}
                message = "Rate limit hit" if f.status == 429 else "Something went wrong"
                return _graph_error(GraphAPIError(f.status, f.code, message), headers)
        is_read = isinstance(body, dict) and body.get("status") == "read"
        if self.messages_per_s is not None and not is_read:
            now = time.monotonic()
            while self._recent and now - self._recent[0] >= 1.0:
                self._recent.popleft()
            if len(self._recent) >= self.messages_per_s:
                self.too_many += 1
                return _graph_error(
                    GraphAPIError(
                        429, 130429, "Rate limit hit", "Cloud API message throughput reached"
                    )
                )
            self._recent.append(now)
        try:
            accepted = self._accept(body)
        except GraphAPIError as exc:
            self.rejected.append((exc.code, exc.details))
            return _graph_error(exc)
        if self.on_accepted is not None and not is_read:
            await self.on_accepted(self.sent[-1])
        return web.json_response(accepted)

    def _accept(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict) or body.get("messaging_product") != "whatsapp":
            raise GraphAPIError(400, 100, "Invalid parameter", "messaging_product is required")
        if body.get("status") == "read":
            if not body.get("message_id"):
                raise GraphAPIError(400, 100, "Invalid parameter", "message_id is required")
            self.read.append(str(body["message_id"]))
            return {"success": True}
        to = body.get("to")
        if not isinstance(to, str) or not to.strip("+").isdigit():
            raise GraphAPIError(400, 100, "Invalid parameter", "to must be a phone number")
        kind = body.get("type", "text")
        if kind == "text":
            _check_text(_get(body, "text", "body"), 4096, "text.body")
        elif kind == "interactive":
            _check_interactive(body.get("interactive"))
        elif kind == "template":
            tpl = body.get("template") or {}
            if not tpl.get("name") or not (tpl.get("language") or {}).get("code"):
                raise GraphAPIError(400, 100, "Invalid parameter", "template name and language")
        else:
            raise GraphAPIError(400, 100, "Invalid parameter", f"unsupported type {kind}")
        if self.enforce_window and kind != "template":
            last = self.last_inbound.get(to)
            if last is None or self.clock() - last > WINDOW:
                raise GraphAPIError(
                    400,
                    131047,
                    "Re-engagement message",
                    "more than 24 hours have passed since the recipient last replied",
                )
        wamid = self._wamid(to)
        self.sent.append(Sent(to, body, wamid))
        message: dict[str, Any] = {"id": wamid}
        if kind == "template":
            message["message_status"] = "accepted"
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [message],
        }

    def _wamid(self, wa_id: str) -> str:
        # Real wamids embed the number in base64, which is why the bot keeps only hashes.
        raw = f"\x18\x0b{wa_id}\x15\x02\x00\x12\x18\x14{next(self._ids):020d}"
        return "wamid." + base64.b64encode(raw.encode()).decode()

    # -- inspecting ---------------------------------------------------------------------

    def to(self, wa_id: str) -> list[Sent]:
        return [s for s in self.sent if s.to == wa_id]

    # -- webhook payloads (shaped as in Meta's documentation) ---------------------------

    def envelope(self, *values: dict[str, Any]) -> dict[str, Any]:
        return {
            "object": "whatsapp_business_account",
            "entry": [
                {"id": WABA_ID, "changes": [{"value": value, "field": "messages"}]}
                for value in values
            ],
        }

    def value(self, **content: Any) -> dict[str, Any]:
        return {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": DISPLAY_NUMBER, "phone_number_id": self.phone_id},
            **content,
        }

    def message(
        self, wa_id: str, kind: str, content: dict[str, Any] | None = None, **extra: Any
    ) -> dict[str, Any]:
        """A webhook carrying one message of `kind` from `wa_id` (its window opens)."""
        at = self.clock()
        if kind != "system":
            self.last_inbound[wa_id] = at
        msg: dict[str, Any] = {
            "from": wa_id,
            "id": self._wamid(wa_id),
            "timestamp": str(int(at.timestamp())),
            "type": kind,
            **extra,
        }
        if content is not None:
            msg[kind] = content
        contacts = [{"profile": {"name": "Anon"}, "wa_id": wa_id}]
        return self.envelope(self.value(contacts=contacts, messages=[msg]))

    def text(self, wa_id: str, body: str) -> dict[str, Any]:
        return self.message(wa_id, "text", {"body": body})

    def button_reply(self, wa_id: str, button_id: str, title: str) -> dict[str, Any]:
        content = {"type": "button_reply", "button_reply": {"id": button_id, "title": title}}
        return self.message(wa_id, "interactive", content, context=self._context(wa_id))

    def list_reply(
        self, wa_id: str, row_id: str, title: str, description: str | None = None
    ) -> dict[str, Any]:
        row = {"id": row_id, "title": title}
        if description:
            row["description"] = description
        content = {"type": "list_reply", "list_reply": row}
        return self.message(wa_id, "interactive", content, context=self._context(wa_id))

    def template_button(self, wa_id: str, text: str, payload: str) -> dict[str, Any]:
        return self.message(wa_id, "button", {"text": text, "payload": payload})

    def image(self, wa_id: str, caption: str | None = None) -> dict[str, Any]:
        content = {"mime_type": "image/jpeg", "sha256": "x" * 44, "id": "1003383421387256"}
        if caption:
            content["caption"] = caption
        return self.message(wa_id, "image", content)

    def audio(self, wa_id: str) -> dict[str, Any]:
        content = {
            "mime_type": "audio/ogg; codecs=opus",
            "sha256": "y" * 44,
            "id": "1003383421387257",
            "voice": True,
        }
        return self.message(wa_id, "audio", content)

    def location(
        self, wa_id: str, latitude: float = 43.238949, longitude: float = 76.889709
    ) -> dict[str, Any]:
        """A shared location (by default a point in Almaty)."""
        content = {"latitude": latitude, "longitude": longitude, "name": "Алматы"}
        return self.message(wa_id, "location", content)

    def reaction(self, wa_id: str, message_id: str, emoji: str = "👍") -> dict[str, Any]:
        return self.message(wa_id, "reaction", {"message_id": message_id, "emoji": emoji})

    def unsupported(self, wa_id: str) -> dict[str, Any]:
        error = {
            "code": 131051,
            "title": "Message type unknown",
            "message": "Message type unknown",
            "error_data": {"details": "Message type is currently not supported."},
        }
        return self.message(wa_id, "unsupported", None, errors=[error])

    def status(
        self, wamid: str, status: str, recipient: str, error_code: int | None = None
    ) -> dict[str, Any]:
        st: dict[str, Any] = {
            "id": wamid,
            "status": status,
            "timestamp": str(int(self.clock().timestamp())),
            "recipient_id": recipient,
        }
        if status in ("sent", "delivered"):
            st["conversation"] = {"id": "c" * 32, "origin": {"type": "service"}}
            st["pricing"] = {"billable": True, "pricing_model": "CBP", "category": "service"}
        if error_code is not None:
            st["errors"] = [{"code": error_code, "title": "Message undeliverable"}]
        return self.envelope(self.value(statuses=[st]))

    def errors(self, code: int = 131000, title: str = "Something went wrong") -> dict[str, Any]:
        return self.envelope(self.value(errors=[{"code": code, "title": title}]))

    def _context(self, wa_id: str) -> dict[str, str]:
        mine = self.to(wa_id)
        return {"from": DISPLAY_NUMBER, "id": mine[-1].wamid if mine else "wamid.none"}

    # -- posting them -------------------------------------------------------------------

    def sign(self, raw: bytes, secret: str | None = None) -> str:
        key = (secret if secret is not None else self.app_secret).encode()
        return "sha256=" + hmac.new(key, raw, hashlib.sha256).hexdigest()

    async def post_webhook(
        self,
        url: str,
        payload: dict[str, Any] | bytes,
        *,
        signature: str | None = "",
        tamper: Callable[[bytes], bytes] | None = None,
    ) -> tuple[int, str]:
        """POST as Meta does. signature="" signs correctly, None sends no signature header;
        `tamper` changes the body after signing."""
        raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["X-Hub-Signature-256"] = signature or self.sign(raw)
        if tamper is not None:
            raw = tamper(raw)
        async with ClientSession() as http, http.post(url, data=raw, headers=headers) as resp:
            return resp.status, await resp.text()


def _graph_error(exc: GraphAPIError, headers: dict[str, str] | None = None) -> web.Response:
    error: dict[str, Any] = {
        "message": f"(#{exc.code}) {exc.message}",
        "type": "OAuthException",
        "code": exc.code,
        "fbtrace_id": "AbCdEfGhIjK",
    }
    if exc.details:
        error["error_data"] = {"messaging_product": "whatsapp", "details": exc.details}
    return web.json_response({"error": error}, status=exc.status, headers=headers)


def _get(d: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(d, dict):
            return None
        d = d.get(key)
    return d


def _check_text(value: Any, limit: int, what: str, *, required: bool = True) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str) or not value.strip():
        raise GraphAPIError(400, 100, "Invalid parameter", f"{what} is required")
    if len(value) > limit:
        raise GraphAPIError(
            400, 131009, "Parameter value is not valid", f"{what} is longer than {limit}"
        )


def _check_interactive(inter: Any) -> None:
    if not isinstance(inter, dict):
        raise GraphAPIError(400, 100, "Invalid parameter", "interactive is required")
    _check_text(_get(inter, "body", "text"), 1024, "interactive.body.text")
    _check_text(_get(inter, "header", "text"), 60, "header.text", required=False)
    _check_text(_get(inter, "footer", "text"), 60, "footer.text", required=False)
    action = inter.get("action") or {}
    if inter.get("type") == "button":
        buttons = action.get("buttons")
        if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
            raise GraphAPIError(400, 131009, "Parameter value is not valid", "1 to 3 buttons")
        ids, titles = set(), set()
        for b in buttons:
            if b.get("type") != "reply":
                raise GraphAPIError(400, 100, "Invalid parameter", "button type must be reply")
            _check_text(_get(b, "reply", "id"), 256, "button id")
            _check_text(_get(b, "reply", "title"), 20, "button title")
            ids.add(b["reply"]["id"])
            titles.add(b["reply"]["title"])
        if len(ids) != len(buttons) or len(titles) != len(buttons):
            raise GraphAPIError(400, 131009, "Parameter value is not valid", "duplicate buttons")
    elif inter.get("type") == "list":
        _check_text(action.get("button"), 20, "action.button")
        sections = action.get("sections")
        if not isinstance(sections, list) or not 1 <= len(sections) <= 10:
            raise GraphAPIError(400, 131009, "Parameter value is not valid", "1 to 10 sections")
        rows = [r for s in sections for r in (s.get("rows") or [])]
        if not 1 <= len(rows) <= 10:
            raise GraphAPIError(400, 131009, "Parameter value is not valid", "1 to 10 rows")
        for s in sections:
            _check_text(s.get("title"), 24, "section title", required=False)
            if len(sections) > 1 and not s.get("title"):
                raise GraphAPIError(400, 100, "Invalid parameter", "section title is required")
            if not s.get("rows"):
                raise GraphAPIError(400, 100, "Invalid parameter", "a section needs rows")
        for r in rows:
            _check_text(r.get("id"), 200, "row id")
            _check_text(r.get("title"), 24, "row title")
            _check_text(r.get("description"), 72, "row description", required=False)
        if len({r["id"] for r in rows}) != len(rows):
            raise GraphAPIError(400, 131009, "Parameter value is not valid", "duplicate row ids")
    else:
        raise GraphAPIError(400, 100, "Invalid parameter", "interactive type")
