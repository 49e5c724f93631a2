"""A whole WhatsApp conversation, in Russian and in Kazakh, end to end over real HTTP.

A person writes through signed Meta webhooks to the bot; the bot answers through the fake
Graph API; a consultant works on the web console (JSON endpoints with a real staff login).
Greeting → language → an urgent message (the phone lines first; a case opens) → back to the
conversation → a booking made with lists and buttons, seen in "my bookings" → "talk to a
consultant" → claimed on the console → a reply reaches WhatsApp, the answer reaches the case →
the booking's reminder arrives through the outbox and its button works → a late reply after
the 24-hour window goes out as a template and arrives when the person taps it → the case is
closed and the feedback questionnaire arrives on WhatsApp → a new request for a consultant
opens a fresh case, and typed quick exit hides it (how to clear the chat by hand).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession, CookieJar

from bot.channels.whatsapp.render import MAX_ROW_TITLE, units
from core.clock import FrozenClock
from devtools.fake_graph import FakeGraphAPI, Sent
from tests.test_whatsapp import _no_phone_number_stored
from tests.web_helpers import page_csrf, staff_login
from tests.whatsapp_user import WhatsAppUser, wa_settings, whatsapp_bot

PERSON = "77011234567"
PASSWORD = "correct horse battery"
HELLO = {"ru": "Здравствуйте", "kk": "Сәлеметсіз бе"}
URGENT = {"ru": "помогите, он убьёт меня", "kk": "көмектесіңіз, ол мені өлтіреді"}
ANSWER = {"ru": "Спасибо, я сейчас у сестры.", "kk": "Рахмет, мен қазір әпкемдемін."}
LATER = {"ru": "Я вернулась домой, он спит.", "kk": "Үйге оралдым, ол ұйықтап жатыр."}
REPLY = "Я здесь, с вами. Вы в безопасности сейчас?"
LATE_REPLY = "Доброе утро. Как вы сегодня?"


@pytest.fixture
async def graph(clock: FrozenClock) -> AsyncIterator[FakeGraphAPI]:
    fake = FakeGraphAPI(clock=clock.now)
    await fake.start()
    yield fake
    await fake.stop()


def _choices(sent: Sent) -> list[tuple[str, str, str]]:
    """The step's own rows of a menu (not the safety controls or ☰ Menu)."""
    return [o for o in sent.options() if not o[0].startswith("!")]


def _within_limits(user: WhatsAppUser) -> None:
    for sent in user.last:
        for _, title, description in sent.options():
            assert units(title) <= MAX_ROW_TITLE and units(description) <= 72


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_a_whole_whatsapp_conversation_with_a_booking_and_a_consultant(
    tmp_path: Path, graph: FakeGraphAPI, clock: FrozenClock, db_url: str, lang: str
) -> None:
    settings = wa_settings(
        tmp_path,
        graph,
        db_url,
        handoff_enabled=True,
        staff_cookie_secure=False,
        flood_limit=100,  # a script taps faster than any person; the flood gate has its tests
    )
    async with (
        whatsapp_bot(settings, clock) as bot,
        ClientSession(cookie_jar=CookieJar(unsafe=True)) as staff,
    ):
        texts = bot.app.conversations.engine.texts

        def t(key: str, **args: Any) -> str:
            return texts.get(lang, key, args, channel="whatsapp")

        await bot.app.staff.add_user("aigerim", PASSWORD, ["consultant"], clock.now())
        user = WhatsAppUser(graph, bot, PERSON)

        # -- greeting and language -------------------------------------------------------
        await user.say(HELLO[lang])
        welcome = user.text()
        assert "Сәлеметсіз бе" in welcome and "Здравствуйте" in welcome
        # Quick exit cannot erase a WhatsApp chat: the greeting must not promise it.
        assert "можно стереть кнопкой" not in welcome and "WhatsApp" in welcome
        await user.press(texts.get(lang, "lang-" + lang))
        assert user.last[-1].text.startswith(t("menu-prompt")[:15])

        # -- an urgent message: the phone lines first, and a consultant is called --------
        await user.say(URGENT[lang])
        first = user.last[0].text
        assert all(number in first for number in ("102", "112", "150")), first
        case = await _only_case(bot.app)
        assert case.urgent and case.lang == lang and case.state == "queued"
        await user.press(t("safety-resume"))
        assert user.last[-1].text == t("menu-prompt") + "\n" + t("common-lines")

        # -- a booking, every choice a list row or a button -------------------------------
        await user.press(t("menu-book"))
        await user.press(t("booking-kind-self"))
        await user.press(texts.get(lang, "lang-" + lang))  # the language of the session
        await user.press(t("booking-mode-online"))
        assert user.last[0].text == t("booking-ask-day")
        _within_limits(user)
        days = [o for s in user.last for o in _choices(s)]
        assert len(days) >= 5 and all(o[0].startswith("booking.day=") for o in days)
        assert all(not description for _, _, description in days)  # a day fits a title
        await user.press(days[0][1])
        slots = _choices(user.last[-1])
        assert slots[0][0].startswith("booking.slot=") and ":" in slots[0][1]
        time_label = slots[0][1]
        await user.press(time_label)
        await user.press(t("booking-name-skip"))
        assert time_label in user.text()  # the summary
        await user.press(t("booking-confirm-yes"))
        done = user.text()
        assert done.startswith(t("booking-done", date="", time="").split(":")[0]), done
        known = await bot.channel.store.known(PERSON)
        assert known is not None
        booking = bot.app.conversations.services.booking
        assert booking is not None
        (booked,) = await booking.upcoming(known.person_id)

        await user.say("/bookings")
        _within_limits(user)
        rows = [o for o in _choices(user.last[-1]) if o[0] == f"booking.mine={booked.id}"]
        assert rows and rows[0][1].startswith(time_label)  # the time survives the 24-char cut

        # -- "talk to a consultant": the open case, claimed on the web console -----------
        await user.say("/menu")
        await user.press(t("menu-consultant"))
        await user.press(t("handoff-yes"))
        assert t("handoff-already", position=1) in user.text()

        base = bot.base
        assert await staff_login(staff, base, "aigerim", PASSWORD) in (302, 303)
        async with staff.get(f"{base}/staff/handoff/api/queue") as resp:
            queue = await resp.json()
        (row,) = queue["cases"]
        assert row["number"] == case.number and row["urgent"] and row["lang"] == lang
        assert PERSON not in str(queue)
        csrf = {"X-CSRF-Token": await page_csrf(staff, f"{base}/staff/")}
        url = f"{base}/staff/handoff/api/case/{case.number}"
        async with staff.post(f"{url}/claim", headers=csrf) as resp:
            assert resp.status == 200
        await user.expect(t("handoff-claimed"))

        async with staff.post(f"{url}/reply", json={"text": REPLY}, headers=csrf) as resp:
            assert resp.status == 200
        (relayed,) = await user.expect(REPLY)
        # «Вы в безопасности?» must not open a message a lock screen shows (issue 20): the
        # consultant's words follow the neutral first line.
        assert relayed.type == "text" and relayed.text == f"{t('lockscreen-opener')}\n{REPLY}"
        await user.say(ANSWER[lang])
        assert user.last == []  # the bot is silent: a person is answering
        assert ANSWER[lang] in await _lines(staff, url, "in")
        assert await _delivered(staff, url, REPLY)

        # -- the booking's reminder, two hours before, through the durable outbox -------
        clock.set(booked.starts_at - timedelta(hours=2) + timedelta(minutes=1))
        assert await bot.app.jobs.run_now("booking.reminders") == 1
        reminder_start = t("booking-reminder", day="\x00", time="").split("\x00")[0]
        (reminder,) = await user.expect(reminder_start, "[template qamqor_reminder]")
        if reminder.type == "template":  # the session is more than a day after the last message
            assert reminder.body["template"]["language"]["code"] == lang
            await user.send(graph.template_button(PERSON, "Показать", "show"))
            (reminder,) = user.last
            assert reminder.text.startswith(reminder_start)
        assert reminder.type == "interactive" and time_label in reminder.text
        await user.press(t("booking-reminder-yes"))
        assert user.text() == t("booking-reminder-thanks")

        # -- the next morning, more than 24 hours later: a template, then the reply ------
        clock.advance(timedelta(hours=25))
        assert await staff_login(staff, base, "aigerim", PASSWORD) in (302, 303)  # a new shift
        csrf = {"X-CSRF-Token": await page_csrf(staff, f"{base}/staff/")}
        async with staff.post(f"{url}/reply", json={"text": LATE_REPLY}, headers=csrf) as resp:
            assert resp.status == 200
        (template,) = await user.expect("[template qamqor_new_message]")
        assert template.body["template"]["language"]["code"] == lang
        assert LATE_REPLY not in str(graph.calls)  # nothing free-form outside the window
        await user.send(graph.template_button(PERSON, "Показать", "show"))
        assert [s.text for s in user.last] == [LATE_REPLY]
        await user.say(LATER[lang])
        assert user.last == []
        assert LATER[lang] in await _lines(staff, url, "in")

        # -- closing: the person is told and gets the feedback questionnaire -------------
        async with staff.post(f"{url}/close", json={"outcome": "helped"}, headers=csrf) as resp:
            assert resp.status == 200
        await user.expect(t("feedback-q-helpful"))
        assert t("handoff-ended") in user.text()
        await user.press("5")
        assert t("feedback-q-next-steps") in user.text()
        _within_limits(user)

        # -- asking for a consultant afresh opens a new case; typed quick exit hides it --
        await user.say("/menu")
        await user.press(t("menu-consultant"))
        await user.press(t("handoff-yes"))
        assert t("handoff-queued-first") in user.text()
        fresh = await _only_case(bot.app)
        assert fresh.number != case.number and not fresh.urgent and fresh.reason == "asked"
        await user.say(texts.get(lang, "control-exit").removeprefix("✖ ").lower())
        said = user.text()
        assert "iPhone" in said and "Android" in said  # how to clear a WhatsApp chat
        assert user.last[-1].text == t("safety-exit")
        assert (await _only_case(bot.app)).quiet  # consultants will not write first

        assert graph.rejected == []  # every message was within WhatsApp's limits
        await _no_phone_number_stored(bot.app, graph)


async def _only_case(app: Any) -> Any:
    assert app.desk is not None
    queue = await app.desk.queue()
    assert len(queue) == 1
    return queue[0][0]


async def _lines(staff: ClientSession, url: str, direction: str) -> list[str]:
    async with staff.get(url) as resp:
        view = await resp.json()
    return [ln["text"] for ln in view["lines"] if ln["dir"] == direction]


async def _delivered(staff: ClientSession, url: str, text: str) -> bool:
    async with staff.get(url) as resp:
        view = await resp.json()
    return any(ln["text"] == text and ln["delivery"] == "sent" for ln in view["lines"])
