"""What the parts of the desk share: its configuration, the services it is given (set by
`Desk.__init__` in relay.py, which puts the parts together) and a few helpers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from core.clock import Clock
from core.messages import Reply
from core.texts import DEFAULT_LANG, Texts
from delivery.notifier import OutboxNotifier
from handoff.case_view import Case
from handoff.cases import CaseStore
from handoff.hours import WorkingHours
from handoff.linking import Links
from handoff.presence import Presence
from handoff.queue import position
from handoff.topics import Topics
from nlu.result import Understander
from storage.transcript import Transcripts

# (staff or None, action, subject, now): app.staff.audit with the staff member already bound
Audit = Callable[[Any, str, str, datetime], Awaitable[None]]
EnterStep = Callable[[int, str, dict[str, object] | None], Awaitable[list[Reply]]]
RegistryUpdate = Callable[..., Awaitable[None]]


class State(Protocol):
    """What intake reads of the person's dialogue state (dialogues.state.State)."""

    @property
    def lang(self) -> str | None: ...

    @property
    def contact(self) -> int | None: ...

    @property
    def role(self) -> str | None: ...

    @property
    def finer(self) -> str | None: ...

    @property
    def age(self) -> str | None: ...


@dataclass(frozen=True)
class HandoffConfig:
    groups: tuple[int, ...] = ()
    urgent_timeout: timedelta = timedelta(seconds=60)
    timeout: timedelta = timedelta(minutes=5)
    hours: WorkingHours = field(default_factory=WorkingHours)
    give_up: timedelta = timedelta(hours=12)  # unclaimed this long: timed out for good
    # An urgent case still unclaimed is escalated again: the gaps after the first alert, the
    # last one repeating (alerts at 1, 3, 6, 10, 15, 25, 35... minutes); the person hears
    # from the bot at every other alert (1, 6, 15, 35... minutes), with the phone lines.
    urgent_repeat: tuple[timedelta, ...] = tuple(timedelta(minutes=m) for m in (2, 3, 4, 5, 10))
    urgent_notice_every: timedelta = timedelta(minutes=10)
    reopen_within: timedelta = timedelta(minutes=30)  # a case closed by mistake opens again
    waiting_ack_every: float = 120.0  # seconds between "your message is saved" notes
    # What the desk writes to the consultants' group (cards, notices) is in one language:
    # the group is shared, so no one member's choice (QAMQOR_HANDOFF_GROUP_LANG).
    group_lang: str = DEFAULT_LANG


class DeskBase:
    """The desk's services and state, which every part reads (set by Desk.__init__)."""

    cases: CaseStore
    notifier: OutboxNotifier
    topics: Topics
    texts: Texts
    transcripts: Transcripts
    nlu: Understander
    clock: Clock
    config: HandoffConfig
    audit: Audit
    enter_step: EnterStep
    registry_update: RegistryUpdate | None
    presence: Presence | None
    _acked: dict[int, float]
    links: Links | None

    async def position(self, case: Case) -> int | None:
        return position(await self.cases.open_queue(), case.id, self.clock.now())

    async def _post_system(self, case: Case, text: str) -> None:
        line_id = await self.cases.add_line(
            case.id, "system", text, self.clock.now(), delivery="sent"
        )
        await self.topics.post(case, text, line=line_id)  # paired: erasure finds the copy

    async def _to_registry(self, case: Case, *, unclaimed: bool) -> None:
        if self.registry_update is None or case.contact_id is None:
            return
        claim_seconds = (
            int((case.claimed_at - case.due_at).total_seconds()) if case.claimed_at else None
        )
        await self.registry_update(
            case.contact_id,
            handed_off=True,
            claim_seconds=max(0, claim_seconds) if claim_seconds is not None else None,
            handoff_outcome=case.outcome,
            unclaimed=unclaimed,
        )

    def _t(self, lang: str, key: str, **args: Any) -> str:
        return self.texts.get(lang, key, args)

    def _staff_t(self, key: str, **args: Any) -> str:
        """A text for the consultants' group, in its language."""
        return self.texts.get(self.config.group_lang, key, args)
