"""The inbox's store: an update stored held by this process is checked, in the storing
transaction, to be its person's head, so an urgent turn starts without a read of its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.inbox.models import InboxRow
from bot.inbox.store import InboxStore
from storage.crypto import Vault
from storage.db import Database
from tests.conftest import TEST_KEY

NOW = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


async def test_a_held_update_is_kept_only_when_it_is_its_persons_head(db_url: str) -> None:
    db = Database(db_url)
    try:
        await db.upgrade()
        store = InboxStore(db, Vault([TEST_KEY]), "telegram")
        a, b = store.order_key("1"), store.order_key("2")
        assert await store.enqueue("1", a, 1, {"n": 1}, NOW) is not None  # waits, unclaimed
        later = await store.enqueue("2", a, 2, {"n": 2}, NOW, LEASE)
        alone = await store.enqueue("3", b, 3, {"n": 3}, NOW, LEASE)
        assert later is not None and alone is not None
        assert later[1] is False  # an earlier update of this person is before it
        assert alone[1] is True
        assert await store.enqueue("3", b, 3, {"n": 3}, NOW, LEASE) is None  # a redelivery
        async with db.session() as s:
            rows = {
                r.id: (r.lease_until, r.attempts)
                for r in await s.execute(
                    select(InboxRow.id, InboxRow.lease_until, InboxRow.attempts)
                )
            }
        assert rows[later[0]] == (None, 0)  # the claim was given back in the same transaction
        assert rows[alone[0]][1] == 1 and rows[alone[0]][0] is not None
        # The person's order still holds: the first update is claimed first.
        first = await store.claim_next(a, NOW, LEASE)
        assert first is not None and first.payload == {"n": 1}
    finally:
        await db.dispose()
