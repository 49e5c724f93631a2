"""A realistic month of generated, anonymous contacts, so that the reports can be seen at once.

The mix follows what the service expects (more victims than witnesses or aggressors, about
four in ten conversations in Kazakh, 10–20 % urgent, more contacts in the evening and at
weekends, regions weighted by population, consultants slower at night). It is deterministic
for a seed. It refuses a registry that already has contacts: demo rows cannot be told apart
from real ones afterwards, and must never end up in a grant report.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from core.clock import ALMATY
from registry.models import Contact
from registry.service import check_feedback
from registry.vocabulary import REGIONS, VIOLENCE
from storage.db import Database

MAX_DAYS = 366


class DemoRefused(Exception):
    pass


# Contacts by hour of the day (Almaty): quiet mornings, evenings and nights busiest.
HOUR_WEIGHTS = [5, 4, 3, 2, 1, 1, 1, 2, 3, 4, 4, 5, 5, 5, 5, 5, 6, 7, 8, 9, 10, 10, 9, 7]
ROLES = {"victim": 52, "unknown": 22, "witness": 16, "aggressor": 10}
URGENT = {"victim": 0.22, "witness": 0.15, "aggressor": 0.05, "unknown": 0.03}
TOPICS = {
    "victim": {"help": 0.9, "contacts": 0.3, "shelter": 0.15, "legal": 0.25, "safety_plan": 0.2,
               "book": 0.15, "human": 0.15},
    "witness": {"help": 0.8, "contacts": 0.4, "legal": 0.3, "human": 0.1, "book": 0.05},
    "aggressor": {"help": 0.7, "book": 0.35, "human": 0.1, "legal": 0.1},
    "unknown": {"contacts": 0.35, "book": 0.2, "other": 0.25, "legal": 0.1},
}  # fmt: skip
OUTCOMES = {"helped": 55, "referred": 20, "emergency": 12, "booked": 7, "no_reply": 6}


def _pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _contact(rng: random.Random, started: datetime) -> Contact:
    hour = started.astimezone(ALMATY).hour
    night = hour < 7 or hour >= 23
    role = _pick(rng, ROLES)
    topics = {t for t, p in TOPICS[role].items() if rng.random() < p}
    topics |= {t for t, p in (("greet", 0.5), ("thanks", 0.2), ("exit", 0.05)) if rng.random() < p}
    topics = topics or {"help"}
    urgent = rng.random() < URGENT[role]
    danger = None
    if role == "victim" and (urgent or rng.random() < 0.35):
        levels = {"high": 70, "elevated": 30} if urgent else {"high": 15, "elevated": 35, "low": 50}
        danger = _pick(rng, levels)
    handed_off = rng.random() < (0.85 if urgent else 0.8 if "human" in topics else 0.04)
    claim, unclaimed, outcome = None, False, None
    if handed_off:
        if rng.random() < (0.12 if night else 0.05):
            unclaimed, outcome = True, "unclaimed"
        else:
            median = (240 if night else 75) * (0.6 if urgent else 1.0)
            claim = min(3 * 3600, max(5, round(rng.lognormvariate(math.log(median), 0.9))))
            outcome = _pick(rng, OUTCOMES) if urgent else _pick(rng, OUTCOMES | {"not_dv": 3})
    booked = rng.random() < (0.75 if "book" in topics else 0.04)
    in_person = attended = None
    if booked:
        in_person = rng.random() < 0.45
        attended = {0: True, 1: False, 2: None}[rng.choices([0, 1, 2], [68, 20, 12])[0]]
    feedback = None
    if rng.random() < (0.25 if handed_off or booked else 0.07):
        # The feedback flow's three questions (dialogues/flows/feedback.py).
        answers: dict[str, object] = {
            "helpful": rng.choices([5, 4, 3, 2, 1], [48, 30, 12, 6, 4])[0],
            "next_steps": _pick(rng, {"yes": 62, "partly": 28, "no": 10}),
            "again": _pick(rng, {"yes": 78, "unsure": 14, "no": 8}),
        }
        feedback = check_feedback(answers)
    region = None
    if rng.random() < (0.8 if booked or handed_off else 0.45):
        region = (
            "abroad"
            if rng.random() < 0.01
            else rng.choices(
                [c for c in REGIONS if c != "abroad"],
                [r.population for c, r in REGIONS.items() if c != "abroad"],
            )[0]
        )
    about = _about(rng, role, feedback is not None and not urgent and danger != "high")
    return Contact(
        **about,
        started_at=started,
        last_at=started + timedelta(minutes=rng.randint(1, 45)),
        channel=_pick(rng, {"telegram": 62, "whatsapp": 38}),
        lang=_pick(rng, {"ru": 58, "kk": 42}),
        role=role,
        region=region,
        topics=",".join(sorted(topics)),
        urgent=urgent,
        danger_level=danger,
        handed_off=handed_off,
        claim_seconds=claim,
        unclaimed=unclaimed,
        handoff_outcome=outcome,
        booked=booked,
        in_person=in_person,
        attended=attended,
        feedback=feedback,
    )


def _about(rng: random.Random, role: str, may_ask: bool) -> dict[str, str | None]:
    """Issue 19's columns: kinds a victim opened, the optional question after the feedback
    (never in an urgent contact), and whether the person wrote before."""
    kinds = rng.sample(sorted(VIOLENCE), rng.choice((1, 1, 2, 3))) if role == "victim" else []
    violence = ",".join(sorted(kinds)) if kinds and rng.random() < 0.4 else None
    sex = demographics = None
    if may_ask and rng.random() < 0.9:
        demographics = _pick(rng, {"answered": 70, "declined": 20, "asked": 10})
        if demographics != "asked":
            sex = (
                "declined" if demographics == "declined" else _pick(rng, {"female": 80, "male": 20})
            )
    new_in = _pick(rng, {"new": 55, "year": 8, "quarter": 7, "month": 10, "-": 20})
    return {
        "violence": violence,
        "sex": sex,
        "demographics": demographics,
        "new_in": None if new_in == "-" else new_in,
    }


def generate(*, days: int, seed: int, now: datetime) -> list[Contact]:
    """Contacts for the `days` Almaty days up to today, none later than `now`."""
    if not 1 <= days <= MAX_DAYS:
        raise DemoRefused(f"days must be between 1 and {MAX_DAYS}")
    rng = random.Random(seed)
    today = now.astimezone(ALMATY).date()
    rows = []
    for n in range(days):
        day: date = today - timedelta(days=days - 1 - n)
        weekend = day.weekday() >= 5
        expected = 21 * (1.25 if weekend else 1.0)
        count = max(4, round(rng.gauss(expected, math.sqrt(expected))))
        for _ in range(count):
            hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
            local = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)), ALMATY)
            if local > now:
                continue  # later today: has not happened yet
            rows.append(_contact(rng, local.astimezone(now.tzinfo)))
    rows.sort(key=lambda c: c.started_at)
    return rows


async def fill(db: Database, *, days: int, seed: int, now: datetime, force: bool = False) -> int:
    """Add generated contacts; refuses a registry that has contacts unless `force`."""
    async with db.session() as s, s.begin():
        existing = await s.scalar(select(func.count()).select_from(Contact))
        if existing and not force:
            raise DemoRefused(
                f"the registry already has {existing} contacts; demo data would mix with them "
                "and could not be told apart (use --force only on a database for trying out)"
            )
        rows = generate(days=days, seed=seed, now=now)
        s.add_all(rows)
    return len(rows)
