"""Migration 0800 carries WhatsApp's own inbox and polling's update ids into the one inbox:
a message stored before the upgrade is answered after it, once; a redelivery of one already
processed stays a no-op; nothing of the old tables is left (0820 drops `processed_updates`).
0830 adds `answered` (a turn's replies queued before its handoff)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import Connection

from bot.channels.whatsapp.webhook import WaMessage
from bot.inbox.models import InboxRow
from core.clock import FrozenClock
from devtools.fake_graph import FakeGraphAPI
from storage.crypto import Vault
from storage.db import Database, alembic_config
from tests.conftest import TEST_KEY
from tests.whatsapp_user import WhatsAppUser, wa_settings, whatsapp_bot

PERSON = "77015550101"


async def _old_rows(db: Database, clock: FrozenClock) -> None:
    """What a 0720 database holds: WhatsApp messages (one done, one waiting since a crash),
    polling's update ids and a Telegram webhook update not yet processed."""
    vault = Vault([TEST_KEY])
    now = clock.now()
    waiting = WaMessage("wamid.waiting", PERSON, "text", now, text="/start")
    rows: list[dict[str, Any]] = [
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


async def _tables(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


async def test_the_upgrade_carries_the_old_rows_into_the_one_inbox(
    tmp_path: Path, db_url: str, clock: FrozenClock
) -> None:
    db = Database(db_url)
    try:
        await db.upgrade("0720")
        await _old_rows(db, clock)
        await db.upgrade()
        assert not {"whatsapp_inbox", "processed_updates"} & await _tables(db)
        async with db.session() as s:
            rows = (
                await s.execute(
                    select(InboxRow.channel, InboxRow.update_key, InboxRow.done_at.is_not(None))
                )
            ).all()
        by = {(c, k): done for c, k, done in rows}
        assert len(rows) == 5
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


async def test_0820_drops_processed_updates_and_keeps_an_id_marked_after_0800(
    db_url: str, clock: FrozenClock
) -> None:
    """An id a polling process of the previous release marked after 0800 (a rolling restart)
    is in the inbox, done, once the table is dropped; the downgrade recreates the table empty,
    with its unique key and index, and the upgrade runs again."""
    db = Database(db_url)
    try:
        await db.upgrade("0810")
        async with db.engine.begin() as conn:
            for update_id in ("701", "702"):
                await conn.execute(
                    text(
                        "INSERT INTO processed_updates (channel, update_id, created_at, done)"
                        " VALUES ('telegram', :u, :t, :d)"
                    ),
                    {"u": update_id, "t": clock.now(), "d": True},
                )
            await conn.execute(
                text(
                    "INSERT INTO inbox (channel, update_key, order_key, seq, payload_enc,"
                    " received_at, attempts, snapshot_taken)"
                    " VALUES ('telegram', '702', 'k', 702, 'x', :t, 0, :f)"
                ),
                {"t": clock.now(), "f": False},
            )
        await db.upgrade()
        assert "processed_updates" not in await _tables(db)
        async with db.session() as s:
            rows = (
                await s.execute(
                    select(InboxRow.update_key, InboxRow.done_at).where(
                        InboxRow.channel == "telegram"
                    )
                )
            ).all()
        # 701 carried over done; 702 was the inbox's own already, and stays to be processed.
        assert sorted(rows) == [("701", clock.now()), ("702", None)]

        await _downgrade(db_url, "0810")
        assert "processed_updates" in await _tables(db)
        async with db.engine.connect() as conn:
            count, indexes, uniques = await conn.run_sync(
                lambda c: (
                    c.execute(text("SELECT count(*) FROM processed_updates")).scalar(),
                    [
                        i["name"]
                        for i in inspect(c).get_indexes("processed_updates")
                        if not i.get("duplicates_constraint")  # PostgreSQL: the unique key's
                    ],
                    [
                        (u["name"], u["column_names"])
                        for u in inspect(c).get_unique_constraints("processed_updates")
                    ],
                )
            )
        assert count == 0
        assert indexes == ["ix_processed_updates_created_at"]
        assert uniques == [("uq_processed_updates_channel", ["channel", "update_id"])]
        await db.upgrade()
        assert "processed_updates" not in await _tables(db)
    finally:
        await db.dispose()


async def test_0830_marks_the_stored_updates_not_answered(db_url: str, clock: FrozenClock) -> None:
    """An update stored before 0830 was never answered ahead of its handoff: a re-run of it
    queues its replies (answered false); the downgrade drops the column, and the upgrade runs
    again."""
    db = Database(db_url)
    try:
        await db.upgrade("0820")
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO inbox (channel, update_key, order_key, seq, payload_enc,"
                    " received_at, attempts, snapshot_taken)"
                    " VALUES ('telegram', '801', 'k', 801, 'x', :t, 1, :f)"
                ),
                {"t": clock.now(), "f": True},
            )
        await db.upgrade()
        async with db.session() as s:
            assert (await s.execute(select(InboxRow.update_key, InboxRow.answered))).all() == [
                ("801", False)
            ]
        await _downgrade(db_url, "0820")
        async with db.engine.connect() as conn:
            columns = await conn.run_sync(lambda c: inspect(c).get_columns("inbox"))
        assert "answered" not in {c["name"] for c in columns}
        await db.upgrade()
    finally:
        await db.dispose()


async def _downgrade(url: str, revision: str) -> None:
    from alembic import command

    db = Database(url)
    cfg = alembic_config(url)

    def run(sync_conn: Connection) -> None:
        cfg.attributes["connection"] = sync_conn
        command.downgrade(cfg, revision)

    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(run)
    finally:
        await db.dispose()
