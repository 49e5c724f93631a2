"""A small fake Telegram Bot API server over real HTTP.

It keeps each chat's messages, hands out updates through getUpdates (long polling) or posts
them to a webhook, records every call, and can be told to fail the next calls (429 / 5xx).
Only what Qamqor uses is implemented, shaped as the Bot API documents it.

With `limits` set (off by default) it also enforces Telegram's flood limits on the calls that
post or change messages, answering 429 with `parameters.retry_after` as Telegram does: about
30 a second overall, about one a second per private chat (a short burst allowed), 20 a minute
per group. It counts the 429s it gave (`too_many`) and when each accepted message came in.
Like Telegram, it refuses to delete a message older than 48 hours (`age` moves its clock).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, web

DELETABLE_S = 48 * 3600  # Telegram lets a bot delete a message for 48 hours
BOT_USER = {"id": 7000000001, "is_bot": True, "first_name": "Qamqor", "username": "qamqor_test_bot"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


@dataclass
class _Failure:
    method: str | None
    status: int
    retry_after: int | None
    remaining: int


@dataclass(frozen=True)
class TelegramLimits:
    overall_per_s: int = 30  # in any one-second window
    chat_per_s: float = 1.0  # per private chat, sustained...
    chat_burst: int = 3  # ...after a burst of this many
    group_per_minute: int = 20  # per group, in any sixty-second window


def counts_as_message(method: str) -> bool:
    """What Telegram's limits count: calls that post or change a message."""
    return (
        method.startswith(("send", "copyMessage", "forwardMessage", "editMessage"))
        and method != "sendChatAction"
    ) or method == "createForumTopic"


class Flood:
    """Telegram's limits as the fake enforces them; the reason and retry_after of a refusal."""

    def __init__(self, limits: TelegramLimits) -> None:
        self.limits = limits
        self.overall: deque[float] = deque()
        self.chats: dict[int, tuple[float, float]] = {}  # chat -> (tokens, at)
        self.groups: dict[int, deque[float]] = defaultdict(deque)

    def check(self, chat: int | None, now: float) -> tuple[str, int] | None:
        lim = self.limits
        while self.overall and now - self.overall[0] >= 1.0:
            self.overall.popleft()
        if len(self.overall) >= lim.overall_per_s:
            return "overall", 1
        tokens = 0.0
        if chat is not None and chat > 0:
            tokens, at = self.chats.get(chat, (float(lim.chat_burst), now))
            tokens = min(float(lim.chat_burst), tokens + (now - at) * lim.chat_per_s)
            if tokens < 1.0:
                self.chats[chat] = (tokens, now)
                return "chat", max(1, math.ceil((1.0 - tokens) / lim.chat_per_s))
        elif chat is not None:
            window = self.groups[chat]
            while window and now - window[0] >= 60.0:
                window.popleft()
            if len(window) >= lim.group_per_minute:
                return "group", max(1, math.ceil(60.0 - (now - window[0])))
            window.append(now)
        if chat is not None and chat > 0:
            self.chats[chat] = (tokens - 1.0, now)
        self.overall.append(now)
        return None


class FakeBotAPI:
    def __init__(
        self, token: str = "123456:TEST-TOKEN", limits: TelegramLimits | None = None
    ) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        # chat id -> message id -> message; deleted messages are removed
        self.chats: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
        self.webhook: dict[str, Any] | None = None
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._thread_ids = itertools.count(100)
        # Consultants' supergroups: chat id -> thread id -> {"name", "closed"}
        self.topics: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
        self.callback_answers: dict[str, str] = {}  # what a pressed button was answered
        self.not_forums: set[int] = set()  # groups where topics are off
        self._new_update = asyncio.Event()
        self._new_call = asyncio.Event()
        self._failures: list[_Failure] = []
        self.too_many: Counter[str] = Counter()  # 429s given for the limits, by which one
        self.attempted_at: list[float] = []  # when each message call came in (limits on)...
        self.accepted_at: list[float] = []  # ...and each one accepted
        self.enforce(limits)
        self._runner: web.AppRunner | None = None
        self.port = 0
        # Seconds added to the wall clock: `age(49 * 3600)` makes every message so far too old
        # to delete, as Telegram would find it two days later.
        self.skew = 0.0

    def now(self) -> float:
        return time.time() + self.skew

    def age(self, seconds: float) -> None:
        self.skew += seconds

    def enforce(self, limits: TelegramLimits | None) -> None:
        """Turn Telegram's flood limits on (or off with None)."""
        self.limits = limits
        self._flood = Flood(limits) if limits is not None else None

    # -- server -------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application(client_max_size=50 << 20)
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = bound_port(site)
        return self.base_url

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        self._new_update.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _dispatch(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await _params(request)
        self.calls.append(Call(method, params))
        self._new_call.set()
        self._new_call = asyncio.Event()
        failure = self._take_failure(method)
        if failure is not None:
            extra = (
                {"parameters": {"retry_after": failure.retry_after}} if failure.retry_after else {}
            )
            desc = (
                "Too Many Requests: retry later"
                if failure.status == 429
                else "Internal Server Error"
            )
            return _error(failure.status, desc, **extra)
        if self._flood is not None and counts_as_message(method):
            now = time.monotonic()
            self.attempted_at.append(now)
            refused = self._flood.check(_chat_id(params), now)
            if refused is not None:
                reason, retry_after = refused
                self.too_many[reason] += 1
                return _error(
                    429,
                    f"Too Many Requests: retry after {retry_after}",
                    parameters={"retry_after": retry_after},
                )
            self.accepted_at.append(now)
        handler = getattr(self, "_m_" + method, None)
        if handler is None:
            return _ok(True)
        try:
            result = await handler(params)
        except _ApiError as exc:
            return _error(exc.status, exc.description)
        return _ok(result)

    def _take_failure(self, method: str) -> _Failure | None:
        for f in self._failures:
            if f.method in (None, method) and f.remaining > 0:
                f.remaining -= 1
                return f
        return None

    def fail_next(
        self, method: str | None, *, status: int = 429, retry_after: int | None = 1, times: int = 1
    ) -> None:
        self._failures.append(_Failure(method, status, retry_after, times))

    # -- methods ------------------------------------------------------------------------

    async def _m_getMe(self, _: dict[str, Any]) -> dict[str, Any]:
        return BOT_USER

    async def _m_getUpdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(p.get("offset") or 0)
        timeout = min(float(p.get("timeout") or 0), 1.0)
        deadline = time.monotonic() + timeout
        while True:
            pending = [u for u in self.updates if u["update_id"] >= offset]
            if pending or time.monotonic() >= deadline:
                return pending[:100]
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())

    async def _m_setWebhook(self, p: dict[str, Any]) -> bool:
        self.webhook = p
        return True

    async def _m_deleteWebhook(self, _: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    async def _m_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(p["chat_id"])
        text = str(p.get("text", ""))
        if not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise _ApiError(400, "Bad Request: message is too long")
        message_id = next(self._message_ids[chat_id])
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(self.now()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": BOT_USER,
            "text": text,
        }
        if "message_thread_id" in p:
            message["message_thread_id"] = int(p["message_thread_id"])
            message["is_topic_message"] = True
        if "reply_markup" in p:
            message["reply_markup"] = p["reply_markup"]
        reply = p.get("reply_parameters")
        if isinstance(reply, dict) and reply.get("message_id") in self.chats[chat_id]:
            message["reply_to_message"] = self.chats[chat_id][reply["message_id"]]
        self.chats[chat_id][message_id] = message
        return message

    def _too_old(self, message: dict[str, Any]) -> bool:
        return self.now() - float(message.get("date") or 0) > DELETABLE_S

    async def _m_deleteMessage(self, p: dict[str, Any]) -> bool:
        chat, mid = int(p["chat_id"]), int(p["message_id"])
        message = self.chats[chat].get(mid)
        if message is None:
            raise _ApiError(400, "Bad Request: message to delete not found")
        if self._too_old(message):
            raise _ApiError(400, "Bad Request: message can't be deleted")
        del self.chats[chat][mid]
        return True

    async def _m_editMessageText(self, p: dict[str, Any]) -> dict[str, Any]:
        message = self.chats[int(p["chat_id"])].get(int(p["message_id"]))
        if message is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        if not message["from"].get("is_bot"):
            raise _ApiError(400, "Bad Request: message can't be edited")
        text = str(p.get("text", ""))
        if not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if text == message.get("text") and p.get("reply_markup") == message.get("reply_markup"):
            raise _ApiError(400, "Bad Request: message is not modified")
        message["text"] = text
        message["edit_date"] = int(self.now())
        if p.get("reply_markup"):
            message["reply_markup"] = p["reply_markup"]
        else:
            message.pop("reply_markup", None)
        return message

    async def _m_deleteMessages(self, p: dict[str, Any]) -> bool:
        chat = int(p["chat_id"])
        ids = p["message_ids"]
        if not 1 <= len(ids) <= 100:
            raise _ApiError(400, "Bad Request: too many message identifiers")
        for mid in ids:
            message = self.chats[chat].get(int(mid))
            if message is not None and not self._too_old(message):
                del self.chats[chat][int(mid)]  # missing or too old ones are skipped
        return True

    async def _m_answerCallbackQuery(self, p: dict[str, Any]) -> bool:
        self.callback_answers[str(p.get("callback_query_id"))] = str(p.get("text") or "")
        return True

    async def _m_editMessageReplyMarkup(self, p: dict[str, Any]) -> dict[str, Any] | bool:
        msg = self.chats[int(p["chat_id"])].get(int(p["message_id"]))
        if msg is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        msg["reply_markup"] = p.get("reply_markup")
        return msg

    async def _m_createForumTopic(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = int(p["chat_id"])
        if chat in self.not_forums:
            raise _ApiError(400, "Bad Request: the chat is not a forum")
        thread = next(self._thread_ids)
        self.topics[chat][thread] = {"name": p.get("name", ""), "closed": False}
        return {"message_thread_id": thread, "name": p.get("name", ""), "icon_color": 7322096}

    async def _m_closeForumTopic(self, p: dict[str, Any]) -> bool:
        topic = self.topics[int(p["chat_id"])].get(int(p["message_thread_id"]))
        if topic is None:
            raise _ApiError(400, "Bad Request: TOPIC_ID_INVALID")
        topic["closed"] = True
        return True

    async def _m_reopenForumTopic(self, p: dict[str, Any]) -> bool:
        topic = self.topics[int(p["chat_id"])].get(int(p["message_thread_id"]))
        if topic is None:
            raise _ApiError(400, "Bad Request: TOPIC_ID_INVALID")
        topic["closed"] = False
        return True

    # -- driving the bot ----------------------------------------------------------------

    def _user(self, user_id: int, lang: str | None) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": "Anon"}
        if lang:
            user["language_code"] = lang
        return user

    def user_message(
        self, user_id: int, text: str | None = None, *, lang: str | None = "ru", **content: Any
    ) -> dict[str, Any]:
        """An update carrying a message the person sent (kept in the chat, so it can be deleted)."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids[user_id]),
            "date": int(self.now()),
            "chat": {"id": user_id, "type": "private", "first_name": "Anon"},
            "from": self._user(user_id, lang),
        }
        if text is not None:
            message["text"] = text
        message.update(content)
        self.chats[user_id][message["message_id"]] = message
        return self._push({"message": message})

    def user_location(
        self, user_id: int, latitude: float, longitude: float, *, lang: str | None = "ru"
    ) -> dict[str, Any]:
        """An update carrying a location the person shared (the paperclip's «Location»)."""
        point = {"latitude": latitude, "longitude": longitude}
        return self.user_message(user_id, lang=lang, location=point)

    def button_press(
        self, user_id: int, data: str, message_id: int | None = None, lang: str | None = "ru"
    ) -> dict[str, Any]:
        if message_id is None:
            message_id = self.last_bot_message(user_id)["message_id"]
        message = self.chats[user_id].get(message_id) or {
            "message_id": message_id,
            "date": 0,
            "chat": {"id": user_id, "type": "private"},
        }
        return self._push(
            {
                "callback_query": {
                    "id": str(next(self._update_ids) * 7919),
                    "from": self._user(user_id, lang),
                    "message": message,
                    "chat_instance": str(user_id),
                    "data": data,
                }
            }
        )

    def consultant_message(
        self,
        chat_id: int,
        thread_id: int | None,
        user_id: int,
        text: str,
        *,
        name: str = "Aigerim",
        reply_to: int | None = None,
    ) -> dict[str, Any]:
        """A consultant writes in a supergroup (in a topic when `thread_id` is given)."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids[chat_id]),
            "date": int(self.now()),
            "chat": {"id": chat_id, "type": "supergroup", "title": "150", "is_forum": True},
            "from": {"id": user_id, "is_bot": False, "first_name": name},
            "text": text,
        }
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        if reply_to is not None and reply_to in self.chats[chat_id]:
            message["reply_to_message"] = self.chats[chat_id][reply_to]
        self.chats[chat_id][message["message_id"]] = message
        return self._push({"message": message})

    def consultant_press(
        self, chat_id: int, user_id: int, data: str, message_id: int, *, name: str = "Aigerim"
    ) -> dict[str, Any]:
        """A consultant presses an inline button on a message in a supergroup."""
        message = self.chats[chat_id].get(message_id) or {
            "message_id": message_id,
            "date": 0,
            "chat": {"id": chat_id, "type": "supergroup"},
        }
        return self._push(
            {
                "callback_query": {
                    "id": str(next(self._update_ids) * 7919),
                    "from": {"id": user_id, "is_bot": False, "first_name": name},
                    "message": message,
                    "chat_instance": str(chat_id),
                    "data": data,
                }
            }
        )

    def in_topic(self, chat_id: int, thread_id: int | None) -> list[dict[str, Any]]:
        """What the bot posted in one topic (None: the general topic), oldest first."""
        return [
            p
            for p in self.sent(chat_id)
            if (int(p["message_thread_id"]) if "message_thread_id" in p else None) == thread_id
        ]

    def _push(self, body: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **body}
        self.updates.append(update)
        self._new_update.set()
        return update

    async def post_to_webhook(
        self, url: str, update: dict[str, Any], secret: str | None
    ) -> tuple[int, Any]:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        async with ClientSession() as http, http.post(url, json=update, headers=headers) as resp:
            return resp.status, await resp.text()

    # -- inspecting ---------------------------------------------------------------------

    def sent(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        return [
            c.params
            for c in self.calls
            if c.method == "sendMessage"
            and (chat_id is None or int(c.params["chat_id"]) == chat_id)
        ]

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Bot messages still present in the chat, oldest first."""
        return [m for m in self.chats[chat_id].values() if m["from"].get("is_bot")]

    def last_bot_message(self, chat_id: int) -> dict[str, Any]:
        return self.bot_messages(chat_id)[-1]

    async def wait_for(self, predicate: Any, timeout: float = 10.0) -> None:
        """Wait until predicate(self) is true (checked after every call the bot makes)."""
        deadline = time.monotonic() + timeout
        while not predicate(self):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the bot did not do what was expected in time")
            event = self._new_call
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), min(remaining, 0.2))

    async def wait_sent(
        self, chat_id: int, count: int, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        await self.wait_for(lambda api: len(api.sent(chat_id)) >= count, timeout)
        return self.sent(chat_id)


def peak_per_window(times: list[float], window: float = 1.0) -> int:
    """The most of these (sorted) moments in any `window` seconds."""
    peak, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= window:
            start += 1
        peak = max(peak, end - start + 1)
    return peak


def _chat_id(params: dict[str, Any]) -> int | None:
    try:
        return int(params["chat_id"])
    except (KeyError, TypeError, ValueError):
        return None


class _ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        self.status = status
        self.description = description


def bound_port(site: web.TCPSite) -> int:
    """The port a site bound to (for port 0)."""
    server: Any = site._server  # aiohttp exposes no public accessor
    return int(server.sockets[0].getsockname()[1])


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(status: int, description: str, **extra: Any) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": status, "description": description, **extra}, status=status
    )


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        raw: dict[str, Any] = await request.json()
    else:
        raw = dict(await request.post()) if request.can_read_body else {}
        raw.update(request.query)
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str) and value[:1] in "[{":
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        out[key] = value
    return out
