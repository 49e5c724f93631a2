"""Is the case queue being served right now? The bot promises a consultant only when it is.

Decision (docs/handoff.md, "Honest promises"): the queue is served when a consultant acted
within the last SERVED_WINDOW — claimed, wrote, noted or closed a case, pressed a case card's
button or wrote in a case topic in the Telegram group, or had the web console's queue or a case
page open (the page polls every few seconds). The moment is kept in this process, in Redis when
configured (several processes), and, as a last resort for several processes without Redis, read
from the cases table (a claim or a close within the window).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from handoff.cases import CaseStore

log = logging.getLogger(__name__)

SERVED_WINDOW = timedelta(minutes=15)
KEY = "qamqor:handoff:consultant-seen"


class Presence:
    def __init__(
        self,
        *,
        window: timedelta = SERVED_WINDOW,
        redis: Any = None,
        cases: CaseStore | None = None,
        key: str = KEY,
    ) -> None:
        self.key = key
        self.window = window
        self.redis = redis
        self.cases = cases
        self._last: datetime | None = None

    async def seen(self, now: datetime) -> None:
        """A consultant acted now."""
        self._last = now if self._last is None else max(self._last, now)
        if self.redis is not None:
            try:
                ttl = max(1, int(self.window.total_seconds()))
                await self.redis.set(self.key, str(now.timestamp()), ex=ttl)
            except Exception:  # presence is a hint: a Redis hiccup must not break a console
                log.warning("could not note consultant presence in Redis", exc_info=True)

    async def served(self, now: datetime) -> bool:
        if self._last is not None and now - self._last < self.window:
            return True
        if self.redis is not None:
            try:
                value = await self.redis.get(self.key)
            except Exception:  # a hint only: fall back to the cases table
                log.warning("could not read consultant presence from Redis", exc_info=True)
                value = None
            if value is not None:
                raw = value.decode() if isinstance(value, bytes) else str(value)
                if now.timestamp() - float(raw) < self.window.total_seconds():
                    return True
        if self.cases is not None:
            return await self.cases.consultant_acted_since(now - self.window)
        return False
