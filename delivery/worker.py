"""The outbox's worker: it claims what is due whenever woken (delivery/claims.py), without
waiting for the rows in flight, and delivers each in a task of its own (delivery/courier.py):
an urgent row queued while ordinary ones wait for the budget is claimed at once."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from delivery.claims import Claims, Delivery
from delivery.courier import Courier

log = logging.getLogger(__name__)

# Rows one process's worker holds in flight at once (waiting for the send budget or sending).
IN_FLIGHT = 100


class Worker:
    def __init__(self, claims: Claims, courier: Courier, poll_seconds: float) -> None:
        self._claims = claims
        self._courier = courier
        self._poll = poll_seconds
        self._in_flight: set[asyncio.Task[bool]] = set()
        self._kick = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    @property
    def running(self) -> bool:
        return self._task is not None

    def kick(self) -> None:
        """Wake this process's worker now (other processes notice within a poll)."""
        self._kick.set()

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.get_running_loop().create_task(self._run(), name="outbox")

    async def stop(self) -> None:
        self._stopping = True
        self._kick.set()
        if self._task is not None:
            # Let a round in flight finish (its rows are then marked), cancel after a bound.
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._task, timeout=5)
            self._task = None
        if self._in_flight:  # rows sent at once (`enqueue_now`) where no worker ran
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.idle(), timeout=5)
            for task in list(self._in_flight):
                task.cancel()

    def hold(self, task: asyncio.Task[bool]) -> None:
        """Count a row's delivery task as in flight here (`idle` and `stop` wait for it)."""
        self._in_flight.add(task)
        task.add_done_callback(self._delivered)

    async def _run(self) -> None:
        """Claim what is due whenever woken, up to IN_FLIGHT rows held at once, and deliver
        each in a task of its own: a row waiting for the budget never holds up the claim of
        a more urgent one (the budget hands tokens out urgent first)."""
        try:
            while not self._stopping:
                self._kick.clear()
                claimed: list[Delivery] = []
                room = IN_FLIGHT - len(self._in_flight)
                try:  # with no room, it still lifts the rows in flight
                    claimed = await self._claims.claim(max(0, min(room, 30)))
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("outbox worker round failed; retrying")
                for d in claimed:
                    self.hold(
                        asyncio.create_task(self._courier.deliver(d), name=f"outbox row {d.id}")
                    )
                if claimed and len(self._in_flight) < IN_FLIGHT:
                    continue  # more may be due
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._kick.wait(), self._poll)
            # Stopping: let the rows in flight finish (stop() bounds the wait).
            while self._in_flight:
                await asyncio.wait(set(self._in_flight))
        finally:
            for task in list(self._in_flight):
                task.cancel()

    async def idle(self) -> None:
        """Wait until the rows in flight here (the worker's and those sent at once) are done."""
        while self._in_flight:
            await asyncio.wait(set(self._in_flight))

    def _delivered(self, task: asyncio.Task[bool]) -> None:
        if len(self._in_flight) == IN_FLIGHT:
            self._kick.set()  # room again for a row (a sent row's `Courier.finish` wakes it anyway)
        self._in_flight.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("outbox delivery failed unexpectedly", exc_info=exc)

    async def run_once(self, limit: int = 30) -> int:
        """Claim what is due and allowed, deliver it; returns how many were attempted."""
        claimed = await self._claims.claim(limit)
        if not claimed:
            return 0
        await asyncio.gather(*(self._courier.deliver(d) for d in claimed))
        return len(claimed)
