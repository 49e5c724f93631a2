"""The aggressor programme's assessment sheet («Лист оценки определения статуса агрессора»).

Filled by the programme's specialists at the first session and revised during the course.
Every save is a new signed, dated version (nothing is rewritten: the course is judged by how
the picture changed). The answers follow ../shared/domain/kz-resources.md §5: risk assessed at
intake and after, victim safety first, partner-safety actions recorded, and eligibility with
its reason (chaotic substance use or a mental-health crisis is a reason to refer or defer,
never an excuse). Everything said is encrypted with the Vault; the rows hang on the booking
and go with it when the person is erased.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from booking.models import AssessmentVersion, Booking
from core.texts import Said
from storage.crypto import DecryptionError, Vault
from storage.db import Database

RISKS = (
    "recent_violence",
    "strangulation",
    "weapons",
    "threats_to_kill",
    "stalking",
    "children_home",
    "separation",
    "substances",
    "mental_health",
)
ANSWERS = ("yes", "no", "unknown")
MOTIVATIONS = ("own", "partner", "children", "court_police", "unclear")
OBSTACLES = ("denial", "blames_partner", "substances", "work_time", "distance", "none")
ELIGIBILITY = ("programme", "refer", "defer")
PARTNER_ACTIONS = ("offered_150_111", "partner_service_plan", "police_informed", "none_yet")
MAX_NOTE = 2000
MAX_REASON = 1000


class AssessmentError(Said, ValueError):
    """A sheet that cannot be saved: a `staff-assessment-*` text says why."""


@dataclass(frozen=True, slots=True)
class Sheet:
    risks: Mapping[str, str]  # each of RISKS → yes | no | unknown
    motivation: tuple[str, ...] = ()
    obstacles: tuple[str, ...] = ()
    motivation_note: str = ""
    eligibility: str = ""
    reason: str = ""
    partner_actions: tuple[str, ...] = ()
    partner_note: str = ""

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["risks"] = dict(self.risks)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Sheet:
        return cls(
            risks={k: str(v) for k, v in dict(data.get("risks") or {}).items()},
            motivation=tuple(data.get("motivation") or ()),
            obstacles=tuple(data.get("obstacles") or ()),
            motivation_note=str(data.get("motivation_note") or ""),
            eligibility=str(data.get("eligibility") or ""),
            reason=str(data.get("reason") or ""),
            partner_actions=tuple(data.get("partner_actions") or ()),
            partner_note=str(data.get("partner_note") or ""),
        )

    @property
    def flagged(self) -> tuple[str, ...]:
        """The risk factors answered "yes" (shown first to whoever reads the sheet)."""
        return tuple(r for r in RISKS if self.risks.get(r) == "yes")


def check(
    risks: Mapping[str, str],
    *,
    motivation: list[str],
    obstacles: list[str],
    motivation_note: str,
    eligibility: str,
    reason: str,
    partner_actions: list[str],
    partner_note: str,
) -> Sheet:
    """A sheet from a form, or AssessmentError. Every risk is answered (unknown is an answer:
    a blank would hide that nobody asked), eligibility has its reason."""
    answers = {}
    for risk in RISKS:
        value = risks.get(risk, "")
        if value not in ANSWERS:
            raise AssessmentError("staff-assessment-error-risk", risk=risk)
        answers[risk] = value
    if eligibility not in ELIGIBILITY:
        raise AssessmentError("staff-assessment-error-eligibility")
    reason = _clean(reason, MAX_REASON)
    if not reason:
        raise AssessmentError("staff-assessment-error-reason")
    actions = _choices(partner_actions, PARTNER_ACTIONS)
    if "none_yet" in actions and len(actions) > 1:
        raise AssessmentError("staff-assessment-error-none-yet")
    return Sheet(
        risks=answers,
        motivation=_choices(motivation, MOTIVATIONS),
        obstacles=_choices(obstacles, OBSTACLES),
        motivation_note=_clean(motivation_note, MAX_NOTE),
        eligibility=eligibility,
        reason=reason,
        partner_actions=actions,
        partner_note=_clean(partner_note, MAX_NOTE),
    )


@dataclass(frozen=True, slots=True)
class Version:
    version: int
    signed_by: str
    signed_at: datetime
    sheet: Sheet | None  # None: made with a key no longer configured
    flags: tuple[str, ...] = field(default=())


class Assessments:
    """The sheets of the programme's bookings. Who may read or write is the caller's check
    (staffweb/programme.py); this store keeps versions and encryption right."""

    def __init__(self, db: Database, vault: Vault) -> None:
        self._db = db
        self._vault = vault

    async def save(self, booking_id: int, sheet: Sheet, signed_by: str, now: datetime) -> int:
        """Add the next version for a programme booking; returns its number."""
        for _ in range(3):
            try:
                return await self._add(booking_id, sheet, signed_by, now)
            except IntegrityError:
                continue  # two saves at once took the same number: the next one is free
        raise AssessmentError("staff-assessment-error-busy")

    async def _add(self, booking_id: int, sheet: Sheet, signed_by: str, now: datetime) -> int:
        async with self._db.session() as s, s.begin():
            kind = await s.scalar(select(Booking.kind).where(Booking.id == booking_id))
            if kind != "stop":
                raise AssessmentError("staff-assessment-error-not-programme")
            last = await s.scalar(
                select(func.max(AssessmentVersion.version)).where(
                    AssessmentVersion.booking_id == booking_id
                )
            )
            number = (last or 0) + 1
            s.add(
                AssessmentVersion(
                    booking_id=booking_id,
                    version=number,
                    signed_by=signed_by[:64],
                    signed_at=now,
                    body_enc=self._vault.encrypt_json(sheet.to_json()),
                )
            )
            await s.flush()  # the unique (booking, version) refuses a second number
            return number

    async def versions(self, booking_id: int) -> list[Version]:
        """Every version, newest first."""
        async with self._db.session() as s:
            rows = (
                await s.scalars(
                    select(AssessmentVersion)
                    .where(AssessmentVersion.booking_id == booking_id)
                    .order_by(AssessmentVersion.version.desc())
                )
            ).all()
        out = []
        for row in rows:
            try:
                sheet: Sheet | None = Sheet.from_json(self._vault.decrypt_json(row.body_enc))
            except (DecryptionError, ValueError):
                sheet = None
            out.append(
                Version(
                    row.version, row.signed_by, row.signed_at, sheet, sheet.flagged if sheet else ()
                )
            )
        return out


def _choices(values: list[str], allowed: tuple[str, ...]) -> tuple[str, ...]:
    if any(v not in allowed for v in values):
        raise AssessmentError("staff-assessment-error-choice")
    return tuple(a for a in allowed if a in values)


def _clean(text: str, limit: int) -> str:
    text = "".join(ch for ch in text if ch.isprintable() or ch == "\n")
    return text.strip()[:limit]
