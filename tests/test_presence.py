"""Is the case queue being served? (handoff/presence.py; docs/handoff.md, "Honest promises")."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from handoff.presence import Presence
from tests.conftest import REDIS_SKIP, REDIS_UP

NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)


async def test_served_only_within_the_window_after_a_consultant_acted() -> None:
    presence = Presence(window=timedelta(minutes=15))
    assert not await presence.served(NOW)  # nobody has been seen: no promise
    await presence.seen(NOW)
    assert await presence.served(NOW + timedelta(minutes=14))
    assert not await presence.served(NOW + timedelta(minutes=16))


@pytest.mark.skipif(not REDIS_UP, reason=REDIS_SKIP)
async def test_another_process_sees_the_moment_through_redis() -> None:
    from redis.asyncio import Redis

    redis = Redis(host="127.0.0.1", port=6379)
    key = f"test:presence:{uuid.uuid4().hex}"
    try:
        one, other = Presence(redis=redis, key=key), Presence(redis=redis, key=key)
        assert not await other.served(NOW)
        await one.seen(NOW)
        assert await other.served(NOW + timedelta(minutes=5))
        assert not await other.served(NOW + timedelta(minutes=20))
    finally:
        await redis.delete(key)
        await redis.aclose()


async def test_without_redis_other_processes_read_a_recent_claim_from_the_cases(
    db_url: str,
) -> None:
    from handoff.cases import CaseStore
    from storage.crypto import Vault
    from storage.db import Database
    from tests.conftest import TEST_KEY
    from tests.test_handoff_store import _open, _person

    db = Database(db_url)
    await db.upgrade()
    try:
        store = CaseStore(db, Vault([TEST_KEY]))
        presence = Presence(cases=store)  # this process saw nobody
        case = await _open(store, await _person(db))
        claimed_at = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
        assert not await presence.served(claimed_at)
        await store.claim(case.id, by="aigerim", now=claimed_at, staff_id=None)
        assert await presence.served(claimed_at + timedelta(minutes=10))
        assert not await presence.served(claimed_at + timedelta(minutes=30))
    finally:
        await db.dispose()
