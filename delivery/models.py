"""The outbox's table: every message to a person or to the consultants' group waits here
until it is handed to its platform (delivery/outbox.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.coltypes import UtcDateTime
from storage.models import Base


class OutboxRow(Base):
    """A pending delivery. Workers claim rows atomically; one in flight per destination."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_state_next_at", "state", "next_at"),
        Index("ix_outbox_dest_id", "dest", "id"),
        Index("ix_outbox_dest_sent_at", "dest", "sent_at"),
        # Forgetting a person cascades here: without it, a scan of the outbox per person.
        Index("ix_outbox_person_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # which handler delivers it ("person", ...)
    dest: Mapped[str] = mapped_column(String(64))  # rate-limit and ordering key
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    payload_enc: Mapped[str] = mapped_column(Text)  # encrypted JSON; emptied once sent
    tag: Mapped[str] = mapped_column(String(32), default="")  # who hears about the result
    meta: Mapped[str] = mapped_column(String(256), default="{}")  # ids only, never texts
    priority: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(8))  # pending | sending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_at: Mapped[datetime] = mapped_column(UtcDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(String(200))
    # Who holds a "sending" row (a process: see delivery/leases.py `owner_id`), and when its
    # message was last handed to the platform: set while it may have gone out unconfirmed.
    owner: Mapped[str | None] = mapped_column(String(40))
    attempted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
