"""Who is on shift: the consultants a coordinator may hand a case to (the supervisor page).

Decision (docs/handoff.md, "The supervisor page"): a consultant is on shift when their staff
account is active, has the `consultant` role, and they were seen within ON_SHIFT_WINDOW (the
same 15 minutes that decide whether the queue is served, handoff/presence.py):
- a staff web session used in the window (any staff page; the console polls every few
  seconds, and the session's `last_seen_at` is written at most once a minute), or
- an entry of theirs in the audit log (a claim, a note, a close, a case opened — from the web
  or, through a linked Telegram account, from the group's buttons and topics), or
- a message they sent to a person (a reply typed in a case's Telegram topic is not audited,
  but its line carries the staff username as its author).
Presence (presence.py) knows only that *somebody* served the queue; this reads who, from
rows that exist anyway, so no migration and no new writes on the hot path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from handoff.models import CaseMessage
from handoff.presence import SERVED_WINDOW
from staffweb.models import AuditEvent, StaffSession, StaffUser

ON_SHIFT_WINDOW = SERVED_WINDOW
SHIFT_ROLE = "consultant"


@dataclass(frozen=True, slots=True)
class OnShift:
    staff_id: int
    username: str
    seen_at: datetime  # the latest sign of them within the window


def _consultant(roles: str) -> bool:
    return SHIFT_ROLE in roles.split(",")


class Roster:
    """Reads who is on shift; given the cases' session factory (CaseReads.session)."""

    def __init__(
        self, session: Callable[[], AsyncSession], window: timedelta = ON_SHIFT_WINDOW
    ) -> None:
        self._session = session
        self.window = window

    async def on_shift(self, now: datetime) -> list[OnShift]:
        """The consultants on shift now, the most recently seen first."""
        since = now - self.window
        seen: dict[int, datetime] = {}
        async with self._session() as s:
            users = {
                u.id: u
                for u in (await s.execute(select(StaffUser).where(StaffUser.active))).scalars()
                if _consultant(u.roles)
            }
            if not users:
                return []
            by_name = {u.username: u.id for u in users.values()}
            signs = [
                select(StaffSession.staff_id, func.max(StaffSession.last_seen_at))
                .where(StaffSession.last_seen_at >= since)
                .group_by(StaffSession.staff_id),
                select(AuditEvent.staff_id, func.max(AuditEvent.at))
                .where(AuditEvent.at >= since, AuditEvent.staff_id.is_not(None))
                .group_by(AuditEvent.staff_id),
            ]
            for query in signs:
                for staff_id, at in (await s.execute(query)).all():
                    if staff_id in users and at is not None:
                        seen[staff_id] = max(at, seen.get(staff_id, at))
            wrote = (
                select(CaseMessage.author, func.max(CaseMessage.created_at))
                .where(CaseMessage.direction == "out", CaseMessage.created_at >= since)
                .group_by(CaseMessage.author)
            )
            for author, at in (await s.execute(wrote)).all():
                staff_id = by_name.get(author)
                if staff_id is not None and at is not None:
                    seen[staff_id] = max(at, seen.get(staff_id, at))
        on = [OnShift(i, users[i].username, at) for i, at in seen.items()]
        return sorted(on, key=lambda o: (-o.seen_at.timestamp(), o.username))

    async def find(self, staff_id: int, now: datetime) -> OnShift | None:
        return next((o for o in await self.on_shift(now) if o.staff_id == staff_id), None)
