"""Recording contacts. Every part of the bot that learns something reportable calls `update`.

Values are checked here, so that the registry can only ever hold dates, numbers, yes/no and
short codes: a person's words or ids cannot end up in it, by mistake or otherwise.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update

from core.clock import ALMATY
from nlu.result import NluResult
from registry.models import Contact
from registry.vocabulary import (
    AGE_BANDS,
    DANGER_LEVELS,
    DEMOGRAPHICS,
    HANDOFF_OUTCOMES,
    REFERRALS,
    REGIONS,
    ROLES,
    SEXES,
    VIOLENCE,
)
from storage.db import Database, Tx

CODE = re.compile(r"[a-z0-9_]{1,32}")
QUESTION = re.compile(r"[a-z][a-z0-9_]{0,23}")
MAX_FEEDBACK_JSON = 255
MAX_CLAIM_SECONDS = 7 * 24 * 3600
ROLE_RANK = {"unknown": 0, "witness": 1, "aggressor": 2, "victim": 3}


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


def _maybe_flag(value: Any) -> bool | None:
    return None if value is None else _flag(value)


def _one_of(codes: Mapping[str, object]) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if value is not None and value not in codes:
            raise ValueError(f"expected one of {sorted(codes)}")
        return value  # type: ignore[no-any-return]

    return check


def _code(value: Any) -> str | None:
    if value is not None and not (isinstance(value, str) and CODE.fullmatch(value)):
        raise ValueError("expected a short code: a-z, 0-9, _ (at most 32)")
    return value


def _seconds(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a number of seconds")
    if not 0 <= value <= MAX_CLAIM_SECONDS:
        raise ValueError("claim time out of range")
    return round(value)


def check_violence(value: Any) -> str | None:
    """Kinds of violence: a collection of VIOLENCE codes (or their comma-separated string),
    stored sorted and comma-separated; empty is NULL."""
    if value is None:
        return None
    codes = set(filter(None, value.split(","))) if isinstance(value, str) else value
    if not isinstance(codes, Collection) or not all(c in VIOLENCE for c in codes):
        raise ValueError(f"expected codes of {sorted(VIOLENCE)}")
    return ",".join(sorted(codes)) or None


def check_feedback(value: Any) -> str | None:
    """Feedback answers as compact JSON: {question: code | 0..10 | true/false}, never text."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise ValueError("feedback must be a JSON object of answer codes") from exc
    if not isinstance(value, dict) or not value:
        raise ValueError("feedback must be a non-empty object of answer codes")
    for question, answer in value.items():
        if not (isinstance(question, str) and QUESTION.fullmatch(question)):
            raise ValueError("feedback questions are codes: a-z, 0-9, _ (at most 24)")
        ok = (
            isinstance(answer, bool)
            or (isinstance(answer, int) and 0 <= answer <= 10)
            or (isinstance(answer, str) and CODE.fullmatch(answer) is not None)
        )
        if not ok:
            raise ValueError("feedback answers are codes, yes/no or numbers 0..10, never text")
    encoded = json.dumps(value, sort_keys=True, separators=(",", ":"))
    if len(encoded) > MAX_FEEDBACK_JSON:
        raise ValueError("feedback too long")
    return encoded


# Fields other packages may set, with their checks; anything else is refused.
CHECKS: dict[str, Callable[[Any], Any]] = {
    "region": _one_of(REGIONS),
    "danger_level": _one_of(DANGER_LEVELS),
    "role": _one_of(ROLES),
    "handed_off": _flag,
    "claim_seconds": _seconds,
    "unclaimed": _flag,
    "handoff_outcome": _one_of(HANDOFF_OUTCOMES),
    "booked": _flag,
    "in_person": _maybe_flag,
    "attended": _maybe_flag,
    "feedback": check_feedback,
    "referral": _one_of(REFERRALS),
    "age_band": _one_of(AGE_BANDS),
    "violence": check_violence,
    "sex": _one_of(SEXES),
    "demographics": _one_of(DEMOGRAPHICS),
}
UPDATABLE = frozenset(CHECKS)


def checked(fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - UPDATABLE
    if unknown:
        raise ValueError(f"not registry fields: {sorted(unknown)}")
    values = {}
    for name, value in fields.items():
        try:
            values[name] = CHECKS[name](value)
        except ValueError as exc:
            raise ValueError(f"registry field {name}: {exc}") from None
    return values


# Built once: a turn executes them with parameters (no statement construction per message).
_c = Contact.__table__.c
_MERGED = select(_c.role, _c.topics, _c.urgent, _c.violence).where(_c.id == bindparam("contact"))
_UPDATE = (
    update(Contact)
    .where(_c.id == bindparam("contact"))
    .values(
        {
            k: bindparam(f"v_{k}")
            for k in ("last_at", "lang", "role", "topics", "urgent", "violence")
        }
    )
    # A turn whose state tells nothing of the writer's age or region (a fresh state after
    # /start) keeps what an earlier one told.
    .values(
        age_band=func.coalesce(bindparam("v_age_band"), _c.age_band),
        region=func.coalesce(bindparam("v_region"), _c.region),
    )
)
_INSERT = insert(Contact).returning(Contact.id)


def age_band_of(age: str | None, finer: str | None) -> str | None:
    """The registry's age band from a conversation's state: the band the NLU read, else a young
    person's path means a minor (counted as young: their age was not said), a parent's an
    adult; None when nothing tells."""
    if age in AGE_BANDS:
        return age
    return {"young_person": "young", "parent": "adult"}.get(finer or "")


@dataclass(frozen=True, slots=True)
class Known:
    """What the conversation's state knows, written to the row at every turn: the path the
    person chose (State.role), the region they gave, the kinds of violence they opened, their
    age band (`age_band_of`). Values outside the vocabularies are left out, never stored."""

    role: str | None = None
    region: str | None = None
    violence: Collection[str] = ()
    age_band: str | None = None
    urgent: bool = False  # the conversation took an urgent step (the 🆘 button...)


NOTHING_KNOWN = Known()


def new_in(previous: datetime | None, now: datetime) -> str | None:
    """Since when the person had not written, for counting distinct people (docs/reports.md):
    "new" (never, as far as we know), "year" / "quarter" / "month" (the previous message was
    in an earlier calendar year / quarter / month, Almaty time), None (earlier this month)."""
    if previous is None:
        return "new"
    before, today = previous.astimezone(ALMATY), now.astimezone(ALMATY)
    if before.year != today.year:
        return "year"
    if (before.month - 1) // 3 != (today.month - 1) // 3:
        return "quarter"
    return "month" if before.month != today.month else None


class Registry:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def observe(
        self,
        contact_id: int | None,
        *,
        channel: str,
        lang: str,
        nlu: NluResult | None,
        now: datetime,
        age_band: str | None = None,
        known: Known | None = None,
        seen_before: datetime | None = None,
    ) -> int:
        """Note one message of a contact (creating the contact on its first message)."""
        if known is None:
            known = Known(age_band=age_band)
        async with self._db.transaction() as conn:
            return await self.observe_in(
                conn,
                contact_id,
                channel=channel,
                lang=lang,
                nlu=nlu,
                now=now,
                known=known,
                seen_before=seen_before,
            )

    async def observe_in(
        self,
        conn: Tx,
        contact_id: int | None,
        *,
        channel: str,
        lang: str,
        nlu: NluResult | None,
        now: datetime,
        known: Known = NOTHING_KNOWN,
        seen_before: datetime | None = None,
    ) -> int:
        """`observe` within the caller's transaction (a turn writes everything at once).

        `known` is what the conversation's state knows (`Known`): a role the person chose
        replaces the NLU's guess (its ranking applies only while nothing was chosen); the
        region and the age band are kept when a later state tells nothing; kinds of violence
        add up. `seen_before` is the person's previous message before this turn
        (`people.last_seen_at`), read only when the contact is created (`new_in`).

        Core statements, not the ORM: a read of the few merged columns and one UPDATE.
        """
        row = None
        if contact_id is not None:
            row = (await conn.execute(_MERGED, {"contact": contact_id})).first()
        role, topics_text, urgent, violence = (
            (row.role, row.topics, row.urgent, row.violence)
            if row
            else ("unknown", "", False, None)
        )
        kinds = set(filter(None, (violence or "").split(",")))
        kinds |= {k for k in known.violence if k in VIOLENCE}
        chosen = known.role if known.role in ROLES and known.role != "unknown" else None
        if chosen is not None:
            role = chosen
        if nlu is not None:
            if chosen is None and ROLE_RANK.get(nlu.role, 0) > ROLE_RANK.get(role, 0):
                role = nlu.role
            topics = set(filter(None, topics_text.split(",")))
            if nlu.intent not in topics and len(topics_text) < 180:
                topics_text = ",".join(sorted(topics | {nlu.intent}))
            urgent = urgent or nlu.urgent
        urgent = urgent or known.urgent
        values = {
            "last_at": now,
            "lang": lang[:2],
            "role": role,
            "topics": topics_text,
            "urgent": urgent,
            "violence": ",".join(sorted(kinds)) or None,
        }
        band = known.age_band if known.age_band in AGE_BANDS else None
        region = known.region if known.region in REGIONS else None
        if row is not None:
            await conn.execute(
                _UPDATE,
                {
                    "contact": contact_id,
                    "v_age_band": band,
                    "v_region": region,
                    **{f"v_{k}": v for k, v in values.items()},
                },
            )
            return contact_id  # type: ignore[return-value]
        created = await conn.execute(
            _INSERT,
            {
                "started_at": now,
                "channel": channel[:16],
                "handed_off": False,
                "unclaimed": False,
                "booked": False,
                "age_band": band,
                "region": region,
                "new_in": new_in(seen_before, now),
                **values,
            },
        )
        return int(created.scalar_one())

    async def update(self, contact_id: int | None, **fields: Any) -> None:
        """Set registry fields of a contact; ValueError for an unknown field or a bad value.

        An explicit `role` (the person chose it) replaces what the NLU guessed.
        """
        if contact_id is None or not fields:
            return
        values = checked(fields)
        async with self._db.session() as s, s.begin():
            await s.execute(update(Contact).where(Contact.id == contact_id).values(**values))

    async def answer(self, contact_id: int | None, question: str, answer: object) -> None:
        """Add one feedback answer to those already given in this contact."""
        if contact_id is None:
            return
        async with self._db.session() as s, s.begin():
            row = await s.get(Contact, contact_id, with_for_update=True)
            if row is None:
                return
            answers = json.loads(row.feedback) if row.feedback else {}
            answers[question] = answer
            row.feedback = check_feedback(answers)

    async def get(self, contact_id: int) -> Contact | None:
        async with self._db.session() as s:
            return await s.scalar(select(Contact).where(Contact.id == contact_id))
