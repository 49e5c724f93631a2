"""The platform's overall rate as a token bucket: in-process (`TokenBucket`), or shared by
every process through Redis (`RedisTokenBucket`, one Lua script, the server's clock), which
falls back to the in-process bucket while Redis fails. The burst allowance is one token: sends
are spread evenly, so no one-second window holds more than the rate. Across processes, a
process whose most urgent send found the shared bucket empty holds less urgent sends of the
other processes back until its urgent sends have been served (a claim in the bucket)."""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any, Protocol

from redis.exceptions import RedisError

log = logging.getLogger(__name__)

REDIS_RETRY_S = 5.0  # after Redis failed, this process paces alone this long before retrying


class Bucket(Protocol):
    async def take(self, priority: int = 0) -> float:
        """Take a token for a send of this priority: 0.0, or the seconds until one is due
        (nothing taken)."""
        ...


class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up; this process only."""

    def __init__(self, rate: float, burst: float = 1.0) -> None:
        self.rate = rate
        self.burst = max(1.0, burst)
        self._tokens = self.burst
        self._at = time.monotonic()

    async def take(self, priority: int = 0) -> float:
        # (one process: its waiters are already in priority order)
        wait = self.due()
        if wait == 0.0:
            self._tokens -= 1.0
        return wait

    def due(self) -> float:
        """Seconds until a token is there (0.0: now), nothing taken."""
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
        self._at = now
        return 0.0 if self._tokens >= 1.0 else (1.0 - self._tokens) / self.rate


# KEYS[1]: the bucket, a hash: t = last refill (µs, the server's clock), n = tokens, and a
# claim: the most urgent priority that recently found the bucket empty (p), when (pt), by
# whom (po). While the claim is fresh, less urgent takes of the others are refused, so urgent
# sends go first across processes too. Its owner drops it once its own most urgent send is
# less urgent than the claim (served); `hold` µs bound a claim whose owner went away.
# ARGV: rate per second, burst, priority, hold, owner. Returns 0 (a token taken) or µs to wait.
_TAKE = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local priority = tonumber(ARGV[3])
local hold = tonumber(ARGV[4])
local owner = ARGV[5]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local saved = redis.call('HMGET', KEYS[1], 't', 'n', 'p', 'pt', 'po')
local at = tonumber(saved[1]) or now
local n = tonumber(saved[2]) or burst
local claimed = tonumber(saved[3]) or priority
local fresh = now - (tonumber(saved[4]) or 0) < hold
if fresh and saved[5] == owner and claimed > priority then
  fresh = false
  redis.call('HDEL', KEYS[1], 'p', 'pt', 'po')
end
n = math.min(burst, n + math.max(0, now - at) * rate / 1000000)
local wait = 0
if fresh and claimed > priority then
  wait = math.ceil(1000000 / rate)
elseif n >= 1 then
  n = n - 1
else
  wait = math.ceil((1 - n) * 1000000 / rate)
  if not fresh or priority >= claimed then
    redis.call('HSET', KEYS[1], 'p', priority, 'pt', string.format('%d', now), 'po', owner)
  end
end
redis.call('HSET', KEYS[1], 't', string.format('%d', now), 'n', string.format('%.6f', n))
redis.call('PEXPIRE', KEYS[1], 60000)
return wait
"""


class RedisTokenBucket:
    """The same bucket kept in Redis: every process that shares Redis shares the rate."""

    def __init__(
        self,
        redis: Any,
        key: str,
        rate: float,
        burst: float = 1.0,
        fallback: TokenBucket | None = None,
    ) -> None:
        self.rate = rate
        self.burst = max(1.0, burst)
        self._key = key
        self._script = redis.register_script(_TAKE)
        self._fallback = fallback or TokenBucket(rate, burst)
        self._owner = secrets.token_hex(6)  # this process, for its claims
        self._hold_us = int(max(1.0, 10 / rate) * 1_000_000)
        self._down_until = -1e9
        self._warned_at = -1e9

    async def take(self, priority: int = 0) -> float:
        if time.monotonic() < self._down_until:
            return await self._fallback.take()
        args = [self.rate, self.burst, priority, self._hold_us, self._owner]
        try:
            wait_us = await self._script(keys=[self._key], args=args)
        except (RedisError, OSError, TimeoutError) as exc:
            now = time.monotonic()
            self._down_until = now + REDIS_RETRY_S  # not every send pays for a failed connect
            if now - self._warned_at > 60:
                self._warned_at = now
                log.warning("send budget: Redis failed (%s); pacing this process alone", exc)
            return await self._fallback.take()
        return int(wait_us) / 1_000_000
