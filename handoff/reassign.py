"""A coordinator moves a live case to another consultant on shift, or back to the queue
(the supervisor page, issue 15). Done here, in the desk, so both consoles see it at once: the
case's holder changes in the database (one conditional UPDATE), the case's Telegram topic gets
a system line in words, and the audit log an entry.

Decision (docs/handoff.md, "The supervisor page"): the person is told nothing. They never see
a consultant's name, only "a consultant of line 150"; a line such as "another consultant
continues" would make a frightened person wonder what went wrong, and the new consultant can
say who they are in their own words. Back in the queue, the case waits afresh and the usual
escalations speak to the person (calmly, with the phone lines) only if nobody takes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from handoff.actions import Refused
from handoff.card import CaseCard
from handoff.case_view import Case
from handoff.shift import Roster

if TYPE_CHECKING:
    from handoff.relay import Consultant

SUPERVISOR_ROLE = "coordinator"  # the project's supervisors (staffweb/auth.py ROLES)


class Reassign(CaseCard):
    """`reassign`: the one way a case changes hands without its holder."""

    @property
    def roster(self) -> Roster:
        return Roster(self.cases.session)

    async def reassign(self, case_id: int, by: Consultant, to_staff_id: int | None) -> Case:
        """Move a claimed or active case to the consultant `to_staff_id` (who must be on
        shift), or back to the queue (None). Raises Refused with the reason in words."""
        staff = by.staff
        if staff is None or not staff.may(SUPERVISOR_ROLE):
            raise Refused("staff-refused-reassign-role")
        now = self.clock.now()
        case = await self.cases.get(case_id)
        if case is None or not case.live:
            raise Refused("staff-refused-reassign-not-live")
        target = None
        if to_staff_id is not None:
            if to_staff_id == case.claimed_staff_id:
                raise Refused("staff-refused-reassign-same", holder=case.claimed_by or "")
            target = await self.roster.find(to_staff_id, now)
            if target is None:
                raise Refused("staff-refused-reassign-off-shift")
        done = await self.cases.hand_over(
            case.id,
            holder=case.claimed_staff_id,
            holder_name=case.claimed_by,
            to=(target.username, target.staff_id) if target else None,
            now=now,
        )
        if done is None:  # closed, claimed or moved meanwhile: the first change wins
            raise Refused("staff-refused-reassign-moved")
        before = case.claimed_by or "—"
        after = target.username if target else "queue"
        await self.audit(staff, "case-reassign", f"{done.number} {before} -> {after}", now)
        if target is not None:
            line = self._staff_t(
                "staff-line-reassigned", before=before, after=target.username, by=by.name
            )
            await self._post_system(done, line)
        else:
            await self._post_system(
                done, self._staff_t("staff-line-requeued", before=before, by=by.name)
            )
            await self.topics.set_buttons(done, self.claim_buttons(done))
        return done
