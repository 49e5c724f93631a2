"""Consultants' group members are staff (issue 22, point 7): only a Telegram account linked to
an active consultant's staff account can claim a case or talk to the person. Over the fake Bot
API, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from pathlib import Path

from aiohttp import ClientSession, CookieJar
from sqlalchemy import select, update

from bot.app import App
from core.clock import FrozenClock
from devtools.fake_telegram import FakeBotAPI
from handoff.models import HandoffCase, TelegramLink
from staffweb.models import StaffUser
from tests.handoff_helpers import (
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
)
from tests.web_helpers import page_csrf, serve, staff_login

URGENT = "помогите, он убьёт меня"
STRANGER = 900666


async def _case(app: App) -> HandoffCase:
    async with app.db.session() as s:
        row = await s.scalar(select(HandoffCase).order_by(HandoffCase.id.desc()).limit(1))
    assert row is not None
    return row


async def _staff_id(app: App, name: str) -> int:
    async with app.db.session() as s:
        found = await s.scalar(select(StaffUser.id).where(StaffUser.username == name))
    assert found is not None
    return found


def _answers(api: FakeBotAPI) -> list[dict[str, object]]:
    return [c.params for c in api.calls if c.method == "answerCallbackQuery"]


async def test_an_unlinked_member_can_do_nothing_for_the_person_until_linked(
    tmp_path: Path, api: FakeBotAPI, db_url: str
) -> None:
    async with running(handoff_settings(tmp_path, api, db_url)) as (app, _):
        api.user_message(PERSON, URGENT)
        thread = await wait_topic(api)
        card = await wait_topic_text(api, thread, "СРОЧНО")
        claim = buttons(card)["✋ Взять"]
        # The card goes right after the first message of the urgent reply: let the rest out.
        assert app.outbox is not None
        for _ in range(500):
            if not await app.outbox.pending():
                break
            await asyncio.sleep(0.01)
        before = texts_to(api, PERSON)

        # A member of the group with no staff account behind them presses Claim...
        api.consultant_press(GROUP, STRANGER, claim, card["message_id"], name="Stranger")
        await api.wait_for(lambda a: bool(_answers(a)))
        popup = _answers(api)[-1]
        assert popup.get("show_alert") and "/link" in str(popup.get("text"))
        # ... and writes in the topic: they get a private hint, the person gets nothing.
        api.consultant_message(GROUP, thread, STRANGER, "Здравствуйте, где вы живёте?")
        hint = await wait_text(api, STRANGER, "/link")
        assert "не привязан" in hint and "байланыстырылмаған" in hint  # ru and kk
        api.consultant_press(GROUP, STRANGER, claim, card["message_id"], name="Stranger")
        await api.wait_for(lambda a: len(_answers(a)) >= 2)
        assert (await _case(app)).state == "queued"
        assert texts_to(api, PERSON) == before
        assert all("где вы живёте" not in t for t in texts_to(api, PERSON))

        # A staff member gets a code on the console page and sends it in the group.
        await app.staff.add_user("aigerim", "correct horse battery", ["consultant"], _now(app))
        async with serve(app) as base, ClientSession(cookie_jar=CookieJar(unsafe=True)) as http:
            assert await staff_login(http, base, "aigerim", "correct horse battery") == 303
            token = await page_csrf(http, f"{base}/staff/handoff/link")
            async with http.post(f"{base}/staff/handoff/link", data={"csrf": token}) as resp:
                assert resp.status == 200
                found = re.search(r"/link ([A-Z0-9]{8})", await resp.text())
        assert found is not None
        code = found.group(1)
        api.consultant_message(GROUP, None, CONSULTANT, f"/link {code}")
        done = await wait_topic_text(api, None, "привязан к учётной записи aigerim")
        assert "байланыстырылды" in done["text"]
        assert not any(f"/link {code}" in m.get("text", "") for m in api.chats[GROUP].values())

        # Now the claim and the words reach the person.
        api.consultant_press(GROUP, CONSULTANT, claim, card["message_id"])
        await wait_text(api, PERSON, "Можете писать")
        api.consultant_message(GROUP, thread, CONSULTANT, "Вы сейчас в безопасности?")
        await wait_text(api, PERSON, "Вы сейчас в безопасности?")
        case = await _case(app)
        assert case.claimed_by == "aigerim"
        assert case.claimed_staff_id == await _staff_id(app, "aigerim")
        async with app.db.session() as s:  # the Telegram id is kept only as a keyed hash
            link = await s.scalar(select(TelegramLink))
        assert link is not None and str(CONSULTANT) not in link.tg_hash

        # The same code a second time (another account) is refused.
        api.consultant_message(GROUP, None, STRANGER, f"/link {code}")
        await wait_topic_text(api, None, "Код не подошёл")
        assert await app.desk.links.staff_for(STRANGER, _now(app)) is None  # type: ignore[union-attr]

        # A disabled account stops working at once, though still linked.
        async with app.db.session() as s, s.begin():
            await s.execute(update(StaffUser).values(active=False))
        api.consultant_message(GROUP, thread, CONSULTANT, "ещё одно сообщение")
        await wait_text(api, CONSULTANT, "/link")
        assert all("ещё одно сообщение" not in t for t in texts_to(api, PERSON))


async def test_an_expired_code_is_refused_and_a_private_link_works(
    tmp_path: Path, api: FakeBotAPI, clock: FrozenClock
) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path}/l.db"
    async with running(handoff_settings(tmp_path, api, db), clock) as (app, _):
        links = app.desk.links  # type: ignore[union-attr]
        assert links is not None
        await app.staff.add_user("dana", "correct horse battery", ["coordinator"], clock.now())
        staff_id = await _staff_id(app, "dana")
        stale = await links.new_code(staff_id, clock.now())
        clock.advance(timedelta(minutes=11))
        api.user_message(CONSULTANT, f"/link {stale}")
        await wait_text(api, CONSULTANT, "Код не подошёл")
        fresh = await links.new_code(staff_id, clock.now())
        api.user_message(CONSULTANT, f"/link {fresh.lower()}")  # typed by hand
        await wait_text(api, CONSULTANT, "привязан к учётной записи dana")
        assert await links.staff_for(CONSULTANT, clock.now()) is not None
        assert await links.linked_at(staff_id) is not None
        # A code in a private chat never became a person's turn.
        assert all("Здравствуйте" not in t for t in texts_to(api, CONSULTANT))
        # A specialist (no consultant's role) is linked but may not take cases.
        assert await link_telegram(app, CONSULTANT + 5, "asel", roles=("specialist",)) is None
        assert await links.staff_for(CONSULTANT + 5, clock.now()) is None
        # Unlinking (the console's button) ends it.
        await links.unlink(staff_id)
        assert await links.staff_for(CONSULTANT, clock.now()) is None


def _now(app: App):  # type: ignore[no-untyped-def]
    return app.clock.now()
