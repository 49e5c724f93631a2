"""Each destination's own pace (`ChatPace`, the one per-destination limit: the outbox has none
of its own): a Telegram private chat about one message a second after a burst of three, a
group at most 20 in any minute with no gap between two, a WhatsApp person as a private chat.
Ordinary messages leave a reserve to urgent ones, so an urgent reply or card goes at once; a
429's retry_after holds the destination for everything. Shared through Redis when configured."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from redis.exceptions import RedisError

from delivery.buckets import REDIS_RETRY_S
from delivery.sendscope import Busy

log = logging.getLogger(__name__)

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
