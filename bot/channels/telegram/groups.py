"""The consultants' groups through the Bot API: `handoff.topics.GroupApi` for aiogram."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters

from bot.channels.telegram.errors import as_delivery_error


def _markup(buttons: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    rows = [
        [InlineKeyboardButton(text=label, callback_data=data) for label, data in row]
        for row in buttons
        if row
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


class TelegramGroups:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def create_topic(self, chat: int, name: str) -> int:
        try:
            topic = await self._bot.create_forum_topic(chat, name or "case")
        except Exception as exc:
            raise as_delivery_error(exc) from exc
        return topic.message_thread_id

    async def send(
        self,
        chat: int,
        thread: int | None,
        text: str,
        buttons: Sequence[Sequence[tuple[str, str]]],
        reply_to: int | None,
    ) -> int:
        reply = (
            ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
            if reply_to
            else None
        )
        try:
            message = await self._bot.send_message(
                chat,
                text,
                message_thread_id=thread,
                reply_markup=_markup(buttons),
                reply_parameters=reply,
            )
        except Exception as exc:
            raise as_delivery_error(exc) from exc
        return message.message_id

    async def set_buttons(
        self, chat: int, message_id: int, buttons: Sequence[Sequence[tuple[str, str]]]
    ) -> None:
        try:
            await self._bot.edit_message_reply_markup(
                chat_id=chat, message_id=message_id, reply_markup=_markup(buttons)
            )
        except TelegramBadRequest as exc:
            if "not modified" in str(exc):
                return
            raise as_delivery_error(exc) from exc
        except Exception as exc:
            raise as_delivery_error(exc) from exc

    async def close_topic(self, chat: int, thread: int) -> None:
        try:
            await self._bot.close_forum_topic(chat, thread)
        except Exception as exc:
            raise as_delivery_error(exc) from exc

    async def reopen_topic(self, chat: int, thread: int) -> None:
        try:
            await self._bot.reopen_forum_topic(chat, thread)
        except Exception as exc:
            raise as_delivery_error(exc) from exc

    async def delete(self, chat: int, message_id: int) -> bool:
        try:
            await self._bot.delete_message(chat, message_id)
        except TelegramBadRequest:
            return False  # older than 48 hours, or gone already
        except Exception as exc:
            raise as_delivery_error(exc) from exc
        return True

    async def blank(self, chat: int, message_id: int, text: str) -> bool:
        try:
            await self._bot.edit_message_text(
                text=text, chat_id=chat, message_id=message_id, reply_markup=None
            )
        except TelegramBadRequest:
            return False  # not the bot's own message, or gone
        except Exception as exc:
            raise as_delivery_error(exc) from exc
        return True
