"""The send budget (delivery/sendrate.py) and the platforms' limits as the fakes enforce them."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.inbox.models import InboxRow
from core.clock import FrozenClock
from delivery.buckets import RedisTokenBucket, TokenBucket
from delivery.chatpace import ChatPace, Pace
from delivery.models import OutboxRow
from delivery.sendrate import SendBudget
from delivery.sendscope import URGENT, Busy, sending
from devtools.fake_graph import FakeGraphAPI
from devtools.fake_telegram import FakeBotAPI, Flood, TelegramLimits
from tests.conftest import REDIS_SKIP, REDIS_UP
from tests.hand_bucket import HandBucket
from tests.telegram_harness import WEBHOOK_SECRET, webhook_bot, webhook_settings
from tests.whatsapp_user import replies_sent, wa_settings, whatsapp_bot

SECRET = WEBHOOK_SECRET


async def _queued(budget: SendBudget, n: int) -> None:
    while budget.waiting < n:  # noqa: ASYNC110 (waiting for tasks to reach the queue)
        await asyncio.sleep(0.001)


async def test_waiting_sends_are_released_urgent_first_then_in_arrival_order() -> None:
    bucket = HandBucket()
    budget = SendBudget(bucket)
    released: list[str] = []

    async def send(name: str, priority: int) -> None:
        with sending(priority):
            await budget.acquire()
        released.append(name)

    tasks = []
    for name, priority in [("a", 0), ("b", 0), ("U1", URGENT), ("c", 0), ("U2", URGENT)]:
        tasks.append(asyncio.create_task(send(name, priority)))
        await _queued(budget, len(tasks))
    for n in range(1, 6):
        bucket.tokens += 1
        while len(released) < n:  # noqa: ASYNC110
            await asyncio.sleep(0.001)
    await asyncio.gather(*tasks)
    assert released == ["U1", "U2", "a", "b", "c"]


async def test_a_send_that_cannot_wait_longer_is_busy_unless_its_row_has_begun() -> None:
    bucket = HandBucket()
    budget = SendBudget(bucket)
    with pytest.raises(Busy), sending(0, within=0.05):
        await budget.acquire()
    assert budget.busy == 1
    # A row of two messages whose first went out: the second waits past the bound, for
    # giving up now would send the first one twice.
    bucket.tokens = 1
    with sending(0, within=0.05):
        await budget.acquire()
        second = asyncio.create_task(budget.acquire())
        await asyncio.sleep(0.1)
        bucket.tokens = 1
        await second
    assert budget.granted == 2 and budget.busy == 1


async def test_a_chat_gets_a_short_burst_then_its_pace_and_urgent_sends_find_a_token() -> None:
    pace = ChatPace(Pace(per_s=0.01, burst=3, reserve=1), Pace(per_s=0.01, burst=4, reserve=2))
    budget = SendBudget(TokenBucket(rate=1000.0, burst=100), chats=pace)
    for _ in range(2):
        with sending(0, within=0.5):
            await budget.acquire(7)
    with pytest.raises(Busy), sending(0, within=0.5):
        await budget.acquire(7)  # a third ordinary one would take the token kept for urgent
    with sending(URGENT, within=0.5):
        await budget.acquire(7)  # an urgent one goes at once
    with pytest.raises(Busy), sending(URGENT, within=0.5):
        await budget.acquire(7)  # ... within the chat's burst: then the chat's pace
    with sending(0, within=0.5):
        await budget.acquire(8)  # other chats are not held up
    # A group: two ordinary posts, then an urgent case's topic and card, no gap between.
    for priority in (0, 0, 5, 5):
        with sending(priority, within=0.5):
            await budget.acquire(-100)
    with pytest.raises(Busy), sending(5, within=0.5):
        await budget.acquire(-100)


async def test_the_local_bucket_keeps_to_its_rate() -> None:
    bucket = TokenBucket(rate=1000.0)
    assert await bucket.take() == 0.0
    wait = await bucket.take()
    assert 0.0 < wait <= 0.001  # the burst is one token: the next is due in 1/rate


# -- through Redis, shared by processes -------------------------------------------------


@pytest.fixture
async def redis() -> AsyncIterator[Any]:
    from redis.asyncio import Redis

    client = Redis(host="127.0.0.1", port=6379, db=14)
    yield client
    await client.aclose()


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_UP, reason=REDIS_SKIP)
async def test_two_processes_share_one_budget_through_redis(redis: Any) -> None:
    key = f"qamqor-test:sendrate:{uuid.uuid4().hex[:8]}"
    # Almost no refill during the test: the two together get exactly the five saved tokens.
    one = RedisTokenBucket(redis, key, rate=0.001, burst=5)
    two = RedisTokenBucket(redis, key, rate=0.001, burst=5)
    taken = 0
    for _ in range(20):
        taken += await one.take() == 0.0
        taken += await two.take() == 0.0
    assert taken == 5
    assert await one.take() > 0
    await redis.delete(key)


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_UP, reason=REDIS_SKIP)
async def test_an_urgent_send_waiting_in_one_process_holds_ordinary_ones_back_elsewhere(
    redis: Any,
) -> None:
    key = f"qamqor-test:sendrate:{uuid.uuid4().hex[:8]}"
    urgent_side = RedisTokenBucket(redis, key, rate=2.0)  # a token every 0.5 s
    ordinary_side = RedisTokenBucket(redis, key, rate=2.0)
    assert await ordinary_side.take(0) == 0.0  # the saved token
    assert await urgent_side.take(URGENT) > 0  # empty: the urgent send waits...
    await asyncio.sleep(0.6)  # ...a token is due again
    assert await ordinary_side.take(0) > 0  # held back for the urgent one
    assert await urgent_side.take(URGENT) == 0.0
    await redis.delete(key)


async def test_without_redis_the_budget_falls_back_to_this_process() -> None:
    from redis.asyncio import Redis
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff

    gone = Redis(host="127.0.0.1", port=1, retry=Retry(NoBackoff(), 0))
    bucket = RedisTokenBucket(gone, "qamqor-test:sendrate:gone", rate=0.001)
    assert await bucket.take() == 0.0  # from the local bucket
    assert await bucket.take() > 0
    await gone.aclose()


# -- Telegram's limits in the fake Bot API ----------------------------------------------


def test_the_fake_enforces_telegrams_limits() -> None:
    flood = Flood(TelegramLimits(overall_per_s=30, chat_per_s=1.0, chat_burst=3))
    # Overall: 30 in a second, whatever the chats; the 31st waits for the window.
    assert all(flood.check(1000 + i, 0.0) is None for i in range(30))
    assert flood.check(2000, 0.5) == ("overall", 1)
    assert flood.check(2000, 1.0) is None
    # One private chat: a burst of three, then about one a second.
    flood = Flood(TelegramLimits())
    assert [flood.check(7, 0.0) for _ in range(3)] == [None, None, None]
    assert flood.check(7, 0.1) == ("chat", 1)
    assert flood.check(7, 1.0) is None
    assert flood.check(8, 1.0) is None  # other chats are not held up
    # A group: twenty a minute.
    flood = Flood(TelegramLimits())
    assert all(flood.check(-100, float(i)) is None for i in range(20))
    refused = flood.check(-100, 30.0)
    assert refused is not None and refused[0] == "group" and refused[1] == 30
    assert flood.check(-100, 60.0) is None


async def test_a_burst_beyond_the_limits_is_delayed_and_nothing_is_dropped(
    tmp_path: Path, db_url: str
) -> None:
    """Ten people write twice at once (some urgently) to a bot with a budget of 10
    messages a second, against a fake Bot API that answers 429 beyond 10/s overall and beyond
    Telegram's per-chat pace: every message is answered, no delivery fails, none is sent
    twice."""
    api = FakeBotAPI(limits=TelegramLimits(overall_per_s=10))
    await api.start()
    settings = webhook_settings(tmp_path, api, db_url, telegram_send_per_s=10)
    people = [41_000 + i for i in range(10)]
    try:
        async with webhook_bot(settings) as (channel, base):
            url = f"{base}/telegram/webhook"
            for text in ("мне нужна помощь", "помогите он душит меня"):
                posts = [api.user_message(p, text if p % 2 else "здравствуйте") for p in people]
                statuses = await asyncio.gather(
                    *(api.post_to_webhook(url, u, SECRET) for u in posts)
                )
                assert {status for status, _ in statuses} == {200}
            assert channel.inbox is not None and channel.app.outbox is not None
            await channel.inbox.idle()
            while await channel.app.outbox.pending():  # noqa: ASYNC110
                await asyncio.sleep(0.1)
            async with channel.app.db.session() as s:
                undone = await s.scalar(select(func.count()).where(InboxRow.done_at.is_(None)))
                states = dict(
                    (
                        await s.execute(
                            select(OutboxRow.state, func.count()).group_by(OutboxRow.state)
                        )
                    ).all()
                )
                urgent = await s.scalar(select(func.count()).where(OutboxRow.priority == URGENT))
    finally:
        await api.stop()
    assert undone == 0 and set(states) == {"sent"} and urgent
    assert sum(len(api.bot_messages(p)) for p in people) == states["sent"]  # each once
    assert all(len(api.bot_messages(p)) >= 2 for p in people)  # a reply or more per message


async def test_whatsapp_sends_keep_within_the_throughput_limit(
    tmp_path: Path, clock: FrozenClock, db_url: str
) -> None:
    """Without the budget, twelve answers at once would meet the fake's 8/s limit (and the
    client's few quick retries would not outlast it); with a budget of 4/s none is refused."""
    graph = FakeGraphAPI(clock=clock.now, messages_per_s=8)
    await graph.start()
    people = [f"7701000{i:04d}" for i in range(12)]
    try:
        settings = wa_settings(tmp_path, graph, db_url, whatsapp_send_per_s=4)
        async with whatsapp_bot(settings, clock) as bot:
            payloads = [graph.text(p, "/start") for p in people]
            results = await asyncio.gather(*(graph.post_webhook(bot.url, p) for p in payloads))
            assert {status for status, _ in results} == {200}
            await bot.channel.idle()
            await replies_sent(bot.app, timeout=20)  # the outbox sends what waits for budget
    finally:
        await graph.stop()
    assert all(graph.to(p) for p in people)
    assert graph.too_many == 0
