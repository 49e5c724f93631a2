"""Issue 18, staff use: the consultant's console offers the verified contacts of the case's
region as a canned reply, in the person's language, worded as the bot words them; an entry
not verified, or hidden because its check is overdue, is never offered."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from contacts.entry import Details
from contacts.rules import GRACE
from core.clock import FrozenClock
from devtools.fake_telegram import FakeBotAPI
from tests.handoff_helpers import PERSON, handoff_settings, running, wait_topic
from tests.web_helpers import serve, signed_in

PASSWORD = "correct horse battery"
PHONE, UNCHECKED = "+77212505050", "+77212606060"


async def test_the_regions_verified_numbers_are_a_canned_reply_on_the_case_page(
    tmp_path: Path, api: FakeBotAPI, clock: FrozenClock
) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path}/c.db"
    async with running(handoff_settings(tmp_path, api, db), clock) as (app, channel):
        store = app.contacts
        assert store is not None
        now = clock.now()
        centre = Details(
            region="karaganda",
            kind="crisis_centre",
            name_ru="Кризисный центр «Шаңырақ»",
            name_kk="«Шаңырақ» дағдарыс орталығы",
            phones=(PHONE,),
        )
        await store.add("krg_shanyrak", centre, "coord", now)
        await store.verify("krg_shanyrak", "phoned", "called the duty line", "coord", now)
        other = Details(region="karaganda", kind="ngo", name_ru="НПО", phones=(UNCHECKED,))
        await store.add("krg_unchecked", other, "coord", now)
        # The person, in Kazakh, asks for contacts in Karaganda, then for a consultant.
        turns = ("/start", "Қазақша", "Көмек байланыстары", "Қарағанды", "Кеңесшіге жазу")
        for text in (*turns, "Иә, кеңесшіні шақырыңыз"):
            count = len(api.sent(PERSON))
            api.user_message(PERSON, text)
            await api.wait_sent(PERSON, count + 1)
        await wait_topic(api)
        await app.staff.add_user("aigerim", PASSWORD, ["consultant"], now)
        assert app.desk is not None
        (case,) = await app.desk.cases.open_queue()
        assert case.region == "karaganda" and case.lang == "kk"

        async def page() -> str:
            async with (
                serve(app, channel) as base,
                signed_in(base, "aigerim", PASSWORD) as (web, _),
                web.get(f"{base}/staff/handoff/case/{case.number}") as resp,
            ):
                assert resp.status == 200
                return await resp.text()

        html = await page()
        assert "📍 Проверенные номера: Карагандинская обл." in html
        assert f"📞 {PHONE} — «Шаңырақ» дағдарыс орталығы" in html  # the person's language
        assert UNCHECKED not in html
        clock.advance(timedelta(days=183) + GRACE + timedelta(days=1))
        html = await page()
        # Hidden: no longer offered (the person's own chat above may still show it).
        assert "Проверенные номера" not in html
        assert not [t for t in html.split('data-text="')[1:] if PHONE in t.split('"')[0]]
