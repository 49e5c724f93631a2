"""The directory's table: one row per entry, retired rather than deleted (the audit log keeps
naming it). There is no address column: the bot lists numbers, never places (rules.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.coltypes import UtcDateTime
from storage.models import Base


class DirectoryEntry(Base):
    __tablename__ = "directory_entries"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)  # the file's order; national lines by it
    region: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    name_ru: Mapped[str] = mapped_column(Text)
    name_kk: Mapped[str] = mapped_column(Text, default="")
    line_ru: Mapped[str] = mapped_column(Text, default="")
    line_kk: Mapped[str] = mapped_column(Text, default="")
    phones: Mapped[list[str]] = mapped_column(JSON)
    whatsapp: Mapped[str] = mapped_column(String(16), default="")
    website: Mapped[str] = mapped_column(Text, default="")
    hours_ru: Mapped[str] = mapped_column(Text, default="")
    hours_kk: Mapped[str] = mapped_column(Text, default="")
    free: Mapped[str] = mapped_column(String(8), default="unknown")  # yes | no | unknown
    languages: Mapped[list[str]] = mapped_column(JSON)  # of kk, ru
    shelter: Mapped[str] = mapped_column(String(8), default="unknown")  # yes | no | unknown
    notes: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    last_seen: Mapped[str] = mapped_column(String(32), default="")
    confidence: Mapped[str] = mapped_column(String(16), default="")
    # The last verification: who (a staff login, or the seed's words), when, how, from where.
    verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    verified_by: Mapped[str | None] = mapped_column(Text)
    verified_how: Mapped[str | None] = mapped_column(String(16))  # phoned | official_site
    verified_source: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime())  # the next check
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    retired_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_by: Mapped[str] = mapped_column(String(64))
