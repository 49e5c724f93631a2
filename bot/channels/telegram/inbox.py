"""Telegram on the shared inbox (bot/inbox/runner.py), in webhook and polling mode alike.

What Telegram supplies to the runner: who an update is from and its words (read defensively
from the stored JSON), how to run it (aiogram parses the update and its routers build the
`Inbound`: bot/channels/telegram/routers/person.py), how a reply becomes Bot API messages and
how one is sent. The one window left: Telegram accepted a message and the process died before
its outbox row was marked sent (the Bot API has no idempotency key); that one message is then
sent again. See docs/reliability.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiogram.types import Update

from bot.channels.telegram.render import chunks, keyboard
from core.messages import Reply

if TYPE_CHECKING:
    from bot.channels.telegram.channel import TelegramChannel

CHANNEL = "telegram"
REPLY = f"{CHANNEL}.reply"  # outbox kind and tag of a turn's replies (bot/inbox/runner.py)


def chat_of(update: Any) -> int | None:
    """The chat an update came from, read defensively from the raw JSON."""
    if not isinstance(update, dict):
        return None
    for key in ("message", "edited_message", "callback_query"):
        body = update.get(key)
        if isinstance(body, dict):
            message = body.get("message", body) if key == "callback_query" else body
            chat = message.get("chat") if isinstance(message, dict) else None
            if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                return int(chat["id"])
            sender = body.get("from")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int):
                return int(sender["id"])
    return None


def words_of(update: Any) -> tuple[str | None, str | None]:
    """The words (or caption) or the button data of an update, read defensively from the raw
    JSON, as the person router reads them."""
    if not isinstance(update, dict):
        return None, None
    query = update.get("callback_query")
    if isinstance(query, dict):
        data = query.get("data")
        return None, data if isinstance(data, str) else ""
    message = update.get("message")
    if not isinstance(message, dict):
        return None, None
    text = message.get("text") or message.get("caption")
    return (text if isinstance(text, str) else None), None


def render(chat: str, reply: Reply) -> list[dict[str, Any]]:
    """A reply as Bot API messages: long texts in chunks, the keyboard on the last one."""
    parts = chunks(reply.text)
    out: list[dict[str, Any]] = []
    for i, part in enumerate(parts):
        markup = keyboard(reply) if i == len(parts) - 1 else None
        payload: dict[str, Any] = {"chat": int(chat), "text": part}
        if markup is not None:
            payload["markup"] = markup.model_dump(mode="json", exclude_none=True)
        out.append(payload)
    return out


class TelegramAdapter:
    name = CHANNEL

    def __init__(self, channel: TelegramChannel) -> None:
        self._channel = channel

    def chat_of(self, payload: dict[str, Any] | None) -> str | None:
        chat = chat_of(payload)
        return str(chat) if chat is not None else None

    def words_of(self, payload: dict[str, Any] | None) -> tuple[str | None, str | None]:
        return words_of(payload)

    async def run(self, payload: dict[str, Any]) -> None:
        # aiogram parses the update; the person's router calls `Runner.turn`.
        ch = self._channel
        update = Update.model_validate(payload, context={"bot": ch.bot})
        await ch.dispatcher.feed_update(ch.bot, update)

    async def fallback(self, payload: dict[str, Any] | None) -> None:
        chat = chat_of(payload)
        if chat is not None and chat > 0:  # a person's private chat, never a group
            await self._channel.fallback.send(chat)

    def render(self, chat: str, reply: Reply) -> list[dict[str, Any]]:
        return render(chat, reply)

    async def send(self, payload: dict[str, Any], timeout_s: float) -> list[str]:
        markup = payload.get("markup")
        message_id = await self._channel.sender.send(
            int(payload["chat"]),
            str(payload["text"]),
            markup if isinstance(markup, dict) else None,
            timeout_s=timeout_s,
        )
        return [str(message_id)]
