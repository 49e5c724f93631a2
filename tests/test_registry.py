"""The anonymous registry: one row per contact, fed by every turn and by the domain packages."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.settings import Settings
from core.clock import FrozenClock
from core.messages import Inbound
from registry.models import Contact
from registry.service import Registry
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
    assert row is not None and row.region == "karaganda" and row.feedback == '{"q1":5}'
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


# -- anonymity of the registry's schema and values ------------------------------------------

# Columns that hold short codes from a closed vocabulary (checked in Registry.update/observe).
CODE_COLUMNS = {
    "referral",
    "age_band",
    "channel",
    "lang",
    "role",
    "region",
    "topics",
    "danger_level",
    "handoff_outcome",
    "feedback",
    "violence",
    "sex",
    "demographics",
    "new_in",
}
# Written by the turn itself (Registry.observe_in) from the channel, the NLU and the clock;
# every other code column can be set only through the checks of Registry.update.
OBSERVED_ONLY = {"channel", "lang", "topics", "new_in"}
NUMBER_COLUMNS = {"id", "claim_seconds"}
PERSONAL = ("person", "user", "chat", "phone", "name", "text", "message", "address", "ip", "ref")


async def test_registry_table_has_no_column_for_text_or_a_persons_id(db: Database) -> None:
    """The migrated table itself (on SQLite and PostgreSQL), not only the model."""
    from sqlalchemy import inspect
    from sqlalchemy import types as t

    def columns(conn):  # type: ignore[no-untyped-def]
        insp = inspect(conn)
        return insp.get_columns("registry_contacts"), insp.get_foreign_keys("registry_contacts")

    async with db.engine.connect() as conn:
        cols, fks = await conn.run_sync(columns)
    assert not fks, "the registry must not point at people or conversations"
    assert {c["name"] for c in cols} == {c.name for c in Contact.__table__.columns}
    for col in cols:
        name, kind = col["name"], col["type"]
        # in_person is the format of a booked session (a flag), not a person; referral is a
        # code of vocabulary.REFERRALS (police, court...), never who the referrer was.
        allowed = name in ("in_person", "referral")
        assert allowed or not any(word in name for word in PERSONAL), name
        if isinstance(kind, t.Boolean) or (
            # SQLite has no boolean type; the model says which columns are flags.
            isinstance(Contact.__table__.columns[name].type, t.Boolean)
        ):
            continue
        if isinstance(kind, t.DateTime) or name in ("started_at", "last_at"):
            continue
        if isinstance(kind, t.Integer):
            assert name in NUMBER_COLUMNS, f"{name}: a number that could be an id"
            continue
        assert isinstance(kind, t.String) and not isinstance(kind, t.Text), f"{name}: {kind}"
        assert name in CODE_COLUMNS, f"{name}: a string column outside the code vocabulary"
        assert kind.length is not None and kind.length <= 255, f"{name}: unbounded"


def test_every_code_column_is_checked_against_its_vocabulary() -> None:
    from registry.service import CHECKS

    flags_and_numbers = {"booked", "handed_off", "unclaimed", "in_person", "attended"}
    checked_codes = set(CHECKS) - flags_and_numbers - {"claim_seconds"}
    assert checked_codes == CODE_COLUMNS - OBSERVED_ONLY


@pytest.mark.parametrize(
    "fields",
    [
        {"region": "Алматы, ул. Абая 5"},
        {"region": "almaty"},
        {"danger_level": "very"},
        {"role": "mother"},
        {"handoff_outcome": "позвонить 87011234567"},
        {"handoff_outcome": "x" * 33},
        {"claim_seconds": "5"},
        {"claim_seconds": -1},
        {"booked": "yes"},
        {"attended": 1},
        {"feedback": {"comment": "он меня бьёт"}},
        {"feedback": {"rating": 11}},
        {"feedback": {"Comment": "yes"}},
        {"feedback": "not json"},
        {"feedback": {}},
        {"feedback": {f"q{n}": "a_long_answer_code_here" for n in range(12)}},
        {"text": "anything"},
        {"violence": "hitting"},
        {"violence": ["physical", "он бьёт"]},
        {"violence": 5},
        {"sex": "woman"},
        {"sex": "Айгуль"},
        {"demographics": "maybe"},
        {"new_in": "new"},
        {"age_band": "declined"},
    ],
)
async def test_update_refuses_anything_but_codes(db: Database, clock: FrozenClock, fields) -> None:  # type: ignore[no-untyped-def]
    reg = Registry(db)
    cid = await reg.observe(None, channel="telegram", lang="ru", nlu=None, now=clock.now())
    with pytest.raises(ValueError):
        await reg.update(cid, **fields)
    row = await reg.get(cid)
    assert row is not None and row.region is None and row.feedback is None


async def test_feedback_answers_accumulate(db: Database, clock: FrozenClock) -> None:
    reg = Registry(db)
    cid = await reg.observe(None, channel="telegram", lang="kk", nlu=None, now=clock.now())
    await reg.answer(cid, "helped", "yes")
    await reg.answer(cid, "rating", 4)
    await reg.update(cid, booked=True, in_person=True, attended=None, claim_seconds=42.4)
    row = await reg.get(cid)
    assert row is not None
    assert row.feedback == '{"helped":"yes","rating":4}'
    assert (row.booked, row.in_person, row.attended, row.claim_seconds) == (True, True, None, 42)
    with pytest.raises(ValueError):
        await reg.answer(cid, "comment", "free words here")


def test_every_outcome_and_feedback_code_the_bot_can_send_is_in_the_registry_vocabulary() -> None:
    """The handoff consoles, the feedback flow and the reports share one vocabulary."""
    from dialogues.flows import feedback
    from handoff.case_view import OUTCOMES, SYSTEM_OUTCOMES
    from registry.service import checked
    from registry.vocabulary import FEEDBACK_QUESTIONS

    for code in [*OUTCOMES, *SYSTEM_OUTCOMES]:
        assert checked({"handoff_outcome": code}) == {"handoff_outcome": code}
    assert set(feedback.QUESTIONS) == set(FEEDBACK_QUESTIONS)
    with pytest.raises(ValueError):
        checked({"handoff_outcome": "whatever"})


async def test_violence_is_a_sorted_set_of_codes(db: Database, clock: FrozenClock) -> None:
    reg = Registry(db)
    cid = await reg.observe(None, channel="telegram", lang="ru", nlu=None, now=clock.now())
    await reg.update(cid, violence=["sexual", "physical"], sex="declined", demographics="declined")
    row = await reg.get(cid)
    assert row is not None
    assert (row.violence, row.sex, row.demographics) == ("physical,sexual", "declined", "declined")


async def test_a_chosen_role_replaces_the_nlu_and_state_is_kept_when_a_turn_tells_nothing(
    db: Database, clock: FrozenClock
) -> None:
    from registry.service import Known

    reg = Registry(db)
    now = clock.now()
    cid = await reg.observe(
        None, channel="telegram", lang="ru", nlu=labels("help", "victim"), now=now
    )
    # He chose the aggressor path: his choice outweighs the NLU's reading of his words.
    await reg.observe(
        cid,
        channel="telegram",
        lang="ru",
        nlu=labels("help", "victim"),
        now=now,
        known=Known(role="aggressor", region="karaganda", violence=("control",)),
    )
    # A fresh state (/start) tells nothing: the region and the kinds stay; the role stays too.
    await reg.observe(cid, channel="telegram", lang="ru", nlu=None, now=now, known=Known())
    # Unknown codes from a state are never stored.
    await reg.observe(
        cid,
        channel="telegram",
        lang="ru",
        nlu=None,
        now=now,
        known=Known(role="mother", region="Алматы", violence=("shouting", "physical")),
    )
    row = await reg.get(cid)
    assert row is not None
    assert (row.role, row.region, row.violence) == ("aggressor", "karaganda", "control,physical")


@pytest.mark.parametrize(
    ("previous", "now", "expected"),
    [
        (None, "2026-12-07T10:00", "new"),
        ("2025-12-31T12:00", "2026-01-01T10:00", "year"),
        # 31 Dec 20:00 UTC is already 1 January in Almaty (UTC+5): the same year there.
        ("2025-12-31T20:00", "2026-01-01T10:00", None),
        ("2026-03-31T10:00", "2026-04-01T10:00", "quarter"),
        ("2026-04-30T10:00", "2026-05-02T10:00", "month"),
        ("2026-05-01T10:00", "2026-05-30T10:00", None),
    ],
)
def test_new_in_compares_calendar_units_in_almaty(
    previous: str | None, now: str, expected: str | None
) -> None:
    from datetime import UTC, datetime

    from registry.service import new_in

    def at(text: str) -> datetime:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)

    assert new_in(at(previous) if previous else None, at(now)) == expected


async def test_0950_adds_the_new_columns_and_keeps_every_row(
    db_url: str, clock: FrozenClock
) -> None:
    from sqlalchemy import text

    from tests.test_inbox_migration import _downgrade

    db = Database(db_url)
    try:
        await db.upgrade("0940")
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO registry_contacts (id, started_at, last_at, channel, lang, role,"
                    " topics, urgent, handed_off, unclaimed, booked)"
                    " VALUES (1, :t, :t, 'telegram', 'kk', 'victim', '', :f, :f, :f, :f)"
                ),
                {"t": clock.now(), "f": False},
            )
        await db.upgrade()
        reg = Registry(db)
        row = await reg.get(1)
        assert row is not None
        assert (row.violence, row.sex, row.demographics, row.new_in) == (None, None, None, None)
        await reg.update(1, violence=["control"], sex="female", demographics="answered")
        await _downgrade(db_url, "0940")
        async with db.engine.connect() as conn:
            rows = (await conn.execute(text("SELECT id, role FROM registry_contacts"))).all()
            columns = set((await conn.execute(text("SELECT * FROM registry_contacts"))).keys())
        assert [tuple(r) for r in rows] == [(1, "victim")]
        assert not columns & {"violence", "sex", "demographics", "new_in"}
        await db.upgrade()
    finally:
        await db.dispose()
