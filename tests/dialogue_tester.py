"""Drives the engine directly, without storage or channels: the cheapest level of dialogue tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from core.clock import FrozenClock
from core.messages import Effect, Inbound, Reply
from dialogues.build import build_engine
from dialogues.engine import Engine, Turn
from dialogues.services import Services
from dialogues.state import State
from nlu.result import NluResult

_ENGINE: Engine | None = None


def engine() -> Engine:
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = build_engine()
    return _ENGINE


def labels(
    intent: str = "help", role: str = "unknown", *, urgent: bool = False, lang: str = "ru"
) -> NluResult:
    return NluResult(lang, role, intent, urgent, 0.99 if urgent else 0.01)  # type: ignore[arg-type]


@dataclass
class DialogueTester:
    state: State = field(default_factory=State)
    services: Services = field(
        default_factory=lambda: Services(clock=FrozenClock(datetime(2026, 11, 25, 20, tzinfo=UTC)))
    )
    last: Turn | None = None

    async def text(self, text: str, nlu: NluResult | None = None) -> Turn:
        return await self._send(Inbound("test", "u", self.services.clock.now(), text=text), nlu)

    async def press(self, payload: str) -> Turn:
        return await self._send(
            Inbound("test", "u", self.services.clock.now(), payload=payload), None
        )

    async def press_label(self, label: str) -> Turn:
        assert self.last is not None
        for reply in self.last.replies:
            for button in reply.flat_buttons:
                if button.label == label:
                    return await self.press(button.payload)
        raise AssertionError(f"no button {label!r} in {self.labels()}")

    async def _send(self, inbound: Inbound, nlu: NluResult | None) -> Turn:
        self.last = await engine().handle(self.state, inbound, nlu, self.services)
        self.state = self.last.state
        return self.last

    def texts(self) -> str:
        assert self.last is not None
        return "\n".join(r.text for r in self.last.replies)

    def labels(self) -> list[str]:
        assert self.last is not None
        return [b.label for r in self.last.replies for b in r.flat_buttons]

    def replies(self) -> list[Reply]:
        assert self.last is not None
        return self.last.replies

    def effects(self) -> list[Effect]:
        assert self.last is not None
        return self.last.effects


def first_button(replies: list[Reply]) -> str:
    """The label of the first button of the last reply that has buttons: what a person who
    "takes the first offer" types (a day, a time, a format)."""
    for reply in reversed(replies):
        if reply.flat_buttons:
            return reply.flat_buttons[0].label
    raise AssertionError([r.text for r in replies])
