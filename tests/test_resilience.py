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
from bot.pipeline import Outcome
from bot.settings import Settings
from core.clock import FrozenClock
from core.messages import Inbound, Reply
from devtools.fake_telegram import FakeBotAPI
from devtools.tcp_proxy import TcpProxy
from nlu.result import Lang, NluResult, Understander
from storage.db import Tx
from storage.models import Person
from storage.state import StateData
from tests.conftest import PG_SKIP, PG_UP, TEST_KEY
from tests.web_helpers import serve

SECRET = "webhook-secret-0123456789"


class _Keeper:
    """A channel's inbox in miniature (a TurnSink): what it was asked to keep for later."""

    def __init__(self) -> None:
        self.deferred: list[tuple[list[Reply], float]] = []

    async def settle(self, conn: Tx, person_id: int, replies: list[Reply]) -> None:
        pass

    async def provisional(self, conn: Tx, person_id: int, before: StateData | None) -> None:
        pass

    async def defer(self, conn: Tx, person_id: int, replies: list[Reply], wait_s: float) -> None:
        self.deferred.append((replies, wait_s))

    async def answer(self, conn: Tx, person_id: int, replies: list[Reply]) -> None:
        pass

    def answered(self) -> None:
        pass


class _Counting:
    """The real NLU, counting its parses."""

    def __init__(self, nlu: Understander) -> None:
        self.nlu, self.parses = nlu, 0

    async def parse(
        self, text: str, *, context_lang: Lang | None = None, quick: bool = False
    ) -> NluResult:
        self.parses += 1
        return await self.nlu.parse(text, context_lang=context_lang, quick=quick)

    async def finish(self, text: str, res: NluResult) -> NluResult:
        return await self.nlu.finish(text, res)


async def test_over_the_flood_limit_danger_goes_through_and_the_rest_is_kept(
    settings: Settings, clock: FrozenClock
) -> None:
    settings.flood_limit = 3
    app = await App.create(settings, clock=clock)
    keeper = _Keeper()
    conversations = app.conversations

    async def say(text: str | None = None, payload: str | None = None, who: str = "f") -> Outcome:
        inbound = Inbound("telegram", who, clock.now(), text=text, payload=payload)
        look = await conversations.first_look(text, payload)
        return await conversations.handle(inbound, sink=keeper, look=look)

    try:
        for i in range(3):
            assert not (await say(f"/menu {i}")).deferred
        kept = await say("/menu")  # over the limit: kept, with the calm reply once
        assert kept.deferred and len(kept.replies) == 1
        assert all(n in kept.replies[0].text for n in ("102", "112", "150"))
        assert (await say("спасибо")).replies == [] and len(keeper.deferred) == 2
        # Danger is never held back: the button, the emoji, urgent words.
        assert "102" in (await say(payload="!urgent")).replies[0].text
        assert not (await say("🆘")).deferred  # (what it gets is the NLU's and dialogue's)
        assert "102" in (await say("помогите, он убьёт меня")).replies[0].text
        # Nor an answer to the danger screen, nor quick exit.
        person = kept.person_id
        assert person is not None
        await conversations.enter_step(person, "danger.start")
        assert not (await say("да")).deferred
        assert not (await say(payload="!exit")).deferred
        assert len(keeper.deferred) == 2
        assert all(0 < wait <= settings.flood_window_s for _, wait in keeper.deferred)
        # The flood is per person: someone else is answered normally.
        assert (await say("/menu", who="g")).replies
        # Without an inbox to keep it in (the console, polling), nothing is held back.
        plain = await conversations.handle(Inbound("telegram", "f", clock.now(), text="/menu"))
        assert plain.replies and not plain.deferred
    finally:
        await app.close()


async def test_the_words_are_parsed_once_per_message(
    settings: Settings, clock: FrozenClock
) -> None:
    app = await App.create(settings, clock=clock)
    counting = _Counting(app.conversations.nlu)
    app.conversations.nlu = counting
    try:
        for text in ("здравствуйте", "мне нужна консультация юриста", "спасибо"):
            look = await app.conversations.first_look(text, None)
            inbound = Inbound("telegram", "p", clock.now(), text=text)
            await app.conversations.handle(inbound, sink=_Keeper(), look=look)
        assert counting.parses == 3
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
