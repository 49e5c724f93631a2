"""One row per contact: a conversation that reached the service. No texts, no ids of people."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.coltypes import UtcDateTime
from storage.models import Base


class Contact(Base):
    __tablename__ = "registry_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    last_at: Mapped[datetime] = mapped_column(UtcDateTime())
    channel: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(2))
    role: Mapped[str] = mapped_column(String(16), default="unknown")
    region: Mapped[str | None] = mapped_column(String(32))
    topics: Mapped[str] = mapped_column(String(200), default="")  # NLU intents seen, sorted
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    danger_level: Mapped[str | None] = mapped_column(String(8))  # "high" | "elevated" | "low"
    handed_off: Mapped[bool] = mapped_column(Boolean, default=False)
    claim_seconds: Mapped[int | None] = mapped_column(Integer)
    unclaimed: Mapped[bool] = mapped_column(Boolean, default=False)  # timed out without a claim
    handoff_outcome: Mapped[str | None] = mapped_column(String(32))
    booked: Mapped[bool] = mapped_column(Boolean, default=False)
    attended: Mapped[bool | None] = mapped_column(Boolean)
    feedback: Mapped[str | None] = mapped_column(Text)  # JSON of answer codes, never free text
