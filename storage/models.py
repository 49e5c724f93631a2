"""Tables of the core: people, their conversation state, transcript and platform message ids.

Nothing here holds a platform id or a text in clear: see storage/crypto.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.coltypes import UtcDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Person(Base):
    """Someone who wrote to the bot on one channel, known only by a keyed hash."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("channel", "ref_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    ref_hash: Mapped[str] = mapped_column(String(64))
    # Where replies go (Telegram chat id, WhatsApp number), encrypted.
    address_enc: Mapped[str | None] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class ConversationState(Base):
    """Where a person is in the dialogue (used when Redis is not configured)."""

    __tablename__ = "conversation_states"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    data_enc: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class TranscriptEntry(Base):
    """One message of a conversation, encrypted; kept for the consultant, then deleted."""

    __tablename__ = "transcript"
    __table_args__ = (Index("ix_transcript_person_at", "person_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(3))  # "in" | "out"
    text_enc: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PlatformMessage(Base):
    """Ids of messages in the person's chat, so that quick exit can delete them."""

    __tablename__ = "platform_messages"
    __table_args__ = (Index("ix_platform_messages_person_at", "person_id", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime())
