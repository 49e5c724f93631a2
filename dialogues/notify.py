"""Proactive messages (reminders, a consultant's reply): what domain code may ask for.

The runtime (bot/notify.py) implements it per channel; domain packages never import channels.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

from dialogues.messages import Reply

# Why a message is sent unprompted; WhatsApp picks a pre-approved template by it when the
# person's 24-hour window is closed.
Purpose = Literal["reminder", "consultant", "system"]


class Notifier(Protocol):
    async def notify(
        self, person_id: int, replies: Sequence[Reply], *, purpose: Purpose = "system"
    ) -> bool:
        """Deliver to the person on their channel; False when it cannot be delivered."""
        ...
