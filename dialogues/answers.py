"""Typed answers that mean a button: answer classes, a step's own words, "what do I do now".

The words are data (dialogues/data/answers.yaml, and each danger-screen question's words in
dialogues/data/danger_screen.yaml); this module only normalises and matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

ANSWERS_FILE = Path(__file__).with_name("data") / "answers.yaml"
_FOLD = str.maketrans("ёқәіңғүұөһ", "екаингууох")
_NOISE = re.compile(r"[^\w]+|_", re.UNICODE)


def normalise(text: str) -> str:
    """Lower case, ё→е, Kazakh letters folded, punctuation and emoji dropped, spaces collapsed."""
    return " ".join(_NOISE.sub(" ", text.casefold().translate(_FOLD)).split())


def _phrases(items: Iterable[object]) -> tuple[str, ...]:
    out = {normalise(str(item)) for item in items}
    out.discard("")
    return tuple(sorted(out, key=len, reverse=True))  # longest first: "не знаю" before "не"


def starts_with(said: str, phrases: Sequence[str]) -> str | None:
    """The first phrase that `said` (normalised) starts with as whole words."""
    for phrase in phrases:
        if said == phrase or said.startswith(phrase + " "):
            return phrase
    return None


def _has(words: list[str], phrase: str) -> int | None:
    """Index of the first word of `phrase` in `words`, each phrase word a word prefix."""
    parts = phrase.split()
    for i in range(len(words) - len(parts) + 1):
        if all(words[i + j].startswith(p) for j, p in enumerate(parts)):
            return i
    return None


@dataclass(frozen=True)
class Answers:
    classes: dict[str, tuple[str, ...]]
    negation_before: frozenset[str]
    negation_after: frozenset[str]
    what_now: tuple[str, ...]
    languages: dict[str, tuple[str, ...]]

    @classmethod
    def load(cls, path: Path = ANSWERS_FILE) -> Answers:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        classes = {str(k): _phrases(v) for k, v in data["classes"].items()}
        neg = data.get("negation") or {}
        return cls(
            classes,
            frozenset(_phrases(neg.get("before", ()))),
            frozenset(_phrases(neg.get("after", ()))),
            _phrases(data.get("what_now", ())),
            {str(k): _phrases(v) for k, v in (data.get("languages") or {}).items()},
        )

    def answer_class(self, text: str) -> str | None:
        """The class of a leading answer word or phrase ("ДА!!" → yes, "незнаю" → not_sure)."""
        said = normalise(text)
        best: tuple[int, str] | None = None
        for name, phrases in self.classes.items():
            hit = starts_with(said, phrases)
            if hit is not None and (best is None or len(hit) > best[0]):
                best = (len(hit), name)
        return best[1] if best else None

    def mentions(self, text: str, phrases: Sequence[str]) -> bool:
        """Does the text use one of these words (stems), not negated next to it?"""
        words = normalise(text).split()
        for phrase in phrases:
            at = _has(words, phrase)
            if at is None:
                continue
            if phrase.split()[0] in self.negation_before:
                return True  # the phrase is itself a negative answer ("не бил")
            before = words[max(0, at - 2) : at]
            after = words[at + len(phrase.split()) : at + len(phrase.split()) + 2]
            if self.negation_before.intersection(before) or self.negation_after.intersection(after):
                continue
            return True
        return False

    def language(self, text: str) -> str | None:
        """The language a message chooses when it is only that language's name («Қазақша»)."""
        said = normalise(text)
        return next((lang for lang, names in self.languages.items() if said in names), None)

    def asks_what_now(self, text: str) -> bool:
        said = normalise(text)
        return any(
            said == p or said.startswith(p + " ") or said.endswith(" " + p) for p in self.what_now
        )


def words(items: Iterable[object]) -> tuple[str, ...]:
    """Normalised phrases for Option.words, from data."""
    return _phrases(items)


@lru_cache(maxsize=1)
def default_answers() -> Answers:
    return Answers.load()
