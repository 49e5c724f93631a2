"""The family service's schedule as data: specialists, weekly hours, days off, service rules.

It lives in the database, where staff edit it (staffweb/bookings.py); booking/data/schedule.yaml
seeds an empty database once. Everything here is validated the same way whether it comes from
the YAML file or from a staff form.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from booking.models import ScheduleException, ServiceSetting, Specialist, WeeklyHours
from booking.streams import STREAMS, may_take, stream_for_kinds
from core.texts import Said
from storage.db import Database

SEED_FILE = Path(__file__).with_name("data") / "schedule.yaml"
KINDS = ("self", "stop", "family", "parent")
MODES = ("office", "online")
LANGS = ("ru", "kk")
ROLES = ("psychologist", "psychotherapist")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SEEDED = "_seeded"  # a settings row: its primary key makes seeding happen once
_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class ScheduleError(Said, ValueError):
    """Invalid schedule data: a `staff-schedule-*` text says what, shown to staff in their
    language."""


@dataclass(frozen=True, slots=True)
class Rules:
    session_minutes: int = 60
    break_minutes: int = 15
    horizon_days: int = 14
    min_notice_minutes: int = 120
    max_active_per_person: int = 2
    # The aggressor programme is held in pairs (a psychologist with a psychotherapist).
    pair_kinds: frozenset[str] = frozenset({"family", "stop"})
    # Pairs fixed by coordinators (specialist ids): where a pair kind has fixed pairs among
    # the specialists who take it, only those pairs are offered (a programme's two workers
    # stay together through a course); otherwise any two free ones are paired.
    fixed_pairs: tuple[tuple[int, int], ...] = ()
    office_address: Mapping[str, str] = field(default_factory=dict)
    online_policy: Mapping[str, str] = field(default_factory=dict)
    # The correctional course's defaults (booking/course.py); each course may override the
    # first two at enrolment.
    course_sessions: int = 12
    course_every_days: int = 7
    follow_up_months: int = 6

    def text(self, name: str, lang: str) -> str:
        texts: Mapping[str, str] = getattr(self, name)
        return texts.get(lang) or texts.get("ru") or ""


# Bounds of the numeric rules (staff forms and the YAML are checked against them).
LIMITS: Mapping[str, tuple[int, int]] = {
    "session_minutes": (20, 240),
    "break_minutes": (0, 120),
    "horizon_days": (1, 60),
    "min_notice_minutes": (0, 7 * 24 * 60),
    "max_active_per_person": (1, 10),
}
# The course's rules live apart from LIMITS: the rules form saves them only when sent, so an
# older form (or test) that lacks them keeps the stored values.
COURSE_LIMITS: Mapping[str, tuple[int, int]] = {
    "course_sessions": (1, 52),
    "course_every_days": (1, 31),
    "follow_up_months": (1, 24),
}


@dataclass(frozen=True, slots=True)
class SpecialistInfo:
    id: int
    name: str
    role: str
    langs: frozenset[str]
    kinds: frozenset[str]
    modes: frozenset[str]
    active: bool = True
    staff_username: str | None = None
    stream: str = "victims"

    def takes(self, kind: str, lang: str, mode: str) -> bool:
        # The stream is checked here as well as when kinds are saved: a row written before
        # streams existed, or edited by hand, still never crosses the wall.
        return (
            self.active
            and kind in self.kinds
            and may_take(self.stream, kind)
            and lang in self.langs
            and mode in self.modes
        )


@dataclass(frozen=True, slots=True)
class Window:
    id: int
    specialist_id: int
    weekday: int
    start_min: int
    end_min: int

    @property
    def label(self) -> str:
        return f"{_hhmm(self.start_min)}-{_hhmm(self.end_min)}"


@dataclass(frozen=True, slots=True)
class DayOff:
    id: int
    specialist_id: int | None  # None: the whole service
    first_day: date
    last_day: date
    note: str = ""

    def covers(self, specialist_id: int, day: date) -> bool:
        return (
            self.specialist_id in (None, specialist_id) and self.first_day <= day <= self.last_day
        )


@dataclass(frozen=True, slots=True)
class Schedule:
    rules: Rules
    specialists: tuple[SpecialistInfo, ...]
    windows: tuple[Window, ...] = ()
    days_off: tuple[DayOff, ...] = ()

    def specialist(self, specialist_id: int) -> SpecialistInfo | None:
        return next((s for s in self.specialists if s.id == specialist_id), None)

    def windows_of(self, specialist_id: int, weekday: int) -> list[Window]:
        return sorted(
            (w for w in self.windows if w.specialist_id == specialist_id and w.weekday == weekday),
            key=lambda w: w.start_min,
        )

    def is_off(self, specialist_id: int, day: date) -> bool:
        return any(d.covers(specialist_id, day) for d in self.days_off)

    def names(self, ids: Iterable[int]) -> str:
        return " + ".join(s.name for i in ids if (s := self.specialist(i)) is not None)


# -- validation ---------------------------------------------------------------------------


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_window(text: str) -> tuple[int, int]:
    """ "10:00-13:00" → (600, 780)."""
    match = _WINDOW.match(text or "")
    if not match:
        raise ScheduleError("staff-schedule-window-format", text=str(text))
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
        raise ScheduleError("staff-schedule-no-such-time", text=text)
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if end <= start:
        raise ScheduleError("staff-schedule-end-before-start", text=text)
    return start, end


def _subset(values: Iterable[str], allowed: tuple[str, ...], what: str) -> list[str]:
    items = [str(v).strip() for v in values if str(v).strip()]
    unknown = [v for v in items if v not in allowed]
    if unknown or not items:
        raise ScheduleError("staff-schedule-choose", field=what, allowed=", ".join(allowed))
    return [a for a in allowed if a in items]


def _name(value: object) -> str:
    name = str(value or "").strip()
    if not name or len(name) > 64:
        raise ScheduleError("staff-schedule-name-length")
    return name


def check_rule(key: str, value: Any) -> Any:
    """A settings value in its stored form, or ScheduleError."""
    if key in LIMITS or key in COURSE_LIMITS:
        low, high = LIMITS.get(key) or COURSE_LIMITS[key]
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ScheduleError("staff-schedule-integer", field=key) from None
        if not low <= number <= high:
            raise ScheduleError("staff-schedule-range", field=key, low=str(low), high=str(high))
        return number
    if key == "pair_kinds":
        items = value.split(",") if isinstance(value, str) else list(value or [])
        items = [str(v).strip() for v in items if str(v).strip()]
        if any(v not in KINDS for v in items):
            raise ScheduleError(
                "staff-schedule-choose", field="pair_kinds", allowed=", ".join(KINDS)
            )
        return [k for k in KINDS if k in items]
    if key == "fixed_pairs":
        return _pairs(value)
    if key in ("office_address", "online_policy"):
        if not isinstance(value, Mapping):
            raise ScheduleError("staff-schedule-both-langs", field=key)
        out = {lang: str(value.get(lang, "")).strip()[:500] for lang in LANGS}
        if not all(out.values()):
            raise ScheduleError("staff-schedule-both-langs", field=key)
        return out
    raise ScheduleError("staff-schedule-unknown-rule", field=key)


def _rules(stored: Mapping[str, Any]) -> Rules:
    values: dict[str, Any] = {}
    for key in (
        *LIMITS,
        *COURSE_LIMITS,
        "pair_kinds",
        "fixed_pairs",
        "office_address",
        "online_policy",
    ):
        if key in stored:
            try:
                values[key] = check_rule(key, stored[key])
            except ScheduleError:
                continue  # a bad stored value falls back to the default, never crashes a turn
    if "pair_kinds" in values:
        values["pair_kinds"] = frozenset(values["pair_kinds"])
    if "fixed_pairs" in values:
        values["fixed_pairs"] = tuple((a, b) for a, b in values["fixed_pairs"])
    return Rules(**values)


# -- the store ------------------------------------------------------------------------------


class ScheduleStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def seed(self, path: Path = SEED_FILE) -> bool:
        """Fill an empty database from the YAML file, once, even with several processes."""
        data = load_yaml(path)
        async with self._db.session() as s:
            if await s.get(ServiceSetting, _SEEDED) is not None:
                return False
        try:
            async with self._db.session() as s, s.begin():
                s.add(ServiceSetting(key=_SEEDED, value=json.dumps(str(path.name))))
                await s.flush()  # the primary key: a second process fails here
                for key, value in (data.get("settings") or {}).items():
                    s.add(ServiceSetting(key=key, value=json.dumps(check_rule(key, value))))
                for entry in data.get("specialists") or []:
                    kinds = _subset(entry.get("kinds") or [], KINDS, "kinds")
                    stream = entry.get("stream")
                    if not stream:
                        # A seed file from before streams: as the migration 0890 does, whoever
                        # takes "stop" keeps only "stop" (never both parties).
                        stream = stream_for_kinds(kinds)
                        kinds = [k for k in kinds if may_take(stream, k)]
                    spec = Specialist(
                        name=_name(entry.get("name")),
                        role=_subset([entry.get("role", "")], ROLES, "role")[0],
                        langs=",".join(_subset(entry.get("langs") or [], LANGS, "langs")),
                        kinds=",".join(_stream_kinds(stream, kinds)),
                        stream=stream,
                        modes=",".join(_subset(entry.get("modes") or [], MODES, "modes")),
                        active=bool(entry.get("active", True)),
                    )
                    s.add(spec)
                    await s.flush()
                    for day, windows in (entry.get("hours") or {}).items():
                        if day not in WEEKDAYS:
                            raise ScheduleError(
                                "staff-schedule-choose",
                                field="weekday",
                                allowed=", ".join(WEEKDAYS),
                            )
                        for text in windows:
                            start, end = parse_window(text)
                            s.add(
                                WeeklyHours(
                                    specialist_id=spec.id,
                                    weekday=WEEKDAYS.index(day),
                                    start_min=start,
                                    end_min=end,
                                )
                            )
                for off in data.get("exceptions") or []:
                    first, last = _day(off.get("first")), _day(off.get("last", off.get("first")))
                    s.add(
                        ScheduleException(first_day=first, last_day=last, note=off.get("note", ""))
                    )
        except IntegrityError:
            return False  # another process seeded it first
        return True

    async def load(self) -> Schedule:
        async with self._db.session() as s:
            settings = {
                r.key: json.loads(r.value)
                for r in (await s.execute(select(ServiceSetting))).scalars()
                if r.key != _SEEDED
            }
            specs = (await s.execute(select(Specialist).order_by(Specialist.id))).scalars().all()
            hours = (await s.execute(select(WeeklyHours))).scalars().all()
            offs = (
                await s.execute(select(ScheduleException).order_by(ScheduleException.first_day))
            ).scalars()
            return Schedule(
                rules=_rules(settings),
                specialists=tuple(
                    SpecialistInfo(
                        id=p.id,
                        name=p.name,
                        role=p.role,
                        langs=frozenset(filter(None, p.langs.split(","))),
                        kinds=frozenset(filter(None, p.kinds.split(","))),
                        modes=frozenset(filter(None, p.modes.split(","))),
                        active=p.active,
                        staff_username=p.staff_username,
                        stream=p.stream,
                    )
                    for p in specs
                ),
                windows=tuple(
                    Window(h.id, h.specialist_id, h.weekday, h.start_min, h.end_min) for h in hours
                ),
                days_off=tuple(
                    DayOff(o.id, o.specialist_id, o.first_day, o.last_day, o.note) for o in offs
                ),
            )

    # -- editing (staff page) -------------------------------------------------------------

    async def save_specialist(
        self,
        specialist_id: int | None,
        *,
        name: str,
        role: str,
        langs: Iterable[str],
        kinds: Iterable[str],
        modes: Iterable[str],
        active: bool,
        staff_username: str | None,
        stream: str | None = None,
    ) -> int:
        """Add or change a specialist; `stream` None keeps the stream they have (a new one
        gets the stream their kinds imply)."""
        chosen = _subset(kinds, KINDS, "kinds")
        if stream is None and specialist_id is not None:
            async with self._db.session() as s:
                stream = await s.scalar(
                    select(Specialist.stream).where(Specialist.id == specialist_id)
                )
        stream = stream or stream_for_kinds(chosen)
        values = {
            "name": _name(name),
            "role": _subset([role], ROLES, "role")[0],
            "langs": ",".join(_subset(langs, LANGS, "langs")),
            "kinds": ",".join(_stream_kinds(stream, chosen)),
            "stream": stream,
            "modes": ",".join(_subset(modes, MODES, "modes")),
            "active": active,
            "staff_username": (staff_username or "").strip().lower()[:64] or None,
        }
        async with self._db.session() as s, s.begin():
            if specialist_id is None:
                spec = Specialist(**values)
                s.add(spec)
                await s.flush()
                return spec.id
            done = await s.execute(
                update(Specialist).where(Specialist.id == specialist_id).values(**values)
            )
            if not done.rowcount:  # type: ignore[attr-defined]
                raise ScheduleError("staff-schedule-no-specialist")
            return specialist_id

    async def add_hours(self, specialist_id: int, weekday: int, window: str) -> None:
        if not 0 <= weekday <= 6:
            raise ScheduleError("staff-schedule-weekday-range")
        start, end = parse_window(window)
        async with self._db.session() as s, s.begin():
            if await s.get(Specialist, specialist_id) is None:
                raise ScheduleError("staff-schedule-no-specialist")
            overlapping = await s.scalar(
                select(func.count())
                .select_from(WeeklyHours)
                .where(
                    WeeklyHours.specialist_id == specialist_id,
                    WeeklyHours.weekday == weekday,
                    WeeklyHours.start_min < end,
                    WeeklyHours.end_min > start,
                )
            )
            if overlapping:
                raise ScheduleError("staff-schedule-overlap")
            s.add(
                WeeklyHours(
                    specialist_id=specialist_id, weekday=weekday, start_min=start, end_min=end
                )
            )

    async def delete_hours(self, hours_id: int) -> None:
        async with self._db.session() as s, s.begin():
            await s.execute(delete(WeeklyHours).where(WeeklyHours.id == hours_id))

    async def add_day_off(
        self, specialist_id: int | None, first: date, last: date, note: str
    ) -> int:
        """Add a day off (or a span of them); returns its id."""
        if last < first:
            raise ScheduleError("staff-schedule-last-before-first")
        if (last - first).days > 366:
            raise ScheduleError("staff-schedule-at-most-year")
        async with self._db.session() as s, s.begin():
            if specialist_id is not None and await s.get(Specialist, specialist_id) is None:
                raise ScheduleError("staff-schedule-no-specialist")
            row = ScheduleException(
                specialist_id=specialist_id,
                first_day=first,
                last_day=last,
                note=note.strip()[:128],
            )
            s.add(row)
            await s.flush()
            return row.id

    async def delete_day_off(self, day_off_id: int) -> None:
        async with self._db.session() as s, s.begin():
            await s.execute(delete(ScheduleException).where(ScheduleException.id == day_off_id))

    async def set_rule(self, key: str, value: Any) -> None:
        stored = json.dumps(check_rule(key, value), ensure_ascii=False)
        async with self._db.session() as s, s.begin():
            row = await s.get(ServiceSetting, key)
            if row is None:
                s.add(ServiceSetting(key=key, value=stored))
            else:
                row.value = stored


def _stream_kinds(stream: object, kinds: list[str]) -> list[str]:
    """The kinds, checked against the stream: a specialist of the aggressor stream never takes
    a family (joint) session nor a victim's own (booking/streams.py says why)."""
    if stream not in STREAMS:
        raise ScheduleError("staff-schedule-choose", field="stream", allowed=", ".join(STREAMS))
    if any(not may_take(str(stream), k) for k in kinds):
        raise ScheduleError("staff-schedule-stream-kinds")
    return kinds


def _pairs(value: Any) -> list[list[int]]:
    """Fixed pairs: "3+4, 5+6" from a form, or [[3, 4], [5, 6]] as stored."""
    if isinstance(value, str):
        items: list[Any] = [p.split("+") for p in value.replace(";", ",").split(",") if p.strip()]
    else:
        items = list(value or [])
    out: list[list[int]] = []
    for item in items:
        try:
            a, b = (int(str(x).strip()) for x in item)
        except (TypeError, ValueError):
            raise ScheduleError("staff-schedule-pairs-format") from None
        if a == b or a <= 0 or b <= 0:
            raise ScheduleError("staff-schedule-pairs-format")
        pair = sorted((a, b))
        if any(set(pair) & set(p) for p in out):
            raise ScheduleError("staff-schedule-pairs-twice")
        out.append(pair)
    return out[:20]


def load_yaml(path: Path) -> dict[str, Any]:
    """The seed file (small, read once at start)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ScheduleError("staff-schedule-not-mapping", path=str(path))
    return data


def _day(value: object) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ScheduleError("staff-schedule-date-format", value=str(value)) from None
