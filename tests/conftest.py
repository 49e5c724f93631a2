"""Shared fixtures: databases (SQLite, and the real PostgreSQL when it answers), settings, apps."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.settings import Settings
from core.clock import FrozenClock
from devtools.fake_telegram import FakeBotAPI
from tests.browser import page  # noqa: F401  (the Playwright fixture, for every test module)

PG_HOST, PG_PORT = "127.0.0.1", 5432
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
TEST_KEY = "test-secret-key-0123456789abcdef"

# Tests never read a developer's .env or their real data dir.
for _name in list(os.environ):
    if _name.startswith("QAMQOR_"):
        del os.environ[_name]


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


PG_UP = _port_open(PG_HOST, PG_PORT)
REDIS_UP = _port_open(REDIS_HOST, REDIS_PORT)
PG_SKIP = "PostgreSQL is not answering at 127.0.0.1:5432 (start it to run these tests)"
REDIS_SKIP = "Redis is not answering at 127.0.0.1:6379 (start it to run these tests)"


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, dropped at the end."""
    if not PG_UP:
        pytest.skip(PG_SKIP)
    import asyncpg

    name = f"qamqor_test_{uuid.uuid4().hex[:10]}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(
            host=PG_HOST, port=PG_PORT, user="postgres", database="postgres"
        )
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    yield f"postgresql+asyncpg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def pg_url(pg_database: str) -> AsyncIterator[str]:
    """The run's PostgreSQL database, emptied before each test."""
    from sqlalchemy import text

    from storage.db import Database

    db = Database(pg_database)
    async with db.engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await db.dispose()
    yield pg_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'qamqor.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 25, 20, 0, tzinfo=UTC))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        secret_key=TEST_KEY,  # type: ignore[arg-type]
        public_url="http://127.0.0.1",  # a local run: staff cookies over plain http
    )


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    """A fake Bot API server on 127.0.0.1 (devtools/fake_telegram.py)."""
    fake = FakeBotAPI()
    await fake.start()
    yield fake
    await fake.stop()
