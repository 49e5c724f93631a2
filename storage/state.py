"""Conversation state stores: in the database by default, in Redis when processes share it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.crypto import DecryptionError, Vault
from storage.db import Database, Tx
from storage.models import ConversationState

StateData = dict[str, Any]
_LOAD = select(ConversationState.data_enc).where(ConversationState.person_id == bindparam("person"))


class StateStore(Protocol):
    async def load(self, person_id: int) -> StateData | None: ...
    async def save(self, person_id: int, data: StateData, now: datetime) -> None: ...
    async def delete(self, person_id: int) -> None: ...


class SqlStateStore:
    # The state lives in the database: a turn saves it in its own transaction (save_in).

    def __init__(self, db: Database, vault: Vault) -> None:
        self._db = db
        self._vault = vault
        self._insert = pg_insert if db.dialect == "postgresql" else sqlite_insert
        upsert = self._insert(ConversationState)
        self._upsert = upsert.on_conflict_do_update(
            index_elements=[ConversationState.person_id],
            set_={"data_enc": upsert.excluded.data_enc, "updated_at": upsert.excluded.updated_at},
        )

    async def load(self, person_id: int) -> StateData | None:
        async with self._db.engine.connect() as conn:
            enc = await conn.scalar(_LOAD, {"person": person_id})
        return _decode(self._vault, enc)

    async def save(self, person_id: int, data: StateData, now: datetime) -> None:
        async with self._db.transaction() as conn:
            await self.save_in(conn, person_id, data, now)

    async def save_in(self, conn: Tx, person_id: int, data: StateData, now: datetime) -> None:
        enc = self._vault.encrypt_json(data)
        await conn.execute(
            self._upsert, {"person_id": person_id, "data_enc": enc, "updated_at": now}
        )

    async def delete(self, person_id: int) -> None:
        async with self._db.session() as s, s.begin():
            await s.execute(
                delete(ConversationState).where(ConversationState.person_id == person_id)
            )


class RedisStateStore:
    """State in Redis, encrypted like everywhere else, expiring with the retention period."""

    def __init__(self, redis: Any, vault: Vault, ttl: timedelta, prefix: str = "qamqor") -> None:
        self._redis = redis
        self._vault = vault
        self._ttl = ttl
        self._prefix = prefix

    def _key(self, person_id: int) -> str:
        return f"{self._prefix}:state:{person_id}"

    async def load(self, person_id: int) -> StateData | None:
        raw = await self._redis.get(self._key(person_id))
        if raw is None:
            return None
        return _decode(self._vault, raw.decode() if isinstance(raw, bytes) else raw)

    async def save(self, person_id: int, data: StateData, now: datetime) -> None:
        await self._redis.set(self._key(person_id), self._vault.encrypt_json(data), ex=self._ttl)

    async def delete(self, person_id: int) -> None:
        await self._redis.delete(self._key(person_id))


def _decode(vault: Vault, enc: str | None) -> StateData | None:
    if not enc:
        return None
    try:
        data = vault.decrypt_json(enc)
    except (DecryptionError, ValueError):
        # A state we cannot read (lost key) restarts the conversation rather than failing it.
        return None
    return data if isinstance(data, dict) else None
