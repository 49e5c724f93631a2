"""The anonymous registry: one row per contact, fed by every turn and by the domain packages."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.settings import Settings
from dialogues.messages import Inbound
from registry.models import Contact
from registry.service import Registry
from storage.clock import FrozenClock
from storage.db import Database
from tests.dialogue_tester import labels


@pytest.fixture
async def db(db_url: str):
    database = Database(db_url)
    await database.upgrade()
    yield database
    await database.dispose()


async def test_observe_merges_role_topics_and_urgency(db: Database, clock: FrozenClock) -> None:
    reg = Registry(db)
    cid = await reg.observe(
        None, channel="telegram", lang="kk", nlu=labels("greet"), now=clock.now()
    )
    await reg.observe(
        cid,
        channel="telegram",
        lang="kk",
        nlu=labels("help", "victim", urgent=True),
        now=clock.now(),
    )
    await reg.observe(
        cid, channel="telegram", lang="kk", nlu=labels("contacts", "unknown"), now=clock.now()
    )
    row = await reg.get(cid)
    assert row is not None
    assert (row.role, row.topics, row.urgent, row.lang) == (
        "victim",
        "contacts,greet,help",
        True,
        "kk",
    )


async def test_update_accepts_only_registry_fields(db: Database, clock: FrozenClock) -> None:
    reg = Registry(db)
    cid = await reg.observe(None, channel="console", lang="ru", nlu=None, now=clock.now())
    await reg.update(cid, region="karaganda", danger_level="high", feedback={"q1": 5})
    row = await reg.get(cid)
    assert row is not None and row.region == "karaganda" and row.feedback == '{"q1": 5}'
    with pytest.raises(ValueError):
        await reg.update(cid, text="anything")


async def test_a_conversation_is_one_contact_until_it_goes_idle(
    settings: Settings, clock: FrozenClock
) -> None:
    from datetime import timedelta

    from sqlalchemy import func, select

    app = await App.create(settings, clock=clock)
    try:
        for text in ("/start", "/menu", "/help"):
            await app.conversations.handle(Inbound("console", "u", clock.now(), text=text))
        clock.advance(timedelta(hours=13))
        await app.conversations.handle(Inbound("console", "u", clock.now(), text="/menu"))
        async with app.db.session() as s:
            assert await s.scalar(select(func.count()).select_from(Contact)) == 2
    finally:
        await app.close()
