"""Issue 16, staff side: who referred him, what the chat noted, and his consent to a
confirmation of attendance.

Staff set who referred a man on his assessment sheet: it goes on every programme booking of his
and on the anonymous registry rows (so the reports count it); only the programme's specialists
and coordinators may. The sheet shows what the chat noted in words, and the self-check answers
only when he agreed to pass them on. A confirmation of attendance is refused until his written
consent is recorded, says what he attended and nothing of the work, and is refused again once
he withdraws. Migration 0920 adds the consent to courses and keeps every row."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from booking.bookings import BookingView, Intake, Request
from booking.models import Booking, Course
from bot.app import App
from bot.settings import Settings
from core.clock import FrozenClock
from core.messages import Inbound
from registry.models import Contact
from registry.vocabulary import INTAKE_NOTES
from staffweb.models import AuditEvent
from storage.db import Database
from tests.test_inbox_migration import _downgrade
from tests.test_programme_assessment import NOTE, SATURDAY, a_sheet, programme_app, service
from tests.test_staff_texts import leftovers, russian_labels
from tests.web_helpers import serve, signed_in

PASSWORD = "correct horse battery"
COURSE_NOTE = "Рассказал о срыве в пятницу"


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    application = await programme_app(settings)
    yield application
    await application.close()


async def booked(app: App, at: int = 0, intake: Intake | None = None) -> BookingView:
    """A programme booking of the same anonymous man ("him"), the `at`-th free slot."""
    outcome = await app.conversations.handle(
        Inbound("console", "him", app.clock.now(), text="/start")
    )
    assert outcome.person_id is not None
    req = Request("stop", "ru", "online")
    slot = (await service(app).free_slots(req, SATURDAY))[at]
    return await service(app).book(outcome.person_id, req, slot.starts_at, intake=intake)


async def actions(app: App) -> set[tuple[str, str, str]]:
    async with app.db.session() as s:
        return {(e.username, e.action, e.subject) for e in await s.scalars(select(AuditEvent))}


async def test_staff_set_who_referred_him_on_every_booking_and_the_registry(app: App) -> None:
    first, second = await booked(app), await booked(app, at=1)
    now = app.clock.now()
    rows: list[int] = []
    async with app.db.session() as s, s.begin():
        for booking in (first, second):
            contact = Contact(started_at=now, last_at=now, channel="console", lang="ru")
            s.add(contact)
            await s.flush()
            rows.append(contact.id)
            await s.execute(
                update(Booking).where(Booking.id == booking.id).values(contact_id=contact.id)
            )
    url = f"/staff/programme/assessment/{first.id}/referral"
    async with serve(app) as base:
        for name in ("vict", "cons"):
            async with (
                signed_in(base, name, PASSWORD) as (http, csrf),
                http.post(base + url, data={"referral": "court"}, headers=csrf) as resp,
            ):
                assert resp.status == 403, name
        async with signed_in(base, "prog", PASSWORD) as (http, csrf):
            async with http.post(
                base + url, data={"referral": "nobody"}, headers=csrf, allow_redirects=False
            ) as resp:
                assert resp.status == 400
            async with http.post(
                base + url, data={"referral": "court"}, headers=csrf, allow_redirects=False
            ) as resp:
                assert resp.status == 303
        async with app.db.session() as s:
            assert set((await s.scalars(select(Booking.referral))).all()) == {"court"}
            theirs = select(Contact.referral).where(Contact.id.in_(rows))
            assert set((await s.scalars(theirs)).all()) == {"court"}
        async with (
            signed_in(base, "coord", PASSWORD) as (http, csrf),
            http.post(base + url, data={"referral": ""}, headers=csrf) as resp,
        ):
            assert resp.status == 200 and "Сохранено, кто направил" in await resp.text()
    async with app.db.session() as s:
        assert set((await s.scalars(select(Booking.referral))).all()) == {None}
        assert set((await s.scalars(theirs)).all()) == {None}
    done = await actions(app)
    assert ("prog", "booking-referral", f"booking {first.id}") in done
    assert ("vict", "assessment-refused", f"booking {first.id}") in done


async def test_the_sheet_says_in_words_what_the_chat_noted(app: App) -> None:
    noted = await booked(app, intake=Intake("police", ("substances", "weapon_unsure")))
    bare = await booked(app, at=1)
    async with serve(app) as base, signed_in(base, "prog", PASSWORD) as (http, _):
        async with http.get(f"{base}/staff/programme/assessment/{noted.id}") as resp:
            page = await resp.text()
        assert INTAKE_NOTES["substances"].ru in page
        assert INTAKE_NOTES["weapon_unsure"].ru in page
        assert 'value="police" selected' in page
        assert 'id="self-check"' not in page  # he passed nothing on
        async with http.get(f"{base}/staff/programme/assessment/{bare.id}") as resp:
            assert "ничего не отмечено" in await resp.text()


async def test_a_confirmation_of_attendance_only_with_his_written_consent(app: App) -> None:
    intake = await booked(app)
    await service(app).assessments.save(intake.id, a_sheet(), "prog", app.clock.now())
    courses = service(app).courses
    course_id = await courses.enrol(intake, "prog", sessions=3)
    await courses.add_note(course_id, "prog", COURSE_NOTE)
    course = await courses.get(course_id)
    assert course is not None and course.upcoming is not None
    clock = app.clock
    assert isinstance(clock, FrozenClock)
    clock.set(course.upcoming.starts_at + timedelta(minutes=70))
    await courses.mark(course_id, course.upcoming.id, "attended")
    page = f"/staff/programme/courses/{course_id}"
    paper = page + "/confirmation"
    async with serve(app) as base:
        async with signed_in(base, "prog", PASSWORD) as (http, csrf):
            async with http.get(base + paper) as resp:
                assert resp.status == 409
                assert "письменному согласию" in await resp.text()
            async with http.post(base + page + "/consent", data={}, headers=csrf) as resp:
                assert resp.status == 400  # the box that says the paper is signed and kept
            async with http.post(
                base + page + "/consent", data={"signed": "on"}, headers=csrf
            ) as resp:
                assert resp.status == 200 and 'id="confirmation-link"' in await resp.text()
            async with http.get(base + paper) as resp:
                said = await resp.text()
            assert resp.status == 200
            assert "Посещено встреч: 1 из 3 запланированных; пропущено: 0." in said
            assert "Курс продолжается." in said
            # What he attended, nothing of the work: no notes, no sheet, no risk.
            for secret in (COURSE_NOTE, NOTE, "Признаёт удары", "риск"):
                assert secret not in said
        async with signed_in(base, "vict", PASSWORD) as (http, _), http.get(base + paper) as resp:
            assert resp.status == 403
        async with signed_in(base, "coord", PASSWORD) as (http, csrf):
            async with http.post(base + "/staff/lang", data={"lang": "kk"}, headers=csrf):
                pass
            async with http.get(base + paper) as resp:
                kazakh = await resp.text()
            assert "Келген кездесулері: жоспарланған 3 кездесудің 1" in kazakh
            assert leftovers(kazakh, russian_labels()) == []
            async with http.post(base + page + "/consent-withdraw", data={}, headers=csrf):
                pass
            async with http.get(base + paper) as resp:
                assert resp.status == 409
    done = {(who, what) for who, what, _ in await actions(app)}
    assert {("prog", "course-consent"), ("prog", "course-confirmation")} <= done
    assert {("coord", "course-consent-withdraw"), ("vict", "course-refused")} <= done
    kept = await courses.get(course_id)
    assert kept is not None and kept.confirm_consent_at is None


# -- migration 0920, on SQLite and PostgreSQL -----------------------------------------------


async def test_0920_adds_the_consent_and_keeps_every_course(
    db_url: str, clock: FrozenClock
) -> None:
    db = Database(db_url)
    now = clock.now()
    try:
        await db.upgrade("0910")
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO people (id, channel, ref_hash, created_at, last_seen_at)"
                    " VALUES (1, 'telegram', 'h1', :t, :t)"
                ),
                {"t": now},
            )
            await conn.execute(
                text(
                    "INSERT INTO programme_courses (id, person_id, lang, mode, sessions_planned,"
                    " every_days, status, enrolled_by, enrolled_at)"
                    " VALUES (1, 1, 'kk', 'online', 12, 7, 'active', 'prog', :t)"
                ),
                {"t": now},
            )
        await db.upgrade()
        async with db.session() as s:
            course = await s.get(Course, 1)
            assert course is not None and course.confirm_consent_at is None
            course.confirm_consent_at, course.confirm_consent_by = now, "prog"
            await s.commit()
        await _downgrade(db_url, "0910")
        async with db.engine.connect() as conn:
            rows = (await conn.execute(text("SELECT id, status FROM programme_courses"))).all()
            columns = (await conn.execute(text("SELECT * FROM programme_courses"))).keys()
        assert [tuple(r) for r in rows] == [(1, "active")]
        assert "confirm_consent_at" not in columns
        await db.upgrade()
        async with db.session() as s:
            assert (await s.scalar(select(Course.confirm_consent_by))) is None
    finally:
        await db.dispose()
