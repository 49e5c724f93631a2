"""Proactive messages (reminders, a consultant's reply): what domain code may ask for.

`Notifier` is the one interface; the outbox (delivery/notifier.py) implements it durably and
the channel senders (bot/notify.py) deliver. The reply codec turns replies into the JSON the
outbox stores and back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Protocol

from core.messages import Button, Reply

# Why a message is sent unprompted; WhatsApp picks a pre-approved template by it when the
# person's 24-hour window is closed.
Purpose = Literal["reminder", "consultant", "system"]


class Notifier(Protocol):
    async def notify(
        self, person_id: int, replies: Sequence[Reply], *, purpose: Purpose = "system"
    ) -> bool:
        """Deliver to the person on their channel; False when it cannot be delivered."""
        ...


def encode_replies(replies: Sequence[Reply]) -> list[dict[str, Any]]:
    return [
        {
            "text": r.text,
            "urgent": r.urgent,
            "buttons": [[[b.label, b.payload] for b in row] for row in r.buttons],
        }
        for r in replies
    ]


def decode_replies(data: Any) -> list[Reply]:
    out = []
    for item in data if isinstance(data, list) else []:
        rows = tuple(
            tuple(Button(str(label), str(payload)) for label, payload in row)
            for row in item.get("buttons", [])
        )
        out.append(Reply(str(item.get("text", "")), rows, bool(item.get("urgent"))))
    return out
