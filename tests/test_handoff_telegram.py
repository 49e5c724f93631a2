"""Live handoff end to end over real HTTP: the person's chat, the consultants' topic, the relay."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.channels.telegram.routers import consultants, person
from core.clock import FrozenClock
from delivery.models import OutboxRow
from devtools.fake_telegram import FakeBotAPI, _ApiError
from dialogues.danger_screen import default_screen
from handoff.actions import Refused
from handoff.card import screen_answers
from handoff.models import HandoffCase
from handoff.relay import Consultant
from registry.models import Contact
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
    wait_text,
    wait_topic,
    wait_topic_text,
    web_consultant,
)
from tests.web_helpers import serve, signed_in

URGENT = "помогите, он убьёт меня"
PASSWORD = "correct horse battery"


async def _case(app: object) -> HandoffCase:
    async with app.db.session() as s:  # type: ignore[attr-defined]
        row = await s.scalar(select(HandoffCase).order_by(HandoffCase.id.desc()).limit(1))
    assert row is not None
    return row


async def test_urgent_case_claim_relay_both_ways_and_close(
    tmp_path: Path, api: FakeBotAPI, db_url: str
) -> None:
    async with running(handoff_settings(tmp_path, api, db_url)) as (app, _):
        assert await link_telegram(app, CONSULTANT, "aigerim")
        assert await link_telegram(app, COLLEAGUE, "dana")
        api.user_message(PERSON, "/start")
        await api.wait_sent(PERSON, 1)
        api.user_message(PERSON, URGENT)
        first = await wait_text(api, PERSON, "102")
        assert "112" in first and "150" in first  # the numbers come first

        # A topic opens with a card: the case number, never who the person is.
        thread = await wait_topic(api)
        card = await wait_topic_text(api, thread, "СРОЧНО")
        case = await _case(app)
        assert case.number in card["text"] and case.number in api.topics[GROUP][thread]["name"]
        assert str(PERSON) not in card["text"] and "Anon" not in card["text"]
        assert URGENT in card["text"]  # the transcript so far
        claim = buttons(card)["✋ Взять"]

        # A colleague's chatter in the topic is not relayed before anybody claims the case.
        api.consultant_message(GROUP, thread, COLLEAGUE, "кто возьмёт?", name="Dana")
        api.consultant_press(GROUP, CONSULTANT, claim, card["message_id"])
        claimed = await wait_text(api, PERSON, "консультант линии 150. Можете писать")
        # A claim may come at a callback time, the phone face down: a neutral first line.
        assert claimed.splitlines()[0] == "Вам ответили в чате."
        await wait_topic_text(api, thread, "взял(а): aigerim")
        assert all("кто возьмёт" not in t for t in texts_to(api, PERSON))

        # The claimer's words reach the person...
        api.consultant_message(GROUP, thread, CONSULTANT, "Здравствуйте. Вы сейчас в безопасности?")
        await wait_text(api, PERSON, "Вы сейчас в безопасности?")
        # ... a second consultant pressing Claim loses, and their words go nowhere.
        api.consultant_press(GROUP, COLLEAGUE, claim, card["message_id"], name="Dana")
        api.consultant_message(GROUP, thread, COLLEAGUE, "я тоже тут", name="Dana")

        # The person's reply reaches the topic, and the bot says nothing to the person.
        before = len(texts_to(api, PERSON))
        api.user_message(PERSON, "да, я у соседки")
        await wait_topic_text(api, thread, "👤 да, я у соседки")
        assert len(texts_to(api, PERSON)) == before
        assert all("я тоже тут" not in t for t in texts_to(api, PERSON))

        # Pairs are kept: the consultant's topic message ↔ the person's chat message.
        row = await _case(app)
        lines = await app.desk.cases.lines(row.id)  # type: ignore[union-attr]
        out = next(ln for ln in lines if ln.direction == "out")
        assert out.topic_message_id is not None and out.person_message_id is not None
        # «Вы сейчас в безопасности?» does not open a message (issue 20, docs/lockscreen.md);
        # the case keeps the consultant's words as written.
        sent = api.chats[PERSON][int(out.person_message_id)]["text"]
        assert sent == f"Новое сообщение в чате.\n{out.text}"
        assert row.state == "active" and row.claimed_by == "aigerim"

        # Close with an outcome: the person is told, and gets the feedback questionnaire.
        api.consultant_press(GROUP, CONSULTANT, buttons(card)["✖ Закрыть"], card["message_id"])
        await api.wait_for(lambda a: "hc:out" in str(a.chats[GROUP][card["message_id"]]))
        outcomes = buttons(api.chats[GROUP][card["message_id"]])
        api.consultant_press(
            GROUP, CONSULTANT, outcomes["Поддержка и информация"], card["message_id"]
        )
        ended = await wait_text(api, PERSON, "завершил разговор")
        assert ended.splitlines()[0] == "Новое сообщение в чате."
        await wait_text(api, PERSON, "анонимно")  # feedback.start
        await api.wait_for(lambda a: a.topics[GROUP][thread]["closed"])
        row = await _case(app)
        assert row.state == "closed" and row.outcome == "helped"
        async with app.db.session() as s:
            contact = await s.get(Contact, row.contact_id)
        assert contact is not None and contact.handed_off and contact.handoff_outcome == "helped"
        assert contact.claim_seconds is not None and not contact.unclaimed

        # After closing, the person talks to the bot again.
        api.user_message(PERSON, "/menu")
        await wait_text(api, PERSON, "Чем я могу помочь?")


async def test_asking_for_a_human_confirms_and_tells_the_place_in_the_queue(
    tmp_path: Path, api: FakeBotAPI
) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path}/q.db"
    async with running(handoff_settings(tmp_path, api, db)) as (app, _):
        for user in (PERSON, PERSON + 1):
            api.user_message(user, "/start")
            await api.wait_sent(user, 1)
            api.button_press(user, "!lang=ru")
            await api.wait_sent(user, 2)
            api.button_press(user, "menu.main#human")
            intro = await wait_text(api, user, "Позвать консультанта?")
            assert "не ваш номер телефона" in intro
            api.button_press(user, "handoff.start=yes")
        first = await wait_text(api, PERSON, "первое в очереди")
        second = await wait_text(api, PERSON + 1, "место в очереди: 2")
        assert first and second
        # While waiting, what the person writes is kept for the consultant.
        api.user_message(PERSON + 1, "мне страшно возвращаться домой")
        await wait_text(api, PERSON + 1, "консультант его прочитает")
        case = await _case(app)
        lines = await app.desk.cases.lines(case.id)  # type: ignore[union-attr]
        assert [ln.text for ln in lines if ln.direction == "in"] == [
            "мне страшно возвращаться домой"
        ]
        # An urgent case jumps the queue.
        api.user_message(PERSON + 2, URGENT)
        await api.wait_for(lambda a: len(a.topics[GROUP]) == 3)
        ranked = await app.desk.queue()  # type: ignore[union-attr]
        assert ranked[0][0].urgent and ranked[0][2] == 1
        # Cancelling leaves the queue.
        api.button_press(PERSON, "handoff.waiting#cancel")
        await wait_text(api, PERSON, "вызов отменён")
        async with app.db.session() as s:
            states = (await s.execute(select(HandoffCase.state).order_by(HandoffCase.id))).scalars()
            assert list(states) == ["abandoned", "queued", "queued"]


async def test_unclaimed_urgent_case_times_out_into_the_phone_lines(
    tmp_path: Path, api: FakeBotAPI, clock: FrozenClock
) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path}/t.db"
    async with running(handoff_settings(tmp_path, api, db), clock) as (app, _):
        api.user_message(PERSON, URGENT)
        thread = await wait_topic(api)
        await wait_topic_text(api, thread, "СРОЧНО")
        clock.advance(timedelta(seconds=59))
        assert (await app.jobs.run_now("handoff.sweep"))["escalated"] == 0  # type: ignore[index]
        clock.advance(timedelta(seconds=2))
        assert (await app.jobs.run_now("handoff.sweep"))["escalated"] == 1  # type: ignore[index]
        lines = await wait_text(api, PERSON, "все консультанты сейчас заняты")
        assert all(n in lines for n in ("150", "102", "112"))
        alert = await wait_topic_text(api, None, "ждёт без ответа")  # the general topic
        assert "СРОЧНОЕ" in alert["text"]
        assert (await app.jobs.run_now("handoff.sweep"))["escalated"] == 0  # once only
        case = await _case(app)
        assert case.state == "queued" and case.escalated_at is not None  # still waiting
        # A consultant can still take it; it counts how long the person waited.
        await app.desk.claim(case.id, await _web(app))  # type: ignore[union-attr]
        await wait_text(api, PERSON, "Можете писать")


async def test_the_card_and_the_case_page_give_the_danger_screen_in_words(
    tmp_path: Path, api: FakeBotAPI, db_url: str
) -> None:
    """The card listed raw codes («weapon: no; threat_to_kill: yes»): the consultant reads
    each question and answer in words, in the group's language and on the web case page in
    the staff member's own."""
    screen = default_screen()
    async with running(handoff_settings(tmp_path, api, db_url)) as (app, channel):
        presses = ["!lang=ru", "menu.main#self", "victim.start#danger", "danger.start#go"]
        presses += [f"{screen.step_id(0)}#no", f"{screen.step_id(1)}#yes"]
        api.user_message(PERSON, "/start")
        await api.wait_sent(PERSON, 1)
        for data in presses:
            count = len(api.sent(PERSON))
            api.button_press(PERSON, data)
            await api.wait_sent(PERSON, count + 1)
        thread = await wait_topic(api)
        card = (await wait_topic_text(api, thread, "Скрининг опасности"))["text"]
        assert "• Применяли оружие или угрожали им: нет" in card
        assert "• Угрожали убить (человека или детей): да" in card
        assert "weapon" not in card and "threat_to_kill" not in card and ": yes" not in card

        case = await _case(app)
        assert case.danger == "high"
        await app.staff.add_user("aigerim", PASSWORD, ["consultant"], app.clock.now())
        async with (
            serve(app, channel) as base,
            signed_in(base, "aigerim", PASSWORD) as (web, _),
            web.get(f"{base}/staff/handoff/case/{case.number}") as resp,
        ):
            page = await resp.text()
        assert "Угрожали убить (человека или детей): <b>да</b>" in page
        assert "threat_to_kill" not in page
        texts = app.conversations.engine.texts
        lines = screen_answers(texts, "kk", {"weapon": "no", "threat_to_kill": "yes"})
        assert lines == [
            ("Қару қолданған немесе қарумен қорқытқан", "жоқ"),
            ("Өлтіремін деп қорқытқан (адамды немесе балаларын)", "иә"),
        ]


async def test_an_unclaimed_urgent_case_is_escalated_again_and_again(
    tmp_path: Path, api: FakeBotAPI, clock: FrozenClock
) -> None:
    """One alert at the first minute was not enough (an urgent case sat unclaimed for 15
    minutes): the group is alerted again at growing gaps (1, 3, 6... minutes) until someone
    claims it, and the person hears at calm intervals (1, 6... minutes) that they are still
    in the queue, with the phone lines."""
    db = f"sqlite+aiosqlite:///{tmp_path}/e.db"
    async with running(handoff_settings(tmp_path, api, db), clock) as (app, _):

        async def sweep(after: timedelta) -> int:
            clock.advance(after)
            done = await app.jobs.run_now("handoff.sweep")
            return int(done["escalated"])  # type: ignore[index]

        api.user_message(PERSON, URGENT)
        thread = await wait_topic(api)
        await wait_topic_text(api, thread, "СРОЧНО")
        assert await sweep(timedelta(seconds=61)) == 1
        await wait_text(api, PERSON, "все консультанты сейчас заняты")
        await wait_topic_text(api, None, "ждёт без ответа 1 мин 1 с")
        assert await sweep(timedelta(minutes=1)) == 0  # the next gap is two minutes
        assert await sweep(timedelta(minutes=1, seconds=1)) == 1
        await wait_topic_text(api, None, "(напоминание 2)")
        assert await sweep(timedelta(minutes=3)) == 1
        third = await wait_topic_text(api, None, "(напоминание 3)")
        assert "СРОЧНОЕ" in third["text"] and "6 мин 2 с" in third["text"]
        still = await wait_text(api, PERSON, "по-прежнему в очереди")
        assert all(n in still for n in ("150", "102", "112"))
        assert await sweep(timedelta(minutes=4)) == 1  # the fourth, at 10 minutes
        await wait_topic_text(api, None, "(напоминание 4)")
        # Every other alert reaches the person: twice so far, never in between.
        person_texts = texts_to(api, PERSON)
        assert sum("все консультанты сейчас заняты" in t for t in person_texts) == 1
        assert sum("по-прежнему в очереди" in t for t in person_texts) == 1

        # Claimed: no more alerts, however long.
        case = await _case(app)
        await app.desk.claim(case.id, await _web(app))  # type: ignore[union-attr]
        await wait_text(api, PERSON, "Можете писать")
        assert await sweep(timedelta(minutes=30)) == 0
        assert (await _case(app)).escalations == 4


async def test_an_urgent_message_during_a_live_case_still_gets_the_numbers(
    tmp_path: Path, api: FakeBotAPI
) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path}/u.db"
    async with running(handoff_settings(tmp_path, api, db)) as (app, _):
        api.user_message(PERSON, URGENT)
        thread = await wait_topic(api)
        case = await _case(app)
        await app.desk.claim(case.id, await _web(app))  # type: ignore[union-attr]
        await wait_text(api, PERSON, "Можете писать")
        api.user_message(PERSON, "он ломает дверь, помогите")
        await wait_topic_text(api, thread, "🔴 👤 он ломает дверь")
        notice = await wait_text(api, PERSON, "звоните 102 или 112")
        assert "Консультант читает" in notice
        # Quick exit still works and makes the case quiet: nobody writes first.
        api.button_press(PERSON, "!exit")
        await wait_text(api, PERSON, "Готово.")
        await wait_topic_text(api, thread, "скрыл переписку")
        with pytest.raises(Refused):
            await app.desk.reply(case.id, await _web(app), "вы тут?")  # type: ignore[union-attr]


async def test_429_is_retried_after_retry_after_and_order_is_kept(
    tmp_path: Path, api: FakeBotAPI
) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path}/r.db"
    async with running(handoff_settings(tmp_path, api, db)) as (app, _):
        api.user_message(PERSON, URGENT)
        await wait_topic(api)
        case = await _case(app)
        await app.desk.claim(case.id, await _web(app))  # type: ignore[union-attr]
        await wait_text(api, PERSON, "Можете писать")
        await _quiet(app)
        api.fail_next("sendMessage", status=429, retry_after=2, times=1)
        started = time.monotonic()
        who = await _web(app)
        for i in range(3):
            await app.desk.reply(case.id, who, f"сообщение {i}")  # type: ignore[union-attr]
        await wait_text(api, PERSON, "сообщение 2")
        await _quiet(app)
        got = [t for t in texts_to(api, PERSON) if t.startswith("сообщение")]
        assert got == ["сообщение 0", "сообщение 1", "сообщение 2"]
        # The first message sent (to the person, or its copy in the topic: no gap decides
        # which goes first) was refused; it went again only after retry_after, and nothing
        # else went into that chat meanwhile.
        sent = [c for c in api.calls if c.method == "sendMessage" and c.at >= started]
        refused = sent[0]
        same_chat = [c for c in sent[1:] if c.params.get("chat_id") == refused.params["chat_id"]]
        assert same_chat and same_chat[0].params.get("text") == refused.params.get("text")
        assert same_chat[0].at - refused.at >= 1.9  # retry_after was honoured


async def test_a_delivery_that_finally_fails_is_shown_to_the_consultant(
    tmp_path: Path, api: FakeBotAPI
) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path}/f.db"
    async with running(handoff_settings(tmp_path, api, db)) as (app, _):
        api.user_message(PERSON, URGENT)
        thread = await wait_topic(api)
        case = await _case(app)
        await app.desk.claim(case.id, await _web(app))  # type: ignore[union-attr]
        await wait_text(api, PERSON, "Можете писать")
        await _quiet(app)
        _refuse_once(api, PERSON)  # the person blocked the bot (not the topic's copy: no gap
        # between destinations decides which of the two goes first)
        line = await app.desk.reply(case.id, await _web(app), "вы тут?")  # type: ignore[union-attr]
        await wait_topic_text(api, thread, "не доставлено")
        failed = await app.desk.cases.line(line.id)  # type: ignore[union-attr]
        assert failed is not None and failed.delivery == "failed"
        assert (await _case(app)).failed_deliveries == 1


async def test_a_restart_in_the_middle_loses_no_message(tmp_path: Path, api: FakeBotAPI) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path}/restart.db"
    settings = handoff_settings(tmp_path, api, db)
    async with running(settings) as (app, _):
        api.user_message(PERSON, URGENT)
        await wait_topic(api)
        case = await _case(app)
        await app.desk.claim(case.id, await _web(app))  # type: ignore[union-attr]
        await wait_text(api, PERSON, "Можете писать")
        api.fail_next("sendMessage", status=502, retry_after=None, times=10_000)  # Telegram down
        for i in range(3):
            await app.desk.reply(case.id, await _web(app), f"после сбоя {i}")  # type: ignore[union-attr]
        await api.wait_for(lambda a: sum("после сбоя 0" in str(c.params) for c in a.calls) >= 1)
    api._failures.clear()  # Telegram is back; a new process starts on the same database
    async with running(settings) as (app2, _):
        async with app2.db.session() as s:
            pending = (
                await s.execute(select(OutboxRow.state).where(OutboxRow.state != "sent"))
            ).scalars()
            assert len(list(pending)) >= 3
        await wait_text(api, PERSON, "после сбоя 2", timeout=30)
        got = [t for t in texts_to(api, PERSON) if t.startswith("после сбоя")]
        assert got == ["после сбоя 0", "после сбоя 1", "после сбоя 2"]


async def test_router_order_in_the_dispatcher(tmp_path: Path, api: FakeBotAPI) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path}/o.db"
    async with running(handoff_settings(tmp_path, api, db)) as (_, channel):
        routers = [r.name for r in channel.dispatcher.sub_routers]
        link = f"{consultants.__name__}.link"
        assert routers == [link, person.__name__, consultants.__name__]
        # A message in the consultants' group never reaches the person's dialogue.
        api.consultant_message(GROUP, None, CONSULTANT, "/start")
        api.user_message(PERSON, "/start")
        await api.wait_sent(PERSON, 1)
        assert api.sent(GROUP) == []


async def _web(app: object, name: str = "aigerim") -> Consultant:
    """A consultant of the web console (a real staff account, as the audit log needs)."""
    return await web_consultant(app, name)  # type: ignore[arg-type]


def _refuse_once(api: FakeBotAPI, chat: int) -> None:
    """The next sendMessage into `chat` is refused with 403 (blocked by the user)."""
    send = api._m_sendMessage
    refused: list[bool] = []

    async def refusing(p: dict[str, Any]) -> dict[str, Any]:
        if int(p["chat_id"]) == chat and not refused:
            refused.append(True)
            raise _ApiError(403, "Forbidden: bot was blocked by the user")
        return await send(p)

    api._m_sendMessage = refusing  # type: ignore[method-assign]


async def _quiet(app: object) -> None:
    """Wait until the outbox has nothing left to send."""
    for _ in range(300):
        if not await app.outbox.pending():  # type: ignore[attr-defined]
            return
        await asyncio.sleep(0.1)
    raise TimeoutError("the outbox did not drain")


async def test_a_consultant_is_promised_only_once_one_is_at_the_queue(
    tmp_path: Path, api: FakeBotAPI, db_url: str
) -> None:
    """Honest promises (docs/handoff.md): nobody has been seen at the queue yet, so the urgent
    reply says a consultant will write when free; after a consultant acts, it promises one."""
    async with running(handoff_settings(tmp_path, api, db_url)) as (app, _):
        api.user_message(PERSON, "/start")
        await api.wait_sent(PERSON, 1)
        api.user_message(PERSON, URGENT)
        said = await wait_text(api, PERSON, "как только освободится")
        assert "150" in said and "ответит здесь" not in "\n".join(texts_to(api, PERSON))
        await _case(app)  # the urgent case is opened all the same

        assert app.desk is not None
        await app.desk.consultant_seen()  # e.g. the web console's queue is open
        other = PERSON + 1
        api.user_message(other, "/start")
        await api.wait_sent(other, 1)
        api.user_message(other, URGENT)
        await wait_text(api, other, "ответит здесь")
