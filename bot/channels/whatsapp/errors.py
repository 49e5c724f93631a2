"""What a Graph API failure means for a durable delivery (delivery/outbox.py): later, or never."""

from __future__ import annotations

from bot.channels.whatsapp.client import AuthFailed, GraphError
from delivery.courier import Permanent, Retry

AUTH_RETRY_AFTER = 60.0  # an expired token is being replaced: do not hammer the API meanwhile


def as_delivery_error(exc: GraphError) -> Exception:
    """The client has already retried 429/5xx/throughput codes a few times; what still fails
    that way is retried by the outbox with its longer back-off. A refused token waits for a
    new one. Anything else Meta refuses (undeliverable 131026, bad parameters, an unknown
    recipient) will be refused again: permanent."""
    if isinstance(exc, AuthFailed):
        return Retry(f"Graph API auth failed (code {exc.code})", after=AUTH_RETRY_AFTER)
    if exc.status == 0 or exc.retryable:
        return Retry(f"Graph API {exc.status} (code {exc.code})")
    return Permanent(f"Graph API {exc.status} (code {exc.code}): {exc.message[:120]}")
