"""Issue 16: the aggressor programme's correctional course.

On SQLite and PostgreSQL: sessions are booked in pairs of the aggressor stream at the course's
rhythm; a missed session sends one neutral reminder in the person's language, however often
the attendance is corrected; the course keeps an enrolled person past 30 silent days and goes
on his delete request; the figures equal direct counts. On the staff site: a specialist of
another stream and a consultant get 403; in a real browser at 1280 and 390 px a specialist
fills in the sheet, sets who referred him, enrols him, follows the course to completion and,
with his consent recorded, opens the confirmation of attendance."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from booking.bookings import Bookings, BookingView, Request
from booking.course import CourseError, figures
from booking.models import MISSED, Course, Reminder
from bot.app import App
from bot.booking_setup import JOB
from bot.settings import Settings
from core.clock import FrozenClock
from core.messages import Inbound
from staffweb.models import AuditEvent
from storage.models import Person, TranscriptEntry
from storage.people import People
from tests.conftest import TEST_KEY
from tests.test_booking import Outbox
from tests.test_booking_specialists_browser import no_sideways_scroll
from tests.test_programme_assessment import a_sheet, fill_sheet, programme_app
from tests.test_staff_texts import leftovers, russian_labels
from tests.web_helpers import browser_login, serve, signed_in

PASSWORD = "correct horse battery"
NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # Wednesday, 06:00 in Almaty
SATURDAY = date(2026, 11, 28)  # the seeded pair В + Г (3 + 4) works 10:00-14:00, online
NOTE = "Говорит, что дома спокойнее; партнёрша на связи со 150"
MISSED_RU = "Мы не увиделись на последней встрече."
MISSED_KK = "Соңғы кездесуде көрісе алмадық."


async def _app(settings: Settings) -> App:
    return await programme_app(settings)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    application = await _app(settings)
    yield application
    await application.close()


@pytest.fixture
async def any_db_app(db_url: str, tmp_path: Path) -> AsyncIterator[App]:
    """The same app on SQLite and on PostgreSQL."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        secret_key=TEST_KEY,  # type: ignore[arg-type]
        database_url=db_url,
        public_url="http://127.0.0.1",
    )
    application = await _app(settings)
    yield application
    await application.close()


def service(app: App) -> Bookings:
    bookings = app.conversations.services.booking
    assert bookings is not None
    return bookings


def clock_of(app: App) -> FrozenClock:
    assert isinstance(app.clock, FrozenClock)
    return app.clock


async def intake(app: App, ref: str = "him", lang: str = "ru", sheet: bool = True) -> BookingView:
    outcome = await app.conversations.handle(
        Inbound("console", ref, app.clock.now(), text="/start")
    )
    assert outcome.person_id is not None
    req = Request("stop", lang, "online")
    slot = (await service(app).free_slots(req, SATURDAY))[0]
    made = await service(app).book(outcome.person_id, req, slot.starts_at, pseudonym="Н.")
    if sheet:
        await service(app).assessments.save(made.id, a_sheet(), "prog", NOW)
    return made


async def until(done: Any, seconds: float = 10) -> None:
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("not delivered in time")


# -- the store, on SQLite and PostgreSQL ----------------------------------------------------


async def test_sessions_in_pairs_at_the_rhythm_one_missed_reminder_then_the_end(
    any_db_app: App,
) -> None:
    app = any_db_app
    outbox = Outbox()
    app.notifier.register("console", outbox)
    first = await intake(app, lang="kk")
    courses = service(app).courses
    course_id = await courses.enrol(first, "prog", sessions=3, every_days=7)
    with pytest.raises(CourseError):  # one active course per person
        await courses.enrol(first, "prog")
    clock = clock_of(app)
    seen: list[BookingView] = []
    for attendance in ("attended", "missed", "attended"):
        course = await courses.get(course_id)
        assert course is not None and course.upcoming is not None
        session = course.upcoming
        seen.append(session)
        # Held in pairs of the aggressor stream, on the programme's kind, one rhythm apart.
        assert session.kind == "stop" and session.specialists == (3, 4)
        assert session.course_id == course_id and session.lang == "kk"
        previous = seen[-2].starts_at if len(seen) > 1 else first.starts_at
        assert session.starts_at - previous == timedelta(days=7)
        clock.set(session.starts_at + timedelta(minutes=70))
        await courses.mark(course_id, session.id, attendance)
    missed = seen[1]
    # The missed session's word goes once, neutral, in his language; correcting it changes
    # nothing once it has gone.
    await app.jobs.run_now(JOB)
    await until(lambda: any(MISSED_KK in t for _, t, _ in outbox.sent))
    await courses.mark(course_id, missed.id, "attended")
    await courses.mark(course_id, missed.id, "missed")
    await app.jobs.run_now(JOB)
    await asyncio.sleep(0.5)
    words = [t for _, t, _ in outbox.sent if MISSED_KK in t]
    assert len(words) == 1
    first_line = words[0].splitlines()[0].lower()
    for word in ("зорлық", "бағдарлама", "психолог", "дағдарыс", "насили", "программ"):
        assert word not in first_line
    async with app.db.session() as s:
        rows = (await s.scalars(select(Reminder).where(Reminder.hours_before == MISSED))).all()
    assert [(r.booking_id, r.status) for r in rows] == [(missed.id, "sent")]
    course = await courses.get(course_id)
    assert course is not None
    # Three of three held: nothing more is planned.
    assert (course.attended, course.missed, course.upcoming) == (2, 1, None)
    with pytest.raises(CourseError):  # a completed course needs the matching reason
        await courses.end(course_id, "prog", "stopped_attending", "completed", "")
    with pytest.raises(CourseError):  # an unfinished one needs a word why
        await courses.end(course_id, "prog", "withdrew", "dropped_out", " ")
    await courses.add_note(course_id, "prog", NOTE)
    await courses.end(course_id, "prog", "course_done", "completed_change", "")
    course = await courses.get(course_id)
    assert course is not None and course.status == "completed"
    assert course.follow_up_due == date(2027, 6, 19)  # six months after the end
    assert [n.text for n in course.notes] == [NOTE]
    async with app.db.engine.connect() as conn:
        raw = " ".join(
            str(v)
            for row in (await conn.execute(text("SELECT * FROM programme_courses"))).all()
            for v in row
        )
    assert "дома" not in raw and "150" not in raw  # the notes are encrypted
    numbers = await figures(app.db, NOW, NOW + timedelta(days=365))
    async with app.db.engine.connect() as conn:
        attended = (
            await conn.execute(
                text(
                    "SELECT count(*) FROM booking_bookings"
                    " WHERE course_id IS NOT NULL AND status = 'attended'"
                )
            )
        ).scalar_one()
    assert numbers.enrolled == 1 and numbers.sessions_attended == attended == 2
    assert numbers.sessions_missed == 1 and numbers.completed == 1 and numbers.dropped_out == 0
    assert numbers.outcomes == {"completed_change": 1}


async def test_the_course_outlives_retention_and_goes_on_request(any_db_app: App) -> None:
    app = any_db_app
    first = await intake(app)
    courses = service(app).courses
    course_id = await courses.enrol(first, "prog")
    clock = clock_of(app)
    # Long silent: 40 days after the last message and every session, still enrolled.
    clock.set(NOW + app.retention.period + timedelta(days=40))
    await app.retention.sweep(clock.now())
    course = await courses.get(course_id)
    assert course is not None and course.status == "active"
    assert len(course.sessions) == 1  # his sessions stay with him
    async with app.db.session() as s:  # ... but not months of his chat
        assert await s.scalar(select(func.count()).select_from(TranscriptEntry)) == 0
        assert await s.scalar(select(func.count()).select_from(Person)) == 1
    # Ended: kept until the follow-up, then the follow-up done lets retention take it.
    await courses.end(course_id, "coord", "withdrew", "dropped_out", "Перестал отвечать")
    clock.set(clock.now() + timedelta(days=90))
    await app.retention.sweep(clock.now())
    assert await courses.get(course_id) is not None
    clock.set(clock.now() + timedelta(days=100))  # the follow-up is due
    await courses.follow_up(course_id, "coord", "no_answer")
    clock.set(clock.now() + app.retention.period + timedelta(days=1))
    assert await app.retention.sweep(clock.now()) >= 1
    assert await courses.get(course_id) is None
    # Another enrolled man asks to be forgotten: the course goes at once.
    clock.set(NOW)
    second = await intake(app, "other")
    other = await courses.enrol(second, "prog")
    await People(app.db, app.vault).forget(second.person_id)
    assert await courses.get(other) is None
    async with app.db.session() as s:
        assert await s.scalar(select(func.count()).select_from(Course)) == 0


# -- who may see it -------------------------------------------------------------------------


async def test_other_stream_and_consultant_403_pair_and_coordinator_see(app: App) -> None:
    first = await intake(app)
    async with serve(app) as base:
        async with (
            signed_in(base, "vict", PASSWORD) as (http, csrf),
            http.post(
                f"{base}/staff/programme/courses/enrol/{first.id}", data={}, headers=csrf
            ) as resp,
        ):
            assert resp.status == 403
        course_id = await service(app).courses.enrol(first, "prog")
        await service(app).courses.add_note(course_id, "prog", NOTE)
        page = f"{base}/staff/programme/courses/{course_id}"
        for name in ("vict", "cons"):
            async with signed_in(base, name, PASSWORD) as (http, csrf):
                for url in (page, f"{base}/staff/programme/courses"):
                    async with http.get(url) as resp:
                        assert resp.status == 403, (name, url)
                        assert NOTE not in await resp.text()
                async with http.post(
                    page + "/note", data={"note": "x"}, headers=csrf, allow_redirects=False
                ) as resp:
                    assert resp.status == 403
        for name in ("prog", "coord"):
            async with signed_in(base, name, PASSWORD) as (http, _):
                async with http.get(page) as resp:
                    assert resp.status == 200 and NOTE in await resp.text(), name
                async with http.get(f"{base}/staff/programme/courses") as resp:
                    assert f"/staff/programme/courses/{course_id}" in await resp.text()
                async with http.get(f"{base}/staff/bookings?from=2026-12-05") as resp:
                    assert f"/staff/programme/courses/{course_id}" in await resp.text()
    async with app.db.session() as s:
        actions = {
            (e.username, e.action)
            for e in (await s.scalars(select(AuditEvent))).all()
            if e.action.startswith("course")
        }
    assert ("vict", "course-refused") in actions
    assert ("prog", "course-view") in actions and ("coord", "course-list") in actions


async def test_the_course_pages_read_in_kazakh(app: App) -> None:
    first = await intake(app)
    course_id = await service(app).courses.enrol(first, "prog")
    labels = russian_labels()
    async with serve(app) as base, signed_in(base, "prog", PASSWORD) as (http, csrf):
        async with http.post(f"{base}/staff/lang", data={"lang": "kk"}, headers=csrf) as resp:
            assert resp.status in (200, 303)
        for path in (
            f"/staff/programme/courses/{course_id}",
            "/staff/programme/courses",
            f"/staff/programme/assessment/{first.id}",
        ):
            async with http.get(base + path) as resp:
                page = await resp.text()
            assert resp.status == 200 and '<html lang="kk">' in page, path
            page = page.replace("Говорит, что пил перед ссорой; мотивация неясна", "")
            page = page.replace("Признаёт удары, согласен на 22 встречи", "")
            assert leftovers(page, labels) == [], path


# -- in a real browser ----------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
async def test_enrol_and_follow_a_course_to_completion_in_a_browser(
    app: App, page: Any, width: int, height: int
) -> None:
    await page.set_viewport_size({"width": width, "height": height})
    outbox = Outbox()
    app.notifier.register("console", outbox)
    first = await intake(app, sheet=False)
    clock = clock_of(app)
    courses = service(app).courses
    async with serve(app) as base:
        await browser_login(page, f"{base}/staff/programme/assessment/{first.id}", "prog", PASSWORD)
        await no_sideways_scroll(page)
        assert await page.locator("#enrol").count() == 0  # no sheet yet, no enrolment
        await fill_sheet(page)
        # Who referred him, set by the specialist (he skipped the question in the chat).
        await page.select_option("#referral select[name=referral]", "police")
        await page.click("#referral button[type=submit]")
        await page.wait_for_url("**/assessment/*?done=referral")
        assert await page.input_value("#referral select[name=referral]") == "police"
        await page.fill("#enrol input[name=sessions]", "3")
        await page.click("#enrol button[type=submit]")
        await page.wait_for_url("**/programme/courses/*?done=enrolled")
        await no_sideways_scroll(page)
        course_id = int(page.url.split("/courses/")[1].split("?")[0])
        for attendance in ("attended", "missed", "attended"):
            course = await courses.get(course_id)
            assert course is not None and course.upcoming is not None
            session = course.upcoming
            assert session.specialists == (3, 4)
            clock.set(session.starts_at + timedelta(minutes=70))
            # A week later the staff session has expired: sign in again, as staff would.
            await page.context.clear_cookies()
            await browser_login(
                page, f"{base}/staff/programme/courses/{course_id}", "prog", PASSWORD
            )
            await page.click(f"#session-{session.id} button.{attendance}")
            await page.wait_for_url("**/programme/courses/*?done=mark")
            state = await page.inner_text(f"#session-{session.id} .state")
            assert state == ("пришёл" if attendance == "attended" else "пропустил")
            await no_sideways_scroll(page)
        # The missed session's reminder went out once, neutral.
        await app.jobs.run_now(JOB)
        await until(lambda: any(MISSED_RU in t for _, t, _ in outbox.sent))
        words = [t for _, t, _ in outbox.sent if MISSED_RU in t]
        assert len(words) == 1
        for word in ("насили", "программ", "психолог", "кризис"):
            assert word not in words[0].splitlines()[0].lower()
        assert "пришёл 2 из 3, всего 3" in await page.inner_text("#summary")
        await page.fill("#note textarea[name=note]", NOTE)
        await page.click("#note button[type=submit]")
        await page.wait_for_url("**/programme/courses/*?done=note")
        await page.check("#end input[name=reason][value=course_done]")
        await page.check("#end input[name=outcome][value=completed_change]")
        await page.click("#end button[type=submit]")
        await page.wait_for_url("**/programme/courses/*?done=end")
        ended = await page.inner_text("#ended")
        assert "курс пройден" in ended and "завершил, изменения отмечены" in ended
        assert "Повторный вопрос" in await page.inner_text("#follow-up-when")
        await no_sideways_scroll(page)
        # Sent by police, he signed his consent: the confirmation of attendance, to print.
        assert "инспектор полиции" in await page.inner_text("#confirm")
        assert await page.query_selector("#confirmation-link") is None
        await page.check("#consent input[name=signed]")
        await page.click("#consent button[type=submit]")
        await page.wait_for_url("**/programme/courses/*?done=consent")
        await page.click("#confirmation-link")
        await page.wait_for_url("**/confirmation")
        assert "Посещено встреч: 2 из 3" in await page.inner_text("#count")
        assert "Курс пройден полностью" in await page.inner_text("#state")
        await no_sideways_scroll(page)
        await page.goto(f"{base}/staff/programme/courses")
        assert "завершён" in await page.inner_text(f"#course-{course_id}")
        await no_sideways_scroll(page)
    course = await courses.get(course_id)
    assert course is not None and course.outcome == "completed_change"
    assert (course.attended, course.missed) == (2, 1)


async def test_staff_reschedule_a_session_to_a_free_pair_time(app: App) -> None:
    outbox = Outbox()
    app.notifier.register("console", outbox)
    first = await intake(app)
    courses = service(app).courses
    course_id = await courses.enrol(first, "prog")
    before = await courses.get(course_id)
    assert before is not None and before.upcoming is not None
    old = before.upcoming
    async with serve(app) as base, signed_in(base, "prog", PASSWORD) as (http, csrf):
        page = f"{base}/staff/programme/courses/{course_id}"
        async with http.get(page) as resp:
            html = await resp.text()
        offered = html.split('name="starts_at" value="')[1].split('"')[0]
        told = len(outbox.sent)
        async with http.post(
            page + "/move",
            data={"booking": str(old.id), "starts_at": offered},
            headers=csrf,
            allow_redirects=False,
        ) as resp:
            assert resp.status == 303
    after = await courses.get(course_id)
    assert after is not None and after.upcoming is not None
    moved = after.upcoming
    assert moved.id != old.id and moved.starts_at.isoformat() == offered
    assert moved.specialists == (3, 4) and moved.course_id == course_id
    assert [b.id for b in after.sessions] == [moved.id]  # the moved one is not counted
    await until(lambda: len(outbox.sent) > told)  # he is told of the new time


async def test_coordinators_set_the_course_defaults_on_the_schedule_page(app: App) -> None:
    rules = (await service(app).schedule.load()).rules
    assert (rules.course_sessions, rules.course_every_days, rules.follow_up_months) == (12, 7, 6)
    form = {
        "session_minutes": str(rules.session_minutes),
        "break_minutes": str(rules.break_minutes),
        "horizon_days": str(rules.horizon_days),
        "min_notice_minutes": str(rules.min_notice_minutes),
        "max_active_per_person": str(rules.max_active_per_person),
        "pair_kinds": "stop",
        "fixed_pairs": "",
        "course_sessions": "16",
        "course_every_days": "14",
        "follow_up_months": "3",
        **{
            f"{k}_{lang}": "x" for k in ("office_address", "online_policy") for lang in ("ru", "kk")
        },
    }
    async with serve(app) as base, signed_in(base, "coord", PASSWORD) as (http, csrf):
        url = f"{base}/staff/bookings/schedule"
        async with http.get(url) as resp:
            assert 'name="course_sessions"' in await resp.text()
        async with http.post(
            f"{url}/rules", data={**form, "course_sessions": "99"}, headers=csrf
        ) as resp:
            assert resp.status == 400  # out of bounds, in words
        async with http.post(
            f"{url}/rules", data=form, headers=csrf, allow_redirects=False
        ) as resp:
            assert resp.status == 303
    rules = (await service(app).schedule.load()).rules
    assert (rules.course_sessions, rules.course_every_days, rules.follow_up_months) == (16, 14, 3)
    first = await intake(app)
    course = await service(app).courses.get(await service(app).courses.enrol(first, "prog"))
    assert course is not None and (course.sessions_planned, course.every_days) == (16, 14)


async def test_one_session_ahead_even_with_two_planners_at_once(any_db_app: App) -> None:
    app = any_db_app
    first = await intake(app)
    courses = service(app).courses
    course_id = await courses.enrol(first, "prog", every_days=7)
    await service(app).mark(first.id, "attended")  # the intake took place
    course = await courses.get(course_id)
    assert course is not None and course.upcoming is not None
    # Staff cannot book a second one ahead.
    req = Request("stop", "ru", "online")
    later = (await service(app).next_slots(req, course.upcoming.ends_at))[0]
    with pytest.raises(CourseError):
        await courses.book_at(course_id, later.starts_at)
    # Cancelled (a day off): two planners at once (the hourly job in two processes) plan one.
    await service(app).cancel(course.upcoming.id, by="staff")
    await asyncio.gather(courses.plan_due(), courses.plan_due(), return_exceptions=True)
    course = await courses.get(course_id)
    assert course is not None
    assert [b.status for b in course.sessions].count("booked") == 1
