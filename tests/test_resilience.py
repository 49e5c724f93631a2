"""Hostile input and faults: floods, a database that disappears, retention of personal data."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from bot.app import App
from bot.channels.telegram.channel import TelegramChannel
from bot.settings import Settings
from bot.testing.fake_telegram import FakeBotAPI
from bot.testing.tcp_proxy import TcpProxy
from dialogues.messages import Inbound
from storage.clock import FrozenClock
from storage.models import Person
from tests.conftest import PG_SKIP, PG_UP, TEST_KEY
from tests.web_helpers import serve

SECRET = "webhook-secret-0123456789"


async def test_a_flood_gets_one_calm_reply_then_silence(
    settings: Settings, clock: FrozenClock
) -> None:
    settings.flood_limit = 5
    app = await App.create(settings, clock=clock)
    try:
        replies = []
        for i in range(9):
            out = await app.conversations.handle(
                Inbound("telegram", "f", clock.now(), text=f"/menu {i}")
            )
            replies.append(out.replies)
        assert all(r for r in replies[:5])
        assert len(replies[5]) == 1 and "102" in replies[5][0].text  # calm, with the numbers
        assert replies[6:] == [[], [], []]
        # The flood is per person: someone else is answered normally.
        other = await app.conversations.handle(Inbound("telegram", "g", clock.now(), text="/menu"))
        assert other.replies
    finally:
        await app.close()


async def test_retention_deletes_idle_people_and_keeps_statistics(
    settings: Settings, clock: FrozenClock
) -> None:
    from registry.models import Contact

    app = await App.create(settings, clock=clock)
    try:
        await app.conversations.handle(Inbound("console", "old", clock.now(), text="/start"))
        clock.advance(timedelta(days=20))
        await app.conversations.handle(Inbound("console", "recent", clock.now(), text="/start"))
        clock.advance(timedelta(days=11))
        assert await app.retention.sweep(clock.now()) == 1
        async with app.db.session() as s:
            assert await s.scalar(select(func.count()).select_from(Person)) == 1
            assert await s.scalar(select(func.count()).select_from(Contact)) == 2
            for table in ("transcript", "conversation_states"):
                rows = await s.scalar(text(f"SELECT count(DISTINCT person_id) FROM {table}"))
                assert rows == 1, table
        await app.jobs.run_now("retention.sweep")  # the scheduled job does the same
    finally:
        await app.close()


@pytest.fixture
async def pg_proxy(pg_url: str) -> AsyncIterator[tuple[TcpProxy, str]]:
    proxy = TcpProxy("127.0.0.1", 5432)
    port = await proxy.start()
    yield proxy, pg_url.replace("127.0.0.1:5432", f"127.0.0.1:{port}")
    await proxy.cut()


@pytest.mark.postgres
@pytest.mark.skipif(not PG_UP, reason=PG_SKIP)
async def test_a_database_that_disappears_gets_the_phone_lines_then_recovers(
    tmp_path: Path, pg_proxy: tuple[TcpProxy, str]
) -> None:
    proxy, url = pg_proxy
    api = FakeBotAPI()
    await api.start()
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path,
        database_url=url,  # type: ignore[call-arg]
        secret_key=TEST_KEY,
        telegram_token=api.token,  # type: ignore[arg-type]
        telegram_api_base=api.base_url,
        telegram_mode="webhook",
        webhook_secret=SECRET,
    )  # type: ignore[arg-type]
    app = await App.create(settings)
    channel = TelegramChannel(app)
    try:
        async with serve(app, channel) as base:
            hook = f"{base}/telegram/webhook"
            assert (await api.post_to_webhook(hook, api.user_message(1, "/start"), SECRET))[
                0
            ] == 200
            await api.wait_sent(1, 1)  # stored, then answered
            await proxy.cut()
            update = api.user_message(1, "/menu")
            started = asyncio.get_running_loop().time()
            status, _ = await api.post_to_webhook(hook, update, SECRET)
            assert status == 503  # refused: Telegram will deliver it again
            assert asyncio.get_running_loop().time() - started < 20  # did not hang
            assert "102" in api.sent(1)[-1]["text"] and "150" in api.sent(1)[-1]["text"]
            await proxy.restore()
            status, _ = await api.post_to_webhook(hook, update, SECRET)  # the redelivery
            assert status == 200
            await api.wait_for(lambda a: "Чем я могу помочь" in a.sent(1)[-1]["text"], 15)
    finally:
        await channel.close()
        with contextlib.suppress(Exception):
            await app.close()
        await api.stop()
