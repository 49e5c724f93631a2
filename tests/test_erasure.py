"""Erase means erase: /forget, retention and quick exit reach the handoff cases, open or closed,
and their copies in the consultants' group (issue 22, point 5). Over the fake Bot API, on
SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select

from bot.app import App
from core.clock import FrozenClock
from devtools.fake_telegram import FakeBotAPI
from handoff.models import HandoffCase
from registry.models import Contact
from storage.crypto import DecryptionError
from storage.models import Base, Person
from tests.handoff_helpers import (
    GROUP,
    PERSON,
    handoff_settings,
    running,
    texts_to,
    wait_text,
    wait_topic,
    wait_topic_text,
    web_consultant,
)

URGENT = "помогите, он убьёт меня"
PHONE, ADDRESS = "мой номер 87011234567", "мой адрес ул. Абая 150, кв. 7"
SECRETS = ("87011234567", "Абая 150", "сосед Ерлан")


async def person_data(app: App, person_id: int, case_ids: list[int]) -> dict[str, int]:
    """Rows about the person in every table that refers to a person or a case, found from
    the schema itself: a table added later cannot be forgotten here. A reference that is set
    to NULL on delete counts its NULL rows too (a case that outlived its person)."""
    counts: dict[str, int] = {}
    async with app.db.session() as s:
        counts["people"] = int(
            await s.scalar(select(func.count()).where(Person.id == person_id)) or 0
        )
        for table in Base.metadata.sorted_tables:
            for fk in table.foreign_keys:
                target = fk.column.table.name
                if target not in ("people", "handoff_cases"):
                    continue
                ids = [person_id] if target == "people" else case_ids
                cond = fk.parent.in_(ids)
                if (fk.ondelete or "").upper() == "SET NULL":
                    cond = or_(cond, fk.parent.is_(None))
                counts[f"{table.name}.{fk.parent.name}"] = int(
                    await s.scalar(select(func.count()).select_from(table).where(cond)) or 0
                )
    return counts


async def plaintext_anywhere(app: App, needles: tuple[str, ...]) -> list[str]:
    """Every encrypted column of every table, decrypted and searched for the needles."""
    hits: list[str] = []
    async with app.db.session() as s:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name.endswith("_enc")]
            if not columns:
                continue
            for row in await s.execute(select(*columns)):
                for column, value in zip(columns, row, strict=True):
                    if not value:
                        continue
                    try:
                        plain = app.vault.decrypt(value)
                    except DecryptionError:
                        continue
                    hits += [f"{table.name}.{column.name}" for n in needles if n in plain]
    return hits


async def _drained(app: App) -> None:
    for _ in range(300):
        if not await app.outbox.pending():  # type: ignore[union-attr]
            return
        await asyncio.sleep(0.1)
    raise TimeoutError("the outbox did not drain")


async def _case(app: App) -> HandoffCase:
    async with app.db.session() as s:
        row = await s.scalar(select(HandoffCase).order_by(HandoffCase.id.desc()).limit(1))
    assert row is not None
    return row


async def _person_id(app: App) -> int:
    async with app.db.session() as s:
        found = await s.scalar(select(Person.id))
    assert found is not None
    return found


def _topic(api: FakeBotAPI, thread: int) -> list[dict[str, Any]]:
    return [m for m in api.chats[GROUP].values() if m.get("message_thread_id") == thread]


async def _closed_case(
    app: App, api: FakeBotAPI, clock: FrozenClock, *, two_days: bool
) -> tuple[int, int]:
    """An urgent case, claimed, with the person's phone and address, a consultant's reply,
    screen answers and a note, then closed. With `two_days`, what came before the address
    was posted more than 48 hours before the end. Returns (case id, topic thread)."""
    api.user_message(PERSON, URGENT)
    thread = await wait_topic(api)
    await wait_topic_text(api, thread, "СРОЧНО")
    case = await _case(app)
    who = await web_consultant(app)
    await app.desk.claim(case.id, who)  # type: ignore[union-attr]
    await wait_text(api, PERSON, "Можете писать")
    api.user_message(PERSON, PHONE)
    await wait_topic_text(api, thread, PHONE)
    await app.desk.reply(case.id, who, "Спасибо. Где вы сейчас?")  # type: ignore[union-attr]
    await wait_text(api, PERSON, "Где вы сейчас?")
    await wait_topic_text(api, thread, "Где вы сейчас?")
    if two_days:
        api.age(49 * 3600)
        clock.advance(timedelta(hours=49))
    api.user_message(PERSON, ADDRESS)
    await wait_topic_text(api, thread, "Абая 150")
    await app.desk.note(case.id, who, "сосед Ерлан может приютить")  # type: ignore[union-attr]
    async with app.db.session() as s, s.begin():  # the danger screen's answers on the case
        row = await s.get(HandoffCase, case.id)
        assert row is not None
        row.details_enc = app.vault.encrypt_json({"danger_screen": {"where": "Абая 150"}})
    await app.desk.close(case.id, who, "helped")  # type: ignore[union-attr]
    await wait_text(api, PERSON, "завершил разговор")
    await _drained(app)
    return case.id, thread


async def test_forget_erases_a_closed_case_and_its_copies_in_the_topic(
    tmp_path: Path, api: FakeBotAPI, db_url: str, clock: FrozenClock
) -> None:
    async with running(handoff_settings(tmp_path, api, db_url), clock) as (app, _):
        case_id, thread = await _closed_case(app, api, clock, two_days=True)
        person_id = await _person_id(app)
        contact_id = (await _case(app)).contact_id
        before = await person_data(app, person_id, [case_id])
        for table in (
            "handoff_cases.person_id",
            "handoff_messages.case_id",
            "platform_messages.person_id",
        ):
            assert before[table] > 0, table
        assert await plaintext_anywhere(app, SECRETS)  # what the test looks for was there
        shown = _topic(api, thread)
        old = {m["message_id"] for m in shown if api.now() - m["date"] > 48 * 3600}
        young = {m["message_id"] for m in shown} - old

        api.user_message(PERSON, "/forget")
        await wait_text(api, PERSON, "Удалить всё")
        api.button_press(PERSON, "safety.forget#yes")
        told = await wait_text(api, PERSON, "обезличенная отметка")
        assert "150" in told
        honest = next(t for t in texts_to(api, PERSON) if "старше 48 часов" in t)
        assert "прочерком" in honest
        await _drained(app)

        after = await person_data(app, person_id, [case_id])
        assert set(after.values()) == {0}, after
        assert await plaintext_anywhere(app, SECRETS) == []
        async with app.db.session() as s:  # only the anonymous registry row stays
            contact = await s.get(Contact, contact_id)
        assert contact is not None and contact.handed_off

        # In the topic: the young copy is gone, the old ones say only "— удалено по просьбе",
        # the note to colleagues is neutral, and the topic is closed.
        left = _topic(api, thread)
        assert all(s not in m.get("text", "") for m in left for s in SECRETS)
        assert all("Где вы сейчас" not in m.get("text", "") for m in left)
        blanked = [m for m in left if m.get("text") == "— удалено по просьбе"]
        assert {m["message_id"] for m in blanked} == old
        assert len(old) >= 4  # the card, the claim, the phone, the reply
        assert young and not young & {m["message_id"] for m in left}  # deleted outright
        assert len(left) == len(old) + 1
        assert not any("reply_markup" in m for m in blanked)
        assert any("удалены" in m.get("text", "") for m in left)  # says why, names no one
        assert api.topics[GROUP][thread]["closed"]


async def test_forget_within_two_days_deletes_every_copy(
    tmp_path: Path, api: FakeBotAPI, db_url: str, clock: FrozenClock
) -> None:
    async with running(handoff_settings(tmp_path, api, db_url), clock) as (app, _):
        _, thread = await _closed_case(app, api, clock, two_days=False)
        api.user_message(PERSON, "/forget")
        await wait_text(api, PERSON, "Удалить всё")
        api.button_press(PERSON, "safety.forget#yes")
        await wait_text(api, PERSON, "из рабочего чата консультантов")
        await _drained(app)
        left = [m.get("text", "") for m in _topic(api, thread)]
        assert len(left) == 1 and "удалены" in left[0]  # only the neutral note


async def test_retention_erases_closed_cases_and_the_sweep_erases_orphans(
    tmp_path: Path, api: FakeBotAPI, db_url: str, clock: FrozenClock
) -> None:
    async with running(handoff_settings(tmp_path, api, db_url), clock) as (app, _):
        case_id, thread = await _closed_case(app, api, clock, two_days=False)
        person_id = await _person_id(app)
        clock.advance(timedelta(days=31))
        assert await app.retention.sweep(clock.now()) == 1
        await _drained(app)
        assert set((await person_data(app, person_id, [case_id])).values()) == {0}
        assert await plaintext_anywhere(app, SECRETS) == []
        assert len(_topic(api, thread)) == 1

        # A case whose person went without it (a crash in between, or an older release)
        # is erased by the desk's sweep.
        api.user_message(PERSON + 1, URGENT)
        await api.wait_for(lambda a: len(a.topics[GROUP]) == 2)
        orphan = await _case(app)
        async with app.db.session() as s, s.begin():
            gone = await s.get(Person, orphan.person_id)
            assert gone is not None
            await s.delete(gone)
        assert (await app.jobs.run_now("handoff.sweep"))["erased"] == 1  # type: ignore[index]
        async with app.db.session() as s:
            assert await s.get(HandoffCase, orphan.id) is None


async def test_quick_exit_deletes_what_the_person_wrote_during_a_consultation(
    tmp_path: Path, api: FakeBotAPI, clock: FrozenClock
) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path}/qe.db"
    async with running(handoff_settings(tmp_path, api, db), clock) as (app, _):
        await _closed_case(app, api, clock, two_days=False)
        mine = [m for m in api.chats[PERSON].values() if PHONE in m.get("text", "")]
        assert mine
        api.user_message(PERSON, "/exit")
        await wait_text(api, PERSON, "Готово.")
        assert not any(PHONE in m.get("text", "") for m in api.chats[PERSON].values())
        assert not any(ADDRESS in m.get("text", "") for m in api.chats[PERSON].values())
