"""Plan against actual and the grant workbook (issue 19): targets set from the page, their
actual figures against direct SQL counts, the typed XLSX in ru and kk, danger levels by
severity, the CLI, migration 0960; on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from aiohttp import ClientSession
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import inspect, text

from bot.app import App
from core.clock import ALMATY
from registry.vocabulary import DANGER_LEVELS
from reports import fmt
from reports.period import Period
from reports.plan import BY_CODE, INDICATORS, Targets
from storage.db import Database, migration_heads
from tests.registry_rows import registry_rows
from tests.test_inbox_migration import _downgrade
from tests.test_reports import PASSWORD, jar
from tests.test_reports import app as app
from tests.test_reports import seed as seed_contacts
from tests.test_reports_programme import PERIOD
from tests.test_reports_programme import direct as direct_programme
from tests.test_reports_programme import seed as seed_programme
from tests.web_helpers import csrf_of, serve, staff_login

# A target on a longer period that overlaps the report's, and one that does not.
OVERLAPPING = Period(date(2026, 10, 1), date(2026, 12, 31))
ELSEWHERE = Period(date(2026, 1, 1), date(2026, 1, 31))


async def seed(app: App) -> None:
    await seed_contacts(app, PERIOD)
    await seed_programme(app)


async def direct(app: App, period: Period) -> dict[str, int]:
    """Every indicator counted the plain way: rows read with SQL, filtered here."""
    inside = await registry_rows(
        app.db,
        period,
        "role, urgent, claim_seconds, booked, attended, in_person, feedback, new_in",
    )
    roles = Counter(r["role"] for r in inside)

    def came(in_person: bool) -> int:
        return sum(
            bool(r["booked"])
            and r["attended"] in (True, 1)
            and r["in_person"] in (in_person, int(in_person))
            for r in inside
        )

    programme = await direct_programme(app, period)
    referrals = programme["referrals"]
    assert isinstance(referrals, dict)
    return {
        "contacts": len(inside),
        # The period is part of one month: its first contacts of that month (docs/reports.md).
        "people": sum(r["new_in"] is not None for r in inside),
        "consultations": sum(r["claim_seconds"] is not None for r in inside),
        "sessions_in_person": came(True),
        "sessions_online": came(False),
        "questionnaires": sum(r["feedback"] is not None for r in inside),
        "victims": roles["victim"],
        "witnesses": roles["witness"],
        "aggressors": roles["aggressor"],
        "urgent": sum(bool(r["urgent"]) for r in inside),
        "programme_people": sum(referrals.values()),
        "programme_enrolled": int(programme["enrolled"]),  # type: ignore[call-overload]
        "programme_completed": int(programme["completed"]),  # type: ignore[call-overload]
    }


def plan_rows(html: str) -> dict[tuple[str, str, str], tuple[str, str, str]]:
    """(indicator, first, last) -> (plan, actual, %) as the page shows them."""
    found = re.findall(
        r'<tr data-indicator="(\w+)" data-first="([\d-]+)" data-last="([\d-]+)">.*?'
        r'class="plan-value">([^<]*)<.*?class="actual-value">([^<]*)<.*?'
        r'class="share-value">([^<]*)<',
        html,
        re.S,
    )
    return {
        (c, f, la): (p.replace("\u202f", ""), a.replace("\u202f", ""), s)
        for c, f, la, p, a, s in found
    }


async def set_target(
    http: ClientSession, base: str, code: str, period: Period, target: int, token: str
) -> int:
    async with http.post(
        f"{base}/staff/reports/targets",
        allow_redirects=False,
        data={
            "csrf": token,
            "indicator": code,
            "from": period.first.isoformat(),
            "to": period.last.isoformat(),
            "target": str(target),
            "back_from": PERIOD.first.isoformat(),
            "back_to": PERIOD.last.isoformat(),
        },
    ) as resp:
        return resp.status


REPORT_URL = "/staff/reports?from=2026-11-01&to=2026-11-25"


async def test_plan_against_actual_equals_direct_sql_counts(app: App) -> None:
    await seed(app)
    want = await direct(app, PERIOD)
    assert want["programme_people"] == 4 and want["contacts"] > 300  # the seeds are there
    wide = await direct(app, OVERLAPPING)
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "coord", PASSWORD)
        async with http.get(base + REPORT_URL) as resp:
            token = csrf_of(await resp.text())
        for n, ind in enumerate(INDICATORS):
            assert await set_target(http, base, ind.code, PERIOD, 50 + n, token) == 303
        assert await set_target(http, base, "consultations", OVERLAPPING, 1000, token) == 303
        assert await set_target(http, base, "urgent", ELSEWHERE, 5, token) == 303
        # Setting it again changes it: one target per indicator and period.
        assert await set_target(http, base, "contacts", PERIOD, 400, token) == 303
        async with http.get(base + REPORT_URL) as resp:
            html = await resp.text()
    shown = plan_rows(html)
    first, last = PERIOD.first.isoformat(), PERIOD.last.isoformat()
    assert len(shown) == len(INDICATORS) + 1  # January's target does not overlap: not shown
    for n, ind in enumerate(INDICATORS):
        plan = 400 if ind.code == "contacts" else 50 + n
        actual = want[ind.code]
        assert shown[(ind.code, first, last)] == (
            str(plan),
            str(actual),
            fmt.percent(actual / plan),
        ), ind.code
    # A target of another period is counted over its own days, and says which they are.
    wide_row = shown[("consultations", "2026-10-01", "2026-12-31")]
    assert wide_row == (
        "1000",
        str(wide["consultations"]),
        fmt.percent(wide["consultations"] / 1000),
    )
    assert "01.10.2026 — 31.12.2026" in html
    async with app.db.engine.connect() as conn:
        audit = [
            tuple(r) for r in await conn.execute(text("SELECT action, subject FROM audit_log"))
        ]
    assert ("report-target-set", "contacts 2026-11-01…2026-11-25 = 400") in audit


async def test_targets_are_removed_guarded_and_checked(app: App) -> None:
    async with serve(app) as base:
        async with jar() as http:
            await staff_login(http, base, "coord", PASSWORD)
            async with http.get(base + REPORT_URL) as resp:
                token = csrf_of(await resp.text())
            assert await set_target(http, base, "victims", PERIOD, 10, token) == 303
            assert await set_target(http, base, "victims", PERIOD, 10, "wrong") == 403
            assert await set_target(http, base, "no_such", PERIOD, 10, token) == 400
            assert await set_target(http, base, "victims", PERIOD, -1, token) == 400
            reversed_period = Period(PERIOD.last, PERIOD.first)
            assert await set_target(http, base, "victims", reversed_period, 1, token) == 400
            far = Period(date(9999, 12, 1), date(9999, 12, 31))  # a typo: would overflow
            assert await set_target(http, base, "victims", far, 1, token) == 400
            async with http.post(
                f"{base}/staff/reports/targets",
                data={"csrf": token, "indicator": "victims", "from": "", "to": "", "target": "1"},
            ) as resp:
                assert resp.status == 400 and "Неверная дата начала" in await resp.text()
            (target,) = await Targets(app.db).overlapping(PERIOD)
            remove = f"{base}/staff/reports/targets/{target.id}/remove"
            async with http.post(remove, data={"csrf": token}, allow_redirects=False) as resp:
                assert resp.status == 303
            assert await Targets(app.db).overlapping(PERIOD) == []
            async with http.post(remove, data={"csrf": token}, allow_redirects=False) as resp:
                assert resp.status == 404
        for user in ("spec", "cons"):
            async with jar() as http:
                await staff_login(http, base, user, PASSWORD)
                async with http.get(f"{base}/staff/") as resp:
                    token = csrf_of(await resp.text())
                assert await set_target(http, base, "victims", PERIOD, 10, token) == 403
    assert await Targets(app.db).overlapping(PERIOD) == []


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_the_grant_workbook_is_typed_and_complete(app: App, lang: str) -> None:
    await seed(app)
    want = await direct(app, PERIOD)
    targets = Targets(app.db)
    await targets.set("sessions_online", PERIOD.first, PERIOD.last, 150, "coord", datetime.now(UTC))
    await targets.set(
        "aggressors", OVERLAPPING.first, OVERLAPPING.last, 9, "coord", datetime.now(UTC)
    )
    q = f"from={PERIOD.first}&to={PERIOD.last}&kind=grant&lang={lang}"
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "coord", PASSWORD)
        async with http.get(f"{base}/staff/reports/export?{q}&format=xlsx") as resp:
            assert resp.status == 200
            book = load_workbook(io.BytesIO(await resp.read()))
        async with http.get(f"{base}/staff/reports/export?{q}&format=csv") as resp:
            rows = list(csv.reader(io.StringIO((await resp.read()).decode("utf-8-sig"))))
        async with http.get(base + REPORT_URL) as resp:
            page = await resp.text()
    plan_sheet = book.worksheets[0]
    head = ["Показатель", "План", "Факт", "%", "Комментарий", "Период с", "Период по"]
    if lang == "kk":
        head = ["Көрсеткіш", "Жоспар", "Нақты", "%", "Түсініктеме", "Кезең басы", "Кезең соңы"]
    names: dict[str, list[tuple[object, ...]]] = {}
    for sheet in book.worksheets:
        assert [c.value for c in sheet[1]] == head, sheet.title
        for row in sheet.iter_rows(min_row=2):
            name, plan, actual, share, comment, first, last = row
            assert isinstance(name.value, str) and isinstance(comment.value, str | None)
            for cell in (plan, actual, share):
                assert cell.value is None or _is_number(cell.value), (sheet.title, name.value)
            assert share.value is None or share.number_format == "0.0%"
            for cell in (first, last):  # real dates with a date format, never text
                assert isinstance(cell.value, datetime) and cell.is_date, (sheet.title, cell.value)
            if sheet is not plan_sheet:
                names.setdefault(name.value, []).append(tuple(c.value for c in row))
    # Every indicator of the list is in the report's tables, with its actual figure.
    for ind in INDICATORS:
        (row,) = [r for r in names[ind.name.get(lang)] if r[5] == datetime(2026, 11, 1)]
        assert row[2] == want[ind.code], ind.code
    online = INDICATORS[[i.code for i in INDICATORS].index("sessions_online")].name.get(lang)
    sessions_line = next(r for r in names[online] if r[1] == 150)
    assert sessions_line[3] == pytest.approx(want["sessions_online"] / 150)
    plan_lines = [tuple(c.value for c in r) for r in plan_sheet.iter_rows(min_row=2)]
    assert [(r[0], r[1], r[5].date(), r[6].date()) for r in plan_lines] == [
        (online, 150, PERIOD.first, PERIOD.last),
        (BY_CODE["aggressors"].name.get(lang), 9, OVERLAPPING.first, OVERLAPPING.last),
    ]
    # Danger levels in order of severity, not by count: in the workbook, the CSV and the page.
    levels = [d.get(lang) for d in DANGER_LEVELS.values()]
    heads = ("Опасность: ", "Қауіп: ")
    in_book = [str(n) for n in names if str(n).startswith(heads)]
    assert [n.split(": ")[1] for n in in_book] == levels
    assert [r[1].split(": ")[1] for r in rows[1:] if r[1].startswith(heads)] == levels
    table = page[page.index('data-chart="chart-danger"') :]
    shown = re.findall(r'<th scope="row">([^<]*)</th>', table[: table.index("</table>")])
    assert shown[:3] == [d.ru for d in DANGER_LEVELS.values()]


async def test_the_workbooks_distinct_people_per_month_cover_each_months_days(app: App) -> None:
    # Over two months the workbook gives the sum and one line per month; each month's line says
    # the days it covers (its part of the period), and the lines add up to the total.
    from reports.figures import Figures
    from reports.grant import grant_sheets

    await seed(app)
    period = Period(date(2026, 10, 27), date(2026, 11, 25))
    sheets = await grant_sheets(Figures(app.db), period, "ru")
    (people,) = [s for s in sheets if s.title == "Люди"]
    total, *lines = [ln for ln in people.lines if ln.name.startswith("Разные люди")]
    rows = await registry_rows(app.db, period, "new_in")
    assert total.actual == sum(r["new_in"] is not None for r in rows) > 0
    assert [(ln.first, ln.last) for ln in lines] == [
        (date(2026, 10, 27), date(2026, 10, 31)),
        (date(2026, 11, 1), date(2026, 11, 25)),
    ]
    assert sum(ln.actual or 0 for ln in lines) == total.actual


async def test_registry_and_summary_exports_keep_types_and_severity(app: App) -> None:
    await seed(app)
    want = await direct(app, PERIOD)
    now = datetime.now(UTC)
    await Targets(app.db).set("consultations", PERIOD.first, PERIOD.last, 50, "coord", now)
    q = f"from={PERIOD.first}&to={PERIOD.last}"
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "coord", PASSWORD)
        async with http.get(f"{base}/staff/reports/export?{q}&kind=registry&format=xlsx") as resp:
            book = load_workbook(io.BytesIO(await resp.read()))
        async with http.get(f"{base}/staff/reports/export?{q}&kind=summary&format=csv") as resp:
            summary = list(csv.reader(io.StringIO((await resp.read()).decode("utf-8-sig"))))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    helpful = header.index("Отзыв: Насколько помог разговор (1–5)")  # a rating, 1..5
    rows = list(sheet.iter_rows(min_row=2))
    assert rows
    for row in rows:
        assert isinstance(row[1].value, datetime) and row[1].is_date  # the Almaty date
        assert _is_number(row[0].value) and _is_number(row[2].value)  # row number, hour
        assert row[helpful].value is None or _is_number(row[helpful].value)
    assert any(_is_number(r[helpful].value) for r in rows)
    danger = [r[0].split(": ")[1] for r in summary if r[0].startswith("Опасность:")]
    assert danger == [d.ru for d in DANGER_LEVELS.values()]
    # The summary ends with plan, actual and % of the period's targets.
    head = "План и факт: Консультации линии 150 (01.11.2026–25.11.2026)"
    assert summary[-3:] == [
        [f"{head}: план", "50"],
        [f"{head}: факт", str(want["consultations"])],
        [f"{head}: %", str(round(want["consultations"] / 50 * 100, 1))],
    ]


def test_cli_writes_the_grant_workbook(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from bot.cli import main

    monkeypatch.setenv("QAMQOR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("QAMQOR_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    first = runner.invoke(main, ["demo-data", "--days", "10", "--seed", "5"])
    assert first.exit_code == 0, first.output
    today = datetime.now(ALMATY).date()
    out = tmp_path / "grant.xlsx"
    result = runner.invoke(
        main,
        ["report", "--from", str(today - timedelta(days=9)), "--to", str(today),
         "--format", "xlsx", "--kind", "grant", "--lang", "kk", "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames[0] == "Жоспар және нақты"
    contacts = next(
        r
        for s in book.worksheets
        for r in s.iter_rows(min_row=2)
        if r[0].value == "Онлайн өтініштер"
    )
    assert contacts[2].value == int(first.output.split()[1])


def test_0960_leaves_one_head() -> None:
    assert migration_heads() == {"0960"}


async def test_0960_adds_the_table_and_goes_back(db_url: str) -> None:
    db = Database(db_url)

    async def tables() -> set[str]:
        async with db.engine.connect() as conn:
            return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))

    try:
        await db.upgrade("0950")
        assert "report_targets" not in await tables()
        await db.upgrade()
        assert "report_targets" in await tables()
        await Targets(db).set("victims", PERIOD.first, PERIOD.last, 3, "coord", datetime.now(UTC))
        await _downgrade(db_url, "0950")
        assert "report_targets" not in await tables()
        await db.upgrade()
        assert await Targets(db).overlapping(PERIOD) == []
    finally:
        await db.dispose()
