"""Per-person flood limits: a fixed window per person, shared through Redis when configured.

Over the limit, the first message gets one calm reply (with the emergency numbers, since a
person in danger may be typing frantically); the rest of the window is dropped unprocessed,
so a flood costs no NLU, no database writes and no replies.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal, Protocol

Verdict = Literal["ok", "warn", "drop"]


@dataclass(frozen=True)
class FloodPolicy:
    limit: int = 20  # messages per window before the calm reply
    window_s: int = 60


class FloodGate(Protocol):
    async def check(self, person_id: int) -> Verdict: ...


def _verdict(count: int, limit: int) -> Verdict:
    if count <= limit:
        return "ok"
    return "warn" if count == limit + 1 else "drop"


class MemoryFloodGate:
    """For one process (and the console)."""

    def __init__(self, policy: FloodPolicy = FloodPolicy()) -> None:
        self.policy = policy
        self._windows: dict[int, tuple[int, int]] = {}

    async def check(self, person_id: int) -> Verdict:
        window = int(time.monotonic() // self.policy.window_s)
        start, count = self._windows.get(person_id, (window, 0))
        if start != window:
            start, count = window, 0
        count += 1
        self._windows[person_id] = (start, count)
        if len(self._windows) > 100_000:  # forget old windows rather than grow without bound
            self._windows = {k: v for k, v in self._windows.items() if v[0] == window}
        return _verdict(count, self.policy.limit)


class RedisFloodGate:
    """Shared by every bot process: INCR on a key that expires with its window."""

    def __init__(
        self, redis: Any, policy: FloodPolicy = FloodPolicy(), prefix: str = "qamqor"
    ) -> None:
        self.policy = policy
        self._redis = redis
        self._prefix = prefix

    async def check(self, person_id: int) -> Verdict:
        window = int(time.time() // self.policy.window_s)
        key = f"{self._prefix}:flood:{person_id}:{window}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, self.policy.window_s * 2)
            count, _ = await pipe.execute()
        return _verdict(int(count), self.policy.limit)
