"""Tables of live handoff: cases, the relay log (message pairs) and the durable outbox.

Texts are stored only encrypted (Vault). A case refers to the person by id; when the person
is forgotten the reference becomes NULL and a sweep wipes and closes the case.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
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

# Case states. QUEUED → CLAIMED (a consultant took it) → ACTIVE (the consultant wrote) → CLOSED;
# or ABANDONED (the person left before a claim) / TIMED_OUT (nobody claimed it in time).
QUEUED, CLAIMED, ACTIVE, CLOSED, ABANDONED, TIMED_OUT = (
    "queued",
    "claimed",
    "active",
    "closed",
    "abandoned",
    "timed_out",
)
OPEN_STATES = (QUEUED, CLAIMED, ACTIVE)
LIVE_STATES = (CLAIMED, ACTIVE)


class HandoffCase(Base):
    __tablename__ = "handoff_cases"
    __table_args__ = (Index("ix_handoff_cases_state_created", "state", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(12), unique=True)  # "K-4821": what staff see
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(Integer)  # registry row (state.contact)
    state: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(32))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    danger: Mapped[str | None] = mapped_column(String(8))  # "high" | "elevated" | "low"
    quiet: Mapped[bool] = mapped_column(Boolean, default=False)  # do not write first
    lang: Mapped[str] = mapped_column(String(2))
    role: Mapped[str] = mapped_column(String(16), default="unknown")
    region: Mapped[str | None] = mapped_column(String(32))
    details_enc: Mapped[str | None] = mapped_column(Text)  # danger screen answers, encrypted
    notes_enc: Mapped[str | None] = mapped_column(Text)  # consultants' notes, encrypted JSON
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())  # created, or the callback time
    callback_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    escalated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())  # the first time
    # An urgent case nobody claims is escalated again and again (handoff/timeouts.py).
    escalations: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_escalation_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_person_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    urgent_notice_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))  # staff username or tg name
    claimed_staff_id: Mapped[int | None] = mapped_column(Integer)
    claimed_tg_user: Mapped[int | None] = mapped_column(BigInteger)
    outcome: Mapped[str | None] = mapped_column(String(32))
    topic_chat: Mapped[int | None] = mapped_column(BigInteger)
    topic_thread: Mapped[int | None] = mapped_column(Integer)
    card_message_id: Mapped[int | None] = mapped_column(Integer)
    failed_deliveries: Mapped[int] = mapped_column(Integer, default=0)


class CaseMessage(Base):
    """One line of a live case and where it sits on both sides (the message pair)."""

    __tablename__ = "handoff_messages"
    __table_args__ = (
        UniqueConstraint("case_id", "topic_message_id"),
        Index("ix_handoff_messages_case_id_id", "case_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("handoff_cases.id", ondelete="CASCADE"))
    # "in" (person → consultant), "out" (consultant → person), "system" (for staff only)
    direction: Mapped[str] = mapped_column(String(8))
    author: Mapped[str] = mapped_column(String(64), default="")
    text_enc: Mapped[str] = mapped_column(Text)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    topic_message_id: Mapped[int | None] = mapped_column(Integer)
    person_message_id: Mapped[str | None] = mapped_column(String(64), index=True)
    delivery: Mapped[str] = mapped_column(String(8), default="pending")  # pending|sent|failed


class TelegramLink(Base):
    """A staff account's Telegram account (keyed hash of the user id): who may act in topics."""

    __tablename__ = "handoff_telegram_links"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True
    )
    tg_hash: Mapped[str] = mapped_column(String(64), unique=True)
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime())


class LinkCode(Base):
    """A one-time code from the web console that links the Telegram account that sends it."""

    __tablename__ = "handoff_link_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
