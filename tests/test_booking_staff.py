"""Staff pages for bookings: in a real browser (mark attended) and over HTTP (roles, cancel
with a message, CSV, schedule editing)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from aiohttp import ClientSession, CookieJar
from sqlalchemy import select

from booking.bookings import Bookings, BookingView, Request
from bot.app import App
from bot.booking_setup import JOB
from bot.settings import Settings
from core.clock import FrozenClock
from core.messages import Inbound
from delivery.models import OutboxRow
from registry.models import Contact
from tests.test_booking import Outbox
from tests.web_helpers import page_csrf, serve, staff_login

PASSWORD = "correct horse battery"
# Wednesday 25 Nov 2026, 06:00 in Almaty.
NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
WEDNESDAY = date(2026, 11, 25)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    application = await App.create(settings, clock=FrozenClock(NOW))
    await application.staff.add_user("coord", PASSWORD, ["coordinator"], NOW)
    await application.staff.add_user("spec", PASSWORD, ["specialist"], NOW)
    await application.staff.add_user("cons", PASSWORD, ["consultant"], NOW)
    yield application
    await application.close()


def service(app: App) -> Bookings:
    bookings = app.conversations.services.booking
    assert bookings is not None
    return bookings


async def a_booking(app: App, ref: str = "person", mode: str = "office") -> BookingView:
    """A person who wrote to the bot and booked the first slot of Wednesday (psychologist A)."""
    outcome = await app.conversations.handle(
        Inbound("console", ref, app.clock.now(), text="/start")
    )
    assert outcome.person_id is not None
    state = await app.conversations.states.load(outcome.person_id)
    assert state is not None
    req = Request("self", "ru", mode)
    slot = (await service(app).free_slots(req, WEDNESDAY))[0]
    return await service(app).book(
        outcome.person_id, req, slot.starts_at, contact_id=state["contact"], pseudonym="Аноним"
    )


def jar() -> ClientSession:
    return ClientSession(cookie_jar=CookieJar(unsafe=True))


@pytest.mark.browser
async def test_staff_mark_a_session_attended_in_a_real_browser(app: App, page: object) -> None:
    outbox = Outbox()
    app.notifier.register("console", outbox)
    booked = await a_booking(app)
    assert isinstance(app.clock, FrozenClock)
    app.clock.set(booked.starts_at + timedelta(minutes=70))  # the session is over
    pg = page
    async with serve(app) as base:
        await pg.goto(f"{base}/staff/bookings")  # type: ignore[attr-defined]
        await pg.fill("input[name=username]", "coord")  # type: ignore[attr-defined]
        await pg.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
        await pg.click("button[type=submit]")  # type: ignore[attr-defined]
        await pg.wait_for_url(f"{base}/staff/bookings")  # type: ignore[attr-defined]
        row = f"#booking-{booked.id}"
        assert "Аноним" in await pg.inner_text(row)  # type: ignore[attr-defined]
        assert await pg.get_attribute(row, "data-status") == "booked"  # type: ignore[attr-defined]
        await pg.click(f"{row} button.attended")  # type: ignore[attr-defined]
        await pg.wait_for_url("**/staff/bookings?done=marked*")  # type: ignore[attr-defined]
        assert await pg.get_attribute(row, "data-status") == "attended"  # type: ignore[attr-defined]
        assert "пришёл" in await pg.inner_text(f"{row} .status")  # type: ignore[attr-defined]
    marked = await service(app).get(booked.id)
    assert marked is not None and marked.status == "attended"
    contact = await app.conversations.services.registry.get(booked.contact_id)  # type: ignore[union-attr, arg-type]
    assert isinstance(contact, Contact) and contact.attended is True  # the registry knows
    # The questionnaire is due at the session's end (already past here): the sweep sends it.
    await app.jobs.run_now(JOB)
    state = await app.conversations.states.load(booked.person_id)
    assert state is not None and state["step"] == "feedback.start"  # the questionnaire began
    await _until(lambda: any("анонимно" in text for _, text, _ in outbox.sent))
    assert outbox.sent[-1][0] == "person"


async def test_roles_and_a_specialist_sees_only_their_own(app: App) -> None:
    ours = await a_booking(app, "one")  # psychologist A (id 1)
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "cons", PASSWORD)
        async with http.get(f"{base}/staff/bookings") as resp:
            assert resp.status == 403  # consultants do not see bookings
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "spec", PASSWORD)
        async with http.get(f"{base}/staff/bookings") as resp:
            body = await resp.text()
            assert resp.status == 200 and "не связана с профилем" in body and "Аноним" not in body
        for path in ("/staff/bookings/schedule", "/staff/bookings/export.csv"):
            async with http.get(base + path) as resp:
                assert resp.status == 403
        # Linked to another specialist (B): still not A's booking, and cannot mark it.
        await service(app).schedule.save_specialist(
            2,
            name="Психотерапевт Б.",
            role="psychotherapist",
            langs=["ru"],
            kinds=["self", "family"],
            modes=["office", "online"],
            active=True,
            staff_username="spec",
        )
        token = await page_csrf(http, f"{base}/staff/bookings")
        async with http.post(
            f"{base}/staff/bookings/{ours.id}/cancel", data={"csrf": token}
        ) as resp:
            assert resp.status == 404
        async with http.get(f"{base}/staff/bookings") as resp:
            assert "Аноним" not in await resp.text()
    b = await service(app).get(ours.id)
    assert b is not None and b.status == "booked"


async def test_cancel_with_a_neutral_message_to_the_person(app: App) -> None:
    outbox = Outbox()
    app.notifier.register("console", outbox)
    booked = await a_booking(app)
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "coord", PASSWORD)
        token = await page_csrf(http, f"{base}/staff/bookings")
        async with http.post(
            f"{base}/staff/bookings/{booked.id}/cancel", data={"note": "Специалист заболел."}
        ) as resp:
            assert resp.status == 403  # no CSRF token
        async with http.post(
            f"{base}/staff/bookings/{booked.id}/cancel",
            data={"csrf": token, "note": "Специалист заболел.\x00", "from": "2026-11-23"},
            allow_redirects=False,
        ) as resp:
            assert resp.status == 303
            assert resp.headers["Location"] == "/staff/bookings?done=cancelled&from=2026-11-23"
        async with http.post(
            f"{base}/staff/bookings/{booked.id}/cancel", data={"csrf": token}
        ) as resp:
            assert resp.status == 409  # already cancelled
    await _until(lambda: len(outbox.sent) >= 1)  # through the durable outbox
    texts = [t for _, t, _ in outbox.sent]
    # The staff note never opens a message: it follows the neutral first line (issue 20).
    assert texts == [
        "Встреча сегодня в 10:00 отменена. Извините, что так вышло.\n"
        "Комментарий: Специалист заболел."
    ]
    b = await service(app).get(booked.id)
    assert b is not None and b.status == "cancelled" and b.cancelled_by == "staff"
    again = await service(app).free_slots(Request("self", "ru", "office"), WEDNESDAY)
    assert again[0].starts_at == booked.starts_at  # the slot is free again


async def _until(done: Callable[[], bool], seconds: float = 10) -> None:
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("not delivered in time")


async def test_a_cancellation_where_no_channel_runs_waits_in_the_outbox(app: App) -> None:
    """`qamqor web` serves staff pages without a channel: the person is still told, later."""
    booked = await a_booking(app)
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "coord", PASSWORD)
        token = await page_csrf(http, f"{base}/staff/bookings")
        async with http.post(
            f"{base}/staff/bookings/{booked.id}/cancel",
            data={"csrf": token},
            allow_redirects=False,
        ) as resp:
            assert resp.status == 303
    async with app.db.session() as s:
        rows = (
            await s.scalars(select(OutboxRow).where(OutboxRow.person_id == booked.person_id))
        ).all()
    assert rows and all(r.sent_at is None for r in rows)  # kept, not lost
    outbox = Outbox()
    app.notifier.register("console", outbox)  # a channel comes up
    await _until(lambda: bool(outbox.sent))
    assert "отменена" in outbox.sent[0][1]


async def test_marking_before_the_session_is_refused(app: App) -> None:
    booked = await a_booking(app)
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "coord", PASSWORD)
        token = await page_csrf(http, f"{base}/staff/bookings")
        async with http.post(
            f"{base}/staff/bookings/{booked.id}/outcome",
            data={"csrf": token, "outcome": "attended"},
        ) as resp:
            assert resp.status == 409
        async with http.post(
            f"{base}/staff/bookings/{booked.id}/outcome", data={"csrf": token, "outcome": "maybe"}
        ) as resp:
            assert resp.status == 400
        async with http.post(
            f"{base}/staff/bookings/999999/outcome", data={"csrf": token, "outcome": "attended"}
        ) as resp:
            assert resp.status == 404


async def test_csv_export_has_no_names_of_people(app: App) -> None:
    booked = await a_booking(app)
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "coord", PASSWORD)
        async with http.get(
            f"{base}/staff/bookings/export.csv?from=2026-11-01&to=2026-12-31"
        ) as resp:
            assert resp.status == 200 and resp.content_type == "text/csv"
            body = (await resp.read()).decode("utf-8-sig")
        async with http.get(
            f"{base}/staff/bookings/export.csv?from=2026-12-31&to=2026-01-01"
        ) as resp:
            assert resp.status == 400
    lines = body.strip().splitlines()
    assert lines[0].startswith("№ записи,Дата,Начало,Конец,Специалисты,Для кого,Язык,Формат")
    assert lines[1].startswith(
        f"{booked.id},2026-11-25,10:00,11:00,Психолог А.,для себя,русский,очно,записан,нет,нет"
    )
    assert "Аноним" not in body


async def test_schedule_editing_changes_the_slots(app: App) -> None:
    req = Request("self", "ru", "office")
    before = await service(app).free_slots(req, WEDNESDAY)
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "coord", PASSWORD)
        token = await page_csrf(http, f"{base}/staff/bookings/schedule")
        async with http.post(
            f"{base}/staff/bookings/schedule/hours",
            data={"csrf": token, "specialist_id": "1", "weekday": "2", "window": "19:00-18:00"},
        ) as resp:
            assert resp.status == 400 and "конец раньше начала" in await resp.text()
        async with http.post(
            f"{base}/staff/bookings/schedule/hours",
            data={"csrf": token, "specialist_id": "1", "weekday": "2", "window": "18:00-19:30"},
            allow_redirects=False,
        ) as resp:
            assert resp.status == 303
        added = await service(app).free_slots(req, WEDNESDAY)
        assert len(added) == len(before) + 1 and added[-1].local.strftime("%H:%M") == "18:00"
        async with http.post(
            f"{base}/staff/bookings/schedule/dayoff",
            data={"csrf": token, "first": "2026-11-25", "last": "2026-11-25", "note": "отгул"},
            allow_redirects=False,
        ) as resp:
            assert resp.status == 303
        assert await service(app).free_slots(req, WEDNESDAY) == []
        async with http.post(
            f"{base}/staff/bookings/schedule/rules",
            data={
                "csrf": token,
                "session_minutes": "50",
                "break_minutes": "10",
                "horizon_days": "7",
                "min_notice_minutes": "60",
                "max_active_per_person": "1",
                "pair_kinds": ["family"],
                "office_address_ru": "ул. Примерная, 1",
                "office_address_kk": "Мысал көшесі, 1",
                "online_policy_ru": "Ссылку пришлём сюда.",
                "online_policy_kk": "Сілтемені осында жібереміз.",
            },
            allow_redirects=False,
        ) as resp:
            assert resp.status == 303
        async with http.get(f"{base}/staff/bookings/schedule") as resp:
            page_text = await resp.text()
            assert "ул. Примерная, 1" in page_text and "отгул" in page_text
    rules = (await service(app).schedule.load()).rules
    assert (rules.session_minutes, rules.horizon_days, rules.max_active_per_person) == (50, 7, 1)
