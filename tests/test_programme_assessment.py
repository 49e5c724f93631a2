"""Issue 16, staff side: the aggressor programme's assessment sheet.

The store keeps signed, dated versions, encrypted (raw SQL never shows a note), and nothing
survives the person's erasure (/forget or retention). Only the programme's specialists write it
and coordinators read it; a specialist of another stream and a consultant get 403; every look
is in the audit log. In a real browser at 1280 and 390 px a specialist fills it, then revises
it; and the page read in Kazakh has no Russian left."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text, update

from booking.assessment import RISKS, AssessmentError, check
from booking.bookings import Bookings, BookingView, Request
from booking.models import AssessmentVersion, Specialist
from bot.app import App
from bot.settings import Settings
from core.clock import FrozenClock
from core.messages import Inbound
from staffweb.models import AuditEvent
from storage.people import People
from tests.test_booking_specialists_browser import no_sideways_scroll
from tests.test_staff_texts import leftovers, russian_labels
from tests.web_helpers import browser_login, serve, signed_in

PASSWORD = "correct horse battery"
NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # Wednesday, 06:00 in Almaty
SATURDAY = date(2026, 11, 28)  # the seeded pair В + Г works 10:00-14:00, online
NOTE = "Говорит, что пил перед тем, как ударил; мотивация неясна"


async def programme_app(settings: Settings) -> App:
    """The bot with a coordinator, the programme's psychologist В ("prog"), the victims'
    psychologist А ("vict") and a consultant, each signed in as a staff account."""
    application = await App.create(settings, clock=FrozenClock(NOW))
    for name, roles in [
        ("coord", ["coordinator"]),
        ("prog", ["specialist"]),  # В, the programme's psychologist
        ("vict", ["specialist"]),  # А, the victims' psychologist
        ("cons", ["consultant"]),
    ]:
        await application.staff.add_user(name, PASSWORD, roles, NOW)
    async with application.db.session() as s, s.begin():
        await s.execute(update(Specialist).where(Specialist.id == 3).values(staff_username="prog"))
        await s.execute(update(Specialist).where(Specialist.id == 1).values(staff_username="vict"))
    return application


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    application = await programme_app(settings)
    yield application
    await application.close()


def service(app: App) -> Bookings:
    bookings = app.conversations.services.booking
    assert bookings is not None
    return bookings


async def programme_booking(app: App, ref: str = "him") -> BookingView:
    outcome = await app.conversations.handle(
        Inbound("console", ref, app.clock.now(), text="/start")
    )
    assert outcome.person_id is not None
    req = Request("stop", "ru", "online")
    slot = (await service(app).free_slots(req, SATURDAY))[0]
    made = await service(app).book(outcome.person_id, req, slot.starts_at, pseudonym="Н.")
    assert made.specialists == (3, 4)  # a pair of the aggressor stream
    return made


def a_sheet(eligibility: str = "programme", note: str = NOTE) -> Any:
    return check(
        {r: ("yes" if r in ("recent_violence", "substances") else "no") for r in RISKS},
        motivation=["children"],
        obstacles=["denial", "substances"],
        motivation_note=note,
        eligibility=eligibility,
        reason="Признаёт удары, согласен на 22 встречи",
        partner_actions=["offered_150_111"],
        partner_note="",
    )


def form(sheet_answer: str = "no", reason: str = "Принят: признаёт насилие") -> dict[str, str]:
    data = {f"risk_{r}": sheet_answer for r in RISKS}
    data.update(
        {
            "risk_weapons": "unknown",
            "eligibility": "programme",
            "reason": reason,
            "motivation": "own",
            "motivation_note": NOTE,
            "partner_actions": "offered_150_111",
        }
    )
    return data


# -- the store ------------------------------------------------------------------------------


async def test_versions_are_signed_encrypted_and_erased_with_the_person(app: App) -> None:
    made = await programme_booking(app)
    store = service(app).assessments
    first = await store.save(made.id, a_sheet(), "prog", NOW)
    second = await store.save(made.id, a_sheet("defer", "Вторая встреча"), "prog2", NOW)
    assert (first, second) == (1, 2)
    versions = await store.versions(made.id)
    assert [(v.version, v.signed_by) for v in versions] == [(2, "prog2"), (1, "prog")]
    assert versions[1].sheet is not None and versions[1].sheet.motivation_note == NOTE
    assert versions[0].sheet is not None and versions[0].sheet.eligibility == "defer"
    assert versions[1].flags == ("recent_violence", "substances")
    async with app.db.engine.connect() as conn:
        raw = " ".join(
            str(v)
            for row in (await conn.execute(text("SELECT * FROM programme_assessments"))).all()
            for v in row
        )
    for secret in ("пил перед", "Признаёт", "Вторая", "recent_violence", "defer", "children"):
        assert secret not in raw
    # Not for a booking outside the programme; a sheet without a reason is refused.
    with pytest.raises(AssessmentError):
        check(
            dict.fromkeys(RISKS, "no"),
            motivation=[],
            obstacles=[],
            motivation_note="",
            eligibility="refer",
            reason="  ",
            partner_actions=[],
            partner_note="",
        )
    with pytest.raises(AssessmentError):
        check(
            {},
            motivation=[],
            obstacles=[],
            motivation_note="",
            eligibility="programme",
            reason="x",
            partner_actions=[],
            partner_note="",
        )
    # /forget: the person goes, their bookings cascade, and every version with them.
    await People(app.db, app.vault).forget(made.person_id)
    async with app.db.session() as s:
        assert await s.scalar(select(func.count()).select_from(AssessmentVersion)) == 0


async def test_retention_takes_the_sheet_with_the_person(app: App) -> None:
    made = await programme_booking(app)
    await service(app).assessments.save(made.id, a_sheet(), "prog", NOW)
    clock = app.clock
    assert isinstance(clock, FrozenClock)
    # Long after the session and the last message: retention deletes the person.
    clock.set(made.ends_at + app.retention.period + timedelta(days=2))
    assert await app.retention.sweep(clock.now()) >= 1
    async with app.db.session() as s:
        assert await s.scalar(select(func.count()).select_from(AssessmentVersion)) == 0
        assert await s.scalar(text("SELECT count(*) FROM booking_bookings")) == 0


# -- who may see it -------------------------------------------------------------------------


async def test_only_the_programme_writes_coordinators_read_others_403(app: App) -> None:
    made = await programme_booking(app)
    url = f"/staff/programme/assessment/{made.id}"
    async with serve(app) as base:
        for name in ("vict", "cons"):
            async with signed_in(base, name, PASSWORD) as (http, csrf):
                async with http.get(base + url) as resp:
                    assert resp.status == 403, name
                    assert NOTE not in await resp.text()
                async with http.post(base + url, data=form(), headers=csrf) as resp:
                    assert resp.status == 403, name
        async with signed_in(base, "prog", PASSWORD) as (http, csrf):
            async with http.post(
                base + url, data=form(reason=""), headers=csrf, allow_redirects=False
            ) as resp:
                assert resp.status == 400  # the reason is required
                assert "причину" in await resp.text()
            async with http.post(
                base + url, data=form(), headers=csrf, allow_redirects=False
            ) as resp:
                assert resp.status == 303
            async with http.get(base + url) as resp:
                page = await resp.text()
                assert resp.status == 200 and NOTE in page and 'id="sheet"' in page
            # The week page links a programme session to its sheet.
            async with http.get(f"{base}/staff/bookings?from=2026-11-28") as resp:
                assert url in await resp.text()
        async with signed_in(base, "coord", PASSWORD) as (http, csrf):
            async with http.get(base + url) as resp:
                page = await resp.text()
                assert resp.status == 200 and NOTE in page and 'id="sheet"' not in page
                assert "Версия 1" in page and "prog" in page
            async with http.post(base + url, data=form(), headers=csrf) as resp:
                assert resp.status == 403  # coordinators read; the programme signs
        # Not a programme booking: no sheet.
        other = await victims_booking(app)
        async with (
            signed_in(base, "prog", PASSWORD) as (http, _),
            http.get(f"{base}/staff/programme/assessment/{other.id}") as resp,
        ):
            assert resp.status == 404
    async with app.db.session() as s:
        actions = [
            (e.username, e.action)
            for e in (await s.scalars(select(AuditEvent).order_by(AuditEvent.id))).all()
            if e.action.startswith("assessment")
        ]
    # The victims' specialist's attempt is written down; the consultant never reached the page.
    assert ("vict", "assessment-refused") in actions
    assert not [a for a in actions if a[0] == "cons"]
    assert ("prog", "assessment-save") in actions and ("prog", "assessment-view") in actions
    assert ("coord", "assessment-view") in actions


async def victims_booking(app: App) -> BookingView:
    outcome = await app.conversations.handle(
        Inbound("console", "her", app.clock.now(), text="/start")
    )
    assert outcome.person_id is not None
    req = Request("self", "ru", "office")
    slot = (await service(app).free_slots(req, date(2026, 11, 25)))[0]
    return await service(app).book(outcome.person_id, req, slot.starts_at)


async def test_the_sheet_reads_in_kazakh(app: App) -> None:
    made = await programme_booking(app)
    await service(app).assessments.save(made.id, a_sheet(), "prog", NOW)
    labels = russian_labels()
    async with serve(app) as base:
        for name in ("prog", "coord"):
            async with signed_in(base, name, PASSWORD) as (http, csrf):
                async with http.post(
                    f"{base}/staff/lang", data={"lang": "kk"}, headers=csrf
                ) as resp:
                    assert resp.status in (200, 303)
                for path in (f"/staff/programme/assessment/{made.id}", "/staff/bookings/schedule"):
                    async with http.get(base + path) as resp:
                        page = await resp.text()
                    if resp.status == 403:
                        continue  # the schedule is the coordinators'
                    assert '<html lang="kk">' in page, path
                    # The specialist's own note is shown as written.
                    page = page.replace(NOTE, "").replace(
                        "Признаёт удары, согласен на 22 встречи", ""
                    )
                    assert leftovers(page, labels) == [], (name, path)


# -- in a real browser ----------------------------------------------------------------------


async def fill_sheet(page: Any) -> None:
    """Fill in the first version of the sheet on its page, as a specialist would: programme."""
    for risk in RISKS:
        answer = "yes" if risk == "recent_violence" else "unknown" if risk == "weapons" else "no"
        await page.check(f"input[name=risk_{risk}][value={answer}]")
    await page.check("input[name=motivation][value=children]")
    await page.check("input[name=obstacles][value=denial]")
    await page.fill("textarea[name=motivation_note]", NOTE)
    await page.check("input[name=eligibility][value=programme]")
    await page.fill("textarea[name=reason]", "Признаёт насилие, готов к курсу")
    await page.check("input[name=partner_actions][value=offered_150_111]")
    await no_sideways_scroll(page)
    await page.click("#sheet button[type=submit]")
    await page.wait_for_url("**/assessment/*?done=saved")


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
async def test_fill_and_revise_the_sheet_in_a_browser(
    app: App, page: Any, width: int, height: int
) -> None:
    await page.set_viewport_size({"width": width, "height": height})
    made = await programme_booking(app)
    async with serve(app) as base:
        url = f"{base}/staff/programme/assessment/{made.id}"
        await browser_login(page, url, "prog", PASSWORD)
        assert await page.locator("#no-versions").count() == 1
        await no_sideways_scroll(page)
        await fill_sheet(page)
        assert await page.locator("section.version").count() == 1
        assert "Недавнее насилие" in await page.inner_text("#version-1 .flags")
        await no_sideways_scroll(page)
        # Revised at a later session: the form starts from the last version.
        assert await page.is_checked("input[name=risk_recent_violence][value=yes]")
        assert await page.input_value("textarea[name=motivation_note]") == NOTE
        await page.check("input[name=risk_weapons][value=no]")
        await page.check("input[name=eligibility][value=defer]")
        await page.fill("textarea[name=reason]", "Запой: сначала лечение, вернуться через месяц")
        await page.check("input[name=partner_actions][value=partner_service_plan]")
        await page.click("#sheet button[type=submit]")
        await page.wait_for_url("**/assessment/*?done=saved")
        assert await page.locator("section.version").count() == 2
        newest = await page.inner_text("section.version >> nth=0")
        assert "Версия 2" in newest and "prog" in newest and "отложить" in newest
        assert "отложить" not in await page.inner_text("#version-1")  # the first is kept
        await no_sideways_scroll(page)
    versions = await service(app).assessments.versions(made.id)
    assert [v.version for v in versions] == [2, 1]
    latest = versions[0].sheet
    assert latest is not None and latest.risks["weapons"] == "no"
    assert latest.partner_actions == ("offered_150_111", "partner_service_plan")
    assert re.search("лечение", latest.reason)


# -- coordinators set streams and fixed pairs ------------------------------------------------


async def test_coordinators_set_the_stream_and_fixed_pairs_on_the_schedule_page(app: App) -> None:
    spec = {
        "id": "1",
        "name": "А",
        "role": "psychologist",
        "langs": "ru",
        "modes": "office",
        "active": "on",
        "staff_username": "vict",
    }
    async with serve(app) as base, signed_in(base, "coord", PASSWORD) as (http, csrf):
        url = f"{base}/staff/bookings/schedule"
        async with http.get(url) as resp:
            page = await resp.text()
            assert 'name="stream"' in page and "программа для агрессоров" in page
        # The aggressor stream with a joint session: refused, in words.
        async with http.post(
            f"{url}/specialist",
            data={**spec, "stream": "aggressors", "kinds": "family"},
            headers=csrf,
            allow_redirects=False,
        ) as resp:
            assert resp.status == 400 and "Выбранное направление" in await resp.text()
        async with http.post(
            f"{url}/specialist",
            data={**spec, "stream": "family", "kinds": "family"},
            headers=csrf,
            allow_redirects=False,
        ) as resp:
            assert resp.status == 303
        rules = (await service(app).schedule.load()).rules
        form_rules = {
            "session_minutes": rules.session_minutes,
            "break_minutes": rules.break_minutes,
            "horizon_days": rules.horizon_days,
            "min_notice_minutes": rules.min_notice_minutes,
            "max_active_per_person": rules.max_active_per_person,
            "pair_kinds": "stop",
            "fixed_pairs": "3+4",
            **{
                f"{k}_{lang}": "x"
                for k in ("office_address", "online_policy")
                for lang in ["ru", "kk"]
            },
        }
        async with http.post(
            f"{url}/rules", data=form_rules, headers=csrf, allow_redirects=False
        ) as resp:
            assert resp.status == 303
    schedule = await service(app).schedule.load()
    first = schedule.specialist(1)
    assert first is not None and first.stream == "family" and first.kinds == {"family"}
    assert schedule.rules.fixed_pairs == ((3, 4),) and schedule.rules.pair_kinds == {"stop"}
