"""kill -9 in the middle of a WhatsApp burst: no acknowledged message is lost, no reply is
sent twice — the same proof as tests/test_kill.py, on the same inbox, through Meta's webhook.

A real `qamqor run` serves a fake Graph API in this process. 30 people send the scripted
conversation of tests/test_kill.py (button presses as reply-button ids), each person's next
message once the previous POST was acknowledged. After 120 acknowledgements the process is
killed with SIGKILL, restarted on the same database and secret key; what was not acknowledged
is delivered again (and a quarter of what was: duplicates), the rest of the script follows.
Once the inbox and the outbox are empty, every chat must read like a fault-free run of the
same script, except for at most one message repeated right at the kill (Meta accepted it,
the process died before marking it sent).
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import aiohttp

from devtools.fake_graph import FakeGraphAPI
from tests.telegram_harness import BotProcess
from tests.test_kill import KILL_AFTER, SCRIPT, USERS, _quiet, _repeat
from tests.whatsapp_user import VERIFY_TOKEN


def _message(graph: FakeGraphAPI, wa_id: str, step: tuple[str, str]) -> dict[str, Any]:
    kind, value = step
    if kind == "text":
        return graph.text(wa_id, value)
    return graph.button_reply(wa_id, value, value[:20])


def _bot(tmp_path: Path, graph: FakeGraphAPI, db_url: str) -> BotProcess:
    """The bot as a real process, on the WhatsApp webhook of the fake Graph API."""
    return BotProcess(
        tmp_path,
        "/whatsapp/webhook",
        database_url=db_url,
        whatsapp_token=graph.token,
        whatsapp_phone_id=graph.phone_id,
        whatsapp_app_secret=graph.app_secret,
        whatsapp_verify_token=VERIFY_TOKEN,
        whatsapp_api_base=graph.api_base,
    )


async def _post(graph: FakeGraphAPI, url: str, message: dict[str, Any]) -> bool:
    try:
        status, _ = await graph.post_webhook(url, message)
    except (TimeoutError, aiohttp.ClientError, OSError):
        return False
    return status == 200


def _people() -> list[str]:
    return [f"7701{u:07d}" for u in range(USERS)]


def _chats(graph: FakeGraphAPI) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for sent in graph.sent:
        out[sent.to].append(sent.text)
    return dict(out)


async def _reference(tmp_path: Path) -> dict[str, list[str]]:
    """The same script without faults (on SQLite: the dialogue does not depend on it)."""
    graph = FakeGraphAPI()
    await graph.start()
    (tmp_path / "ref").mkdir()
    bot = _bot(tmp_path / "ref", graph, f"sqlite+aiosqlite:///{tmp_path}/ref.db")
    await bot.start()
    try:

        async def person(wa_id: str) -> None:
            for step in SCRIPT:
                assert await _post(graph, bot.url, _message(graph, wa_id, step))

        await asyncio.gather(*(person(p) for p in _people()))
        await _quiet(f"sqlite+aiosqlite:///{tmp_path}/ref.db", USERS * len(SCRIPT))
        return _chats(graph)
    finally:
        await bot.stop()
        await graph.stop()


async def test_kill_9_under_load_loses_nothing_and_sends_nothing_twice_on_whatsapp(
    tmp_path: Path, db_url: str
) -> None:
    reference = await _reference(tmp_path)
    assert len(reference) == USERS and all(len(v) >= len(SCRIPT) for v in reference.values())

    graph = FakeGraphAPI()
    await graph.start()
    bot = _bot(tmp_path, graph, db_url)
    await bot.start()
    acked: list[dict[str, Any]] = []
    pending: dict[str, list[dict[str, Any] | tuple[str, str]]] = {}
    killed = asyncio.Event()
    kill_at: list[float] = []
    try:

        async def person(wa_id: str) -> None:
            for i, step in enumerate(SCRIPT):
                message = _message(graph, wa_id, step)
                if not killed.is_set() and await _post(graph, bot.url, message):
                    acked.append(message)
                    if len(acked) == KILL_AFTER:
                        kill_at.append(time.monotonic())
                        bot.kill()
                        killed.set()
                    continue
                # Not acknowledged: Meta keeps it (and what follows) for later.
                pending[wa_id] = [message, *SCRIPT[i + 1 :]]
                return

        await asyncio.gather(*(person(p) for p in _people()))
        assert killed.is_set() and len(acked) >= KILL_AFTER
        assert bot.proc is not None
        await bot.proc.wait()

        await bot.start()  # same database, same data dir and secret key
        stored_before_restart = len(acked)

        async def resume(wa_id: str) -> None:
            for item in pending.get(wa_id, []):
                message = item if isinstance(item, dict) else _message(graph, wa_id, item)
                for _ in range(50):  # Meta retries until it is acknowledged
                    if await _post(graph, bot.url, message):
                        break
                    await asyncio.sleep(0.2)
                acked.append(message)

        await asyncio.gather(*(resume(p) for p in _people()))
        # Redeliveries of acknowledged messages (e.g. a lost 200): must change nothing.
        for message in acked[:stored_before_restart:4]:
            assert await _post(graph, bot.url, message)

        total = USERS * len(SCRIPT)
        ids = {m["entry"][0]["changes"][0]["value"]["messages"][0]["id"] for m in acked}
        assert len(ids) == total
        await _quiet(db_url, total)
        await asyncio.sleep(1.0)  # nothing more trickles out after quiet
        chats = _chats(graph)
        sends = list(graph.sent)
    finally:
        await bot.stop()
        await graph.stop()

    repeats = 0
    for chat, expected in reference.items():
        got = chats.get(chat, [])
        if (twice := _repeat(chat, got, expected)) is None:
            continue  # the same, or only the urgent lane went ahead of earlier replies
        first, second = twice  # the one repeat straddles the kill
        mine = [s for s in sends if s.to == chat]
        assert mine[first].at <= kill_at[0] <= mine[second].at, (mine[first].at, kill_at)
        repeats += 1
    print(f"WhatsApp kill test: {len(acked)} deliveries, {repeats} message(s) repeated at the kill")
