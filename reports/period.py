"""A reporting period: whole days in Asia/Almaty, from one date to another inclusive."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from core.clock import ALMATY
from core.texts import Said

DEFAULT_DAYS = 30
MAX_DAYS = 3 * 366  # three years: enough for any grant period, bounded work per request


class PeriodError(Said, ValueError):
    """A period that cannot be reported (bad dates, reversed, too long): a
    `staff-period-*` text, said in the reader's language."""


@dataclass(frozen=True, slots=True)
class Period:
    first: date
    last: date  # inclusive

    @classmethod
    def last_days(cls, now: datetime, days: int = DEFAULT_DAYS) -> Period:
        """The `days` Almaty days up to and including today."""
        today = local_date(now)
        return cls(today - timedelta(days=days - 1), today)

    @classmethod
    def parse(cls, first: str | None, last: str | None, now: datetime) -> Period:
        """From YYYY-MM-DD strings; a missing end defaults to the last 30 days."""
        default = cls.last_days(now)
        start = _parse_date(first, "first") if first else None
        end = _parse_date(last, "last") if last else None
        if start is None and end is None:
            return default
        if start is None:
            assert end is not None
            start = end - timedelta(days=DEFAULT_DAYS - 1)
        if end is None:
            end = start + timedelta(days=DEFAULT_DAYS - 1)
        period = cls(start, end)
        period.check()
        return period

    def check(self) -> None:
        if self.first > self.last:
            raise PeriodError("staff-period-reversed")
        if self.days > MAX_DAYS:
            raise PeriodError("staff-period-too-long", days=str(MAX_DAYS))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start_utc(self) -> datetime:
        return datetime.combine(self.first, time(), ALMATY).astimezone(UTC)

    @property
    def end_utc(self) -> datetime:
        """The first instant after the period."""
        return datetime.combine(self.last + timedelta(days=1), time(), ALMATY).astimezone(UTC)

    def each_day(self) -> Iterator[date]:
        for n in range(self.days):
            yield self.first + timedelta(days=n)

    def months(self) -> list[Period]:
        """The calendar months the period touches, each clipped to the period."""
        out = []
        start = self.first
        while start <= self.last:
            next_month = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
            out.append(Period(start, min(self.last, next_month - timedelta(days=1))))
            start = next_month
        return out

    def __str__(self) -> str:
        return f"{self.first.isoformat()}…{self.last.isoformat()}"


def local_date(when: datetime) -> date:
    return when.astimezone(ALMATY).date()


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _parse_date(value: str, which: str) -> date:
    try:
        if len(value) > 10:
            raise ValueError
        parsed = date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError("staff-period-bad-date", which=which) from None
    if not 2000 <= parsed.year <= 2100:
        raise PeriodError("staff-period-out-of-range", which=which)
    return parsed
