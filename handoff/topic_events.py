"""Telegram topic events: a consultant writes in a case's topic or presses a button on its card."""

from __future__ import annotations

from typing import TYPE_CHECKING

from handoff.actions import ConsultantActions, Refused
from handoff.card import BACK, CLAIM, CLOSE, OUTCOME

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
        try:
            if text.startswith("/note"):
                await self.note(case.id, who, text.removeprefix("/note").strip())
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
