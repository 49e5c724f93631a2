"""Conversation state in the real Redis, as several processes would share it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from core.clock import FrozenClock
from storage.crypto import Vault
from storage.state import RedisStateStore
from tests.conftest import REDIS_SKIP, REDIS_UP, TEST_KEY

pytestmark = [pytest.mark.redis, pytest.mark.skipif(not REDIS_UP, reason=REDIS_SKIP)]


@pytest.fixture
async def redis() -> AsyncIterator[object]:
    from redis.asyncio import Redis

    client = Redis(host="127.0.0.1", port=6379)
    yield client
    await client.aclose()


async def test_state_is_shared_encrypted_and_expires(redis: object, clock: FrozenClock) -> None:
    prefix = f"qamqor-test-{uuid.uuid4().hex[:8]}"
    vault = Vault([TEST_KEY])
    one = RedisStateStore(redis, vault, ttl=timedelta(days=30), prefix=prefix)
    two = RedisStateStore(redis, vault, ttl=timedelta(days=30), prefix=prefix)  # another process
    await one.save(7, {"step": "menu.main", "vars": {"city": "Шымкент"}}, clock.now())
    assert await two.load(7) == {"step": "menu.main", "vars": {"city": "Шымкент"}}
    raw = await redis.get(f"{prefix}:state:7")  # type: ignore[attr-defined]
    assert "Шымкент".encode() not in raw
    ttl = await redis.ttl(f"{prefix}:state:7")  # type: ignore[attr-defined]
    assert 0 < ttl <= 30 * 86400
    await two.delete(7)
    assert await one.load(7) is None
