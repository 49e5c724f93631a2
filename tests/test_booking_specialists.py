"""Issue 15, the specialists' side: the survey after the session's end, once; the online-session
link; a new day off and the bookings it hits; the CSV and the audit log in words; the reports
page's definitions. Over HTTP against the real App (SQLite, and PostgreSQL where marked)."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import ClientSession, CookieJar
from sqlalchemy import select

from booking.bookings import BookingView, Request
from booking.models import AFTER_SESSION, Reminder
from booking.online_link import MAX_LINK, LinkError, check_link
from booking.reminders import ReminderSweep
from bot.app import App
from bot.booking_setup import JOB
from bot.settings import Settings
from core.clock import ALMATY, FrozenClock
from core.messages import Inbound
from staffweb.report_definitions import DEFINITIONS
from tests.conftest import TEST_KEY
from tests.test_booking import Outbox
from tests.test_booking_staff import NOW, PASSWORD, WEDNESDAY, service
from tests.test_staff_texts import choose, leftovers, russian_labels
from tests.web_helpers import page_csrf, serve, staff_login

SURVEY = "анонимно"  # in the questionnaire's first message (feedback-intro)
# Not on a lock screen, in any language: what a message sent unasked must never say.
UNSAID = ("психолог", "насили", "кризис", "зорлық", "дағдарыс", "150", "служб", "қызмет")
LINK = "https://meet.example.org/qamqor-7f3a9c"


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    application = await App.create(settings, clock=FrozenClock(NOW))
    await application.staff.add_user("coord", PASSWORD, ["coordinator"], NOW)
    await application.staff.add_user("spec", PASSWORD, ["specialist"], NOW)
    await application.staff.add_user("adm", PASSWORD, ["admin"], NOW)
    yield application
    await application.close()


def clock_of(app: App) -> FrozenClock:
    assert isinstance(app.clock, FrozenClock)
    return app.clock


async def a_booking(
    app: App, ref: str, mode: str = "office", lang: str = "ru", index: int = 0
) -> BookingView:
    """A person who wrote to the bot (in `lang`) and booked a slot of Wednesday."""
    outcome = await app.conversations.handle(
        Inbound("console", ref, app.clock.now(), text="/start")
    )
    assert outcome.person_id is not None
    state = await app.conversations.states.load(outcome.person_id)
    assert state is not None
    if lang != "ru":
        state["lang"], state["lang_locked"] = lang, True
        await app.conversations.states.save(outcome.person_id, state, app.clock.now())
    req = Request("self", "ru", mode)
    slot = (await service(app).free_slots(req, WEDNESDAY))[index]
    return await service(app).book(
        outcome.person_id, req, slot.starts_at, contact_id=state["contact"], pseudonym="Аноним"
    )


def jar() -> ClientSession:
    return ClientSession(cookie_jar=CookieJar(unsafe=True))


async def until(done: object, seconds: float = 10) -> None:
    for _ in range(int(seconds / 0.05)):
        if done():  # type: ignore[operator]
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("not delivered in time")


def surveys(outbox: Outbox) -> int:
    return sum(SURVEY in text for _, text, _ in outbox.sent)


async def post(http: ClientSession, url: str, data: dict[str, str]) -> tuple[int, str, str]:
    async with http.post(url, data=data, allow_redirects=False) as resp:
        return resp.status, resp.headers.get("Location", ""), await resp.text()


# -- the survey after the session -----------------------------------------------------------


async def test_the_survey_waits_for_the_end_and_goes_once_whatever_corrections_follow(
    app: App,
) -> None:
    outbox = Outbox()
    app.notifier.register("console", outbox)
    booked = await a_booking(app, "person")
    clock_of(app).set(booked.starts_at + timedelta(minutes=20))  # mid-session
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "coord", PASSWORD)
        token = await page_csrf(http, f"{base}/staff/bookings")
        url = f"{base}/staff/bookings/{booked.id}/outcome"
        assert (await post(http, url, {"csrf": token, "outcome": "attended"}))[0] == 303
        await app.jobs.run_now(JOB)
        await asyncio.sleep(0.3)
        assert surveys(outbox) == 0  # "Пришёл" mid-session sends nothing yet
        # A correction and back, still mid-session: still nothing, still one row.
        assert (await post(http, url, {"csrf": token, "outcome": "no_show"}))[0] == 303
        assert (await post(http, url, {"csrf": token, "outcome": "attended"}))[0] == 303
        await app.jobs.run_now(JOB)
        await asyncio.sleep(0.3)
        assert surveys(outbox) == 0
        clock_of(app).set(booked.ends_at + timedelta(minutes=1))
        await app.jobs.run_now(JOB)
        await until(lambda: surveys(outbox) == 1)
        # Corrections after it went: no_show, attended again, attended twice.
        for outcome in ("no_show", "attended", "attended"):
            assert (await post(http, url, {"csrf": token, "outcome": outcome}))[0] == 303
            await app.jobs.run_now(JOB)
    await asyncio.sleep(0.5)
    assert surveys(outbox) == 1
    async with app.db.session() as s:
        rows = (
            await s.scalars(
                select(Reminder).where(
                    Reminder.booking_id == booked.id, Reminder.hours_before == AFTER_SESSION
                )
            )
        ).all()
    assert [r.status for r in rows] == ["sent"]


async def test_a_no_show_gets_no_survey(app: App) -> None:
    outbox = Outbox()
    app.notifier.register("console", outbox)
    booked = await a_booking(app, "person")
    clock_of(app).set(booked.starts_at + timedelta(minutes=5))
    await service(app).mark(booked.id, "attended")
    await service(app).mark(booked.id, "no_show")  # a slip of the mouse, corrected
    clock_of(app).set(booked.ends_at + timedelta(hours=1))
    await app.jobs.run_now(JOB)
    await asyncio.sleep(0.5)
    assert surveys(outbox) == 0


async def test_marked_after_the_end_the_survey_goes_at_the_next_sweep(app: App) -> None:
    outbox = Outbox()
    app.notifier.register("console", outbox)
    booked = await a_booking(app, "person")
    clock_of(app).set(booked.ends_at + timedelta(hours=3))  # marked the evening after
    await service(app).mark(booked.id, "attended")
    await app.jobs.run_now(JOB)
    await until(lambda: surveys(outbox) == 1)


async def test_two_processes_and_a_restart_send_the_survey_once(
    db_url: str, tmp_path: Path
) -> None:
    clock = FrozenClock(NOW)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        secret_key=TEST_KEY,  # type: ignore[arg-type]
        database_url=db_url,
    )
    one = await App.create(settings, clock=clock)
    two = await App.create(settings, clock=clock)
    outbox = Outbox()
    made = []
    try:
        for app in (one, two):
            app.notifier.register("console", outbox)
        for i in range(3):
            made.append(await a_booking(one, f"p{i}", index=i))
        clock.set(max(b.starts_at for b in made) + timedelta(minutes=10))
        for b in made:
            await service(two).mark(b.id, "attended")
        clock.set(max(b.ends_at for b in made) + timedelta(minutes=1))
        for _ in range(3):
            await asyncio.gather(one.jobs.run_now(JOB), two.jobs.run_now(JOB))
        await until(lambda: surveys(outbox) >= len(made))
        await asyncio.sleep(0.5)
        assert surveys(outbox) == len(made)  # one each, whichever process sent it
    finally:
        await one.close()
        await two.close()
    # A restart (a new process on the same database) sends none again, even after a mark.
    three = await App.create(settings, clock=clock)
    try:
        three.notifier.register("console", outbox)
        await service(three).mark(made[0].id, "attended")
        await three.jobs.run_now(JOB)
        await asyncio.sleep(0.5)
        assert surveys(outbox) == len(made)
    finally:
        await three.close()


# -- the online-session link ----------------------------------------------------------------


def test_only_https_links_of_a_sane_length() -> None:
    assert check_link(f"  {LINK} ") == LINK
    for bad in (
        "",
        "http://meet.example.org/x",
        "javascript:alert(1)",
        "https://",
        "https://user:pw@evil.example/x",
        "https://meet.example.org/a b",
        "https://meet.example.org/a\nПсихолог",
        "ftp://meet.example.org/x",
        "https://meet.example.org/" + "a" * MAX_LINK,
        # Issue 20: a room's name that tells what the meeting is (it reaches a lock screen).
        "https://meet.jit.si/psiholog-krizis",
        "https://meet.example.org/Psychologist_Room",
        "https://zoom.us/my/nasilie.help",
        "https://meet.example.org/room150",
    ):
        with pytest.raises(LinkError):
            check_link(bad)


@pytest.mark.parametrize(
    ("lang", "first_line"),
    [
        ("ru", "Встреча сегодня в {time}. Ссылка для входа:"),
        ("kk", "Кездесу бүгін, сағат {time}. Кіру сілтемесі:"),
    ],
)
async def test_the_link_goes_out_neutral_in_the_persons_language_and_can_be_resent(
    app: App, lang: str, first_line: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    outbox = Outbox()
    app.notifier.register("console", outbox)
    booked = await a_booking(app, "person", mode="online", lang=lang)
    office = await a_booking(app, "other", mode="office", index=1)
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "coord", PASSWORD)
        async with http.get(f"{base}/staff/bookings") as resp:
            page = await resp.text()
        assert f'action="/staff/bookings/{booked.id}/link"' in page
        assert f'action="/staff/bookings/{office.id}/link"' not in page  # office: no link form
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        url = f"{base}/staff/bookings/{booked.id}/link"
        for bad in ("http://meet.example.org/x", "javascript:alert(1)", "https://a b.kz/"):
            status, _, body = await post(http, url, {"csrf": token, "link": bad})
            assert status == 400 and "https://" in body
        status, _, _ = await post(http, url, {"link": LINK})
        assert status == 403  # no CSRF token
        status, _, _ = await post(
            http, f"{base}/staff/bookings/{office.id}/link", {"csrf": token, "link": LINK}
        )
        assert status == 409
        status, where, _ = await post(
            http, url, {"csrf": token, "link": LINK, "from": "2026-11-23"}
        )
        assert (status, where) == (303, "/staff/bookings?done=link&from=2026-11-23")
        await until(lambda: len(outbox.sent) == 1)
        async with http.get(f"{base}/staff/bookings") as resp:
            page = await resp.text()
        assert "ссылка отправлена: 25.11" in page  # recorded, shown on the row
        status, _, _ = await post(http, url, {"csrf": token, "link": LINK + "-2"})
        assert status == 303  # resent (a new link, say)
        await until(lambda: len(outbox.sent) == 2)
    expected_first = first_line.format(time=f"{booked.starts_at.astimezone(ALMATY):%H:%M}")
    for (address, text, purpose), link in zip(outbox.sent, (LINK, LINK + "-2"), strict=True):
        assert address == "person" and purpose == "system"
        head, _, rest = text.partition("\n")
        assert head == expected_first
        assert rest == link
        for word in UNSAID:
            assert word not in text.lower()
    again = await service(app).get(booked.id)
    assert again is not None and again.link_sends == 2 and again.link_sent_at is not None
    # Never logged, never in the audit log, never in the person's state.
    assert "meet.example.org" not in caplog.text
    events = await app.staff.audit_log()
    assert [e.subject for e in events if e.action == "booking-link"] == [f"booking {booked.id}"] * 2
    assert all("meet.example" not in (e.subject + (e.reason or "")) for e in events)
    state = await app.conversations.states.load(booked.person_id)
    assert state is not None and "meet.example" not in repr(state)


async def test_a_specialist_sends_links_only_for_their_own_sessions(app: App) -> None:
    booked = await a_booking(app, "person", mode="online")
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "spec", PASSWORD)  # linked to no profile
        token = await page_csrf(http, f"{base}/staff/bookings")
        status, _, _ = await post(
            http, f"{base}/staff/bookings/{booked.id}/link", {"csrf": token, "link": LINK}
        )
        assert status == 404
    b = await service(app).get(booked.id)
    assert b is not None and b.link_sends == 0


# -- a new day off ----------------------------------------------------------------------------


async def test_a_new_day_off_lists_the_sessions_it_hits_to_move_or_cancel(app: App) -> None:
    outbox = Outbox()
    app.notifier.register("console", outbox)
    first = await a_booking(app, "one")
    second = await a_booking(app, "two", lang="kk", index=1)
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "coord", PASSWORD)
        token = await page_csrf(http, f"{base}/staff/bookings/schedule")
        status, where, _ = await post(
            http,
            f"{base}/staff/bookings/schedule/dayoff",
            {"csrf": token, "first": "2026-11-25", "last": "2026-11-25", "note": "семинар"},
        )
        assert status == 303 and re.fullmatch(r"/staff/bookings/dayoff/\d+\?done=saved", where)
        async with http.get(base + where) as resp:
            page = await resp.text()
        assert resp.status == 200
        assert f'id="hit-{first.id}"' in page and f'id="hit-{second.id}"' in page
        assert "уже есть 2 записи" in page
        day_off = where.split("/")[-1].split("?")[0]
        # Cancel the first with a word to the person.
        status, back, _ = await post(
            http,
            f"{base}/staff/bookings/{first.id}/cancel",
            {"csrf": token, "note": "Напишите, когда удобно.", "dayoff": day_off},
        )
        assert (status, back) == (303, f"/staff/bookings/dayoff/{day_off}?done=cancelled")
        # Move the second to the first free time offered.
        offer = re.search(
            rf'id="hit-{second.id}".*?name="starts_at" value="([^"]+)"', page, re.S
        ).group(1)  # type: ignore[union-attr]
        status, back, _ = await post(
            http,
            f"{base}/staff/bookings/{second.id}/move",
            {"csrf": token, "starts_at": offer, "dayoff": day_off},
        )
        assert (status, back) == (303, f"/staff/bookings/dayoff/{day_off}?done=moved")
        async with http.get(f"{base}/staff/bookings/dayoff/{day_off}") as resp:
            page = await resp.text()
        assert "hit-" not in page and "записей нет" in page
    await until(lambda: len(outbox.sent) >= 2)
    by_person: dict[str, list[str]] = {}
    for address, text, _ in outbox.sent:
        by_person.setdefault(address, []).append(text)
    # The staff note rides in the neutral message, never opens one (issue 20).
    assert by_person["one"] == [
        "Встреча сегодня в 10:00 отменена. Извините, что так вышло.\n"
        "Комментарий: Напишите, когда удобно.",
    ]
    (moved_text,) = by_person["two"]
    new_start = datetime.fromisoformat(offer)
    assert moved_text.startswith("Кездесу басқа уақытқа ауыстырылды. Бұрынғы уақыты: бүгін, сағат")
    assert f"Жаңа уақыты: ертең, сағат {new_start.astimezone(ALMATY):%H:%M}." in moved_text
    for texts in by_person.values():
        for text in texts:
            for word in UNSAID:
                assert word not in text.lower()
    old = await service(app).get(second.id)
    assert old is not None and old.status == "cancelled" and old.cancelled_by == "moved"
    upcoming = await service(app).upcoming(second.person_id)
    assert [b.starts_at for b in upcoming] == [new_start]


# -- words, not codes -------------------------------------------------------------------------


async def test_the_csv_in_kazakh_and_the_audit_log_in_words(app: App) -> None:
    await a_booking(app, "person")
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "coord", PASSWORD)
        token = await page_csrf(http, f"{base}/staff/bookings")
        await post(http, f"{base}/staff/lang", {"csrf": token, "lang": "kk", "next": "/staff/"})
        async with http.get(
            f"{base}/staff/bookings/export.csv?from=2026-11-01&to=2026-12-31"
        ) as resp:
            body = (await resp.read()).decode("utf-8-sig")
    head, row = body.strip().splitlines()[:2]
    assert head == (
        "Жазылу №,Күні,Басталуы,Аяқталуы,Мамандар,Кім үшін,Тілі,Форматы,Күйі,"
        "Келетінін растады,Сілтеме жіберілді"
    )
    assert row.endswith(",өзі үшін,орыс тілі,бетпе-бет,жазылған,жоқ,жоқ")
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "adm", PASSWORD)
        async with http.get(f"{base}/staff/audit") as resp:
            page = await resp.text()
    assert "Выгрузка записей (CSV)" in page and "Просмотр записей" in page
    assert ">bookings-export<" not in page  # the code is kept, shown only as a hint
    assert 'data-code="bookings-export"' in page


@pytest.mark.parametrize(
    ("lang", "title", "word"),
    [
        ("ru", "Определения показателей", "Медиана"),
        ("kk", "Көрсеткіштердің анықтамалары", "Медиана"),
    ],
)
async def test_the_reports_page_defines_each_figure_itself(
    app: App, lang: str, title: str, word: str
) -> None:
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "coord", PASSWORD)
        token = await page_csrf(http, f"{base}/staff/reports")
        await post(http, f"{base}/staff/lang", {"csrf": token, "lang": lang, "next": "/staff/"})
        async with http.get(f"{base}/staff/reports") as resp:
            page = await resp.text()
    assert title in page and word in page
    assert page.count('<details class="definition"') == len(DEFINITIONS)
    assert "docs/reports.md" not in page and ".md" not in page


async def test_the_new_pages_read_in_kazakh(app: App) -> None:
    """The day off's page, the link form and its refusals, the audit log: no Russian label
    left on a page read in Kazakh (the check of tests/test_staff_texts.py)."""
    labels = russian_labels()
    online = await a_booking(app, "person", mode="online")
    async with serve(app) as base, jar() as http, jar() as boss:
        await staff_login(http, base, "coord", PASSWORD)
        await choose(http, base, "kk")
        token = await page_csrf(http, f"{base}/staff/bookings/schedule")
        _, where, _ = await post(
            http,
            f"{base}/staff/bookings/schedule/dayoff",
            {"csrf": token, "first": "2026-11-25", "last": "2026-11-25"},
        )
        _, _, refused = await post(
            http, f"{base}/staff/bookings/{online.id}/link", {"csrf": token, "link": "http://x"}
        )
        await staff_login(boss, base, "adm", PASSWORD)
        await choose(boss, base, "kk")
        pages = [(http, where), (http, "/staff/bookings"), (boss, "/staff/audit")]
        seen = [refused]
        for client, path in pages:
            async with client.get(base + path) as resp:
                assert resp.status == 200, path
                seen.append(await resp.text())
    assert "Бұл күндерге жасалған жазылулар: 1." in seen[1]
    assert "Кездесу сілтемесін жіберу" in seen[2]
    assert "Жұмыс кестесі: демалыс күні қосылды" in seen[3]
    for page in seen:
        assert '<html lang="kk">' in page
        assert leftovers(page, labels) == []


async def test_the_survey_is_recorded_before_it_is_handed_over(app: App) -> None:
    """At most once: when the hand-over starts the row already says sent (a crash then loses
    the survey instead of repeating it after the lease); a failed hand-over is retried."""
    booked = await a_booking(app, "person")
    clock_of(app).set(booked.ends_at - timedelta(minutes=5))
    await service(app).mark(booked.id, "attended")
    clock_of(app).set(booked.ends_at)
    seen: list[str] = []
    fail = [True]

    async def status() -> str:
        async with app.db.session() as s:
            found = await s.scalar(
                select(Reminder.status).where(
                    Reminder.booking_id == booked.id, Reminder.hours_before == AFTER_SESSION
                )
            )
        assert found is not None
        return found

    async def deliver(b: BookingView, hours: int) -> bool:
        seen.append(await status())
        if fail.pop() if fail else False:
            raise ConnectionError("the outbox's database went away")
        return True

    sweep = ReminderSweep(app.db, app.clock, service(app), deliver)
    assert await sweep.sweep() == 0 and seen == ["sent"]
    assert await status() == "pending"  # handed back
    assert await sweep.sweep() == 1 and seen == ["sent", "sent"]
    assert await sweep.sweep() == 0 and await status() == "sent"
