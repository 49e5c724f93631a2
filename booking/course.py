"""The aggressor programme's correctional course (issue 16): enrolment, sessions in pairs at a
rhythm, attendance, a neutral reminder after a missed session, the end with its reason and
outcome, and a follow-up some months later.

Grounded in ../shared/domain/kz-resources.md §5: the course is held in pairs (the schedule's
pair kinds and fixed pairs decide who), risk is revisited during it (the assessment sheet of
any course session), and victim safety comes first: a course can be ended "excluded for
risk" at any time. The course outlives the 30-day chat retention while the person is enrolled
and until the follow-up is done (docs/privacy.md); it is erased with the person on request.
Who may see which course is the caller's check (staffweb/course.py).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from booking.bookings import BookingError, Bookings, BookingView, Request, SlotTaken
from booking.models import MISSED, Booking, Course, Reminder
from booking.schedule import COURSE_LIMITS
from booking.slots import local_day
from core.clock import ALMATY
from core.texts import Said
from storage.crypto import DecryptionError, Vault
from storage.db import Database

# Why a course ended. "course_done" is the only one of a completed course.
REASONS = (
    "course_done",
    "stopped_attending",
    "withdrew",
    "risk_escalated",
    "referred_elsewhere",
    "moved_away",
    "other",
)
# The outcome at the end: a completed course with change reported (by him, the partner's
# service or the pair's judgement) or without; partly; dropped out; excluded for risk (victim
# safety first, §5.1); referred to another service (substances, mental health: §5.1).
OUTCOMES = (
    "completed_change",
    "completed",
    "partly",
    "dropped_out",
    "excluded_risk",
    "referred",
)
COMPLETED = ("completed_change", "completed")
# The answer to the follow-up question, asked by the pair (a staff task when due).
FOLLOW_UPS = ("no_violence", "concerns", "violence_again", "no_answer")
ATTENDANCE = ("attended", "missed")
MAX_NOTE = 2000
# After the follow-up is done, the course stays as long as any silent person's data would.
AFTER_FOLLOW_UP = timedelta(days=0)
# Without a follow-up answer, the course is kept this long after it was due, then retention
# applies (a person who never answers is not held for ever).
FOLLOW_UP_GRACE = timedelta(days=30)


class CourseError(Said, ValueError):
    """A course action refused: a `staff-course-error-*` text says why."""


class _Taken(Exception):
    """The course already has a session ahead (raised to roll a tie back)."""


@dataclass(frozen=True, slots=True)
class Note:
    by: str
    at: datetime
    text: str


@dataclass(frozen=True, slots=True)
class CourseView:
    id: int
    person_id: int
    intake_booking_id: int | None
    lang: str
    mode: str
    sessions_planned: int
    every_days: int
    status: str
    end_reason: str | None
    outcome: str | None
    enrolled_by: str
    enrolled_at: datetime
    ended_at: datetime | None
    follow_up_due: date | None
    follow_up_done_at: datetime | None
    follow_up_result: str | None
    keep_until: datetime | None
    confirm_consent_at: datetime | None  # his written consent to confirming attendance
    confirm_consent_by: str | None
    notes: tuple[Note, ...]
    sessions: tuple[BookingView, ...]
    specialists: tuple[int, ...]  # everyone who holds or held one of its sessions

    @property
    def attended(self) -> int:
        return sum(1 for b in self.sessions if b.status == "attended")

    @property
    def missed(self) -> int:
        return sum(1 for b in self.sessions if b.status == "no_show")

    @property
    def held(self) -> int:
        """Sessions that took place or were missed: what counts against the plan."""
        return self.attended + self.missed

    @property
    def upcoming(self) -> BookingView | None:
        return next((b for b in self.sessions if b.status == "booked"), None)

    def follow_up_is_due(self, today: date) -> bool:
        return (
            self.follow_up_due is not None
            and self.follow_up_done_at is None
            and today >= self.follow_up_due
        )


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def keeps(now: datetime) -> Select[Any]:
    """Retention's hold: people whose course still needs them (enrolled, or ended with the
    follow-up not yet done and not long overdue)."""
    return select(Course.person_id).where(or_(Course.keep_until.is_(None), Course.keep_until > now))


class Courses:
    def __init__(self, db: Database, vault: Vault, bookings: Bookings) -> None:
        self._db = db
        self._vault = vault
        self._bookings = bookings

    def _now(self) -> datetime:
        return self._bookings.clock.now()

    # -- enrolment ------------------------------------------------------------------------

    async def enrol(
        self,
        intake: BookingView,
        by: str,
        *,
        sessions: int | None = None,
        every_days: int | None = None,
    ) -> int:
        """Enrol the person of a programme booking; plans the first session at the rhythm
        after the intake. Returns the course id."""
        if intake.kind != "stop":
            raise CourseError("staff-course-error-not-programme")
        rules = (await self._bookings.schedule.load()).rules
        planned = _within("course_sessions", sessions or rules.course_sessions)
        every = _within("course_every_days", every_days or rules.course_every_days)
        now = self._now()
        async with self._db.session() as s, s.begin():
            active = await s.scalar(
                select(Course.id).where(
                    Course.person_id == intake.person_id, Course.status == "active"
                )
            )
            if active is not None:
                raise CourseError("staff-course-error-enrolled", number=str(active))
            course = Course(
                person_id=intake.person_id,
                intake_booking_id=intake.id,
                lang=intake.lang,
                mode=intake.mode,
                sessions_planned=planned,
                every_days=every,
                status="active",
                enrolled_by=by[:64],
                enrolled_at=now,
            )
            s.add(course)
            await s.flush()
            course_id = course.id
        await self.plan_next(course_id)
        return course_id

    # -- sessions -------------------------------------------------------------------------

    async def plan_next(self, course_id: int) -> BookingView | None:
        """Book the course's next session, if it needs one: the same pair and local time one
        rhythm after the last session (or the intake), else the first free pair slot from that
        day on. None when nothing is needed or nothing is free within the horizon (staff then
        plan it by hand, as the page says)."""
        course = await self.get(course_id)
        if course is None or course.status != "active" or course.upcoming is not None:
            return None
        if course.held >= course.sessions_planned:
            return None
        # The rhythm counts from the last session that took place (or was missed): a cancelled
        # one (a day off) is replanned in its own week, not a week later.
        held = [b for b in course.sessions if b.status in ("attended", "no_show")]
        last = held[-1] if held else None
        if last is None and course.intake_booking_id is not None:
            last = await self._bookings.get(course.intake_booking_id)
        now = self._now()
        target = (last.starts_at if last else now) + timedelta(days=course.every_days)
        while target < now:
            target += timedelta(days=course.every_days)
        req = Request("stop", course.lang, course.mode)
        slots = [s for s in await self._bookings.free_slots(req, local_day(target))]
        same = next(
            (
                s
                for s in slots
                if s.starts_at == target and (last is None or s.specialists == last.specialists)
            ),
            None,
        )
        choices = [same] if same else []
        choices += [s for s in slots if s.starts_at >= target and s is not same]
        if not choices:
            choices = await self._bookings.next_slots(req, target, limit=4)
        for slot in choices:
            try:
                return await self.book_at(course_id, slot.starts_at)
            except SlotTaken:
                continue
            except (CourseError, BookingError):
                return None  # planned meanwhile by someone else, or too many ahead (TooMany)
        return None

    async def plan_due(self) -> int:
        """Plan every active course without a session ahead (a job, hourly): a rhythm longer
        than the booking horizon comes into reach only days after the last mark."""
        async with self._db.session() as s:
            ids = (await s.scalars(select(Course.id).where(Course.status == "active"))).all()
        planned = 0
        for course_id in ids:
            planned += await self.plan_next(course_id) is not None
        return planned

    async def book_at(self, course_id: int, starts_at: datetime) -> BookingView:
        """Book one session of the course at a free pair slot (staff's choice or the plan)."""
        course = await self.get(course_id)
        if course is None or course.status != "active":
            raise CourseError("staff-course-error-not-active")
        made = await self._bookings.book(
            course.person_id,
            Request("stop", course.lang, course.mode),
            starts_at,
            contact_id=None,
        )
        if not await self._tie(made.id, course_id, one_ahead=True):
            # Another process (or colleague) planned one meanwhile: one session ahead only.
            await self._bookings.cancel(made.id, by="staff")
            raise CourseError("staff-course-error-planned")
        view = await self._bookings.get(made.id)
        assert view is not None
        return view

    async def move(self, course_id: int, booking_id: int, starts_at: datetime) -> BookingView:
        """Reschedule a booked session of the course to another free pair slot."""
        if not await self._owns(course_id, booking_id):
            raise CourseError("staff-course-error-not-session")
        made = await self._bookings.move(booking_id, starts_at)
        await self._tie(made.id, course_id)
        view = await self._bookings.get(made.id)
        assert view is not None
        return view

    async def mark(self, course_id: int, booking_id: int, attendance: str) -> BookingView:
        """Attended or missed (a mistake can be corrected). A missed session arms the neutral
        reminder once (unique per booking; one sent is never re-armed); then the next session
        is planned if the course needs one."""
        if attendance not in ATTENDANCE:
            raise CourseError("staff-course-error-choice")
        if not await self._owns(course_id, booking_id):
            raise CourseError("staff-course-error-not-session")
        outcome = "attended" if attendance == "attended" else "no_show"
        marked = await self._bookings.mark(booking_id, outcome)
        if marked is None:
            raise CourseError("staff-course-error-not-session")
        if outcome == "no_show":
            await self._arm_missed(booking_id)
        await self.plan_next(course_id)
        return marked

    async def _arm_missed(self, booking_id: int) -> None:
        now = self._now()
        try:
            async with self._db.session() as s, s.begin():
                row = await s.scalar(
                    select(Reminder).where(
                        Reminder.booking_id == booking_id, Reminder.hours_before == MISSED
                    )
                )
                if row is None:
                    s.add(
                        Reminder(
                            booking_id=booking_id, hours_before=MISSED, due_at=now, status="pending"
                        )
                    )
                elif row.status == "cancelled":
                    row.status, row.due_at = "pending", now  # corrected back, never sent yet
        except IntegrityError:
            pass  # two staff marked at once: the other one armed it

    async def _tie(self, booking_id: int, course_id: int, *, one_ahead: bool = False) -> bool:
        """Make a booking a session of the course. With `one_ahead`, refused (False) when the
        course already has a session booked: the course row is locked first (PostgreSQL) and
        the write comes before the check (SQLite: the first write serialises), so two
        planners at once never leave two sessions ahead."""
        try:
            await self._tie_in(booking_id, course_id, one_ahead)
        except _Taken:
            return False
        return True

    async def _tie_in(self, booking_id: int, course_id: int, one_ahead: bool) -> None:
        async with self._db.session() as s, s.begin():
            await s.execute(select(Course.id).where(Course.id == course_id).with_for_update())
            await s.execute(
                update(Booking).where(Booking.id == booking_id).values(course_id=course_id)
            )
            if one_ahead:
                other = await s.scalar(
                    select(Booking.id).where(
                        Booking.course_id == course_id,
                        Booking.status == "booked",
                        Booking.id != booking_id,
                    )
                )
                if other is not None:
                    raise _Taken  # rolls the tie back

    async def _owns(self, course_id: int, booking_id: int) -> bool:
        async with self._db.session() as s:
            found = await s.scalar(select(Booking.course_id).where(Booking.id == booking_id))
        return found == course_id

    # -- notes, the end, the follow-up ----------------------------------------------------

    async def add_note(self, course_id: int, by: str, text: str) -> None:
        text = _clean(text)
        if not text:
            raise CourseError("staff-course-error-note")
        async with self._db.session() as s, s.begin():
            row = await s.get(Course, course_id, with_for_update=True)
            if row is None:
                raise CourseError("staff-course-error-not-active")
            notes = self._notes(row.notes_enc)
            notes.append(Note(by[:64], self._now(), text))
            row.notes_enc = self._vault.encrypt_json(
                {"notes": [{"by": n.by, "at": n.at.isoformat(), "text": n.text} for n in notes]}
            )

    async def end(self, course_id: int, by: str, reason: str, outcome: str, note: str) -> None:
        """Complete or end the course with its reason and outcome. A course that did not
        complete needs a word why (the note, encrypted with the other notes). Upcoming
        sessions are cancelled; the follow-up is due `follow_up_months` later."""
        if reason not in REASONS or outcome not in OUTCOMES:
            raise CourseError("staff-course-error-choice")
        if (reason == "course_done") != (outcome in COMPLETED):
            raise CourseError("staff-course-error-mismatch")
        if outcome not in COMPLETED and not _clean(note):
            raise CourseError("staff-course-error-why")
        course = await self.get(course_id)
        if course is None or course.status != "active":
            raise CourseError("staff-course-error-not-active")
        rules = (await self._bookings.schedule.load()).rules
        now = self._now()
        due = add_months(now.astimezone(ALMATY).date(), rules.follow_up_months)
        for b in course.sessions:
            if b.status == "booked":
                await self._bookings.cancel(b.id, by="staff")
        if _clean(note):
            await self.add_note(course_id, by, note)
        async with self._db.session() as s, s.begin():
            await s.execute(
                update(Course)
                .where(Course.id == course_id, Course.status == "active")
                .values(
                    status="completed" if outcome in COMPLETED else "ended",
                    end_reason=reason,
                    outcome=outcome,
                    ended_at=now,
                    follow_up_due=due,
                    keep_until=datetime.combine(due, datetime.min.time(), ALMATY) + FOLLOW_UP_GRACE,
                )
            )

    async def follow_up(self, course_id: int, by: str, result: str) -> None:
        """The follow-up's answer: after it, the course is kept only as long as ordinary
        retention keeps the person (30 silent days), then goes with them."""
        if result not in FOLLOW_UPS:
            raise CourseError("staff-course-error-choice")
        now = self._now()
        async with self._db.session() as s, s.begin():
            done = await s.execute(
                update(Course)
                .where(
                    Course.id == course_id,
                    Course.status != "active",
                    Course.follow_up_done_at.is_(None),
                )
                .values(
                    follow_up_done_at=now,
                    follow_up_result=result,
                    keep_until=now + AFTER_FOLLOW_UP,
                )
            )
            if not done.rowcount:  # type: ignore[attr-defined]
                raise CourseError("staff-course-error-not-active")
        del by  # the audit log says who (staffweb/course.py)

    async def set_consent(self, course_id: int, by: str | None) -> None:
        """Record his written consent to confirming his attendance (`by`: who took it), or its
        withdrawal (`by` None). The paper stays with the service; only the fact is stored, so
        the confirmation page (staffweb/course.py) can refuse without it."""
        async with self._db.session() as s, s.begin():
            done = await s.execute(
                update(Course)
                .where(Course.id == course_id)
                .values(
                    confirm_consent_at=self._now() if by else None,
                    confirm_consent_by=by or None,
                )
            )
            if not done.rowcount:  # type: ignore[attr-defined]
                raise CourseError("staff-course-error-not-active")

    # -- reading --------------------------------------------------------------------------

    async def get(self, course_id: int) -> CourseView | None:
        async with self._db.session() as s:
            row = await s.get(Course, course_id)
            if row is None:
                return None
            ids = (
                await s.scalars(
                    select(Booking.id)
                    .where(Booking.course_id == course_id)
                    .order_by(Booking.starts_at, Booking.id)
                )
            ).all()
        sessions = [v for i in ids if (v := await self._bookings.get(i)) is not None]
        # A session moved elsewhere is not a session of the course any more (its replacement is).
        kept = tuple(b for b in sessions if b.cancelled_by != "moved")
        return self._view(row, kept)

    async def for_booking(self, booking_id: int) -> CourseView | None:
        """The course of the person of this booking (their latest), if any."""
        async with self._db.session() as s:
            person = await s.scalar(select(Booking.person_id).where(Booking.id == booking_id))
            found = await s.scalar(
                select(Course.id)
                .where(Course.person_id == person)
                .order_by(Course.id.desc())
                .limit(1)
            )
        return await self.get(found) if found is not None else None

    async def all(self) -> list[CourseView]:
        async with self._db.session() as s:
            ids = (await s.scalars(select(Course.id).order_by(Course.id.desc()))).all()
        return [v for i in ids if (v := await self.get(i)) is not None]

    def _view(self, row: Course, sessions: tuple[BookingView, ...]) -> CourseView:
        specialists = sorted({sid for b in sessions for sid in b.specialists})
        return CourseView(
            id=row.id,
            person_id=row.person_id,
            intake_booking_id=row.intake_booking_id,
            lang=row.lang,
            mode=row.mode,
            sessions_planned=row.sessions_planned,
            every_days=row.every_days,
            status=row.status,
            end_reason=row.end_reason,
            outcome=row.outcome,
            enrolled_by=row.enrolled_by,
            enrolled_at=row.enrolled_at,
            ended_at=row.ended_at,
            follow_up_due=row.follow_up_due,
            follow_up_done_at=row.follow_up_done_at,
            follow_up_result=row.follow_up_result,
            keep_until=row.keep_until,
            confirm_consent_at=row.confirm_consent_at,
            confirm_consent_by=row.confirm_consent_by,
            notes=tuple(self._notes(row.notes_enc)),
            sessions=sessions,
            specialists=tuple(specialists),
        )

    def _notes(self, enc: str | None) -> list[Note]:
        if not enc:
            return []
        try:
            data = self._vault.decrypt_json(enc)
        except (DecryptionError, ValueError):
            return []
        return [
            Note(str(n["by"]), datetime.fromisoformat(str(n["at"])), str(n["text"]))
            for n in data.get("notes", [])
        ]


@dataclass(frozen=True, slots=True)
class Figures:
    enrolled: int
    active: int
    sessions_attended: int
    sessions_missed: int
    completed: int
    dropped_out: int
    outcomes: dict[str, int]


async def figures(db: Database, start: datetime, end: datetime) -> Figures:
    """The course's figures for the reports: courses enrolled in [start, end), sessions of
    courses held in it, courses ended in it by outcome. Plain counts, so a report can check
    them against direct SQL."""
    async with db.session() as s:
        enrolled = await s.scalar(
            select(func.count())
            .select_from(Course)
            .where(Course.enrolled_at >= start, Course.enrolled_at < end)
        )
        active = await s.scalar(
            select(func.count()).select_from(Course).where(Course.status == "active")
        )
        by_status = dict(
            (
                await s.execute(
                    select(Booking.status, func.count())
                    .where(
                        Booking.course_id.is_not(None),
                        Booking.starts_at >= start,
                        Booking.starts_at < end,
                    )
                    .group_by(Booking.status)
                )
            ).all()
        )
        outcomes = dict(
            (
                await s.execute(
                    select(Course.outcome, func.count())
                    .where(
                        Course.ended_at >= start, Course.ended_at < end, Course.outcome.is_not(None)
                    )
                    .group_by(Course.outcome)
                )
            ).all()
        )
    counts = {str(k): int(v) for k, v in outcomes.items()}
    return Figures(
        enrolled=int(enrolled or 0),
        active=int(active or 0),
        sessions_attended=int(by_status.get("attended", 0)),
        sessions_missed=int(by_status.get("no_show", 0)),
        completed=sum(counts.get(o, 0) for o in COMPLETED),
        dropped_out=counts.get("dropped_out", 0),
        outcomes=counts,
    )


def _within(key: str, value: int) -> int:
    low, high = COURSE_LIMITS[key]
    if not low <= value <= high:
        raise CourseError("staff-course-error-range", low=str(low), high=str(high))
    return value


def _clean(text: str) -> str:
    text = "".join(ch for ch in text if ch.isprintable() or ch == "\n")
    return text.strip()[:MAX_NOTE]
