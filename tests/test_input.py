"""The HTTP edge reads whole bodies and refuses input that would break what reads it.

Bodies are sent over a raw socket in several TCP writes with pauses, as they arrive on the
internet: `request.content.read(n)` alone returned only the first piece (issue 22, point 1).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiohttp import ClientSession, CookieJar
from sqlalchemy import func, select
from yarl import URL

from bot.channels.telegram.channel import SECRET_HEADER
from bot.inbox.models import InboxRow
from devtools.fake_graph import FakeGraphAPI
from devtools.fake_telegram import FakeBotAPI
from handoff.models import HandoffCase
from staffweb.body import MAX_DEPTH, BadJson, loads
from tests.handoff_helpers import (
    CONSULTANT,
    GROUP,
    PERSON,
    handoff_settings,
    running,
    wait_text,
    wait_topic,
)
from tests.telegram_harness import WEBHOOK_SECRET, webhook_bot, webhook_settings
from tests.web_helpers import page_csrf, serve, staff_login
from tests.whatsapp_user import wa_settings, whatsapp_bot

USER = 434343
PASSWORD = "correct horse battery"


async def post_in_pieces(
    url: str, body: bytes, headers: dict[str, str], pieces: int = 3, pause: float = 0.03
) -> int:
    """POST `body` in `pieces` TCP writes, `pause` seconds apart; the response's status."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    head = [f"POST {parts.path} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    head.append(f"Content-Length: {len(body)}")
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
    await writer.drain()
    step = -(-len(body) // pieces)
    for i in range(0, len(body), step):
        await asyncio.sleep(pause)
        writer.write(body[i : i + step])
        await writer.drain()
    status = int((await reader.readline()).split()[1])
    writer.close()
    return status


async def test_a_telegram_update_arriving_in_pieces_is_read_whole(
    tmp_path: Path, api: FakeBotAPI, db_url: str
) -> None:
    async with webhook_bot(webhook_settings(tmp_path, api, db_url)) as (channel, base):
        url = f"{base}/telegram/webhook"
        update = api.user_message(USER, "мне страшно " * 40)  # a long message, ~700 bytes
        body = json.dumps(update).encode()
        headers = {SECRET_HEADER: WEBHOOK_SECRET, "Content-Type": "application/json"}
        assert await post_in_pieces(url, body, headers, pieces=2) == 200
        assert (
            await post_in_pieces(
                url, json.dumps(api.user_message(USER, "/start")).encode(), headers, pieces=5
            )
            == 200
        )
        assert channel.inbox is not None
        await channel.inbox.idle()
        assert len(api.sent(USER)) >= 2
        # Over the limit without a Content-Length announcing it: still refused (chunked).
        async with ClientSession() as http:

            async def chunks() -> AsyncIterator[bytes]:
                for _ in range(3):
                    yield b"x" * (600 << 10)

            async with http.post(url, data=chunks(), headers=headers) as resp:
                assert resp.status == 413


async def test_a_signed_whatsapp_post_arriving_in_pieces_is_read_whole(
    tmp_path: Path, db_url: str
) -> None:
    graph = FakeGraphAPI()
    await graph.start()
    try:
        async with whatsapp_bot(wa_settings(tmp_path, graph, db_url)) as bot:
            body = json.dumps(graph.text("77015550000", "мне нужна помощь " * 40)).encode()
            headers = {"X-Hub-Signature-256": graph.sign(body), "Content-Type": "application/json"}
            assert await post_in_pieces(bot.url, body, headers, pieces=4) == 200
            await bot.channel.idle()
            assert [s for s in graph.sent if s.to == "77015550000"]
    finally:
        await graph.stop()


async def test_a_consultant_reply_arriving_in_pieces_is_read_whole(
    tmp_path: Path, api: FakeBotAPI, db_url: str
) -> None:
    async with running(handoff_settings(tmp_path, api, db_url)) as (app, channel):
        await app.staff.add_user("aigerim", PASSWORD, ["consultant"], app.clock.now())
        api.user_message(PERSON, "помогите, он убьёт меня")
        await wait_topic(api)
        async with app.db.session() as s:
            number = await s.scalar(select(HandoffCase.number).order_by(HandoffCase.id.desc()))
        async with (
            serve(app, channel) as base,
            ClientSession(cookie_jar=CookieJar(unsafe=True)) as http,
        ):
            await staff_login(http, base, "aigerim", PASSWORD)
            token = await page_csrf(http, f"{base}/staff/")
            url = f"{base}/staff/handoff/api/case/{number}"
            async with http.post(f"{url}/claim", headers={"X-CSRF-Token": token}) as resp:
                assert resp.status == 200
            cookies = http.cookie_jar.filter_cookies(URL(f"{base}/staff/handoff/"))
            cookie = "; ".join(f"{k}={v.value}" for k, v in cookies.items())
            reply = "Я здесь, с вами. Вы сейчас в безопасном месте? " * 6
            body = json.dumps({"text": reply}).encode()
            headers = {"Cookie": cookie, "X-CSRF-Token": token, "Content-Type": "application/json"}
            assert await post_in_pieces(f"{url}/reply", body, headers, pieces=3) == 200
            await wait_text(api, PERSON, "Я здесь, с вами.")


async def test_the_telegram_webhook_refuses_deep_huge_ids_and_cleans_surrogates(
    tmp_path: Path, api: FakeBotAPI, db_url: str
) -> None:
    async with webhook_bot(webhook_settings(tmp_path, api, db_url)) as (channel, base):
        url = f"{base}/telegram/webhook"
        headers = {SECRET_HEADER: WEBHOOK_SECRET, "Content-Type": "application/json"}
        deep = '{"update_id": 1, "message": ' + "[" * 5000 + "]" * 5000 + "}"
        big_update = api.user_message(USER, "привет")
        big_update["update_id"] = 2**63
        big_user = api.user_message(USER, "привет")
        big_user["message"]["from"]["id"] = 10**30
        async with ClientSession() as http:
            for body in (deep, json.dumps(big_update), json.dumps(big_user)):
                async with http.post(url, data=body, headers=headers) as resp:
                    assert resp.status == 400
            # A lone surrogate (valid JSON, not valid UTF-8) is replaced and the text answered.
            lone = json.dumps(api.user_message(USER, "x")).replace('"x"', '"\\ud83d помогите"')
            async with http.post(url, data=lone, headers=headers) as resp:
                assert resp.status == 200
        assert channel.inbox is not None
        await channel.inbox.idle()
        async with channel.app.db.session() as s:
            assert await s.scalar(select(func.count()).select_from(InboxRow)) == 1
            done = await s.scalar(select(func.count()).where(InboxRow.done_at.is_not(None)))
        assert done == 1 and api.sent(USER)


def test_json_limits() -> None:
    assert loads(b'{"a": "\\ud800x"}') == {"a": "\ufffdx"}
    assert loads('"\\ud83d\\ude00"') == "😀"  # a valid pair stays one character
    assert loads(json.dumps({"id": -(2**63)})) == {"id": -(2**63)}
    for bad in ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), str(2**63), "{x", "1" * 5000):
        try:
            loads(bad)
        except BadJson:
            continue
        raise AssertionError(bad[:20])


async def test_forged_callback_data_in_the_consultants_group_is_refused_once_quietly(
    tmp_path: Path, api: FakeBotAPI, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = webhook_settings(tmp_path, api, db_url, consultants_chat_id=str(GROUP))
    async with webhook_bot(settings) as (channel, base):
        url = f"{base}/telegram/webhook"
        for data in ("hc:claim:" + "9" * 40, "hc:claim:-1", "hc:claim", "zz:" + "1" * 60):
            update = api.consultant_press(GROUP, CONSULTANT, data, message_id=1)
            assert (await api.post_to_webhook(url, update, WEBHOOK_SECRET))[0] == 200
        assert channel.inbox is not None
        await channel.inbox.idle()
        async with channel.app.db.session() as s:
            done = await s.scalar(select(func.count()).where(InboxRow.done_at.is_not(None)))
            attempts = await s.scalar(select(func.max(InboxRow.attempts)))
    assert done == 4 and attempts == 1  # each handled at the first attempt
    answers = [c for c in api.calls if c.method == "answerCallbackQuery"]
    assert len(answers) == 4
    assert api.sent(GROUP) == []  # nothing posted into the group
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
