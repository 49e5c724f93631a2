"""The inbox table: every update a platform delivered, stored before it is acknowledged.

`(channel, update_key)` is unique, so a redelivery is a no-op. `order_key` (a keyed hash of
the chat: never the chat id in clear) serialises one person's updates; `seq` orders them.
The raw update is encrypted and cleared once processed. `snapshot_*` hold the person's
conversation state as it was before the turn started, so that a turn re-run after a crash
starts from the same state, and `answered` that its replies were queued already (see
bot/inbox/store.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.coltypes import UtcDateTime
from storage.models import Base


class InboxRow(Base):
    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("channel", "update_key"),
        Index("ix_inbox_order", "order_key", "done_at", "seq"),
        Index("ix_inbox_pending", "done_at", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    update_key: Mapped[str] = mapped_column(String(128))
    order_key: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(BigInteger)
    payload_enc: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The state before the turn's first attempt (None inside: the person had no state).
    snapshot_taken: Mapped[bool] = mapped_column(Boolean, default=False)
    snapshot_person: Mapped[int | None] = mapped_column(Integer)
    snapshot_enc: Mapped[str | None] = mapped_column(Text)
    transcript_mark: Mapped[int | None] = mapped_column(Integer)
    # The turn's replies were queued before its handoff (`Runner.answer_in`): a re-run after a
    # crash in the handoff does not queue them again.
    answered: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
