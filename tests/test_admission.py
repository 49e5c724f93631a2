"""Turn slots: at most N turns at once, urgent ones let in first (bot/admission.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from bot.admission import Admission
from devtools.fake_telegram import FakeBotAPI
from tests.telegram_harness import WEBHOOK_SECRET, webhook_bot, webhook_settings

SECRET = WEBHOOK_SECRET


async def _until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():  # noqa: ASYNC110 - polling a plain counter
            await asyncio.sleep(0.005)


async def test_urgent_waiters_go_first_then_the_rest_in_arrival_order() -> None:
    gate = Admission(1)
    order: list[str] = []

    async def turn(name: str, urgent: bool) -> None:
        async with gate.turn(urgent):
            order.append(name)

    async with gate.turn(False):  # the one slot is taken
        tasks = [
            asyncio.create_task(turn(n, n.startswith("u"))) for n in ("a", "b", "u1", "c", "u2")
        ]
        await _until(lambda: gate.waiting == 5)
    await asyncio.gather(*tasks)
    assert order == ["u1", "u2", "a", "b", "c"]


async def test_surely_urgent_waiters_go_before_possibly_urgent_ones() -> None:
    # The NLU's first look reads some calm words as possible danger: under a surge they are
    # many, and a 🆘 or danger now must not queue among them (issue 21).
    gate = Admission(1)
    order: list[str] = []

    async def turn(name: str, urgent: bool, possible: bool) -> None:
        async with gate.turn(urgent, possible):
            order.append(name)

    lines = [("a", False, False), ("p1", True, True), ("p2", True, True), ("u1", True, False)]
    async with gate.turn(False):
        tasks = [asyncio.create_task(turn(*line)) for line in [*lines, ("u2", True, False)]]
        await _until(lambda: gate.waiting == 5)
    await asyncio.gather(*tasks)
    assert order == ["u1", "u2", "p1", "p2", "a"]


async def test_no_more_turns_at_once_than_slots_and_a_cancelled_waiter_frees_nothing() -> None:
    gate = Admission(2)
    running = peak = 0

    async def turn() -> None:
        nonlocal running, peak
        async with gate.turn(False):
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.001)
            running -= 1

    async with gate.turn(False), gate.turn(False):
        doomed = asyncio.create_task(turn())
        await _until(lambda: gate.waiting == 1)
        doomed.cancel()
        await asyncio.gather(doomed, return_exceptions=True)
        assert gate.waiting == 0
    await asyncio.gather(*(turn() for _ in range(20)))
    assert peak == 2
    # Every slot came back: two turns can still start at once.
    async with gate.turn(False), gate.turn(True):
        assert gate.waiting == 0


async def test_an_urgent_message_overtakes_a_backlog_of_ordinary_ones(
    tmp_path: Path, api: FakeBotAPI
) -> None:
    settings = webhook_settings(tmp_path, api, turn_slots=1)
    async with webhook_bot(settings) as (channel, base):
        url = f"{base}/telegram/webhook"
        inbox = channel.inbox
        assert inbox is not None
        ordinary = [1001, 1002, 1003, 1004]
        urgent = 2001
        async with inbox.admission.turn(False):  # the bot is busy: everything waits in line
            for user in ordinary:
                status, _ = await api.post_to_webhook(
                    url,
                    api.user_message(user, "здравствуйте, хочу узнать про консультацию"),
                    SECRET,
                )
                assert status == 200
            await _until(lambda: inbox.admission.waiting == len(ordinary))
            status, _ = await api.post_to_webhook(
                url, api.user_message(urgent, "помогите он ломает дверь у него нож"), SECRET
            )
            assert status == 200
            # The urgent turn takes a reserved slot: answered while every slot is still busy.
            await _until(lambda: any(m["chat_id"] == urgent for m in api.sent()))
            assert {m["chat_id"] for m in api.sent()} == {urgent}
            assert inbox.admission.waiting == len(ordinary)
        await inbox.idle()
        first_chats = [m["chat_id"] for m in api.sent()]
        assert first_chats[0] == urgent  # the danger reply went out before any other
        assert set(first_chats) == {urgent, *ordinary}  # and nobody was dropped


async def test_surely_urgent_turns_take_reserved_slots_that_nothing_else_may_take() -> None:
    gate = Admission(1, urgent_reserve=1)
    order: list[str] = []

    async def turn(name: str, urgent: bool, possible: bool = False) -> None:
        async with gate.turn(urgent, possible):
            order.append(name)
            await asyncio.sleep(0)

    async with gate.turn(False):  # the one ordinary slot is taken
        waiters = [
            asyncio.create_task(turn("a", False)),
            asyncio.create_task(turn("p", True, possible=True)),
        ]
        await _until(lambda: gate.waiting == 2)
        async with gate.turn(True):  # at once, in the reserve, though others wait
            assert gate.waiting == 2
            # The reserve is full: a second urgent turn waits, first in line.
            second = asyncio.create_task(turn("u2", True))
            await _until(lambda: gate.waiting == 3)
        # The reserved slot freed goes to the urgent waiter, never to the others.
        await _until(lambda: order == ["u2"])
        await asyncio.sleep(0.01)
        assert order == ["u2"] and gate.waiting == 2
    await asyncio.gather(*waiters, second)
    assert order == ["u2", "p", "a"]
