"""When consultants answer in the chat: "24/7" (line 150 is) or weekly hours in Almaty time.

Format of QAMQOR_HANDOFF_HOURS: "24/7", or "; "-separated rules "[days] HH:MM-HH:MM", days as
"mon-fri", "sat,sun", "mon" (no days: every day). A range may run past midnight
("20:00-08:00" belongs to the day it starts). Example: "mon-fri 09:00-21:00; sat-sun 10:00-18:00".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.clock import ALMATY

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RULE = re.compile(r"^(?:(?P<days>[a-z,\-]+)\s+)?(?P<start>\d{1,2}:\d{2})-(?P<end>\d{1,2}:\d{2})$")


class HoursError(ValueError):
    pass


@dataclass(frozen=True)
class _Rule:
    days: frozenset[int]
    start: time
    end: time  # may be <= start: the range ends the next day


def _parse_days(spec: str) -> frozenset[int]:
    out: set[int] = set()
    for part in spec.split(","):
        if "-" in part:
            a, _, b = part.partition("-")
            if a not in DAYS or b not in DAYS:
                raise HoursError(f"unknown day in {part!r}")
            i, j = DAYS.index(a), DAYS.index(b)
            out.update(range(i, j + 1) if i <= j else [*range(i, 7), *range(0, j + 1)])
        elif part in DAYS:
            out.add(DAYS.index(part))
        else:
            raise HoursError(f"unknown day {part!r}")
    return frozenset(out)


def _parse_time(text: str) -> time:
    hours, _, minutes = text.partition(":")
    try:
        return time(int(hours) % 24 if hours == "24" else int(hours), int(minutes))
    except ValueError as exc:
        raise HoursError(f"bad time {text!r}") from exc


@dataclass(frozen=True)
class WorkingHours:
    rules: tuple[_Rule, ...] = ()  # empty: always open
    tz: ZoneInfo = ALMATY

    @classmethod
    def parse(cls, spec: str | None) -> WorkingHours:
        spec = (spec or "").strip().lower()
        if spec in ("", "24/7", "always"):
            return cls()
        rules = []
        for chunk in filter(None, (c.strip() for c in spec.split(";"))):
            match = _RULE.match(re.sub(r"\s+", " ", chunk))
            if not match:
                raise HoursError(
                    f"cannot read working hours {chunk!r} (e.g. 'mon-fri 09:00-18:00')"
                )
            days = _parse_days(match["days"]) if match["days"] else frozenset(range(7))
            rules.append(_Rule(days, _parse_time(match["start"]), _parse_time(match["end"])))
        return cls(tuple(rules))

    @property
    def always(self) -> bool:
        return not self.rules

    def is_open(self, at: datetime) -> bool:
        if self.always:
            return True
        local = at.astimezone(self.tz)
        for rule in self.rules:
            for back in (0, 1):  # today's range, or yesterday's range running past midnight
                day = (local - timedelta(days=back)).date()
                if day.weekday() not in rule.days:
                    continue
                start = datetime.combine(day, rule.start, self.tz)
                end = datetime.combine(day, rule.end, self.tz)
                if end <= start:
                    end += timedelta(days=1)
                if start <= local < end:
                    return True
        return False

    def next_open(self, at: datetime) -> datetime:
        """The next moment consultants answer (`at` itself when open now)."""
        if self.is_open(at):
            return at
        local = at.astimezone(self.tz)
        best: datetime | None = None
        for offset in range(8):
            day = (local + timedelta(days=offset)).date()
            for rule in self.rules:
                if day.weekday() in rule.days:
                    start = datetime.combine(day, rule.start, self.tz)
                    if start > local and (best is None or start < best):
                        best = start
            if best is not None:
                break
        return (best or local).astimezone(at.tzinfo)

    def callback_slots(self, at: datetime, count: int = 4) -> list[datetime]:
        """Times to offer for a callback: from the next opening, on the hour, while open."""
        first = self.next_open(at + timedelta(minutes=30))
        local = first.astimezone(self.tz)
        if local.minute or local.second:
            local = local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        slots: list[datetime] = []
        probe = local if self.is_open(local) else self.next_open(local).astimezone(self.tz)
        for _ in range(count * 24):
            if len(slots) >= count:
                break
            if self.is_open(probe):
                slots.append(probe.astimezone(at.tzinfo))
                probe += timedelta(hours=1)
            else:
                probe = self.next_open(probe).astimezone(self.tz)
        return slots
