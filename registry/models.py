"""One row per contact: a conversation that reached the service. No texts, no ids of people.

Every column holds a date, a number, a yes/no or a short code from a closed vocabulary
(registry/vocabulary.py); `Registry.update` refuses anything else, and
tests/test_registry.py fails if a column that could hold free text or an id is added.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.coltypes import UtcDateTime
from storage.models import Base


class Contact(Base):
    __tablename__ = "registry_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)  # a row number, not a person
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    last_at: Mapped[datetime] = mapped_column(UtcDateTime())
    channel: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(2))
    role: Mapped[str] = mapped_column(String(16), default="unknown")
    region: Mapped[str | None] = mapped_column(String(32))
    topics: Mapped[str] = mapped_column(String(200), default="")  # NLU intents seen, sorted
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    danger_level: Mapped[str | None] = mapped_column(String(8))  # "high" | "elevated" | "low"
    handed_off: Mapped[bool] = mapped_column(Boolean, default=False)
    claim_seconds: Mapped[int | None] = mapped_column(Integer)
    unclaimed: Mapped[bool] = mapped_column(Boolean, default=False)  # timed out without a claim
    handoff_outcome: Mapped[str | None] = mapped_column(String(32))
    booked: Mapped[bool] = mapped_column(Boolean, default=False)
    # The booked session's format: True in person, False online (video/phone); None unknown.
    in_person: Mapped[bool | None] = mapped_column(Boolean)
    attended: Mapped[bool | None] = mapped_column(Boolean)
    # JSON of answer codes {"question": "answer" | 1..10 | true}, never free text (≤ 255).
    feedback: Mapped[str | None] = mapped_column(String(255))
    # Who referred the person to the family service (a code of vocabulary.REFERRALS).
    referral: Mapped[str | None] = mapped_column(String(16))
    # The writer's age band (vocabulary.AGE_BANDS): child, young, adult; NULL when unknown.
    age_band: Mapped[str | None] = mapped_column(String(8))
    # Kinds of violence the person opened in the victim path (vocabulary.VIOLENCE), sorted,
    # comma-separated; NULL when none.
    violence: Mapped[str | None] = mapped_column(String(64))
    # The writer's sex if they chose to say (vocabulary.SEXES: female, male, declined).
    sex: Mapped[str | None] = mapped_column(String(8))
    # The optional demographics question (vocabulary.DEMOGRAPHICS): asked, answered, declined;
    # NULL = never asked. The refusal rate is counted from it.
    demographics: Mapped[str | None] = mapped_column(String(8))
    # Set once, when the contact is created (vocabulary.NEW_IN): the person's previous message
    # was never (new) or in an earlier calendar year / quarter / month (Almaty); NULL = earlier
    # this month. Counts distinct people without a link to them (docs/reports.md).
    new_in: Mapped[str | None] = mapped_column(String(8))
