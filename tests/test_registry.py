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
}
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
