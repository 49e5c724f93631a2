"""Bookings: make, move, cancel, confirm, mark the outcome; what the chat and staff see.

No double booking, ever: a booking inserts one claim row per specialist with a unique
(specialist, start), all in one transaction. Whoever commits first wins; the other
transaction fails on the constraint, is rolled back whole, and the person is offered the
next free slots. This holds across processes because the database decides.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from booking.assessment import Assessments
from booking.models import AFTER_SESSION, Booking, Reminder, SlotClaim
from booking.schedule import KINDS, LANGS, MODES, Schedule, ScheduleStore
from booking.slots import (
    Busy,
    Slot,
    at_local,
    free_days,
    free_slots,
    local_day,
    window_of_days,
)
from booking.streams import AGGRESSORS, KIND_STREAM
from core.clock import Clock
from registry.vocabulary import INTAKE_NOTES, REFERRALS
from storage.crypto import DecryptionError, Vault
from storage.db import Database

log = logging.getLogger(__name__)

MAX_PSEUDONYM = 40
ATTEMPTS = 3  # a lost race is retried on fresh data: another specialist may still be free
# A reminder due sooner than this after the booking is not made (it would just echo it).
MIN_REMINDER_LEAD = timedelta(hours=1)


class BookingError(Exception):
    pass


class SlotTaken(BookingError):
    """Someone else got the slot first (or it is no longer offered); `alternatives` are next."""

    def __init__(self, alternatives: Sequence[Slot]) -> None:
        super().__init__("slot taken")
        self.alternatives = list(alternatives)


class TooMany(BookingError):
    """The person already holds the maximum of upcoming bookings."""


class StreamRefused(BookingError):
    """A joint ("family") session for someone in the aggressor programme: no couples work
    while there is abuse (docs/aggressor-programme.md)."""


# Kinds never booked by a person of the aggressor stream.
NOT_FOR_AGGRESSORS = frozenset({"family"})


@dataclass(frozen=True, slots=True)
class Request:
    kind: str
    lang: str
    mode: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS or self.lang not in LANGS or self.mode not in MODES:
            raise BookingError(f"bad request {self.kind}/{self.lang}/{self.mode}")


@dataclass(frozen=True, slots=True)
class BookingView:
    id: int
    person_id: int
    contact_id: int | None
    kind: str
    lang: str
    mode: str
    starts_at: datetime
    ends_at: datetime
    status: str
    pseudonym: str | None
    specialists: tuple[int, ...]
    confirmed: bool = False
    cancelled_by: str | None = None
    link_sent_at: datetime | None = None
    link_sends: int = 0
    course_id: int | None = None  # a session of the programme's course (booking/course.py)
    referral: str | None = None  # a code of registry.vocabulary.REFERRALS
    intake: tuple[str, ...] = ()  # codes of registry.vocabulary.INTAKE_NOTES, for the specialist


@dataclass(frozen=True, slots=True)
class Intake:
    """What the chat learnt before booking: who referred the person and notes for the
    specialist. Codes only, checked here, so a person's words can never reach the booking."""

    referral: str | None = None
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.referral is not None and self.referral not in REFERRALS:
            raise BookingError(f"unknown referral {self.referral!r}")
        unknown = [n for n in self.notes if n not in INTAKE_NOTES]
        if unknown:
            raise BookingError(f"unknown intake notes {unknown}")


class Bookings:
    def __init__(
        self,
        db: Database,
        vault: Vault,
        clock: Clock,
        schedule: ScheduleStore,
        reminder_hours: Sequence[int] = (24, 2),
    ) -> None:
        self._db = db
        self._vault = vault
        self._clock = clock
        self.clock = clock  # the course (booking/course.py) plans by the same clock
        self.schedule = schedule
        # The aggressor programme's assessment sheets hang on its bookings (same db and keys).
        self.assessments = Assessments(db, vault)
        # ...and so does its correctional course (imported here: it builds on this class).
        from booking.course import Courses

        self.courses = Courses(db, vault, self)
        self.reminder_hours = tuple(sorted({h for h in reminder_hours if h > 0}, reverse=True))

    # -- what is free -------------------------------------------------------------------

    async def _busy(self, schedule: Schedule, now: datetime) -> Busy:
        start, end = window_of_days(schedule, now)
        async with self._db.session() as s:
            rows = await s.execute(
                select(SlotClaim.specialist_id, SlotClaim.starts_at, SlotClaim.ends_at).where(
                    SlotClaim.ends_at > start, SlotClaim.starts_at < end
                )
            )
            busy: dict[int, list[tuple[datetime, datetime]]] = {}
            for sid, s_at, e_at in rows:
                busy.setdefault(sid, []).append((s_at, e_at))
        return busy

    async def free_days(self, req: Request) -> list[date]:
        now = self._clock.now()
        schedule = await self.schedule.load()
        busy = await self._busy(schedule, now)
        return free_days(schedule, busy, kind=req.kind, lang=req.lang, mode=req.mode, now=now)

    async def free_slots(self, req: Request, day: date) -> list[Slot]:
        now = self._clock.now()
        schedule = await self.schedule.load()
        busy = await self._busy(schedule, now)
        return free_slots(
            schedule, busy, kind=req.kind, lang=req.lang, mode=req.mode, day=day, now=now
        )

    async def next_slots(self, req: Request, after: datetime, limit: int = 4) -> list[Slot]:
        """The first free slots from a time on (offered to whoever lost a race)."""
        now = self._clock.now()
        schedule = await self.schedule.load()
        busy = await self._busy(schedule, now)
        found: list[Slot] = []
        for day in free_days(schedule, busy, kind=req.kind, lang=req.lang, mode=req.mode, now=now):
            if day < local_day(after):
                continue
            for slot in free_slots(
                schedule, busy, kind=req.kind, lang=req.lang, mode=req.mode, day=day, now=now
            ):
                if slot.starts_at >= after:
                    found.append(slot)
                    if len(found) == limit:
                        return found
        return found

    # -- streams --------------------------------------------------------------------------

    async def person_stream(self, person_id: int) -> str | None:
        """ "aggressors" once the person has booked the programme (any status: a cancelled
        programme session still says who he is), else None. The chat has no other record of
        the path a person took, and this one goes with his bookings."""
        async with self._db.session() as s:
            found = await s.scalar(
                select(Booking.id)
                .where(Booking.person_id == person_id, Booking.kind == "stop")
                .limit(1)
            )
        return AGGRESSORS if found is not None else None

    async def kinds_for(self, person_id: int) -> tuple[str, ...]:
        """The kinds the chat may offer this person (never "family" in the aggressor stream)."""
        if await self.person_stream(person_id) == AGGRESSORS:
            return tuple(k for k in KINDS if k not in NOT_FOR_AGGRESSORS)
        return KINDS

    # -- booking --------------------------------------------------------------------------

    async def book(
        self,
        person_id: int,
        req: Request,
        starts_at: datetime,
        *,
        contact_id: int | None = None,
        pseudonym: str | None = None,
        replacing: int | None = None,
        intake: Intake | None = None,
    ) -> BookingView:
        """Book the slot starting at `starts_at` (moving `replacing` onto it, if given).

        Raises SlotTaken with the next free slots, TooMany, or StreamRefused.
        """
        if req.kind in NOT_FOR_AGGRESSORS and await self.person_stream(person_id) == AGGRESSORS:
            raise StreamRefused(f"{req.kind} is not for the {KIND_STREAM['stop']} stream")
        pseudonym = (pseudonym or "").strip()[:MAX_PSEUDONYM] or None
        for _ in range(ATTEMPTS):
            slot = next(
                (
                    s
                    for s in await self.free_slots(req, local_day(starts_at))
                    if s.starts_at == starts_at
                ),
                None,
            )
            if slot is None:
                break
            try:
                return await self._insert(
                    person_id, req, slot, contact_id, pseudonym, replacing, intake or Intake()
                )
            except IntegrityError:
                log.info("a booking lost the race for a slot; trying fresh data")
        raise SlotTaken(await self.next_slots(req, starts_at))

    async def _insert(
        self,
        person_id: int,
        req: Request,
        slot: Slot,
        contact_id: int | None,
        pseudonym: str | None,
        replacing: int | None,
        intake: Intake,
    ) -> BookingView:
        now = self._clock.now()
        schedule = await self.schedule.load()
        async with self._db.session() as s, s.begin():
            # Writes first: on SQLite the first write takes the lock, so nothing read here
            # can go stale before the commit.
            booking = Booking(
                person_id=person_id,
                contact_id=contact_id,
                kind=req.kind,
                lang=req.lang,
                mode=req.mode,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                status="booked",
                pseudonym_enc=self._vault.encrypt(pseudonym) if pseudonym else None,
                confirmed=False,
                created_at=now,
                specialist_ids=",".join(str(i) for i in slot.specialists),
                referral=intake.referral,
                intake_enc=self._vault.encrypt(",".join(intake.notes)) if intake.notes else None,
            )
            s.add(booking)
            await s.flush()
            for sid in slot.specialists:
                s.add(
                    SlotClaim(
                        booking_id=booking.id,
                        specialist_id=sid,
                        starts_at=slot.starts_at,
                        ends_at=slot.ends_at,
                    )
                )
            await s.flush()  # the unique (specialist, start): a lost race raises here
            for hours in self.reminder_hours:
                due = slot.starts_at - timedelta(hours=hours)
                if due >= now + MIN_REMINDER_LEAD:
                    s.add(Reminder(booking_id=booking.id, hours_before=hours, due_at=due))
            if replacing is not None:
                old = await s.scalar(
                    select(Booking).where(
                        Booking.id == replacing,
                        Booking.person_id == person_id,
                        Booking.status == "booked",
                    )
                )
                if old is None:
                    raise BookingError("the booking to move is gone")
                old.status, old.cancelled_at = "cancelled", now
                old.cancelled_by, old.moved_to = "moved", booking.id
                if old.pseudonym_enc and not pseudonym:
                    booking.pseudonym_enc = old.pseudonym_enc
                if booking.contact_id is None:
                    booking.contact_id = old.contact_id
                # A moved session keeps what the first conversation learnt.
                booking.referral = booking.referral or old.referral
                booking.intake_enc = booking.intake_enc or old.intake_enc
                booking.confirmed = False
                await _release(s, old.id)
            active = await s.scalar(
                select(func.count())
                .select_from(Booking)
                .where(
                    Booking.person_id == person_id,
                    Booking.status == "booked",
                    Booking.starts_at > now,
                )
            )
            if (active or 0) > schedule.rules.max_active_per_person:
                raise TooMany()
            if req.kind in NOT_FOR_AGGRESSORS:
                # Checked again in the transaction: a programme booking made meanwhile wins.
                programme = await s.scalar(
                    select(Booking.id)
                    .where(Booking.person_id == person_id, Booking.kind == "stop")
                    .limit(1)
                )
                if programme is not None:
                    raise StreamRefused(f"{req.kind} is not for the aggressor stream")
            return self._view(booking)

    async def move(self, booking_id: int, starts_at: datetime) -> BookingView:
        """Staff move a booked session to another free slot of the same kind, language and
        format (a day off fell on it). Raises SlotTaken, TooMany or BookingError."""
        old = await self.get(booking_id)
        if old is None or old.status != "booked":
            raise BookingError("the booking to move is gone")
        return await self.book(
            old.person_id,
            Request(old.kind, old.lang, old.mode),
            starts_at,
            contact_id=old.contact_id,
            replacing=old.id,
        )

    async def cancel(
        self, booking_id: int, *, by: str, person_id: int | None = None
    ) -> BookingView | None:
        """Cancel a booked session (frees its slot, cancels its reminders); None if it was not
        booked (already cancelled, or not this person's)."""
        now = self._clock.now()
        async with self._db.session() as s, s.begin():
            cond = [Booking.id == booking_id, Booking.status == "booked"]
            if person_id is not None:
                cond.append(Booking.person_id == person_id)
            done = await s.execute(
                update(Booking)
                .where(*cond)
                .values(status="cancelled", cancelled_at=now, cancelled_by=by)
            )
            if not done.rowcount:  # type: ignore[attr-defined]
                return None
            await _release(s, booking_id)
            row = await s.get(Booking, booking_id)
            assert row is not None
            return self._view(row)

    async def mark(self, booking_id: int, outcome: str) -> BookingView | None:
        """Staff note what happened: "attended" or "no_show" (a mistake can be corrected).

        "Attended" schedules the survey for the session's end, in the same transaction; a
        correction to "no_show" withdraws it while it is still pending. Its row is unique per
        booking and a sent one is never re-armed, so the person gets it once at most."""
        if outcome not in ("attended", "no_show"):
            raise BookingError(f"unknown outcome {outcome}")
        for attempt in range(2):
            try:
                return await self._mark(booking_id, outcome)
            except IntegrityError:
                # Two staff marked at once and both added the survey row: the other one won,
                # and the second attempt finds it.
                if attempt:
                    raise
        return None  # pragma: no cover - the loop returns or raises

    async def _mark(self, booking_id: int, outcome: str) -> BookingView | None:
        now = self._clock.now()
        async with self._db.session() as s, s.begin():
            done = await s.execute(
                update(Booking)
                .where(
                    Booking.id == booking_id, Booking.status.in_(("booked", "attended", "no_show"))
                )
                .values(status=outcome)
            )
            if not done.rowcount:  # type: ignore[attr-defined]
                return None
            # Nothing is left to remind about once the outcome is known.
            await s.execute(
                update(Reminder)
                .where(
                    Reminder.booking_id == booking_id,
                    Reminder.status == "pending",
                    Reminder.hours_before != AFTER_SESSION,
                )
                .values(status="cancelled")
            )
            survey = await s.scalar(
                select(Reminder).where(
                    Reminder.booking_id == booking_id, Reminder.hours_before == AFTER_SESSION
                )
            )
            if outcome == "no_show":
                if survey is not None and survey.status == "pending":
                    survey.status = "cancelled"
            elif survey is None:
                ends_at = await s.scalar(select(Booking.ends_at).where(Booking.id == booking_id))
                assert ends_at is not None
                s.add(
                    Reminder(
                        booking_id=booking_id,
                        hours_before=AFTER_SESSION,
                        due_at=max(ends_at, now),
                        status="pending",
                    )
                )
            elif survey.status == "cancelled":
                survey.status = "pending"  # corrected back to attended, never sent yet
        return await self.get(booking_id)

    async def record_link(self, booking_id: int) -> BookingView | None:
        """Note that the online-session link went to the person (the link is not kept)."""
        now = self._clock.now()
        async with self._db.session() as s, s.begin():
            await s.execute(
                update(Booking)
                .where(Booking.id == booking_id)
                .values(link_sent_at=now, link_sends=Booking.link_sends + 1)
            )
        return await self.get(booking_id)

    async def set_referral(self, booking_id: int, referral: str | None) -> tuple[int, ...]:
        """Staff set who referred the person of a programme booking (None: not known).

        Referral is a fact about the person's way into the programme, not about one session:
        it goes on all their programme bookings, so the reports (which read the first one)
        count what staff set wherever they set it. Returns the registry contacts of those
        bookings, for the caller to update the anonymous rows too."""
        Intake(referral=referral)  # the same check as the chat's
        async with self._db.session() as s, s.begin():
            person = await s.scalar(
                select(Booking.person_id).where(Booking.id == booking_id, Booking.kind == "stop")
            )
            if person is None:
                raise BookingError(f"no programme booking {booking_id}")
            where = (Booking.person_id == person, Booking.kind == "stop")
            await s.execute(update(Booking).where(*where).values(referral=referral))
            contacts = await s.scalars(
                select(Booking.contact_id).where(*where, Booking.contact_id.is_not(None))
            )
            return tuple(sorted({c for c in contacts if c is not None}))

    async def confirm(self, booking_id: int, person_id: int) -> BookingView | None:
        async with self._db.session() as s, s.begin():
            done = await s.execute(
                update(Booking)
                .where(
                    Booking.id == booking_id,
                    Booking.person_id == person_id,
                    Booking.status == "booked",
                )
                .values(confirmed=True)
            )
        return await self.get(booking_id) if done.rowcount else None  # type: ignore[attr-defined]

    # -- reading --------------------------------------------------------------------------

    async def get(self, booking_id: int, person_id: int | None = None) -> BookingView | None:
        async with self._db.session() as s:
            row = await s.get(Booking, booking_id)
            if row is None or (person_id is not None and row.person_id != person_id):
                return None
            return self._view(row)

    async def upcoming(self, person_id: int) -> list[BookingView]:
        now = self._clock.now()
        async with self._db.session() as s:
            rows = await s.scalars(
                select(Booking)
                .where(
                    Booking.person_id == person_id,
                    Booking.status == "booked",
                    Booking.ends_at > now,
                )
                .order_by(Booking.starts_at)
            )
            return [self._view(r) for r in rows]

    async def between(
        self, start: datetime, end: datetime, specialist_id: int | None = None
    ) -> list[BookingView]:
        """Bookings starting in [start, end), for staff (cancelled ones too, marked)."""
        async with self._db.session() as s:
            rows = await s.scalars(
                select(Booking)
                .where(Booking.starts_at >= start, Booking.starts_at < end)
                .order_by(Booking.starts_at, Booking.id)
            )
            views = [self._view(r) for r in rows]
        if specialist_id is not None:
            views = [v for v in views if specialist_id in v.specialists]
        return views

    async def booked_on_days(
        self, first: date, last: date, specialist_id: int | None = None
    ) -> list[BookingView]:
        """Sessions still booked on Almaty days first..last (of one specialist, or anyone's):
        what a new day off hits."""
        rows = await self.between(
            at_local(first, 0), at_local(last + timedelta(days=1), 0), specialist_id
        )
        return [b for b in rows if b.status == "booked"]

    def _view(self, row: Booking) -> BookingView:
        pseudonym = None
        if row.pseudonym_enc:
            try:
                pseudonym = self._vault.decrypt(row.pseudonym_enc)
            except DecryptionError:
                pseudonym = None
        intake: tuple[str, ...] = ()
        if row.intake_enc:
            try:
                intake = tuple(filter(None, self._vault.decrypt(row.intake_enc).split(",")))
            except DecryptionError:
                intake = ()
        return BookingView(
            id=row.id,
            person_id=row.person_id,
            contact_id=row.contact_id,
            kind=row.kind,
            lang=row.lang,
            mode=row.mode,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            status=row.status,
            pseudonym=pseudonym,
            specialists=tuple(int(i) for i in row.specialist_ids.split(",") if i),
            confirmed=row.confirmed,
            cancelled_by=row.cancelled_by,
            link_sent_at=row.link_sent_at,
            link_sends=row.link_sends or 0,
            course_id=row.course_id,
            referral=row.referral,
            intake=intake,
        )

    async def add_intake(
        self, person_id: int, notes: Sequence[str], *, replacing: Sequence[str] = ()
    ) -> BookingView | None:
        """Merge notes the chat learnt after he booked (a self-check shared with his consent)
        into his next programme session's encrypted intake; codes in `replacing` are removed
        first, so a redone or withdrawn answer does not linger. None if he has none booked."""
        Intake(None, tuple(notes))  # codes of INTAKE_NOTES only, or BookingError
        now = self._clock.now()
        async with self._db.session() as s, s.begin():
            row = await s.scalar(
                select(Booking)
                .where(
                    Booking.person_id == person_id,
                    Booking.kind == "stop",
                    Booking.status == "booked",
                    Booking.ends_at > now,
                )
                .order_by(Booking.starts_at)
                .limit(1)
                .with_for_update()  # two merges at once must not lose one (PostgreSQL)
            )
            if row is None:
                return None
            merged = [n for n in self._view(row).intake if n not in replacing]
            merged += [n for n in notes if n not in merged]
            row.intake_enc = self._vault.encrypt(",".join(merged)) if merged else None
            return self._view(row)


async def _release(s: AsyncSession, booking_id: int) -> None:
    """Free a booking's slot and cancel its reminders (inside the caller's transaction)."""
    await s.execute(delete(SlotClaim).where(SlotClaim.booking_id == booking_id))
    await s.execute(
        update(Reminder)
        .where(Reminder.booking_id == booking_id, Reminder.status == "pending")
        .values(status="cancelled")
    )
