"""Migration 0890 with data, on SQLite and PostgreSQL: specialists get their stream (whoever
took "stop" goes to the aggressor stream and keeps only "stop"), "stop" joins the kinds held
in pairs, the assessment table comes; no booking, claim or hour is lost on the way (a batch
rebuild would cascade deletes on SQLite); the downgrade takes it away and the upgrade runs
again."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import inspect, text

from core.clock import FrozenClock
from storage.db import Database
from tests.test_inbox_migration import _downgrade


async def _count(db: Database, table: str) -> int:
    async with db.engine.connect() as conn:
        return int((await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


async def test_0890_gives_streams_pairs_and_the_sheet_table(
    db_url: str, clock: FrozenClock
) -> None:
    db = Database(db_url)
    now = clock.now()
    try:
        await db.upgrade("0860")
        async with db.engine.begin() as conn:
            for sid, kinds in ((1, "self,family"), (2, "self,stop"), (3, "family")):
                await conn.execute(
                    text(
                        "INSERT INTO booking_specialists (id, name, role, langs, kinds, modes,"
                        " active) VALUES (:id, :n, 'psychologist', 'ru', :k, 'office', :a)"
                    ),
                    {"id": sid, "n": f"S{sid}", "k": kinds, "a": True},
                )
                await conn.execute(
                    text(
                        "INSERT INTO booking_hours (specialist_id, weekday, start_min, end_min)"
                        " VALUES (:id, 1, 600, 720)"
                    ),
                    {"id": sid},
                )
            await conn.execute(
                text("INSERT INTO booking_settings (key, value) VALUES ('pair_kinds', :v)"),
                {"v": json.dumps(["family"])},
            )
            await conn.execute(
                text(
                    "INSERT INTO people (id, channel, ref_hash, created_at, last_seen_at)"
                    " VALUES (1, 'telegram', 'h1', :t, :t)"
                ),
                {"t": now},
            )
            start = now + timedelta(days=1)
            await conn.execute(
                text(
                    "INSERT INTO booking_bookings (id, person_id, kind, lang, mode, starts_at,"
                    " ends_at, status, specialist_ids, confirmed, created_at)"
                    " VALUES (1, 1, 'stop', 'ru', 'office', :s, :e, 'booked', '2', :c, :t)"
                ),
                {"s": start, "e": start + timedelta(hours=1), "c": False, "t": now},
            )
            await conn.execute(
                text(
                    "INSERT INTO booking_claims (booking_id, specialist_id, starts_at, ends_at)"
                    " VALUES (1, 2, :s, :e)"
                ),
                {"s": start, "e": start + timedelta(hours=1)},
            )
        await db.upgrade()
        async with db.engine.connect() as conn:
            rows = (
                await conn.execute(
                    text("SELECT id, stream, kinds FROM booking_specialists ORDER BY id")
                )
            ).all()
            pairs = (
                await conn.execute(
                    text("SELECT value FROM booking_settings WHERE key = 'pair_kinds'")
                )
            ).scalar_one()
        assert [tuple(r) for r in rows] == [
            (1, "victims", "self,family"),
            (2, "aggressors", "stop"),  # never both parties again
            (3, "family", "family"),
        ]
        assert json.loads(pairs) == ["family", "stop"]
        for table, n in (("booking_bookings", 1), ("booking_claims", 1), ("booking_hours", 3)):
            assert await _count(db, table) == n, table
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO programme_assessments (booking_id, version, signed_by,"
                    " signed_at, body_enc) VALUES (1, 1, 'prog', :t, 'token')"
                ),
                {"t": now},
            )
        await _downgrade(db_url, "0860")
        async with db.engine.connect() as conn:
            tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
            columns = await conn.run_sync(
                lambda sync: [c["name"] for c in inspect(sync).get_columns("booking_specialists")]
            )
            pairs = (
                await conn.execute(
                    text("SELECT value FROM booking_settings WHERE key = 'pair_kinds'")
                )
            ).scalar_one()
        assert "programme_assessments" not in tables and "stream" not in columns
        assert json.loads(pairs) == ["family"]
        for table, n in (("booking_bookings", 1), ("booking_claims", 1), ("booking_hours", 3)):
            assert await _count(db, table) == n, table
        await db.upgrade()
        assert await _count(db, "programme_assessments") == 0
    finally:
        await db.dispose()
