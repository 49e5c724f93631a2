"""When the bot cannot answer (storage down, a turn given up): the phone lines, at once.

One bilingual message (text `unavailable`: 102, 112 and line 150) sent straight through the
platform's API, bypassing the database, at most once a minute per chat, so that a person in
danger is never left without the numbers while the bot retries their message later. Every
channel with an inbox uses it (Telegram, WhatsApp)."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Hashable

from sqlalchemy.exc import SQLAlchemyError

from delivery.sendscope import URGENT, sending

log = logging.getLogger(__name__)

# What "storage is failing" looks like from a turn or a webhook.
STORAGE_ERRORS = (SQLAlchemyError, OSError, TimeoutError, ConnectionError)


class PhoneLines:
    def __init__(
        self,
        send: Callable[[Hashable, str], Awaitable[object]],
        text: str,
        every_s: float = 60.0,
    ) -> None:
        self._send = send
        self.text = text
        self._every_s = every_s
        self._last: dict[Hashable, float] = {}

    async def send(self, chat: Hashable) -> bool:
        """True when sent now (not within a minute of the last one, and the API took it)."""
        now = time.monotonic()
        if now - self._last.get(chat, -self._every_s) < self._every_s:
            return False
        self._last[chat] = now
        if len(self._last) > 10_000:  # forget old chats rather than grow without bound
            self._last = {k: v for k, v in self._last.items() if now - v < self._every_s}
        try:
            with sending(URGENT):
                await self._send(chat, self.text)
        except Exception:
            log.exception("the phone-lines fallback could not be sent")
            return False
        return True
