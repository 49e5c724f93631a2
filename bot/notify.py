"""The channels' senders of proactive messages: a person's outbox deliveries go out through
`ChannelNotifier.deliver`, on whatever channel they wrote from."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from core.messages import Reply
from core.notify import Purpose
from storage.people import People

log = logging.getLogger(__name__)

# (address, replies, purpose) -> platform ids of the messages sent
Sender = Callable[[str, Sequence[Reply], Purpose], Awaitable[list[str]]]


class ChannelNotifier:
    def __init__(self, people: People) -> None:
        self._people = people
        self._senders: dict[str, Sender] = {}

    def register(self, channel: str, sender: Sender) -> None:
        self._senders[channel] = sender

    async def deliver(
        self, person_id: int, replies: Sequence[Reply], purpose: Purpose = "system"
    ) -> list[str] | None:
        """Send now; the ids sent, or None when the person is gone. Raises NoSender when their
        channel has no sender in this process (yet), and whatever the channel raises."""
        target = await self._people.channel_and_address(person_id)
        if target is None:
            return None  # forgotten in the meantime
        channel, address = target
        if address is None:
            return None
        sender = self._senders.get(channel)
        if sender is None:
            log.warning("no sender for a %s message on channel %s", purpose, channel)
            raise NoSender(channel)
        # The ids are recorded by the outbox, in the commit that marks the delivery sent.
        return await sender(address, replies, purpose)


class NoSender(LookupError):
    """The person's channel is not running in this process."""
