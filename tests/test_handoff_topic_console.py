"""The Telegram topic as a console (issue 15): a message written before claiming is kept and
sent with one press, `/note` is acknowledged, `/card` brings the card and its buttons to the
bottom, the card names the role chosen by button and the person's earlier cases."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select

from booking.models import Booking
from devtools.fake_telegram import FakeBotAPI
from handoff.models import CaseMessage, HandoffCase
from tests.handoff_helpers import (
    COLLEAGUE,
    CONSULTANT,
    GROUP,
    PERSON,
    buttons,
    handoff_settings,
    link_telegram,
    running,
    texts_to,
    topic_texts,
    wait_text,
    wait_topic,
    wait_topic_text,
)

URGENT = "помогите, он убьёт меня"


async def _held(app: object) -> list[CaseMessage]:
    async with app.db.session() as s:  # type: ignore[attr-defined]
        rows = await s.execute(select(CaseMessage).where(CaseMessage.direction == "held"))
        return list(rows.scalars())


async def test_a_message_before_claiming_is_kept_and_sent_with_one_press(
    tmp_path: Path, api: FakeBotAPI, db_url: str
) -> None:
    async with running(handoff_settings(tmp_path, api, db_url)) as (app, _):
        assert await link_telegram(app, CONSULTANT, "aigerim")
        assert await link_telegram(app, COLLEAGUE, "dana")
        api.user_message(PERSON, URGENT)
        thread = await wait_topic(api)
        card = await wait_topic_text(api, thread, "СРОЧНО")
        assert "/card" in card["text"]  # the card says how to bring it back down

        # Written before «Взять»: not sent, not lost, and the consultant is told so.
        api.consultant_message(GROUP, thread, CONSULTANT, "Здравствуйте, я консультант. Вы где?")
        hint = await wait_topic_text(api, thread, "Сообщение не ушло человеку")
        assert len(await _held(app)) == 1
        assert all("Вы где?" not in t for t in texts_to(api, PERSON))
        send = buttons(hint)["✋ Взять и отправить"]

        # Only its author may send it; a colleague's press changes nothing.
        pressed = api.consultant_press(GROUP, COLLEAGUE, send, hint["message_id"], name="Dana")
        query = str(pressed["callback_query"]["id"])
        await api.wait_for(lambda a: query in a.callback_answers)
        assert "написал(а) aigerim" in api.callback_answers[query]
        async with app.db.session() as s:
            assert (await s.scalar(select(HandoffCase.state))) == "queued"

        # The author's press claims the case and sends the message, once.
        api.consultant_press(GROUP, CONSULTANT, send, hint["message_id"])
        await wait_text(api, PERSON, "Здравствуйте, я консультант. Вы где?")
        api.consultant_press(GROUP, CONSULTANT, send, hint["message_id"])
        await wait_topic_text(api, thread, "взял(а): aigerim")
        async with app.db.session() as s:
            case = await s.scalar(select(HandoffCase))
            assert case is not None and case.claimed_by == "aigerim"
        assert await _held(app) == []
        assert sum("Вы где?" in t for t in texts_to(api, PERSON)) == 1
        out = [ln for ln in await app.desk.cases.lines(case.id) if ln.direction == "out"]  # type: ignore[union-attr]
        assert len(out) == 1 and out[0].topic_message_id is not None  # paired with the topic

        # /note is acknowledged and stays with the staff.
        api.consultant_message(GROUP, thread, CONSULTANT, "/note говорит тихо, рядом муж")
        await wait_topic_text(api, thread, "Заметка сохранена")
        notes = await app.desk.cases.notes(case.id)  # type: ignore[union-attr]
        assert [n.text for n in notes] == ["говорит тихо, рядом муж"]
        assert all("рядом муж" not in t for t in texts_to(api, PERSON))

        # /card: the card again at the bottom, with the buttons; the old one loses them.
        for n in range(3):
            api.consultant_message(GROUP, thread, CONSULTANT, f"сообщение {n}")
        await wait_text(api, PERSON, "сообщение 2")
        api.consultant_message(GROUP, thread, CONSULTANT, "/card@QamqorBot")

        def reposted(a: FakeBotAPI) -> bool:
            cards = [t for t in topic_texts(a, thread) if "СРОЧНО" in t]
            return len(cards) == 2 and not buttons(a.chats[GROUP][card["message_id"]])

        await api.wait_for(reposted)
        last = api.bot_messages(GROUP)[-1]
        assert "СРОЧНО" in last["text"] and "💬 сообщение 2" in last["text"]
        assert list(buttons(last)) == ["✖ Закрыть"]
        assert case.number in last["text"]
        for _ in range(200):  # the card's id is written once Telegram has answered
            async with app.db.session() as s:
                if await s.scalar(select(HandoffCase.card_message_id)) == last["message_id"]:
                    break
            await asyncio.sleep(0.02)
        else:
            raise AssertionError("the case does not know its new card")
        # The new card's buttons work: closing goes through it.
        api.consultant_press(GROUP, CONSULTANT, buttons(last)["✖ Закрыть"], last["message_id"])
        await api.wait_for(lambda a: "hc:out" in str(a.chats[GROUP][last["message_id"]]))

        api.consultant_message(GROUP, thread, CONSULTANT, "/help")
        await wait_topic_text(api, thread, "Команды в теме обращения")
        assert all("/card" not in t and "/help" not in t for t in texts_to(api, PERSON))

        # Both cards carry the person's words: /forget removes the old one with the new one.
        api.user_message(PERSON, "/forget")
        await wait_text(api, PERSON, "Удалить всё")
        api.button_press(PERSON, "safety.forget#yes")
        await wait_text(api, PERSON, "обезличенная отметка")
        cards = (card["message_id"], last["message_id"])
        await api.wait_for(lambda a: not any(m in a.chats[GROUP] for m in cards), 15)


async def test_the_card_names_the_role_chosen_by_button_and_earlier_cases(
    tmp_path: Path, api: FakeBotAPI, db_url: str
) -> None:
    async with running(handoff_settings(tmp_path, api, db_url)) as (app, _):
        assert await link_telegram(app, CONSULTANT, "aigerim")
        api.user_message(PERSON, "/start")
        await api.wait_sent(PERSON, 1)
        api.button_press(PERSON, "!lang=ru")
        await api.wait_sent(PERSON, 2)
        api.button_press(PERSON, "menu.main#self")  # «Мне нужна помощь»: no text to read
        await api.wait_sent(PERSON, 3)
        api.button_press(PERSON, "menu.main#human")
        await wait_text(api, PERSON, "Позвать консультанта?")
        api.button_press(PERSON, "handoff.start=yes")
        thread = await wait_topic(api)
        card = await wait_topic_text(api, thread, "Обращение K-")
        assert "Кто пишет: пострадавший(ая)" in card["text"]
        assert "раньше" not in card["text"]  # a first case
        first = card["text"].split("Обращение ", 1)[1].split()[0]

        # Closed, and the same person comes back: the new card names the earlier case.
        api.consultant_press(GROUP, CONSULTANT, buttons(card)["✋ Взять"], card["message_id"])
        await wait_topic_text(api, thread, "взял(а): aigerim")
        api.consultant_press(GROUP, CONSULTANT, buttons(card)["✖ Закрыть"], card["message_id"])
        await api.wait_for(lambda a: "hc:out" in str(a.chats[GROUP][card["message_id"]]))
        outcome = buttons(api.chats[GROUP][card["message_id"]])["Поддержка и информация"]
        api.consultant_press(GROUP, CONSULTANT, outcome, card["message_id"])
        await wait_text(api, PERSON, "завершил разговор")
        api.user_message(PERSON, URGENT)
        await api.wait_for(lambda a: len(a.topics[GROUP]) == 2)
        second = await wait_topic_text(api, max(api.topics[GROUP]), "СРОЧНО")
        assert "Обращался(-ась) раньше: 1" in second["text"] and first in second["text"]


def _first_button(api: FakeBotAPI) -> str:
    """The first button of the newest message to the person that has buttons."""
    for message in reversed(api.bot_messages(PERSON)):
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        if rows:
            return str(rows[0][0]["callback_data"])
    raise AssertionError(texts_to(api, PERSON))


async def test_a_consultant_refers_a_man_to_the_programme_in_his_own_chat(
    tmp_path: Path, api: FakeBotAPI, db_url: str
) -> None:
    """The warm referral from line 150: `/refer` in the topic puts a booking for the programme
    in the person's chat, with line 150 as who referred him; he books it with the buttons
    while the conversation with the consultant goes on."""
    async with running(handoff_settings(tmp_path, api, db_url)) as (app, _):
        assert await link_telegram(app, CONSULTANT, "aigerim")
        api.user_message(PERSON, "/start")
        await api.wait_sent(PERSON, 1)
        api.button_press(PERSON, "!lang=ru")
        await api.wait_sent(PERSON, 2)
        api.button_press(PERSON, "menu.main#stop")  # «Хочу перестать причинять боль»
        await api.wait_sent(PERSON, 3)
        api.button_press(PERSON, "menu.main#human")
        await wait_text(api, PERSON, "Позвать консультанта?")
        api.button_press(PERSON, "handoff.start=yes")
        thread = await wait_topic(api)
        card = await wait_topic_text(api, thread, "Обращение K-")
        assert "Кто пишет: применяющий(ая) насилие" in card["text"]
        api.consultant_press(GROUP, CONSULTANT, buttons(card)["✋ Взять"], card["message_id"])
        await wait_topic_text(api, thread, "взял(а): aigerim")

        api.consultant_message(GROUP, thread, CONSULTANT, "/refer")
        await wait_text(api, PERSON, "предлагает бесплатную встречу в семейной службе")
        await wait_topic_text(api, thread, "предложена запись в семейную службу")
        await wait_text(api, PERSON, "На каком языке вам удобнее говорить?")
        # The programme's pairs meet online in the seeded schedule: the first day and time
        # offered, no name, confirmed.
        for press in ("booking.lang#ru", "booking.mode#online", None, None, None, None):
            sent = len(api.bot_messages(PERSON))
            api.button_press(PERSON, press or _first_button(api))
            await api.wait_for(lambda a, n=sent: len(a.bot_messages(PERSON)) > n)
        try:
            await wait_text(api, PERSON, "записаны")
        except TimeoutError:
            raise AssertionError(texts_to(api, PERSON)[-8:]) from None
        async with app.db.session() as s:
            made = await s.scalar(select(Booking))
            case = await s.scalar(select(HandoffCase))
        assert made is not None and (made.kind, made.referral) == ("stop", "line150")
        assert case is not None and case.state in ("claimed", "active")  # still with her
        registry = app.conversations.services.registry
        assert registry is not None and case.contact_id is not None
        contact = await registry.get(case.contact_id)
        assert contact is not None and contact.referral == "line150"


def test_the_desk_names_the_dialogue_state_it_sets() -> None:
    """handoff/ may not import dialogues/: the names it shares with the booking flow are
    repeated there, and kept equal here."""
    from dialogues.flows.aggressor_intake import KEY
    from dialogues.flows.booking import FLOW, KIND_HINT
    from handoff.actions import REFER_INTAKE, REFER_KIND, REFER_STEP

    assert (REFER_KIND, REFER_INTAKE) == (KIND_HINT, KEY)
    assert REFER_STEP in {step.id for step in FLOW.steps}
