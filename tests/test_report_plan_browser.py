"""Issue 19's Done-when in a real browser at 1280 and 390 px, on SQLite and PostgreSQL: a
coordinator sets a target on the reports page and sees plan, actual and the percentage."""

from __future__ import annotations

from typing import Any

import pytest

from bot.app import App
from reports import fmt
from tests.test_booking_specialists_browser import no_sideways_scroll
from tests.test_report_plan import REPORT_URL, direct, seed
from tests.test_reports import PASSWORD
from tests.test_reports import app as app
from tests.test_reports_programme import PERIOD
from tests.web_helpers import browser_login, serve


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
async def test_a_coordinator_sets_a_target_and_sees_plan_against_actual(
    app: App,
    page: Any,
    width: int,
    height: int,
) -> None:
    await seed(app)
    want = await direct(app, PERIOD)
    await page.set_viewport_size({"width": width, "height": height})
    async with serve(app) as base:
        url = base + REPORT_URL
        await browser_login(page, url, "coord", PASSWORD)
        assert await page.locator("#plan-none").is_visible()
        await no_sideways_scroll(page)
        await page.select_option("#target-indicator", "consultations")
        assert await page.input_value("#target-from") == PERIOD.first.isoformat()
        assert await page.input_value("#target-to") == PERIOD.last.isoformat()
        await page.fill("#target-value", "200")
        await page.click("#target-form button[type=submit]")
        await page.wait_for_url(url + "#plan")
        row = page.locator("tr[data-indicator=consultations]")
        assert await row.is_visible()

        async def cell(name: str) -> str:
            return str(await row.locator(f".{name}").inner_text()).replace("\u202f", "")

        actual = want["consultations"]
        assert await cell("plan-value") == "200"
        assert await cell("actual-value") == str(actual)
        assert await cell("share-value") == fmt.percent(actual / 200)
        assert "01.11.2026 — 25.11.2026" in await cell("covers")
        await no_sideways_scroll(page)
        # Plan, actual and % are in sight, not behind a sideways scroll of the table.
        box = await row.locator(".share-value").bounding_box()
        assert box is not None and box["x"] + box["width"] <= width
        # Changing it: the same indicator and period saved again.
        await page.select_option("#target-indicator", "consultations")
        await page.fill("#target-value", "100")
        await page.click("#target-form button[type=submit]")
        await page.wait_for_url(url + "#plan")
        assert await cell("plan-value") == "100"
        assert await cell("share-value") == fmt.percent(actual / 100)
        await row.locator("button").click()  # and removing it
        await page.wait_for_url(url + "#plan")
        assert await page.locator("#plan-none").is_visible()
