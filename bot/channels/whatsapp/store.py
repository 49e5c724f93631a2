"""The channel's database work besides the shared inbox (bot/inbox/): the 24-hour window,
delivery statuses and replies held for a closed window. Decisions that several processes
could race for are made by the database (unique hashes, conditional UPDATE/DELETE ... RETURNING).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.channels.whatsapp.models import WhatsAppDelivery, WhatsAppHeld, WhatsAppWindow
from bot.channels.whatsapp.webhook import STATUS_RANK, WaStatus
from bot.fallback import STORAGE_ERRORS
from core.messages import Button, Reply
from storage.crypto import DecryptionError, Vault
from storage.db import Database, Tx
from storage.models import Person

log = logging.getLogger(__name__)

CHANNEL = "whatsapp"
WINDOW = timedelta(hours=24)
# Sending right at the edge of the window races Meta's clock; stay on the safe side.
WINDOW_MARGIN = timedelta(minutes=10)
KEEP_DONE = timedelta(days=7)  # Meta redelivers for up to 7 days; keep hashes that long
KEEP_HELD = timedelta(days=7)
KEEP_DELIVERIES = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Known:
    person_id: int
    lang: str | None


class WhatsAppStore:
    def __init__(self, db: Database, vault: Vault) -> None:
        self._db = db
        self._vault = vault
        self._insert = pg_insert if db.dialect == "postgresql" else sqlite_insert

    def msg_hash(self, msg_id: str) -> str:
        # A wamid embeds the sender's number, so only its keyed hash is kept.
        return self._vault.ref_hash("whatsapp-message", msg_id)

    async def purge(self, now: datetime) -> None:
        async with self._db.session() as s, s.begin():
            await s.execute(delete(WhatsAppHeld).where(WhatsAppHeld.created_at < now - KEEP_HELD))
            await s.execute(
                delete(WhatsAppDelivery).where(WhatsAppDelivery.sent_at < now - KEEP_DELIVERIES)
            )

    # -- people and their window --------------------------------------------------------

    async def known(self, wa_id: str) -> Known | None:
        hashes = self._vault.ref_hashes(CHANNEL, wa_id)
        async with self._db.session() as s:
            row = (
                await s.execute(
                    select(Person.id, Person.lang).where(
                        Person.channel == CHANNEL, Person.ref_hash.in_(hashes)
                    )
                )
            ).first()
        return Known(row.id, row.lang) if row else None

    async def touch_window(self, person_id: int, at: datetime) -> None:
        insert = self._insert(WhatsAppWindow).values(person_id=person_id, last_inbound_at=at)
        stmt = insert.on_conflict_do_update(
            index_elements=[WhatsAppWindow.person_id],
            set_={"last_inbound_at": insert.excluded.last_inbound_at},
            where=WhatsAppWindow.last_inbound_at < insert.excluded.last_inbound_at,
        )
        async with self._db.session() as s, s.begin():
            await s.execute(stmt)

    async def window_open(self, person_id: int, now: datetime) -> bool:
        async with self._db.session() as s:
            last = await s.scalar(
                select(WhatsAppWindow.last_inbound_at).where(WhatsAppWindow.person_id == person_id)
            )
        return last is not None and now - last < WINDOW - WINDOW_MARGIN

    # -- deliveries ---------------------------------------------------------------------

    async def record_sent(
        self,
        person_id: int | None,
        sent: Sequence[tuple[str, str]],
        purpose: str,
        now: datetime,
    ) -> None:
        """(wamid, kind) of each message sent; statuses arrive later by webhook. Called after
        Meta accepted the messages: a storage error is logged, never raised, for a raised one
        would have the outbox send them again (a lost status record costs only the report)."""
        if not sent:
            return
        rows = [
            {
                "msg_hash": self.msg_hash(wamid),
                "person_id": person_id,
                "purpose": purpose,
                "kind": kind,
                "status": "accepted",
                "status_rank": 0,
                "sent_at": now,
            }
            for wamid, kind in sent
        ]
        try:
            async with self._db.session() as s, s.begin():
                await s.execute(self._insert(WhatsAppDelivery).on_conflict_do_nothing(), rows)
        except STORAGE_ERRORS as exc:
            log.warning("%d WhatsApp messages sent, not recorded: %s", len(rows), exc)

    async def record_statuses(self, statuses: Sequence[WaStatus], now: datetime) -> int:
        """Move each delivery forward (a late "delivered" never overwrites "read")."""
        changed = 0
        async with self._db.session() as s, s.begin():
            for st in statuses:
                rank = STATUS_RANK[st.status]
                result = await s.execute(
                    update(WhatsAppDelivery)
                    .where(
                        WhatsAppDelivery.msg_hash == self.msg_hash(st.msg_id),
                        WhatsAppDelivery.status_rank < rank,
                    )
                    .values(
                        status=st.status,
                        status_rank=rank,
                        status_at=st.at or now,
                        error_code=st.error_code,
                    )
                    .returning(WhatsAppDelivery.id)
                )
                changed += len(result.all())
                if st.status == "failed":
                    log.warning("WhatsApp delivery failed: code %s", st.error_code)
        return changed

    # -- replies held for a closed window -----------------------------------------------

    async def hold(
        self, person_id: int, replies: Sequence[Reply], purpose: str, now: datetime
    ) -> None:
        async with self._db.transaction() as conn:
            await self.hold_in(conn, person_id, replies, purpose, now)

    async def hold_in(
        self, conn: Tx, person_id: int, replies: Sequence[Reply], purpose: str, now: datetime
    ) -> None:
        """Keep replies to send when the person writes (`take_held`), within the caller's
        transaction."""
        if not replies:
            return
        data = [
            {
                "text": r.text,
                "buttons": [[[b.label, b.payload] for b in row] for row in r.buttons],
                "urgent": r.urgent,
            }
            for r in replies
        ]
        await conn.execute(
            insert(WhatsAppHeld).values(
                person_id=person_id,
                purpose=purpose,
                replies_enc=self._vault.encrypt_json(data),
                created_at=now,
            )
        )

    async def take_held(self, person_id: int) -> list[Reply]:
        """Held replies, oldest first, removed in the same statement (taken exactly once)."""
        stmt = (
            delete(WhatsAppHeld)
            .where(WhatsAppHeld.person_id == person_id)
            .returning(WhatsAppHeld.id, WhatsAppHeld.replies_enc)
        )
        async with self._db.session() as s, s.begin():
            rows = sorted((await s.execute(stmt)).all())
        out: list[Reply] = []
        for row in rows:
            try:
                data = self._vault.decrypt_json(row.replies_enc)
            except DecryptionError:
                log.error("held WhatsApp replies cannot be decrypted; dropped")
                continue
            for r in data:
                buttons = tuple(tuple(Button(lab, pay) for lab, pay in row) for row in r["buttons"])
                out.append(Reply(r["text"], buttons, bool(r.get("urgent"))))
        return out
