"""Scheduled jobs: named, idempotent functions registered in one place.

APScheduler is only the timer. Work that several processes could race for (a reminder, a
timed-out case) is claimed in the database by the job itself, so every process may run
every job without anything being done twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[object]]


@dataclass
class Jobs:
    scheduler: AsyncIOScheduler = field(default_factory=lambda: AsyncIOScheduler(timezone="UTC"))
    registered: dict[str, tuple[Job, float]] = field(default_factory=dict)

    def every(self, seconds: float, name: str, job: Job) -> None:
        """Run `job` every `seconds`; one run at a time, a missed run is skipped, not queued."""
        if name in self.registered:
            raise ValueError(f"job {name} registered twice")
        self.registered[name] = (job, seconds)

        async def guarded() -> None:
            try:
                await job()
            except Exception:
                log.exception("job %s failed; it will run again at its next time", name)

        self.scheduler.add_job(
            guarded, "interval", seconds=seconds, id=name, name=name, max_instances=1, coalesce=True
        )

    async def run_now(self, name: str) -> object:
        """Run a job once, now (tests and the CLI)."""
        job, _ = self.registered[name]
        return await job()

    def start(self) -> None:
        if self.registered and not self.scheduler.running:
            self.scheduler.start()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
