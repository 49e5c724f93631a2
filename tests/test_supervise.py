"""The supervisor page (issue 15): a coordinator moves a case (the desk, both consoles, the
Telegram topic), who is on shift, the live JSON, the closed cases' search, and the page in
Chromium on a laptop and at 390 px."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession, CookieJar
from sqlalchemy import func, select

from bot.app import App
from core.clock import ALMATY, FrozenClock
from devtools.fake_telegram import FakeBotAPI
from handoff.actions import Refused
from handoff.models import CLOSED
from handoff.relay import Consultant
from staffweb.auth import Staff
from staffweb.models import AuditEvent, StaffUser
from staffweb.supervise import PAGE_SIZE
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
)
from tests.test_handoff_console import (
    ATTENTION,
    _an_urgent_case,
    _no_sideways_scroll,
    _number,
    _until,
    _within,
)
from tests.web_helpers import browser_login, serve, signed_in

PASSWORD = "correct horse battery"
URGENT = "помогите, он убьёт меня"
SECOND = 515152  # another person


async def _staff(app: App, name: str, roles: str) -> Staff:
    async with app.db.session() as s:
        found = await s.scalar(select(StaffUser.id).where(StaffUser.username == name))
    assert found is not None
    return Staff(found, name, frozenset(roles.split(",")), "x")


def _web(staff: Staff) -> Consultant:
    return Consultant(staff.username, "web", staff)


async def _person_rows(app: App, person_id: int) -> int:
    from delivery.models import OutboxRow

    async with app.db.session() as s:
        count = await s.scalar(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.person_id == person_id)
        )
    return int(count or 0)


async def _refused(key: str, call: Any) -> None:
    with pytest.raises(Refused) as caught:
        await call
    assert caught.value.key == key


async def test_a_coordinator_moves_a_case_and_both_consoles_see_it(
    tmp_path: Path, api: FakeBotAPI, db_url: str
) -> None:
    """On SQLite and PostgreSQL: refused for a consultant, a consultant off shift, a staff
    member who is no consultant, the same holder, a queued or closed case, a stale holder;
    moved to a colleague on shift: the topic says so in words, the audit log too, the person
    is told nothing, and only the new holder's words in the topic reach the person; back to
    the queue: claimable again from the card, and not escalated at once."""
    async with running(handoff_settings(tmp_path, api, db_url)) as (app, _):
        desk = app.desk
        assert desk is not None
        now = app.clock.now()
        assert await link_telegram(app, CONSULTANT, "aigerim") is not None
        assert await link_telegram(app, COLLEAGUE, "dana") is not None
        await app.staff.add_user("olga", PASSWORD, ["consultant"], now)  # never seen
        await app.staff.add_user("coord", PASSWORD, ["coordinator"], now)
        coord = _web(await _staff(app, "coord", "coordinator"))
        aigerim = await _staff(app, "aigerim", "consultant")
        dana = await _staff(app, "dana", "consultant")
        olga = await _staff(app, "olga", "consultant")
        await app.staff.login("coord", PASSWORD, now)  # signed in: seen, but no consultant

        api.user_message(PERSON, URGENT)
        thread = await wait_topic(api)
        card = await wait_topic_text(api, thread, "СРОЧНО")
        case = await desk.cases.by_number(await _number(app))
        assert case is not None and case.person_id is not None
        await _refused("staff-refused-reassign-not-live", desk.reassign(case.id, coord, dana.id))

        api.consultant_press(GROUP, CONSULTANT, buttons(card)["✋ Взять"], card["message_id"])
        await wait_topic_text(api, thread, "Обращение взял(а): aigerim")
        # Dana shows she is at work from Telegram only: a note in the topic.
        api.consultant_message(GROUP, thread, COLLEAGUE, "/note я на смене")
        for _ in range(300):
            if await desk.roster.find(dana.id, app.clock.now()) is not None:
                break
            await asyncio.sleep(0.05)
        on_shift = {o.username for o in await desk.roster.on_shift(app.clock.now())}
        assert on_shift == {"aigerim", "dana"}  # not olga (never seen), not coord (no consultant)

        await _refused(
            "staff-refused-reassign-role", desk.reassign(case.id, _web(aigerim), dana.id)
        )
        await _refused("staff-refused-reassign-off-shift", desk.reassign(case.id, coord, olga.id))
        coord_id = coord.staff_id
        assert coord_id is not None
        await _refused("staff-refused-reassign-off-shift", desk.reassign(case.id, coord, coord_id))
        await _refused("staff-refused-reassign-same", desk.reassign(case.id, coord, aigerim.id))
        stale = await desk.cases.hand_over(
            case.id, holder=olga.id, holder_name="olga", to=("dana", dana.id), now=now
        )
        assert stale is None  # moved or closed meanwhile: the first change wins

        told = await _person_rows(app, case.person_id)
        moved = await desk.reassign(case.id, coord, dana.id)
        assert (moved.claimed_by, moved.claimed_staff_id, moved.claimed_tg_user) == (
            "dana",
            dana.id,
            None,
        )
        assert moved.state == "claimed"
        await wait_topic_text(
            api, thread, "⇄ Обращение передано: aigerim → dana (координатор: coord)"
        )
        async with app.db.session() as s:
            entry = await s.scalar(select(AuditEvent).where(AuditEvent.action == "case-reassign"))
        assert entry is not None and entry.username == "coord"
        assert entry.subject == f"{case.number} aigerim -> dana"
        assert await _person_rows(app, case.person_id) == told  # nothing unsettling sent

        # Only the new holder's words go to the person, from the Telegram topic or the web.
        api.consultant_message(GROUP, thread, CONSULTANT, "это не должно уйти")
        api.consultant_message(GROUP, thread, COLLEAGUE, "Я рядом, продолжаем.")
        await wait_text(api, PERSON, "Я рядом, продолжаем.")
        assert not any("это не должно уйти" in t for t in texts_to(api, PERSON))
        await _refused("staff-refused-not-yours", desk.reply(case.id, _web(aigerim), "x"))

        # Back to the queue: the card offers «Взять» again; the wait starts afresh.
        back = await desk.reassign(case.id, coord, None)
        assert (back.state, back.claimed_by, back.claimed_staff_id, back.escalations) == (
            "queued",
            None,
            None,
            0,
        )
        await wait_topic_text(
            api, thread, "возвращено в очередь (вёл(а): dana; координатор: coord)"
        )

        def claimable(a: FakeBotAPI) -> bool:
            return "✋ Взять" in buttons(a.chats[GROUP][card["message_id"]])

        await api.wait_for(claimable, 15)
        assert (await app.jobs.run_now("handoff.sweep"))["escalated"] == 0  # type: ignore[index]
        await _refused("staff-refused-reassign-not-live", desk.reassign(case.id, coord, dana.id))
        api.consultant_press(GROUP, CONSULTANT, buttons(card)["✋ Взять"], card["message_id"])
        await wait_topic_text(api, thread, "Обращение взял(а): aigerim (telegram)")
        await desk.close(case.id, _web(aigerim), "helped")
        await _refused("staff-refused-reassign-not-live", desk.reassign(case.id, coord, dana.id))


async def test_the_supervisor_json_the_move_and_the_closed_search(
    tmp_path: Path, api: FakeBotAPI, clock: FrozenClock
) -> None:
    async with _an_urgent_case(tmp_path, api, clock, "aigerim", "dana", "olga") as (
        app,
        base,
        number,
    ):
        desk = app.desk
        assert desk is not None
        await app.staff.add_user("coord", PASSWORD, ["coordinator"], clock.now())
        dana = await _staff(app, "dana", "consultant")
        olga = await _staff(app, "olga", "consultant")
        live_api = f"{base}/staff/handoff/api/supervise"
        async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as anonymous:
            async with anonymous.get(live_api) as resp:
                assert resp.status == 401  # the script's JSON: the page says the session ended
            async with anonymous.get(f"{base}/staff/handoff/api/closed") as resp:
                assert resp.status == 401
        async with (
            signed_in(base, "aigerim", PASSWORD) as (a, a_csrf),
            signed_in(base, "dana", PASSWORD),
            signed_in(base, "coord", PASSWORD) as (c, c_csrf),
        ):
            # Consultants do not supervise.
            for path in ("/staff/handoff/supervise", "/staff/handoff/api/supervise"):
                async with a.get(base + path) as resp:
                    assert resp.status == 403, path
            async with a.post(
                f"{base}/staff/handoff/api/case/{number}/reassign",
                json={"to": dana.id},
                headers=a_csrf,
            ) as resp:
                assert resp.status == 403
            async with c.get(f"{base}/staff/handoff") as resp:
                assert resp.status == 200  # the coordinator's menu links the page
                assert "/staff/handoff/supervise" in await resp.text()

            # Unclaimed and urgent, escalated once: at the top, with its wait and count.
            clock.advance(timedelta(seconds=61))
            assert (await app.jobs.run_now("handoff.sweep"))["escalated"] == 1  # type: ignore[index]
            async with c.get(live_api) as resp:
                data = await resp.json()
            (top,) = data["urgent"]
            assert top["number"] == number and top["escalations"] == 1 and top["waited"] >= 61
            assert str(PERSON) not in str(data)
            shift = {p["name"]: p for p in data["consultants"]}
            assert set(shift) == {"aigerim", "dana"} and shift["dana"]["on_shift"]
            assert data["live"] == []

            async with a.post(
                f"{base}/staff/handoff/api/case/{number}/claim", headers=a_csrf
            ) as resp:
                assert resp.status == 200
            async with c.get(live_api) as resp:
                data = await resp.json()
            assert data["urgent"] == []
            shift = {p["name"]: p for p in data["consultants"]}
            assert (shift["aigerim"]["claimed"], shift["aigerim"]["active"]) == (1, 0)
            assert shift["aigerim"]["oldest"] is not None  # the person's message, unanswered
            assert shift["dana"]["claimed"] == 0
            (live,) = data["live"]
            assert live["number"] == number and live["holder"] == "aigerim"
            assert {t["name"] for t in data["targets"]} == {"aigerim", "dana"}

            url = f"{base}/staff/handoff/api/case/{number}/reassign"
            for bad in ({"to": "dana"}, {"to": True}):
                async with c.post(url, json=bad, headers=c_csrf) as resp:
                    assert resp.status == 400
            async with c.post(url, json={"to": olga.id}, headers=c_csrf) as resp:
                assert resp.status == 409
                assert "не на смене" in (await resp.json())["error"]
            async with c.post(url, json={"to": dana.id}) as resp:
                assert resp.status == 403  # no CSRF token
            async with c.post(url, json={"to": dana.id}, headers=c_csrf) as resp:
                assert resp.status == 200 and (await resp.json())["holder"] == "dana"
            async with c.get(live_api) as resp:
                shift = {p["name"]: p for p in (await resp.json())["consultants"]}
            assert shift["dana"]["claimed"] == 1 and shift["aigerim"]["claimed"] == 0
            async with a.post(
                f"{base}/staff/handoff/api/case/{number}/reply",
                json={"text": "x"},
                headers=a_csrf,
            ) as resp:
                assert resp.status == 409  # no longer aigerim's

            # Closed cases: by a part of the number in any letter case, by outcome, by day.
            case = await desk.cases.by_number(number)
            assert case is not None and case.person_id is not None
            await desk.close(case.id, _web(dana), "helped", force=True)
            closed = f"{base}/staff/handoff/api/closed"
            part = number[2:6].lower()
            today = clock.now().astimezone(ALMATY).date()
            tomorrow = today + timedelta(days=1)
            queries: list[tuple[dict[str, str], int]] = [
                ({"number": part}, 1),
                ({"number": "K-ZZZZ"}, 0),
                ({"outcome": "helped"}, 1),
                ({"outcome": "referred"}, 0),
                ({"outcome": "no_reply"}, 0),
                ({"outcome": "nonsense"}, 1),  # an unknown outcome does not filter
                ({"from": today.isoformat(), "to": today.isoformat()}, 1),
                ({"from": tomorrow.isoformat()}, 0),
                ({"to": "not-a-day", "number": number}, 1),
            ]
            for query, count in queries:
                async with c.get(closed, params=query) as resp:
                    found = await resp.json()
                assert found["total"] == count, query
            async with c.get(closed, params={"number": number}) as resp:
                (row,) = (await resp.json())["cases"]
            assert row["href"] == f"/staff/handoff/case/{number}" and row["by"] == "dana"
            assert row["outcome"] == "Поддержка и информация"

            # Paged: many closed cases, the latest first.
            for _ in range(PAGE_SIZE + 3):
                extra = await desk.cases.create(
                    person_id=case.person_id,
                    contact_id=None,
                    reason="asked",
                    urgent=False,
                    danger=None,
                    quiet=False,
                    lang="ru",
                    role="victim",
                    region=None,
                    details={},
                    callback_at=None,
                    topic_chat=None,
                    now=clock.now(),
                )
                clock.advance(timedelta(seconds=1))
                await desk.cases.finish(extra.id, state=CLOSED, outcome="no_reply", now=clock.now())
            async with c.get(closed) as resp:
                first = await resp.json()
            async with c.get(closed, params={"page": "2"}) as resp:
                second = await resp.json()
            assert first["total"] == second["total"] == PAGE_SIZE + 4
            assert len(first["cases"]) == PAGE_SIZE and len(second["cases"]) == 4
            assert second["cases"][-1]["number"] == number  # the oldest closed, last
            async with c.get(f"{base}/staff/handoff/supervise", params={"number": number}) as resp:
                page = await resp.text()
            assert f'href="/staff/handoff/case/{number}"' in page
            async with c.get(f"{base}/staff/handoff/supervise?page=2") as resp:
                assert 'rel="prev"' in await resp.text()
            # A closed case that was not the coordinator's still asks why before it opens.
            async with c.get(f"{base}/staff/handoff/case/{number}") as resp:
                assert resp.status == 403 and 'name="reason"' in await resp.text()


@pytest.mark.browser
async def test_a_coordinator_supervises_in_the_browser(
    tmp_path: Path, api: FakeBotAPI, page: Any
) -> None:
    """On a laptop and at 390 px: the unclaimed urgent case at the top, a case moved to a
    colleague on shift, a closed case found by its number."""
    async with _an_urgent_case(tmp_path, api, None, "aigerim", "dana") as (app, base, urgent):
        desk = app.desk
        assert desk is not None
        await app.staff.add_user("coord", PASSWORD, ["coordinator"], app.clock.now())
        aigerim = await _staff(app, "aigerim", "consultant")
        api.user_message(SECOND, URGENT)
        await api.wait_for(lambda a: len(a.topics[GROUP]) >= 2, 15)
        taken = await _number(app)
        case = await desk.cases.by_number(taken)
        assert case is not None and taken != urgent
        await desk.claim(case.id, _web(aigerim))
        old = await desk.cases.create(
            person_id=case.person_id or 0,
            contact_id=None,
            reason="asked",
            urgent=False,
            danger=None,
            quiet=False,
            lang="kk",
            role="victim",
            region=None,
            details={},
            callback_at=None,
            topic_chat=None,
            now=app.clock.now(),
        )
        await desk.cases.finish(old.id, state=CLOSED, outcome="helped", now=app.clock.now())
        async with signed_in(base, "dana", PASSWORD):  # dana is on shift
            url = f"{base}/staff/handoff/supervise"
            await page.set_viewport_size({"width": 1280, "height": 800})
            await browser_login(page, url, "coord", PASSWORD)
            await _until(
                page,
                f"document.querySelector('#sv-urgent li')?.dataset.number === '{urgent}'",
            )
            assert "⚠" not in await page.locator("#sv-urgent li").first.inner_text()
            row = page.locator(f"#sv-live tr[data-number='{taken}']")
            await row.wait_for()
            await _no_sideways_scroll(page, 1280)
            await row.locator("select").select_option(label="dana")
            await row.locator("button").click()
            await _until(
                page,
                f"document.querySelector(\"#sv-live tr[data-number='{taken}'] td:nth-child(2)\")"
                "?.textContent === 'dana'",
            )
            moved = await desk.cases.by_number(taken)
            assert moved is not None and moved.claimed_by == "dana"
            assert taken in await page.locator("#sv-done").inner_text()
            await _until(
                page,
                "document.querySelector(\"#sv-load tr[data-name='dana'] td:nth-child(3)\")"
                "?.textContent === '1'",
            )

            # At 390 px: cards, nothing sideways, the move and the search in reach.
            await page.set_viewport_size({"width": 390, "height": 844})
            await page.reload()
            await page.locator(f"#sv-live tr[data-number='{taken}'] select").wait_for()
            await _no_sideways_scroll(page, 390)
            for selector in (
                f"#sv-live tr[data-number='{taken}'] select",
                f"#sv-live tr[data-number='{taken}'] button",
                "#sv-urgent li",
                "#sv-number",
                "#sv-find",
                "form.logout button",
            ):
                await _within(page, selector, 390)
            await page.fill("#sv-number", old.number[-4:].lower())
            await page.click("#sv-find")
            found = page.locator(f"#sv-closed tr[data-number='{old.number}']")
            await found.wait_for()
            await _no_sideways_scroll(page, 390)
            assert "Поддержка и информация" in await found.inner_text()
            await found.locator("a").click()
            await page.wait_for_url(f"{base}/staff/handoff/case/{old.number}")
            assert await page.locator("textarea[name=reason]").count() == 1  # why, first


@pytest.mark.browser
async def test_the_supervisor_page_sounds_a_new_urgent_case(
    tmp_path: Path, api: FakeBotAPI, page: Any
) -> None:
    """A coordinator watching the shift hears a new urgent case like a consultant does."""
    db = f"sqlite+aiosqlite:///{tmp_path}/s.db"
    async with running(handoff_settings(tmp_path, api, db)) as (app, channel):
        await app.staff.add_user("coord", PASSWORD, ["coordinator"], app.clock.now())
        async with serve(app, channel) as base:
            await page.context.grant_permissions(["notifications"], origin=base)
            await page.add_init_script(ATTENTION)
            await browser_login(page, f"{base}/staff/handoff/supervise", "coord", PASSWORD)
            await page.click("#alerts-on")
            await page.locator("#alerts-on.on").wait_for()
            api.user_message(PERSON, URGENT)
            await wait_topic(api)
            await _until(page, "document.title.startsWith('🔴 (1) ')")
            (note,) = await page.evaluate("window.__notes")
            assert note.startswith("🔴 СРОЧНОЕ обращение K-")
            assert await page.evaluate("window.__beeps") >= 3
