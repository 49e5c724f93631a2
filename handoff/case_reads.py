"""Reading cases from the database (the state changes: cases.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from handoff.case_view import Case, case_of
from handoff.lines import CaseLines
from handoff.models import OPEN_STATES, QUEUED, CaseMessage, HandoffCase
from storage.crypto import Vault
from storage.db import Database

_ANY_OPEN = (
    select(HandoffCase.id)
    .where(HandoffCase.person_id == bindparam("person"), HandoffCase.state.in_(OPEN_STATES))
    .limit(1)
)


class CaseReads(CaseLines):
    """The read-only queries of CaseStore (which adds the state changes)."""

    def __init__(self, db: Database, vault: Vault) -> None:
        self._db = db
        self._vault = vault

    def session(self) -> AsyncSession:
        return self._db.session()

    def _view(self, row: HandoffCase) -> Case:
        return case_of(row, self._vault)

    async def get(self, case_id: int) -> Case | None:
        async with self._db.session() as s:
            row = await s.get(HandoffCase, case_id)
            return self._view(row) if row else None

    async def by_number(self, number: str) -> Case | None:
        async with self._db.session() as s:
            key = number.strip().upper()[:12]  # typed from a phone call: case does not matter
            row = await s.scalar(select(HandoffCase).where(HandoffCase.number == key))
            return self._view(row) if row else None

    async def unanswered_since(self, cases: list[Case]) -> dict[int, datetime]:
        """How long each open case's person has been waiting for an answer: since the first of
        their messages after the last one sent to them (a queued case: since it became due,
        unless a later message of theirs is the first after a reply). A case whose person has
        an answer to everything is not in the result. One read for the whole queue."""
        ids = [c.id for c in cases]
        if not ids:
            return {}
        async with self._db.session() as s:
            lines = (
                await s.execute(
                    select(CaseMessage.case_id, CaseMessage.direction, CaseMessage.created_at)
                    .where(CaseMessage.case_id.in_(ids), CaseMessage.direction.in_(("in", "out")))
                    .order_by(CaseMessage.case_id, CaseMessage.id)
                )
            ).all()
        since: dict[int, datetime | None] = {c.id: c.due_at for c in cases if c.state == QUEUED}
        for case_id, direction, at in lines:
            if direction == "out":
                since[case_id] = None  # answered up to here
            elif since.get(case_id) is None:
                since[case_id] = at  # the first message after the last answer
        return {k: v for k, v in since.items() if v is not None}

    async def took_part(self, case_id: int, staff_id: int, username: str) -> bool:
        """Whether a staff member claimed this case or wrote to the person in it (from the web
        console, where replies carry the staff username as their author)."""
        async with self._db.session() as s:
            claimed = await s.scalar(
                select(HandoffCase.id).where(
                    HandoffCase.id == case_id, HandoffCase.claimed_staff_id == staff_id
                )
            )
            if claimed is not None:
                return True
            wrote = await s.scalar(
                select(CaseMessage.id)
                .where(
                    CaseMessage.case_id == case_id,
                    CaseMessage.direction == "out",
                    CaseMessage.author == username[:64],
                )
                .limit(1)
            )
            return wrote is not None

    async def earlier(self, case: Case, limit: int = 20) -> list[Case]:
        """The same person's earlier cases, newest first: as long as the person is kept (a
        retention delete unlinks their cases, person_id NULL), so never beyond retention."""
        if case.person_id is None:
            return []
        async with self._db.session() as s:
            rows = (
                await s.execute(
                    select(HandoffCase)
                    .where(HandoffCase.person_id == case.person_id, HandoffCase.id < case.id)
                    .order_by(HandoffCase.id.desc())
                    .limit(limit)
                )
            ).scalars()
            return [self._view(r) for r in rows]

    async def open_for(self, person_id: int) -> Case | None:
        # Every message asks, and almost always there is none: a bare indexed read first.
        async with self._db.engine.connect() as conn:
            if await conn.scalar(_ANY_OPEN, {"person": person_id}) is None:
                return None
        async with self._db.session() as s:
            row = await s.scalar(
                select(HandoffCase)
                .where(HandoffCase.person_id == person_id, HandoffCase.state.in_(OPEN_STATES))
                .order_by(HandoffCase.id.desc())
                .limit(1)
            )
            return self._view(row) if row else None

    async def by_topic(self, chat: int, thread: int) -> Case | None:
        async with self._db.session() as s:
            row = await s.scalar(
                select(HandoffCase)
                .where(HandoffCase.topic_chat == chat, HandoffCase.topic_thread == thread)
                .order_by(HandoffCase.id.desc())
                .limit(1)
            )
            return self._view(row) if row else None

    async def open_cases(self) -> list[Case]:
        async with self._db.session() as s:
            rows = (
                await s.execute(
                    select(HandoffCase)
                    .where(HandoffCase.state.in_(OPEN_STATES))
                    .order_by(HandoffCase.id)
                )
            ).scalars()
            return [self._view(r) for r in rows]

    async def open_queue(self) -> list[Case]:
        return [c for c in await self.open_cases() if c.state == QUEUED]

    async def recent_closed(self, limit: int = 20) -> list[Case]:
        async with self._db.session() as s:
            rows = (
                await s.execute(
                    select(HandoffCase)
                    .where(HandoffCase.state.not_in(OPEN_STATES))
                    .order_by(HandoffCase.closed_at.desc())
                    .limit(limit)
                )
            ).scalars()
            return [self._view(r) for r in rows]

    async def closed_search(
        self,
        *,
        number: str = "",
        since: datetime | None = None,
        until: datetime | None = None,
        outcome: str = "",
        offset: int = 0,
        limit: int = 20,
    ) -> tuple[list[Case], int]:
        """Closed cases (any state but open), the latest closed first, and how many match:
        by a part of the number (typed from a phone call: any letter case), closed within
        [since, until), and by outcome. The supervisor page pages through them."""
        case = HandoffCase
        where: list[ColumnElement[bool]] = [case.state.not_in(OPEN_STATES)]
        key = number.strip().upper()[:12]
        if key:
            # A literal part of the number: `%` and `_` cannot be in a number, so they are
            # refused rather than escaped (they would match anything).
            where.append(case.number.contains(key.replace("%", "").replace("_", "")))
        if since is not None:
            where.append(case.closed_at >= since)
        if until is not None:
            where.append(case.closed_at < until)
        if outcome:
            where.append(case.outcome == outcome[:32])
        async with self._db.session() as s:
            total = await s.scalar(select(func.count()).select_from(case).where(*where)) or 0
            rows = (
                await s.execute(
                    select(case)
                    .where(*where)
                    .order_by(case.closed_at.desc(), case.id.desc())
                    .offset(max(0, offset))
                    .limit(limit)
                )
            ).scalars()
            return [self._view(r) for r in rows], int(total)

    async def consultant_acted_since(self, since: datetime) -> bool:
        """A case claimed or closed since then (handoff/presence.py: is the queue served?)."""
        query = (
            select(HandoffCase.id)
            .where(or_(HandoffCase.claimed_at >= since, HandoffCase.closed_at >= since))
            .limit(1)
        )
        async with self.session() as session:
            return (await session.execute(query)).first() is not None

    async def open_count_by_chat(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for case in await self.open_cases():
            if case.topic_chat is not None:
                counts[case.topic_chat] = counts.get(case.topic_chat, 0) + 1
        return counts
