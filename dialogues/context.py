"""What an action sees and can do during one turn."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.messages import Effect, Inbound, Reply
from dialogues.services import Services
from dialogues.state import State
from dialogues.texts import Texts
from nlu.result import NluResult


@dataclass
class Ctx:
    state: State
    inbound: Inbound
    nlu: NluResult | None
    services: Services
    texts: Texts
    value: str | None = None  # a dynamic button's value or the free text being handled
    person_id: int | None = None  # the people row of this conversation (None in bare tests)
    # The step whose button was pressed, whose free text is handled or that is being entered
    # (one action can serve many steps: the questions of the danger screen).
    step: str | None = None
    # Filled by the action:
    messages: list[Reply] = field(default_factory=list)
    offers: list[tuple[str, str]] = field(default_factory=list)  # (label, value) buttons
    offer_answers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # value -> classes
    effects: list[Effect] = field(default_factory=list)
    redirect: str | None = None
    declined: bool = False

    @property
    def lang(self) -> str:
        return self.state.lang or "ru"

    @property
    def now(self) -> Any:
        return self.services.clock.now()

    def t(self, key: str, **args: Any) -> str:
        return self.texts.get(
            self.lang, key, args, channel=self.inbound.channel, audience=self.state.audience
        )

    def say(self, key: str, **args: Any) -> None:
        self.messages.append(Reply(self.t(key, **args)))

    def say_text(self, text: str) -> None:
        """For text composed from data (a contacts list): still built from keyed texts."""
        self.messages.append(Reply(text))

    def offer(self, label: str, value: str, answers: tuple[str, ...] = ()) -> None:
        """A dynamic button on the step being entered; pressing it runs the step's on_pick.
        `answers`: answer classes a typed reply may press it by (as Option.answers)."""
        self.offers.append((label, value))
        if answers:
            self.offer_answers[value] = answers

    def goto(self, step: str) -> None:
        self.redirect = step

    def effect(self, effect: Effect) -> None:
        self.effects.append(effect)

    def decline(self) -> None:
        """Free text this step cannot use: let NLU routing handle it."""
        self.declined = True
