"""Issue 18's Done-when, in a real browser at 1280 and 390 px, on SQLite and PostgreSQL: a
coordinator adds a Karaganda crisis centre on /staff/contacts and verifies it (phoned); a person
asking for contacts in Karaganda (in Kazakh and in Russian, through the real conversation) then
gets its number; once its check date has passed beyond the grace period they no longer do, and
the page lists it as hidden because its check is overdue. An entry added but not verified is
never shown; a consultant gets 403."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import App
from bot.settings import Settings
from contacts.rules import GRACE
from core.clock import FrozenClock
from core.messages import Inbound
from staffweb.models import AuditEvent
from tests.test_booking_specialists_browser import no_sideways_scroll
from tests.web_helpers import browser_login, serve, signed_in

PASSWORD = "correct horse battery"
NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
PHONE = "+77212505050"
ASK_KK = ("/start", "Қазақша", "Көмек байланыстары", "Қарағанды")
ASK_RU = ("/start", "Русский", "Контакты помощи", "Караганда")


@pytest.fixture
async def app(settings: Settings, db_url: str) -> AsyncIterator[App]:
    application = await App.create(
        settings.model_copy(update={"database_url": db_url}), clock=FrozenClock(NOW)
    )
    for name, roles in [("coord", ["coordinator"]), ("cons", ["consultant"])]:
        await application.staff.add_user(name, PASSWORD, roles, NOW)
    yield application
    await application.close()


async def ask(app: App, person: str, turns: tuple[str, ...]) -> str:
    """What a person is told after asking for contacts in Karaganda, the last turn's words."""
    for text in turns:
        outcome = await app.conversations.handle(
            Inbound("console", person, app.clock.now(), text=text)
        )
    return "\n".join(r.text for r in outcome.replies)


def clock_of(app: App) -> FrozenClock:
    assert isinstance(app.clock, FrozenClock)
    return app.clock


async def add_on_the_page(page: Any, base: str, entry_id: str) -> None:
    await page.goto(f"{base}/staff/contacts")
    await page.click("#contact-new")
    await page.fill("input[name=id]", entry_id)
    await page.select_option("select[name=region]", "karaganda")
    await page.select_option("select[name=kind]", "crisis_centre")
    await page.fill("input[name=name_ru]", "Кризисный центр «Шаңырақ»")
    await page.fill("input[name=name_kk]", "«Шаңырақ» дағдарыс орталығы")
    await page.fill("input[name=phones]", PHONE)
    await page.fill("input[name=hours_ru]", "круглосуточно")
    await page.check("input[name=lang_kk]")
    await page.click("#contact-save")
    await page.wait_for_url(f"{base}/staff/contacts/{entry_id}?done=added")
    await no_sideways_scroll(page)


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
async def test_a_verified_number_reaches_people_until_its_check_is_overdue(
    app: App, page: Any, width: int, height: int
) -> None:
    await page.set_viewport_size({"width": width, "height": height})
    async with serve(app) as base:
        await browser_login(page, f"{base}/staff/", "coord", PASSWORD)
        assert await page.locator("a[href='/staff/contacts']").count() >= 1  # linked from home
        await page.goto(f"{base}/staff/contacts")
        await no_sideways_scroll(page)
        await add_on_the_page(page, base, "kar_shanyrak")
        standing = page.locator("#contact-standing [data-standing]")
        assert await standing.get_attribute("data-standing") == "unverified"
        assert PHONE not in await ask(app, "before", ASK_RU)  # not verified: not shown

        await page.check("input[name=how][value=phoned]")
        await page.fill("input[name=verified_source]", "позвонила, ответил дежурный психолог")
        await page.click("#contact-verify-button")
        await page.wait_for_url(f"{base}/staff/contacts/kar_shanyrak?done=verified")
        assert await standing.get_attribute("data-standing") == "current"
        assert "coord" in await page.inner_text("#contact-verified")
        await no_sideways_scroll(page)

        told_kk = await ask(app, "kk-person", ASK_KK)
        assert PHONE in told_kk and "«Шаңырақ» дағдарыс орталығы" in told_kk
        told_ru = await ask(app, "ru-person", ASK_RU)
        assert PHONE in told_ru and "Кризисный центр «Шаңырақ»" in told_ru

        # Six months on and past the grace period, the number is gone and the page says why.
        clock_of(app).advance(timedelta(days=186) + GRACE + timedelta(days=1))
        assert PHONE not in await ask(app, "kk-later", ASK_KK)
        assert PHONE not in await ask(app, "ru-later", ASK_RU)
        await browser_login(page, f"{base}/staff/contacts", "coord", PASSWORD)  # session ended
        reminder = page.locator("#reminder-kar_shanyrak")
        assert await reminder.locator("[data-standing]").get_attribute("data-standing") == "hidden"
        words = await reminder.inner_text()
        assert "скрыто с" in words and "проверка просрочена" in words
        await no_sideways_scroll(page)
        # The national lines are never hidden by a date: due on the list, still told.
        assert "102" in await page.inner_text("#reminders")
        assert "📞 102" in await ask(app, "lines", ("/start", "Русский", "Контакты помощи"))

    async with app.db.session() as s:
        done = list(
            await s.scalars(select(AuditEvent.action).where(AuditEvent.username == "coord"))
        )
    assert {"contact-add", "contact-verify"} <= set(done)


@pytest.mark.browser
async def test_an_entry_added_but_not_verified_is_not_shown(app: App, page: Any) -> None:
    await page.set_viewport_size({"width": 390, "height": 844})
    async with serve(app) as base:
        await browser_login(page, f"{base}/staff/contacts", "coord", PASSWORD)
        await add_on_the_page(page, base, "kar_unchecked")
        assert PHONE not in await ask(app, "kk", ASK_KK)
        assert PHONE not in await ask(app, "ru", ASK_RU)
        await page.goto(f"{base}/staff/contacts?region=karaganda")
        card = page.locator("#contact-kar_unchecked [data-standing]")
        assert await card.get_attribute("data-standing") == "unverified"


async def test_only_coordinators_and_admins_open_the_page(app: App) -> None:
    await app.staff.add_user("boss", PASSWORD, ["admin"], NOW)
    async with serve(app) as base:
        async with signed_in(base, "cons", PASSWORD) as (cons, headers):
            for path in ("/staff/contacts", "/staff/contacts/new", "/staff/contacts/kz_police_102"):
                async with cons.get(base + path) as resp:
                    assert resp.status == 403, path
            async with cons.post(
                f"{base}/staff/contacts/kz_police_102/retire", headers=headers
            ) as resp:
                assert resp.status == 403
            async with cons.get(f"{base}/staff/") as resp:
                assert "/staff/contacts" not in await resp.text()
        async with (
            signed_in(base, "boss", PASSWORD) as (boss, _),
            boss.get(f"{base}/staff/contacts") as resp,
        ):
            assert resp.status == 200
        form = {"id": "kar_x", "region": "karaganda", "kind": "ngo", "name_ru": "НКО"}
        form |= {"phones": "+77212", "notes": "ул. Ленина, д. 5"}
        async with (
            signed_in(base, "coord", PASSWORD) as (coord, headers),
            coord.post(f"{base}/staff/contacts/add", headers=headers, data=form) as resp,
        ):
            assert resp.status == 400
            assert "адрес" in await resp.text()
    assert app.contacts is not None and await app.contacts.get("kar_x") is None
    assert app.conversations.services.contacts is not None
