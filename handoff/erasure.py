"""Erasure (/forget, retention): a person's cases go with their copies in the consultants' group."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from core.messages import Reply
from handoff.case_view import Erased
from handoff.desk import DeskBase

log = logging.getLogger(__name__)


class Erasure(DeskBase):
    """Deletes cases, and their copies in the group while Telegram still allows it."""

    async def erase_person(self, person_id: int, lang: str) -> list[Reply]:
        """The pipeline's eraser for /forget: every case of the person goes, open or closed,
        with its copies in the consultants' group. Says what could not be deleted."""
        erased: list[Erased] = []
        while batch := await self.erase_cases([person_id]):
            erased += batch
        if not erased:
            return []
        cutoff = self.clock.now() - DELETABLE_FOR
        old = sum(1 for e in erased for _, at in e.copies if at <= cutoff)
        if old:
            return [Reply(self._t(lang, "safety-forgotten-consultant-old", old=old))]
        return [Reply(self._t(lang, "safety-forgotten-consultant"))]

    async def erase_people(self, person_ids: Sequence[int]) -> None:
        """Retention's eraser: the cases of people about to be deleted."""
        for i in range(0, len(person_ids), 100):
            while await self.erase_cases(person_ids[i : i + 100]):
                pass

    async def erase_cases(self, person_ids: Sequence[int] | None) -> list[Erased]:
        now = self.clock.now()
        async with self.cases.session() as s, s.begin():
            erased = await self.cases.erase_in(s, person_ids)
            for e in erased:
                await self.topics.erase(
                    e.case,
                    e.copies,
                    self._staff_t("staff-line-erased"),
                    s,
                    blank=self._staff_t("staff-copy-erased"),
                )
        for e in erased:
            self._acked.pop(e.case.id, None)
            if e.case.open:  # the registry counts it as ended by the person's erasure
                gone = replace(e.case, outcome="erased")
                await self._to_registry(gone, unclaimed=e.case.claimed_at is None)
            await self.audit(None, "case-erased", e.case.number, now)
        if erased:
            log.info("handoff: %d cases erased with their copies", len(erased))
        return erased


# Telegram lets a bot delete a message for 48 hours after it was posted.
DELETABLE_FOR = timedelta(hours=48)
