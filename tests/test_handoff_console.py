"""The consultants' web console: over HTTP (JSON endpoints) and in a real browser."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession, CookieJar
from sqlalchemy import delete, select

from bot.app import App
from core.clock import FrozenClock
from devtools.fake_telegram import FakeBotAPI
from handoff.models import HandoffCase
from staffweb.models import AuditEvent, StaffSession
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
from tests.web_helpers import browser_login, page_csrf, serve, signed_in, staff_login

PASSWORD = "correct horse battery"
URGENT = "помогите, он убьёт меня"


async def _number(app: Any) -> str:
    async with app.db.session() as s:
        number = await s.scalar(select(HandoffCase.number).order_by(HandoffCase.id.desc()))
    assert number is not None
    return str(number)


@contextlib.asynccontextmanager
async def _an_urgent_case(
    tmp_path: Path, api: FakeBotAPI, clock: FrozenClock | None = None, *names: str
) -> AsyncIterator[tuple[App, str, str]]:
    """The bot running with consultants' accounts (aigerim, unless named) and one urgent case
    opened in the group, its staff pages served: (app, base URL, case number)."""
    db = f"sqlite+aiosqlite:///{tmp_path}/c.db"
    async with running(handoff_settings(tmp_path, api, db), clock) as (app, channel):
        for name in names or ("aigerim",):
            await app.staff.add_user(name, PASSWORD, ["consultant"], app.clock.now())
        api.user_message(PERSON, URGENT)
        await wait_topic(api)
        number = await _number(app)
        async with serve(app, channel) as base:
            yield app, base, number


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
    async with _an_urgent_case(tmp_path, api) as (app, base, number):
        await browser_login(page, f"{base}/staff/handoff", "aigerim", PASSWORD)
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
        # Closing asks first and warns: the person's last message has no answer. «Отмена»
        # closes nothing and sends nothing.
        await page.select_option("#outcome", "emergency")
        await page.click("#close button[type=submit]")
        await page.locator("#close-confirm").wait_for(state="visible")
        assert await page.locator("#close-unanswered").is_visible()
        await page.click("#close-no")
        await page.wait_for_timeout(1000)
        assert (await app.desk.cases.by_number(number)).state == "active"  # type: ignore[union-attr]
        assert not any("завершил разговор" in t for t in texts_to(api, PERSON))
        await page.click("#close button[type=submit]")
        await page.click("#close-yes")
        await page.locator("#state >> text=закрыто").wait_for()
        await wait_text(api, PERSON, "завершил разговор")
        # Closed by mistake: opened again within 30 minutes, with the person told.
        await page.click("#reopen")
        await page.locator("#reply").wait_for(state="visible")
        await wait_text(api, PERSON, "Консультант снова на связи")
        reopened = await app.desk.cases.by_number(number)  # type: ignore[union-attr]
        assert reopened is not None and reopened.state == "active"
        assert reopened.outcome is None and reopened.claimed_by == "aigerim"
        await page.fill("#reply-text", "Я снова здесь. Вы в безопасности?")
        await page.click("#reply button[type=submit]")
        await wait_text(api, PERSON, "Я снова здесь.")
        await page.click("#close button[type=submit]")
        await page.locator("#close-confirm").wait_for(state="visible")
        assert not await page.locator("#close-unanswered").is_visible()  # answered
        await page.click("#close-yes")
        await page.locator("#state >> text=закрыто").wait_for()
        case = await app.desk.cases.by_number(number)  # type: ignore[union-attr]
        assert case is not None and case.state == "closed" and case.outcome == "emergency"
        assert all("aigerim" not in t for t in texts_to(api, PERSON))  # no staff names leak


# Records what the console does to get attention: notifications shown, tones started.
ATTENTION = """
window.__notes = [];
window.__beeps = 0;
const Real = window.Notification;
class Recorded {
  constructor(title) { window.__notes.push(title); this.onclick = null; }
  static get permission() { return Real ? Real.permission : "granted"; }
  static requestPermission() {
    return Real ? Real.requestPermission() : Promise.resolve("granted");
  }
}
window.Notification = Recorded;
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...args) {
  window.__beeps += 1;
  return start.apply(this, args);
};
"""


@pytest.mark.browser
async def test_a_new_urgent_case_and_its_escalation_cannot_be_missed(
    tmp_path: Path, api: FakeBotAPI, page: Any, clock: FrozenClock
) -> None:
    """A new urgent case made no sound, no notification and no change to the tab title. Now
    it does all three on the queue page, and on a case page the consultant is working on,
    an escalation of one nobody claimed announces it again."""
    db = f"sqlite+aiosqlite:///{tmp_path}/a.db"
    async with running(handoff_settings(tmp_path, api, db), clock) as (app, channel):
        await app.staff.add_user("aigerim", PASSWORD, ["consultant"], app.clock.now())
        async with serve(app, channel) as base:
            await page.context.grant_permissions(["notifications"], origin=base)
            await page.add_init_script(ATTENTION)
            await browser_login(page, f"{base}/staff/handoff", "aigerim", PASSWORD)
            await page.click("#alerts-on")  # the one click a browser needs for sound
            await page.locator("#alerts-on.on").wait_for()
            quiet = await page.evaluate("window.__beeps")
            assert not (await page.title()).startswith("🔴")

            api.user_message(PERSON, URGENT)
            await wait_topic(api)
            number = await _number(app)
            await _until(page, "document.title.startsWith('🔴 (1) ')")
            assert await page.evaluate("window.__notes") == [f"🔴 СРОЧНОЕ обращение {number}"]
            assert await page.evaluate("window.__beeps") - quiet == 3  # urgent: three tones
            # Polling on: the same case is not announced twice.
            await page.wait_for_timeout(2500)
            assert len(await page.evaluate("window.__notes")) == 1

            # On a case page (another person's, or this one): an escalation is announced.
            await page.goto(f"{base}/staff/handoff/case/{number}")
            await _until(page, "document.title.startsWith('🔴 (1) ')")
            clock.advance(timedelta(seconds=61))
            assert (await app.jobs.run_now("handoff.sweep"))["escalated"] == 1  # type: ignore[index]
            await _until(page, "window.__notes.length === 1")  # a fresh page's record
            (again,) = await page.evaluate("window.__notes")
            assert again.startswith(f"🔴 {number}") and "напоминание 1" in again


async def _no_sideways_scroll(page: Any, width: int) -> None:
    wide = await page.evaluate(
        """(width) => Array.from(document.querySelectorAll("body *"))
            .filter((e) => e.getBoundingClientRect().right > width + 0.5)
            .map((e) => e.tagName + "#" + e.id + "." + e.className + " "
                 + Math.round(e.getBoundingClientRect().right))""",
        width,
    )
    assert not wide and await page.evaluate("document.documentElement.scrollWidth") <= width, wide


async def _until(page: Any, script: str) -> None:
    """Poll a condition in the page (wait_for_function evaluates a string, which the staff
    pages' Content-Security-Policy forbids)."""
    for _ in range(150):
        if await page.evaluate(script):
            return
        await page.wait_for_timeout(100)
    raise AssertionError(f"not within 15 s: {script}")


async def _within(page: Any, selector: str, width: int) -> None:
    box = await page.locator(selector).first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (selector, box)


@pytest.mark.browser
async def test_the_queue_and_a_case_work_at_phone_width(
    tmp_path: Path, api: FakeBotAPI, page: Any
) -> None:
    """At 390 px the case page squeezed the chat into 120 px, the queue scrolled sideways and
    «Выйти» could not be reached. Now: the queue's rows are cards, the case is one column,
    and claiming, replying, a note and closing are all in reach; the laptop layout stays."""
    async with _an_urgent_case(tmp_path, api) as (_, base, number):
        await page.set_viewport_size({"width": 390, "height": 844})
        await browser_login(page, f"{base}/staff/handoff", "aigerim", PASSWORD)
        row = page.locator(f"#queue tr[data-number='{number}']")
        await row.wait_for()
        await _no_sideways_scroll(page, 390)
        await _within(page, f"#queue tr[data-number='{number}']", 390)
        await _within(page, "form.logout button", 390)
        assert "СРОЧНО" in await row.inner_text()

        await row.locator("a").click()
        await page.wait_for_url(f"{base}/staff/handoff/case/{number}")
        await page.click("#claim")
        await page.locator("#reply").wait_for(state="visible")
        await _no_sideways_scroll(page, 390)
        chat = await page.locator("section.chat").bounding_box()
        assert chat is not None and chat["width"] >= 340  # was 120 px
        for selector in ("#reply-text", "#reply button[type=submit]", "#note-text", "#outcome"):
            await _within(page, selector, 390)
        await page.fill("#reply-text", "Я здесь. Вы сейчас в безопасности?")
        await page.click("#reply button[type=submit]")
        await wait_text(api, PERSON, "Вы сейчас в безопасности?")
        await page.fill("#note-text", "пишет с телефона")
        await page.click("#note button[type=submit]")
        await page.locator("#notes >> text=пишет с телефона").wait_for()
        await page.select_option("#outcome", "helped")
        await _within(page, "#close button[type=submit]", 390)
        await _within(page, "form.logout button", 390)

        await page.set_viewport_size({"width": 1280, "height": 800})  # a laptop
        await _no_sideways_scroll(page, 1280)
        aside = await page.locator("aside").bounding_box()
        assert chat is not None and aside is not None and aside["x"] > 700  # two columns


@pytest.mark.browser
async def test_an_ended_session_is_announced_and_the_draft_survives_it(
    tmp_path: Path, api: FakeBotAPI, page: Any
) -> None:
    """When the staff session ended (12 h: a night shift), an open case page stopped updating
    without a word. Now it says so at once; the draft stays, and after logging in again the
    consultant is back on the case with it. A canned reply goes in at the cursor."""
    async with _an_urgent_case(tmp_path, api) as (app, base, number):
        case_url = f"/staff/handoff/case/{number}"
        await browser_login(page, f"{base}{case_url}", "aigerim", PASSWORD)
        await page.click("#claim")
        await page.locator("#reply").wait_for(state="visible")
        await page.fill("#reply-text", "Я с вами.  Где вы сейчас?")
        await page.locator("#reply-text").evaluate("t => t.setSelectionRange(10, 10)")
        await page.click("button.canned-btn >> text=Экстренные номера")
        draft = await page.input_value("#reply-text")
        assert draft.startswith("Я с вами. ") and draft.endswith(" Где вы сейчас?")
        assert "102" in draft  # inserted at the cursor, nothing overwritten

        async with app.db.session() as s, s.begin():
            await s.execute(delete(StaffSession))  # the session ends
        await page.locator("#expired").wait_for(state="visible")
        assert await page.input_value("#reply-text") == draft

        await page.click("#relogin")  # the login form, and back to the case
        await page.fill("input[name=username]", "aigerim")
        await page.fill("input[name=password]", PASSWORD)
        await page.click("button[type=submit]")
        await page.wait_for_url(f"{base}{case_url}")
        assert await page.input_value("#reply-text") == draft
        await page.wait_for_timeout(2000)  # a poll or two
        assert await page.locator("#expired").is_hidden()
        await page.click("#reply button[type=submit]")
        await wait_text(api, PERSON, "Где вы сейчас?")


async def test_the_queue_counts_the_wait_from_the_first_unanswered_message(
    tmp_path: Path, api: FakeBotAPI, clock: FrozenClock
) -> None:
    """«Ждёт» counted from the request. Now: from the person's first message still without an
    answer; nothing while everything is answered."""
    async with _an_urgent_case(tmp_path, api, clock) as (_, base, number):
        thread = max(api.topics[GROUP])
        async with (
            signed_in(base, "aigerim", PASSWORD) as (http, headers),
        ):
            url = f"{base}/staff/handoff/api/case/{number}"

            async def waited() -> int | None:
                async with http.get(f"{base}/staff/handoff/api/queue") as resp:
                    (row,) = (await resp.json())["cases"]
                return row["waited"]  # type: ignore[no-any-return]

            clock.advance(timedelta(minutes=3))
            assert await waited() == 180  # queued: since the request
            async with http.post(f"{url}/claim", headers=headers) as resp:
                assert resp.status == 200
            async with http.post(f"{url}/reply", json={"text": "Я здесь."}, headers=headers):
                pass
            await wait_text(api, PERSON, "Я здесь.")
            assert await waited() is None  # answered: nobody is waiting
            clock.advance(timedelta(minutes=10))
            api.user_message(PERSON, "он вернулся")
            await wait_topic_text(api, thread, "он вернулся")
            clock.advance(timedelta(minutes=1))
            api.user_message(PERSON, "вы тут?")
            await wait_topic_text(api, thread, "вы тут?")
            clock.advance(timedelta(minutes=1))
            assert await waited() == 120  # since «он вернулся», not since the request (14 min)
            async with http.post(f"{url}/reply", json={"text": "Тут."}, headers=headers):
                pass
            await wait_text(api, PERSON, "Тут.")
            assert await waited() is None


async def test_reopening_is_for_the_consultant_who_closed_within_thirty_minutes(
    tmp_path: Path, api: FakeBotAPI, clock: FrozenClock
) -> None:
    async with _an_urgent_case(tmp_path, api, clock, "aigerim", "dana") as (app, base, number):
        thread = max(api.topics[GROUP])
        async with (
            signed_in(base, "aigerim", PASSWORD) as (a, ha),
            signed_in(base, "dana", PASSWORD) as (d, hd),
        ):
            url = f"{base}/staff/handoff/api/case/{number}"
            async with a.post(f"{url}/claim", headers=ha) as resp:
                assert resp.status == 200
            async with a.post(f"{url}/close", json={"outcome": "helped"}, headers=ha) as resp:
                assert resp.status == 200
            await api.wait_for(lambda x: x.topics[GROUP][thread]["closed"])
            async with d.post(f"{url}/reopen", headers=hd) as resp:
                assert resp.status == 409  # not hers
            async with a.get(url) as resp:
                assert (await resp.json())["reopenable"]
            async with a.post(f"{url}/reopen", headers=ha) as resp:
                assert resp.status == 200
            await api.wait_for(lambda x: not x.topics[GROUP][thread]["closed"])  # open again
            await wait_topic_text(api, thread, "открыто снова: aigerim")
            async with a.post(f"{url}/close", json={"outcome": "helped"}, headers=ha) as resp:
                assert resp.status == 200
            clock.advance(timedelta(minutes=31))
            async with a.get(url) as resp:
                assert not (await resp.json())["reopenable"]
            async with a.post(f"{url}/reopen", headers=ha) as resp:
                assert resp.status == 409  # too late
        async with app.db.session() as s:
            actions = list((await s.execute(select(AuditEvent.action))).scalars())
        assert actions.count("case-reopen") == 1
