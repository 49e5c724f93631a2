"""The channel-free message types: what channels turn updates into, and what they render."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Inbound:
    """One thing a person did: typed text or pressed a button (payload)."""

    channel: str  # "console" | "telegram" | "whatsapp"
    user_ref: str  # opaque platform user id; hashed before it is stored
    at: datetime
    text: str | None = None
    payload: str | None = None
    address: str | None = None  # where replies go (chat id, phone number), if not user_ref
    message_id: str | None = None  # platform id of the person's message, for erasing it
    lang_hint: str | None = None  # e.g. the app language a platform reports
    unsupported: str | None = None  # a kind of content the bot cannot read (sticker, voice, ...)
    reply_to: str | None = None  # platform id of the message this one answers (live handoff)
    # A shared location, already mapped to its region by the channel: the coordinates are
    # dropped there and never reach the core. `region` is None for a point outside Kazakhstan.
    located: bool = False
    region: str | None = None


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    payload: str


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to the person: plain text (no markup) and rows of buttons."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    urgent: bool = False  # delivered ahead of other traffic

    @property
    def flat_buttons(self) -> list[Button]:
        return [b for row in self.buttons for b in row]


@dataclass(frozen=True, slots=True)
class EraseChat:
    """Delete what the channel can of the conversation from the person's phone."""

    then_say: tuple[Reply, ...] = ()  # sent after erasing (e.g. what could not be deleted)


@dataclass(frozen=True, slots=True)
class ForgetPerson:
    """Erase everything stored about the person."""


@dataclass(frozen=True, slots=True)
class RequestHandoff:
    """Ask for a live consultant; carries why, for the case card."""

    reason: str
    urgent: bool = False
    details: dict[str, object] = field(default_factory=dict)


Effect = EraseChat | ForgetPerson | RequestHandoff
