"""A flood never drops danger (issue #14): over the per-person limit, 🆘, urgent words, the
danger screen and a live case go through; every other message is kept and answered later.

End to end: the Telegram webhook to the fake Bot API, the WhatsApp webhook to the fake Graph
API. Each flood starts right after a window boundary, so that it all falls in one window."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.app import App
from bot.inbox.models import InboxRow
from devtools.fake_graph import FakeGraphAPI
from devtools.fake_telegram import FakeBotAPI
from handoff.models import CaseMessage, HandoffCase
from storage.models import Person
from tests.handoff_helpers import GROUP
from tests.telegram_harness import WEBHOOK_SECRET, webhook_bot, webhook_settings
from tests.whatsapp_user import wa_settings, whatsapp_bot

WINDOW_S = 8
LIMIT = 20
# One reply each (thanks), so that the flood's replies take about 30 s at a message a second.
CALM = ("спасибо", "спасибо большое", "благодарю", "рахмет", "спасибо вам")
URGENT = "помогите, он убьёт меня"
SLOW_DOWN = "много сообщений подряд"


def _numbers(texts: Iterable[str]) -> bool:
    """The urgent reply arrived: 102 and 112 in a message other than the calm one."""
    return any("102" in t and "112" in t and SLOW_DOWN not in t for t in texts)


def _slowed(messages: list[dict[str, Any]]) -> bool:
    return any(SLOW_DOWN in m["text"] for m in messages)


async def _poll(
    cond: Callable[[], Awaitable[bool]], timeout_s: float, every_s: float = 0.2
) -> None:
    """Until `cond` holds or `timeout_s` passed (the assertions after it tell which)."""
    for _ in range(int(timeout_s / every_s)):
        if await cond():
            return
        await asyncio.sleep(every_s)


async def _zero(count: Awaitable[int]) -> bool:
    return await count == 0


async def _true(value: bool) -> bool:
    return value


async def _window_start() -> None:
    """Wait for the start of a flood window (MemoryFloodGate: monotonic time)."""
    await asyncio.sleep(WINDOW_S - time.monotonic() % WINDOW_S + 0.05)


async def _one(app: App, stmt: object) -> int:
    async with app.db.session() as s:
        return int(await s.scalar(stmt) or 0)  # type: ignore[call-overload]


async def _inbound_lines(app: App) -> list[str]:
    person = await _one(app, select(Person.id))
    lines = await app.conversations.transcripts.recent(person, limit=1000)
    return [line.text for line in lines if line.direction == "in"]


async def test_a_telegram_flood_ending_in_danger_gets_the_numbers_and_a_consultant(
    tmp_path: Path,
) -> None:
    api = FakeBotAPI()
    await api.start()
    settings = webhook_settings(
        tmp_path,
        api,
        consultants_chat_id=str(GROUP),
        flood_limit=LIMIT,
        flood_window_s=WINDOW_S,
    )
    user = 4242
    flood = [f"{CALM[i % len(CALM)]} ({i})" for i in range(29)]
    try:
        async with webhook_bot(settings) as (channel, base):
            hook = f"{base}/telegram/webhook"
            assert channel.inbox is not None
            await _window_start()
            for text in flood:
                status, _ = await api.post_to_webhook(
                    hook, api.user_message(user, text), WEBHOOK_SECRET
                )
                assert status == 200
            sent_at = time.monotonic()
            status, _ = await api.post_to_webhook(
                hook, api.user_message(user, URGENT), WEBHOOK_SECRET
            )
            assert status == 200
            await api.wait_for(lambda a: _numbers(m["text"] for m in a.bot_messages(user)), 20)
            delay = time.monotonic() - sent_at
            waiting = await channel.inbox.store.unfinished()
            print(f"\nTelegram flood: urgent message to its 102/112 reply {delay * 1000:.0f} ms;")
            print(f"  {waiting} ordinary message(s) still kept for the next window then")
            # A consultant is called: the case card in the consultants' group.
            await api.wait_for(lambda a: len(a.topics.get(GROUP, {})) == 1, 20)
            app = channel.app
            assert await _one(app, select(func.count()).select_from(HandoffCase)) == 1
            # Every ordinary message is answered in the end: none stays, none is lost.
            inbox = channel.inbox
            await _poll(lambda: _zero(inbox.store.unfinished()), 3 * WINDOW_S + 20)
            await channel.inbox.idle()
            assert await channel.inbox.store.unfinished() == 0
            # Processed by the dialogue (in the transcript) or, once the case is open, relayed
            # to the consultant: each exactly once.
            got = await _inbound_lines(app)

            def relayed(a: FakeBotAPI) -> list[str]:
                return [m["text"][2:] for m in a.sent(GROUP) if m.get("text", "").startswith("👤 ")]

            # The relays queue behind the group's rate limit (about 20 a minute).
            await api.wait_for(lambda a: len(got) + len(relayed(a)) >= len(flood) + 1, 90)
            topic = relayed(api)
            for text in flood:
                places = got.count(text) + topic.count(text)
                assert places == 1, (text, got, topic)
            assert got.count(URGENT) == 1
            await api.wait_for(lambda a: _slowed(a.bot_messages(user)), 10)
            slow = [m["text"] for m in api.bot_messages(user) if SLOW_DOWN in m["text"]]
            assert len(slow) == 1 and "102" in slow[0] and "150" in slow[0]
            assert waiting > 0  # the numbers came before the flood kept for later
    finally:
        await api.stop()


async def test_a_whatsapp_flood_ending_in_danger_gets_the_numbers_and_a_consultant(
    tmp_path: Path,
) -> None:
    graph = FakeGraphAPI()
    await graph.start()
    wa_id = "77019876543"
    settings = wa_settings(
        tmp_path,
        graph,
        f"sqlite+aiosqlite:///{tmp_path}/wa.db",
        flood_limit=LIMIT,
        flood_window_s=WINDOW_S,
        handoff_enabled=True,  # consultants answer on the staff desk (no Telegram group here)
    )
    flood = [f"{CALM[i % len(CALM)]} ({i})" for i in range(29)]

    def texts() -> list[str]:
        return [s.text for s in graph.to(wa_id)]

    try:
        async with whatsapp_bot(settings) as bot:
            app = bot.app
            await _window_start()
            for text in flood:
                assert (await graph.post_webhook(bot.url, graph.text(wa_id, text)))[0] == 200
            sent_at = time.monotonic()
            assert (await graph.post_webhook(bot.url, graph.text(wa_id, URGENT)))[0] == 200
            await _poll(lambda: _true(_numbers(texts())), 20, every_s=0.02)
            delay = time.monotonic() - sent_at
            assert _numbers(texts()), texts()
            waiting = await _one(
                app, select(func.count(InboxRow.id)).where(InboxRow.done_at.is_(None))
            )
            print(f"\nWhatsApp flood: urgent message to its 102/112 reply {delay * 1000:.0f} ms;")
            print(f"  {waiting} ordinary message(s) still kept for the next window then")
            assert waiting > 0  # the numbers came before the flood kept for later
            assert await _one(app, select(func.count()).select_from(HandoffCase)) == 1
            # Every ordinary message is processed in the end, exactly once: by the dialogue
            # (the transcript) or, once the case is open, relayed to the consultant.
            pending = select(func.count(InboxRow.id)).where(InboxRow.done_at.is_(None))
            await _poll(lambda: _zero(_one(app, pending)), 3 * WINDOW_S + 20)
            await bot.channel.idle()
            got = await _inbound_lines(app)
            relayed = await _one(
                app, select(func.count(CaseMessage.id)).where(CaseMessage.direction == "in")
            )
            assert sorted(set(got)) == sorted(got)  # none twice
            assert len(got) + relayed == len(flood) + 1, (got, relayed)
            assert URGENT in got
            slow = [t for t in texts() if SLOW_DOWN in t]
            assert len(slow) == 1 and "102" in slow[0] and "150" in slow[0]
    finally:
        await graph.stop()


async def test_quick_exit_drops_what_a_flood_kept(tmp_path: Path) -> None:
    """Kept messages answered after a quick exit would bring the erased chat back."""
    api = FakeBotAPI()
    await api.start()
    settings = webhook_settings(tmp_path, api, flood_limit=2, flood_window_s=WINDOW_S)
    user = 4343
    try:
        async with webhook_bot(settings) as (channel, base):
            hook = f"{base}/telegram/webhook"
            inbox = channel.inbox
            assert inbox is not None
            await _window_start()
            for text in ("спасибо (1)", "спасибо (2)", "спасибо (3)", "спасибо (4)"):
                update = api.user_message(user, text)
                assert (await api.post_to_webhook(hook, update, WEBHOOK_SECRET))[0] == 200
            await inbox.idle()
            assert await inbox.store.unfinished() == 2  # kept for the next window
            exit_ = api.button_press(user, "!exit")
            assert (await api.post_to_webhook(hook, exit_, WEBHOOK_SECRET))[0] == 200
            await inbox.idle()
            assert await inbox.store.unfinished() == 0  # dropped with the conversation
            await asyncio.sleep(WINDOW_S)  # past the window: nothing comes back
            await inbox.idle()
            got = await _inbound_lines(channel.app)
            assert "спасибо (3)" not in got and "спасибо (4)" not in got
    finally:
        await api.stop()
