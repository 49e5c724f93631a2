"""The overall send budget per platform: Telegram about 30 messages a second, WhatsApp 80.

Every message a channel sends takes one token first (the Telegram channel in a request
middleware and in its sendMessage client, the WhatsApp client before each message), so
replies, proactive messages and group posts all count, whether the outbox worker, a turn
itself (`deliver_owned`) or polling mode sends them. When the budget is spent,
waiting sends are released highest priority first (urgent before ordinary), then in arrival
order.

- Tokens come from a token bucket (delivery/buckets.py): in-process, or shared by every
  process through Redis.
- Priority and a bound on the wait come from the caller's context (`sending`,
  delivery/sendscope.py): the outbox sets them from the row (its priority; a bounded wait,
  after which the row goes back to the queue, where the most urgent rows are claimed first),
  and a `before_send` hook that records the attempt once the first message's token is
  granted. A send that gets no token within its bound raises `Busy`; without a bound it waits
  its turn.
- Each destination keeps its own pace too (`ChatPace`, delivery/chatpace.py), waited for
  before the overall budget and spent when the message goes.
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
import time
from dataclasses import dataclass
from typing import Any

from delivery.buckets import Bucket, RedisTokenBucket, TokenBucket
from delivery.chatpace import GROUP_CHAT, PRIVATE_CHAT, WHATSAPP_CHAT, Chat, ChatPace
from delivery.sendscope import Busy, SendScope, current_scope


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
        scope = current_scope()
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
