"""Per-person locks: one person's messages are handled one at a time, in order.

KeyedLocks within a process; RedisLocks across the processes that share Redis."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from typing import Any


class KeyedLocks:
    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]  # no waiters left: don't keep a lock per person forever
            else:
                self._locks[key] = (lock, users - 1)


# Deletes the key only if it still holds our token: a lock that expired and was taken by
# another process is never released by the one that lost it.
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class LockTimeout(TimeoutError):
    """The person's lock stayed taken longer than the bounded wait."""


class RedisLocks:
    """Per-person locks shared by every bot process (SET NX PX with a token).

    The lease (`ttl_s`) bounds how long a crashed process can hold a person; the wait
    (`wait_s`) bounds how long a turn queues behind another process's turn for the same person.
    Within a process, KeyedLocks queue turns first, so only one waiter per process polls Redis.
    """

    def __init__(
        self, redis: Any, *, prefix: str = "qamqor", ttl_s: float = 30.0, wait_s: float = 20.0
    ) -> None:
        self._redis = redis
        self._prefix = prefix
        self._ttl_ms = int(ttl_s * 1000)
        self._wait_s = wait_s
        self._release = redis.register_script(_RELEASE)

    @asynccontextmanager
    async def hold(self, key: int) -> AsyncIterator[None]:
        name = f"{self._prefix}:lock:person:{key}"
        token = secrets.token_hex(8)
        deadline = time.monotonic() + self._wait_s
        pause = 0.002
        while not await self._redis.set(name, token, nx=True, px=self._ttl_ms):
            if time.monotonic() > deadline:
                raise LockTimeout(f"person lock {key} still taken after {self._wait_s}s")
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.05)
        try:
            yield
        finally:
            await self._release(keys=[name], args=[token])


class SharedLocks:
    """The in-process lock, then the cross-process one when Redis is configured."""

    def __init__(self, shared: RedisLocks | None = None) -> None:
        self.local = KeyedLocks()
        self.shared = shared

    @asynccontextmanager
    async def hold(self, key: int) -> AsyncIterator[None]:
        async with self.local.hold(key):
            if self.shared is None:
                yield
            else:
                async with self.shared.hold(key):
                    yield
