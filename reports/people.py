"""Who the contacts are (issue 19): distinct people, kinds of violence, sex, the registry's
referral source and how many declined the question about themselves. Counted in SQL (GROUP BY,
SQLite and PostgreSQL alike) from the anonymous registry; docs/reports.md defines each.

A module of its own beside reports/figures.py, so that the two grow without touching each
other.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.models import Contact
from reports.figures import Counts, counted, local_day
from reports.period import Period
from storage.db import Database

# Which `new_in` codes make a contact a person's first of the calendar unit: in a month, any
# code (NULL means they wrote earlier this month); in a quarter, not "month"; in a year, only
# "new" and "year".
FIRST_IN: dict[str, tuple[str, ...]] = {
    "month": ("new", "year", "quarter", "month"),
    "quarter": ("new", "year", "quarter"),
    "year": ("new", "year"),
}


def _no_counts() -> Counts:
    return []


@dataclass
class Distinct:
    """Distinct people of a period. `unit` says how `total` was counted: "year" or "quarter"
    when the period is exactly one calendar year or quarter, else "months" (the sum over the
    calendar months of the period: a person who wrote in two months counts twice)."""

    unit: str = "months"
    total: int = 0
    per_month: list[tuple[date, int]] = field(default_factory=list)  # first day, people


@dataclass
class People:
    distinct: Distinct = field(default_factory=Distinct)
    by_violence: Counts = field(default_factory=_no_counts)  # contacts per kind named
    by_sex: Counts = field(default_factory=_no_counts)
    by_referral: Counts = field(default_factory=_no_counts)  # contacts, as the registry has it
    asked: int = 0  # contacts in which the question about the person was shown
    answered: int = 0
    declined: int = 0

    @property
    def left(self) -> int:
        """Asked, and neither answered nor declined: the person just did not go on."""
        return self.asked - self.answered - self.declined

    @property
    def refusal_rate(self) -> float | None:
        return self.declined / self.asked if self.asked else None


def whole_unit(period: Period) -> str:
    """ "year" / "quarter" when the period is exactly one calendar year / quarter, else
    "months"."""
    first, last = period.first, period.last
    if first.day != 1 or first.month % 3 != 1:
        return "months"
    if last == date(first.year, 12, 31) and first.month == 1:
        return "year"
    after = (
        date(first.year + 1, 1, 1) if first.month == 10 else date(first.year, first.month + 3, 1)
    )
    return "quarter" if last == after - timedelta(days=1) else "months"


async def people(db: Database, period: Period) -> People:
    within = counted(period)
    async with db.session() as s:
        distinct = await _distinct(s, db.dialect, period, within)
        kinds = Counter[str]()
        for combo, n in await _group(
            s, and_(within, Contact.violence.is_not(None)), Contact.violence
        ):
            for kind in (combo or "").split(","):
                if kind:
                    kinds[kind] += n
        c = Contact
        asked = await _group(s, and_(within, c.demographics.is_not(None)), c.demographics)
        by_code = dict(asked)
        return People(
            distinct=distinct,
            by_violence=sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])),
            by_sex=await _group(s, and_(within, c.sex.is_not(None)), c.sex),
            by_referral=await _group(s, within, c.referral),
            asked=sum(by_code.values()),
            answered=by_code.get("answered", 0),
            declined=by_code.get("declined", 0),
        )


async def _distinct(
    s: AsyncSession, dialect: str, period: Period, within: ColumnElement[bool]
) -> Distinct:
    month = func.substr(local_day(dialect, period), 1, 7).label("month")
    rows = (
        await s.execute(
            select(month, Contact.new_in, func.count())
            .where(within, Contact.new_in.is_not(None))
            .group_by(month, Contact.new_in)
        )
    ).all()
    per_month: Counter[str] = Counter()
    per_code: Counter[str] = Counter()
    for m, code, n in rows:
        per_month[str(m)] += int(n)
        per_code[str(code)] += int(n)
    months = [m.first.replace(day=1) for m in period.months()]
    listed = [(m, per_month.get(m.isoformat()[:7], 0)) for m in months]
    unit = whole_unit(period)
    if unit == "months":
        total = sum(n for _, n in listed)
    else:
        total = sum(per_code[code] for code in FIRST_IN[unit])
    return Distinct(unit=unit, total=total, per_month=listed)


async def _group(s: AsyncSession, within: ColumnElement[bool], column: Any) -> Counts:
    rows = (await s.execute(select(column, func.count()).where(within).group_by(column))).all()
    # Largest first; "not given" (NULL) last, whatever its size.
    return sorted(
        ((r[0], int(r[1])) for r in rows), key=lambda kv: (kv[0] is None, -kv[1], kv[0] or "")
    )
