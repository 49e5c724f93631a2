"""The link to an online session that a specialist sends the person: checked, never logged.

A link is the key to a private room, so it goes only over https, has a host, holds no spaces
or control characters (nothing can be smuggled onto another line of the message), and is of a
sane length. Its words (a room's name) say nothing of what the meeting is: it reaches a lock
screen (docs/lockscreen.md). It is not kept: the booking records only that and when a link was
sent.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from core.lockscreen import telling
from core.texts import Said

MAX_LINK = 500  # video-call links are well under 200 characters; this leaves room


class LinkError(Said, ValueError):
    """Why a link was refused: a `staff-link-error-*` text, in the staff member's language.
    It never carries the link itself (errors are logged)."""


def check_link(text: str) -> str:
    """The link as it will be sent, or LinkError."""
    link = text.strip()
    if not link:
        raise LinkError("staff-link-error-empty")
    if len(link) > MAX_LINK:
        raise LinkError("staff-link-error-long", max=MAX_LINK)
    if any(ch.isspace() or not ch.isprintable() for ch in link):
        raise LinkError("staff-link-error-https")
    try:
        parts = urlsplit(link)
    except ValueError:
        raise LinkError("staff-link-error-https") from None
    # A user:password@ part could make a link read as another site's; no real room needs it.
    if parts.scheme.lower() != "https" or not parts.hostname or "@" in parts.netloc:
        raise LinkError("staff-link-error-https")
    # The link is part of a message sent unasked: a room named "psiholog-krizis" would say on
    # the screen what the meeting is (docs/lockscreen.md). The staff member picks another name.
    if telling(link.replace("/", " ").replace("-", " ").replace("_", " ").replace(".", " ")):
        raise LinkError("staff-link-error-telling")
    return link
