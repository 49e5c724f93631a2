"""Telegram topic events: a consultant writes in a case's topic or presses a button on its card."""

from __future__ import annotations

from typing import TYPE_CHECKING

from handoff.actions import ConsultantActions, Refused
from handoff.card import BACK, CLAIM, CLAIM_SEND, CLOSE, OUTCOME
from handoff.case_view import Case
from handoff.lines import HELD
from handoff.models import QUEUED

if TYPE_CHECKING:
    from handoff.relay import Consultant


class TopicEvents(ConsultantActions):
    """The Telegram console: the same actions, reached from a topic and its card."""

    async def on_topic_message(
        self, chat: int, thread: int, message_id: int, who: Consultant, text: str
    ) -> bool:
        """A consultant wrote in a case's topic; True when it went to the person."""
        await self.consultant_seen()
        case = await self.cases.by_topic(chat, thread)
        if case is None or not case.open:
            return False
        command, rest = _command(text)
        try:
            if command == "/note":
                await self.note(case.id, who, rest)
                await self.topics.post(
                    case, self._staff_t("staff-topic-noted"), reply_to=message_id
                )
                return False
            if command == "/card":
                await self.repost_card(case)
                return False
            if command == "/refer":
                await self.refer(case.id, who)
                return False
            if command == "/help":
                await self.topics.post(case, self._staff_t("staff-topic-help"), reply_to=message_id)
                return False
            if case.state == QUEUED:
                await self._hold(case, who, text, message_id)
                return False
            if not case.live or not who.owns(case):
                return False  # colleagues may talk in the topic; only the claimer's words go out
            await self.reply(case.id, who, text, topic_message_id=message_id)
        except Refused as exc:
            await self.topics.post(
                case, "⚠ " + exc.say(self.texts, self.config.group_lang), reply_to=message_id
            )
            return False
        return True

    async def repost_card(self, case: Case) -> None:
        """The card with its buttons at the bottom of the topic (`/card`): in a long topic the
        first message, where the buttons were, is far up."""
        recent = (await self.cases.lines(case.id))[-6:]
        earlier = await self.cases.earlier(case)
        said = [
            ("consultant" if ln.direction == "out" else ln.direction, ln.text)
            for ln in recent
            if ln.direction != "system"
        ]
        card = self.card(case, said, earlier)
        buttons = self.close_buttons(case) if case.live else self.claim_buttons(case)
        await self.topics.repost_card(case, card, buttons)

    async def _hold(self, case: Case, who: Consultant, text: str, message_id: int) -> None:
        """A message written before anyone claimed the case: kept, and its author told that it
        has not gone out, with one button to claim the case and send it."""
        line_id = await self.cases.add_line(
            case.id, HELD, text, self.clock.now(), author=who.name, topic_message_id=message_id
        )
        button = (self._staff_t("staff-card-claim-send"), f"{CLAIM_SEND}:{case.id}:{line_id}")
        await self.topics.post(
            case, self._staff_t("staff-topic-held"), reply_to=message_id, buttons=[[button]]
        )

    async def _claim_and_send(self, case: Case, line_id: int, who: Consultant) -> str:
        held = await self.cases.line(line_id)
        if held is None or held.direction != HELD:
            return self._staff_t("staff-answer-held-gone")
        if held.author != who.name:
            return self._staff_t("staff-answer-held-not-yours", author=held.author)
        if not (case.live and who.owns(case)):
            await self.claim(case.id, who)
        if not await self.cases.take_line(line_id):
            return self._staff_t("staff-answer-held-gone")  # a second press: sent once
        try:
            await self.reply(case.id, who, held.text, topic_message_id=held.topic_message_id)
        except Refused:
            # Not sendable now (the person hid the chat, or erased it): kept, as it was.
            await self.cases.add_line(
                case.id,
                HELD,
                held.text,
                held.at,
                author=held.author,
                topic_message_id=held.topic_message_id,
            )
            raise
        return self._staff_t("staff-answer-claimed-sent")

    async def on_topic_button(self, data: str, who: Consultant) -> str:
        """A button on a case card. Returns the short answer shown to the one who pressed it."""
        await self.consultant_seen()
        parts = data.split(":")
        try:
            action, case_id = ":".join(parts[:2]), int(parts[2])
        except (IndexError, ValueError):
            return "?"
        if not 0 < case_id < 1 << 63:  # forged data: beyond any id the database can hold
            return "?"
        case = await self.cases.get(case_id)
        if case is None:
            return self._staff_t("staff-refused-no-case")
        try:
            if action == CLAIM_SEND and len(parts) > 3 and parts[3].isdigit():
                return await self._claim_and_send(case, int(parts[3]), who)
            if action == CLAIM:
                await self.claim(case_id, who)
                await self.audit(
                    None, "case-view", f"{case.number} tg:{who.tg_user}", self.clock.now()
                )
                return self._staff_t("staff-answer-claimed")
            if action == CLOSE:
                if case.live and not who.owns(case):
                    return self._staff_t(
                        "staff-answer-close-not-yours", holder=case.claimed_by or ""
                    )
                await self.topics.set_buttons(case, self.outcome_buttons(case))
                return self._staff_t("staff-answer-pick-outcome")
            if action == BACK:
                await self.topics.set_buttons(
                    case, self.close_buttons(case) if case.live else self.claim_buttons(case)
                )
                return self._staff_t("staff-answer-ok")
            if action == OUTCOME and len(parts) > 3:
                await self.close(case_id, who, parts[3])
                return self._staff_t("staff-answer-closed")
        except Refused as exc:
            return exc.say(self.texts, self.config.group_lang)
        return "?"


def _command(text: str) -> tuple[str, str]:
    """A topic command and the rest: "/note@QamqorBot text" -> ("/note", "text"); ("", text)
    for a message that is not a command."""
    if not text.startswith("/"):
        return "", text
    head, _, rest = text.partition(" ")
    if "\n" in head:
        head, _, more = head.partition("\n")
        rest = f"{more} {rest}".strip()
    return head.partition("@")[0].lower(), rest.strip()
