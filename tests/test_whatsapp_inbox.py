"""WhatsApp on the shared inbox: what its own inbox got wrong (bot/inbox/runner.py)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.app import App
from bot.inbox.models import InboxRow
from core.clock import FrozenClock
from core.messages import Reply, RequestHandoff
from devtools.fake_graph import FakeGraphAPI
from dialogues.state import State
from nlu.result import NluResult
from storage.models import Person
from storage.people import PersonRef
from tests.whatsapp_user import WhatsAppUser, replies_sent, wa_settings, whatsapp_bot

PERSON = "77017770707"
WINDOW_S = 8
URGENT = "помогите, он убьёт меня"


async def _unfinished(app: App) -> int:
    async with app.db.session() as s:
        stmt = select(func.count()).select_from(InboxRow).where(InboxRow.done_at.is_(None))
        return int(await s.scalar(stmt) or 0)


async def _inbound_lines(app: App) -> list[str]:
    async with app.db.session() as s:
        person = await s.scalar(select(Person.id))
    assert person is not None
    lines = await app.conversations.transcripts.recent(person, limit=1000)
    return [line.text for line in lines if line.direction == "in"]


Hook = Callable[
    [PersonRef, RequestHandoff, State, NluResult | None], Awaitable[Sequence[Reply] | None]
]


@contextlib.asynccontextmanager
async def _handing_off(
    tmp_path: Path, clock: FrozenClock, hook: Hook
) -> AsyncIterator[tuple[FakeGraphAPI, Any, WhatsAppUser, int]]:
    """A person in a Russian conversation, with `hook` as the first handoff hook: the Graph
    fake, the bot, the person, and how many messages they had before."""
    graph = FakeGraphAPI(clock=clock.now)
    await graph.start()
    settings = wa_settings(
        tmp_path, graph, f"sqlite+aiosqlite:///{tmp_path}/wa.db", handoff_enabled=True
    )
    try:
        async with whatsapp_bot(settings, clock) as bot:
            user = WhatsAppUser(graph, bot, PERSON)
            await user.say("/start")
            await user.press("Русский")
            bot.app.conversations.effects.handoff_hooks.insert(0, hook)
            yield graph, bot, user, len(graph.to(PERSON))
    finally:
        await graph.stop()


async def test_quick_exit_drops_what_a_flood_kept_on_whatsapp(tmp_path: Path) -> None:
    """Kept messages answered after a quick exit would bring the erased chat back (Telegram
    dropped them; WhatsApp's own inbox answered them once the window allowed)."""
    graph = FakeGraphAPI()
    await graph.start()
    settings = wa_settings(
        tmp_path,
        graph,
        f"sqlite+aiosqlite:///{tmp_path}/wa.db",
        flood_limit=2,
        flood_window_s=WINDOW_S,
    )
    try:
        async with whatsapp_bot(settings) as bot:
            user = WhatsAppUser(graph, bot, PERSON)
            # The start of a flood window (MemoryFloodGate: monotonic time).
            await asyncio.sleep(WINDOW_S - time.monotonic() % WINDOW_S + 0.05)
            for text in ("спасибо (1)", "спасибо (2)", "спасибо (3)", "спасибо (4)"):
                await user.say(text)
            assert await _unfinished(bot.app) == 2  # kept for the next window
            await user.send(graph.button_reply(PERSON, "!exit", "✖ Быстрый выход"))
            assert await _unfinished(bot.app) == 0  # dropped with the conversation
            await asyncio.sleep(WINDOW_S)  # past the window: nothing comes back
            await bot.channel.idle()
            got = await _inbound_lines(bot.app)
            assert "спасибо (3)" not in got and "спасибо (4)" not in got
    finally:
        await graph.stop()


async def test_a_turn_re_run_after_its_transaction_starts_from_its_snapshot(
    tmp_path: Path, clock: FrozenClock
) -> None:
    """An urgent message's turn commits its state and transcript, then its handoff fails once
    (work after the transaction). The numbers went out before the handoff, so the person has
    them although it failed. The re-run must start from the state the turn started from: the
    message is in the transcript once, and the turn's replies go out once (the outbox
    drained: a reply queued twice would be sent, however late)."""
    failed: list[bool] = []

    async def fails_once(
        person: PersonRef, request: RequestHandoff, state: State, nlu: NluResult | None
    ) -> Sequence[Reply] | None:
        if not failed:
            failed.append(True)
            raise RuntimeError("the desk went away")
        return None

    async with _handing_off(tmp_path, clock, fails_once) as (graph, bot, user, before):
        await user.say(URGENT)
        assert failed and await _unfinished(bot.app) == 1  # to be retried
        await bot.channel.idle()
        first = [s.text for s in graph.to(PERSON)[before:]]
        assert first and "102" in first[0], first  # answered before the handoff failed
        clock.advance(timedelta(minutes=10))  # any business-clock lease is over too
        for _ in range(100):  # the retry is due a few seconds later (wall clock)
            await asyncio.sleep(0.1)
            await bot.app.jobs.run_now("whatsapp.inbox")
            await bot.channel.idle()
            if not await _unfinished(bot.app):
                break
        assert await _unfinished(bot.app) == 0
        outbox = bot.app.outbox
        assert outbox is not None
        for _ in range(50):
            await outbox.run_once()
            await bot.channel.idle()
            if not await outbox.pending():
                break
            await asyncio.sleep(0.1)
        assert not await outbox.pending()
        got = await _inbound_lines(bot.app)
        assert got.count(URGENT) == 1, got
        texts = [s.text for s in graph.to(PERSON)[before:]]
        assert texts and "102" in texts[0], texts
        assert len(texts) == len(set(texts)), texts  # nothing twice


async def test_the_numbers_do_not_wait_for_the_case_to_be_opened(
    tmp_path: Path, clock: FrozenClock
) -> None:
    """Opening a case takes several transactions (a tenth of a second or more under a burst).
    The urgent reply's first message, the numbers, is sent as soon as the turn's transaction
    commits, while the handoff still runs; the rest of the reply after the handoff (the case's
    card is not kept behind it), then the desk's own reply."""
    opening = asyncio.Event()
    go_on = asyncio.Event()

    async def slow_desk(
        person: PersonRef, request: RequestHandoff, state: State, nlu: NluResult | None
    ) -> Sequence[Reply] | None:
        opening.set()
        await go_on.wait()
        return None

    async with _handing_off(tmp_path, clock, slow_desk) as (graph, bot, _, before):
        status, _ = await graph.post_webhook(bot.url, graph.text(PERSON, URGENT))
        assert status == 200
        async with asyncio.timeout(10):
            await opening.wait()
        for _ in range(500):  # up to 10 s, while the desk holds the handoff
            if graph.to(PERSON)[before:]:
                break
            await asyncio.sleep(0.02)
        assert not go_on.is_set()  # the case is still being opened
        assert "102" in graph.to(PERSON)[before].text
        # The rest of the reply waits for the handoff: the case's card goes before it
        # (longer than the chat's pace, about a message a second, would hold it).
        await asyncio.sleep(2.5)
        assert len(graph.to(PERSON)[before:]) == 1
        go_on.set()
        await bot.channel.idle()
        await replies_sent(bot.app)
        texts = [s.text for s in graph.to(PERSON)[before:]]
        assert "102" in texts[0] and len(texts) == len(set(texts)) >= 2, texts
