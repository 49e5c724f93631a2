"""Issue 17: the writer's age band on the anonymous registry row and in the reports.

Through the real pipeline: a teenager's message gives `young` and a later message that tells
nothing keeps it; an adult's gives `adult`; a greeting leaves it unknown. The reports count the
bands exactly as SQL does. Migration 0920 -> 0930 adds the column and keeps every row (SQLite
and PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from bot.app import App
from bot.settings import Settings
from core.clock import FrozenClock
from core.messages import Inbound
from registry.models import Contact
from registry.service import age_band_of
from reports.figures import Figures
from reports.period import Period
from reports.tables import summary_table
from storage.db import Database, migration_heads
from tests.test_inbox_migration import _downgrade

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    application = await App.create(settings, clock=FrozenClock(NOW))
    yield application
    await application.close()


async def band_after(app: App, ref: str, *texts: str) -> str | None:
    for said in texts:
        await app.conversations.handle(Inbound("console", ref, app.clock.now(), text=said))
    async with app.db.session() as s:
        rows = (await s.scalars(select(Contact).order_by(Contact.id.desc()))).all()
    return rows[0].age_band


async def test_the_conversation_keeps_what_it_learnt_of_the_writers_age(app: App) -> None:
    assert await band_after(app, "teen", "мне 14, отчим бьёт маму", "ок") == "young"
    assert await band_after(app, "kid", "маған 12 жас, әкем ұрады") == "child"
    assert await band_after(app, "her", "муж бьёт меня при детях") == "adult"
    assert await band_after(app, "mum", "боюсь, что ударю сына, я на пределе") == "adult"
    assert await band_after(app, "quiet", "здравствуйте") is None


def test_the_band_from_a_path_without_an_age() -> None:
    assert age_band_of(None, "young_person") == "young"  # a minor who did not say their age
    assert age_band_of(None, "parent") == "adult"
    assert age_band_of("child", "young_person") == "child"
    assert age_band_of("nonsense", None) is None


async def test_the_reports_count_the_bands_as_sql_does(app: App) -> None:
    bands = ["child", "young", "young", "adult", None, None, None]
    async with app.db.session() as s, s.begin():
        for n, band in enumerate(bands):
            at = NOW - timedelta(hours=n)
            s.add(Contact(started_at=at, last_at=at, channel="telegram", lang="ru", age_band=band))
    period = Period(NOW.date() - timedelta(days=2), NOW.date())
    report = await Figures(app.db).report(period)
    async with app.db.session() as s:
        direct = dict(
            (
                await s.execute(
                    select(Contact.age_band, func.count())
                    .where(Contact.channel == "telegram")
                    .group_by(Contact.age_band)
                )
            ).all()
        )
    assert dict(report.by_age) == direct == {"child": 1, "young": 2, "adult": 1, None: 3}
    table = await summary_table(Figures(app.db), period, "ru")
    assert [r[-1] for r in table.rows if str(r[0]).startswith("Возраст: подросток")] == [2]


def test_0930_leaves_one_head() -> None:
    assert len(migration_heads()) == 1  # 0940 (the directory, issue 18) follows it


async def test_0930_adds_the_band_and_keeps_every_row(db_url: str, clock: FrozenClock) -> None:
    db = Database(db_url)
    now = clock.now()
    try:
        await db.upgrade("0920")
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO registry_contacts (id, started_at, last_at, channel, lang, role,"
                    " topics, urgent, handed_off, unclaimed, booked)"
                    " VALUES (1, :t, :t, 'telegram', 'kk', 'victim', '', :f, :f, :f, :f)"
                ),
                {"t": now, "f": False},
            )
        await db.upgrade()
        async with db.session() as s:
            contact = await s.get(Contact, 1)
            assert contact is not None and contact.age_band is None
            contact.age_band = "young"
            await s.commit()
        await _downgrade(db_url, "0920")
        async with db.engine.connect() as conn:
            rows = (await conn.execute(text("SELECT id, role FROM registry_contacts"))).all()
            columns = (await conn.execute(text("SELECT * FROM registry_contacts"))).keys()
        assert [tuple(r) for r in rows] == [(1, "victim")] and "age_band" not in columns
        await db.upgrade()
    finally:
        await db.dispose()
