"""The overall send budget per platform: Telegram about 30 messages a second, WhatsApp 80.

Every message a channel sends takes one token first (the Telegram channel in a request
middleware and in its sendMessage client, the WhatsApp client before each message), so
replies, proactive messages and group posts all count, whether the outbox worker, a turn
itself (`deliver_owned`) or polling mode sends them. When the budget is spent,
waiting sends are released highest priority first (urgent before ordinary), then in arrival
order.

- Tokens come from a token bucket: in-process (`TokenBucket`), or shared by every process
  through Redis (`RedisTokenBucket`, one Lua script, the server's clock), which falls back to
  the in-process bucket while Redis fails. The burst allowance is one token: sends are spread
  evenly, so no one-second window holds more than the rate.
- Priority and a bound on the wait come from the caller's context (`sending`): the outbox
  sets them from the row (its priority; a bounded wait, after which the row goes back to the
  queue, where the most urgent rows are claimed first), and a `before_send` hook that records
  the attempt once the first message's token is granted. A send that gets no token within its
  bound raises `Busy`; without a bound it waits its turn.
- Telegram also asks for about one message a second per chat, short bursts tolerated: a
  private chat's messages keep that pace too (`ChatPace`, per process: one person's turns
  rarely alternate between processes). Groups are paced by the outbox's rules per group.
- Priority is strict within a process. Across processes, a process whose most urgent send
  found the shared bucket empty holds less urgent sends of the other processes back until its
  urgent sends have been served (a claim in the bucket), and the outbox worker claims the
  most urgent rows first.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol

from redis.exceptions import RedisError

from core.priority import OUTBOX_URGENT

log = logging.getLogger(__name__)

URGENT = OUTBOX_URGENT  # the outbox priority of urgent replies
REDIS_RETRY_S = 5.0  # after Redis failed, this process paces alone this long before retrying


class Busy(Exception):
    """No token within the time the caller could wait: try again later (not a failure)."""


@dataclass
class _Scope:
    priority: int
    deadline: float | None  # monotonic; None: wait as long as it takes
    # Set once a message of the outermost scope (one outbox row) went out: the rest follow it.
    started: list[bool]
    # Awaited once, when the scope's first message got its token, right before it goes out
    # (the outbox records the attempt: what may have reached the platform). Raising aborts it.
    before_send: Callable[[], Awaitable[None]] | None = None


_scope: ContextVar[_Scope | None] = ContextVar("send_scope", default=None)


@contextlib.contextmanager
def sending(
    priority: int = 0,
    within: float | None = None,
    before_send: Callable[[], Awaitable[None]] | None = None,
) -> Iterator[None]:
    """Sends inside wait for the budget with this priority (or the enclosing one's, if
    higher) and at most `within` seconds (or the enclosing bound). Once one message of the
    scope went out, the others wait without a bound: giving up half-way through a row would
    send its first messages twice. `before_send` runs once, just before the first message
    goes (after its token was granted)."""
    outer = _scope.get()
    deadline = None if within is None else time.monotonic() + within
    started = [False]
    if outer is not None:
        priority = max(priority, outer.priority)
        if deadline is None:
            deadline = outer.deadline
        started = outer.started
        before_send = before_send or outer.before_send
    token = _scope.set(_Scope(priority, deadline, started, before_send))
    try:
        yield
    finally:
        _scope.reset(token)


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


class ChatPace:
    """About one message a second per chat after a short burst (Telegram's per-chat pace), in
    this process: a turn's few replies go out at once, a second turn's right after are spaced.
    (One chat's messages go out one at a time, so a chat needs no queue, only a bucket.)"""

    def __init__(self, per_s: float = 1.0, burst: int = 3, keep: int = 10_000) -> None:
        self.per_s = per_s
        self.burst = burst
        self._keep = keep
        self._chats: dict[int, TokenBucket] = {}

    async def ready(self, chat: int, deadline: float | None) -> TokenBucket:
        """Wait until the chat may have a message (its token is spent when the message goes:
        spent now, a long wait for the overall budget would bunch the chat's messages)."""
        bucket = self._chats.get(chat)
        if bucket is None:
            if len(self._chats) >= self._keep:  # forget the oldest chats (they are long idle)
                for old in list(self._chats)[: self._keep // 2]:
                    del self._chats[old]
            bucket = self._chats[chat] = TokenBucket(self.per_s, self.burst)
        while (wait := bucket.due()) > 0:
            if deadline is not None and time.monotonic() + wait > deadline:
                raise Busy("the chat's pace leaves no room in time")
            await asyncio.sleep(wait)
        return bucket


class SendBudget:
    """Waiting for a bucket's tokens, highest priority first, then first come; with `chats`,
    each chat's pace first."""

    def __init__(self, bucket: Bucket, name: str = "", chats: ChatPace | None = None) -> None:
        self.bucket = bucket
        self.name = name
        self.chats = chats
        self.granted = 0
        self.busy = 0  # sends that gave up waiting (handed back to the queue)
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._pump: asyncio.Task[None] | None = None

    @property
    def waiting(self) -> int:
        return sum(1 for _, _, f in self._waiters if not f.done())

    async def acquire(self, chat: int | None = None) -> None:
        """Wait for a token, as the current `sending` scope says (priority, bound); for a
        message into `chat` (a private chat: a positive id), for the chat's pace too."""
        scope = _scope.get()
        priority = scope.priority if scope is not None else 0
        deadline = scope.deadline if scope is not None and not scope.started[0] else None
        pace: TokenBucket | None = None
        if self.chats is not None and chat is not None and chat > 0:
            try:
                pace = await self.chats.ready(chat, deadline)
            except Busy:
                self.busy += 1
                raise
        # Always through the queue, even when it is empty: a shortcut taken by many sends at
        # once would let them all past the waiters and hit Redis together.
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (-priority, next(self._seq), future))
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._release(), name=f"send budget {self.name}")
        if deadline is None:
            await future
        else:
            try:
                await asyncio.wait_for(future, max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                self.busy += 1
                raise Busy(f"no {self.name} send budget in time") from None
        if pace is not None:
            await pace.take()  # one chat's messages go one at a time: its token is still there
        await self._granted(scope)

    async def _granted(self, scope: _Scope | None) -> None:
        self.granted += 1
        if scope is not None:
            first = not scope.started[0]
            scope.started[0] = True
            if first and scope.before_send is not None:
                await scope.before_send()

    async def _release(self) -> None:
        """Hand out tokens as they come, to the best waiter still waiting."""
        while True:
            while self._waiters and self._waiters[0][2].done():
                heapq.heappop(self._waiters)  # gave up (Busy) or cancelled
            if not self._waiters:
                return
            wait = await self.bucket.take(-self._waiters[0][0])
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            while self._waiters:
                future = heapq.heappop(self._waiters)[2]
                if not future.done():
                    future.set_result(None)
                    break


@dataclass(frozen=True)
class SendBudgets:
    telegram: SendBudget
    whatsapp: SendBudget

    @classmethod
    def create(
        cls, telegram_per_s: float, whatsapp_per_s: float, redis: Any = None, prefix: str = "qamqor"
    ) -> SendBudgets:
        def bucket(platform: str, rate: float) -> Bucket:
            if redis is None:
                return TokenBucket(rate)
            return RedisTokenBucket(redis, f"{prefix}:sendrate:{platform}", rate)

        return cls(
            SendBudget(bucket("telegram", telegram_per_s), "telegram", ChatPace()),
            SendBudget(bucket("whatsapp", whatsapp_per_s), "whatsapp"),
        )
