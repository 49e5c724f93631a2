"""Opening a case: the pipeline's handoff hook (a part of the desk)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from core.messages import Reply, RequestHandoff
from handoff.card import CaseCard
from handoff.case_view import Case
from handoff.desk import DeskBase, State
from nlu.result import NluResult
from registry.vocabulary import ROLES
from storage.people import PersonRef

log = logging.getLogger(__name__)


class Intake(CaseCard, DeskBase):
    """Opens a case, or escalates the one already open, and posts its card."""

    async def on_handoff(
        self, person: PersonRef, request: RequestHandoff, state: State, nlu: NluResult | None
    ) -> list[Reply]:
        lang = state.lang or "ru"
        try:
            return await self._open(person, request, state, nlu, lang)
        except Exception:
            log.exception("could not open a handoff case")
            return [Reply(self.texts.get(lang, "handoff-failed"), urgent=request.urgent)]

    async def _open(
        self,
        person: PersonRef,
        request: RequestHandoff,
        state: State,
        nlu: NluResult | None,
        lang: str,
    ) -> list[Reply]:
        now = self.clock.now()
        details = dict(request.details)
        quiet = bool(details.pop("quiet", False))
        danger = _danger(details)
        existing = await self.cases.open_for(person.id)
        if existing is not None:
            case = await self.cases.escalate_request(
                existing.id, urgent=request.urgent, quiet=quiet, danger=danger
            )
            if case is None:
                return []
            if request.urgent and not existing.urgent:
                await self.topics.post(case, self._staff_t("staff-line-now-urgent"), urgent=True)
            if quiet:
                await self._post_system(case, self._staff_t("staff-card-quiet"))
                return []
            if case.live:
                return []
            return [Reply(self._t(lang, "handoff-already", position=await self.position(case)))]
        callback_at = _callback_time(details.get("callback_at"), now)
        role = _role(details, state, nlu)
        # The finer role and age band the conversation learnt (issue 17), for the card.
        for key, value in (("finer", state.finer), ("age", state.age)):
            if value and key not in details:
                details = {**details, key: value}
        region = details.get("region")
        case = await self.cases.create(
            person_id=person.id,
            contact_id=state.contact,
            reason=request.reason,
            urgent=request.urgent,
            danger=danger,
            quiet=quiet,
            lang=lang,
            role=role,
            region=str(region) if region else None,
            details=details,
            callback_at=callback_at,
            topic_chat=await self.topics.pick_group(),
            now=now,
        )
        if self.registry_update is not None:
            await self.registry_update(state.contact, handed_off=True)
        if self.topics.enabled:
            recent = await self.transcripts.recent(person.id, limit=12)
            earlier = await self.cases.earlier(case)
            card = self.card(case, [(ln.direction, ln.text) for ln in recent], earlier)
            await self.topics.open(case, _title(case), card, self.claim_buttons(case))
            await self.audit(None, "case-card-to-group", f"{case.number} transcript", now)
        log.info("handoff case opened (urgent=%s)", case.urgent)
        if quiet or callback_at is not None:
            return []
        place = await self.position(case) or 1
        if request.urgent and place == 1:
            return []  # the urgent step already said that a consultant is called
        if place == 1:
            return [Reply(self._t(lang, "handoff-queued-first"))]
        return [Reply(self._t(lang, "handoff-queued", position=place))]


def _title(case: Case) -> str:
    return f"{case.number}{' 🔴' if case.urgent else ''}"


def _role(details: dict[str, Any], state: State, nlu: NluResult | None) -> str:
    """Who is writing, for the card: the role the urgent path settled on, else the path the
    person chose by button (State.role: "Мне нужна помощь" is a victim's), else the NLU's."""
    for role in (details.get("role"), state.role, nlu.role if nlu is not None else None):
        if isinstance(role, str) and role in ROLES and role != "unknown":
            return role
    return "unknown"


def _danger(details: dict[str, Any]) -> str | None:
    level = details.get("danger_level")
    return str(level) if level in ("high", "elevated", "low") else None


def _callback_time(value: Any, now: datetime) -> datetime | None:
    """A callback time from the flow, only if it is sensible (future, within a week)."""
    if not isinstance(value, str):
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None
    if at.tzinfo is None or at <= now or at - now > timedelta(days=8):
        return None
    return at
