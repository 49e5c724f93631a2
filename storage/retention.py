"""Retention: personal data goes after a period of silence; anonymous statistics stay.

A person idle for longer than the period is deleted with everything that cascades from them
(transcript, state, message ids, and the domain rows that refer to them); *erasers* first
delete what does not cascade (handoff cases and their copies in the consultants' group).
Domain packages add *holds*: people they still need (an upcoming booking) are kept.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, select

from storage.db import Database
from storage.models import Person, TranscriptEntry

log = logging.getLogger(__name__)

# A hold returns a SELECT of person ids that must be kept at `now`.
Hold = Callable[[datetime], Select[Any]]
# An eraser deletes what a domain package keeps about these people and does not cascade
# (a handoff case outlives its person by design, and has copies outside the database).
Eraser = Callable[[Sequence[int]], Awaitable[None]]
BATCH = 500


class Retention:
    def __init__(self, db: Database, period: timedelta) -> None:
        self._db = db
        self.period = period
        self.holds: list[Hold] = []
        self.erasers: list[Eraser] = []

    async def sweep(self, now: datetime) -> int:
        """Delete people past the period (in batches); returns how many were deleted."""
        cutoff = now - self.period
        deleted = 0
        while True:
            query = select(Person.id).where(Person.last_seen_at < cutoff)
            for hold in self.holds:
                query = query.where(Person.id.not_in(hold(now)))
            async with self._db.session() as s:
                ids = list((await s.execute(query.limit(BATCH))).scalars())
            if ids:
                for eraser in self.erasers:
                    await eraser(ids)
                async with self._db.session() as s, s.begin():
                    # Still silent (someone may have written meanwhile): then deleted.
                    await s.execute(
                        delete(Person).where(Person.id.in_(ids), Person.last_seen_at < cutoff)
                    )
            deleted += len(ids)
            if len(ids) < BATCH:
                break
        if deleted:
            log.info("retention: %d people past %d days deleted", deleted, self.period.days)
        # People a hold keeps (a session ahead, a course) keep their transcript only for the
        # period too: what they wrote months ago is not needed to serve them and is not kept.
        async with self._db.session() as s, s.begin():
            await s.execute(delete(TranscriptEntry).where(TranscriptEntry.created_at < cutoff))
        return deleted
