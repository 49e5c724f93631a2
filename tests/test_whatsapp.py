"""The WhatsApp channel against a fake Graph API over real HTTP, with Meta-shaped webhooks."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import ClientSession
from sqlalchemy import func, select, text

from bot.app import App
from bot.channels.whatsapp.channel import WhatsAppChannel
from bot.channels.whatsapp.models import WhatsAppDelivery
from bot.channels.whatsapp.webhook import WaMessage
from bot.inbox.models import InboxRow
from bot.inbox.runner import GRACE
from bot.settings import ConfigError
from core.clock import FrozenClock
from core.messages import Reply
from devtools.fake_graph import FakeGraphAPI
from devtools.tcp_proxy import TcpProxy
from handoff.models import HandoffCase
from tests.conftest import PG_SKIP, PG_UP, TEST_KEY
from tests.whatsapp_user import (
    VERIFY_TOKEN,
    WhatsAppUser,
    replies_sent,
    wa_settings,
    whatsapp_bot,
)

PERSON = "77011234567"


@pytest.fixture
async def graph(clock: FrozenClock) -> AsyncIterator[FakeGraphAPI]:
    fake = FakeGraphAPI(clock=clock.now)
    await fake.start()
    yield fake
    await fake.stop()


async def _count(app: App, model: type) -> int:
    async with app.db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


# -- the webhook's gate -----------------------------------------------------------------


async def test_verification_handshake(
    tmp_path: Path, graph: FakeGraphAPI, clock: FrozenClock
) -> None:
    settings = wa_settings(tmp_path, graph, f"sqlite+aiosqlite:///{tmp_path}/t.db")
    async with whatsapp_bot(settings, clock) as bot, ClientSession() as http:
        good = {
            "hub.mode": "subscribe",
            "hub.verify_token": VERIFY_TOKEN,
            "hub.challenge": "1158201444",
        }
        async with http.get(bot.url, params=good) as resp:
            assert resp.status == 200 and await resp.text() == "1158201444"
        for bad in (
            {**good, "hub.verify_token": "wrong-token-0123456789"},
            {**good, "hub.mode": "unsubscribe"},
            {"hub.challenge": "1"},
        ):
            async with http.get(bot.url, params=bad) as resp:
                assert resp.status == 403 and "1158201444" not in await resp.text()


async def test_forged_tampered_malformed_and_oversized_posts_are_refused(
    tmp_path: Path, graph: FakeGraphAPI, clock: FrozenClock, db_url: str
) -> None:
    async with whatsapp_bot(wa_settings(tmp_path, graph, db_url), clock) as bot:
        payload = graph.text(PERSON, "/start")
        assert (await graph.post_webhook(bot.url, payload, signature=None))[0] == 401
        wrong = graph.sign(json.dumps(payload).encode(), secret="another-app-secret-000")
        assert (await graph.post_webhook(bot.url, payload, signature=wrong))[0] == 401
        assert (await graph.post_webhook(bot.url, payload, signature="sha256=00"))[0] == 401
        tampered = await graph.post_webhook(
            bot.url, payload, tamper=lambda raw: raw.replace(b"/start", b"/forget")
        )
        assert tampered[0] == 401
        await bot.channel.idle()
        assert graph.sent == [] and await _count(bot.app, InboxRow) == 0

        # Validly signed but not JSON, or not an object: 400, and nothing breaks.
        assert (await graph.post_webhook(bot.url, b"{not json"))[0] == 400
        assert (await graph.post_webhook(bot.url, b"\xff\xfe\x00"))[0] == 400
        assert (await graph.post_webhook(bot.url, b"[1, 2]"))[0] == 400
        assert (await graph.post_webhook(bot.url, b"x" * (2 << 20)))[0] == 413
        # Signed JSON of no known shape is acknowledged (Meta would retry it forever otherwise).
        assert (await graph.post_webhook(bot.url, {"object": "page", "entry": "?"}))[0] == 200

        user = WhatsAppUser(graph, bot, PERSON)
        await user.send(payload)
        assert "Сәлеметсіз бе" in user.text()


async def test_a_message_delivered_twice_is_answered_once(
    tmp_path: Path, graph: FakeGraphAPI, clock: FrozenClock, db_url: str
) -> None:
    async with whatsapp_bot(wa_settings(tmp_path, graph, db_url), clock) as bot:
        payload = graph.text(PERSON, "/start")
        results = await asyncio.gather(*(graph.post_webhook(bot.url, payload) for _ in range(3)))
        assert [status for status, _ in results] == [200, 200, 200]
        await bot.channel.idle()
        assert len(graph.to(PERSON)) == 1
        assert graph.read == [payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"]]
        assert (await graph.post_webhook(bot.url, payload))[0] == 200
        await bot.channel.idle()
        assert len(graph.to(PERSON)) == 1


async def test_a_replayed_webhook_is_never_answered_again(
    tmp_path: Path, graph: FakeGraphAPI, clock: FrozenClock, db_url: str
) -> None:
    """Someone who captured a signed POST can send it again, byte for byte: within the
    inbox's memory it is a duplicate; after it, the messages are too old to be new."""
    async with whatsapp_bot(wa_settings(tmp_path, graph, db_url), clock) as bot:
        user = WhatsAppUser(graph, bot, PERSON)
        captured = graph.text(PERSON, "/start")
        await user.send(captured)
        assert len(user.last) == 1
        clock.advance(timedelta(days=3))
        await user.send(captured)
        assert user.last == []
        # A week later the processed message's hash is purged; the replay is still refused.
        clock.advance(timedelta(days=5))
        inbox = bot.channel.inbox  # its times are the wall clock's (leases, purges)
        assert await inbox.store.purge(inbox.wall.now() + timedelta(days=8)) == 1
        assert await _count(bot.app, InboxRow) == 0
        await user.send(captured)
        assert user.last == [] and await _count(bot.app, InboxRow) == 0
        # A fresh message of the same person is answered as usual.
        await user.say("/help")
        assert "/forget" in user.text()


async def test_quick_messages_of_one_person_are_answered_in_order(
    tmp_path: Path, graph: FakeGraphAPI, clock: FrozenClock, db_url: str
) -> None:
    async with whatsapp_bot(wa_settings(tmp_path, graph, db_url), clock) as bot:
        for command in ("/start", "/help", "/menu", "/lang"):
            # Each POST is acknowledged before the previous message has been answered.
            assert (await graph.post_webhook(bot.url, graph.text(PERSON, command)))[0] == 200
        await bot.channel.idle()
        # Processed in order; the last replies may still wait for the person's pace (three
        # at once, then about one a second), in the order they were queued.
        await replies_sent(bot.app)
        texts = [s.text for s in graph.to(PERSON)]
        assert "Сәлеметсіз бе" in texts[0] and "/forget" in texts[1]
        assert texts[2].startswith("Чем я могу помочь") and texts[3].startswith("Выберите язык")


# -- what people send ---------------------------------------------------------------------


async def test_media_reactions_and_odd_payloads_all_get_a_calm_answer(
    tmp_path: Path, graph: FakeGraphAPI, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    settings = wa_settings(tmp_path, graph, f"sqlite+aiosqlite:///{tmp_path}/t.db")
    async with whatsapp_bot(settings, clock) as bot:
        user = WhatsAppUser(graph, bot, PERSON)
        await user.say("/start")
        await user.press("Русский")
        for payload in (graph.audio(PERSON), graph.unsupported(PERSON)):  # location: test_geo
            await user.send(payload)
            assert user.last[0].text.startswith("Я понимаю только текст"), user.text()
            assert user.options()  # and the step's menu again
        await user.send(graph.image(PERSON, caption="помогите, он убьёт меня"))
        assert "102" in user.last[0].text  # a caption is read like any text

        # A reaction is not answered.
        await user.send(graph.reaction(PERSON, graph.to(PERSON)[-1].wamid))
        assert user.last == []

        # A message the parser cannot fully read is logged without its text and answered.
        with caplog.at_level(logging.WARNING):
            odd = graph.message(PERSON, "text", {"no_body": "секрет-123"})
            await user.send(odd)
        assert user.last[0].text.startswith("Я понимаю только текст")
        assert "секрет-123" not in caplog.text
        await user.send(graph.message(PERSON, "ephemeral_hologram", {"x": 1}))
        assert user.last[0].text.startswith("Я понимаю только текст")

        # No id, no "from", unknown fields, several entries in one POST: all answered in order.
        one = graph.text(PERSON, "/menu")
        msg = one["entry"][0]["changes"][0]["value"]["messages"][0]
        del msg["id"], msg["from"]
        msg["brand_new_field"] = {"nested": [1, 2]}
        two = graph.text(PERSON, "/help")
        both = {"object": "whatsapp_business_account", "entry": one["entry"] + two["entry"]}
        await user.send(both)
        assert "Чем я могу помочь" in user.last[0].text and "/forget" in user.text()

        # Another number of the same business account is not ours to answer.
        other = graph.text("77770000000", "/start")
        other["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999"
        assert (await graph.post_webhook(bot.url, other))[0] == 200
        await bot.channel.idle()
        assert graph.to("77770000000") == []
        assert graph.rejected == []


async def test_delivery_statuses_are_recorded_and_only_move_forward(
    tmp_path: Path, graph: FakeGraphAPI, clock: FrozenClock, db_url: str
) -> None:
    async with whatsapp_bot(wa_settings(tmp_path, graph, db_url), clock) as bot:
        user = WhatsAppUser(graph, bot, PERSON)
        await user.say("/start")
        wamid = user.last[0].wamid
        for status in ("sent", "read", "delivered"):  # "delivered" arrives late
            assert (await graph.post_webhook(bot.url, graph.status(wamid, status, PERSON)))[
                0
            ] == 200
        failed = graph.status("wamid.unknown", "failed", PERSON, error_code=131026)
        assert (await graph.post_webhook(bot.url, failed))[0] == 200
        assert (await graph.post_webhook(bot.url, graph.errors()))[0] == 200
        async with bot.app.db.session() as s:
            rows = (await s.execute(select(WhatsAppDelivery))).scalars().all()
        assert [(r.status, r.purpose, r.kind) for r in rows] == [("read", "reply", "interactive")]
        assert graph.to(PERSON) == user.last  # statuses are never answered


async def test_rate_limits_and_server_errors_are_retried(
    tmp_path: Path, graph: FakeGraphAPI, clock: FrozenClock
) -> None:
    settings = wa_settings(tmp_path, graph, f"sqlite+aiosqlite:///{tmp_path}/t.db")
    async with whatsapp_bot(settings, clock) as bot:
        user = WhatsAppUser(graph, bot, PERSON)
        graph.fail_next(429, times=1, retry_after=0)
        graph.fail_next(503, times=2)
        await user.say("/start")
        assert "Сәлеметсіз бе" in user.text()
        # Failing beyond the retries: logged, nothing crashes, the message is not re-run.
        graph.fail_next(500, times=50)
        await user.say("/help")
        assert user.last == []
        graph._failures.clear()
        async with bot.app.db.session() as s:
            pending = await s.scalar(
                select(func.count()).select_from(InboxRow).where(InboxRow.done_at.is_(None))
            )
        assert pending == 0


async def test_a_message_left_behind_by_a_crash_is_processed_by_the_job(
    tmp_path: Path, graph: FakeGraphAPI, clock: FrozenClock, db_url: str
) -> None:
    async with whatsapp_bot(wa_settings(tmp_path, graph, db_url), clock) as bot:
        graph.last_inbound[PERSON] = clock.now()
        message = WaMessage("wamid.crashed", PERSON, "text", clock.now(), text="/start")
        inbox = bot.channel.inbox
        # Stored, then the process died (the inbox's times are wall-clock times).
        stored = inbox.wall.now() - GRACE + timedelta(milliseconds=500)
        key = inbox.store.order_key(PERSON)
        await inbox.store.enqueue("crashed", key, 1, message.to_json(), stored)
        assert await bot.app.jobs.run_now("whatsapp.inbox") == 0  # still within the grace time
        await asyncio.sleep(0.6)
        assert await bot.app.jobs.run_now("whatsapp.inbox") == 1
        await bot.channel.idle()
        assert await bot.app.jobs.run_now("whatsapp.inbox") == 0
        assert len(graph.to(PERSON)) == 1


# -- whole conversations ------------------------------------------------------------------

URGENT = {"ru": "помогите, он убьёт меня", "kk": "көмектесіңіз, ол мені өлтіреді"}
LANG_BUTTON = {"ru": "Русский", "kk": "Қазақша"}
MENU_WORD = {"ru": "Чем я могу помочь", "kk": "Сізге қалай көмектесе аламын"}
EXIT_LABEL = {"ru": "✖ Быстрый выход", "kk": "✖ Жылдам шығу"}
URGENT_LABEL = {"ru": "🆘 Срочно", "kk": "🆘 Шұғыл"}
CLEAR_CHAT = {"ru": "Очистить чат", "kk": "Чатты тазалау"}


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_a_whole_conversation(
    tmp_path: Path, graph: FakeGraphAPI, clock: FrozenClock, db_url: str, lang: str
) -> None:
    async with whatsapp_bot(wa_settings(tmp_path, graph, db_url), clock) as bot:
        user = WhatsAppUser(graph, bot, PERSON)

        # A first "hello" gets the bilingual welcome with the language choice (a list: 4 options).
        await user.say("Сәлеметсіз бе" if lang == "kk" else "Здравствуйте")
        assert "Сәлеметсіз бе" in user.text() and "Здравствуйте" in user.text()
        # Before the language is known, the controls speak both languages (issue 20).
        assert {"Русский", "Қазақша", "🆘 Срочно / Шұғыл", "✖ Выход / Шығу"} <= set(user.options())

        # The main menu has more than 3 options: a list, urgent and exit first, within limits.
        await user.press(LANG_BUTTON[lang])
        (menu,) = user.last
        assert MENU_WORD[lang] in menu.text
        inter = menu.body["interactive"]
        assert inter["type"] == "list"
        assert [r["id"] for r in inter["action"]["sections"][0]["rows"]] == ["!urgent", "!exit"]
        assert sum(len(s["rows"]) for s in inter["action"]["sections"]) <= 10

        # An urgent message: the emergency numbers come first, before anything else.
        await user.say(URGENT[lang])
        first = user.last[0].text
        assert all(n in first for n in ("102", "112", "150")), first

        # (Booking, reminders and a consultant: tests/test_whatsapp_journey.py.)

        # Quick exit: the bot cannot delete WhatsApp messages, so it says how to do it.
        await user.press(EXIT_LABEL[lang])
        said = user.text()
        assert CLEAR_CHAT[lang] in said and "iPhone" in said and "Android" in said
        assert user.last[-1].text == ("Дайын." if lang == "kk" else "Готово.")

        assert graph.rejected == []  # every message was within WhatsApp's limits
        await _no_phone_number_stored(bot.app, graph)


async def _no_phone_number_stored(app: App, graph: FakeGraphAPI) -> None:
    """Neither the number nor a wamid (which embeds it) is stored in any table."""
    needles = [PERSON, *(s.wamid for s in graph.sent), *graph.read]
    assert len(needles) > 5
    async with app.db.engine.connect() as conn:
        if app.db.dialect == "sqlite":
            tables = [
                r[0]
                for r in await conn.execute(
                    text("SELECT name FROM sqlite_master WHERE type='table'")
                )
            ]
        else:
            tables = [
                r[0]
                for r in await conn.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                )
            ]
        for table in tables:
            for row in await conn.execute(text(f'SELECT * FROM "{table}"')):
                dump = repr(tuple(row))
                for needle in needles:
                    assert needle not in dump, f"{table} holds the phone number"


# -- proactive messages and the 24-hour window -------------------------------------------


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_proactive_messages_inside_and_outside_the_window(
    tmp_path: Path, graph: FakeGraphAPI, clock: FrozenClock, db_url: str, lang: str
) -> None:
    async with whatsapp_bot(wa_settings(tmp_path, graph, db_url), clock) as bot:
        user = WhatsAppUser(graph, bot, PERSON)
        await user.say("/start")
        await user.press(LANG_BUTTON[lang])
        known = await bot.channel.store.known(PERSON)
        assert known is not None
        person = known.person_id

        # Inside the window: the consultant's words go out as they are.
        clock.advance(timedelta(hours=23))
        assert (
            await bot.app.notifier.deliver(person, [Reply("*Я* на связи")], "consultant")
            is not None
        )
        (free,) = graph.to(PERSON)[-1:]
        assert free.type == "text" and free.text.startswith("*\u200bЯ*")

        # Outside it: only the neutral template, in the person's language; the words are held.
        clock.advance(timedelta(hours=2))
        replies = await bot.app.conversations.enter_step(person, "feedback.start")
        assert await bot.app.notifier.deliver(person, replies, "reminder") is not None
        assert (
            await bot.app.notifier.deliver(person, [Reply("Ответ консультанта")], "consultant")
            is not None
        )
        templates = graph.to(PERSON)[-2:]
        assert [t.type for t in templates] == ["template", "template"]
        assert [t.body["template"]["name"] for t in templates] == [
            "qamqor_reminder",
            "qamqor_new_message",
        ]
        assert {t.body["template"]["language"]["code"] for t in templates} == {lang}
        assert graph.rejected == []  # nothing free-form was tried outside the window

        # The person answers the template: the held messages arrive, in order, and nothing else.
        user._seen = len(graph.to(PERSON))
        await user.send(graph.template_button(PERSON, "Показать", "show"))
        texts = [s.text for s in user.last]
        assert texts[-1] == "Ответ консультанта" and len(texts) == len(replies) + 1
        assert await _count(bot.app, WhatsAppDelivery) >= 4

        # A person who was forgotten gets nothing, and nothing is held for them.
        await user.say("/forget")
        await user.press("Иә, бәрін өшіру" if lang == "kk" else "Да, удалить всё")
        assert await bot.channel.store.known(PERSON) is None
        assert await bot.app.notifier.deliver(person, [Reply("x")], "consultant") is None


async def test_a_consultant_reply_the_graph_api_refuses_for_now_is_delivered_later(
    tmp_path: Path, graph: FakeGraphAPI, clock: FrozenClock, db_url: str
) -> None:
    """Through the durable outbox: the channel's sender raises Retry for a 5xx that outlasted
    the client's own retries, and the outbox delivers it later, once; a refusal that will
    never succeed (an undeliverable number) is given up instead of retried forever."""
    async with whatsapp_bot(wa_settings(tmp_path, graph, db_url), clock) as bot:
        user = WhatsAppUser(graph, bot, PERSON)
        await user.say("/start")
        known = await bot.channel.store.known(PERSON)
        assert known is not None and bot.app.outbox_notifier is not None
        graph.fail_next(500, times=4)  # all of the client's attempts
        await bot.app.outbox_notifier.notify(
            known.person_id, [Reply("Я на связи")], purpose="consultant"
        )
        (sent,) = await user.expect("Я на связи")
        assert sent.type == "text"
        graph.fail_next(400, code=131026, times=1)
        await bot.app.outbox_notifier.notify(
            known.person_id, [Reply("Не дойдёт")], purpose="consultant"
        )
        await bot.app.outbox_notifier.notify(
            known.person_id, [Reply("Следующее")], purpose="consultant"
        )
        await user.expect("Следующее")
        assert "Не дойдёт" not in [s.text for s in graph.to(PERSON)]


# -- configuration and the real process ---------------------------------------------------


def test_a_missing_app_secret_is_a_configuration_error(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QAMQOR_")}
    env.update(
        QAMQOR_DATA_DIR=str(tmp_path / "data"),
        QAMQOR_SECRET_KEY=TEST_KEY,
        QAMQOR_WHATSAPP_TOKEN="EAAG-test-token",
        QAMQOR_WHATSAPP_PHONE_ID="106540352242922",
        QAMQOR_WHATSAPP_VERIFY_TOKEN=VERIFY_TOKEN,
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 2 and "QAMQOR_WHATSAPP_APP_SECRET" in result.stderr


async def test_the_channel_refuses_to_exist_without_an_app_secret(
    tmp_path: Path, graph: FakeGraphAPI
) -> None:
    settings = wa_settings(
        tmp_path, graph, f"sqlite+aiosqlite:///{tmp_path}/t.db", whatsapp_app_secret=None
    )
    app = await App.create(settings)
    try:
        with pytest.raises(ConfigError, match="APP_SECRET"):
            WhatsAppChannel(app)
    finally:
        await app.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_qamqor_run_serves_whatsapp(tmp_path: Path) -> None:
    graph = FakeGraphAPI()
    await graph.start()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QAMQOR_")}
    env.update(
        QAMQOR_DATA_DIR=str(tmp_path / "data"),
        QAMQOR_SECRET_KEY=TEST_KEY,
        QAMQOR_HTTP_PORT=str(port),
        QAMQOR_WHATSAPP_TOKEN=graph.token,
        QAMQOR_WHATSAPP_PHONE_ID=graph.phone_id,
        QAMQOR_WHATSAPP_APP_SECRET=graph.app_secret,
        QAMQOR_WHATSAPP_VERIFY_TOKEN=VERIFY_TOKEN,
        QAMQOR_WHATSAPP_API_BASE=graph.api_base,
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}/whatsapp/webhook"
        async with ClientSession() as http:
            for _ in range(200):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                        if resp.status == 200:
                            break
                except OSError:
                    await asyncio.sleep(0.1)
        assert (await graph.post_webhook(url, graph.text(PERSON, "/start")))[0] == 200
        for _ in range(200):
            if graph.to(PERSON):
                break
            await asyncio.sleep(0.05)
        assert "Сәлеметсіз бе" in graph.to(PERSON)[0].text
    finally:
        proc.terminate()
        _, err = await asyncio.wait_for(proc.communicate(), 30)
        await graph.stop()
    assert proc.returncode == 0, err.decode()[-2000:]
    assert "Traceback" not in err.decode()


# -- storage failures: the phone lines at once, and a turn at most once --------------------


@pytest.fixture
async def pg_proxy(pg_url: str) -> AsyncIterator[tuple[TcpProxy, str]]:
    proxy = TcpProxy("127.0.0.1", 5432)
    port = await proxy.start()
    yield proxy, pg_url.replace("127.0.0.1:5432", f"127.0.0.1:{port}")
    await proxy.cut()


def _lines(text: str) -> bool:
    return all(n in text for n in ("102", "112", "150"))


@pytest.mark.postgres
@pytest.mark.skipif(not PG_UP, reason=PG_SKIP)
async def test_a_database_outage_still_gives_an_urgent_message_the_phone_lines(
    tmp_path: Path, graph: FakeGraphAPI, clock: FrozenClock, pg_proxy: tuple[TcpProxy, str]
) -> None:
    proxy, url = pg_proxy
    async with whatsapp_bot(wa_settings(tmp_path, graph, url), clock) as bot:
        user = WhatsAppUser(graph, bot, PERSON)
        await user.say("/start")
        before = len(graph.to(PERSON))
        await proxy.cut()
        urgent = graph.text(PERSON, URGENT["ru"])
        started = asyncio.get_running_loop().time()
        status, _ = await graph.post_webhook(bot.url, urgent)
        assert status == 503  # not stored: Meta delivers it again
        assert asyncio.get_running_loop().time() - started < 20  # did not hang
        new = graph.to(PERSON)[before:]
        assert len(new) == 1 and _lines(new[0].text)  # the phone lines, at once
        await proxy.restore()
        assert (await graph.post_webhook(bot.url, urgent))[0] == 200  # the redelivery
        await bot.channel.idle()
        assert any("102" in s.text for s in graph.to(PERSON)[before + 1 :])


@pytest.mark.postgres
@pytest.mark.skipif(not PG_UP, reason=PG_SKIP)
async def test_a_failure_after_a_turn_committed_never_runs_it_again(
    tmp_path: Path, graph: FakeGraphAPI, clock: FrozenClock, pg_proxy: tuple[TcpProxy, str]
) -> None:
    """The database goes away while the turn's replies are being sent (after its commit):
    the message is done with its turn, so the job never runs it again (no second replies)."""
    proxy, url = pg_proxy
    async with whatsapp_bot(wa_settings(tmp_path, graph, url), clock) as bot:
        user = WhatsAppUser(graph, bot, PERSON)
        await user.say("/start")
        await user.press(LANG_BUTTON["ru"])
        before = len(graph.to(PERSON))

        async def cut(_: object) -> None:
            graph.on_accepted = None
            await proxy.cut()

        graph.on_accepted = cut
        assert (await graph.post_webhook(bot.url, graph.text(PERSON, URGENT["ru"])))[0] == 200
        await bot.channel.idle()
        first = [s.text for s in graph.to(PERSON)[before:]]
        assert first and "102" in first[0]
        await proxy.restore()
        clock.advance(timedelta(minutes=10))  # past the lease: the job retries what is undone
        await bot.app.jobs.run_now("whatsapp.inbox")
        await bot.channel.idle()
        after = [s.text for s in graph.to(PERSON)[before:]]
        # At most the phone-lines fallback besides the turn's replies, never the turn again.
        again = [t for t in after[len(first) :] if t != bot.channel.phone_lines.text]
        assert again == [], after
        async with bot.app.db.session() as s:
            cases = await s.scalar(select(func.count()).select_from(HandoffCase))
        assert (cases or 0) <= 1
