"""Issue 19's figures (reports/people.py) against a plain count of the rows, on SQLite and
PostgreSQL; and the page's section."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from core.clock import ALMATY, FrozenClock
from registry.models import Contact
from reports.people import FIRST_IN, People, people, whole_unit
from reports.period import Period
from storage.db import Database
from tests.registry_rows import registry_rows

KINDS = ("physical", "psychological", "economic", "sexual", "control")


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    await database.upgrade()
    yield database
    await database.dispose()


def generated(n: int, seed: int = 19) -> list[Contact]:
    """Contacts over 2026 and the first days of 2027, with every new column, the Almaty
    midnight edges of months and quarters, and console tests that never count."""
    rnd = random.Random(seed)
    start = datetime(2025, 12, 31, 19, 0, tzinfo=UTC)  # 1 Jan 2026, 00:00 in Almaty
    rows = []
    for i in range(n):
        at = start + timedelta(minutes=rnd.randrange(0, 60 * 24 * 375))
        if i % 50 == 0:  # on a month's edge, to the second
            edge = datetime(2026, rnd.randrange(1, 13), 1, tzinfo=ALMATY).astimezone(UTC)
            at = edge - timedelta(seconds=rnd.choice((1, 0)))
        kinds = rnd.sample(KINDS, rnd.randrange(0, 3))
        rows.append(
            Contact(
                started_at=at,
                last_at=at,
                channel=rnd.choice(("telegram", "whatsapp", "telegram", "console")),
                lang="ru",
                role=rnd.choice(("victim", "witness", "aggressor", "unknown")),
                topics="",
                region=rnd.choice((None, "almaty_city", "turkistan", "abroad")),
                referral=rnd.choice((None, None, "self", "line150", "police")),
                violence=",".join(sorted(kinds)) or None,
                sex=rnd.choice((None, None, "female", "male", "declined")),
                demographics=rnd.choice((None, None, "asked", "answered", "declined")),
                new_in=rnd.choice((None, None, "new", "year", "quarter", "month")),
            )
        )
    return rows


async def plain_rows(db: Database, period: Period) -> list[dict[str, object]]:
    return await registry_rows(db, period, "referral, violence, sex, demographics, new_in")


def expected(rows: list[dict[str, object]], period: Period) -> People:
    kinds: Counter[str] = Counter()
    for r in rows:
        kinds.update(str(r["violence"]).split(",") if r["violence"] else [])
    months: Counter[date] = Counter()
    for r in rows:
        if r["new_in"] is not None:
            day = r["day"]
            assert isinstance(day, date)
            months[day.replace(day=1)] += 1
    unit = whole_unit(period)
    if unit == "months":
        total = sum(months.values())
    else:
        total = sum(r["new_in"] in FIRST_IN[unit] for r in rows)
    result = People()
    result.distinct.unit, result.distinct.total = unit, total
    result.distinct.per_month = [(m.first.replace(day=1), 0) for m in period.months()]
    result.distinct.per_month = [(m, months[m]) for m, _ in result.distinct.per_month]
    result.by_violence = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
    result.asked = sum(r["demographics"] is not None for r in rows)
    result.answered = sum(r["demographics"] == "answered" for r in rows)
    result.declined = sum(r["demographics"] == "declined" for r in rows)
    return result


def counts(rows: list[dict[str, object]], column: str, *, keep_null: bool) -> dict[object, int]:
    return dict(Counter(r[column] for r in rows if keep_null or r[column] is not None))


@pytest.mark.parametrize(
    ("first", "last", "unit"),
    [
        (date(2026, 1, 1), date(2026, 12, 31), "year"),
        (date(2026, 10, 1), date(2026, 12, 31), "quarter"),
        (date(2026, 2, 1), date(2026, 2, 28), "months"),  # one whole month
        (date(2026, 3, 17), date(2026, 5, 9), "months"),  # partial months
        (date(2026, 12, 1), date(2027, 1, 5), "months"),  # across the new year
    ],
)
async def test_the_figures_equal_a_plain_count(
    db: Database, first: date, last: date, unit: str
) -> None:
    async with db.session() as s, s.begin():
        s.add_all(generated(1200))
    period = Period(first, last)
    assert whole_unit(period) == unit
    got = await people(db, period)
    rows = await plain_rows(db, period)
    want = expected(rows, period)
    assert got.distinct == want.distinct and got.distinct.total > 0
    assert got.by_violence == want.by_violence
    assert dict(got.by_sex) == counts(rows, "sex", keep_null=False)
    assert dict(got.by_referral) == counts(rows, "referral", keep_null=True)
    assert (got.asked, got.answered, got.declined) == (want.asked, want.answered, want.declined)
    assert got.refusal_rate == pytest.approx(want.declined / want.asked)


async def test_a_person_counts_once_a_month_once_a_quarter_and_once_a_year(
    db: Database,
) -> None:
    """The rule itself: one person's contacts, as the pipeline marks them (registry.service
    new_in), give one person per unit; a person erased and writing again counts as new."""
    from registry.service import new_in

    def at(y: int, m: int, d: int) -> datetime:
        return datetime(y, m, d, 12, tzinfo=ALMATY).astimezone(UTC)

    visits = [at(2026, 1, 5), at(2026, 1, 20), at(2026, 2, 3), at(2026, 5, 1), at(2026, 5, 2)]
    previous = None
    async with db.session() as s, s.begin():
        for when in visits:
            s.add(
                Contact(
                    started_at=when,
                    last_at=when,
                    channel="telegram",
                    lang="kk",
                    role="victim",
                    topics="",
                    new_in=new_in(previous, when),
                )
            )
            previous = when
    year = await people(db, Period(date(2026, 1, 1), date(2026, 12, 31)))
    assert (year.distinct.unit, year.distinct.total) == ("year", 1)
    assert [n for _, n in year.distinct.per_month][:6] == [1, 1, 0, 0, 1, 0]
    q1 = await people(db, Period(date(2026, 1, 1), date(2026, 3, 31)))
    q2 = await people(db, Period(date(2026, 4, 1), date(2026, 6, 30)))
    assert (q1.distinct.total, q2.distinct.total) == (1, 1)
    months = await people(db, Period(date(2026, 1, 1), date(2026, 2, 28)))
    assert (months.distinct.unit, months.distinct.total) == ("months", 2)


async def test_the_page_shows_the_section_and_its_definitions(
    db_url: str, tmp_path: Path, clock: FrozenClock
) -> None:
    from bot.app import App
    from bot.settings import Settings
    from tests.conftest import TEST_KEY
    from tests.test_reports import PASSWORD, chart_values, jar
    from tests.web_helpers import serve, staff_login

    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        secret_key=TEST_KEY,  # type: ignore[arg-type]
        database_url=db_url,
        public_url="http://127.0.0.1",
    )
    app = await App.create(settings, clock=clock)
    try:
        await app.staff.add_user("coord", PASSWORD, ["coordinator"], clock.now())
        async with app.db.session() as s, s.begin():
            s.add_all(generated(400))
        period = Period(date(2026, 10, 1), date(2026, 12, 31))
        want = await people(app.db, period)
        async with serve(app) as base, jar() as http:
            assert await staff_login(http, base, "coord", PASSWORD) == 303
            for lang in ("ru", "kk"):
                async with http.get(
                    f"{base}/staff/reports?from=2026-10-01&to=2026-12-31&lang={lang}"
                ) as resp:
                    html = await resp.text()
                assert chart_values(html, "chart-distinct") == [
                    n for _, n in want.distinct.per_month
                ]
                assert chart_values(html, "chart-violence") == [n for _, n in want.by_violence]
                assert chart_values(html, "chart-demographics") == [
                    want.answered,
                    want.declined,
                    want.left,
                ]
                for anchor in ("def-distinct", "def-violence", "def-sex", "def-demographics"):
                    assert re.search(rf'id="{anchor}"', html), anchor
    finally:
        await app.close()
