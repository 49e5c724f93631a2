"""The registry's rows of a period read the plain way, for the tests that hold the reports to
direct counts: every row read with SQL, the period's days and channels filtered here, in
Python, not by the code under test."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from core.clock import ALMATY
from reports.period import Period
from storage.db import Database


async def registry_rows(db: Database, period: Period, columns: str) -> list[dict[str, Any]]:
    """Rows of `registry_contacts` (`columns`, comma-separated) started on the period's Almaty
    days on Telegram or WhatsApp, each with its Almaty `day` added."""
    async with db.engine.connect() as conn:
        query = f"SELECT started_at, channel, {columns} FROM registry_contacts"
        rows = (await conn.execute(text(query))).mappings().all()
    inside = []
    for r in rows:
        at = r["started_at"]
        at = datetime.fromisoformat(at) if isinstance(at, str) else at
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at
        day = at.astimezone(ALMATY).date()
        if period.first <= day <= period.last and r["channel"] in ("telegram", "whatsapp"):
            inside.append({**r, "day": day})
    return inside
