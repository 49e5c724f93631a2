"""Where free text goes, by NLU intent and role (data, reviewed with the flows)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from nlu.result import NluResult

# intent -> step; "help" is split by role below.
INTENT_ROUTES: Mapping[str, str] = {
    "greet": "start.hello",
    "contacts": "contacts.start",
    "shelter": "contacts.shelter",
    "legal": "victim.legal",
    "safety_plan": "victim.safety_plan",
    "book": "booking.start",
    "human": "handoff.start",
    "exit": "safety.exit",
    "thanks": "menu.thanks",
    "other": "menu.fallback",
}
HELP_BY_ROLE: Mapping[str, str] = {
    "victim": "victim.start",
    "witness": "witness.start",
    "aggressor": "aggressor.start",
    "unknown": "menu.main",
}
# "help" from someone the NLU reads as a child or teenager, or as a parent afraid of hurting
# their child (nlu/age.py, issue 17), goes to their own path before the role's.
HELP_BY_FINER: Mapping[str, str] = {
    "young_person": "young.start",
    "parent": "parent.start",
}


@dataclass(frozen=True)
class Routes:
    by_intent: Mapping[str, str] = field(default_factory=lambda: dict(INTENT_ROUTES))
    help_by_role: Mapping[str, str] = field(default_factory=lambda: dict(HELP_BY_ROLE))
    help_by_finer: Mapping[str, str] = field(default_factory=lambda: dict(HELP_BY_FINER))
    fallback: str = "menu.fallback"

    def resolve(self, nlu: NluResult | None) -> str:
        if nlu is None:
            return self.fallback
        if nlu.intent == "help":
            if nlu.finer is not None and nlu.finer in self.help_by_finer:
                return self.help_by_finer[nlu.finer]
            return self.help_by_role.get(nlu.role, "menu.main")
        return self.by_intent.get(nlu.intent, self.fallback)

    def targets(self) -> set[str]:
        return {
            *self.by_intent.values(),
            *self.help_by_role.values(),
            *self.help_by_finer.values(),
            self.fallback,
        }
