"""Recording contacts. Every part of the bot that learns something reportable calls `update`."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from nlu.result import NluResult
from registry.models import Contact
from storage.db import Database

# Fields other packages may set; anything else is refused (the registry stays anonymous).
UPDATABLE = {
    "region",
    "danger_level",
    "handed_off",
    "claim_seconds",
    "unclaimed",
    "handoff_outcome",
    "booked",
    "attended",
    "feedback",
    "role",
}
ROLE_RANK = {"unknown": 0, "witness": 1, "aggressor": 2, "victim": 3}


class Registry:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def observe(
        self,
        contact_id: int | None,
        *,
        channel: str,
        lang: str,
        nlu: NluResult | None,
        now: datetime,
    ) -> int:
        """Note one message of a contact (creating the contact on its first message)."""
        async with self._db.session() as s, s.begin():
            row = await s.get(Contact, contact_id) if contact_id is not None else None
            if row is None:
                row = Contact(
                    started_at=now,
                    last_at=now,
                    channel=channel,
                    lang=lang,
                    role="unknown",
                    topics="",
                    urgent=False,
                    handed_off=False,
                    unclaimed=False,
                    booked=False,
                )
                s.add(row)
            row.last_at = now
            row.lang = lang
            if nlu is not None:
                if ROLE_RANK.get(nlu.role, 0) > ROLE_RANK.get(row.role, 0):
                    row.role = nlu.role
                topics = set(filter(None, row.topics.split(",")))
                if nlu.intent not in topics and len(row.topics) < 180:
                    row.topics = ",".join(sorted(topics | {nlu.intent}))
                row.urgent = row.urgent or nlu.urgent
            await s.flush()
            return row.id

    async def update(self, contact_id: int | None, **fields: Any) -> None:
        if contact_id is None or not fields:
            return
        unknown = set(fields) - UPDATABLE
        if unknown:
            raise ValueError(f"not registry fields: {sorted(unknown)}")
        if "feedback" in fields and not isinstance(fields["feedback"], str | None):
            fields["feedback"] = json.dumps(fields["feedback"], sort_keys=True)
        async with self._db.session() as s, s.begin():
            await s.execute(update(Contact).where(Contact.id == contact_id).values(**fields))

    async def get(self, contact_id: int) -> Contact | None:
        async with self._db.session() as s:
            return await s.scalar(select(Contact).where(Contact.id == contact_id))
