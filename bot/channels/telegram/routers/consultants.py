"""The consultants' side: the configured supergroups. Topic messages and card buttons go to
the handoff desk; nothing here ever reaches the person's dialogue."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message, User

from handoff.relay import Consultant, Desk


def _consultant(user: User) -> Consultant:
    name = " ".join(filter(None, [user.first_name, (user.last_name or "")[:1]])) or "консультант"
    return Consultant(name=name[:48], via="telegram", tg_user=user.id)


def make_router(desk: Desk, groups: Sequence[int]) -> Router:
    router = Router(name=__name__)
    router.message.filter(F.chat.id.in_(set(groups)))
    router.callback_query.filter(F.message.chat.id.in_(set(groups)))

    @router.message()
    async def on_consultant_message(message: Message) -> None:
        user = message.from_user
        if user is None or user.is_bot or message.message_thread_id is None:
            return  # the general topic is the team's own room
        text = message.text or message.caption
        if not text:
            return
        await desk.on_topic_message(
            message.chat.id, message.message_thread_id, message.message_id, _consultant(user), text
        )

    @router.callback_query()
    async def on_consultant_button(query: CallbackQuery) -> None:
        if not query.data:
            await query.answer()
            return
        answer = await desk.on_topic_button(query.data, _consultant(query.from_user))
        await query.answer(answer[:190])

    return router
