"""The aiogram Bot, pointed at a configurable Bot API server (Telegram, self-hosted, a fake)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.client.telegram import TelegramAPIServer
from aiogram.methods.base import TelegramType

from bot.settings import Settings
from delivery.sendrate import SendBudget

if TYPE_CHECKING:
    from aiogram.client.session.middlewares.base import NextRequestMiddlewareType
    from aiogram.methods import Response, TelegramMethod


def make_bot(settings: Settings) -> Bot:
    assert settings.telegram_token is not None
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
    # No default parse mode: texts are plain, so nothing a person types can inject markup.
    return Bot(settings.telegram_token.get_secret_value(), session=session)


def counts_as_message(method: str) -> bool:
    """Calls that post or change a message: what Telegram's ~30/s counts. Deleting (the quick
    exit), answering a button press and reading updates are not held back."""
    return (
        method.startswith(("send", "copyMessage", "forwardMessage", "editMessage"))
        and method != "sendChatAction"
    ) or method == "createForumTopic"


class SendGate(BaseRequestMiddleware):
    """Every message the Bot sends takes a token of the Telegram send budget first."""

    def __init__(self, budget: SendBudget) -> None:
        self.budget = budget

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if counts_as_message(method.__api_method__):
            chat = getattr(method, "chat_id", None)
            await self.budget.acquire(chat if isinstance(chat, int) else None)
        return await make_request(bot, method)
