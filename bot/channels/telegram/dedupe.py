"""Outer middleware: an update Telegram delivers twice is handled once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from storage.clock import Clock
from storage.db import Database
from storage.models import ProcessedUpdate


class Deduplicate(BaseMiddleware):
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._insert = pg_insert if db.dialect == "postgresql" else sqlite_insert

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, Update):
            stmt = (
                self._insert(ProcessedUpdate)
                .values(
                    channel="telegram", update_id=str(event.update_id), created_at=self._clock.now()
                )
                .on_conflict_do_nothing()
                .returning(ProcessedUpdate.id)
            )
            try:
                async with self._db.session() as s, s.begin():
                    fresh = (await s.execute(stmt)).scalar_one_or_none()
            except (SQLAlchemyError, OSError, TimeoutError):
                # Storage is down: let the handler run, fail on storage and send the phone
                # lines, rather than dropping the update here without a word.
                return await handler(event, data)
            if fresh is None:
                return None
        return await handler(event, data)
