"""How the sends of one outbox row (or one reply) wait for the send budget (delivery/sendrate.py):
the caller's context (`sending`) gives their priority and a bound on the wait, and a
`before_send` hook that runs once the first message's token is granted (the outbox records the
attempt there). A send that gets no token within its bound raises `Busy`; without a bound it
waits its turn."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.priority import OUTBOX_URGENT

if TYPE_CHECKING:
    from delivery.chatpace import Chat, ChatPace
    from delivery.sendrate import SendBudget

URGENT = OUTBOX_URGENT  # the outbox priority of urgent replies


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


def current_scope() -> SendScope | None:
    """The `sending` scope the caller is in (None: outside any)."""
    return _scope.get()


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
