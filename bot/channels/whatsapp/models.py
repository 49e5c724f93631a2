"""Tables of the WhatsApp channel (its messages wait in the shared inbox: bot/inbox/models.py).
No phone numbers, no wamids (they embed the number), no texts in clear: message ids are stored
as keyed hashes, held replies encrypted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.coltypes import UtcDateTime
from storage.models import Base


class WhatsAppWindow(Base):
    """When the person last wrote: free-form messages are allowed for 24 hours after it."""

    __tablename__ = "whatsapp_windows"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    last_inbound_at: Mapped[datetime] = mapped_column(UtcDateTime())


class WhatsAppDelivery(Base):
    """What happened to each message the bot sent (sent → delivered → read, or failed)."""

    __tablename__ = "whatsapp_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    msg_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(16))  # reply | reminder | consultant | system
    kind: Mapped[str] = mapped_column(String(16))  # text | interactive | template
    status: Mapped[str] = mapped_column(String(16))  # accepted | sent | delivered | read | failed
    status_rank: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[int | None] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    status_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class WhatsAppHeld(Base):
    """Proactive replies held while the window is closed; delivered when the person writes."""

    __tablename__ = "whatsapp_held"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    replies_enc: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
