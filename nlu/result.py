"""The one result object every downstream component reads (see docs/nlu-labels.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol, get_args

Lang = Literal["ru", "kk", "en"]
Role = Literal["victim", "witness", "aggressor", "unknown"]
Intent = Literal[
    "greet",
    "help",
    "contacts",
    "shelter",
    "legal",
    "safety_plan",
    "book",
    "human",
    "exit",
    "thanks",
    "other",
]

# The label sets, read off the Literal types so that each is written once.
LANGS: tuple[Lang, ...] = get_args(Lang)
ROLES: tuple[Role, ...] = get_args(Role)
INTENTS: tuple[Intent, ...] = get_args(Intent)
# The danger tier, a finer label beside `urgent` (issue: the safety net): "urgent" gets the urgent
# path; "possible" (a band of the urgency score just below the threshold) gets the numbers and a
# one-tap check before anything else; "none" the normal flow.
Danger = Literal["urgent", "possible", "none"]
AgeBand = Literal["child", "young", "adult"]
Finer = Literal["young_person", "parent"]


@dataclass(frozen=True, slots=True)
class NluResult:
    """Labels of one message. Frozen: downstream code reads, never patches, a result."""

    lang: Lang
    role: Role
    intent: Intent
    urgent: bool
    urgency: float  # in [0, 1]; `urgent` is this against the tuned threshold, or a rule hit
    # Per-label probabilities, e.g. {"role": {"victim": 0.9, ...}, "intent": {...}, "lang": {...}}
    scores: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    # False when the text carried no language signal and `lang` came from the conversation
    lang_confident: bool = True
    # Names of the urgency rules that fired (for the consultant's case card and evaluation)
    urgent_rules: tuple[str, ...] = ()
    # The role cue that overrode the role head ("role:ru_kill_1p"), if any
    role_rule: str | None = None
    # Below the urgent threshold but inside the "possible danger" band (never set when urgent)
    possible_danger: bool = False
    # The soft signal that put the message in that band («possible:ru_back»), if any
    possible_signal: str | None = None
    # Who is writing, by age (nlu/age.py, issue 17): the writer's band ("child", "young",
    # "adult", None when nothing tells) and a finer role beside `role` ("young_person", "parent")
    age: AgeBand | None = None
    finer: Finer | None = None
    # The cues that decided them (`nlu.age.Age.cues`), or ("encoder:finer",) when the encoder's
    # head did (nlu/finer_head.py); () when nothing told
    age_cues: tuple[str, ...] = ()
    # Nothing told the writer's age, but the encoder's head leans young below its threshold
    # (nlu/finer_head.py UNSURE): the dialogue offers the young person's path in one tap
    young_unsure: bool = False

    @property
    def danger(self) -> Danger:
        if self.urgent:
            return "urgent"
        return "possible" if self.possible_danger else "none"


class Understander(Protocol):
    """What the dialogue engine needs from NLU; the built-in model and the Rasa backend both fit."""

    async def parse(
        self, text: str, *, context_lang: Lang | None = None, quick: bool = False
    ) -> NluResult:
        """The labels of one message; never raises. `quick` leaves out what only the turn needs
        (who is writing, where the encoder must read it): admission's first look."""
        ...

    async def finish(self, text: str, res: NluResult) -> NluResult:
        """What a quick parse of `text` left out, added to `res`."""
        ...
