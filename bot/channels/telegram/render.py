"""Replies to Bot API calls: plain text, inline keyboards, and the Bot API's size limits."""

from __future__ import annotations

import logging

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from core.messages import Reply

log = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_CALLBACK_BYTES = 64


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    rows = []
    for row in reply.buttons:
        buttons = []
        for b in row:
            if len(b.payload.encode()) > MAX_CALLBACK_BYTES:
                log.error("button payload over 64 bytes dropped: %s", b.payload[:20])
                continue
            buttons.append(InlineKeyboardButton(text=b.label, callback_data=b.payload))
        if buttons:
            rows.append(buttons)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def chunks(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split a long text at paragraph or line boundaries, never mid-word when avoidable."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = max(
            rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit)
        )
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts
