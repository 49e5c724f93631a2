"""Who may read a case's transcript in the web console, and that every read is audited:
through the page and through the JSON API, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, CookieJar
from sqlalchemy import select

from devtools.fake_telegram import FakeBotAPI
from handoff.models import HandoffCase
from staffweb.console import REASON_NEEDED
from staffweb.models import AuditEvent
from tests.handoff_helpers import PERSON, handoff_settings, running, wait_text, wait_topic
from tests.web_helpers import page_csrf, serve, staff_login

PASSWORD = "correct horse battery"
URGENT = "помогите, он убьёт меня"
LATER = "он ещё дома, я в ванной"
REASON = "жалоба на консультацию, проверка качества"


async def _reads(app: Any, username: str) -> list[tuple[str, str, str | None]]:
    async with app.db.session() as s:
        rows = (
            await s.execute(
                select(AuditEvent)
                .where(
                    AuditEvent.username == username,
                    AuditEvent.action.in_(("case-view", "case-read")),
                )
                .order_by(AuditEvent.id)
            )
        ).scalars()
        return [(e.action, e.subject, e.reason) for e in rows]


def _jar() -> ClientSession:
    return ClientSession(cookie_jar=CookieJar(unsafe=True))


async def test_transcript_reads_are_limited_and_audited(
    tmp_path: Path, api: FakeBotAPI, db_url: str
) -> None:
    async with running(handoff_settings(tmp_path, api, db_url)) as (app, channel):
        now = app.clock.now()
        await app.staff.add_user("aigerim", PASSWORD, ["consultant"], now)
        await app.staff.add_user("dana", PASSWORD, ["consultant"], now)
        await app.staff.add_user("coord", PASSWORD, ["coordinator"], now)
        api.user_message(PERSON, URGENT)
        await wait_topic(api)
        async with app.db.session() as s:
            number = str(await s.scalar(select(HandoffCase.number)))
        case = await app.desk.cases.by_number(number)
        assert case is not None
        api.user_message(PERSON, LATER)  # into the case's relay log
        for _ in range(300):
            if await app.desk.cases.lines(case.id):
                break
            await asyncio.sleep(0.05)
        async with serve(app, channel) as base, _jar() as a, _jar() as d, _jar() as c:
            for http, name in ((a, "aigerim"), (d, "dana"), (c, "coord")):
                assert await staff_login(http, base, name, PASSWORD) == 303
            api_url = f"{base}/staff/handoff/api/case/{number}"
            page_url = f"{base}/staff/handoff/case/{number}"
            # An open case: any consultant may read it, and the API read is audited.
            async with d.get(api_url) as resp:
                assert resp.status == 200 and (await resp.json())["lines"]
            assert await _reads(app, "dana") == [("case-read", number, None)]
            # Aigerim takes the case, answers and closes it.
            token = await page_csrf(a, f"{base}/staff/")
            headers = {"X-CSRF-Token": token}
            async with a.post(f"{api_url}/claim", headers=headers) as resp:
                assert resp.status == 200
            async with a.post(f"{api_url}/reply", json={"text": "Я здесь."}, headers=headers) as r:
                assert r.status == 200
            await wait_text(api, PERSON, "Я здесь.")
            async with a.post(f"{api_url}/close", json={"outcome": "helped"}, headers=headers) as r:
                assert r.status == 200
            # A poll that brings nothing new reads nothing, and writes nothing.
            async with a.get(api_url) as resp:
                last = max(ln["id"] for ln in (await resp.json())["lines"])
            before = len(await _reads(app, "aigerim"))
            async with a.get(f"{api_url}?after={last}") as resp:
                assert resp.status == 200 and (await resp.json())["lines"] == []
            assert len(await _reads(app, "aigerim")) == before
            # Closed: a consultant who took no part reads nothing, by page or by API.
            async with d.get(api_url) as resp:
                assert resp.status == 403 and "lines" not in await resp.json()
            async with d.get(page_url) as resp:
                body = await resp.text()
                assert (
                    resp.status == 403 and LATER not in body and "вы в нём не участвовали" in body
                )
            assert await _reads(app, "dana") == [("case-read", number, None)]
            # The consultant who took part still reads it (audited).
            async with a.get(page_url) as resp:
                assert resp.status == 200
            assert (await _reads(app, "aigerim"))[-1] == ("case-view", number, None)
            # A coordinator must give a reason for a closed case that was not theirs.
            async with c.get(api_url) as resp:
                assert resp.status == 403 and (await resp.json())[
                    "error"
                ] == app.conversations.engine.texts.get("ru", REASON_NEEDED)
            async with c.get(page_url) as resp:
                body = await resp.text()
                assert resp.status == 403 and 'name="reason"' in body and LATER not in body
            async with c.get(page_url, params={"reason": "надо"}) as resp:
                assert resp.status == 403  # too short to be a reason
            assert await _reads(app, "coord") == []
            async with c.get(page_url, params={"reason": REASON}) as resp:
                body = await resp.text()
                assert resp.status == 200 and f'data-reason="{REASON}"' in body
            async with c.get(api_url, params={"reason": REASON}) as resp:
                assert resp.status == 200 and LATER in str(await resp.json())
            assert await _reads(app, "coord") == [
                ("case-view", number, REASON),
                ("case-read", number, REASON),
            ]
            root = await app.staff.audit_log()
            assert any(e.reason == REASON for e in root)
