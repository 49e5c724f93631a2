"""The person's side: private chats. Turns updates into Inbound and hands them on."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from aiogram import F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, Message

from bot.channels.telegram.location import REGION_FIELD
from core.messages import Inbound

if TYPE_CHECKING:
    from bot.channels.telegram.channel import TelegramChannel

CHANNEL = "telegram"


def _unsupported_kind(message: Message) -> str:
    for kind in (
        "sticker",
        "voice",
        "audio",
        "video",
        "video_note",
        "photo",
        "document",
        "location",
        "contact",
        "animation",
        "poll",
        "dice",
    ):
        if getattr(message, kind, None):
            return kind
    return "other"


def make_router(channel: TelegramChannel) -> Router:
    router = Router(name=__name__)
    router.message.filter(F.chat.type == "private")
    router.callback_query.filter(F.message.chat.type == "private")

    @router.message()
    async def on_message(message: Message) -> None:
        if message.from_user is None or message.from_user.is_bot:
            return
        text = message.text or message.caption
        # A shared location arrives as its region only (bot/channels/telegram/location.py).
        located = (message.model_extra or {}).get(REGION_FIELD)
        inbound = Inbound(
            channel=CHANNEL,
            user_ref=str(message.from_user.id),
            address=str(message.chat.id),
            at=channel.clock.now(),
            text=text,
            message_id=str(message.message_id),
            lang_hint=message.from_user.language_code,
            unsupported=None if text or located is not None else _unsupported_kind(message),
            located=isinstance(located, str),
            region=located or None if isinstance(located, str) else None,
            reply_to=(
                str(message.reply_to_message.message_id) if message.reply_to_message else None
            ),
        )
        await channel.handle(inbound, message.chat.id)

    @router.callback_query()
    async def on_button(query: CallbackQuery) -> None:
        # Only stops the button's spinner: a press re-run after a crash may find the query
        # expired, and that must not lose the press.
        with contextlib.suppress(TelegramAPIError):
            await query.answer()
        if query.message is None or query.data is None:
            return
        chat_id = query.message.chat.id
        inbound = Inbound(
            channel=CHANNEL,
            user_ref=str(query.from_user.id),
            address=str(chat_id),
            at=channel.clock.now(),
            payload=query.data,
            lang_hint=query.from_user.language_code,
        )
        await channel.handle(inbound, chat_id)

    return router
