"""People: identified by keyed hash, addressed through an encrypted field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.crypto import Vault
from storage.db import Database, Tx
from storage.models import Person

TOUCH_EVERY = timedelta(hours=1)
_FIND = select(Person.id, Person.lang, Person.last_seen_at).where(
    Person.channel == bindparam("channel"), Person.ref_hash == bindparam("ref")
)


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class PersonRef:
    id: int
    channel: str
    lang: str | None
    created: bool  # first message ever from this person
    # `last_seen_at` before this message updated it (None: the person is new to us); only
    # read when a contact starts, to count distinct people (registry.service.new_in).
    seen_before: datetime | None = None


class People:
    def __init__(self, db: Database, vault: Vault) -> None:
        self._db = db
        self._vault = vault
        self._insert = pg_insert if db.dialect == "postgresql" else sqlite_insert

    async def identify(
        self, channel: str, ref: str, address: str | None, now: datetime
    ) -> PersonRef:
        """Find or create the person behind a platform id.

        A person seen within TOUCH_EVERY costs one indexed read and no write (retention counts
        idle time in days, so `last_seen_at` needs no finer grain); anyone else one upsert."""
        hashes = self._vault.ref_hashes(channel, ref)
        async with self._db.engine.connect() as conn:
            found = (await conn.execute(_FIND, {"channel": channel, "ref": hashes[0]})).first()
        if found is not None and now - _aware(found.last_seen_at) < TOUCH_EVERY:
            return PersonRef(
                id=found.id,
                channel=channel,
                lang=found.lang,
                created=False,
                seen_before=_aware(found.last_seen_at),
            )
        async with self._db.transaction() as s:
            if len(hashes) > 1:
                # Rotated keys: a row made under an old key is re-keyed on first contact.
                await s.execute(
                    update(Person)
                    .where(Person.channel == channel, Person.ref_hash.in_(hashes[1:]))
                    .values(ref_hash=hashes[0])
                )
            insert = self._insert(Person).values(
                channel=channel,
                ref_hash=hashes[0],
                address_enc=self._vault.encrypt(address) if address else None,
                created_at=now,
                last_seen_at=now,
            )
            stmt = insert.on_conflict_do_update(
                index_elements=[Person.channel, Person.ref_hash],
                set_={"last_seen_at": now},
            ).returning(Person.id, Person.lang, Person.created_at)
            row = (await s.execute(stmt)).one()
        before = _aware(found.last_seen_at) if found is not None else None
        return PersonRef(
            id=row.id,
            channel=channel,
            lang=row.lang,
            created=row.created_at == now,
            seen_before=before,
        )

    @property
    def db(self) -> Database:
        return self._db

    async def set_lang(self, person_id: int, lang: str) -> None:
        async with self._db.transaction() as conn:
            await self.set_lang_in(conn, person_id, lang)

    async def set_lang_in(self, conn: Tx, person_id: int, lang: str) -> None:
        await conn.execute(update(Person).where(Person.id == person_id).values(lang=lang))

    async def address(self, person_id: int) -> str | None:
        async with self._db.session() as s:
            enc = await s.scalar(select(Person.address_enc).where(Person.id == person_id))
        return self._vault.decrypt(enc) if enc else None

    async def channel_and_address(self, person_id: int) -> tuple[str, str | None] | None:
        async with self._db.session() as s:
            row = (
                await s.execute(
                    select(Person.channel, Person.address_enc).where(Person.id == person_id)
                )
            ).first()
        if row is None:
            return None
        return row.channel, self._vault.decrypt(row.address_enc) if row.address_enc else None

    async def forget(self, person_id: int) -> None:
        """Erase the person; every table that refers to them cascades."""
        async with self._db.session() as s, s.begin():
            await s.execute(delete(Person).where(Person.id == person_id))
