"""The Telegram channel: dispatcher, polling or webhook, delivery and erasing.

Both modes store each update in the shared inbox before acknowledging it, and send replies
through the outbox (bot/inbox/runner.py, docs/reliability.md): the webhook answers 200 once
the update is stored; polling stores each update before the next getUpdates moves the offset
past it (updates are fed one at a time, not as tasks)."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.exceptions import TelegramAPIError
from aiogram.types import TelegramObject, Update
from aiohttp import web

from bot.app import App
from bot.channels.telegram.client import SendGate, make_bot
from bot.channels.telegram.groups import TelegramGroups
from bot.channels.telegram.inbox import TelegramAdapter, chat_of
from bot.channels.telegram.lean import warm_up
from bot.channels.telegram.location import drop_location
from bot.channels.telegram.render import chunks, keyboard
from bot.channels.telegram.routers import consultants, person
from bot.channels.telegram.sender import MessageSender
from bot.fallback import STORAGE_ERRORS, PhoneLines
from bot.inbox.runner import Runner, current_turn
from bot.pipeline import ErasureReport
from core.messages import Inbound, Reply
from core.notify import Purpose
from delivery.sendscope import URGENT, sending
from staffweb.body import TooLarge, loads, read_body

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1 << 20
KEEP_DONE = timedelta(days=2)  # Telegram redelivers for up to 24 hours


class _TelegramOps:
    def __init__(self, bot: Bot, chat_id: int) -> None:
        self._bot = bot
        self._chat_id = chat_id

    async def erase(self, message_ids: Sequence[str]) -> ErasureReport:
        ids = sorted({int(m) for m in message_ids if m.isdigit()})
        deleted = failed = 0
        for i in range(0, len(ids), 100):  # deleteMessages takes at most 100 ids
            batch = ids[i : i + 100]
            try:
                await self._bot.delete_messages(self._chat_id, batch)
                deleted += len(batch)
            except TelegramAPIError:
                # The batch failed as a whole: try one by one to delete what still can be.
                for mid in batch:
                    try:
                        await self._bot.delete_message(self._chat_id, mid)
                        deleted += 1
                    except TelegramAPIError:
                        failed += 1
        return ErasureReport(deleted=deleted, failed=failed)


class TelegramChannel:
    def __init__(self, app: App, bot: Bot | None = None) -> None:
        self.app = app
        self.clock = app.clock
        self.bot = bot or make_bot(app.settings)
        self.sender = MessageSender(app.settings.telegram_api_base, self.bot.token)
        warm_up()  # the types a turn uses, built now rather than on someone's first message
        if app.send_budgets is not None:  # every message takes a token of the send budget
            self.bot.session.middleware(SendGate(app.send_budgets.telegram))
            self.sender.budget = app.send_budgets.telegram
        # No aiogram FSM: the conversation state is ours (storage/state.py); its middleware
        # would only cost a context object per update.
        self.dispatcher = Dispatcher(disable_fsm=True)
        self.inbox = Runner.for_app(TelegramAdapter(self), app, KEEP_DONE)
        if app.settings.telegram_mode == "polling":
            self.dispatcher.update.outer_middleware(_StoreFirst(self))
        desk = app.desk
        texts = app.conversations.engine.texts
        if desk is not None and desk.links is not None and desk.topics.enabled:
            # A colleague's `/link CODE` in a private chat, before it could become a turn.
            self.dispatcher.include_router(consultants.make_link_router(desk, desk.links, texts))
        self.dispatcher.include_router(person.make_router(self))
        if desk is not None and desk.links is not None and desk.topics.enabled:
            # The consultants' groups: a router of its own, filtered by the group ids.
            self.dispatcher.include_router(
                consultants.make_router(desk, desk.topics.groups, desk.links, texts)
            )
            desk.topics.serve(TelegramGroups(self.bot))
        app.notifier.register("telegram", self._send)
        self.fallback = PhoneLines(
            lambda chat, text: self.bot.send_message(int(str(chat)), text),
            app.conversations.engine.texts.get("ru", "unavailable"),
        )
        secret = app.settings.webhook_secret
        self._secret = secret.get_secret_value().encode() if secret else b""

    async def handle(self, inbound: Inbound, chat_id: int) -> None:
        """A person's turn (the person router), within the inbox's processing of the update."""
        await self.inbox.turn(inbound, str(chat_id), _TelegramOps(self.bot, chat_id))

    async def accept(self, data: dict[str, Any]) -> bool:
        """Store an update in the inbox (raises on storage errors); False: seen before."""
        drop_location(data)  # before anything stores or reads it
        update_id = int(data["update_id"])
        return await self.inbox.accept(str(update_id), update_id, data)

    async def _send_replies(self, chat_id: int, replies: Sequence[Reply]) -> list[str]:
        sent: list[str] = []
        for reply in replies:
            parts = chunks(reply.text)
            for i, part in enumerate(parts):
                markup = keyboard(reply) if i == len(parts) - 1 else None
                with sending(URGENT if reply.urgent else 0):
                    message = await self.bot.send_message(chat_id, part, reply_markup=markup)
                sent.append(str(message.message_id))
        return sent

    async def _send(self, address: str, replies: Sequence[Reply], purpose: Purpose) -> list[str]:
        return await self._send_replies(int(address), replies)

    # -- running ------------------------------------------------------------------------

    async def start_polling(self) -> None:
        await self.bot.delete_webhook(drop_pending_updates=False)
        self.inbox.start()  # what a previous run left in the inbox
        # One update at a time: each is stored before the next getUpdates acknowledges it.
        await self.dispatcher.start_polling(
            self.bot, handle_signals=False, close_bot_session=False, handle_as_tasks=False
        )

    async def stop_polling(self) -> None:
        if self.dispatcher._running_lock.locked():
            await self.dispatcher.stop_polling()

    async def register_webhook(self) -> None:
        self.inbox.start()  # what a previous run left in the inbox
        url = self.app.settings.webhook_url
        if url:
            await self.bot.set_webhook(
                url.rstrip("/") + "/telegram/webhook",
                secret_token=self._secret.decode(),
                allowed_updates=["message", "callback_query"],
            )

    async def on_webhook(self, request: web.Request) -> web.Response:
        """Checks the secret before reading the body; a bad request is never processed."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not self._secret or not hmac.compare_digest(given, self._secret):
            return web.json_response({"ok": False, "error": "unauthorized"}, status=401)
        try:
            raw = await read_body(request, MAX_UPDATE_BYTES)
        except TooLarge:
            return web.json_response({"ok": False, "error": "too large"}, status=413)
        try:
            # Depth, id ranges and surrogates checked before aiogram (or storage) sees it.
            data = loads(raw)
            Update.model_validate(data, context={"bot": self.bot})
        except ValueError:
            return web.json_response({"ok": False, "error": "malformed update"}, status=400)
        if not isinstance(data, dict) or self.app.settings.telegram_mode != "webhook":
            return web.json_response({"ok": False, "error": "malformed update"}, status=400)
        try:
            # Stored and committed before the 200: an acknowledged update is never lost.
            await self.accept(data)
        except STORAGE_ERRORS:
            log.exception("update not stored; answered with the phone lines and 503")
            chat_id = chat_of(data)
            if chat_id is not None and chat_id > 0:  # a person, never a consultants' group
                await self.fallback.send(chat_id)
            return web.json_response({"ok": False, "error": "storage unavailable"}, status=503)
        return web.json_response({"ok": True})

    async def close(self) -> None:
        await self.inbox.close()
        await self.sender.close()
        await self.bot.session.close()


class _StoreFirst(BaseMiddleware):
    """Polling: an update fresh from getUpdates is stored in the inbox and processed from
    there, like a webhook's; the inbox's own feeding (a current turn) passes through."""

    def __init__(self, channel: TelegramChannel) -> None:
        self._channel = channel

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if current_turn() is not None or not isinstance(event, Update):
            return await handler(event, data)
        raw = event.model_dump(mode="json", exclude_none=True, by_alias=True)
        try:
            await self._channel.accept(raw)
        except STORAGE_ERRORS:
            # The offset moves on whatever we do: the person gets the phone lines at least.
            log.exception("polled update not stored; answered with the phone lines")
            await self._channel.inbox.adapter.fallback(raw)
        return None
