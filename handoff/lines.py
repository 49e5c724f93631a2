"""A case's relay log (every message both ways, paired with its copies in the consultants'
topic and in the person's chat) and the consultants' notes, encrypted at rest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff.models import CaseMessage, HandoffCase
from storage.crypto import DecryptionError, Vault
from storage.db import Database


@dataclass(frozen=True, slots=True)
class Line:
    id: int
    direction: str  # "in" | "out" | "system" | "held" | "copy"
    author: str
    text: str
    urgent: bool
    at: datetime
    delivery: str
    topic_message_id: int | None
    person_message_id: str | None


# A consultant's message written in the topic before anyone claimed the case: kept (not sent,
# not on the transcript) until its author claims the case and sends it, or the case is gone.
HELD = "held"
# An earlier copy of the case card in the topic (replaced by `/card`): not a line anyone reads,
# only where erasure must reach.
COPY = "copy"
UNREAD = (HELD, COPY)


@dataclass(frozen=True, slots=True)
class Note:
    author: str
    text: str
    at: str


class CaseLines:
    """The lines and notes of cases (a part of CaseStore, which sets the database and vault)."""

    _db: Database
    _vault: Vault

    async def add_line(
        self,
        case_id: int,
        direction: str,
        text: str,
        now: datetime,
        *,
        author: str = "",
        urgent: bool = False,
        delivery: str = "pending",
        topic_message_id: int | None = None,
        person_message_id: str | None = None,
        session: AsyncSession | None = None,
    ) -> int:
        row = CaseMessage(
            case_id=case_id,
            direction=direction,
            author=author[:64],
            text_enc=self._vault.encrypt(text),
            urgent=urgent,
            created_at=now,
            delivery=delivery,
            topic_message_id=topic_message_id,
            person_message_id=person_message_id,
        )
        if session is not None:
            session.add(row)
            await session.flush()
            return row.id
        async with self._db.session() as s, s.begin():
            s.add(row)
            await s.flush()
            return row.id

    async def lines(self, case_id: int, after: int = 0, limit: int = 500) -> list[Line]:
        async with self._db.session() as s:
            rows = (
                await s.execute(
                    select(CaseMessage)
                    .where(
                        CaseMessage.case_id == case_id,
                        CaseMessage.id > after,
                        CaseMessage.direction.not_in(UNREAD),
                    )
                    .order_by(CaseMessage.id)
                    .limit(limit)
                )
            ).scalars()
            return [self._line(r) for r in rows]

    def _line(self, r: CaseMessage) -> Line:
        try:
            text = self._vault.decrypt(r.text_enc)
        except DecryptionError:
            text = "…"
        return Line(
            r.id,
            r.direction,
            r.author,
            text,
            r.urgent,
            r.created_at,
            r.delivery,
            r.topic_message_id,
            r.person_message_id,
        )

    async def line(self, line_id: int) -> Line | None:
        async with self._db.session() as s:
            row = await s.get(CaseMessage, line_id)
            return self._line(row) if row else None

    async def take_line(self, line_id: int) -> bool:
        """Remove a line (a held message about to be sent as a reply); False if already gone,
        so that two presses send it once."""
        async with self._db.session() as s, s.begin():
            gone = await s.execute(delete(CaseMessage).where(CaseMessage.id == line_id))
            return bool(gone.rowcount)  # type: ignore[attr-defined]

    async def line_by_topic_message(self, case_id: int, topic_message_id: int) -> Line | None:
        async with self._db.session() as s:
            row = await s.scalar(
                select(CaseMessage).where(
                    CaseMessage.case_id == case_id,
                    CaseMessage.topic_message_id == topic_message_id,
                )
            )
            return self._line(row) if row else None

    async def line_by_person_message(self, case_id: int, person_message_id: str) -> Line | None:
        async with self._db.session() as s:
            row = await s.scalar(
                select(CaseMessage)
                .where(
                    CaseMessage.case_id == case_id,
                    CaseMessage.person_message_id == person_message_id,
                )
                .limit(1)
            )
            return self._line(row) if row else None

    async def mark_line(
        self,
        line_id: int,
        *,
        delivery: str | None = None,
        topic_message_id: int | None = None,
        person_message_id: str | None = None,
    ) -> None:
        values: dict[str, Any] = {}
        if delivery is not None:
            values["delivery"] = delivery
        if topic_message_id is not None:
            values["topic_message_id"] = topic_message_id
        if person_message_id is not None:
            values["person_message_id"] = person_message_id
        if values:
            async with self._db.session() as s, s.begin():
                await s.execute(
                    update(CaseMessage).where(CaseMessage.id == line_id).values(**values)
                )

    # -- notes --------------------------------------------------------------------------

    async def add_note(self, case_id: int, author: str, text: str, now: datetime) -> None:
        async with self._db.session() as s, s.begin():
            row = await s.get(HandoffCase, case_id, with_for_update=True)
            if row is None:
                return
            notes = self._notes(row.notes_enc)
            notes.append({"author": author[:64], "text": text[:4000], "at": now.isoformat()})
            row.notes_enc = self._vault.encrypt_json(notes)

    async def notes(self, case_id: int) -> list[Note]:
        async with self._db.session() as s:
            enc = await s.scalar(select(HandoffCase.notes_enc).where(HandoffCase.id == case_id))
        return [Note(n["author"], n["text"], n["at"]) for n in self._notes(enc)]

    def _notes(self, enc: str | None) -> list[dict[str, str]]:
        if not enc:
            return []
        try:
            data = self._vault.decrypt_json(enc)
        except (DecryptionError, ValueError):
            return []
        return [n for n in data if isinstance(n, dict)] if isinstance(data, list) else []
