"""Per-person flood limits: a fixed window per person, shared through Redis when configured.

The gate only counts; the pipeline decides what a message over the limit gets
(bot/pipeline.py, docs/reliability.md): one that may be urgent (🆘, danger words, an answer to
the danger screen, a live case) goes through; any other is deferred — it stays in its
channel's inbox and is processed once the window allows, never dropped. The first deferred
message of a window gets one calm reply with the emergency numbers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class FloodPolicy:
    limit: int = 20  # messages per window before the calm reply
    window_s: int = 60


@dataclass(frozen=True, slots=True)
class Count:
    over: bool  # this message is past the window's limit
    wait_s: float  # until the window ends (when a deferred message may be processed)


class FloodGate(Protocol):
    async def check(self, person_id: int) -> Count:
        """Count one message of the person in the current window."""
        ...

    async def defer(self, person_id: int) -> bool:
        """Count one deferred message; True for the window's first (it gets the calm reply)."""
        ...


def _wait(now: float, window_s: int) -> float:
    return window_s - (now % window_s)


class MemoryFloodGate:
    """For one process (and the console)."""

    def __init__(self, policy: FloodPolicy = FloodPolicy()) -> None:
        self.policy = policy
        # person -> (window, messages, deferred)
        self._windows: dict[int, tuple[int, int, int]] = {}

    def _bump(self, person_id: int, messages: int, deferred: int) -> tuple[int, int, float]:
        now = time.monotonic()
        window = int(now // self.policy.window_s)
        start, count, held = self._windows.get(person_id, (window, 0, 0))
        if start != window:
            start, count, held = window, 0, 0
        count, held = count + messages, held + deferred
        self._windows[person_id] = (start, count, held)
        if len(self._windows) > 100_000:  # forget old windows rather than grow without bound
            self._windows = {k: v for k, v in self._windows.items() if v[0] == window}
        return count, held, _wait(now, self.policy.window_s)

    async def check(self, person_id: int) -> Count:
        count, _, wait = self._bump(person_id, 1, 0)
        return Count(count > self.policy.limit, wait)

    async def defer(self, person_id: int) -> bool:
        return self._bump(person_id, 0, 1)[1] == 1


class RedisFloodGate:
    """Shared by every bot process: INCR on a key that expires with its window."""

    def __init__(
        self, redis: Any, policy: FloodPolicy = FloodPolicy(), prefix: str = "qamqor"
    ) -> None:
        self.policy = policy
        self._redis = redis
        self._prefix = prefix

    async def _incr(self, person_id: int, kind: str) -> tuple[int, float]:
        now = time.time()
        window = int(now // self.policy.window_s)
        key = f"{self._prefix}:{kind}:{person_id}:{window}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, self.policy.window_s * 2)
            count, _ = await pipe.execute()
        return int(count), _wait(now, self.policy.window_s)

    async def check(self, person_id: int) -> Count:
        count, wait = await self._incr(person_id, "flood")
        return Count(count > self.policy.limit, wait)

    async def defer(self, person_id: int) -> bool:
        return (await self._incr(person_id, "flood-deferred"))[0] == 1
