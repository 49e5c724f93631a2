"""Consultants' actions, the same from either console (the Telegram topic and the web page):
claim, reply, note, close; and the queue they see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.lockscreen import vetted
from core.messages import Reply
from core.texts import Said
from handoff.card import CaseCard
from handoff.case_view import OUTCOMES, Case, outcome_label
from handoff.lines import Line
from handoff.models import CLOSED, QUEUED
from handoff.queue import rank, score

if TYPE_CHECKING:
    from handoff.relay import Consultant


# The warm referral: the dialogue step it starts and the state it sets there (the booking
# flow's kind hint and the programme's intake, dialogues/flows/booking.py, aggressor_intake.py).
REFER_STEP, REFER_KIND, REFER_INTAKE, REFERRED_BY = (
    "booking.referred",
    "booking_kind_hint",
    "programme",
    "line150",
)


class Refused(Said):
    """A consultant's action that cannot be done: a `staff-refused-*` text says why, in the
    language of whoever reads it (the web page's or the group's)."""


class ConsultantActions(CaseCard):
    """Claim, reply, note and close; each decision made once, in the database."""

    async def consultant_seen(self) -> None:
        """A consultant acted or has the console open: the queue is being served."""
        if self.presence is not None:
            await self.presence.seen(self.clock.now())

    async def claim(self, case_id: int, who: Consultant) -> Case:
        await self.consultant_seen()
        now = self.clock.now()
        case = await self.cases.claim(
            case_id, by=who.name, now=now, staff_id=who.staff_id, tg_user=who.tg_user
        )
        if case is None:
            current = await self.cases.get(case_id)
            if current and current.claimed_by:
                raise Refused("staff-refused-taken", holder=current.claimed_by)
            raise Refused("staff-refused-taken-unknown")
        await self.audit(who.staff, "case-claim", f"{case.number} {who.via} {who.name}", now)
        await self._post_system(
            case, self._staff_t("staff-line-claimed", name=who.name, via=who.via)
        )
        await self.topics.set_buttons(case, self.close_buttons(case))
        if case.person_id is not None and not case.quiet:
            await self.notifier.enqueue(
                case.person_id,
                [Reply(self._t(case.lang, "handoff-claimed-neutral"))],
                purpose="consultant",
            )
        return case

    async def reply(
        self, case_id: int, who: Consultant, text: str, *, topic_message_id: int | None = None
    ) -> Line:
        """Send a consultant's message to the person (from the web, or from the topic)."""
        await self.consultant_seen()
        text = text.strip()[:4000]
        if not text:
            raise Refused("staff-refused-empty")
        case = await self._own_live(case_id, who)
        if case.quiet:
            raise Refused("staff-refused-quiet")
        if case.person_id is None:
            raise Refused("staff-refused-erased")
        now = self.clock.now()
        line_id = await self.cases.add_line(
            case.id, "out", text, now, author=who.name, topic_message_id=topic_message_id
        )
        # The consultant's own words may reach a lock screen later: they never open a message
        # with a telling line (core/lockscreen.py; the case's record keeps them as written).
        await self.notifier.enqueue(
            case.person_id,
            [Reply(vetted(self._t(case.lang, "lockscreen-opener"), text))],
            purpose="consultant",
            tag="relay-out",
            meta={"case": case.id, "line": line_id},
        )
        if topic_message_id is None:
            await self.topics.post(case, f"💬 {who.name}: {text}", line=line_id)
        await self.cases.mark_active(case.id)
        line = await self.cases.line(line_id)
        assert line is not None
        return line

    async def note(self, case_id: int, who: Consultant, text: str) -> None:
        await self.consultant_seen()
        text = text.strip()
        if not text:
            raise Refused("staff-refused-empty-note")
        case = await self.cases.get(case_id)
        if case is None:
            raise Refused("staff-refused-no-case")
        await self.cases.add_note(case.id, who.name, text, self.clock.now())
        await self.audit(who.staff, "case-note", case.number, self.clock.now())

    async def close(
        self, case_id: int, who: Consultant, outcome: str, *, force: bool = False
    ) -> Case:
        await self.consultant_seen()
        if outcome not in OUTCOMES:
            raise Refused("staff-refused-outcome")
        case = await self.cases.get(case_id)
        if case is None or not case.open:
            raise Refused("staff-refused-closed")
        if case.live and not who.owns(case) and not force:
            raise Refused("staff-refused-close-not-yours", holder=case.claimed_by or "")
        now = self.clock.now()
        done = await self.cases.finish(case.id, state=CLOSED, outcome=outcome, now=now)
        if done is None:
            raise Refused("staff-refused-closed")
        await self.audit(who.staff, "case-close", f"{done.number} {outcome}", now)
        outcome_name = outcome_label(outcome, self.config.group_lang)
        await self._post_system(
            done, self._staff_t("staff-line-closed", outcome=outcome_name, name=who.name)
        )
        await self.topics.set_buttons(done, [])
        await self.topics.close(done)
        if done.person_id is not None and not done.quiet and done.claimed_at is not None:
            ended = [Reply(self._t(done.lang, "handoff-ended-neutral"))]
            # An urgent case's feedback is never followed by questions about the person.
            urgent: dict[str, object] | None = {"urgent_case": True} if done.urgent else None
            feedback = await self.enter_step(done.person_id, "feedback.start", urgent)
            await self.notifier.enqueue(done.person_id, [*ended, *feedback], purpose="consultant")
        await self._to_registry(done, unclaimed=False)
        return done

    async def refer(self, case_id: int, who: Consultant) -> Case:
        """A warm referral to the family service (issue 16): the person gets, in their own
        chat, a booking already set for them — the programme for someone who uses violence,
        a session of their own otherwise — with line 150 recorded as who referred them. The
        conversation with the consultant goes on; the person books with the buttons."""
        await self.consultant_seen()
        case = await self._own_live(case_id, who)
        if case.quiet:
            raise Refused("staff-refused-quiet")
        if case.person_id is None:
            raise Refused("staff-refused-erased")
        now = self.clock.now()
        aggressor = case.role == "aggressor"
        hint: dict[str, object] = {REFER_KIND: "stop" if aggressor else "self"}
        if aggressor:
            hint[REFER_INTAKE] = {"referral": REFERRED_BY}
        replies = await self.enter_step(case.person_id, REFER_STEP, hint)
        await self.notifier.enqueue(case.person_id, replies, purpose="consultant")
        if self.registry_update is not None and case.contact_id is not None:
            await self.registry_update(case.contact_id, referral=REFERRED_BY)
        await self.audit(who.staff, "case-refer", case.number, now)
        await self._post_system(case, self._staff_t("staff-line-referred", name=who.name))
        return case

    def may_reopen(self, case: Case, who: Consultant, *, force: bool = False) -> bool:
        """Closed by a consultant, within `HandoffConfig.reopen_within`, by the one who had it
        (or a coordinator: `force`)."""
        return (
            case.state == CLOSED
            and case.closed_at is not None
            and case.closed_at >= self.clock.now() - self.config.reopen_within
            and (force or who.owns(case))
        )

    async def reopen(self, case_id: int, who: Consultant, *, force: bool = False) -> Case:
        """Open a case closed by mistake again, within `HandoffConfig.reopen_within` of its
        closing: live, with `who` as its consultant; the topic opens again and the person is
        told that the consultant is back. The registry keeps the outcome of the last close."""
        await self.consultant_seen()
        closed = await self.cases.get(case_id)
        if closed is not None and not force and not who.owns(closed):
            raise Refused("staff-refused-reopen-not-yours", holder=closed.claimed_by or "")
        now = self.clock.now()
        case = await self.cases.reopen(
            case_id,
            name=who.name,
            staff_id=who.staff_id,
            now=now,
            within=self.config.reopen_within,
        )
        if case is None:
            raise Refused("staff-refused-reopen")
        await self.audit(who.staff, "case-reopen", case.number, now)
        await self.topics.reopen(case)
        await self._post_system(case, self._staff_t("staff-line-reopened", name=who.name))
        await self.topics.set_buttons(case, self.close_buttons(case))
        if case.person_id is not None and not case.quiet:
            await self.notifier.enqueue(
                case.person_id,
                [Reply(self._t(case.lang, "handoff-reopened"))],
                purpose="consultant",
            )
        return case

    async def _own_live(self, case_id: int, who: Consultant) -> Case:
        case = await self.cases.get(case_id)
        if case is None or not case.open:
            raise Refused("staff-refused-closed-now")
        if not case.live:
            raise Refused("staff-refused-claim-first")
        if not who.owns(case):
            raise Refused("staff-refused-not-yours", holder=case.claimed_by or "")
        return case

    async def queue(self) -> list[tuple[Case, float, int | None]]:
        """Open cases: the due ones ranked (with their score and place), then the rest."""
        now = self.clock.now()
        cases = await self.cases.open_cases()
        waiting = [c for c in cases if c.state == QUEUED]
        ranked = rank(waiting, now)
        out: list[tuple[Case, float, int | None]] = [
            (c, score(c, now), i) for i, c in enumerate(ranked, 1)
        ]
        out += [(c, 0.0, None) for c in waiting if c not in ranked]  # callbacks not yet due
        out += [(c, 0.0, None) for c in cases if c.live]
        return out
