"""Reports: the page's figures against a direct count in the database, exports, access, demo."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from aiohttp import ClientSession, CookieJar
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import text

from bot.app import App
from bot.settings import Settings
from core.clock import ALMATY, FrozenClock
from registry.models import Contact
from reports.demo import DemoRefused, fill, generate
from reports.figures import Figures, percentile
from reports.period import Period, PeriodError
from reports.tables import registry_table, summary_table
from tests.conftest import TEST_KEY
from tests.registry_rows import registry_rows
from tests.web_helpers import serve, staff_login

PASSWORD = "correct horse battery"
NOW = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)  # 26 Nov, 01:00 in Almaty


@pytest.fixture
async def app(db_url: str, tmp_path, clock: FrozenClock) -> AsyncIterator[App]:  # type: ignore[no-untyped-def]
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        secret_key=TEST_KEY,  # type: ignore[arg-type]
        database_url=db_url,
        public_url="http://127.0.0.1",
    )
    application = await App.create(settings, clock=clock)
    for name, role in [
        ("coord", "coordinator"),
        ("spec", "specialist"),
        ("cons", "consultant"),
        ("root", "admin"),
    ]:
        await application.staff.add_user(name, PASSWORD, [role], clock.now())
    yield application
    await application.close()


def jar() -> ClientSession:
    return ClientSession(cookie_jar=CookieJar(unsafe=True))


def edge_contacts(period: Period) -> list[Contact]:
    """Contacts on the period's edges (Almaty midnight) and a console test that never counts."""

    def c(at: datetime, channel: str = "telegram") -> Contact:
        return Contact(
            started_at=at, last_at=at, channel=channel, lang="kk", role="witness", topics="help"
        )

    return [
        c(period.start_utc - timedelta(seconds=1)),  # 23:59:59 the day before: out
        c(period.start_utc),  # 00:00 of the first day: in
        c(period.end_utc - timedelta(seconds=1)),  # 23:59:59 of the last day: in
        c(period.end_utc),  # the next day: out
        c(period.start_utc + timedelta(hours=5), channel="console"),  # a test chat: out
    ]


async def seed(app: App, period: Period) -> None:
    await fill(app.db, days=35, seed=7, now=NOW)
    async with app.db.session() as s, s.begin():
        s.add_all(edge_contacts(period))


async def direct_counts(app: App, period: Period) -> dict[str, object]:
    """Counted the plain way: every row read with SQL, filtered and grouped here."""
    inside = await registry_rows(
        app.db,
        period,
        "lang, role, urgent, handed_off, claim_seconds, unclaimed, booked, attended, "
        "in_person, feedback",
    )
    waits = sorted(r["claim_seconds"] for r in inside if r["claim_seconds"] is not None)
    return {
        "contacts": len(inside),
        "urgent": sum(bool(r["urgent"]) for r in inside),
        "handed_off": sum(bool(r["handed_off"]) for r in inside),
        "consultations": len(waits),
        "unclaimed": sum(bool(r["unclaimed"]) for r in inside),
        "booked": sum(bool(r["booked"]) for r in inside),
        "attended": sum(bool(r["booked"]) and r["attended"] in (True, 1) for r in inside),
        "attended_in_person": sum(
            bool(r["booked"]) and r["attended"] in (True, 1) and r["in_person"] in (True, 1)
            for r in inside
        ),
        "feedback": sum(r["feedback"] is not None for r in inside),
        "daily": Counter(r["day"] for r in inside),
        "roles": Counter(r["role"] for r in inside),
        "waits": waits,
    }


def figure(html: str, key: str) -> str:
    match = re.search(rf'data-figure="{key}">([^<]*)<', html)
    assert match, key
    return match.group(1).replace("\u202f", "")


def chart_values(html: str, chart_id: str, element: str = "rect") -> list[int]:
    svg = html[html.index(f'id="{chart_id}"') :]
    svg = svg[: svg.index("</svg>")]
    return [
        int(v)
        for v in re.findall(rf'<{element} class="(?:bar|point)[^"]*"[^>]*data-value="(\d+)"', svg)
    ]


async def test_page_figures_match_a_direct_count(app: App, clock: FrozenClock) -> None:
    period = Period(date(2026, 10, 27), date(2026, 11, 25))
    await seed(app, period)
    want = await direct_counts(app, period)
    assert want["contacts"] > 500  # a month of demo data is there
    async with serve(app) as base, jar() as http:
        assert await staff_login(http, base, "coord", PASSWORD) == 303
        async with http.get(f"{base}/staff/reports?from=2026-10-27&to=2026-11-25") as resp:
            assert resp.status == 200
            html = await resp.text()
    for key in (
        "contacts",
        "urgent",
        "handed_off",
        "consultations",
        "unclaimed",
        "booked",
        "attended",
        "attended_in_person",
        "feedback",
    ):
        assert int(figure(html, key)) == want[key], key
    daily = want["daily"]
    assert isinstance(daily, Counter)
    assert chart_values(html, "chart-daily") == [daily[d] for d in period.each_day()]
    assert sum(chart_values(html, "chart-role")) == want["contacts"]
    report = await Figures(app.db).report(period)
    waits = want["waits"]
    assert isinstance(waits, list)
    assert report.waits == waits and report.wait_p90 == percentile(waits, 90)


async def test_the_default_period_is_the_last_30_almaty_days(app: App) -> None:
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "coord", PASSWORD)
        async with http.get(f"{base}/staff/reports") as resp:
            html = await resp.text()
    # 20:00 UTC on 25 Nov is 01:00 on 26 Nov in Almaty.
    assert 'name="from" value="2026-10-28"' in html and 'name="to" value="2026-11-26"' in html
    assert len(chart_values(html, "chart-daily")) == 30


async def test_only_coordinators_and_admins_see_reports(app: App) -> None:
    async with serve(app) as base:
        for user, status in [("spec", 403), ("cons", 403), ("coord", 200), ("root", 200)]:
            async with jar() as http:
                await staff_login(http, base, user, PASSWORD)
                for path in ("/staff/reports", "/staff/reports/export?kind=summary&format=csv"):
                    async with http.get(base + path) as resp:
                        assert resp.status == status, (user, path)
        async with jar() as http, http.get(f"{base}/staff/reports", allow_redirects=False) as resp:
            assert resp.status == 302  # not logged in: to the login page


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-11-30&to=2026-11-01",
        "from=yesterday",
        "from=2026-02-30",
        "from=" + "9" * 5000,
        "from=2001-01-01&to=2026-01-01",
    ],
)
async def test_bad_periods_get_a_clear_error(app: App, query: str) -> None:
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "coord", PASSWORD)
        async with http.get(f"{base}/staff/reports?{query}") as resp:
            assert resp.status == 400 and 'class="error"' in await resp.text()
        async with http.get(f"{base}/staff/reports/export?kind=summary&format=csv&{query}") as resp:
            assert resp.status == 400


async def test_exports_agree_with_the_page(app: App) -> None:
    period = Period(date(2026, 10, 27), date(2026, 11, 25))
    await seed(app, period)
    want = await direct_counts(app, period)
    q = "from=2026-10-27&to=2026-11-25"
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "coord", PASSWORD)
        async with http.get(f"{base}/staff/reports/export?{q}&kind=registry&format=csv") as resp:
            assert resp.status == 200
            assert "attachment" in resp.headers["Content-Disposition"]
            body = await resp.read()
        async with http.get(
            f"{base}/staff/reports/export?{q}&kind=summary&format=xlsx&lang=kk"
        ) as resp:
            book = load_workbook(io.BytesIO(await resp.read()))
        async with http.get(f"{base}/staff/reports/export?kind=pdf&format=csv") as resp:
            assert resp.status == 400
        async with http.get(f"{base}/staff/audit", allow_redirects=False) as resp:
            assert resp.status == 403  # coordinators do not read the audit log...
    async with app.db.engine.connect() as conn:  # ...but their exports are in it
        actions = (await conn.execute(text("SELECT action, subject FROM audit_log"))).all()
    assert ("report-export", "registry csv ru 2026-10-27…2026-11-25") in [tuple(a) for a in actions]
    assert body.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Cyrillic right
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["№", "Дата", "Час (Алматы)"]
    assert len(rows) - 1 == want["contacts"]
    assert Counter(r[1] for r in rows[1:]) == {
        d.isoformat(): n
        for d, n in want["daily"].items()  # type: ignore[attr-defined]
    }
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[0] == "Көрсеткіш" and header[-1] == "Бүкіл кезең"
    by_label = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    total = by_label["Онлайн өтініштер (байланыстар), барлығы"]
    assert total[-1].value == want["contacts"]
    assert sum(c.value for c in total[1:-1]) == want["contacts"]  # the months add up
    assert by_label["Шұғыл өтініштер"][-1].value == want["urgent"]


async def test_registry_export_holds_no_free_text(app: App) -> None:
    period = Period(date(2026, 10, 27), date(2026, 11, 25))
    await seed(app, period)
    figures = Figures(app.db)
    from registry import vocabulary as v
    from reports.tables import IN_PERSON, ONLINE

    for lang in ("ru", "kk"):
        labels = {
            lab.get(lang)
            for vocab in (
                v.CHANNELS,
                v.LANGS,
                v.ROLES,
                v.DANGER_LEVELS,
                v.HANDOFF_OUTCOMES,
                v.FEEDBACK_ANSWERS,
                v.AGE_BANDS,
                v.REFERRALS,
                v.SEXES,
                v.DEMOGRAPHICS,
                v.NEW_IN,
            )
            for lab in vocab.values()
        } | {r.label.get(lang) for r in v.REGIONS.values()}
        labels |= {x.get(lang) for x in (v.YES, v.NO, v.NOT_GIVEN, IN_PERSON, ONLINE)}
        topics = sorted((t.get(lang) for t in v.TOPICS.values()), key=len, reverse=True)
        kinds = sorted((k.get(lang) for k in v.VIOLENCE.values()), key=len, reverse=True)
        table = await registry_table(figures, period, lang)
        listed = {7: topics, 19: kinds}  # columns of codes joined with commas
        for row in table.rows:
            for n, cell in enumerate(row):
                if (
                    not isinstance(cell, str)
                    or cell == ""
                    or re.fullmatch(r"\d{4}-\d\d-\d\d", cell)
                ):
                    continue
                if n in listed:
                    for t in listed[n]:
                        cell = cell.replace(t, "")
                    assert cell.replace(",", "").strip() == "", row
                else:
                    assert cell in labels or cell.isdigit(), cell
    summary = await summary_table(figures, Period(date(2026, 11, 1), date(2026, 11, 25)), "ru")
    assert summary.headers == ["Показатель", "ноябрь 2026 (01.11–25.11)"]


def test_periods_are_almaty_days() -> None:
    p = Period.last_days(NOW)
    assert (p.first, p.last) == (date(2026, 10, 28), date(2026, 11, 26))
    assert p.start_utc == datetime(2026, 10, 27, 19, 0, tzinfo=UTC)
    assert p.end_utc == datetime(2026, 11, 26, 19, 0, tzinfo=UTC)
    assert [(m.first, m.last) for m in p.months()] == [
        (date(2026, 10, 28), date(2026, 10, 31)),
        (date(2026, 11, 1), date(2026, 11, 26)),
    ]
    assert Period.parse("2026-11-01", None, NOW).last == date(2026, 11, 30)
    for bad in [("2026-11-02", "2026-11-01"), ("nonsense", None), ("1999-01-01", "1999-02-01")]:
        with pytest.raises(PeriodError):
            Period.parse(*bad, NOW)


def test_percentiles() -> None:
    waits = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert percentile(waits, 90) == 90 and percentile(waits, 50) == 50
    assert percentile([7], 90) == 7 and percentile([], 90) is None


async def test_demo_data_is_plausible_deterministic_and_refuses_real_data(app: App) -> None:
    a = [(c.started_at, c.role, c.claim_seconds) for c in generate(days=30, seed=3, now=NOW)]
    b = [(c.started_at, c.role, c.claim_seconds) for c in generate(days=30, seed=3, now=NOW)]
    assert a == b and a != [
        (c.started_at, c.role, c.claim_seconds) for c in generate(days=30, seed=4, now=NOW)
    ]
    rows = generate(days=30, seed=3, now=NOW)
    roles = Counter(c.role for c in rows)
    assert roles["victim"] > roles["witness"] > 0 and roles["victim"] > roles["aggressor"] > 0
    assert 0.10 <= sum(c.urgent for c in rows) / len(rows) <= 0.20
    assert 0.3 <= sum(c.lang == "kk" for c in rows) / len(rows) <= 0.5
    assert max(c.started_at for c in rows) <= NOW
    added = await fill(app.db, days=30, seed=3, now=NOW)
    assert added == len(rows)
    with pytest.raises(DemoRefused):
        await fill(app.db, days=30, seed=3, now=NOW)
    assert await fill(app.db, days=2, seed=3, now=NOW, force=True) > 0


def test_cli_demo_data_and_report(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from bot.cli import main

    db = tmp_path / "cli.db"
    monkeypatch.setenv("QAMQOR_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("QAMQOR_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    first = runner.invoke(main, ["demo-data", "--days", "10", "--seed", "5"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(main, ["demo-data"])
    assert again.exit_code != 0 and "already has" in again.output
    today = datetime.now(ALMATY).date()
    out = tmp_path / "summary.xlsx"
    result = runner.invoke(
        main,
        ["report", "--from", str(today - timedelta(days=9)), "--to", str(today),
         "--format", "xlsx", "--kind", "summary", "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    total = next(r for r in sheet.iter_rows(min_row=2) if r[0].value.startswith("Обращения"))
    added = int(first.output.split()[1])
    assert total[-1].value == added
    csv_out = runner.invoke(main, ["report", "--kind", "registry", "--lang", "kk"])
    assert csv_out.exit_code == 0 and csv_out.output.lstrip("\ufeff").startswith("№,Күні")
    bad = runner.invoke(main, ["report", "--from", "2026-13-01"])
    assert bad.exit_code == 2
