"""Plan against actual: the grant report's indicators, their targets and the actual figures.

An indicator is one line of INDICATORS: a code (stored with the target), its name in ru and
kk, and how its actual figure is read from a `Report`. A new indicator is one line here.

A target covers its own period. A report shows the targets whose period overlaps its own, and
counts each target's actual over the **target's** period, so that plan and actual always cover
the same days (docs/reports.md, "Plan against actual")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select

from core.texts import Said
from registry.vocabulary import Label
from reports import fmt
from reports.figures import Counts, Figures, Report
from reports.models import ReportTarget
from reports.period import Period, PeriodError
from storage.db import Database

MAX_TARGET = 10_000_000


def _of(counts: Counts, code: str) -> int:
    return sum(n for c, n in counts if c == code)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Label
    actual: Callable[[Report], int]


L = Label
INDICATORS: tuple[Indicator, ...] = (
    Indicator("contacts", L("Обращения онлайн", "Онлайн өтініштер"), lambda r: r.totals.contacts),
    Indicator(
        "consultations",
        L("Консультации линии 150", "150 желісінің кеңестері"),
        lambda r: r.totals.consultations,
    ),
    Indicator(
        "sessions_in_person",
        L("Сессии очно (пришли)", "Бетпе-бет сессиялар (келді)"),
        lambda r: r.totals.attended_in_person,
    ),
    Indicator(
        "sessions_online",
        L("Сессии онлайн (пришли)", "Онлайн сессиялар (келді)"),
        lambda r: r.totals.attended_online,
    ),
    Indicator(
        "questionnaires",
        L("Анкеты обратной связи", "Кері байланыс сауалнамалары"),
        lambda r: r.totals.feedback,
    ),
    # reports/people.py: one a year or a quarter when the period is exactly one, else the sum
    # over its calendar months (docs/reports.md, "Distinct people").
    Indicator(
        "people",
        L("Разные люди (прямые благополучатели)", "Әр түрлі адамдар (тікелей алушылар)"),
        lambda r: r.people.distinct.total,
    ),
    Indicator("victims", L("Пострадавшие", "Зардап шеккендер"), lambda r: _of(r.by_role, "victim")),
    Indicator(
        "witnesses",
        L("Свидетели, близкие", "Куәгерлер, жақындар"),
        lambda r: _of(r.by_role, "witness"),
    ),
    Indicator(
        "aggressors",
        L("Применяющие насилие", "Зорлық көрсетушілер"),
        lambda r: _of(r.by_role, "aggressor"),
    ),
    Indicator("urgent", L("Срочные обращения", "Шұғыл өтініштер"), lambda r: r.totals.urgent),
    Indicator(
        "programme_people",
        L("Программа: впервые записались", "Бағдарлама: алғаш рет жазылғандар"),
        lambda r: r.programme.people,
    ),
    Indicator(
        "programme_enrolled",
        L("Программа: приняты на курс", "Бағдарлама: курсқа қабылданды"),
        lambda r: r.programme.enrolled,
    ),
    Indicator(
        "programme_completed",
        L("Программа: завершили курс", "Бағдарлама: курсты аяқтады"),
        lambda r: r.programme.completed,
    ),
)
BY_CODE = {i.code: i for i in INDICATORS}


class TargetError(Said, ValueError):
    """A target that cannot be set: a `staff-reports-target-*` text."""


@dataclass(frozen=True)
class Target:
    id: int
    indicator: Indicator
    period: Period
    target: int
    set_by: str
    set_at: datetime


@dataclass(frozen=True)
class PlanRow:
    target: Target
    actual: int

    @property
    def share(self) -> float | None:
        """actual / plan (1.0 = the plan met); none for a plan of 0."""
        return self.actual / self.target.target if self.target.target else None


def _target(row: ReportTarget) -> Target | None:
    found = BY_CODE.get(row.indicator)
    if found is None:  # an indicator since removed from the list: not shown
        return None
    period = Period(row.first_day, row.last_day)
    return Target(row.id, found, period, row.target, row.set_by, row.set_at)


def check(indicator: str, first: date, last: date, target: int) -> Period:
    if indicator not in BY_CODE:
        raise TargetError("staff-reports-target-bad-indicator")
    if not 0 <= target <= MAX_TARGET:
        raise TargetError("staff-reports-target-bad-number", most=fmt.number(MAX_TARGET))
    for which, day in (("first", first), ("last", last)):
        if not 2000 <= day.year <= 2100:  # as Period.parse: a typo, not a grant period
            raise PeriodError("staff-period-out-of-range", which=which)
    period = Period(first, last)
    period.check()  # PeriodError: reversed or longer than three years
    return period


class Targets:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def set(
        self, indicator: str, first: date, last: date, target: int, by: str, now: datetime
    ) -> None:
        """Set (or change) the target of an indicator over a period."""
        period = check(indicator, first, last, target)
        async with self.db.session() as s, s.begin():
            row = (
                await s.execute(
                    select(ReportTarget).where(
                        ReportTarget.indicator == indicator,
                        ReportTarget.first_day == period.first,
                        ReportTarget.last_day == period.last,
                    )
                )
            ).scalar_one_or_none()
            if row is None:
                row = ReportTarget(indicator=indicator, first_day=period.first)
                row.last_day = period.last
                s.add(row)
            row.target, row.set_by, row.set_at = target, by, now

    async def remove(self, target_id: int) -> bool:
        async with self.db.session() as s, s.begin():
            done = await s.execute(delete(ReportTarget).where(ReportTarget.id == target_id))
        return bool(getattr(done, "rowcount", 0))

    async def overlapping(self, period: Period) -> list[Target]:
        """Targets whose period shares at least one day with `period`, in INDICATORS order."""
        async with self.db.session() as s:
            rows = (
                await s.execute(
                    select(ReportTarget).where(
                        ReportTarget.first_day <= period.last,
                        ReportTarget.last_day >= period.first,
                    )
                )
            ).scalars()
            found = [t for t in map(_target, rows) if t is not None]
        order = {code: n for n, code in enumerate(BY_CODE)}
        return sorted(found, key=lambda t: (order[t.indicator.code], t.period.first, t.period.last))


async def plan_rows(figures: Figures, report: Report, targets: list[Target]) -> list[PlanRow]:
    """Each target against its actual, counted over the target's own period."""
    reports = {report.period: report}
    out = []
    for t in targets:
        if t.period not in reports:
            reports[t.period] = await figures.report(t.period)
        out.append(PlanRow(t, t.indicator.actual(reports[t.period])))
    return out


__all__ = ["INDICATORS", "PeriodError", "PlanRow", "Target", "TargetError", "Targets", "plan_rows"]
