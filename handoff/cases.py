"""Changing cases in the database (the view: case_view.py, the reads: case_reads.py, the relay
log and notes: lines.py). Every state change is a conditional UPDATE, so that two consoles (or
two processes) acting at once cannot both win."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from handoff.case_reads import CaseReads
from handoff.case_view import Case, Erased, draw_number
from handoff.lines import COPY
from handoff.models import (
    ACTIVE,
    CLAIMED,
    CLOSED,
    OPEN_STATES,
    QUEUED,
    CaseMessage,
    HandoffCase,
)


class CaseStore(CaseReads):
    """The cases: read (CaseReads, with their lines: CaseLines) and changed (here)."""

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
            .values(state=CLAIMED, claimed_at=now, **_held_by(by, staff_id, tg_user))
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

    async def reopen(
        self, case_id: int, *, name: str, staff_id: int | None, now: datetime, within: timedelta
    ) -> Case | None:
        """A case closed by a consultant less than `within` ago, live again with `name` as its
        consultant; None when it is not (too late, not closed, no person any more, or the
        person has another case open)."""
        case = HandoffCase
        async with self._db.session() as s, s.begin():
            row = await s.get(case, case_id)
            if row is None or row.person_id is None:
                return None
            other = await s.scalar(
                select(case.id).where(
                    case.person_id == row.person_id, case.state.in_(OPEN_STATES), case.id != case_id
                )
            )
            if other is not None:
                return None
            won = (
                await s.execute(
                    update(case)
                    .where(
                        case.id == case_id,
                        case.state == CLOSED,
                        case.closed_at >= now - within,
                    )
                    .values(
                        state=ACTIVE, outcome=None, closed_at=None, **_held_by(name, staff_id, None)
                    )
                    .returning(case.id)
                )
            ).scalar_one_or_none()
        return await self.get(case_id) if won is not None else None

    async def hand_over(
        self,
        case_id: int,
        *,
        holder: int | None,
        holder_name: str | None,
        to: tuple[str, int] | None,
        now: datetime,
    ) -> Case | None:
        """A coordinator moves a live case: to another consultant (`to`: name, staff id), or
        back to the queue (None). Conditional on the holder the coordinator saw, so a close, a
        claim or another move made meanwhile wins and this returns None.

        Back in the queue the case waits afresh: due now, with no alerts yet, so the sweep
        escalates it (and tells the person, with the phone lines) only if nobody takes it
        within the usual limits — not at once for an hour-old request."""
        case = HandoffCase
        if to is not None:
            values: dict[str, Any] = _held_by(to[0], to[1], None)
        else:
            values = {
                "state": QUEUED,
                "due_at": now,
                "claimed_at": None,
                "escalations": 0,
                "escalated_at": None,
                "next_escalation_at": None,
                "claimed_by": None,  # nobody has it: the queue's rows show no holder
                "claimed_staff_id": None,
                "claimed_tg_user": None,
            }
        stmt = (
            update(case)
            .where(
                case.id == case_id,
                case.state.in_((CLAIMED, ACTIVE)),
                case.claimed_staff_id.is_(None)
                if holder is None
                else case.claimed_staff_id == holder,
                case.claimed_by.is_(None)
                if holder_name is None
                else case.claimed_by == holder_name,
            )
            .values(**values)
            .returning(case.id)
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
        self,
        now: datetime,
        urgent_after: timedelta,
        after: timedelta,
        repeat: Sequence[timedelta] = (),
    ) -> list[Case]:
        """Queued cases due an alert, each alert returned once (across processes: the update
        is conditional on the count it read): past their time limit and never escalated, or
        urgent and due again. After the k-th alert of an urgent case the next is due
        `repeat[k - 1]` later (the last gap repeats); an ordinary case is escalated once."""
        case = HandoffCase
        first = and_(
            case.escalations == 0,
            or_(
                and_(case.urgent.is_(True), case.due_at <= now - urgent_after),
                case.due_at <= now - after,
            ),
        )
        again = and_(case.next_escalation_at.is_not(None), case.next_escalation_at <= now)
        taken: list[int] = []
        async with self._db.session() as s, s.begin():
            due = (
                await s.execute(
                    select(case.id, case.escalations, case.urgent).where(
                        case.state == QUEUED, or_(first, again)
                    )
                )
            ).all()
            for row_id, count, urgent in due:
                gap = repeat[min(count, len(repeat) - 1)] if urgent and repeat else None
                done = await s.execute(
                    update(case)
                    .where(case.id == row_id, case.state == QUEUED, case.escalations == count)
                    .values(
                        escalations=count + 1,
                        escalated_at=func.coalesce(case.escalated_at, now),
                        next_escalation_at=now + gap if gap is not None else None,
                    )
                )
                if done.rowcount:  # type: ignore[attr-defined]
                    taken.append(row_id)
        return [c for c in [await self.get(i) for i in taken] if c is not None]

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
        """The case's card is now this message. A card it replaces (`/card`) carries the
        person's messages too: it is kept as a `copy` line, so that erasure finds it."""
        async with self._db.session() as s, s.begin():
            row = await s.get(HandoffCase, case_id, with_for_update=True)
            if row is None:
                return
            old = row.card_message_id
            if old is not None and old != message_id:
                s.add(
                    CaseMessage(
                        case_id=case_id,
                        direction=COPY,
                        text_enc=self._vault.encrypt(""),
                        created_at=row.created_at,  # its age decides delete or blank
                        delivery="sent",
                        topic_message_id=old,
                    )
                )
            row.card_message_id = message_id

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


def _held_by(name: str, staff_id: int | None, tg_user: int | None) -> dict[str, Any]:
    """Who has a case: the name colleagues see, and the web or Telegram account behind it."""
    return {"claimed_by": name[:64], "claimed_staff_id": staff_id, "claimed_tg_user": tg_user}
