"""Tasks a channel starts and does not await at once (processing after the webhook's 200)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


class Background:
    """Keeps a reference to each task (asyncio holds only weak ones) until it ends."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def idle(self) -> None:
        """Wait until every task started so far, and any they started, has ended."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
