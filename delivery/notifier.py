"""`OutboxNotifier`: the `core.notify.Notifier` interface, durably.

`notify` writes the messages to the outbox and returns at once; the outbox worker delivers
them through the channel senders (bot/notify.py), in order, within rate limits, retrying
429/5xx. Any package can use it (booking reminders: `await app.outbox_notifier.notify(...)`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncSession

from core.messages import Reply
from core.notify import Purpose, decode_replies, encode_replies
from core.priority import OUTBOX_NORMAL, OUTBOX_URGENT
from delivery.claims import Delivery
from delivery.courier import Permanent, TxListener
from delivery.outbox import Outbox

PERSON = "person"

# (person id, replies, purpose) -> platform ids of what was sent, or None when the person
# cannot be reached any more (forgotten, no channel). Raises outbox.Retry / Permanent.
PersonSender = Callable[[int, Sequence[Reply], Purpose], Awaitable[list[str] | None]]


# A person's urgent messages have an outbox destination of their own: they never wait behind
# the person's earlier ordinary ones (a flood queues dozens, paced about one a second), and a
# destination's rows keep their order.
URGENT_LANE = ":urgent"


def dest_of(person_id: int, urgent: bool = False) -> str:
    return f"person:{person_id}" + (URGENT_LANE if urgent else "")


class OutboxNotifier:
    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    def serve(self, send: PersonSender, on_sent: TxListener | None = None) -> None:
        """Install the handler that delivers person messages (the runtime does this once);
        `on_sent` records the ids sent (`Outbox.register`)."""

        async def handle(d: Delivery) -> dict[str, Any]:
            assert d.person_id is not None
            purpose = cast(Purpose, d.payload.get("purpose", "system"))
            ids = await send(d.person_id, decode_replies(d.payload.get("replies")), purpose)
            if ids is None:
                raise Permanent("the person cannot be reached")
            return {"ids": ids}

        self.outbox.register(PERSON, handle, on_sent)

    async def notify(
        self, person_id: int, replies: Sequence[Reply], *, purpose: Purpose = "system"
    ) -> bool:
        await self.enqueue(person_id, replies, purpose=purpose)
        return True

    async def enqueue(
        self,
        person_id: int,
        replies: Sequence[Reply],
        *,
        purpose: Purpose = "system",
        tag: str = "",
        meta: dict[str, Any] | None = None,
        session: AsyncSession | None = None,
    ) -> int | None:
        if not replies:
            return None
        urgent = any(r.urgent for r in replies)
        return await self.outbox.enqueue(
            PERSON,
            dest_of(person_id, urgent),
            {"purpose": purpose, "replies": encode_replies(replies)},
            person_id=person_id,
            tag=tag,
            meta=meta,
            priority=OUTBOX_URGENT if urgent else OUTBOX_NORMAL,
            session=session,
        )
