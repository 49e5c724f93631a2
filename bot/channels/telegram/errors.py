"""What a Bot API failure means for a delivery: try again (and when), or never."""

from __future__ import annotations

from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNotFound,
    TelegramRetryAfter,
)

from delivery.courier import Permanent, Retry
from delivery.sendscope import Busy


def as_delivery_error(exc: Exception) -> Exception:
    """429 → Retry(retry_after); blocked/bad request/not found → Permanent; the rest
    (5xx, network, a bad token being fixed) → Retry with back-off."""
    if isinstance(exc, Retry | Permanent | Busy):
        return exc  # Busy: no send budget in time, the outbox puts the row back (no error)
    if isinstance(exc, TelegramRetryAfter):
        return Retry("429 Too Many Requests", after=float(exc.retry_after))
    if isinstance(
        exc,
        TelegramForbiddenError
        | TelegramBadRequest
        | TelegramNotFound
        | TelegramEntityTooLarge
        | TelegramMigrateToChat,
    ):
        return Permanent(f"{type(exc).__name__}: {str(exc)[:120]}")
    return Retry(type(exc).__name__)
