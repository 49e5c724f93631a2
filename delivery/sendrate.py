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
- Each destination keeps its own pace too (`ChatPace`, the one per-destination limit: the
  outbox has none of its own): a Telegram private chat about one message a second after a
  burst of three, a group at most 20 in any minute with no gap between two, a WhatsApp person
  as a private chat. Ordinary messages leave a reserve to urgent ones, so an urgent reply or
  card goes at once; a 429's retry_after holds the destination for everything. Shared through
  Redis when configured.
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
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol

from redis.exceptions import RedisError

from core.priority import OUTBOX_URGENT

log = logging.getLogger(__name__)

URGENT = OUTBOX_URGENT  # the outbox priority of urgent replies
REDIS_RETRY_S = 5.0  # after Redis failed, this process paces alone this long before retrying


class Busy(Exception):
    """No token within the time the caller could wait: try again later (not a failure)."""


@dataclass
class SendScope:
    """How the sends of one outbox row (or one reply) wait: set by `sending`, read by
    `SendBudget.acquire`; nested scopes share the outermost's state."""

    priority: int
    deadline: float | None  # monotonic; None: wait as long as it takes
    # Set once a message of the outermost scope (one outbox row) went out: the rest follow it.
    started: list[bool]
    # Awaited once, when the scope's first message got its token, right before it goes out
    # (the outbox records the attempt: what may have reached the platform). Raising aborts it.
    before_send: Callable[[], Awaitable[None]] | None = None
    dest: str = ""  # the outbox row's destination (its pace when the transport names no chat)
    # Where the scope's messages went, to hold them there if the platform refuses (429).
    paced: list[tuple[ChatPace, Chat]] = field(default_factory=list)
    parent: SendScope | None = None
    # While a send of the scope waits: its places in the budgets' queues, and what wakes it
    # from waiting for its chat's pace (`lift`).
    waiting: list[tuple[SendBudget, asyncio.Future[None]]] = field(default_factory=list)
    woken: asyncio.Event | None = None

    def current(self) -> int:
        """The priority now (an enclosing scope may have been lifted since)."""
        return self.priority if self.parent is None else max(self.priority, self.parent.current())

    def root(self) -> SendScope:
        return self if self.parent is None else self.parent.root()

    def lift(self, priority: int) -> None:
        """A more urgent row was queued behind this one in its destination: this one waits,
        and goes, with that priority now (it holds the destination until it is sent)."""
        if priority <= self.priority:
            return
        self.priority = priority
        for budget, future in self.waiting:
            if not future.done():
                budget.requeue(priority, future)
        if self.woken is not None:
            self.woken.set()

    async def refused(self, retry_after: float) -> None:
        """The platform answered 429 with `retry_after`: hold the destinations sent to."""
        for pace, chat in self.paced:
            await pace.hold(chat, retry_after)


_scope: ContextVar[SendScope | None] = ContextVar("send_scope", default=None)


@contextlib.contextmanager
def sending(
    priority: int = 0,
    within: float | None = None,
    before_send: Callable[[], Awaitable[None]] | None = None,
    dest: str = "",
) -> Iterator[SendScope]:
    """Sends inside wait for the budget with this priority (or the enclosing one's, if
    higher) and at most `within` seconds (or the enclosing bound). Once one message of the
    scope went out, the others wait without a bound: giving up half-way through a row would
    send its first messages twice. `before_send` runs once, just before the first message
    goes (after its token was granted). `dest` names the outbox row's destination."""
    outer = _scope.get()
    deadline = None if within is None else time.monotonic() + within
    started = [False]
    paced: list[tuple[ChatPace, Chat]] = []
    if outer is not None:
        if deadline is None:
            deadline = outer.deadline
        started = outer.started
        before_send = before_send or outer.before_send
        dest = dest or outer.dest
        paced = outer.paced
    scope = SendScope(priority, deadline, started, before_send, dest, paced, outer)
    token = _scope.set(scope)
    try:
        yield scope
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


Chat = int | str  # a Telegram chat id (groups are negative), or "person:<id>"


@dataclass(frozen=True, slots=True)
class Pace:
    """A destination's own pace: a token bucket of `burst` tokens refilled `per_s`, or, with
    `window_s`, at most `burst` messages in any `window_s` seconds (Telegram counts a group's
    messages so). Ordinary sends leave `reserve` to urgent ones, so an urgent message finds
    room at once even while ordinary ones keep the destination at its pace."""

    per_s: float
    burst: int
    reserve: int = 0
    window_s: float = 0.0

    def need(self, priority: int) -> float:
        """Bucket: the tokens a send of this priority needs. Window: how many sends it may
        find already in the window."""
        if self.window_s:
            return float(self.burst if priority > 0 else self.burst - self.reserve)
        return 1.0 if priority > 0 else 1.0 + self.reserve


# Telegram: about one message a second per chat, short bursts tolerated. Ordinary replies
# leave the third message of a burst to an urgent one.
PRIVATE_CHAT = Pace(per_s=1.0, burst=3, reserve=1)
# Telegram: 20 messages a minute per group, and no gap asked between two (a case's topic and
# its card go together). Ordinary posts leave two of the minute to urgent ones (a topic and
# its card). The window is 2 s longer than Telegram's: a send is counted when its turn comes
# and reaches Telegram a little later (the bench saw 429s with exactly 60 s).
GROUP_CHAT = Pace(per_s=20 / 62, burst=20, reserve=2, window_s=62.0)
# WhatsApp: the Cloud API's pair rate (one business number → one person) tolerates bursts;
# the bot keeps to about one a second after a turn's few replies, as on Telegram.
WHATSAPP_CHAT = PRIVATE_CHAT

# KEYS[1]: one destination's pace: a hash (t = last refill in µs, the server's clock;
# n = tokens), or for a window a sorted set of the sends' times (µs); KEYS[1]..':hold' while
# the platform asked to wait. ARGV: window µs (0: a bucket), per second, burst, mode, arg.
# Modes: 0 = µs until a send may go (0: now; nothing spent) with `arg` = Pace.need,
# 1 = spend (a bucket may go below zero: the next waits longer), 2 = hold for `arg` µs.
_PACE = """
local window = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local mode = tonumber(ARGV[4])
local arg = tonumber(ARGV[5])
local hold = KEYS[1] .. ':hold'
if mode == 2 then
  local ms = math.ceil(arg / 1000)
  if redis.call('PTTL', hold) < ms then redis.call('SET', hold, 1, 'PX', ms) end
  return 0
end
if mode == 0 then
  local left = redis.call('PTTL', hold)
  if left > 0 then return left * 1000 end
end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
if window > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[1])
  if mode == 1 then
    redis.call('ZADD', KEYS[1], now, string.format('%d:%d', now, count))
    redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
    return 0
  end
  if count < arg then return 0 end
  local oldest = redis.call('ZRANGE', KEYS[1], count - arg, count - arg, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
local saved = redis.call('HMGET', KEYS[1], 't', 'n')
local at = tonumber(saved[1]) or now
local n = math.min(burst, (tonumber(saved[2]) or burst) + math.max(0, now - at) * rate / 1000000)
local wait = 0
if mode == 0 then
  if n < arg then wait = math.ceil((arg - n) * 1000000 / rate) end
else
  n = n - 1
end
redis.call('HSET', KEYS[1], 't', string.format('%d', now), 'n', string.format('%.6f', n))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst + 1) * 1000 / rate) + 60000)
return wait
"""


class _Local:
    """One destination's pace in this process."""

    __slots__ = ("at", "held_until", "sent", "tokens")

    def __init__(self, pace: Pace, now: float) -> None:
        self.tokens, self.at = float(pace.burst), now
        self.sent: deque[float] | None = deque() if pace.window_s else None  # a window's
        self.held_until = 0.0


class ChatPace:
    """Each destination's own pace (`Pace`: a private chat, a group, a WhatsApp person), on top
    of the platform's overall budget; the one per-destination limit of every send (the outbox
    adds only the order of a destination's rows). In this process, or with `redis` shared by
    every process (a group's posts may alternate between processes' outbox workers); while
    Redis fails, this process paces alone. Ordinary sends leave the reserve to urgent ones: an
    urgent card or reply never waits for the destination's pace while there is room. A chat's
    room is spent when its message goes, not when it starts waiting for the overall budget
    (spent then, a long wait would bunch the chat's messages)."""

    def __init__(
        self,
        private: Pace = PRIVATE_CHAT,
        group: Pace | None = GROUP_CHAT,
        *,
        redis: Any = None,
        prefix: str = "qamqor:pace",
        keep: int = 10_000,
        clock: Callable[[], float] = time.monotonic,  # the in-process paces' (tests set it)
    ) -> None:
        self.private = private
        self.group = group
        self._keep = keep
        self._clock = clock
        self._chats: dict[Chat, _Local] = {}
        self._prefix = prefix
        self._script = redis.register_script(_PACE) if redis is not None else None
        self._down_until = -1e9
        self._warned_at = -1e9

    def pace_of(self, chat: Chat) -> Pace | None:
        return self.group if isinstance(chat, int) and chat < 0 else self.private

    async def ready(
        self,
        chat: Chat,
        priority: Callable[[], int],
        deadline: float | None,
        woken: asyncio.Event | None = None,
    ) -> None:
        """Wait until the chat has room for a send of this priority (nothing spent); `woken`
        is set when the priority was raised meanwhile (it may need less room now)."""
        while (wait := await self.due(chat, priority())) > 0:
            if deadline is not None and time.monotonic() + wait > deadline:
                raise Busy("the chat's pace leaves no room in time")
            if woken is None:
                await asyncio.sleep(wait)
                continue
            woken.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), wait)

    async def due(self, chat: Chat, priority: int) -> float:
        """Seconds until the chat has room for a send of this priority (0.0: now)."""
        pace = self.pace_of(chat)
        return 0.0 if pace is None else await self._call(chat, pace, 0, pace.need(priority))

    async def spend(self, chat: Chat) -> None:
        pace = self.pace_of(chat)
        if pace is not None:
            await self._call(chat, pace, 1, 0.0)

    async def hold(self, chat: Chat, seconds: float) -> None:
        """The platform refused a message to `chat` for `seconds` (Telegram's 429 retry_after):
        nothing more goes there, urgent or not, before then."""
        pace = self.pace_of(chat)
        if pace is not None and seconds > 0:
            await self._call(chat, pace, 2, seconds)

    async def _call(self, chat: Chat, pace: Pace, mode: int, arg: float) -> float:
        if self._script is not None and time.monotonic() >= self._down_until:
            window_us = pace.window_s * 1_000_000
            args = [window_us, pace.per_s, pace.burst, mode, arg * 1_000_000 if mode == 2 else arg]
            try:
                wait_us = await self._script(keys=[f"{self._prefix}:{chat}"], args=args)
            except (RedisError, OSError, TimeoutError) as exc:
                now = time.monotonic()
                self._down_until = now + REDIS_RETRY_S
                if now - self._warned_at > 60:
                    self._warned_at = now
                    log.warning("chat pace: Redis failed (%s); pacing this process alone", exc)
            else:
                return int(wait_us) / 1_000_000
        return self._local(chat, pace, mode, arg)

    def _local(self, chat: Chat, pace: Pace, mode: int, arg: float) -> float:
        now = self._clock()
        state = self._chats.get(chat)
        if state is None:
            if len(self._chats) >= self._keep:  # forget the oldest chats (they are long idle)
                for old in list(self._chats)[: self._keep // 2]:
                    del self._chats[old]
            state = self._chats[chat] = _Local(pace, now)
        if mode == 2:
            state.held_until = max(state.held_until, now + arg)
            return 0.0
        if mode == 0 and state.held_until > now:
            return state.held_until - now
        if pace.window_s:
            sent = state.sent = state.sent if state.sent is not None else deque()
            while sent and sent[0] <= now - pace.window_s:
                sent.popleft()
            if mode == 1:
                sent.append(now)
                return 0.0
            if len(sent) < arg:
                return 0.0
            return max(1e-6, sent[len(sent) - int(arg)] + pace.window_s - now)
        state.tokens = min(float(pace.burst), state.tokens + (now - state.at) * pace.per_s)
        state.at = now
        if mode == 1:
            state.tokens -= 1.0
            return 0.0
        return 0.0 if state.tokens >= arg else (arg - state.tokens) / pace.per_s


def _chat_of(chat: Chat | None, scope: SendScope | None) -> Chat | None:
    """The transport's chat id; else the destination of the outbox row being sent
    ("group:<id>" is that group; "person:<id>", with any lane suffix, is that person)."""
    if chat is not None or scope is None or not scope.dest:
        return chat
    kind, _, rest = scope.dest.partition(":")
    ident = rest.partition(":")[0]
    if kind == "group":
        with contextlib.suppress(ValueError):
            return int(ident)
    return f"{kind}:{ident}"


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
        return len({id(f) for _, _, f in self._waiters if not f.done()})

    @property
    def most_urgent(self) -> int | None:
        """The priority of the send first in line (None: nobody waits)."""
        best = [-p for p, _, f in self._waiters if not f.done()]
        return max(best) if best else None

    async def acquire(self, chat: Chat | None = None) -> None:
        """Wait for a token, as the current `sending` scope says (priority, bound); with
        `chats`, for the destination's pace too (`chat`, else the scope's outbox row)."""
        scope = _scope.get()
        root = scope.root() if scope is not None else None
        deadline = scope.deadline if scope is not None and not scope.started[0] else None
        paced = _chat_of(chat, scope) if self.chats is not None else None
        if self.chats is not None and paced is not None:
            if root is not None and root.woken is None:
                root.woken = asyncio.Event()
            try:
                await self.chats.ready(
                    paced,
                    scope.current if scope is not None else lambda: 0,
                    deadline,
                    root.woken if root is not None else None,
                )
            except Busy:
                self.busy += 1
                raise
        # Always through the queue, even when it is empty: a shortcut taken by many sends at
        # once would let them all past the waiters and hit Redis together.
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.requeue(scope.current() if scope is not None else 0, future)
        if root is not None:
            root.waiting.append((self, future))
        try:
            if deadline is None:
                await future
            else:
                try:
                    await asyncio.wait_for(future, max(0.0, deadline - time.monotonic()))
                except TimeoutError:
                    self.busy += 1
                    raise Busy(f"no {self.name} send budget in time") from None
        finally:
            if root is not None:
                root.waiting.remove((self, future))
        if self.chats is not None and paced is not None:
            await self.chats.spend(paced)
            if scope is not None:
                scope.paced.append((self.chats, paced))
        await self._granted(scope)

    def requeue(self, priority: int, future: asyncio.Future[None]) -> None:
        """Queue a waiting send (again, when its priority was raised: the first entry of a
        future to come out of the heap serves it, the others are skipped)."""
        heapq.heappush(self._waiters, (-priority, next(self._seq), future))
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._release(), name=f"send budget {self.name}")

    async def _granted(self, scope: SendScope | None) -> None:
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
            SendBudget(
                bucket("telegram", telegram_per_s),
                "telegram",
                ChatPace(PRIVATE_CHAT, GROUP_CHAT, redis=redis, prefix=f"{prefix}:pace:tg"),
            ),
            SendBudget(
                bucket("whatsapp", whatsapp_per_s),
                "whatsapp",
                ChatPace(WHATSAPP_CHAT, None, redis=redis, prefix=f"{prefix}:pace:wa"),
            ),
        )
