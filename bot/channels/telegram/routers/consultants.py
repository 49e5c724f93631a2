"""The consultants' side: the configured supergroups. Topic messages and card buttons go to
the handoff desk; nothing here ever reaches the person's dialogue.

Membership of the group is not trust: only a Telegram account linked to an active staff
account with a consultant's role (handoff/linking.py) can claim, close, note or talk to a
person. Anyone else gets a hint, privately (a popup for a button), and nothing happens.
`/link CODE` links the sender's account, here or in a private chat with the bot.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Sequence

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, Message, User

from dialogues.texts import Texts
from handoff.linking import Linked, Links
from handoff.relay import Consultant, Desk

log = logging.getLogger(__name__)

LINK = "/link"
HINT_EVERY_S = 600.0  # one hint per account per ten minutes, however much they write


def _consultant(user: User, linked: Linked) -> Consultant:
    # Colleagues see the staff account's name: what was done is tied to an account.
    name = linked.username[:48]
    return Consultant(name=name, via="telegram", staff=linked.staff, tg_user=user.id)


def both(texts: Texts, key: str, **args: object) -> str:
    """A staff text in Russian and Kazakh (the bot does not know a colleague's language)."""
    return "\n\n".join(texts.get(lang, key, args) for lang in ("ru", "kk"))


class _Hints:
    def __init__(self) -> None:
        self._last: dict[int, float] = {}

    def due(self, user_id: int) -> bool:
        now = time.monotonic()
        if now - self._last.get(user_id, -HINT_EVERY_S) < HINT_EVERY_S:
            return False
        if len(self._last) > 10_000:
            self._last.clear()
        self._last[user_id] = now
        return True


async def link_account(bot: Bot, message: Message, links: Links, texts: Texts, desk: Desk) -> None:
    """`/link CODE`: the code is used up whatever happens; the message carrying it is removed
    from the group (best effort), and the answer goes to where it was sent."""
    user = message.from_user
    assert user is not None
    code = (message.text or "").removeprefix(LINK).partition("@")[0].strip()
    if not code:
        answer = both(texts, "staff-link-usage")
    else:
        linked = await links.redeem(code, user.id, desk.clock.now())
        if linked is None:
            answer = both(texts, "staff-link-refused")
        else:
            answer = both(texts, "staff-link-done", username=linked.username)
            await desk.audit(linked.staff, "telegram-link", "", desk.clock.now())
    if message.chat.type != "private":
        with contextlib.suppress(TelegramAPIError):
            await bot.delete_message(message.chat.id, message.message_id)
    with contextlib.suppress(TelegramAPIError):
        await bot.send_message(message.chat.id, answer, message_thread_id=message.message_thread_id)


def make_router(desk: Desk, groups: Sequence[int], links: Links, texts: Texts) -> Router:
    router = Router(name=__name__)
    router.message.filter(F.chat.id.in_(set(groups)))
    router.callback_query.filter(F.message.chat.id.in_(set(groups)))
    hints = _Hints()

    async def hint(bot: Bot, message: Message, user: User) -> None:
        if not hints.due(user.id):
            return
        try:
            await bot.send_message(user.id, both(texts, "staff-link-hint"))
        except TelegramAPIError:
            # They never opened a private chat with the bot: say it under their message.
            with contextlib.suppress(TelegramAPIError):
                await message.reply(both(texts, "staff-link-hint-short"))

    @router.message()
    async def on_consultant_message(message: Message, bot: Bot) -> None:
        user = message.from_user
        if user is None or user.is_bot:
            return
        text = message.text or message.caption
        if text and text.split(maxsplit=1)[0].partition("@")[0] == LINK:
            await link_account(bot, message, links, texts, desk)
            return
        if message.message_thread_id is None or not text:
            return  # the general topic is the team's own room
        if await desk.cases.by_topic(message.chat.id, message.message_thread_id) is None:
            return
        linked = await links.staff_for(user.id, desk.clock.now())
        if linked is None:
            await hint(bot, message, user)
            return  # colleagues may talk in a topic; nothing of theirs reaches the person
        await desk.on_topic_message(
            message.chat.id,
            message.message_thread_id,
            message.message_id,
            _consultant(user, linked),
            text,
        )

    @router.callback_query()
    async def on_consultant_button(query: CallbackQuery) -> None:
        if not query.data:
            await query.answer()
            return
        linked = await links.staff_for(query.from_user.id, desk.clock.now())
        if linked is None:
            await query.answer(both(texts, "staff-link-hint-short")[:200], show_alert=True)
            return
        answer = await desk.on_topic_button(query.data, _consultant(query.from_user, linked))
        await query.answer(answer[:190])

    return router


def make_link_router(desk: Desk, links: Links, texts: Texts) -> Router:
    """`/link CODE` in a private chat with the bot: placed before the person's router, so a
    colleague's code never becomes a person's turn (nor a person's row)."""
    router = Router(name=f"{__name__}.link")
    router.message.filter(F.chat.type == "private", F.text.regexp(r"^/link(@\w+)?(\s|$)"))

    @router.message()
    async def on_link(message: Message, bot: Bot) -> None:
        if message.from_user is None or message.from_user.is_bot:
            return
        await link_account(bot, message, links, texts, desk)

    return router
