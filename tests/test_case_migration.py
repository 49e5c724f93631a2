"""Migration 0840: an unclaimed urgent case is escalated again and again. A case escalated
before it counts one alert; one still queued and urgent is due again at once, so that the
first sweep after the upgrade takes it up; nothing else is."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text

from core.clock import FrozenClock
from handoff.models import HandoffCase
from storage.db import Database
from tests.test_inbox_migration import _downgrade


async def test_0840_carries_the_escalations_made_before_it(db_url: str, clock: FrozenClock) -> None:
    db = Database(db_url)
    now = clock.now()
    try:
        await db.upgrade("0830")
        async with db.engine.begin() as conn:
            for number, state, urgent, escalated in (
                ("K-0001-0001", "queued", True, now - timedelta(minutes=4)),  # due again
                ("K-0001-0002", "queued", False, now - timedelta(minutes=4)),  # once only
                ("K-0001-0003", "active", True, now - timedelta(minutes=9)),  # claimed since
                ("K-0001-0004", "queued", True, None),  # not escalated yet
            ):
                await conn.execute(
                    text(
                        "INSERT INTO handoff_cases (number, state, reason, urgent, quiet, lang,"
                        " role, created_at, due_at, escalated_at, failed_deliveries)"
                        " VALUES (:n, :s, 'urgent', :u, :q, 'ru', 'victim', :t, :t, :e, 0)"
                    ),
                    {"n": number, "s": state, "u": urgent, "q": False, "t": now, "e": escalated},
                )
        await db.upgrade()
        async with db.session() as s:
            rows = (
                await s.execute(
                    select(
                        HandoffCase.number, HandoffCase.escalations, HandoffCase.next_escalation_at
                    ).order_by(HandoffCase.number)
                )
            ).all()
        assert [(n, count, at is not None) for n, count, at in rows] == [
            ("K-0001-0001", 1, True),
            ("K-0001-0002", 1, False),
            ("K-0001-0003", 1, False),
            ("K-0001-0004", 0, False),
        ]
        await _downgrade(db_url, "0830")
        await db.upgrade()
    finally:
        await db.dispose()
