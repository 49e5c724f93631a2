"""The danger screen as data (dialogues/data/danger_screen.yaml) and its rule.

It is a screening aid that decides how strongly the bot urges a consultant and 102; it never
tells anyone they are safe. Levels: "high" (the rule is met), "elevated" (some danger signs,
below the rule), "low" (no sign counted). Only "high" is named to the person.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

from dialogues.answers import words

SCREEN_FILE = Path(__file__).with_name("data") / "danger_screen.yaml"
ANSWERS = ("yes", "no", "not_sure")
Level = Literal["high", "elevated", "low"]


@dataclass(frozen=True)
class Question:
    id: str
    group: str
    text: str  # Fluent key
    decisive: bool = False  # "yes" here means high danger at once and ends the screen
    words: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (answer, phrases) for typed text

    def words_for(self, answer: str) -> tuple[str, ...]:
        return next((w for a, w in self.words if a == answer), ())


@dataclass(frozen=True)
class Result:
    level: Level
    counted: dict[str, int]  # group -> answers counted as "yes"
    not_sure: int


@dataclass(frozen=True)
class DangerScreen:
    instrument: str
    questions: tuple[Question, ...]
    thresholds: dict[str, int]
    not_sure_counts_as_yes: bool

    @classmethod
    def load(cls, path: Path = SCREEN_FILE) -> DangerScreen:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        thresholds = {str(g["id"]): int(g["threshold"]) for g in data["groups"]}
        questions = tuple(
            Question(
                str(q["id"]),
                str(q["group"]),
                str(q["text"]),
                bool(q.get("decisive", False)),
                tuple((str(a), words(w)) for a, w in (q.get("words") or {}).items()),
            )
            for q in data["questions"]
        )
        problems = [
            f"{q.id}: unknown group {q.group}" for q in questions if q.group not in thresholds
        ]
        ids = [q.id for q in questions]
        if len(set(ids)) != len(ids):
            problems.append("a question id is used twice")
        if any(t < 1 for t in thresholds.values()):
            problems.append("thresholds must be at least 1")
        problems += [
            f"{q.id}: words for an unknown answer {a}"
            for q in questions
            for a, _ in q.words
            if a not in ANSWERS
        ]
        if data.get("not_sure") not in ("yes", "no"):
            problems.append("not_sure must be 'yes' or 'no'")
        if not questions:
            problems.append("no questions")
        if problems:
            raise ValueError(f"{path}: " + "; ".join(problems))
        return cls(str(data["instrument"]), questions, thresholds, data["not_sure"] == "yes")

    def counts_as_yes(self, answer: str | None) -> bool:
        return answer == "yes" or (answer == "not_sure" and self.not_sure_counts_as_yes)

    def decided(self, question_id: str, answer: str | None) -> bool:
        """Does this answer alone make the danger high (and so end the screen at once)?"""
        q = next((q for q in self.questions if q.id == question_id), None)
        return q is not None and q.decisive and self.counts_as_yes(answer)

    def evaluate(self, answers: Mapping[str, str]) -> Result:
        """Apply the rule; unanswered questions count as "no" (the person may stop early)."""
        counted = dict.fromkeys(self.thresholds, 0)
        not_sure = 0
        decisive = False
        for q in self.questions:
            answer = answers.get(q.id)
            if answer == "not_sure":
                not_sure += 1
            if self.counts_as_yes(answer):
                counted[q.group] += 1
                decisive = decisive or q.decisive
        if decisive or any(counted[g] >= t for g, t in self.thresholds.items()):
            level: Level = "high"
        elif any(counted.values()):
            level = "elevated"
        else:
            level = "low"
        return Result(level, counted, not_sure)

    def step_id(self, index: int) -> str:
        return f"danger.{self.questions[index].id}"


@lru_cache(maxsize=1)
def default_screen() -> DangerScreen:
    return DangerScreen.load()
