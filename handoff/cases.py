"""Cases in the database (their relay log and notes: lines.py). Every state change is a
conditional UPDATE, so that two consoles (or two processes) acting at once cannot both win."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from handoff.lines import CaseLines
from handoff.models import (
    ABANDONED,
    ACTIVE,
    CLAIMED,
    CLOSED,
    LIVE_STATES,
    OPEN_STATES,
    QUEUED,
    CaseMessage,
    HandoffCase,
)
from registry import vocabulary as registry_vocabulary
from registry.vocabulary import CONSULTANT_OUTCOMES
from storage.crypto import DecryptionError, Vault
from storage.db import Database

# What a consultant may choose when closing (codes and labels live in the registry's
# vocabulary, so that reports name them the same way); the bot sets SYSTEM_OUTCOMES itself.
OUTCOMES = tuple(CONSULTANT_OUTCOMES)
SYSTEM_OUTCOMES = tuple(registry_vocabulary.SYSTEM_OUTCOMES)


def outcome_label(code: str, lang: str) -> str:
    """A consultant's outcome as the consoles show it, in `lang` (ru or kk)."""
    return registry_vocabulary.label(CONSULTANT_OUTCOMES, code, lang).capitalize()


# Case numbers: K-XXXX-XXXX from 30 signs that cannot be misread (no 0/O, 1/I/L, U):
# 30^8 ≈ 6.6·10^11 codes, so a number cannot be guessed from another. Old numbers
# (K- and 4 or 6 digits) stay valid: they are looked up as they are.
NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def draw_number() -> str:
    signs = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
    return f"K-{signs[:4]}-{signs[4:]}"


_ANY_OPEN = (
    select(HandoffCase.id)
    .where(HandoffCase.person_id == bindparam("person"), HandoffCase.state.in_(OPEN_STATES))
    .limit(1)
)


@dataclass(frozen=True, slots=True)
class Case:
    id: int
    number: str
    person_id: int | None
    contact_id: int | None
    state: str
    reason: str
    urgent: bool
    danger: str | None
    quiet: bool
    lang: str
    role: str
    region: str | None
    details: dict[str, Any]
    created_at: datetime
    due_at: datetime
    callback_at: datetime | None
    escalated_at: datetime | None
    claimed_at: datetime | None
    closed_at: datetime | None
    claimed_by: str | None
    claimed_staff_id: int | None
    claimed_tg_user: int | None
    outcome: str | None
    topic_chat: int | None
    topic_thread: int | None
    card_message_id: int | None
    failed_deliveries: int

    @property
    def open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def live(self) -> bool:
        return self.state in LIVE_STATES


@dataclass(frozen=True, slots=True)
class Erased:
    """A case deleted on the person's request (or by retention), and where its copies were:
    the messages in the consultants' topic (id, when posted) that the bot should remove."""

    case: Case
    copies: tuple[tuple[int, datetime], ...]


class CaseStore(CaseLines):
    def __init__(self, db: Database, vault: Vault) -> None:
        self._db = db
        self._vault = vault

    def session(self) -> AsyncSession:
        return self._db.session()

    # -- reading ------------------------------------------------------------------------

    def _view(self, row: HandoffCase) -> Case:
        details: dict[str, Any] = {}
        if row.details_enc:
            try:
                loaded = self._vault.decrypt_json(row.details_enc)
                details = loaded if isinstance(loaded, dict) else {}
            except (DecryptionError, ValueError):
                details = {}
        return Case(
            row.id,
            row.number,
            row.person_id,
            row.contact_id,
            row.state,
            row.reason,
            row.urgent,
            row.danger,
            row.quiet,
            row.lang,
            row.role,
            row.region,
            details,
            row.created_at,
            row.due_at,
            row.callback_at,
            row.escalated_at,
            row.claimed_at,
            row.closed_at,
            row.claimed_by,
            row.claimed_staff_id,
            row.claimed_tg_user,
            row.outcome,
            row.topic_chat,
            row.topic_thread,
            row.card_message_id,
            row.failed_deliveries,
        )

    async def get(self, case_id: int) -> Case | None:
        async with self._db.session() as s:
            row = await s.get(HandoffCase, case_id)
            return self._view(row) if row else None

    async def by_number(self, number: str) -> Case | None:
        async with self._db.session() as s:
            key = number.strip().upper()[:12]  # typed from a phone call: case does not matter
            row = await s.scalar(select(HandoffCase).where(HandoffCase.number == key))
            return self._view(row) if row else None

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

    # -- opening ------------------------------------------------------------------------

    async def create(
        self,
        *,
        person_id: int,
        contact_id: int | None,
        reason: str,
        urgent: bool,
        danger: str | None,
        quiet: bool,
        lang: str,
        role: str,
        region: str | None,
        details: dict[str, Any],
        callback_at: datetime | None,
        topic_chat: int | None,
        now: datetime,
    ) -> Case:
        for _attempt in range(12):
            number = draw_number()
            row = HandoffCase(
                number=number,
                person_id=person_id,
                contact_id=contact_id,
                state=QUEUED,
                reason=reason[:32],
                urgent=urgent,
                danger=danger,
                quiet=quiet,
                lang=lang,
                role=role[:16],
                region=region[:32] if region else None,
                details_enc=self._vault.encrypt_json(details) if details else None,
                created_at=now,
                due_at=callback_at or now,
                callback_at=callback_at,
                topic_chat=topic_chat,
                failed_deliveries=0,
            )
            try:
                async with self._db.session() as s, s.begin():
                    s.add(row)
                    await s.flush()
                    return self._view(row)
            except IntegrityError:
                continue  # the number was taken: draw another
        raise RuntimeError("could not draw a free case number")

    async def escalate_request(
        self, case_id: int, *, urgent: bool, quiet: bool, danger: str | None
    ) -> Case | None:
        """A second request on an open case: it can only become more urgent, never less."""
        values: dict[str, Any] = {}
        if urgent:
            values["urgent"] = True
        if quiet:
            values["quiet"] = True
        if danger:
            values["danger"] = danger
        if values:
            async with self._db.session() as s, s.begin():
                await s.execute(
                    update(HandoffCase)
                    .where(HandoffCase.id == case_id, HandoffCase.state.in_(OPEN_STATES))
                    .values(**values)
                )
        return await self.get(case_id)

    # -- claiming and closing -----------------------------------------------------------

    async def claim(
        self,
        case_id: int,
        *,
        by: str,
        now: datetime,
        staff_id: int | None = None,
        tg_user: int | None = None,
    ) -> Case | None:
        """Take a queued case. Exactly one caller gets the case back; the others get None."""
        stmt = (
            update(HandoffCase)
            .where(HandoffCase.id == case_id, HandoffCase.state == QUEUED)
            .values(
                state=CLAIMED,
                claimed_at=now,
                claimed_by=by[:64],
                claimed_staff_id=staff_id,
                claimed_tg_user=tg_user,
            )
            .returning(HandoffCase.id)
        )
        async with self._db.session() as s, s.begin():
            won = (await s.execute(stmt)).scalar_one_or_none()
        return await self.get(case_id) if won is not None else None

    async def mark_active(self, case_id: int) -> bool:
        async with self._db.session() as s, s.begin():
            result = await s.execute(
                update(HandoffCase)
                .where(HandoffCase.id == case_id, HandoffCase.state == CLAIMED)
                .values(state=ACTIVE)
                .returning(HandoffCase.id)
            )
            return result.scalar_one_or_none() is not None

    async def finish(
        self, case_id: int, *, state: str, outcome: str, now: datetime, only: tuple[str, ...] = ()
    ) -> Case | None:
        """Close an open case (once: the first closer wins)."""
        allowed = only or OPEN_STATES
        stmt = (
            update(HandoffCase)
            .where(HandoffCase.id == case_id, HandoffCase.state.in_(allowed))
            .values(state=state, outcome=outcome[:32], closed_at=now)
            .returning(HandoffCase.id)
        )
        async with self._db.session() as s, s.begin():
            won = (await s.execute(stmt)).scalar_one_or_none()
        return await self.get(case_id) if won is not None else None

    async def set_quiet(self, case_id: int, quiet: bool) -> None:
        async with self._db.session() as s, s.begin():
            await s.execute(
                update(HandoffCase).where(HandoffCase.id == case_id).values(quiet=quiet)
            )

    async def take_escalations(
        self, now: datetime, urgent_after: timedelta, after: timedelta
    ) -> list[Case]:
        """Queued cases past their time limit, not escalated yet; each is returned once."""
        stmt = (
            update(HandoffCase)
            .where(
                HandoffCase.state == QUEUED,
                HandoffCase.escalated_at.is_(None),
                or_(
                    and_(HandoffCase.urgent.is_(True), HandoffCase.due_at <= now - urgent_after),
                    HandoffCase.due_at <= now - after,
                ),
            )
            .values(escalated_at=now)
            .returning(HandoffCase.id)
        )
        async with self._db.session() as s, s.begin():
            ids = list((await s.execute(stmt)).scalars())
        return [c for c in [await self.get(i) for i in ids] if c is not None]

    async def take_stale(self, now: datetime, max_wait: timedelta) -> list[Case]:
        """Queued cases nobody claimed for `max_wait` after their time: timed out, once."""
        from handoff.models import TIMED_OUT

        stmt = (
            update(HandoffCase)
            .where(HandoffCase.state == QUEUED, HandoffCase.due_at <= now - max_wait)
            .values(state=TIMED_OUT, outcome="unclaimed", closed_at=now)
            .returning(HandoffCase.id)
        )
        async with self._db.session() as s, s.begin():
            ids = list((await s.execute(stmt)).scalars())
        return [c for c in [await self.get(i) for i in ids] if c is not None]

    async def erase_in(
        self, s: AsyncSession, person_ids: Sequence[int] | None, limit: int = 200
    ) -> list[Erased]:
        """Delete the cases of these people (None: of people already forgotten), whatever
        their state: the relay log, the notes and the screen answers go with the row. The
        anonymous registry row is not touched. Only one caller gets each case back."""
        which = (
            HandoffCase.person_id.is_(None)
            if person_ids is None
            else HandoffCase.person_id.in_(list(person_ids))
        )
        rows = list((await s.execute(select(HandoffCase).where(which).limit(limit))).scalars())
        if not rows:
            return []
        ids = [r.id for r in rows]
        views = {r.id: self._view(r) for r in rows}
        copies: dict[int, list[tuple[int, datetime]]] = {i: [] for i in ids}
        for r in rows:
            if r.card_message_id is not None:
                copies[r.id].append((r.card_message_id, r.created_at))
        placed = await s.execute(
            select(CaseMessage.case_id, CaseMessage.topic_message_id, CaseMessage.created_at)
            .where(CaseMessage.case_id.in_(ids), CaseMessage.topic_message_id.is_not(None))
            .order_by(CaseMessage.id)
        )
        for case_id, message_id, at in placed:
            if message_id is not None:
                copies[case_id].append((message_id, at))
        await s.execute(delete(CaseMessage).where(CaseMessage.case_id.in_(ids)))
        won = (
            await s.execute(
                delete(HandoffCase)
                .where(HandoffCase.id.in_(ids), which)
                .returning(HandoffCase.id)
                .execution_options(synchronize_session=False)
            )
        ).scalars()
        return [Erased(views[i], tuple(copies[i])) for i in won]

    # -- topics -------------------------------------------------------------------------

    async def set_topic(self, case_id: int, chat: int, thread: int | None) -> None:
        async with self._db.session() as s, s.begin():
            await s.execute(
                update(HandoffCase)
                .where(HandoffCase.id == case_id)
                .values(topic_chat=chat, topic_thread=thread)
            )

    async def set_topic_and_card(
        self, case_id: int, chat: int, thread: int | None, message_id: int
    ) -> bool:
        """The case's topic and its card, in one statement; False when the case is gone."""
        async with self._db.transaction() as conn:
            found = await conn.execute(
                update(HandoffCase)
                .where(HandoffCase.id == case_id)
                .values(topic_chat=chat, topic_thread=thread, card_message_id=message_id)
                .returning(HandoffCase.id)
            )
            return found.first() is not None

    async def set_card(self, case_id: int, message_id: int) -> None:
        async with self._db.session() as s, s.begin():
            await s.execute(
                update(HandoffCase)
                .where(HandoffCase.id == case_id)
                .values(card_message_id=message_id)
            )

    async def count_failure(self, case_id: int) -> None:
        async with self._db.session() as s, s.begin():
            await s.execute(
                update(HandoffCase)
                .where(HandoffCase.id == case_id)
                .values(failed_deliveries=HandoffCase.failed_deliveries + 1)
            )

    async def touch_person(self, case_id: int, now: datetime, urgent: bool) -> None:
        values: dict[str, Any] = {"last_person_at": now}
        if urgent:
            values["urgent"] = True
        async with self._db.session() as s, s.begin():
            await s.execute(update(HandoffCase).where(HandoffCase.id == case_id).values(**values))

    async def take_urgent_notice(self, case_id: int, now: datetime, every: timedelta) -> bool:
        """True at most once per `every`: whether to repeat the emergency numbers now."""
        stmt = (
            update(HandoffCase)
            .where(
                HandoffCase.id == case_id,
                or_(
                    HandoffCase.urgent_notice_at.is_(None),
                    HandoffCase.urgent_notice_at <= now - every,
                ),
            )
            .values(urgent_notice_at=now)
            .returning(HandoffCase.id)
        )
        async with self._db.session() as s, s.begin():
            return (await s.execute(stmt)).scalar_one_or_none() is not None


def dump_details(details: dict[str, Any]) -> str:
    return json.dumps(details, ensure_ascii=False, sort_keys=True)


__all__ = [
    "ABANDONED",
    "CLAIMED",
    "CLOSED",
    "OUTCOMES",
    "Case",
    "CaseStore",
    "Erased",
    "outcome_label",
]
