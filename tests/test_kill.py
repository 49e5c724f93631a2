"""kill -9 in the middle of a burst: no acknowledged update is lost, no reply is sent twice.

A real `qamqor run` (webhook mode) serves a fake Bot API in this process. 30 people send a
scripted conversation each (300 updates, concurrently, each person's next update once the
previous one was acknowledged, as Telegram does). After 120 acknowledgements the process is
killed with SIGKILL. It is restarted on the same database and secret key; the updates that
were not acknowledged are delivered again (and some acknowledged ones too: duplicates), the
rest of the script follows. Once the inbox and the outbox are empty, every person's chat must
read exactly like a fault-free run of the same script: same messages, same order — so nothing
was lost, nothing was sent twice, and each conversation's state went through the same steps.

The one window the design cannot close (Telegram accepted a message, the process died before
marking it sent) shows as one message repeated right away; the test tolerates at most one
such repeat per chat and reports how many it saw (aiming for none).
"""

from __future__ import annotations

import asyncio
import difflib
import signal
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.inbox.models import InboxRow
from delivery.models import OutboxRow
from devtools.fake_telegram import FakeBotAPI
from storage.db import Database
from tests.telegram_harness import BotProcess

SECRET = "webhook-secret-0123456789"
USERS = 30
KILL_AFTER = 120
SCRIPT: list[tuple[str, str]] = [
    ("text", "/start"),
    ("press", "start.welcome#ru"),
    ("text", "боюсь, муж кричит"),
    ("press", "!menu"),
    ("text", "/menu"),
    ("text", "что мне делать?"),
    ("press", "!menu"),
    ("text", "спасибо"),
    ("text", "/help"),
    ("text", "привет"),
]


def _update(api: FakeBotAPI, user: int, step: tuple[str, str]) -> dict[str, Any]:
    kind, value = step
    if kind == "text":
        return api.user_message(user, value)
    return api.button_press(user, value, message_id=1)


def _bot(tmp_path: Path, api: FakeBotAPI, db_url: str, **extra: str) -> BotProcess:
    """The bot as a real process, on the Telegram webhook of the fake Bot API."""
    return BotProcess(
        tmp_path,
        "/telegram/webhook",
        database_url=db_url,
        telegram_token=api.token,
        telegram_api_base=api.base_url,
        telegram_mode="webhook",
        webhook_secret=SECRET,
        **extra,
    )


async def _post(http: aiohttp.ClientSession, url: str, update: dict[str, Any]) -> bool:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    try:
        async with http.post(url, json=update, headers=headers) as resp:
            return resp.status == 200
    except (TimeoutError, aiohttp.ClientError, OSError):
        return False


async def _quiet(db_url: str, expected: int, timeout: float = 90) -> None:
    """Wait until every update is done and no reply is waiting to be sent."""
    db = Database(db_url)
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            async with db.session() as s:
                done = await s.scalar(select(func.count()).where(InboxRow.done_at.is_not(None)))
                open_ = await s.scalar(
                    select(func.count()).where(OutboxRow.state.in_(("pending", "sending")))
                )
            if done == expected and open_ == 0:
                return
            if loop.time() > deadline:
                raise TimeoutError(f"not quiet: {done}/{expected} done, {open_} replies open")
            await asyncio.sleep(0.3)
    finally:
        await db.dispose()


def _chats(api: FakeBotAPI) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for params in api.sent():
        out[int(params["chat_id"])].append(str(params["text"]))
    return dict(out)


async def _reference(tmp_path: Path) -> dict[int, list[str]]:
    """The same script without faults (on SQLite: the dialogue does not depend on it)."""
    api = FakeBotAPI()
    await api.start()
    (tmp_path / "ref").mkdir()
    bot = _bot(tmp_path / "ref", api, f"sqlite+aiosqlite:///{tmp_path}/ref.db")
    await bot.start()
    try:
        async with aiohttp.ClientSession() as http:

            async def person(user: int) -> None:
                for step in SCRIPT:
                    assert await _post(http, bot.url, _update(api, user, step))

            await asyncio.gather(*(person(1000 + u) for u in range(USERS)))
        await _quiet(f"sqlite+aiosqlite:///{tmp_path}/ref.db", USERS * len(SCRIPT))
        return _chats(api)
    finally:
        await bot.stop()
        await api.stop()


# The replies to "боюсь, муж кричит" (possible danger: the numbers and a check first).
# A turn with an urgent reply goes out in the person's urgent lane, which may overtake the
# person's earlier ordinary replies; within each lane the order holds.
URGENT_LANE = (
    "Если вам сейчас опасно",
    "Спасибо, что написали. То, что с вами",
    "Что сейчас важнее",
)


def _lanes(texts: list[str]) -> tuple[list[str], list[str]]:
    urgent = [t for t in texts if t.startswith(URGENT_LANE)]
    return [t for t in texts if not t.startswith(URGENT_LANE)], urgent


def _repeat(chat: object, got: list[str], expected: list[str]) -> tuple[int, int] | None:
    """None when a chat got what the reference did, up to its urgent lane going ahead of
    earlier replies. Otherwise the indices in `got` of the one message sent twice at the kill
    (the irreducible window, the copies next to each other in their lane): nothing else may
    differ. Both allowances may come together (seen in CI: a greeting repeated at the kill
    and the possible-danger check ahead of it)."""
    if _lanes(got) == _lanes(expected):
        return None
    diff = "\n".join(
        difflib.unified_diff([t[:60] for t in expected], [t[:60] for t in got], lineterm="")
    )
    assert len(got) == len(expected) + 1, f"chat {chat}:\n{diff}"
    for j in range(1, len(got)):
        lane = got[j].startswith(URGENT_LANE)
        before = [k for k in range(j) if got[k].startswith(URGENT_LANE) == lane]
        if (
            before
            and got[before[-1]] == got[j]
            and _lanes(got[:j] + got[j + 1 :]) == _lanes(expected)
        ):
            return before[-1], j
    raise AssertionError(f"chat {chat}:\n{diff}")


async def test_kill_9_under_load_loses_nothing_and_sends_nothing_twice(
    tmp_path: Path, db_url: str
) -> None:
    reference = await _reference(tmp_path)
    assert len(reference) == USERS and all(len(v) >= len(SCRIPT) for v in reference.values())

    api = FakeBotAPI()
    await api.start()
    bot = _bot(tmp_path, api, db_url)
    await bot.start()
    acked: list[dict[str, Any]] = []
    pending: dict[int, list[dict[str, Any] | tuple[str, str]]] = {}
    killed = asyncio.Event()
    kill_at: list[float] = []
    try:
        async with aiohttp.ClientSession() as http:

            async def person(user: int) -> None:
                for i, step in enumerate(SCRIPT):
                    update = _update(api, user, step)
                    if not killed.is_set() and await _post(http, bot.url, update):
                        acked.append(update)
                        if len(acked) == KILL_AFTER:
                            kill_at.append(time.monotonic())
                            bot.kill()
                            killed.set()
                        continue
                    # Not acknowledged: Telegram keeps it (and what follows) for later.
                    pending[user] = [update, *SCRIPT[i + 1 :]]
                    return

            await asyncio.gather(*(person(1000 + u) for u in range(USERS)))
            assert killed.is_set() and len(acked) >= KILL_AFTER
            assert bot.proc is not None
            await bot.proc.wait()

            await bot.start()  # same database, same data dir and secret key
            stored_before_restart = len(acked)

            async def resume(user: int) -> None:
                for item in pending.get(user, []):
                    update = item if isinstance(item, dict) else _update(api, user, item)
                    for _ in range(50):  # Telegram retries until it is acknowledged
                        if await _post(http, bot.url, update):
                            break
                        await asyncio.sleep(0.2)
                    acked.append(update)

            await asyncio.gather(*(resume(1000 + u) for u in range(USERS)))
            # Redeliveries of acknowledged updates (e.g. a lost 200): must change nothing.
            for update in acked[:stored_before_restart:4]:
                assert await _post(http, bot.url, update)

        total = USERS * len(SCRIPT)
        assert len({u["update_id"] for u in acked}) == total
        await _quiet(db_url, total)
        await asyncio.sleep(1.0)  # nothing more trickles out after quiet
        chats = _chats(api)
        sends = [c for c in api.calls if c.method == "sendMessage"]
    finally:
        await bot.stop()
        await api.stop()

    repeats = 0
    for chat, expected in reference.items():
        got = chats.get(chat, [])
        if (twice := _repeat(chat, got, expected)) is None:
            continue
        # The repeat straddles the kill: first accepted by the dying process, then resent.
        first, second = twice
        mine = [c for c in sends if int(c.params["chat_id"]) == chat]
        assert mine[first].at <= kill_at[0] <= mine[second].at, (mine[first].at, kill_at)
        repeats += 1
    print(f"kill test: {len(acked)} deliveries, {repeats} message(s) repeated at the kill")


URGENT_PEOPLE = 20


async def _turns_done(db_url: str, expected: int) -> None:
    db = Database(db_url)
    try:
        for _ in range(300):
            async with db.session() as s:
                done = await s.scalar(select(func.count()).where(InboxRow.done_at.is_not(None)))
            if done == expected:
                return
            await asyncio.sleep(0.1)
        raise TimeoutError(f"{done}/{expected} turns done")
    finally:
        await db.dispose()


URGENT_TEXT = "он сейчас меня убьёт"


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
async def test_urgent_replies_go_out_within_seconds_after_a_restart(
    tmp_path: Path, db_url: str, sig: signal.Signals
) -> None:
    """20 people write that they are about to be killed while the send budget is spent (3
    messages a second), so their replies wait in the outbox when the process is stopped.
    After the restart every one of them must get 102 within seconds (it took 2 minutes: the
    rows were held under a 2-minute lease)."""
    api = FakeBotAPI()
    await api.start()
    bot = _bot(tmp_path, api, db_url, telegram_send_per_s="3")
    await bot.start()
    people = [3000 + u for u in range(URGENT_PEOPLE)]

    def got_102() -> dict[int, float]:
        first: dict[int, float] = {}
        for call in api.calls:
            if call.method == "sendMessage" and "102" in str(call.params.get("text", "")):
                first.setdefault(int(call.params["chat_id"]), call.at)
        return first

    try:
        async with aiohttp.ClientSession() as http:
            acked = await asyncio.gather(
                *(_post(http, bot.url, api.user_message(p, URGENT_TEXT)) for p in people)
            )
            assert all(acked)
        await _turns_done(db_url, URGENT_PEOPLE)
        await asyncio.sleep(2.0)  # the outbox worker now holds what waits for the budget
        before = got_102()
        assert len(before) < URGENT_PEOPLE, "nothing was left waiting: raise the load"
        stopped_at = time.monotonic()
        bot.kill(sig)
        assert bot.proc is not None
        await bot.proc.wait()
        await bot.start()
        restarted_at = time.monotonic()
        await api.wait_for(lambda a: len(got_102()) == URGENT_PEOPLE, 60)
        after = got_102()
    finally:
        await bot.stop()
        await api.stop()
    waited = sorted(after[p] - restarted_at for p in people if p not in before)
    since_stop = sorted(after[p] - stopped_at for p in people if p not in before)
    p50 = waited[len(waited) // 2]
    print(
        f"restart after {sig.name}: {len(waited)} urgent people waiting; 102 after the "
        f"restart p50 {p50:.1f} s, max {waited[-1]:.1f} s (since the stop: max "
        f"{since_stop[-1]:.1f} s)"
    )
    assert waited[-1] <= 15.0, waited


def test_the_kill_comparison_allows_one_repeat_and_the_urgent_lane_ahead_together() -> None:
    hello, menu, check = "Здравствуйте", "Чем я могу помочь?", URGENT_LANE[0] + " — 102, 112"
    expected = [hello, menu, check, menu]
    assert _repeat(1, [hello, check, menu, menu], expected) is None  # the urgent lane ahead
    assert _repeat(1, [hello, hello, check, menu, menu], expected) == (0, 1)  # and a repeat
    with pytest.raises(AssertionError):
        _repeat(1, [hello, hello, check, menu], expected)  # a reply lost
    with pytest.raises(AssertionError):
        _repeat(1, [hello, menu, hello, check, menu], expected)  # a repeat out of place
