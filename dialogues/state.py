"""A person's place in the dialogue: the step, the language and the answers, nothing else."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

# A var: the person said they are 18 or older (the young path's «Мне уже есть 18»). From then
# on the NLU's reading of a young writer is set aside (dialogues.engine).
ADULT_SAID = "adult_said"
# Said in one tap on the parents' path: "it is not me, another adult hurts my child"; a later
# reading of a parent afraid of hurting their child is not applied again (issue 17).
NOT_PARENT_SAID = "not_parent_said"
# Nothing told the writer's age, but the NLU leans young without deciding (NluResult.young_unsure):
# the victim's and the witness's first screens offer «Мне меньше 18» in one tap (issue 17).
YOUNG_UNSURE = "young_unsure"
# Vars the registry row is written from at every turn (bot/pipeline.py `_known`): the region
# code the person gave (contacts, a shared location, read by the handoff card too) and the
# kinds of violence they opened in the victim path (a list of codes).
REGION = "region"
KINDS_OPENED = "violence"
# Set when the conversation entered an urgent step (the 🆘 button, «опасно сейчас»): a button
# carries no words for the NLU, yet the contact is urgent (the registry's `urgent`).
URGENT_SEEN = "urgent_seen"


@dataclass
class State:
    lang: str | None = None
    lang_locked: bool = False  # chosen by the person: NLU no longer switches it
    lang_settled: bool = False  # a message has set the language: it now switches only clearly
    lang_vote: str | None = None  # the other language the last longish message was written in
    step: str | None = None
    resume: str | None = None  # the step a safety interrupt suspended
    vars: dict[str, Any] = field(default_factory=dict)
    offered: list[list[str]] = field(default_factory=list)  # [label, payload] of the last buttons
    updated_at: str | None = None
    contact: int | None = None  # the registry row of this conversation (not cleared by /start)
    role: str | None = None  # the path the person chose (Flow.role); NLU reads their texts
    # Who is writing, by age (issue 17): the finer role ("young_person", "parent") from the path
    # they walked into (Flow.finer) or the NLU's reading, and the age band the NLU read
    # ("child", "young", "adult"). An adult who says so in one tap clears them.
    finer: str | None = None
    age: str | None = None

    @property
    def audience(self) -> str | None:
        """Whom the bot speaks to, for a text's variant (dialogues/texts.py): "young" when a
        child or a teenager is writing, addressed «ты» / «сен» as the young path does."""
        young = self.finer == "young_person" or self.age in ("child", "young")
        return "young" if young else None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> State:
        if not data:
            return cls()
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        try:
            return cls(**known)
        except TypeError:
            return cls()

    def touched(self) -> datetime | None:
        return datetime.fromisoformat(self.updated_at) if self.updated_at else None
