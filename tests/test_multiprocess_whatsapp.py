"""Two real `qamqor run` processes serving WhatsApp on one port (SO_REUSEPORT), one
database (SQLite or PostgreSQL) and one Redis: the same guarantees as
tests/test_multiprocess.py, on the same inbox. Every message is posted to both processes at
once (Meta redelivers; a load balancer may hand the two copies to different processes).
What must hold, whichever process answers:
- no message is answered twice: each conversation reads as on one process;
- one person's messages, posted alternately to the two processes without waiting, are
  processed in the order they arrived (WhatsApp's own inbox had no per-person order);
- an urgent message delivered twice at once opens exactly one case.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.channels.whatsapp.store import WhatsAppStore
from devtools.fake_graph import FakeGraphAPI
from handoff.models import HandoffCase
from storage.crypto import Vault
from storage.db import Database
from storage.models import Person
from storage.transcript import Transcripts
from tests.conftest import REDIS_SKIP, REDIS_UP, TEST_KEY
from tests.test_multiprocess import (
    REDIS_URL,
    Pinned,
    _free_port,
    _pin_one_per_process,
    _processes,
    redis_clean,  # noqa: F401  (the fixture)
)
from tests.whatsapp_user import VERIFY_TOKEN, WhatsAppUser, wa_settings, whatsapp_bot

# On SQLite (one file, WAL) and on PostgreSQL: the `db_url` fixture skips the latter when
# it is down. Redis holds the cross-process locks and budgets either way.
pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not REDIS_UP, reason=REDIS_SKIP),
]

SCRIPT: list[tuple[str, str]] = [
    ("text", "/start"),
    ("press", "start.welcome#ru"),
    ("text", "мне страшно, муж кричит на меня каждый вечер"),
    ("text", "/menu"),
    ("text", "что мне делать?"),
    ("text", "/help"),
]
CALM = ["77020000001", "77020000002", "77020000003", "77020000004"]
URGENT_PEOPLE = ["77021000001", "77021000002"]
ORDERED = "77022000001"
URGENT = "помогите, он стоит за дверью с ножом"


def _env(graph: FakeGraphAPI, db_url: str, port: int, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QAMQOR_")}
    env.update(
        {
            "QAMQOR_DATA_DIR": str(data),
            "QAMQOR_SECRET_KEY": TEST_KEY,
            "QAMQOR_DATABASE_URL": db_url,
            "QAMQOR_REDIS_URL": REDIS_URL,
            "QAMQOR_WHATSAPP_TOKEN": graph.token,
            "QAMQOR_WHATSAPP_PHONE_ID": graph.phone_id,
            "QAMQOR_WHATSAPP_APP_SECRET": graph.app_secret,
            "QAMQOR_WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
            "QAMQOR_WHATSAPP_API_BASE": graph.api_base,
            "QAMQOR_HANDOFF_ENABLED": "true",
            "QAMQOR_HTTP_HOST": "127.0.0.1",
            "QAMQOR_HTTP_PORT": str(port),
            "QAMQOR_HTTP_REUSE_PORT": "true",
            "QAMQOR_LOG_LEVEL": "WARNING",
        }
    )
    return env


async def _post(conn: Pinned, graph: FakeGraphAPI, message: dict[str, Any]) -> int:
    """A signed POST on a pinned keep-alive connection (its process is known)."""
    body = json.dumps(message).encode()
    return await conn.request("/whatsapp/webhook", f"X-Hub-Signature-256: {graph.sign(body)}", body)


async def _twice(conns: list[Pinned], graph: FakeGraphAPI, message: dict[str, Any]) -> None:
    statuses = await asyncio.gather(*(_post(c, graph, message) for c in conns))
    assert all(s == 200 for s in statuses), statuses


def _message(graph: FakeGraphAPI, wa_id: str, step: tuple[str, str]) -> dict[str, Any]:
    kind, value = step
    if kind == "text":
        return graph.text(wa_id, value)
    return graph.button_reply(wa_id, value, value[:20])


async def _settled(graph: FakeGraphAPI, wa_id: str, before: int, quiet_s: float = 1.5) -> None:
    """Wait for the replies to a message: at least one, then none more for `quiet_s`
    (a turn's replies go out about a second apart: the outbox paces each chat)."""
    for _ in range(400):
        if len(graph.to(wa_id)) > before:
            break
        await asyncio.sleep(0.05)
    count = -1
    while count != len(graph.to(wa_id)):
        count = len(graph.to(wa_id))
        await asyncio.sleep(quiet_s)


async def _play(graph: FakeGraphAPI, conns: list[Pinned], wa_id: str) -> None:
    for i, step in enumerate(SCRIPT):
        before = len(graph.to(wa_id))
        await _twice(conns if i % 2 == 0 else conns[::-1], graph, _message(graph, wa_id, step))
        await _settled(graph, wa_id, before)
        assert len(graph.to(wa_id)) > before, f"no reply to step {i} ({step!r})"


async def _reference(tmp_path: Path) -> list[str]:
    """The same script on one in-process bot (SQLite): the replies a conversation must get."""
    graph = FakeGraphAPI()
    await graph.start()
    wa_id = CALM[0]
    settings = wa_settings(
        tmp_path / "ref", graph, f"sqlite+aiosqlite:///{tmp_path}/ref.db", handoff_enabled=True
    )
    try:
        async with whatsapp_bot(settings) as bot:
            user = WhatsAppUser(graph, bot, wa_id)
            for step in SCRIPT:
                await user.send(_message(graph, wa_id, step))
        return [s.text for s in graph.to(wa_id)]
    finally:
        await graph.stop()


async def _inbound(db_url: str, wa_id: str) -> list[str]:
    db = Database(db_url)
    vault = Vault([TEST_KEY])
    try:
        known = await WhatsAppStore(db, vault).known(wa_id)
        assert known is not None
        lines = await Transcripts(db, vault).recent(known.person_id, limit=100)
        return [line.text for line in lines if line.direction == "in"]
    finally:
        await db.dispose()


async def test_two_processes_serve_whatsapp_consistently(
    tmp_path: Path,
    db_url: str,
    redis_clean: None,  # noqa: F811
) -> None:
    reference = await _reference(tmp_path)
    graph = FakeGraphAPI()
    await graph.start()
    port = _free_port()
    env = _env(graph, db_url, port, tmp_path / "data")
    try:
        async with _processes(env, 2) as pids:
            conns = await _pin_one_per_process(port, pids)
            try:
                await asyncio.gather(*(_play(graph, conns, p) for p in CALM))

                # One person's quick messages, alternately to each process, without waiting.
                await _twice(conns, graph, graph.text(ORDERED, "/start"))
                burst = [f"спасибо ({i})" for i in range(6)]
                for i, text in enumerate(burst):
                    assert await _post(conns[i % 2], graph, graph.text(ORDERED, text)) == 200

                # Urgent, delivered to both processes at once.
                for wa_id in URGENT_PEOPLE:
                    await _twice(conns, graph, graph.text(wa_id, "/start"))
                await asyncio.gather(
                    *(_twice(conns, graph, graph.text(p, URGENT)) for p in URGENT_PEOPLE)
                )
                for p in [ORDERED, *URGENT_PEOPLE]:
                    await _settled(graph, p, 0, quiet_s=1.5)
            finally:
                for c in conns:
                    await c.close()

        # 1. Nothing answered twice: each conversation as on one process.
        for wa_id in CALM:
            got = [s.text for s in graph.to(wa_id)]
            assert got == reference, f"{wa_id} diverged from one process"

        # 2. In the order they arrived, across the two processes.
        assert await _inbound(db_url, ORDERED) == ["/start", *burst]

        # 3. One case per urgent person.
        db = Database(db_url)
        try:
            async with db.session() as s:
                per_person = (
                    await s.execute(
                        select(HandoffCase.person_id, func.count()).group_by(HandoffCase.person_id)
                    )
                ).all()
                people = await s.scalar(select(func.count()).select_from(Person))
        finally:
            await db.dispose()
        assert people == len(CALM) + 1 + len(URGENT_PEOPLE)
        assert len(per_person) == len(URGENT_PEOPLE), per_person
        assert all(n == 1 for _, n in per_person), per_person
    finally:
        await graph.stop()
