"""The desk: opens cases, relays messages both ways, claims and closes, sweeps time limits.

Both consoles (the Telegram topic and the web page) call the same methods, so a case looks
the same from either side and every decision (a claim, a close) is made once, in the database.

While a case is claimed or active, what the person writes goes to the consultant and the bot
stays silent — with two exceptions that safety requires: an urgent message still gets the
emergency numbers (at most once every ten minutes, the consultant sees the message flagged),
and the controls (quick exit, /forget, buttons) always reach the bot.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from core.clock import Clock
from core.messages import Inbound, Reply
from core.texts import Texts
from delivery.claims import Result
from delivery.notifier import OutboxNotifier
from handoff.case_view import Case
from handoff.cases import CaseStore
from handoff.desk import Audit, EnterStep, HandoffConfig, RegistryUpdate
from handoff.intake import Intake
from handoff.linking import Links
from handoff.models import ABANDONED, QUEUED
from handoff.presence import Presence
from handoff.reassign import Reassign
from handoff.timeouts import Timeouts
from handoff.topic_events import TopicEvents
from handoff.topics import Topics
from nlu.result import Understander
from storage.people import PersonRef
from storage.transcript import Transcripts

EXIT_COMMANDS = {"exit", "stop"}
_COMMAND = re.compile(r"^/([a-z_]+)", re.IGNORECASE)
_NOISE = re.compile(r"[^\w]+")
LIVE_NOTICE_URGENCY = 0.8


@dataclass(frozen=True)
class Consultant:
    name: str  # what colleagues see
    via: str  # "web" | "telegram"
    staff: Any = None  # staffweb.auth.Staff for the web console
    tg_user: int | None = None

    @property
    def staff_id(self) -> int | None:
        return getattr(self.staff, "id", None)

    def owns(self, case: Case) -> bool:
        if self.tg_user is not None and case.claimed_tg_user == self.tg_user:
            return True
        return self.staff_id is not None and case.claimed_staff_id == self.staff_id


class Desk(Reassign, TopicEvents, Timeouts, Intake):
    """The desk, put together from its parts: intake.py opens a case, actions.py and
    topic_events.py are the consultants' side, reassign.py the coordinators', timeouts.py and
    erasure.py the jobs, card.py the case card; the relay itself (the person's messages,
    deliveries) is here."""

    def __init__(
        self,
        *,
        cases: CaseStore,
        notifier: OutboxNotifier,
        topics: Topics,
        texts: Texts,
        transcripts: Transcripts,
        nlu: Understander,
        clock: Clock,
        config: HandoffConfig,
        audit: Audit,
        enter_step: EnterStep,
        registry_update: RegistryUpdate | None = None,
        presence: Presence | None = None,
    ) -> None:
        self.cases = cases
        self.notifier = notifier
        self.topics = topics
        self.texts = texts
        self.transcripts = transcripts
        self.nlu = nlu
        self.clock = clock
        self.config = config
        self.audit = audit
        self.enter_step = enter_step
        self.registry_update = registry_update
        self.presence = presence
        self._acked: dict[int, float] = {}
        # Telegram accounts linked to staff accounts (bot/handoff_setup.py sets it).
        self.links: Links | None = None
        notifier.outbox.on_result("relay-out", self._on_relay_out)

    # -- the person's messages (the pipeline's interceptor) -----------------------------

    async def intercept(self, person: PersonRef, inbound: Inbound) -> bool:
        case = await self.cases.open_for(person.id)
        if case is None:
            return False
        if inbound.payload is not None:
            await self._person_pressed(case, inbound.payload)
            return False  # buttons and controls always reach the bot
        text = (inbound.text or "").strip()
        command = _COMMAND.match(text)
        if command:
            if command.group(1).lower() in EXIT_COMMANDS:
                await self._person_hid_chat(case)
            return False  # commands too (/exit, /forget, /menu ...)
        if self._typed_exit(text):
            # The quick-exit control typed out (WhatsApp keeps it in a list; typing is faster):
            # it is a press, not words for the consultant.
            await self._person_hid_chat(case)
            return False
        now = self.clock.now()
        # Urgency only: the consultant reads who is writing (quick: the encoder is not asked).
        lang = _lang(case.lang)
        nlu = await self.nlu.parse(text, context_lang=lang, quick=True) if text else None
        if nlu is not None and nlu.urgent and nlu.intent == "exit":
            return False  # "delete everything, he is coming": the bot erases and stays quiet
        urgent = bool(nlu and nlu.urgent)
        shown = text or self._staff_t("staff-line-unsupported", kind=inbound.unsupported or "none")
        line_id = await self.cases.add_line(
            case.id,
            "in",
            shown,
            now,
            author="person",
            urgent=urgent,
            delivery="sent",
            person_message_id=inbound.message_id,
        )
        await self.cases.touch_person(case.id, now, urgent and not case.urgent)
        if case.quiet:
            await self.cases.set_quiet(case.id, False)
        reply_to = None
        if inbound.reply_to:
            paired = await self.cases.line_by_person_message(case.id, inbound.reply_to)
            reply_to = paired.topic_message_id if paired else None
        mark = "🔴 " if urgent else ""
        await self.topics.post(case, f"{mark}👤 {shown}", line=line_id, reply_to=reply_to)
        replies: list[Reply] = []
        # While a consultant is reading, the bot repeats the numbers only for a clear danger
        # signal (a rule, or a high score): a borderline "да, я у соседки" is theirs to judge.
        clear = bool(
            nlu and nlu.urgent and (nlu.urgent_rules or nlu.urgency >= LIVE_NOTICE_URGENCY)
        )
        if (urgent if case.state == QUEUED else clear) and (
            case.state == QUEUED
            or await self.cases.take_urgent_notice(case.id, now, self.config.urgent_notice_every)
        ):
            replies.append(Reply(self._t(case.lang, "handoff-live-urgent"), urgent=True))
            if not case.urgent:
                await self.topics.alert(
                    case.topic_chat, self._staff_t("staff-alert-urgent", number=case.number)
                )
        if not text:
            replies.append(Reply(self._t(case.lang, "handoff-text-only")))
        if case.state == QUEUED and self._may_ack(case.id):
            fresh = await self.cases.get(case.id)
            place = await self.position(fresh) if fresh else None
            if place is not None:
                replies.append(Reply(self._t(case.lang, "handoff-still-waiting", position=place)))
        if replies:
            await self.notifier.enqueue(person.id, replies, purpose="consultant")
        return True

    def _typed_exit(self, text: str) -> bool:
        typed = _NOISE.sub(" ", text.casefold()).strip()
        return bool(typed) and any(
            typed == _NOISE.sub(" ", self.texts.get(lang, "control-exit").casefold()).strip()
            for lang in self.texts.langs
        )

    def _may_ack(self, case_id: int) -> bool:
        last = self._acked.get(case_id)
        now = time.monotonic()
        if last is not None and now - last < self.config.waiting_ack_every:
            return False
        self._acked[case_id] = now
        return True

    async def _person_pressed(self, case: Case, payload: str) -> None:
        if payload == "handoff.waiting#cancel" and case.state == QUEUED:
            done = await self.cases.finish(
                case.id, state=ABANDONED, outcome="cancelled", now=self.clock.now(), only=(QUEUED,)
            )
            if done is not None:
                await self._post_system(done, self._staff_t("staff-line-cancelled"))
                await self.topics.set_buttons(done, [])
                await self.topics.close(done)
                await self._to_registry(done, unclaimed=False)
        elif payload == "!exit":
            await self._person_hid_chat(case)

    async def _person_hid_chat(self, case: Case) -> None:
        # Someone may be looking at the phone: the case stays open, but nobody writes first.
        await self.cases.set_quiet(case.id, True)
        await self._post_system(case, self._staff_t("staff-card-quiet"))

    # -- deliveries ---------------------------------------------------------------------

    async def _on_relay_out(self, result: Result) -> None:
        line_id = result.delivery.meta.get("line")
        case_id = result.delivery.meta.get("case")
        if line_id is None or case_id is None:
            return
        if result.ok:
            ids = result.value.get("ids") or []
            await self.cases.mark_line(
                int(line_id), delivery="sent", person_message_id=str(ids[0]) if ids else None
            )
            return
        await self.cases.mark_line(int(line_id), delivery="failed")
        await self.cases.count_failure(int(case_id))
        case = await self.cases.get(int(case_id))
        line = await self.cases.line(int(line_id))
        if case is not None:
            await self.topics.post(
                case,
                self._staff_t("staff-line-undelivered"),
                reply_to=line.topic_message_id if line else None,
            )


def _lang(lang: str) -> Any:
    return lang if lang in ("ru", "kk") else None
