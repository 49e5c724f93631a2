"""Who may act in the consultants' Telegram group: staff accounts linked to Telegram accounts.

Being a member of the group is not enough to claim a case or talk to a person: the Telegram
account must be linked to an active staff account with a consultant's role. A staff member
links it with a one-time code from the web console (`/staff/handoff/link`), sent to the bot
as `/link CODE` in the group or privately. The database keeps only keyed hashes, of the code
and of the Telegram user id (Vault, rotation-aware), never the id itself.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, select, update

from handoff.models import LinkCode, TelegramLink
from staffweb.auth import Staff
from staffweb.models import StaffUser
from storage.crypto import Vault
from storage.db import Database

CODE_TTL = timedelta(minutes=10)
# No 0/O, 1/I: read off a screen and typed on a phone. 32^8 ≈ 10^12 codes, each alive 10 min.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CASE_ROLES = frozenset({"consultant", "coordinator", "admin"})
_CODE, _TELEGRAM = "link-code", "telegram-staff"  # hash domains


@dataclass(frozen=True, slots=True)
class Linked:
    staff: Staff

    @property
    def username(self) -> str:
        return self.staff.username


class Links:
    def __init__(self, db: Database, vault: Vault) -> None:
        self._db = db
        self._vault = vault

    async def new_code(self, staff_id: int, now: datetime) -> str:
        """A fresh code for this staff member; their earlier unused codes stop working."""
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        async with self._db.transaction() as conn:
            await conn.execute(
                delete(LinkCode).where(LinkCode.staff_id == staff_id, LinkCode.used_at.is_(None))
            )
            await conn.execute(
                insert(LinkCode).values(
                    staff_id=staff_id,
                    code_hash=self._vault.ref_hashes(_CODE, code)[0],
                    created_at=now,
                    expires_at=now + CODE_TTL,
                )
            )
        return code

    async def redeem(self, code: str, tg_user: int, now: datetime) -> Linked | None:
        """Link the Telegram account to the code's staff account; None for a wrong, expired
        or used code (one conditional UPDATE: a code works once, even sent twice at once)."""
        typed = "".join(ch for ch in code.upper() if ch.isalnum())[:32]
        if not typed:
            return None
        tg = self._vault.ref_hashes(_TELEGRAM, str(tg_user))
        async with self._db.transaction() as conn:
            staff_id = (
                await conn.execute(
                    update(LinkCode)
                    .where(
                        LinkCode.code_hash.in_(self._vault.ref_hashes(_CODE, typed)),
                        LinkCode.used_at.is_(None),
                        LinkCode.expires_at > now,
                    )
                    .values(used_at=now)
                    .returning(LinkCode.staff_id)
                )
            ).scalar_one_or_none()
            if staff_id is None:
                return None
            # One Telegram account per staff account and one staff account per Telegram one.
            await conn.execute(
                delete(TelegramLink).where(
                    (TelegramLink.staff_id == staff_id) | TelegramLink.tg_hash.in_(tg)
                )
            )
            await conn.execute(
                insert(TelegramLink).values(staff_id=staff_id, tg_hash=tg[0], linked_at=now)
            )
        return await self.staff_for(tg_user, now)

    async def staff_for(self, tg_user: int, now: datetime) -> Linked | None:
        """The staff account behind a Telegram account, if it may work on cases now:
        linked, active, not locked, with a consultant's role."""
        hashes = self._vault.ref_hashes(_TELEGRAM, str(tg_user))
        async with self._db.session() as s:
            user = await s.scalar(
                select(StaffUser)
                .join(TelegramLink, TelegramLink.staff_id == StaffUser.id)
                .where(TelegramLink.tg_hash.in_(hashes))
                .limit(1)
            )
        if user is None or not user.active:
            return None
        locked = user.locked_until
        if locked is not None and _aware(locked) > now:
            return None
        roles = frozenset(r for r in user.roles.split(",") if r)
        if not roles & CASE_ROLES:
            return None
        return Linked(Staff(user.id, user.username, roles, ""))

    async def linked_at(self, staff_id: int) -> datetime | None:
        async with self._db.session() as s:
            return await s.scalar(
                select(TelegramLink.linked_at).where(TelegramLink.staff_id == staff_id)
            )

    async def unlink(self, staff_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(delete(TelegramLink).where(TelegramLink.staff_id == staff_id))


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
