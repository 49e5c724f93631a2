"""Two real `qamqor run` processes on one port (SO_REUSEPORT), one database (SQLite or
PostgreSQL) and one Redis.

Every update is posted twice, once to each process at the same time (Telegram redelivers; a
load balancer may hand the two copies to different processes), and each person's messages
go to alternating processes. What must hold, whichever process answers:
- no update is answered twice;
- a conversation goes on exactly as it does on a single process (the replies are compared
  with the same script played in-process);
- the flood limit counts one person's messages across both processes (and keeps the rest);
- an urgent conversation opens exactly one case (and one topic), and a case is claimed once.
The per-person lock across processes (RedisLocks) is checked on its own too.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.channels.telegram.render import chunks
from bot.locks import LockTimeout, RedisLocks
from bot.settings import Settings
from core.messages import Inbound
from devtools.fake_telegram import FakeBotAPI
from handoff.models import HandoffCase
from storage.db import Database
from tests.conftest import REDIS_SKIP, REDIS_UP, TEST_KEY

# On SQLite (one file, WAL) and on PostgreSQL: the `db_url` fixture skips the latter when
# it is down. Redis holds the cross-process locks and budgets either way.
pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not REDIS_UP, reason=REDIS_SKIP),
]

SECRET = "multiprocess-webhook-secret-0123"
GROUP = -1001500150
# A Redis database of its own, emptied first: person ids restart with every fresh PostgreSQL.
REDIS_URL = "redis://127.0.0.1:6379/13"
FLOOD_LIMIT = 8
SCRIPT: list[str | int] = [  # texts, or the index of a button of the bot's last message
    "/start",
    0,
    "муж кричит на меня каждый вечер, хочу разобраться",  # calm: below the possible band
    0,
    "что мне делать?",
    "/menu",
]
CALM_USERS = [70_001, 70_002, 70_003, 70_004]
URGENT_USERS = [71_001, 71_002]
FLOOD_USER = 72_001
URGENT = "помогите, он стоит за дверью с ножом"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Pinned:
    """A keep-alive HTTP/1.1 connection whose server process is known (no SO_REUSEPORT luck)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.lock = asyncio.Lock()

    @property
    def local_port(self) -> int:
        return int(self.writer.get_extra_info("sockname")[1])

    async def post(self, update: dict[str, Any]) -> int:
        """A Telegram update to the webhook, with its secret."""
        body = json.dumps(update).encode()
        return await self.request(
            "/telegram/webhook", f"X-Telegram-Bot-Api-Secret-Token: {SECRET}", body
        )

    async def request(self, path: str, header: str, body: bytes) -> int:
        """POST ``body`` with one extra header line; the response's status."""
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{header}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        async with self.lock:
            self.writer.write(head.encode() + body)
            await self.writer.drain()
            status_line = await self.reader.readline()
            length = 0
            while (line := await self.reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            await self.reader.readexactly(length)
        return int(status_line.split()[1])

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(OSError):
            await self.writer.wait_closed()


def _owner(pids: list[int], client_port: int) -> int | None:
    for pid in pids:
        for conn in psutil.Process(pid).net_connections(kind="tcp"):
            if conn.raddr and conn.raddr.port == client_port:
                return pid
    return None


async def _pin_one_per_process(port: int, pids: list[int]) -> list[Pinned]:
    """Open connections until each process holds one (the kernel picks a listener for each)."""
    pinned: dict[int, Pinned] = {}
    for _ in range(200):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        conn = Pinned(reader, writer)
        owner = None
        for _ in range(50):  # the accept may take a moment to show up
            owner = _owner(pids, conn.local_port)
            if owner is not None:
                break
            await asyncio.sleep(0.02)
        if owner is not None and owner not in pinned:
            pinned[owner] = conn
            if len(pinned) == len(pids):
                return [pinned[p] for p in pids]
        else:
            await conn.close()
    raise AssertionError("could not reach every process through the shared port")


def _env(api: FakeBotAPI, db_url: str, port: int, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QAMQOR_")}
    env.update(
        {
            "QAMQOR_DATA_DIR": str(data),
            "QAMQOR_SECRET_KEY": TEST_KEY,
            "QAMQOR_DATABASE_URL": db_url,
            "QAMQOR_REDIS_URL": REDIS_URL,
            "QAMQOR_TELEGRAM_TOKEN": api.token,
            "QAMQOR_TELEGRAM_API_BASE": api.base_url,
            "QAMQOR_TELEGRAM_MODE": "webhook",
            "QAMQOR_WEBHOOK_SECRET": SECRET,
            "QAMQOR_HTTP_HOST": "127.0.0.1",
            "QAMQOR_HTTP_PORT": str(port),
            "QAMQOR_HTTP_REUSE_PORT": "true",
            "QAMQOR_CONSULTANTS_CHAT_ID": str(GROUP),
            "QAMQOR_FLOOD_LIMIT": str(FLOOD_LIMIT),
            "QAMQOR_LOG_LEVEL": "WARNING",
        }
    )
    return env


async def _healthy(port: int, count: int, within_s: float = 90) -> None:
    """Wait until `count` processes listen on the port (each answers /healthz)."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        listening = {
            c.pid
            for c in psutil.net_connections(kind="tcp")
            if c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port
        }
        if len(listening) >= count:
            return
        await asyncio.sleep(0.2)
    raise TimeoutError(f"{count} processes did not start listening on {port}")


@contextlib.asynccontextmanager
async def _processes(env: dict[str, str], count: int) -> AsyncIterator[list[int]]:
    # Migrations once, before the workers start (as a deployment would).
    up = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "db", "upgrade", env=env)
    assert await up.wait() == 0
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(count)
    ]
    try:
        await _healthy(int(env["QAMQOR_HTTP_PORT"]), count)
        yield [p.pid for p in procs]
    finally:
        errors = []
        for p in procs:
            if p.returncode is None:
                p.terminate()
            _, err = await asyncio.wait_for(p.communicate(), 30)
            if b"Traceback" in err:
                errors.append(err.decode(errors="replace")[-3000:])
        assert not errors, "\n".join(errors)


def _buttons(message: dict[str, Any]) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def _twice(conns: list[Pinned], update: dict[str, Any]) -> None:
    """The same update to both processes at once: exactly one of them may answer it."""
    statuses = await asyncio.gather(*(c.post(update) for c in conns))
    assert all(s == 200 for s in statuses), statuses


async def _play(api: FakeBotAPI, conns: list[Pinned], user: int) -> list[str]:
    """The script for one person, alternating processes; returns the payloads pressed."""
    pressed = []
    for i, step in enumerate(SCRIPT):
        before = len(api.bot_messages(user))
        if isinstance(step, int):
            payload = _buttons(api.last_bot_message(user))[step]
            pressed.append(payload)
            update = api.button_press(user, payload)
        else:
            update = api.user_message(user, step)
        order = conns if i % 2 == 0 else conns[::-1]
        await _twice(order, update)
        # The webhook acknowledges once the update is stored and answers right after.
        await _settled(api, user, before)
        assert len(api.bot_messages(user)) > before, f"no reply to step {i} ({step!r})"
    return pressed


async def _settled(api: FakeBotAPI, user: int, before: int, quiet_s: float = 1.5) -> None:
    """Wait for the replies to an update: at least one, then none more for `quiet_s`
    (a turn's replies go out about a second apart: the outbox paces each chat)."""
    await api.wait_for(lambda a: len(a.bot_messages(user)) > before, timeout=20)
    count = -1
    while count != len(api.bot_messages(user)):
        count = len(api.bot_messages(user))
        await asyncio.sleep(quiet_s)


async def _reference(tmp_path: Path, pressed: list[str]) -> list[str]:
    """The same script on one in-process bot: the replies a conversation must get."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "reference",
        secret_key=TEST_KEY,  # type: ignore[arg-type]
        consultants_chat_id=str(GROUP),
        flood_limit=1000,
    )
    app = await App.create(settings)
    texts: list[str] = []
    presses = iter(pressed)
    try:
        for i, step in enumerate(SCRIPT):
            inbound = Inbound(
                channel="telegram",
                user_ref="1",
                address="1",
                at=app.clock.now(),
                text=step if isinstance(step, str) else None,
                payload=next(presses) if isinstance(step, int) else None,
                message_id=str(i + 1) if isinstance(step, str) else None,
            )
            outcome = await app.conversations.handle(inbound)
            texts.extend(part for r in outcome.replies for part in chunks(r.text))
    finally:
        await app.close()
    return texts


@pytest.fixture
async def redis_clean() -> AsyncIterator[None]:
    from redis.asyncio import Redis

    client = Redis.from_url(REDIS_URL)
    await client.flushdb()
    yield
    await client.flushdb()
    await client.aclose()


async def test_two_processes_serve_one_bot_consistently(
    tmp_path: Path, db_url: str, redis_clean: None
) -> None:
    api = FakeBotAPI()
    await api.start()
    port = _free_port()
    env = _env(api, db_url, port, tmp_path / "data")
    try:
        async with _processes(env, 2) as pids:
            conns = await _pin_one_per_process(port, pids)
            try:
                # Calm conversations, interleaved between people and alternating processes.
                pressed = await asyncio.gather(*(_play(api, conns, u) for u in CALM_USERS))

                # Urgent: the same alarm twice at once, then more words on the other process.
                for user in URGENT_USERS:
                    await _twice(conns, api.user_message(user, "/start"))
                await asyncio.gather(
                    *(_twice(conns, api.user_message(u, URGENT)) for u in URGENT_USERS)
                )
                await asyncio.gather(
                    *(
                        _twice(conns[::-1], api.user_message(u, "он ломает дверь"))
                        for u in URGENT_USERS
                    )
                )

                # A flood spread over both processes: the shared limit still counts it all.
                for i in range(FLOOD_LIMIT + 4):
                    await conns[i % 2].post(api.user_message(FLOOD_USER, "привет"))

                await api.wait_for(lambda a: len(a.topics[GROUP]) >= len(URGENT_USERS), 30)
                cards = await _cards(api, len(URGENT_USERS))
                # Two consultants press Claim on the same card, on different processes
                # (their Telegram accounts linked to staff accounts, as /link does).
                for k, n in enumerate(("aigerim", "dana")):
                    await _link(db_url, 900001 + k, n)
                card = cards[0]
                claim = _buttons(card)[0]  # ✋ Взять
                presses = [
                    api.consultant_press(GROUP, 900001 + k, claim, card["message_id"], name=n)
                    for k, n in enumerate(("Aigerim", "Dana"))
                ]
                await asyncio.gather(conns[0].post(presses[0]), conns[1].post(presses[1]))
                # Replies go out after the 200 and at most about one a second per chat (the
                # outbox keeps Telegram's limit): wait for the flood's calm reply (urgent: it
                # comes early) and the answers under the limit, then quiet.
                await api.wait_for(
                    lambda a: (
                        any("много сообщений подряд" in p["text"] for p in a.sent(FLOOD_USER))
                        and sum("Чем я могу помочь" in p["text"] for p in a.sent(FLOOD_USER))
                        >= FLOOD_LIMIT
                    ),
                    60,
                )
                await asyncio.sleep(2)  # let both outboxes deliver what they would
            finally:
                for c in conns:
                    await c.close()

            # 1. No update answered twice: each person message got one set of replies.
            reference = await _reference(tmp_path, pressed[0])
            for user, mine in zip(CALM_USERS, pressed, strict=True):
                got = [m["text"] for m in api.bot_messages(user)]
                if mine == pressed[0]:
                    assert got == reference, f"user {user} diverged from one process"
                assert len(got) == len(reference), f"user {user}: {len(got)} replies"

            # 2. Flood: the limit's calm reply once (the window's first message over the limit);
            # the messages over it are kept for the next window (tests/test_flood.py), not
            # answered twice.
            flood = [p["text"] for p in api.sent(FLOOD_USER)]
            slow = [t for t in flood if "много сообщений подряд" in t]
            assert len(slow) == 1, flood
            answered = sum("Чем я могу помочь" in t for t in flood)
            assert FLOOD_LIMIT <= answered <= FLOOD_LIMIT + 4, flood

            # 3. One case (and one topic) per urgent person, claimed by exactly one consultant.
            db = Database(db_url)
            try:
                async with db.session() as s:
                    per_person = (
                        await s.execute(
                            select(HandoffCase.person_id, func.count()).group_by(
                                HandoffCase.person_id
                            )
                        )
                    ).all()
                    claimed = (
                        await s.scalars(
                            select(HandoffCase.claimed_by).where(
                                HandoffCase.claimed_by.is_not(None)
                            )
                        )
                    ).all()
            finally:
                await db.dispose()
            assert len(per_person) == len(URGENT_USERS)
            assert all(n == 1 for _, n in per_person), per_person
            assert len(api.topics[GROUP]) == len(URGENT_USERS)
            assert len(claimed) == 1 and claimed[0] in ("aigerim", "dana")

            # The claim's notice in the topic: it queues behind the group's rate limit.
            def took(a: FakeBotAPI) -> list[str]:
                return [m["text"] for m in a.bot_messages(GROUP) if "взял(а)" in m.get("text", "")]

            await api.wait_for(lambda a: bool(took(a)), 60)
            await asyncio.sleep(3)  # a second notice would follow within the group's gap
            assert len(took(api)) == 1, took(api)
    finally:
        await api.stop()


async def _link(db_url: str, tg_user: int, name: str) -> None:
    from datetime import UTC, datetime

    from handoff.linking import Links
    from staffweb.auth import StaffAuth
    from staffweb.models import StaffUser
    from storage.crypto import Vault

    db = Database(db_url)
    try:
        now = datetime.now(UTC)
        await StaffAuth(db).add_user(name, "correct horse battery", ["consultant"], now)
        async with db.session() as s:
            staff_id = await s.scalar(select(StaffUser.id).where(StaffUser.username == name))
        assert staff_id is not None
        links = Links(db, Vault([TEST_KEY]))
        assert await links.redeem(await links.new_code(staff_id, now), tg_user, now)
    finally:
        await db.dispose()


async def _cards(api: FakeBotAPI, count: int) -> list[dict[str, Any]]:
    def cards(a: FakeBotAPI) -> list[dict[str, Any]]:
        return [m for m in a.bot_messages(GROUP) if _buttons(m) and "СРОЧНО" in m.get("text", "")]

    await api.wait_for(lambda a: len(cards(a)) >= count, 30)
    return cards(api)


async def test_redis_person_lock_excludes_across_processes(redis_clean: None) -> None:
    from redis.asyncio import Redis

    one, two = Redis.from_url(REDIS_URL), Redis.from_url(REDIS_URL)  # two "processes"
    try:
        a, b = RedisLocks(one, wait_s=5), RedisLocks(two, wait_s=5)
        inside: list[str] = []
        overlaps = 0

        async def turn(locks: RedisLocks, name: str) -> None:
            nonlocal overlaps
            for _ in range(10):
                async with locks.hold(42):
                    inside.append(name)
                    overlaps += len(inside) > 1
                    await asyncio.sleep(0.005)
                    inside.remove(name)

        await asyncio.gather(turn(a, "a"), turn(b, "b"))
        assert overlaps == 0
        # Another person is not held up; a lock held too long makes the waiter give up.
        short = RedisLocks(two, wait_s=0.2)
        async with a.hold(7):
            async with short.hold(8):
                pass
            with pytest.raises(LockTimeout):
                async with short.hold(7):
                    pass
        # A crashed holder's lease runs out (ttl), and the person is served again.
        lease = RedisLocks(one, ttl_s=0.2)
        await lease._redis.set("qamqor:lock:person:9", "dead", px=200)
        async with lease.hold(9):
            pass
    finally:
        await one.aclose()
        await two.aclose()
