"""The Telegram channel: dispatcher, polling or webhook, delivery and erasing."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Sequence

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Update
from aiohttp import web

from bot.app import App
from bot.channels.telegram.client import make_bot
from bot.channels.telegram.dedupe import Deduplicate
from bot.channels.telegram.groups import TelegramGroups
from bot.channels.telegram.render import chunks, keyboard
from bot.channels.telegram.routers import consultants, person
from bot.pipeline import ErasureReport, Outcome
from dialogues.messages import Inbound, Reply
from dialogues.notify import Purpose

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1 << 20


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
        self.dispatcher = Dispatcher()
        self.dispatcher.update.outer_middleware(Deduplicate(app.db, app.clock))
        self.dispatcher.include_router(person.make_router(self))
        desk = app.desk
        if desk is not None and desk.topics.enabled:
            # The consultants' groups: a router of its own, filtered by the group ids.
            self.dispatcher.include_router(consultants.make_router(desk, desk.topics.groups))
            desk.topics.serve(TelegramGroups(self.bot))
        app.notifier.register("telegram", self._send)
        secret = app.settings.webhook_secret
        self._secret = secret.get_secret_value().encode() if secret else b""

    async def handle(self, inbound: Inbound, chat_id: int) -> None:
        outcome = await self.app.conversations.handle(inbound, _TelegramOps(self.bot, chat_id))
        await self.deliver(chat_id, outcome)

    async def deliver(self, chat_id: int, outcome: Outcome) -> None:
        sent = await self._send_replies(chat_id, outcome.replies)
        await self.app.conversations.record_sent(outcome.person_id, sent)

    async def _send_replies(self, chat_id: int, replies: Sequence[Reply]) -> list[str]:
        sent: list[str] = []
        for reply in replies:
            parts = chunks(reply.text)
            for i, part in enumerate(parts):
                markup = keyboard(reply) if i == len(parts) - 1 else None
                message = await self.bot.send_message(chat_id, part, reply_markup=markup)
                sent.append(str(message.message_id))
        return sent

    async def _send(self, address: str, replies: Sequence[Reply], purpose: Purpose) -> list[str]:
        return await self._send_replies(int(address), replies)

    # -- running ------------------------------------------------------------------------

    async def start_polling(self) -> None:
        await self.bot.delete_webhook(drop_pending_updates=False)
        await self.dispatcher.start_polling(self.bot, handle_signals=False, close_bot_session=False)

    async def stop_polling(self) -> None:
        if self.dispatcher._running_lock.locked():
            await self.dispatcher.stop_polling()

    async def register_webhook(self) -> None:
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
        if request.content_length is not None and request.content_length > MAX_UPDATE_BYTES:
            return web.json_response({"ok": False, "error": "too large"}, status=413)
        raw = await request.content.read(MAX_UPDATE_BYTES + 1)
        if len(raw) > MAX_UPDATE_BYTES:
            return web.json_response({"ok": False, "error": "too large"}, status=413)
        try:
            data = json.loads(raw)
            update = Update.model_validate(data, context={"bot": self.bot})
        except ValueError:
            return web.json_response({"ok": False, "error": "malformed update"}, status=400)
        await self.dispatcher.feed_update(self.bot, update)
        return web.json_response({"ok": True})

    async def close(self) -> None:
        await self.bot.session.close()
