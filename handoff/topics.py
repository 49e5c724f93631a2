"""The consultants' Telegram groups: one forum topic per case, everything through the outbox.

Telegram lets a bot post about 20 messages a minute into one group, so every call into a group
is an outbox row with destination "group:<chat id>": they go out in order (urgent first),
within the limit (the group's pace, delivery/chatpace.py), and survive a restart. Several
groups share the load: a new case goes to the group with the fewest open cases. The Bot API
itself is behind `GroupApi` (the Telegram channel implements it), so this package never
imports aiogram.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.priority import OUTBOX_URGENT
from delivery.claims import PENDING, Delivery
from delivery.courier import Permanent
from delivery.models import OutboxRow
from delivery.outbox import Outbox
from handoff.case_view import Case
from handoff.cases import CaseStore

GROUP = "group"
Buttons = Sequence[Sequence[tuple[str, str]]]  # rows of (label, callback data)
# What an erased case's copy says where Telegram no longer lets the bot delete it (48 h), for
# a row queued before the text came with it (the caller gives it in the group's language).
ERASED_FALLBACK = "—"
ERASE_CHUNK = 10  # copies per outbox row: a retry (429) repeats at most this many calls


class GroupApi(Protocol):
    async def create_topic(self, chat: int, name: str) -> int: ...
    async def send(
        self, chat: int, thread: int | None, text: str, buttons: Buttons, reply_to: int | None
    ) -> int: ...
    async def set_buttons(self, chat: int, message_id: int, buttons: Buttons) -> None: ...
    async def close_topic(self, chat: int, thread: int) -> None: ...
    async def reopen_topic(self, chat: int, thread: int) -> None: ...
    # False when Telegram refuses (too old, not the bot's, already gone): never raises for that.
    async def delete(self, chat: int, message_id: int) -> bool: ...
    async def blank(self, chat: int, message_id: int, text: str) -> bool: ...


def dest_of(chat: int) -> str:
    return f"group:{chat}"


class Topics:
    def __init__(self, outbox: Outbox, cases: CaseStore, groups: Sequence[int]) -> None:
        self.outbox = outbox
        self.cases = cases
        self.groups = tuple(groups)

    @property
    def enabled(self) -> bool:
        return bool(self.groups)

    def serve(self, api: GroupApi) -> None:
        """Install the handler that performs group operations (the Telegram channel does)."""

        async def handle(d: Delivery) -> dict[str, Any]:
            return await self._perform(api, d)

        self.outbox.register(GROUP, handle)

    async def pick_group(self) -> int | None:
        if not self.groups:
            return None
        load = await self.cases.open_count_by_chat()
        return min(self.groups, key=lambda g: (load.get(g, 0), self.groups.index(g)))

    # -- what the desk asks for ---------------------------------------------------------

    async def open(self, case: Case, title: str, card: str, buttons: Buttons) -> None:
        """The case's topic and its card in ONE outbox row: the card is posted as soon as the
        topic exists, without a second row to store, claim and mark (issue 21: the urgent
        card came ~100 ms after its topic at idle). A retry does not create the topic again
        once the case knows its thread. An urgent case's row, when its group has nothing
        queued, is sent by this process right after its commit, without waiting for a
        worker's claim (`Outbox.enqueue_now`); the worker is the fallback."""
        chat = case.topic_chat
        if chat is None:
            return
        then = {"text": card, "buttons": _rows(buttons)}
        payload = {"op": "topic", "case": case.id, "name": title, "card": then}
        if not case.urgent:
            await self._enqueue(chat, payload, 5)
            return
        # As urgent as the person's urgent reply (after its first message, OUTBOX_FIRST):
        # otherwise the card waits for every part of that reply to pass the platform's
        # budget first (~33 ms each at 30/s).
        await self.outbox.enqueue_now(
            GROUP,
            dest_of(chat),
            {"chat": chat, **payload},
            tag="group",
            meta=_meta(payload),
            priority=OUTBOX_URGENT,
        )

    async def post(
        self,
        case: Case,
        text: str,
        *,
        line: int | None = None,
        reply_to: int | None = None,
        urgent: bool = False,
        buttons: Buttons = (),
    ) -> None:
        if case.topic_chat is None:
            return
        payload: dict[str, Any] = {
            "op": "send",
            "case": case.id,
            "text": text,
            "buttons": _rows(buttons),
        }
        if line is not None:
            payload["line"] = line
        if reply_to is not None:
            payload["reply_to"] = reply_to
        await self._enqueue(case.topic_chat, payload, 5 if urgent else 0)

    async def alert(self, chat: int | None, text: str) -> None:
        """A message in a group's general topic (for supervisors)."""
        chat = chat if chat is not None else (self.groups[0] if self.groups else None)
        if chat is not None:
            await self._enqueue(chat, {"op": "send", "general": True, "text": text}, 5)

    async def repost_card(self, case: Case, card: str, buttons: Buttons) -> None:
        """The card again, at the bottom of a long topic, with the buttons; the old card loses
        its buttons (named by its id: by the time this runs the case knows the new one)."""
        if case.topic_chat is None:
            return
        if case.card_message_id is not None:
            old = {"op": "buttons", "case": case.id, "message": case.card_message_id}
            await self._enqueue(case.topic_chat, {**old, "buttons": []}, 0)
        payload = {"op": "send", "case": case.id, "text": card, "buttons": _rows(buttons)}
        await self._enqueue(case.topic_chat, {**payload, "card": 1}, 0)

    async def set_buttons(self, case: Case, buttons: Buttons) -> None:
        if case.topic_chat is not None:
            await self._enqueue(
                case.topic_chat, {"op": "buttons", "case": case.id, "buttons": _rows(buttons)}, 0
            )

    async def close(self, case: Case) -> None:
        if case.topic_chat is not None:
            await self._enqueue(case.topic_chat, {"op": "close", "case": case.id}, 0)

    async def reopen(self, case: Case) -> None:
        if case.topic_chat is not None:
            await self._enqueue(case.topic_chat, {"op": "reopen", "case": case.id}, 0)

    async def erase(
        self,
        case: Case,
        copies: Sequence[tuple[int, datetime]],
        note: str,
        s: AsyncSession,
        blank: str = ERASED_FALLBACK,
    ) -> None:
        """Remove an erased case from its group, in the caller's transaction: what was still
        waiting to be posted is dropped, a neutral note says why, every copy is deleted (or,
        past Telegram's 48 hours, blanked) and the topic is closed. Nothing here names the case
        row, which is gone by the time the worker runs."""
        stale = [
            row_id
            for row_id, meta in await s.execute(
                select(OutboxRow.id, OutboxRow.meta).where(
                    OutboxRow.kind == GROUP, OutboxRow.state == PENDING
                )
            )
            if _case_of(meta) == case.id
        ]
        if stale:
            await s.execute(delete(OutboxRow).where(OutboxRow.id.in_(stale)))
        chat, thread = case.topic_chat, case.topic_thread
        if chat is None:
            return
        head = "" if thread is not None else f"[{case.number}] "
        await self._enqueue(chat, {"op": "send", "thread": thread, "text": head + note}, 0, s)
        ids = [message_id for message_id, _ in copies]
        for i in range(0, len(ids), ERASE_CHUNK):
            chunk = ids[i : i + ERASE_CHUNK]
            await self._enqueue(chat, {"op": "erase", "copies": chunk, "blank": blank}, 0, s)
        if thread is not None:
            await self._enqueue(chat, {"op": "close", "thread": thread}, 0, s)

    async def _enqueue(
        self,
        chat: int,
        payload: dict[str, Any],
        priority: int,
        session: AsyncSession | None = None,
    ) -> None:
        await self.outbox.enqueue(
            GROUP,
            dest_of(chat),
            {"chat": chat, **payload},
            tag="group",
            meta=_meta(payload),
            priority=priority,
            session=session,
        )

    # -- performing (in the outbox worker) ----------------------------------------------

    async def _perform(self, api: GroupApi, d: Delivery) -> dict[str, Any]:
        p = d.payload
        chat = int(p["chat"])
        case = await self.cases.get(int(p["case"])) if p.get("case") is not None else None
        op = p.get("op")
        if p.get("case") is not None and case is None:
            raise Permanent("case erased")  # never post what belonged to an erased case
        if op == "topic":
            if case is None:
                raise Permanent("case gone")
            return await self._open_topic(api, chat, case, p)
        if op == "send":
            return await self._send(api, chat, case, p)
        if op == "buttons":
            message_id = p.get("message") or (case.card_message_id if case else None)
            if message_id is None:
                return {}
            await api.set_buttons(chat, int(message_id), _tuples(p.get("buttons")))
            return {}
        if op == "close":
            closing = case.topic_thread if case is not None else p.get("thread")
            if closing is not None:
                await api.close_topic(chat, int(closing))
            return {}
        if op == "reopen":
            if case is not None and case.topic_thread is not None:
                await api.reopen_topic(chat, case.topic_thread)
            return {}
        if op == "erase":
            blanked = 0
            for message_id in p.get("copies") or []:
                if not await api.delete(chat, int(message_id)):
                    text = str(p.get("blank") or ERASED_FALLBACK)
                    blanked += await api.blank(chat, int(message_id), text)
            return {"blanked": blanked}
        raise Permanent(f"unknown group operation {op!r}")

    async def _open_topic(
        self, api: GroupApi, chat: int, case: Case, p: dict[str, Any]
    ) -> dict[str, Any]:
        """Create the case's topic and post its card. The thread and the card's id are
        written together, once the card is posted (one write, which also finds an erasure
        that came meanwhile); the thread alone only when the card fails after the topic was
        created, so that the retry posts into it."""
        card = p.get("card")
        thread = case.topic_thread if case.topic_chat == chat else None
        fresh = thread is None  # not created yet (or a retry of a row that failed before it)
        if fresh:
            try:
                thread = await api.create_topic(chat, str(p.get("name", ""))[:128])
            except Permanent:
                # Not a forum (topics off): the case lives in the general chat, by number.
                await self.cases.set_topic(case.id, chat, None)
                if not isinstance(card, dict):
                    raise
                thread, fresh = None, False
        if not isinstance(card, dict):
            if fresh:
                await self.cases.set_topic(case.id, chat, thread)
            return {"thread": thread}
        case = replace(case, topic_chat=chat, topic_thread=thread)
        text = str(card.get("text", ""))
        if thread is None:
            text = f"[{case.number}] {text}"
        try:
            message_id = await api.send(
                chat, thread, text[:4096], _tuples(card.get("buttons")), None
            )
        except BaseException:
            if fresh:
                await self.cases.set_topic(case.id, chat, thread)
            raise
        if not await self.cases.set_topic_and_card(case.id, chat, thread, message_id):
            # Erased while this was on its way: the erasure knew neither this copy nor the
            # topic it opened.
            await api.delete(chat, message_id)
            if fresh and thread is not None:
                await api.close_topic(chat, thread)
        return {"thread": thread, "message_id": message_id}

    async def _send(
        self, api: GroupApi, chat: int, case: Case | None, p: dict[str, Any]
    ) -> dict[str, Any]:
        where: int | None = p.get("thread")
        text = str(p.get("text", ""))
        if case is not None and not p.get("general"):
            where = case.topic_thread
            if where is None:
                text = f"[{case.number}] {text}"
        reply_to = p.get("reply_to")
        message_id = await api.send(
            chat,
            where,
            text[:4096],
            _tuples(p.get("buttons")),
            int(reply_to) if reply_to is not None else None,
        )
        if case is not None and await self.cases.get(case.id) is None:
            # Erased while this was on its way: the erasure did not know of this copy.
            await api.delete(chat, message_id)
            return {"message_id": message_id}
        if case is not None and p.get("card"):
            await self.cases.set_card(case.id, message_id)
        if p.get("line") is not None:
            await self.cases.mark_line(int(p["line"]), topic_message_id=message_id)
        return {"message_id": message_id}


def _meta(payload: dict[str, Any]) -> dict[str, Any]:
    meta = {"case": payload.get("case"), "line": payload.get("line")}
    if payload.get("card"):
        meta["card"] = 1  # which row carries the case card (the benchmarks read it)
    return meta


def _case_of(meta: str) -> Any:
    try:
        return json.loads(meta or "{}").get("case")
    except (ValueError, AttributeError):
        return None


def _rows(buttons: Buttons) -> list[list[list[str]]]:
    return [[[label, data] for label, data in row] for row in buttons]


def _tuples(rows: Any) -> list[list[tuple[str, str]]]:
    return [[(str(b[0]), str(b[1])) for b in row] for row in rows or []]
