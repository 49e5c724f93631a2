"""Polling's deduplication: a stale claim is taken over on the wall clock, whatever the app's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.channels.telegram.dedupe import CLAIM_TTL, Deduplicate
from storage.db import Database
from storage.models import ProcessedUpdate


async def test_a_claim_left_by_a_dead_process_expires_on_the_wall_clock(db_url: str) -> None:
    db = Database(db_url)
    await db.upgrade()
    try:
        dedupe = Deduplicate(db)
        assert await dedupe._claim("1")
        assert not await dedupe._claim("1")  # fresh: another worker is on it
        stale = datetime.now(UTC) - CLAIM_TTL - timedelta(seconds=5)
        async with db.session() as s, s.begin():
            s.add(ProcessedUpdate(channel="telegram", update_id="2", created_at=stale, done=False))
        assert await dedupe._claim("2")  # its process died: handled again
    finally:
        await db.dispose()
