"""The consultants' web console: over HTTP (JSON endpoints) and in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession, CookieJar
from sqlalchemy import select

from devtools.fake_telegram import FakeBotAPI
from handoff.models import HandoffCase
from staffweb.models import AuditEvent
from tests.handoff_helpers import (
    GROUP,
    PERSON,
    handoff_settings,
    running,
    texts_to,
    wait_text,
    wait_topic,
    wait_topic_text,
)
from tests.web_helpers import page_csrf, serve, staff_login

PASSWORD = "correct horse battery"
URGENT = "помогите, он убьёт меня"


async def _number(app: Any) -> str:
    async with app.db.session() as s:
        number = await s.scalar(select(HandoffCase.number).order_by(HandoffCase.id.desc()))
    assert number is not None
    return str(number)


async def test_console_json_claim_reply_and_refusals(tmp_path: Path, api: FakeBotAPI) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path}/c.db"
    async with running(handoff_settings(tmp_path, api, db)) as (app, channel):
        now = app.clock.now()
        await app.staff.add_user("aigerim", PASSWORD, ["consultant"], now)
        await app.staff.add_user("dana", PASSWORD, ["consultant"], now)
        await app.staff.add_user("coord", PASSWORD, ["specialist"], now)
        api.user_message(PERSON, URGENT)
        thread = await wait_topic(api)
        number = await _number(app)
        async with (
            serve(app, channel) as base,
            ClientSession(cookie_jar=CookieJar(unsafe=True)) as a,
            ClientSession(cookie_jar=CookieJar(unsafe=True)) as d,
            ClientSession(cookie_jar=CookieJar(unsafe=True)) as other,
        ):
            await staff_login(a, base, "aigerim", PASSWORD)
            await staff_login(d, base, "dana", PASSWORD)
            await staff_login(other, base, "coord", PASSWORD)
            async with other.get(f"{base}/staff/handoff/api/queue") as resp:
                assert resp.status == 403  # specialists do not see the queue
            async with a.get(f"{base}/staff/handoff/api/queue") as resp:
                queue = await resp.json()
            assert queue["cases"][0]["number"] == number and queue["cases"][0]["urgent"]
            assert str(PERSON) not in str(queue)
            token_a = await page_csrf(a, f"{base}/staff/")
            token_d = await page_csrf(d, f"{base}/staff/")
            url = f"{base}/staff/handoff/api/case/{number}"
            async with a.post(f"{url}/claim") as resp:
                assert resp.status == 403  # no CSRF token
            async with d.post(
                f"{url}/reply", json={"text": "x"}, headers={"X-CSRF-Token": token_d}
            ) as resp:
                assert resp.status == 409  # not claimed yet
            async with a.post(f"{url}/claim", headers={"X-CSRF-Token": token_a}) as resp:
                assert resp.status == 200
            async with d.post(f"{url}/claim", headers={"X-CSRF-Token": token_d}) as resp:
                assert resp.status == 409 and "aigerim" in (await resp.json())["error"]
            async with d.post(
                f"{url}/reply", json={"text": "я тоже"}, headers={"X-CSRF-Token": token_d}
            ) as resp:
                assert resp.status == 409  # only the claimer writes to the person
            async with a.post(
                f"{url}/reply",
                data=b"{not json",
                headers={"X-CSRF-Token": token_a, "Content-Type": "application/json"},
            ) as resp:
                assert resp.status == 400
            async with a.post(
                f"{url}/reply", json={"text": "Я здесь, с вами."}, headers={"X-CSRF-Token": token_a}
            ) as resp:
                assert resp.status == 200
            await wait_text(api, PERSON, "Я здесь, с вами.")
            await wait_topic_text(api, thread, "💬 aigerim: Я здесь, с вами.")  # mirrored
            async with a.post(
                f"{url}/note", json={"text": "говорит шёпотом"}, headers={"X-CSRF-Token": token_a}
            ) as resp:
                assert resp.status == 200
            async with a.get(url) as resp:
                view = await resp.json()
            assert view["mine"] and [ln["text"] for ln in view["lines"] if ln["dir"] == "out"] == [
                "Я здесь, с вами."
            ]
            async with a.post(
                f"{url}/close", json={"outcome": "bogus"}, headers={"X-CSRF-Token": token_a}
            ) as resp:
                assert resp.status == 409
            async with a.get(f"{base}/staff/handoff/case/{number}") as resp:
                assert resp.status == 200 and URGENT in await resp.text()
        async with app.db.session() as s:
            actions = list((await s.execute(select(AuditEvent.action))).scalars())
        assert "case-view" in actions and "case-claim" in actions and "case-note" in actions
        notes = await app.desk.cases.notes((await app.desk.cases.by_number(number)).id)  # type: ignore[union-attr]
        assert [n.text for n in notes] == ["говорит шёпотом"]
        async with app.db.engine.connect() as conn:
            from sqlalchemy import text

            raw = str((await conn.execute(text("SELECT notes_enc FROM handoff_cases"))).all())
        assert "шёпотом" not in raw  # notes are stored encrypted
        assert GROUP in api.topics


@pytest.mark.browser
async def test_a_consultant_takes_a_whole_case_in_the_browser(
    tmp_path: Path, api: FakeBotAPI, page: Any
) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path}/b.db"
    async with running(handoff_settings(tmp_path, api, db)) as (app, channel):
        await app.staff.add_user("aigerim", PASSWORD, ["consultant"], app.clock.now())
        api.user_message(PERSON, URGENT)
        await wait_topic(api)
        number = await _number(app)
        async with serve(app, channel) as base:
            await page.goto(f"{base}/staff/handoff")
            await page.fill("input[name=username]", "aigerim")
            await page.fill("input[name=password]", PASSWORD)
            await page.click("button[type=submit]")
            await page.wait_for_url(f"{base}/staff/handoff")
            row = page.locator(f"#queue tr[data-number='{number}']")
            await row.wait_for()
            assert "СРОЧНО" in await row.inner_text()
            await row.locator("a").click()
            await page.wait_for_url(f"{base}/staff/handoff/case/{number}")
            await page.click("#claim")
            await page.locator("#reply").wait_for(state="visible")
            await wait_text(api, PERSON, "Можете писать")
            # A canned reply in the person's language, then a message of one's own.
            await page.click("button.canned-btn >> text=Экстренные номера")
            assert "102" in await page.input_value("#reply-text")
            await page.fill("#reply-text", "Здравствуйте, я консультант 150. Вы в безопасности?")
            await page.click("#reply button[type=submit]")
            await wait_text(api, PERSON, "Вы в безопасности?")
            # The person's reply appears on the page by itself.
            api.user_message(PERSON, "да, закрылась в ванной")
            await page.locator("#log li.in >> text=закрылась в ванной").wait_for()
            await page.fill("#note-text", "в ванной, телефон на беззвучном")
            await page.click("#note button[type=submit]")
            await page.locator("#notes >> text=телефон на беззвучном").wait_for()
            await page.select_option("#outcome", "emergency")
            await page.click("#close button[type=submit]")
            await page.locator("#state >> text=закрыто").wait_for()
            await wait_text(api, PERSON, "завершил разговор")
        case = await app.desk.cases.by_number(number)  # type: ignore[union-attr]
        assert case is not None and case.state == "closed" and case.outcome == "emergency"
        assert all("aigerim" not in t for t in texts_to(api, PERSON))  # no staff names leak
