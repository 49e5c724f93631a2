"""A coordinator in a real browser, on a laptop and at phone width (390 px, nothing scrolls
sideways): sends the link to an online session, then adds a day off, and on the page it leads
to cancels one session it hits with a word to the person and moves the other."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.app import App
from tests.test_booking import Outbox
from tests.test_booking_specialists import LINK, PASSWORD, a_booking, app, until
from tests.web_helpers import browser_login, serve

__all__ = ["app"]  # the fixture, shared with the HTTP tests

SIDEWAYS = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


async def no_sideways_scroll(page: Any) -> None:
    assert not await page.evaluate(SIDEWAYS), f"{page.url} scrolls sideways"


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
async def test_link_and_day_off_in_a_browser(app: App, page: Any, width: int, height: int) -> None:
    await page.set_viewport_size({"width": width, "height": height})
    outbox = Outbox()
    app.notifier.register("console", outbox)
    online = await a_booking(app, "one", mode="online")
    office = await a_booking(app, "two", index=1)
    async with serve(app) as base:
        await browser_login(page, f"{base}/staff/bookings", "coord", PASSWORD)
        await no_sideways_scroll(page)
        row = f"#booking-{online.id}"
        assert await page.locator(f"#booking-{office.id} details.link").count() == 0
        await page.click(f"{row} details.link summary")
        await page.fill(f"{row} input[name=link]", LINK)
        await no_sideways_scroll(page)
        await page.click(f"{row} form.link-form button[type=submit]")
        await page.wait_for_url("**/staff/bookings?done=link*")
        assert "ссылка отправлена" in await page.inner_text(f"{row} .link-sent")
        await no_sideways_scroll(page)
        await until(lambda: len(outbox.sent) == 1)
        assert outbox.sent[0][1].endswith("\n" + LINK)

        await page.goto(f"{base}/staff/bookings/schedule")
        await no_sideways_scroll(page)
        await page.fill("#dayoff-add input[name=first]", "2026-11-25")
        await page.fill("#dayoff-add input[name=note]", "семинар")
        await page.click("#dayoff-add button[type=submit]")
        await page.wait_for_url("**/staff/bookings/dayoff/*?done=saved")
        assert await page.locator("section.hit").count() == 2
        await no_sideways_scroll(page)

        hit = f"#hit-{office.id}"
        await page.click(f"{hit} details summary")
        await page.fill(f"{hit} form.cancel textarea[name=note]", "Напишите, когда удобно.")
        await no_sideways_scroll(page)
        await page.click(f"{hit} form.cancel button[type=submit]")
        await page.wait_for_url("**/staff/bookings/dayoff/*?done=cancelled")
        assert await page.locator("section.hit").count() == 1

        await page.click(f"#hit-{online.id} button.offer >> nth=0")
        await page.wait_for_url("**/staff/bookings/dayoff/*?done=moved")
        assert await page.locator("section.hit").count() == 0
        assert await page.locator("#no-hits").count() == 1
        await no_sideways_scroll(page)
    # The link, the cancellation with the staff note on its second line (never a message of
    # its own: docs/lockscreen.md), and the move.
    await until(lambda: len(outbox.sent) >= 3)
    await asyncio.sleep(0.2)
    texts = [t for _, t, _ in outbox.sent]
    assert len(texts) == 3
    assert any(
        t.endswith("отменена. Извините, что так вышло.\nКомментарий: Напишите, когда удобно.")
        for t in texts
    )
    assert any(t.startswith("Встреча сегодня в 10:00 перенесена. Новое время:") for t in texts)
