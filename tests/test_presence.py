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
