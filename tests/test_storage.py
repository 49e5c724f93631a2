"""Storage on SQLite and on the real PostgreSQL: migrations, upserts, encryption, erasure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from core.clock import FrozenClock
from storage.crypto import Vault
from storage.db import Database
from storage.people import People
from storage.state import SqlStateStore
from storage.transcript import MessageIds, Transcripts
from tests.conftest import TEST_KEY


@pytest.fixture
async def db(db_url: str):
    database = Database(db_url)
    await database.upgrade()
    yield database
    await database.dispose()


async def test_migrations_create_the_schema_and_are_idempotent(db: Database) -> None:
    await db.upgrade()  # second run is a no-op
    async with db.engine.connect() as conn:
        version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    assert version is not None


async def test_identify_creates_once_and_finds_again(db: Database, clock: FrozenClock) -> None:
    people = People(db, Vault([TEST_KEY]))
    first = await people.identify("telegram", "42", "42", clock.now())
    clock.advance(timedelta(minutes=5))
    again = await people.identify("telegram", "42", "42", clock.now())
    other = await people.identify("whatsapp", "42", "+77010000000", clock.now())
    assert first.created and not again.created
    assert first.id == again.id != other.id
    assert await people.address(other.id) == "+77010000000"


async def test_nothing_identifying_is_stored_in_clear(db: Database, clock: FrozenClock) -> None:
    vault = Vault([TEST_KEY])
    people = People(db, vault)
    person = await people.identify("telegram", "987654321", "987654321", clock.now())
    await Transcripts(db, vault).append(
        person.id, [("in", "муж бьёт меня каждый вечер")], clock.now()
    )
    await SqlStateStore(db, vault).save(person.id, {"vars": {"city": "Караганда"}}, clock.now())
    dump = await _dump(db)
    for secret in ("987654321", "муж бьёт", "Караганда"):
        assert secret not in dump


async def test_state_round_trip_and_survives_a_new_engine(db_url: str, clock: FrozenClock) -> None:
    vault = Vault([TEST_KEY])
    first = Database(db_url)
    await first.upgrade()
    person = await People(first, vault).identify("console", "u1", None, clock.now())
    await SqlStateStore(first, vault).save(
        person.id, {"step": "menu.main", "lang": "kk"}, clock.now()
    )
    await first.dispose()
    second = Database(db_url)  # as after a restart
    try:
        assert await SqlStateStore(second, vault).load(person.id) == {
            "step": "menu.main",
            "lang": "kk",
        }
    finally:
        await second.dispose()


async def test_forget_erases_every_row_of_the_person(db: Database, clock: FrozenClock) -> None:
    vault = Vault([TEST_KEY])
    people = People(db, vault)
    keep = await people.identify("telegram", "1", "1", clock.now())
    gone = await people.identify("telegram", "2", "2", clock.now())
    for person in (keep, gone):
        await Transcripts(db, vault).append(person.id, [("in", "hello")], clock.now())
        await SqlStateStore(db, vault).save(person.id, {"step": "x"}, clock.now())
        await MessageIds(db).record(person.id, ["10", "11"], clock.now())
    await people.forget(gone.id)
    async with db.engine.connect() as conn:
        for table in ("transcript", "conversation_states", "platform_messages"):
            rows = (await conn.execute(text(f"SELECT person_id FROM {table}"))).scalars().all()
            assert set(rows) == {keep.id}, table


async def test_rotated_key_still_finds_and_reads_old_rows(db: Database, clock: FrozenClock) -> None:
    old = Vault([TEST_KEY])
    person = await People(db, old).identify("telegram", "555", "555", clock.now())
    await Transcripts(db, old).append(person.id, [("in", "старое сообщение")], clock.now())
    rotated = Vault(["a-brand-new-secret-key-0000000000", TEST_KEY])
    again = await People(db, rotated).identify("telegram", "555", "555", clock.now())
    assert again.id == person.id
    lines = await Transcripts(db, rotated).recent(person.id)
    assert [line.text for line in lines] == ["старое сообщение"]


async def test_message_ids_split_at_the_deletion_window(db: Database, clock: FrozenClock) -> None:
    vault = Vault([TEST_KEY])
    person = await People(db, vault).identify("telegram", "9", "9", clock.now())
    ids = MessageIds(db)
    await ids.record(person.id, ["1", "2"], clock.now())
    clock.advance(timedelta(hours=50))
    await ids.record(person.id, ["3"], clock.now())
    fresh, old = await ids.since(person.id, clock.now() - timedelta(hours=48))
    assert fresh == ["3"] and old == 2


async def _dump(db: Database) -> str:
    """Every value of every table, as text: what a leaked copy of the database would show."""
    out = []
    async with db.engine.connect() as conn:
        tables = ["people", "conversation_states", "transcript", "platform_messages"]
        for table in tables:
            for row in (await conn.execute(text(f"SELECT * FROM {table}"))).all():
                out.append(" ".join(str(v) for v in row))
    return "\n".join(out)
