"""The aiogram Bot, pointed at a configurable Bot API server (Telegram, self-hosted, a fake)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.settings import Settings


def make_bot(settings: Settings) -> Bot:
    assert settings.telegram_token is not None
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
    # No default parse mode: texts are plain, so nothing a person types can inject markup.
    return Bot(settings.telegram_token.get_secret_value(), session=session)
