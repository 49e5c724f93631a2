"""The inbox's database work. Every decision several processes could race for is one
conditional statement: the unique key makes a redelivery a no-op; a claim is an UPDATE that
succeeds only for the oldest unfinished update of its person whose lease is free or expired.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.inbox.models import InboxRow
from storage.crypto import DecryptionError, Vault
from storage.db import Database, Tx
from storage.models import TranscriptEntry

log = logging.getLogger(__name__)

KEEP_DONE = timedelta(days=2)  # Telegram redelivers for up to 24 hours (Meta: 7 days)


def _not_deferred(now: Any) -> Any:
    """A row the flood gate deferred (`defer`: no attempt, a lease until the window ends) does
    not hold back its person's later updates until it is due; everything else does."""
    row = InboxRow
    return or_(row.attempts > 0, row.lease_until.is_(None), row.lease_until <= now)


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    payload: dict[str, Any] | None  # None: it cannot be decrypted (a rotated-away key)
    attempts: int
    snapshot_taken: bool
    snapshot_person: int | None
    snapshot: dict[str, Any] | None
    transcript_mark: int | None
    deferred: bool = False  # deferred by the flood gate before (its words are not urgent)
    answered: bool = False  # an earlier attempt queued the turn's replies (`mark_answered_in`)


class InboxStore:
    def __init__(
        self, db: Database, vault: Vault, channel: str, keep_done: timedelta = KEEP_DONE
    ) -> None:
        self._db = db
        self._vault = vault
        self.channel = channel
        self.keep_done = keep_done  # a done row's key is kept this long: redeliveries no-ops
        self._insert = pg_insert if db.dialect == "postgresql" else sqlite_insert
        # Built once: the webhook executes them with parameters.
        row = InboxRow
        self._enqueue = self._insert(row).on_conflict_do_nothing().returning(row.id)
        self._head = (
            select(row.id)
            .where(
                row.channel == self.channel,
                row.order_key == bindparam("key"),
                row.done_at.is_(None),
                _not_deferred(bindparam("now")),
            )
            .order_by(row.seq, row.id)
            .limit(1)
        )
        self._release = (
            update(row)
            .where(row.id == bindparam("row"))
            .values(lease_until=None, attempts=row.attempts - 1)
        )
        self._finish = (
            update(row)
            .where(row.id == bindparam("row"))
            .values(done_at=bindparam("now"), lease_until=None, payload_enc=None, snapshot_enc=None)
        )

    def order_key(self, chat: str) -> str:
        return self._vault.ref_hash(f"{self.channel}-inbox", chat)

    async def enqueue(
        self,
        update_key: str,
        order_key: str,
        seq: int,
        payload: dict[str, Any],
        now: datetime,
        lease: timedelta | None = None,
    ) -> tuple[int, bool] | None:
        """Store an update; its row id and whether the caller holds it, or None when it was
        stored before (a redelivery).

        With `lease`, the row is stored claimed by the caller, and the same transaction checks
        that nothing of this person's is before it: if so the caller processes it right away
        (no claim and no read of its own: an urgent turn starts at once); if not, the claim is
        given back in that transaction and the row waits its turn."""
        values = {
            "channel": self.channel,
            "update_key": update_key,
            "order_key": order_key,
            "seq": seq,
            "payload_enc": self._vault.encrypt_json(payload),
            "received_at": now,
            "lease_until": now + lease if lease is not None else None,
            "attempts": 1 if lease is not None else 0,
            "snapshot_taken": False,
        }
        async with self._db.transaction() as conn:
            row_id = (await conn.execute(self._enqueue, values)).scalar_one_or_none()
            if row_id is None:
                return None
            if lease is None:
                return int(row_id), False
            head = await conn.scalar(self._head, {"key": order_key, "now": now})
            if head == row_id:
                return int(row_id), True
            # An earlier update of this person waits (another process has it): not ours yet.
            await conn.execute(self._release, {"row": row_id})
        return int(row_id), False

    async def claim_next(self, order_key: str, now: datetime, lease: timedelta) -> Claimed | None:
        """The person's oldest unfinished update, if nobody holds it; None otherwise.

        While one update of a person is leased, none of their later ones can be claimed:
        one person's updates are handled one at a time, in order, across processes (except
        that an update deferred by the flood gate lets later ones by until it is due)."""
        row = InboxRow
        async with self._db.session() as s, s.begin():
            first = (
                await s.execute(
                    select(row.id, row.attempts, row.lease_until)
                    .where(
                        row.channel == self.channel,
                        row.order_key == order_key,
                        row.done_at.is_(None),
                        _not_deferred(now),
                    )
                    .order_by(row.seq, row.id)
                    .limit(1)
                )
            ).first()
            if first is None:
                return None
            head = first.id
            deferred = first.attempts == 0 and first.lease_until is not None
            taken = (
                await s.execute(
                    update(row)
                    .where(
                        row.id == head,
                        row.done_at.is_(None),
                        or_(row.lease_until.is_(None), row.lease_until < now),
                    )
                    .values(lease_until=now + lease, attempts=row.attempts + 1)
                    .returning(
                        row.id,
                        row.payload_enc,
                        row.attempts,
                        row.snapshot_taken,
                        row.snapshot_person,
                        row.snapshot_enc,
                        row.transcript_mark,
                        row.answered,
                    )
                )
            ).first()
        if taken is None:
            return None
        return Claimed(
            id=taken.id,
            payload=self._decrypt(taken.payload_enc),
            attempts=taken.attempts,
            snapshot_taken=bool(taken.snapshot_taken),
            snapshot_person=taken.snapshot_person,
            snapshot=self._decrypt(taken.snapshot_enc),
            transcript_mark=taken.transcript_mark,
            deferred=deferred,
            answered=bool(taken.answered),
        )

    def _decrypt(self, enc: str | None) -> dict[str, Any] | None:
        if not enc:
            return None
        try:
            data = self._vault.decrypt_json(enc)
        except (DecryptionError, ValueError):
            log.error("an inbox payload cannot be decrypted")
            return None
        return data if isinstance(data, dict) else None

    async def keep_snapshot_in(
        self, conn: Tx, row_id: int, person_id: int, state: dict[str, Any] | None
    ) -> None:
        """Remember the state before the turn and where the transcript stood, in the turn's
        transaction (before its transcript lines are added)."""
        mark = (
            select(func.max(TranscriptEntry.id))
            .where(TranscriptEntry.person_id == person_id)
            .scalar_subquery()
        )
        await conn.execute(
            update(InboxRow)
            .where(InboxRow.id == row_id)
            .values(
                snapshot_taken=True,
                snapshot_person=person_id,
                snapshot_enc=self._vault.encrypt_json(state) if state is not None else None,
                transcript_mark=mark,
            )
        )

    async def mark_answered_in(self, conn: Tx, row_id: int) -> None:
        """The turn's replies were queued in this transaction, before its handoff: a re-run
        (a crash in the handoff) must not queue them again."""
        await conn.execute(update(InboxRow).where(InboxRow.id == row_id).values(answered=True))

    async def rewind_transcript(self, person_id: int, mark: int | None) -> None:
        """Drop the lines an interrupted attempt of this turn appended."""
        async with self._db.session() as s, s.begin():
            await s.execute(
                delete(TranscriptEntry).where(
                    TranscriptEntry.person_id == person_id, TranscriptEntry.id > (mark or 0)
                )
            )

    async def finish(
        self, row_id: int, now: datetime, session: AsyncSession | Tx | None = None
    ) -> None:
        """Done: the payload and the snapshot are not kept. Pass `session` to make it part
        of the caller's transaction (the turn's replies are queued in the same one)."""
        params = {"row": row_id, "now": now}
        if session is not None:
            await session.execute(self._finish, params)
            return
        async with self._db.transaction() as conn:
            await conn.execute(self._finish, params)

    async def defer_in(self, conn: Tx, row_id: int, until: datetime) -> None:
        """Over the flood limit: not done, nobody takes it before `until`, and no attempt is
        counted (a deferral is no failure). Meanwhile it does not hold back later updates
        (`_not_deferred`); once due, it is its person's oldest again and goes first."""
        await conn.execute(
            update(InboxRow)
            .where(InboxRow.id == row_id, InboxRow.done_at.is_(None))
            .values(lease_until=until, attempts=0)
        )

    async def drop_deferred_in(self, conn: Tx, order_key: str, now: datetime) -> None:
        """Finish, unprocessed, a person's updates the flood gate deferred (quick exit)."""
        row = InboxRow
        await conn.execute(
            update(row)
            .where(
                row.channel == self.channel,
                row.order_key == order_key,
                row.done_at.is_(None),
                row.attempts == 0,
                row.lease_until.is_not(None),
            )
            .values(done_at=now, lease_until=None, payload_enc=None, snapshot_enc=None)
        )

    async def retry_at(self, row_id: int, when: datetime) -> None:
        """A failed attempt: nobody takes it again before `when` (then the sweep does)."""
        async with self._db.session() as s, s.begin():
            await s.execute(
                update(InboxRow)
                .where(InboxRow.id == row_id, InboxRow.done_at.is_(None))
                .values(lease_until=when)
            )

    async def waiting(self, now: datetime, grace: timedelta, limit: int = 200) -> list[str]:
        """People with updates nobody is working on: never claimed for `grace`, or a lease
        expired (the process that held it died)."""
        row = InboxRow
        async with self._db.session() as s:
            keys = await s.scalars(
                select(row.order_key)
                .where(
                    row.channel == self.channel,
                    row.done_at.is_(None),
                    or_(
                        and_(row.lease_until.is_(None), row.received_at < now - grace),
                        row.lease_until < now,
                    ),
                )
                .group_by(row.order_key)
                .order_by(func.min(row.id))
                .limit(limit)
            )
            return list(keys)

    async def unfinished(self) -> int:
        async with self._db.session() as s:
            return int(
                await s.scalar(
                    select(func.count()).where(
                        InboxRow.channel == self.channel, InboxRow.done_at.is_(None)
                    )
                )
                or 0
            )

    async def purge(self, now: datetime) -> int:
        async with self._db.session() as s, s.begin():
            result = await s.execute(
                delete(InboxRow).where(
                    InboxRow.channel == self.channel, InboxRow.done_at < now - self.keep_done
                )
            )
        return int(getattr(result, "rowcount", 0) or 0)
