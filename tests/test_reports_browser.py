"""A coordinator opens a month of reports in a real browser and downloads the XLSX."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.app import App
from bot.settings import Settings
from core.clock import FrozenClock
from reports.demo import fill
from reports.figures import Figures
from reports.period import Period
from tests.web_helpers import serve

PASSWORD = "correct horse battery"


@pytest.fixture
async def app(settings: Settings, clock: FrozenClock) -> AsyncIterator[App]:
    application = await App.create(settings, clock=clock)
    await application.staff.add_user("coord", PASSWORD, ["coordinator"], clock.now())
    await application.staff.add_user("spec", PASSWORD, ["specialist"], clock.now())
    yield application
    await application.close()


async def login(page: Any, base: str, user: str) -> None:
    await page.goto(f"{base}/staff/login?next=/staff/reports")
    await page.fill("input[name=username]", user)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")


@pytest.mark.browser
async def test_coordinator_sees_the_charts_and_downloads_the_xlsx(
    app: App, clock: FrozenClock, page: Any, tmp_path: Any
) -> None:
    added = await fill(app.db, days=30, seed=11, now=clock.now())
    period = Period.last_days(clock.now())
    report = await Figures(app.db).report(period)
    assert report.totals.contacts == added  # the month of demo data is the default period
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" and "404" not in m.text else None,
    )
    page.on(  # browsers ask for /favicon.ico on their own; anything else missing is a bug
        "response",
        lambda r: problems.append(r.url) if r.status >= 400 and "favicon" not in r.url else None,
    )
    async with serve(app) as base:
        await login(page, base, "coord")
        await page.wait_for_url(f"{base}/staff/reports")
        assert await page.locator("#chart-daily rect.bar").count() == 30
        assert await page.locator("#chart-weekly circle.point").count() == 2 * len(report.weekly)
        assert await page.locator("#chart-role rect.bar").count() == len(report.by_role)
        assert await page.locator("#chart-region rect.bar").count() == len(report.by_region)
        assert await page.locator("svg.chart[role=img]").count() >= 11
        shown = (await page.locator("[data-figure=contacts]").inner_text()).replace("\u202f", "")
        assert int(shown) == added
        # The stylesheet loaded under the CSP: bars are filled with the accent colour.
        fill_colour = await page.locator("#chart-daily rect.bar").first.evaluate(
            "el => getComputedStyle(el).fill"
        )
        assert fill_colour == "rgb(11, 110, 105)"

        async with page.expect_download() as info:
            await page.click("#dl-summary-xlsx-ru")
        download = await info.value
        path = tmp_path / download.suggested_filename
        await download.save_as(path)
        assert path.name.endswith(".xlsx")
        sheet = load_workbook(path).active
        rows = {r[0].value: [c.value for c in r] for r in sheet.iter_rows(min_row=2)}
        assert rows["Обращения онлайн (контакты), всего"][-1] == added
        assert rows["Срочные обращения"][-1] == report.totals.urgent
        assert rows["Записи на сессию"][-1] == report.totals.booked

        async with page.expect_download() as info:
            await page.click("#dl-registry-xlsx-kk")
        download = await info.value
        await download.save_as(tmp_path / "registry.xlsx")
        registry = load_workbook(tmp_path / "registry.xlsx").active
        assert registry.max_row - 1 == added
        assert registry["B1"].value == "Күні"

        # Another period through the date pickers.
        await page.fill("input[name=from]", period.last.replace(day=1).isoformat())
        await page.fill("input[name=to]", period.last.isoformat())
        await page.click("form.period button[type=submit]")
        await page.wait_for_url("**/staff/reports?from=*")
        assert await page.locator("#chart-daily rect.bar").count() == period.last.day
    assert not problems, problems  # no CSP violations, no broken assets


@pytest.mark.browser
async def test_a_specialist_is_refused(app: App, page: Any) -> None:
    async with serve(app) as base:
        await login(page, base, "spec")
        response = await page.goto(f"{base}/staff/reports")
        assert response.status == 403
        assert await page.locator("svg.chart").count() == 0
