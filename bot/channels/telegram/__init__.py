"""The Telegram channel (aiogram). aiogram is imported through `lean` first: its Telegram
types are then built on first use rather than all at import (see bot/channels/telegram/lean.py)."""

from bot.channels.telegram.lean import import_aiogram

import_aiogram()
