"""A case as the rest of the code sees it: the Case and Erased views, outcome labels, case
numbers, and the row → Case view (decrypting the details)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handoff.models import LIVE_STATES, OPEN_STATES, HandoffCase
from registry import vocabulary as registry_vocabulary
from registry.vocabulary import CONSULTANT_OUTCOMES
from storage.crypto import DecryptionError, Vault

# What a consultant may choose when closing (codes and labels live in the registry's
# vocabulary, so that reports name them the same way); the bot sets SYSTEM_OUTCOMES itself.
OUTCOMES = tuple(CONSULTANT_OUTCOMES)
SYSTEM_OUTCOMES = tuple(registry_vocabulary.SYSTEM_OUTCOMES)


def outcome_label(code: str, lang: str) -> str:
    """A consultant's outcome as the consoles show it, in `lang` (ru or kk)."""
    return registry_vocabulary.label(CONSULTANT_OUTCOMES, code, lang).capitalize()


# Case numbers: K-XXXX-XXXX from 30 signs that cannot be misread (no 0/O, 1/I/L, U):
# 30^8 ≈ 6.6·10^11 codes, so a number cannot be guessed from another. Old numbers
# (K- and 4 or 6 digits) stay valid: they are looked up as they are.
NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def draw_number() -> str:
    signs = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
    return f"K-{signs[:4]}-{signs[4:]}"


@dataclass(frozen=True, slots=True)
class Case:
    id: int
    number: str
    person_id: int | None
    contact_id: int | None
    state: str
    reason: str
    urgent: bool
    danger: str | None
    quiet: bool
    lang: str
    role: str
    region: str | None
    details: dict[str, Any]
    created_at: datetime
    due_at: datetime
    callback_at: datetime | None
    escalated_at: datetime | None
    claimed_at: datetime | None
    closed_at: datetime | None
    claimed_by: str | None
    claimed_staff_id: int | None
    claimed_tg_user: int | None
    outcome: str | None
    topic_chat: int | None
    topic_thread: int | None
    card_message_id: int | None
    failed_deliveries: int
    escalations: int = 0  # alerts so far about nobody claiming it (handoff/timeouts.py)

    @property
    def open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def live(self) -> bool:
        return self.state in LIVE_STATES


@dataclass(frozen=True, slots=True)
class Erased:
    """A case deleted on the person's request (or by retention), and where its copies were:
    the messages in the consultants' topic (id, when posted) that the bot should remove."""

    case: Case
    copies: tuple[tuple[int, datetime], ...]


def case_of(row: HandoffCase, vault: Vault) -> Case:
    """The view of a case row; details that cannot be decrypted read as empty."""
    details: dict[str, Any] = {}
    if row.details_enc:
        try:
            loaded = vault.decrypt_json(row.details_enc)
            details = loaded if isinstance(loaded, dict) else {}
        except (DecryptionError, ValueError):
            details = {}
    return Case(
        row.id,
        row.number,
        row.person_id,
        row.contact_id,
        row.state,
        row.reason,
        row.urgent,
        row.danger,
        row.quiet,
        row.lang,
        row.role,
        row.region,
        details,
        row.created_at,
        row.due_at,
        row.callback_at,
        row.escalated_at,
        row.claimed_at,
        row.closed_at,
        row.claimed_by,
        row.claimed_staff_id,
        row.claimed_tg_user,
        row.outcome,
        row.topic_chat,
        row.topic_thread,
        row.card_message_id,
        row.failed_deliveries,
        row.escalations or 0,
    )
