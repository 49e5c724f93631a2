"""The encrypted transcript and the platform message ids of a conversation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select

from storage.crypto import DecryptionError, Vault
from storage.db import Database, Tx
from storage.models import PlatformMessage, TranscriptEntry


@dataclass(frozen=True, slots=True)
class Line:
    direction: str  # "in" | "out"
    text: str
    at: datetime


class Transcripts:
    def __init__(self, db: Database, vault: Vault) -> None:
        self._db = db
        self._vault = vault

    async def append(self, person_id: int, lines: Sequence[tuple[str, str]], now: datetime) -> None:
        """Store (direction, text) pairs in one statement."""
        if any(text for _, text in lines):
            async with self._db.transaction() as conn:
                await self.append_in(conn, person_id, lines, now)

    async def append_in(
        self,
        conn: Tx,
        person_id: int,
        lines: Sequence[tuple[str, str]],
        now: datetime,
    ) -> None:
        rows = [
            {
                "person_id": person_id,
                "direction": direction,
                "text_enc": self._vault.encrypt(text),
                "created_at": now,
            }
            for direction, text in lines
            if text
        ]
        if rows:
            await conn.execute(insert(TranscriptEntry), rows)

    async def recent(self, person_id: int, limit: int = 50) -> list[Line]:
        async with self._db.session() as s:
            rows = (
                await s.execute(
                    select(TranscriptEntry)
                    .where(TranscriptEntry.person_id == person_id)
                    .order_by(TranscriptEntry.id.desc())
                    .limit(limit)
                )
            ).scalars()
            out = []
            for r in rows:
                try:
                    text = self._vault.decrypt(r.text_enc)
                except DecryptionError:
                    text = "…"
                out.append(Line(r.direction, text, r.created_at))
        return out[::-1]


class MessageIds:
    """Platform message ids per person, for deleting a conversation from the person's phone."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, person_id: int, message_ids: Sequence[str], now: datetime) -> None:
        if message_ids:
            async with self._db.transaction() as conn:
                await self.record_in(conn, person_id, message_ids, now)

    async def record_in(
        self, conn: Tx, person_id: int, message_ids: Sequence[str], now: datetime
    ) -> None:
        if message_ids:
            await conn.execute(
                insert(PlatformMessage),
                [{"person_id": person_id, "message_id": m, "sent_at": now} for m in message_ids],
            )

    async def since(self, person_id: int, since: datetime) -> tuple[list[str], int]:
        """Ids newer than `since`, and how many older ones (too old to delete) exist."""
        async with self._db.session() as s:
            rows = (
                await s.execute(
                    select(PlatformMessage.message_id, PlatformMessage.sent_at).where(
                        PlatformMessage.person_id == person_id
                    )
                )
            ).all()
        fresh = [r.message_id for r in rows if r.sent_at >= since]
        return fresh, len(rows) - len(fresh)

    async def clear(self, person_id: int) -> None:
        async with self._db.session() as s, s.begin():
            await s.execute(delete(PlatformMessage).where(PlatformMessage.person_id == person_id))
