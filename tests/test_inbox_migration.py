"""Migration 0800 carries WhatsApp's own inbox and polling's update ids into the one inbox:
a message stored before the upgrade is answered after it, once; a redelivery of one already
processed stays a no-op; nothing of the old tables is left."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, inspect, select, text

from bot.channels.whatsapp.webhook import WaMessage
from bot.inbox.models import InboxRow
from core.clock import FrozenClock
from devtools.fake_graph import FakeGraphAPI
from storage.crypto import Vault
from storage.db import Database
from tests.conftest import TEST_KEY
from tests.whatsapp_user import WhatsAppUser, wa_settings, whatsapp_bot

PERSON = "77015550101"


async def _old_rows(db: Database, clock: FrozenClock) -> None:
    """What a 0720 database holds: WhatsApp messages (one done, one waiting since a crash),
    polling's update ids and a Telegram webhook update not yet processed."""
    vault = Vault([TEST_KEY])
    now = clock.now()
    waiting = WaMessage("wamid.waiting", PERSON, "text", now, text="/start")
    rows = [
        {
            "h": vault.ref_hash("whatsapp-message", "wamid.done"),
            "p": None,
            "r": now - timedelta(hours=1),
            "c": now - timedelta(hours=1),
            "a": 1,
            "d": now - timedelta(hours=1),
        },
        {
            "h": vault.ref_hash("whatsapp-message", "wamid.waiting"),
            "p": vault.encrypt_json(waiting.to_json()),
            "r": now - timedelta(minutes=2),
            "c": now - timedelta(minutes=2),
            "a": 1,
            "d": None,
        },
    ]
    async with db.engine.begin() as conn:
        for row in rows:
            await conn.execute(
                text(
                    "INSERT INTO whatsapp_inbox (msg_hash, payload_enc, received_at, claimed_at,"
                    " attempts, done_at) VALUES (:h, :p, :r, :c, :a, :d)"
                ),
                row,
            )
        for update_id, done in (("501", True), ("502", False), ("601", True)):
            await conn.execute(
                text(
                    "INSERT INTO processed_updates (channel, update_id, created_at, done)"
                    " VALUES ('telegram', :u, :t, :d)"
                ),
                {"u": update_id, "t": now, "d": done},
            )
        await conn.execute(
            text(
                "INSERT INTO inbox (channel, update_key, order_key, seq, payload_enc, received_at,"
                " attempts, snapshot_taken) VALUES ('telegram', '601', 'k', 601, 'x', :t, 0, :f)"
            ),
            {"t": now, "f": False},
        )


async def test_the_upgrade_carries_the_old_rows_into_the_one_inbox(
    tmp_path: Path, db_url: str, clock: FrozenClock
) -> None:
    db = Database(db_url)
    try:
        await db.upgrade("0720")
        await _old_rows(db, clock)
        await db.upgrade()
        async with db.engine.connect() as conn:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
        assert "whatsapp_inbox" not in tables
        async with db.session() as s:
            rows = (
                await s.execute(
                    select(InboxRow.channel, InboxRow.update_key, InboxRow.done_at.is_not(None))
                )
            ).all()
            left = await s.scalar(text("SELECT count(*) FROM processed_updates"))
        by = {(c, k): done for c, k, done in rows}
        assert len(rows) == 5 and left == 0
        # Polling's ids, done either way (nothing to run: no payload); the webhook's own row
        # is not doubled, and stays to be processed.
        assert by[("telegram", "501")] and by[("telegram", "502")]
        assert by[("telegram", "601")] is False
        assert sorted(done for (c, _), done in by.items() if c == "whatsapp") == [False, True]
    finally:
        await db.dispose()

    graph = FakeGraphAPI(clock=clock.now)
    await graph.start()
    try:
        async with whatsapp_bot(wa_settings(tmp_path, graph, db_url), clock) as bot:
            graph.last_inbound[PERSON] = clock.now()  # the person wrote: the window is open
            await bot.app.jobs.run_now("whatsapp.inbox")  # the waiting message: answered
            await bot.channel.idle()
            assert len(graph.to(PERSON)) == 1 and "Сәлеметсіз бе" in graph.to(PERSON)[0].text
            user = WhatsAppUser(graph, bot, PERSON)
            user._seen = 1
            for wamid in ("wamid.done", "wamid.waiting"):  # Meta redelivers: no-ops
                again = graph.text(PERSON, "/start")
                again["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = wamid
                await user.send(again)
                assert user.last == []
            async with bot.app.db.session() as s:
                undone = await s.scalar(
                    select(func.count())
                    .select_from(InboxRow)
                    .where(InboxRow.channel == "whatsapp", InboxRow.done_at.is_(None))
                )
            assert undone == 0
    finally:
        await graph.stop()
