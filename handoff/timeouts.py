"""Time limits (a job, every few seconds, in every process): an unanswered case escalates (an
urgent one again and again, at growing gaps, until someone claims it), one nobody took closes
as unanswered."""

from __future__ import annotations

from core.messages import Reply
from handoff.erasure import Erasure


class Timeouts(Erasure):
    """The sweep; it also erases the cases of people already forgotten."""

    async def sweep(self) -> dict[str, int]:
        now = self.clock.now()
        cfg = self.config
        escalated = await self.cases.take_escalations(
            now, cfg.urgent_timeout, cfg.timeout, cfg.urgent_repeat
        )
        for case in escalated:
            waited = int((now - case.due_at).total_seconds())
            # The person at calm intervals (every other alert), never after a quick exit.
            if case.person_id is not None and not case.quiet and case.escalations % 2 == 1:
                key = "handoff-timeout" if case.escalations == 1 else "handoff-still-queued"
                await self.notifier.enqueue(
                    case.person_id,
                    [Reply(self._t(case.lang, key), urgent=True)],
                    purpose="consultant",
                )
            await self.topics.alert(
                case.topic_chat,
                self._staff_t(
                    "staff-alert-waiting",
                    urgent=str(case.urgent).lower(),
                    number=case.number,
                    minutes=waited // 60,
                    seconds=waited % 60,
                    count=case.escalations,
                ),
            )
            if case.escalations == 1:
                await self._post_system(case, self._staff_t("staff-line-timeout"))
        stale = await self.cases.take_stale(now, cfg.give_up)
        for case in stale:
            await self._post_system(case, self._staff_t("staff-line-unclaimed"))
            await self.topics.set_buttons(case, [])
            await self.topics.close(case)
            await self._to_registry(case, unclaimed=True)
        # People forgotten without their cases (a crash between the two, or rows from before
        # erasure reached cases): their cases go now.
        orphans = await self.erase_cases(None)
        return {"escalated": len(escalated), "timed_out": len(stale), "erased": len(orphans)}
