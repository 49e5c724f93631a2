"""Free slots, computed from the schedule and the claims already made. Pure: no I/O.

Times are planned in Almaty local time (zoneinfo, tzdata) and handed out in UTC. Each
specialist's day is a grid from the start of each working window: a session, a break, a
session... A kind in `pair_kinds` needs two specialists free at the same start (the aggressor
programme by default), both able to take it, so both of its stream (booking/streams.py); where
coordinators fixed pairs for it, only a fixed pair whose two members are free.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from booking.schedule import Schedule
from core.clock import ALMATY

Busy = Mapping[int, Sequence[tuple[datetime, datetime]]]  # specialist → taken intervals (UTC)


@dataclass(frozen=True, slots=True)
class Slot:
    starts_at: datetime  # UTC
    ends_at: datetime
    specialists: tuple[int, ...]

    @property
    def local(self) -> datetime:
        return self.starts_at.astimezone(ALMATY)


def local_day(moment: datetime) -> date:
    return moment.astimezone(ALMATY).date()


def at_local(day: date, minutes: int) -> datetime:
    """A local wall-clock time on a day, in UTC."""
    return datetime.combine(day, time(0), ALMATY).astimezone(UTC) + timedelta(minutes=minutes)


def horizon(schedule: Schedule, now: datetime) -> list[date]:
    today = local_day(now)
    return [today + timedelta(days=i) for i in range(schedule.rules.horizon_days)]


def free_slots(
    schedule: Schedule, busy: Busy, *, kind: str, lang: str, mode: str, day: date, now: datetime
) -> list[Slot]:
    """Bookable slots on a local day, earliest first."""
    rules = schedule.rules
    if day not in horizon(schedule, now):
        return []
    length = timedelta(minutes=rules.session_minutes)
    step = rules.session_minutes + rules.break_minutes
    earliest = now + timedelta(minutes=rules.min_notice_minutes)
    free_at: dict[datetime, list[int]] = {}
    for spec in schedule.specialists:
        if not spec.takes(kind, lang, mode) or schedule.is_off(spec.id, day):
            continue
        taken = busy.get(spec.id, ())
        for window in schedule.windows_of(spec.id, day.weekday()):
            minute = window.start_min
            while minute + rules.session_minutes <= window.end_min:
                start = at_local(day, minute)
                end = start + length
                if start >= earliest and not any(s < end and start < e for s, e in taken):
                    free_at.setdefault(start, []).append(spec.id)
                minute += step
    need = 2 if kind in rules.pair_kinds else 1
    load = {sid: len(busy.get(sid, ())) for sid in (s.id for s in schedule.specialists)}
    fixed = _fixed_pairs(schedule, kind, lang, mode) if need == 2 else []
    slots = []
    for start in sorted(free_at):
        if fixed:
            chosen = _choose_fixed(fixed, free_at[start], load)
        else:
            chosen = _choose(schedule, free_at[start], need, load)
        if chosen:
            slots.append(Slot(start, start + length, chosen))
    return slots


def _choose(
    schedule: Schedule, free: list[int], need: int, load: Mapping[int, int]
) -> tuple[int, ...]:
    """The least busy specialists; a pair prefers a psychologist with a psychotherapist."""
    if len(free) < need:
        return ()
    ranked = sorted(free, key=lambda sid: (load.get(sid, 0), sid))
    if need == 1:
        return (ranked[0],)
    first = ranked[0]
    head = schedule.specialist(first)
    role = head.role if head else ""
    other = next(
        (sid for sid in ranked[1:] if (p := schedule.specialist(sid)) and p.role != role),
        ranked[1],
    )
    return tuple(sorted((first, other)))


def _fixed_pairs(schedule: Schedule, kind: str, lang: str, mode: str) -> list[tuple[int, int]]:
    """The fixed pairs that can hold this session (both members take it)."""
    out = []
    for a, b in schedule.rules.fixed_pairs:
        first, second = schedule.specialist(a), schedule.specialist(b)
        if first and second and first.takes(kind, lang, mode) and second.takes(kind, lang, mode):
            out.append((a, b))
    return out


def _choose_fixed(
    pairs: list[tuple[int, int]], free: list[int], load: Mapping[int, int]
) -> tuple[int, ...]:
    """The least busy fixed pair with both members free; none if only one of each is."""
    both = [p for p in pairs if p[0] in free and p[1] in free]
    if not both:
        return ()
    best = min(both, key=lambda p: (load.get(p[0], 0) + load.get(p[1], 0), p))
    return tuple(sorted(best))


def free_days(
    schedule: Schedule, busy: Busy, *, kind: str, lang: str, mode: str, now: datetime
) -> list[date]:
    return [
        day
        for day in horizon(schedule, now)
        if free_slots(schedule, busy, kind=kind, lang=lang, mode=mode, day=day, now=now)
    ]


def window_of_days(schedule: Schedule, now: datetime) -> tuple[datetime, datetime]:
    """The UTC interval that holds every slot of the horizon (to load the claims once)."""
    days = horizon(schedule, now)
    return at_local(days[0], 0), at_local(days[-1] + timedelta(days=1), 0)
