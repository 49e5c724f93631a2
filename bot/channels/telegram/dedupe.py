"""Outer middleware: an update Telegram delivers twice is handled once.

An update is claimed (row inserted, done=false) before it is handled and marked done after.
A redelivery of a done update is skipped; of an update still claimed, it is skipped while the
claim is fresh (another worker is on it) and handled again once the claim is stale (the
process that claimed it died). If handling fails, the claim is released so that Telegram's
redelivery is handled rather than lost.

The handler may mark the update done itself, in the transaction that records what it sent
(`finish_in`): a handled message then costs one transaction less, and "done" still means
"handled" since that is the last thing a handler does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from core.clock import SystemClock
from storage.db import Database, Tx
from storage.models import ProcessedUpdate

CLAIM_TTL = timedelta(seconds=60)


@dataclass
class _Claim:
    channel: str
    update_id: str
    done: bool = False


_current: ContextVar[_Claim | None] = ContextVar("qamqor_update_claim", default=None)


async def finish_in(conn: Tx) -> None:
    """Mark the update being handled done, within the caller's transaction (if any is claimed).

    Call it only as the last step of handling: once it commits, a redelivery is skipped.
    """
    claim = _current.get()
    if claim is None or claim.done:
        return
    row = ProcessedUpdate
    await conn.execute(
        update(row)
        .where(row.channel == claim.channel, row.update_id == claim.update_id)
        .values(done=True)
    )
    claim.done = True  # the middleware then has nothing left to write


class Deduplicate(BaseMiddleware):
    def __init__(self, db: Database, channel: str = "telegram") -> None:
        self._db = db
        # A claim is a lease against a process dying: it runs on the wall clock, never on the
        # business clock (which tests freeze and which may be set to any date).
        self._clock = SystemClock()
        self._channel = channel
        self._insert = pg_insert if db.dialect == "postgresql" else sqlite_insert

    async def _claim(self, update_id: str) -> bool:
        now = self._clock.now()
        row = ProcessedUpdate
        async with self._db.transaction() as s:
            stmt = (
                self._insert(row)
                .values(channel=self._channel, update_id=update_id, created_at=now, done=False)
                .on_conflict_do_nothing()
                .returning(row.id)
            )
            if (await s.execute(stmt)).scalar_one_or_none() is not None:
                return True
            # Seen before: take it over only if its claim is stale and it was never finished.
            stale = await s.execute(
                update(row)
                .where(
                    row.channel == self._channel,
                    row.update_id == update_id,
                    row.done.is_(False),
                    row.created_at < now - CLAIM_TTL,
                )
                .values(created_at=now)
                .returning(row.id)
            )
            return stale.scalar_one_or_none() is not None

    async def _finish(self, update_id: str, ok: bool) -> None:
        row = ProcessedUpdate
        where = (row.channel == self._channel, row.update_id == update_id)
        async with self._db.transaction() as s:
            if ok:
                await s.execute(update(row).where(*where).values(done=True))
            else:
                await s.execute(delete(row).where(*where))

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        key = str(event.update_id)
        try:
            if not await self._claim(key):
                return None
        except (SQLAlchemyError, OSError, TimeoutError):
            # Storage is down: let the handler run, fail on storage and send the phone
            # lines, rather than dropping the update here without a word.
            return await handler(event, data)
        claim = _Claim(self._channel, key)
        token = _current.set(claim)
        try:
            result = await handler(event, data)
        except BaseException:
            # If even this fails, the claim goes stale and a redelivery is handled then.
            # (A failure after finish_in committed cannot happen: it is the last step.)
            if not claim.done:
                with contextlib.suppress(SQLAlchemyError, OSError, TimeoutError):
                    await self._finish(key, ok=False)
            raise
        finally:
            _current.reset(token)
        if not claim.done:
            await self._finish(key, ok=True)
        return result
