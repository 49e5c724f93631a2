"""Declarations of flows: steps, their texts, buttons and transitions, as data.

A flow module defines `FLOW = Flow(...)` and registers its side effects on `ACTIONS`
(an `Actions` registry). Everything a counsellor needs to review is in the declarations;
`python -m dialogues.table` prints them as a table.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dialogues.context import Ctx

# Special targets of `goto`.
RESUME = "@resume"  # back to the step a safety interrupt suspended
STAY = "@stay"  # say the action's messages only: the person stays where they were
MENU = "menu.main"


@dataclass(frozen=True, slots=True)
class Option:
    """A button. Its payload is "<step>#<id>", so a press is resolved against the declarations."""

    id: str
    label: str  # text key
    goto: str | None = None
    do: str | None = None  # action run before `goto`
    # Typed answers that mean this button: answer classes of dialogues/data/answers.yaml
    # ("yes", "no", "not_sure") matched on the message's leading word or phrase, and words
    # (normalised stems, dialogues.answers.words) matched anywhere unless negated next to them.
    answers: tuple[str, ...] = ()
    words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Step:
    id: str  # "<flow>.<step>"
    say: tuple[str, ...] = ()  # text keys, one message each; the buttons go on the last
    options: tuple[Option, ...] = ()
    on_enter: str | None = None  # action: may add messages, offer dynamic buttons, or redirect
    on_text: str | None = None  # action for free text here; it may decline to NLU routing
    on_pick: str | None = None  # action for a dynamic button ("<step>=<value>")
    next: str | None = None  # after saying, go straight on to this step (no buttons here)
    controls: bool = True  # the urgent and quick-exit buttons
    menu_button: bool = True  # a "main menu" button (never on the menu itself)
    columns: int = 1
    urgent: bool = False  # messages of this step go out ahead of other traffic
    # Its last message ends with the phone lines (common-lines), unless this turn gave them
    # already: for the screens the bot lands people on when it cannot place them (the menu).
    lines: bool = False
    # A question that must be answered: free text that is not an answer re-asks it (this text
    # key first) instead of going to NLU routing; the menu, urgent and exit buttons still work.
    insist: str | None = None


@dataclass(frozen=True, slots=True)
class Flow:
    name: str
    steps: tuple[Step, ...]
    summary: str = ""  # one line for the counsellors' table
    # Who a person says they are by walking into this flow from a button ("Мне нужна помощь"
    # is a victim's path): kept in State.role, so that a case and the urgent advice know it
    # although no text was read.
    role: str | None = None
    # The finer role of who walks into it (issue 17: "young_person" for the young person's
    # path, "parent" for the parents'): kept in State.finer for the case card and the registry.
    finer: str | None = None

    def __post_init__(self) -> None:
        for step in self.steps:
            if not step.id.startswith(self.name + "."):
                raise ValueError(f"step {step.id} does not belong to flow {self.name}")


Action = Callable[["Ctx"], Awaitable[None]]


@dataclass
class Actions:
    """A registry of named side effects: `@ACTIONS("contacts.show")`."""

    table: dict[str, Action] = field(default_factory=dict)

    def __call__(self, name: str) -> Callable[[Action], Action]:
        def register(fn: Action) -> Action:
            if name in self.table:
                raise ValueError(f"action {name} registered twice")
            self.table[name] = fn
            return fn

        return register
