"""Issue 18, the live directory's store (contacts/): add, edit, verify, due, hidden after the
grace period, retire, national lines exempt from hiding, import/export round trip, every change
in the audit log, and migration 0940 up and down; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from bot.directory_setup import make_store, read_file
from bot.directory_transfer import export_text, import_contacts, read
from bot.settings import Settings
from contacts.entry import ContactError, Details
from contacts.rules import GRACE, add_months
from contacts.store import ContactStore
from core.clock import FrozenClock
from dialogues.directory import CONTACTS_FILE, Directory, check_file
from dialogues.live_directory import LiveDirectory
from dialogues.services import Services
from staffweb.models import AuditEvent
from storage.db import Database, migration_heads
from tests.test_inbox_migration import _downgrade

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
CENTRE = Details(
    region="karaganda",
    kind="crisis_centre",
    name_ru="Кризисный центр «Тест»",
    name_kk="«Тест» дағдарыс орталығы",
    phones=("+77212000111",),
    hours_ru="круглосуточно",
    free="yes",
    languages=("kk", "ru"),
    shelter="yes",
)


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    await database.upgrade()
    yield database
    await database.dispose()


@pytest.fixture
def store(db: Database) -> ContactStore:
    return make_store(db)


async def actions(db: Database) -> list[tuple[str, str, str]]:
    async with db.session() as s:
        rows = await s.execute(select(AuditEvent.action, AuditEvent.subject, AuditEvent.username))
        return [tuple(r) for r in rows]  # type: ignore[misc]


async def snapshot(store: ContactStore, clock: FrozenClock) -> Directory:
    return await LiveDirectory(store, Services(clock=clock), clock).refresh()


def numbers(directory: Directory, region: str) -> list[str]:
    return [p for e in directory.regional(region) for p in e.phones]


async def test_an_added_entry_is_shown_only_once_verified_and_until_grace_after_its_check(
    db: Database, store: ContactStore
) -> None:
    clock = FrozenClock(NOW)
    added = await store.add("kar_test", CENTRE, "coord", NOW, staff_id=None)
    assert added.verification is None
    assert added.standing(NOW, GRACE).code == "unverified"
    assert numbers(await snapshot(store, clock), "karaganda") == []

    verified = await store.verify("kar_test", "phoned", "дежурный психолог", "coord", NOW)
    assert verified is not None and verified.verification is not None
    assert verified.verification.by == "coord"
    assert verified.verification.due_at == add_months(NOW, 6)
    directory = await snapshot(store, clock)
    assert numbers(directory, "karaganda") == ["+77212000111"]

    due = verified.verification.due_at
    clock.set(due - timedelta(days=10))
    assert verified.standing(clock.now(), GRACE).code == "due"
    clock.set(due + timedelta(days=1))
    assert verified.standing(clock.now(), GRACE).code == "overdue"
    assert numbers(directory, "karaganda") == ["+77212000111"]  # within the grace period
    clock.set(due + GRACE + timedelta(seconds=1))
    standing = verified.standing(clock.now(), GRACE)
    assert (standing.code, standing.since) == ("hidden", due + GRACE)
    # The same snapshot, no refresh: the check date is read against the clock at every turn.
    assert numbers(directory, "karaganda") == []

    site = "https://gov.kz/x"
    again = await store.verify("kar_test", "official_site", site, "coord2", clock.now())
    assert again is not None
    assert numbers(await snapshot(store, clock), "karaganda") == ["+77212000111"]
    done = [a for a, _, _ in await actions(db)]
    assert done == ["contact-add", "contact-verify", "contact-verify"]
    assert (await actions(db))[-1] == ("contact-verify", "contact kar_test", "coord2")


async def test_an_edit_keeps_the_check_but_a_new_number_needs_a_new_check(
    db: Database, store: ContactStore
) -> None:
    await store.add("kar_test", CENTRE, "coord", NOW)
    await store.verify("kar_test", "phoned", "дежурный", "coord", NOW)
    changed = await store.edit("kar_test", replace(CENTRE, hours_ru="9:00–18:00"), "coord", NOW)
    assert changed is not None and changed[1].verification is not None
    changed = await store.edit("kar_test", replace(CENTRE, phones=("+77212000222",)), "c", NOW)
    assert changed is not None and changed[1].verification is None
    assert numbers(await snapshot(store, FrozenClock(NOW)), "karaganda") == []
    assert await store.edit("nope", CENTRE, "coord", NOW) is None
    reasons = [r for (r,) in (await _reasons(db))]
    assert "changed hours_ru" in reasons[2]
    assert "verification cleared" in reasons[3]


async def _reasons(db: Database) -> list[tuple[str]]:
    async with db.session() as s:
        rows = await s.execute(select(AuditEvent.reason).order_by(AuditEvent.id))
        return [tuple(r) for r in rows]  # type: ignore[misc]


async def test_a_retired_entry_is_never_shown_and_cannot_be_verified(
    db: Database, store: ContactStore
) -> None:
    await store.add("kar_test", CENTRE, "coord", NOW)
    await store.verify("kar_test", "phoned", "дежурный", "coord", NOW)
    retired = await store.retire("kar_test", "coord", NOW)
    assert retired is not None and retired.standing(NOW, GRACE).code == "retired"
    assert numbers(await snapshot(store, FrozenClock(NOW)), "karaganda") == []
    with pytest.raises(ContactError):
        await store.verify("kar_test", "phoned", "x", "coord", NOW)
    assert [a for a, _, _ in await actions(db)][-1] == "contact-retire"


@pytest.mark.parametrize(
    ("details", "key"),
    [
        (replace(CENTRE, phones=("8 (7212) 12-34",)), "staff-contact-error-phone"),
        (replace(CENTRE, region="atlantis"), "staff-contact-error-region"),
        (replace(CENTRE, notes="ул. Ленина, д. 5"), "staff-contact-error-address"),
        (replace(CENTRE, name_kk="Абай көшесі 12"), "staff-contact-error-address"),
        (replace(CENTRE, line_ru="линия"), "staff-contact-error-line"),
        (replace(CENTRE, website="http://x.kz"), "staff-contact-error-website"),
    ],
)
async def test_refused_as_written(store: ContactStore, details: Details, key: str) -> None:
    with pytest.raises(ContactError) as refused:
        await store.add("kar_test", details, "coord", NOW)
    assert refused.value.key == key
    assert await store.get("kar_test") is None


async def test_unverified_or_phoneless_entries_cannot_be_verified_without_a_source(
    store: ContactStore,
) -> None:
    await store.add("kar_nophone", replace(CENTRE, phones=()), "coord", NOW)
    with pytest.raises(ContactError):
        await store.verify("kar_nophone", "phoned", "дежурный", "coord", NOW)
    await store.add("kar_test", CENTRE, "coord", NOW)
    for how, source in (("phoned", " "), ("guessed", "x")):
        with pytest.raises(ContactError):
            await store.verify("kar_test", how, source, "coord", NOW)


async def test_the_seed_keeps_the_national_lines_shown_past_any_date(
    db: Database, store: ContactStore
) -> None:
    assert await store.seed_if_empty(read_file(CONTACTS_FILE, NOW), NOW)
    assert not await store.seed_if_empty(read_file(CONTACTS_FILE, NOW), NOW)  # once
    clock = FrozenClock(NOW + timedelta(days=3 * 365))  # years past every check date
    directory = await snapshot(store, clock)
    assert [e.phones[0] for e in directory.national_lines()] == ["102", "112", "103", "150", "111"]
    entries = {c.id: c for c in await store.all()}
    police = entries["kz_police_102"]
    assert police.standing(clock.now(), GRACE).code == "overdue"  # on the page's list
    assert police.standing(clock.now(), GRACE).reminder
    # The file's unverified regional entries stay unshown.
    assert all(not directory.regional(r) for r in ("karaganda", "north_kz", "almaty_city"))
    assert {u for _, _, u in await actions(db)} == {"system"}


async def test_export_then_import_changes_nothing(
    db_url: str, settings: Settings, tmp_path: Path
) -> None:
    settings = settings.model_copy(update={"database_url": db_url})
    db = Database(db_url)
    try:
        await db.upgrade()
        store = make_store(db)
        await store.seed_if_empty(read_file(CONTACTS_FILE, NOW), NOW)
        await store.add("kar_test", CENTRE, "coord", NOW)
        await store.verify("kar_test", "phoned", "дежурный", "coord", NOW + timedelta(hours=1))
        await store.add("kar_gone", replace(CENTRE, phones=()), "coord", NOW)
        await store.retire("kar_gone", "coord", NOW)
        before = await store.all()
        audited = len(await actions(db))
        text, count = await export_text(settings)
        assert count == len(before)
        path = tmp_path / "export.yaml"
        path.write_text(text, encoding="utf-8")
        _, report = check_file(path)
        assert report.errors == []
        assert await import_contacts(settings, read(path)) == []
        assert await store.all() == before
        assert len(await actions(db)) == audited
        # An edited copy changes what it says, and the change is audited as the system.
        path.write_text(text.replace("+77212000111", "+77212000999"), encoding="utf-8")
        assert await import_contacts(settings, read(path)) == ["kar_test"]
        assert (await actions(db))[-1] == ("contact-import", "contact kar_test", "system")
    finally:
        await db.dispose()


def test_0940_leaves_one_head() -> None:
    assert migration_heads() == {"0950"}  # the registry's new columns (issue 19) follow it


async def test_0940_adds_the_table_and_goes_back(db_url: str) -> None:
    db = Database(db_url)

    async def tables() -> set[str]:
        async with db.engine.connect() as conn:
            return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))

    try:
        await db.upgrade("0930")
        assert "directory_entries" not in await tables()
        await db.upgrade()
        assert "directory_entries" in await tables()
        await make_store(db).add("kar_test", CENTRE, "coord", NOW)
        await _downgrade(db_url, "0930")
        assert "directory_entries" not in await tables()
        await db.upgrade()
        assert await make_store(db).all() == []
    finally:
        await db.dispose()


async def test_another_process_change_reaches_the_bot_at_its_next_refresh(
    db_url: str, settings: Settings
) -> None:
    from bot.app import App

    app = await App.create(
        settings.model_copy(update={"database_url": db_url}), clock=FrozenClock(NOW)
    )
    try:
        job, every = app.jobs.registered["contacts.refresh"]
        assert every == 30
        other = make_store(app.db)  # as another process would: no listener of this bot
        await other.add("kar_test", CENTRE, "coord", NOW)
        await other.verify("kar_test", "phoned", "дежурный", "coord", NOW)
        assert app.conversations.services.contacts is not None
        assert numbers(app.conversations.services.contacts, "karaganda") == []  # not yet
        await job()
        assert numbers(app.conversations.services.contacts, "karaganda") == ["+77212000111"]
        assert app.contacts is not None
        await app.contacts.retire("kar_test", "coord", NOW)  # this process: at once
        assert numbers(app.conversations.services.contacts, "karaganda") == []
    finally:
        await app.close()
