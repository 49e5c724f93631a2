"""The report's figures, counted in SQL (GROUP BY on SQLite and PostgreSQL alike).

What each figure means is defined in docs/reports.md; keep the two in step.
"""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, String, and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from booking import course
from booking.models import Booking
from core.clock import ALMATY
from registry.models import Contact
from reports.period import Period, week_start
from storage.db import Database

if TYPE_CHECKING:
    from reports.people import People

# Waiting-time bands for the histogram: (upper bound in seconds, code).
WAIT_BANDS: tuple[tuple[int | None, str], ...] = (
    (60, "le1m"),
    (5 * 60, "le5m"),
    (15 * 60, "le15m"),
    (60 * 60, "le60m"),
    (None, "gt60m"),
)

Counts = list[tuple[str | None, int]]


@dataclass
class Totals:
    contacts: int = 0
    urgent: int = 0
    screened: int = 0  # a danger screen was completed
    handed_off: int = 0
    consultations: int = 0  # handoffs a consultant claimed
    unclaimed: int = 0
    booked: int = 0
    in_person: int = 0
    online: int = 0
    attended: int = 0
    no_show: int = 0
    attended_in_person: int = 0
    feedback: int = 0
    attended_online: int = 0  # came to a booked online session

    @property
    def urgent_share(self) -> float | None:
        return self.urgent / self.contacts if self.contacts else None

    @property
    def attendance_rate(self) -> float | None:
        known = self.attended + self.no_show
        return self.attended / known if known else None


def _no_counts() -> Counts:
    return []


@dataclass
class Programme:
    """The aggressor programme's figures (issue 16; docs/reports.md defines each)."""

    # People who booked into the programme for the first time in the period, by the referral
    # on that first booking (None: not asked or skipped). A person counts once.
    by_referral: Counts = field(default_factory=_no_counts)
    enrolled: int = 0  # courses enrolled in the period
    active: int = 0  # courses running when the report is made, whatever the period
    sessions_attended: int = 0  # course sessions in the period marked attended / missed
    sessions_missed: int = 0
    completed: int = 0  # courses ended in the period with a completed outcome
    dropped_out: int = 0
    outcomes: Counts = field(default_factory=_no_counts)  # courses ended in the period

    @property
    def people(self) -> int:
        return sum(n for _, n in self.by_referral)

    @property
    def known(self) -> int:
        """People whose referral source is known: the base of the shares."""
        return sum(n for code, n in self.by_referral if code is not None)

    @property
    def not_asked(self) -> int:
        return self.people - self.known

    def share(self, n: int) -> float | None:
        return n / self.known if self.known else None


def _no_people() -> People:
    from reports.people import People  # reports/people.py builds on this module

    return People()


@dataclass
class Report:
    period: Period
    totals: Totals
    daily: list[tuple[date, int]]
    daily_urgent: list[tuple[date, int]]
    by_role: Counts
    by_lang: Counts
    by_age: Counts
    by_channel: Counts
    by_region: Counts
    by_danger: Counts
    by_topic: Counts
    by_outcome: Counts
    waits: list[int] = field(default_factory=list)  # claim seconds, ascending
    feedback: dict[str, Counts] = field(default_factory=dict)
    programme: Programme = field(default_factory=Programme)
    # Who the people are (reports/people.py): distinct people, kinds, sex, the refusal rate.
    people: People = field(default_factory=_no_people)

    @property
    def weekly(self) -> list[tuple[date, int, int]]:
        """(Monday of the week, contacts, urgent); the first and last weeks may be partial."""
        weeks: dict[date, list[int]] = {}
        for (day, n), (_, u) in zip(self.daily, self.daily_urgent, strict=True):
            acc = weeks.setdefault(week_start(day), [0, 0])
            acc[0] += n
            acc[1] += u
        return [(w, a[0], a[1]) for w, a in weeks.items()]

    @property
    def wait_median(self) -> float | None:
        return statistics.median(self.waits) if self.waits else None

    @property
    def wait_p90(self) -> int | None:
        return percentile(self.waits, 90)

    @property
    def wait_bands(self) -> list[tuple[str, int]]:
        counts = dict.fromkeys((code for _, code in WAIT_BANDS), 0)
        for seconds in self.waits:
            for bound, code in WAIT_BANDS:
                if bound is None or seconds <= bound:
                    counts[code] += 1
                    break
        return list(counts.items())


def percentile(sorted_values: Sequence[int], pct: int) -> int | None:
    """Nearest rank: the smallest value that at least pct % of the values do not exceed."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def local_day(dialect: str, period: Period) -> ColumnElement[str]:
    """started_at as an Asia/Almaty date 'YYYY-MM-DD', computed by the database."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("Asia/Almaty", Contact.started_at), "YYYY-MM-DD")
    # SQLite keeps naive UTC; Almaty has a fixed offset (UTC+5 since March 2024).
    offset = ALMATY.utcoffset(period.start_utc.replace(tzinfo=None)) or timedelta()
    minutes = int(offset.total_seconds() // 60)
    return func.strftime("%Y-%m-%d", Contact.started_at, f"{minutes:+d} minutes", type_=String)


def _yes(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# Conversations in the local console (`qamqor chat`) are tests, not contacts of the service.
NOT_COUNTED_CHANNELS = ("console",)


def counted(period: Period) -> ColumnElement[bool]:
    """The contacts a report counts: started within the period, on a real channel."""
    return and_(
        Contact.started_at >= period.start_utc,
        Contact.started_at < period.end_utc,
        Contact.channel.not_in(NOT_COUNTED_CHANNELS),
    )


class Figures:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def report(self, period: Period) -> Report:
        within = counted(period)
        async with self.db.session() as s:
            totals = await self._totals(s, within)
            day = local_day(self.db.dialect, period).label("day")
            rows = (
                await s.execute(
                    select(day, func.count(), _yes(Contact.urgent.is_(True)))
                    .where(within)
                    .group_by(day)
                )
            ).all()
            per_day = {r[0]: (int(r[1]), int(r[2])) for r in rows}
            days = list(period.each_day())
            topics = Counter[str | None]()
            for combo, n in await self._group(s, within, Contact.topics):
                for topic in (combo or "").split(",") if combo else [None]:
                    topics[topic] += n
            claimed = await s.execute(
                select(Contact.claim_seconds).where(within, Contact.claim_seconds.is_not(None))
            )
            waits = sorted(int(w) for w in claimed.scalars() if w is not None)
            feedback = await self._feedback(s, within)
            by_referral = await self._referrals(s, period)
            report = Report(
                period=period,
                totals=totals,
                daily=[(d, per_day.get(d.isoformat(), (0, 0))[0]) for d in days],
                daily_urgent=[(d, per_day.get(d.isoformat(), (0, 0))[1]) for d in days],
                by_role=await self._group(s, within, Contact.role),
                by_lang=await self._group(s, within, Contact.lang),
                by_age=await self._group(s, within, Contact.age_band),
                by_channel=await self._group(s, within, Contact.channel),
                by_region=await self._group(s, within, Contact.region),
                by_danger=by_severity(await self._group(s, within, Contact.danger_level)),
                by_topic=sorted(topics.items(), key=lambda kv: (-kv[1], kv[0] or "")),
                by_outcome=await self._group(
                    s, and_(within, Contact.handed_off.is_(True)), Contact.handoff_outcome
                ),
                waits=waits,
                feedback=feedback,
            )
        run = await course.figures(self.db, period.start_utc, period.end_utc)
        report.programme = Programme(
            by_referral=by_referral,
            enrolled=run.enrolled,
            active=run.active,
            sessions_attended=run.sessions_attended,
            sessions_missed=run.sessions_missed,
            completed=run.completed,
            dropped_out=run.dropped_out,
            outcomes=_largest_first(run.outcomes.items()),
        )
        from reports.people import people  # it builds on this module's helpers

        report.people = await people(self.db, period)
        return report

    async def _referrals(self, s: AsyncSession, period: Period) -> Counts:
        """People whose first programme booking ever was made in the period, by its referral.

        A moved booking passes its referral on, and the course's own sessions come after the
        booking that led to it, so the first booking is where the person said who sent them."""
        b, earlier = Booking, aliased(Booking)
        before = exists().where(
            earlier.person_id == b.person_id,
            earlier.kind == "stop",
            or_(
                earlier.created_at < b.created_at,
                and_(earlier.created_at == b.created_at, earlier.id < b.id),
            ),
        )
        rows = await s.execute(
            select(b.referral, func.count())
            .where(
                b.kind == "stop",
                b.created_at >= period.start_utc,
                b.created_at < period.end_utc,
                ~before,
            )
            .group_by(b.referral)
        )
        return _largest_first((r[0], int(r[1])) for r in rows)

    async def _totals(self, s: AsyncSession, within: ColumnElement[bool]) -> Totals:
        c = Contact
        row = (
            await s.execute(
                select(
                    func.count(),
                    _yes(c.urgent.is_(True)),
                    _yes(c.danger_level.is_not(None)),
                    _yes(c.handed_off.is_(True)),
                    _yes(c.claim_seconds.is_not(None)),
                    _yes(c.unclaimed.is_(True)),
                    _yes(c.booked.is_(True)),
                    _yes(and_(c.booked.is_(True), c.in_person.is_(True))),
                    _yes(and_(c.booked.is_(True), c.in_person.is_(False))),
                    _yes(and_(c.booked.is_(True), c.attended.is_(True))),
                    _yes(and_(c.booked.is_(True), c.attended.is_(False))),
                    _yes(and_(c.booked.is_(True), c.attended.is_(True), c.in_person.is_(True))),
                    _yes(c.feedback.is_not(None)),
                    _yes(and_(c.booked.is_(True), c.attended.is_(True), c.in_person.is_(False))),
                ).where(within)
            )
        ).one()
        return Totals(*(int(v) for v in row))

    async def _group(self, s: AsyncSession, within: ColumnElement[bool], column: Any) -> Counts:
        n = func.count().label("n")
        rows = (await s.execute(select(column, n).where(within).group_by(column))).all()
        return _largest_first((r[0], int(r[1])) for r in rows)

    async def _feedback(self, s: AsyncSession, within: ColumnElement[bool]) -> dict[str, Counts]:
        """Answers per question; grouped by the whole answer set in SQL, split here."""
        per_question: dict[str, Counter[str]] = {}
        for encoded, n in await self._group(
            s, and_(within, Contact.feedback.is_not(None)), Contact.feedback
        ):
            try:
                answers = json.loads(encoded or "{}")
            except ValueError:
                continue
            if not isinstance(answers, dict):
                continue
            for question, answer in answers.items():
                per_question.setdefault(str(question), Counter())[answer_code(answer)] += n
        return {
            q: sorted(c.items(), key=lambda kv: kv[0] or "")
            for q, c in sorted(per_question.items())
        }


def _largest_first(counts: Iterable[tuple[str | None, int]]) -> Counts:
    # Largest first; "not given" (NULL) last, whatever its size.
    return sorted(counts, key=lambda kv: (kv[0] is None, -kv[1], kv[0] or ""))


# Danger levels are read by severity, never by count (the grant report lists them so too).
SEVERITY = ("high", "elevated", "low")


def by_severity(counts: Counts) -> Counts:
    """Danger counts high, elevated, low; unknown codes after them, "not screened" last."""
    rank = {code: n for n, code in enumerate(SEVERITY)}
    return sorted(counts, key=lambda kv: (kv[0] is None, rank.get(kv[0] or "", len(rank))))


def answer_code(answer: object) -> str:
    if answer is True:
        return "yes"
    if answer is False:
        return "no"
    return str(answer)
