"""Tables of the family service's schedule, its bookings, their slot claims and reminders.

The schedule is data staff edit on the web page (seeded once from booking/data/schedule.yaml).
A booking holds one claim per specialist; (specialist, start) is unique, so the database
itself refuses a double booking, whichever process or person asks.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.coltypes import UtcDateTime
from storage.models import Base


class Specialist(Base):
    """A psychologist or psychotherapist of the family service (a work name, never a person's
    private data: staff choose how they are shown)."""

    __tablename__ = "booking_specialists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))  # "psychologist" | "psychotherapist"
    langs: Mapped[str] = mapped_column(String(16))  # "ru,kk"
    kinds: Mapped[str] = mapped_column(String(64))  # session kinds taken: "self,stop,family,parent"
    modes: Mapped[str] = mapped_column(String(32))  # "office,online"
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Optional link to a staff account: a specialist who logs in sees their own bookings.
    staff_username: Mapped[str | None] = mapped_column(String(64))
    # "victims" | "aggressors" | "family" (booking/streams.py): which sessions they may take.
    stream: Mapped[str] = mapped_column(String(16), default="victims", server_default="victims")


class WeeklyHours(Base):
    """A specialist's working window on a weekday, in Almaty local time (minutes from 00:00)."""

    __tablename__ = "booking_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    specialist_id: Mapped[int] = mapped_column(
        ForeignKey("booking_specialists.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    start_min: Mapped[int] = mapped_column(Integer)
    end_min: Mapped[int] = mapped_column(Integer)


class ScheduleException(Base):
    """Days off: a holiday for the whole service (no specialist) or one specialist's leave."""

    __tablename__ = "booking_exceptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    specialist_id: Mapped[int | None] = mapped_column(
        ForeignKey("booking_specialists.id", ondelete="CASCADE"), index=True
    )
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(128), default="")


class ServiceSetting(Base):
    """Session length, horizon, office address, online policy...: one row per key (JSON)."""

    __tablename__ = "booking_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Booking(Base):
    __tablename__ = "booking_bookings"
    __table_args__ = (Index("ix_booking_bookings_person_status", "person_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    # The anonymous registry row of the conversation that booked (outcomes are noted there).
    contact_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # "self" | "stop" | "family" | "parent"
    lang: Mapped[str] = mapped_column(String(2))
    mode: Mapped[str] = mapped_column(String(8))  # "office" | "online"
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # "booked" → "attended" | "no_show" | "cancelled"
    status: Mapped[str] = mapped_column(String(16), default="booked")
    pseudonym_enc: Mapped[str | None] = mapped_column(Text)  # what to call them, encrypted
    # Who was assigned ("3,5"), kept after cancelling; the claims below are the actual lock.
    specialist_ids: Mapped[str] = mapped_column(String(64), default="")
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)  # "I'll come" on a reminder
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancelled_by: Mapped[str | None] = mapped_column(String(16))  # "person" | "staff" | "moved"
    moved_to: Mapped[int | None] = mapped_column(Integer)  # the booking that replaced this one
    # The online-session link: when it was last sent and how often (the link is not kept).
    link_sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    link_sends: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The correctional course this session belongs to (booking/course.py), if any.
    course_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # Who referred the person (a code of registry.vocabulary.REFERRALS), as they said in the
    # chat; None when not asked or skipped.
    referral: Mapped[str | None] = mapped_column(String(16))
    # What the first conversation noted for the specialist (codes of INTAKE_NOTES, e.g. that
    # drinking is part of it): health and risk data, so encrypted like the pseudonym.
    intake_enc: Mapped[str | None] = mapped_column(Text)


class SlotClaim(Base):
    """One specialist taken at one start time by one booking: the double-booking guard."""

    __tablename__ = "booking_claims"
    __table_args__ = (UniqueConstraint("specialist_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("booking_bookings.id", ondelete="CASCADE"), index=True
    )
    specialist_id: Mapped[int] = mapped_column(
        ForeignKey("booking_specialists.id", ondelete="CASCADE")
    )
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())


# `hours_before` of the row that sends the survey after a session (due at its end). Reminders
# are always a positive number of hours before, so the unique (booking, hours_before) also
# makes the survey a once-per-booking row, whatever corrections of the outcome follow.
AFTER_SESSION = 0
# `hours_before` of the neutral reminder after a missed course session (due when it is marked
# missed). Negative, so never taken for a reminder before a session; unique per booking, so
# the person gets it once however often the attendance is corrected.
MISSED = -1


class Reminder(Base):
    """A reminder to send once; a sweep claims due rows atomically (see booking/reminders.py).
    The row with `hours_before == AFTER_SESSION` is the survey after an attended session."""

    __tablename__ = "booking_reminders"
    __table_args__ = (
        UniqueConstraint("booking_id", "hours_before"),
        Index("ix_booking_reminders_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking_bookings.id", ondelete="CASCADE"))
    hours_before: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # "pending" → "sending" (claimed) → "sent" | "failed"; "cancelled"; "skipped" (too late)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AssessmentVersion(Base):
    """One signed version of the aggressor programme's assessment sheet
    («Лист оценки определения статуса агрессора»), for one booking of the programme.

    The person is anonymous, so the sheet hangs on the booking; it goes when the booking goes
    (the booking cascades from the person: erasure and retention delete it with them). Every
    answer and note is in `body_enc`, encrypted: a copy of the database shows only who signed
    which version and when."""

    __tablename__ = "programme_assessments"
    __table_args__ = (UniqueConstraint("booking_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("booking_bookings.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)  # 1, 2, ... never rewritten
    signed_by: Mapped[str] = mapped_column(String(64))  # the specialist's staff username
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    body_enc: Mapped[str] = mapped_column(Text)


class Course(Base):
    """One person's correctional course in the aggressor programme (booking/course.py).

    It hangs on the person (erased with them on /forget), and retention holds the person while
    the course needs them: enrolled, then until `keep_until` (the follow-up). Its sessions are
    the bookings with this `course_id`. What was said (notes, the reasons in words) is in
    `notes_enc`, encrypted; codes and dates are in the clear for the figures."""

    __tablename__ = "programme_courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    intake_booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("booking_bookings.id", ondelete="SET NULL")
    )
    lang: Mapped[str] = mapped_column(String(2))
    mode: Mapped[str] = mapped_column(String(8))
    sessions_planned: Mapped[int] = mapped_column(Integer)
    every_days: Mapped[int] = mapped_column(Integer)
    # "active" → "completed" | "ended" (dropped out, excluded, referred)
    status: Mapped[str] = mapped_column(String(16), default="active")
    end_reason: Mapped[str | None] = mapped_column(String(32))
    outcome: Mapped[str | None] = mapped_column(String(32))
    enrolled_by: Mapped[str] = mapped_column(String(64))
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    follow_up_due: Mapped[date | None] = mapped_column(Date)
    follow_up_done_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    follow_up_result: Mapped[str | None] = mapped_column(String(32))
    # Retention holds the person until then; NULL while enrolled (held without an end).
    keep_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    notes_enc: Mapped[str | None] = mapped_column(Text)
    # His written consent to confirming his attendance (to a court or police who sent him):
    # when staff recorded it and who. NULL: none, or withdrawn (the audit log keeps the story).
    confirm_consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    confirm_consent_by: Mapped[str | None] = mapped_column(String(64))
