"""Canned replies coordinators edit (issue 15): the store on SQLite and PostgreSQL, migration
0850, the coordinators' page over HTTP, and the case page in a real browser (search, insertion
at the cursor, the keyboard)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select, text, update

from core.clock import FrozenClock
from devtools.fake_telegram import FakeBotAPI
from dialogues.texts import Texts
from handoff.canned import MAX_TEXT, CannedError, CannedReplies
from handoff.models import HandoffCase
from staffweb.models import AuditEvent
from storage.db import Database
from tests.handoff_helpers import PERSON, wait_text
from tests.test_handoff_console import PASSWORD, _an_urgent_case, _no_sideways_scroll, _until
from tests.test_inbox_migration import _downgrade
from tests.web_helpers import browser_login, page_csrf, signed_in

TEXTS = Texts()
BOTH = {"ru": "Убежище", "kk": "Баспана"}
WORDS = {
    "ru": "Есть бесплатное убежище, туда можно прийти с детьми.",
    "kk": "Тегін баспана бар, оған балаларыңызбен бірге келе аласыз.",
}


async def _store(db_url: str) -> tuple[Database, CannedReplies]:
    db = Database(db_url)
    await db.upgrade()
    return db, CannedReplies(db, TEXTS)


# -- the store ------------------------------------------------------------------------------


async def test_an_empty_table_starts_with_the_three_replies_of_the_fluent_texts(
    db_url: str,
) -> None:
    db, store = await _store(db_url)
    try:
        # Two first reads at once (two consultants opening cases) seed them only once.
        first, second = await asyncio.gather(store.all(), store.all())
        replies = await store.all()
        assert len(replies) == 3 and [r.id for r in first] == [r.id for r in replies]
        assert len(second) == 3
        emergency = replies[0]
        assert emergency.title("ru") == "Экстренные номера"
        assert emergency.title("kk") == TEXTS.get("kk", "staff-canned-emergency")
        assert emergency.text("ru") == TEXTS.get("ru", "canned-emergency")
        assert "102" in emergency.text("ru")
        assert emergency.text("kk") == TEXTS.get("kk", "canned-emergency")
        assert [r.position for r in replies] == [1, 2, 3] and all(r.active for r in replies)
        # Retiring them all does not bring the defaults back: only an empty table is seeded.
        for r in replies:
            await store.set_active(r.id, False, "coord", emergency.updated_at)
        assert await store.all(active_only=True) == []
        assert len(await store.all()) == 3
    finally:
        await db.dispose()


async def test_add_edit_reorder_retire_and_restore(db_url: str, clock: FrozenClock) -> None:
    db, store = await _store(db_url)
    now = clock.now()
    try:
        added = await store.add(BOTH, WORDS, "coord", now)  # seeds first, then goes last
        assert [r.title("ru") for r in await store.all()][-1] == "Убежище"
        assert added.position == 4 and added.updated_by == "coord" and added.updated_at == now
        before, after = await store.edit(  # type: ignore[misc]
            added.id, {"ru": " Убежище ", "kk": "Баспана"}, {**WORDS, "kk": "Баспана\r\nбар."},
            "dana", now,
        )  # fmt: skip
        assert before.text("kk") == WORDS["kk"] and after.text("kk") == "Баспана\nбар."
        assert after.title("ru") == "Убежище" and after.updated_by == "dana"
        assert await store.move(added.id, -1, "coord", now) == 3
        assert await store.move(added.id, -1, "coord", now) == 2
        assert [r.title("ru") for r in await store.all()][:2] == ["Экстренные номера", "Убежище"]
        first = (await store.all())[0]
        assert await store.move(first.id, -1, "coord", now) == 1  # already first: stays
        assert await store.move(9999, 1, "coord", now) is None
        await store.set_active(added.id, False, "coord", now)
        assert "Убежище" not in [r.title("ru") for r in await store.all(active_only=True)]
        assert not (await store.get(added.id)).active  # type: ignore[union-attr]
        await store.set_active(added.id, True, "coord", now)
        assert [r.title("ru") for r in await store.all(active_only=True)][1] == "Убежище"
        assert await store.edit(9999, BOTH, WORDS, "coord", now) is None
    finally:
        await db.dispose()


@pytest.mark.parametrize(
    ("titles", "texts", "key", "lang"),
    [
        ({"ru": "Убежище"}, WORDS, "staff-canned-error-title-missing", "kk"),
        (BOTH, {"ru": "  ", "kk": "x"}, "staff-canned-error-text-missing", "ru"),
        ({"ru": "x" * 61, "kk": "y"}, WORDS, "staff-canned-error-title-long", "ru"),
        (BOTH, {"ru": "x", "kk": "ы" * (MAX_TEXT + 1)}, "staff-canned-error-text-long", "kk"),
    ],
)
async def test_a_reply_needs_both_languages_within_the_limits(
    tmp_path: Path,
    clock: FrozenClock,
    titles: dict[str, str],
    texts: dict[str, str],
    key: str,
    lang: str,
) -> None:
    db, store = await _store(f"sqlite+aiosqlite:///{tmp_path / 'c.db'}")
    try:
        with pytest.raises(CannedError) as refused:
            await store.add(titles, texts, "coord", clock.now())
        assert refused.value.key == key and refused.value.params["lang"] == lang
        assert len(await store.all()) == 3  # nothing stored
    finally:
        await db.dispose()


# -- the migration --------------------------------------------------------------------------


async def test_0850_adds_the_table_beside_the_data_and_goes_back(
    db_url: str, clock: FrozenClock
) -> None:
    db = Database(db_url)
    now = clock.now()
    try:
        await db.upgrade("0840")
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO handoff_cases (number, state, reason, urgent, quiet, lang,"
                    " role, created_at, due_at, failed_deliveries, escalations)"
                    " VALUES ('K-0001-0001', 'queued', 'urgent', :u, :q, 'kk', 'victim', :t, :t,"
                    " 0, 0)"
                ),
                {"u": True, "q": False, "t": now},
            )
        await db.upgrade()
        store = CannedReplies(db, TEXTS)
        assert (await store.all())[0].title("ru") == "Экстренные номера"
        await store.add(BOTH, WORDS, "coord", now)
        async with db.session() as s:
            assert await s.scalar(select(HandoffCase.lang)) == "kk"  # the data stays

        async def tables() -> set[str]:
            async with db.engine.connect() as conn:
                return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))

        assert "canned_replies" in await tables()
        await _downgrade(db_url, "0840")
        assert "canned_replies" not in await tables()
        async with db.session() as s:
            assert await s.scalar(select(HandoffCase.number)) == "K-0001-0001"
        await db.upgrade()
        assert len(await CannedReplies(db, TEXTS).all()) == 3  # seeded again, empty
    finally:
        await db.dispose()


# -- the coordinators' page -----------------------------------------------------------------

PAGE = "/staff/handoff/canned"


def _form(csrf: str, titles: dict[str, str], texts: dict[str, str]) -> dict[str, str]:
    return {
        "csrf": csrf,
        **{f"title_{k}": v for k, v in titles.items()},
        **{f"text_{k}": v for k, v in texts.items()},
    }


async def _actions(app: Any) -> list[tuple[str, str, str | None]]:
    async with app.db.session() as s:
        rows = await s.execute(
            select(AuditEvent.action, AuditEvent.subject, AuditEvent.reason)
            .where(AuditEvent.action.like("canned-%"))
            .order_by(AuditEvent.id)
        )
        return [(a, b, c) for a, b, c in rows.all()]


async def test_a_coordinator_adds_edits_and_retires_and_nobody_else_may(
    tmp_path: Path, api: FakeBotAPI
) -> None:
    async with _an_urgent_case(tmp_path, api, None, "aigerim") as (app, base, number):
        await app.staff.add_user("coord", PASSWORD, ["coordinator"], app.clock.now())
        store = CannedReplies(app.db, TEXTS)
        async with (
            signed_in(base, "coord", PASSWORD) as (coord, _),
            signed_in(base, "aigerim", PASSWORD) as (cons, cons_headers),
        ):
            async with coord.get(base + PAGE) as resp:
                page = await resp.text()
                assert resp.status == 200
            assert 'href="/staff/handoff/canned"' in page  # in the coordinator's menu
            assert 'value="Экстренные номера"' in page and "Жедел қызмет нөмірлері" in page
            csrf = await page_csrf(coord, base + PAGE)

            # Added.
            async with coord.post(
                f"{base}{PAGE}/add", data=_form(csrf, BOTH, WORDS), allow_redirects=False
            ) as resp:
                assert resp.status == 303
            (shelter,) = [r for r in await store.all() if r.title("ru") == "Убежище"]
            # Refused calmly: the page again (400), its reason in words, what was typed kept.
            async with coord.post(
                f"{base}{PAGE}/{shelter.id}/edit",
                data=_form(csrf, BOTH, {**WORDS, "kk": " "}),
            ) as resp:
                page = await resp.text()
                assert resp.status == 400
            assert "Не заполнен текст на казахском" in page and WORDS["ru"] in page
            assert (await store.get(shelter.id)).text("kk") == WORDS["kk"]  # type: ignore[union-attr]
            # Edited, moved up, retired.
            edited = {**WORDS, "kk": "Тегін баспана бар. Балаларыңызбен келуге болады."}
            async with coord.post(
                f"{base}{PAGE}/{shelter.id}/edit", data=_form(csrf, BOTH, edited)
            ) as resp:
                assert resp.status == 200 and "Сохранено" in await resp.text()
            assert (await store.get(shelter.id)).text("kk") == edited["kk"]  # type: ignore[union-attr]
            async with coord.post(f"{base}{PAGE}/{shelter.id}/up", data={"csrf": csrf}) as resp:
                assert resp.status == 200
            assert (await store.all())[2].id == shelter.id

            # The consultant sees it on the case page: a Russian label, both languages' texts.
            await _set_lang(app, number, "kk")
            async with cons.get(f"{base}/staff/handoff/case/{number}") as resp:
                case_page = await resp.text()
            assert ">Убежище</button>" in case_page and edited["kk"] in case_page
            assert case_page.index('data-lang="kk"') < case_page.index('data-lang="ru"')

            async with coord.post(f"{base}{PAGE}/{shelter.id}/retire", data={"csrf": csrf}) as resp:
                assert resp.status == 200 and "убран" in await resp.text()
            async with cons.get(f"{base}/staff/handoff/case/{number}") as resp:
                assert "Убежище" not in await resp.text()
            async with coord.post(
                f"{base}{PAGE}/{shelter.id}/restore", data={"csrf": csrf}
            ) as resp:
                assert resp.status == 200

            # No CSRF token, or a wrong one: refused, nothing changed.
            for data in ({}, {"csrf": "forged"}):
                async with coord.post(f"{base}{PAGE}/{shelter.id}/retire", data=data) as resp:
                    assert resp.status == 403
            assert (await store.get(shelter.id)).active  # type: ignore[union-attr]
            # A consultant may not open the page nor change a reply (even with a token).
            async with cons.get(base + PAGE) as resp:
                assert resp.status == 403
                assert 'href="/staff/handoff/canned"' not in await resp.text()  # not in the menu
            async with cons.post(f"{base}{PAGE}/{shelter.id}/retire", headers=cons_headers) as resp:
                assert resp.status == 403
            async with cons.post(
                f"{base}{PAGE}/add", data=_form(cons_headers["X-CSRF-Token"], BOTH, WORDS)
            ) as resp:
                assert resp.status == 403
            assert (await store.get(shelter.id)).active  # type: ignore[union-attr]
            assert len(await store.all()) == 4
            async with coord.post(f"{base}{PAGE}/9999/retire", data={"csrf": csrf}) as resp:
                assert resp.status == 404

        subject = f"canned reply #{shelter.id} «Убежище»"
        assert await _actions(app) == [
            ("canned-add", subject, "added at place 4"),
            ("canned-edit", subject, "changed text (kk)"),
            ("canned-move", subject, "moved up to place 3"),
            ("canned-retire", subject, "retired"),
            ("canned-restore", subject, "restored: offered on the case page again"),
        ]


async def _set_lang(app: Any, number: str, lang: str) -> None:
    """The person speaks `lang` (the case opened on a Russian message)."""
    async with app.db.session() as s, s.begin():
        await s.execute(update(HandoffCase).where(HandoffCase.number == number).values(lang=lang))


# -- in the browser -------------------------------------------------------------------------


async def _reply_form(page: Any, base: str, number: str) -> None:
    await page.goto(f"{base}/staff/handoff/case/{number}")
    await page.click("#claim")
    await page.locator("#reply").wait_for(state="visible")


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
async def test_an_edited_reply_reaches_the_case_page_in_the_persons_language(
    tmp_path: Path, api: FakeBotAPI, page: Any, width: int
) -> None:
    async with _an_urgent_case(tmp_path, api, None, "aigerim") as (app, base, number):
        await app.staff.add_user("coord", PASSWORD, ["coordinator"], app.clock.now())
        await _set_lang(app, number, "kk")
        await page.set_viewport_size({"width": width, "height": 844})

        # The coordinator rewrites the contacts reply's Kazakh text.
        await browser_login(page, base + PAGE, "coord", PASSWORD)
        await _no_sideways_scroll(page, width)
        card = page.locator("li.canned-card").nth(1)
        await card.locator("input[name=title_ru]").fill("Куда обратиться")
        await card.locator("textarea[name=text_kk]").fill("Шелтер: 📞 8 800 080 7777, тәулік бойы.")
        await card.locator("form.canned-edit button[type=submit]").click()
        await page.locator("[role=status]").wait_for()
        await _no_sideways_scroll(page, width)
        await page.click("form.logout button")

        # The consultant, reading the pages in Russian, on the case of a Kazakh speaker.
        await browser_login(page, f"{base}/staff/handoff", "aigerim", PASSWORD)
        await _reply_form(page, base, number)
        await _no_sideways_scroll(page, width)
        assert "Alt" in await page.inner_text("#keys")
        first = page.locator(".canned-group").first
        assert await first.get_attribute("data-lang") == "kk"
        await page.fill("#reply-text", "Сәлеметсіз бе.  Сізге көмектесемін.")
        await page.locator("#reply-text").evaluate("t => t.setSelectionRange(15, 15)")
        # Searched by a word of the Kazakh text; the label is in the staff member's Russian.
        await page.locator("body").click(position={"x": 2, "y": 2})
        await page.keyboard.press("/")
        await _until(page, "document.activeElement.id === 'canned-search'")
        await page.keyboard.type("шелтер")
        # One reply, offered in each language; the person's language first.
        shown = page.locator(".canned-btn:not([hidden])")
        await _until(page, "document.querySelectorAll('.canned-btn:not([hidden])').length === 2")
        assert await shown.all_inner_texts() == ["Куда обратиться", "Куда обратиться"]
        assert await shown.first.get_attribute("data-lang") == "kk"
        await page.keyboard.press("Enter")  # the first match, at the cursor
        draft = await page.input_value("#reply-text")
        assert draft.startswith("Сәлеметсіз бе. Шелтер: 📞 8 800 080 7777")
        assert draft.endswith(" Сізге көмектесемін."), draft
        assert await page.evaluate("document.activeElement.id") == "reply-text"
        assert await page.input_value("#canned-search") == ""  # every reply shown again
        assert await page.locator(".canned-btn:not([hidden])").count() == 6
        # Ctrl+K, a search with no match, and Esc back to the draft: the draft is untouched.
        await page.locator("body").click(position={"x": 2, "y": 2})
        await page.keyboard.press("Control+k")
        await _until(page, "document.activeElement.id === 'canned-search'")
        await page.keyboard.type("zzz")
        await page.locator("#canned-none").wait_for(state="visible")
        await page.keyboard.press("Escape")
        assert await page.evaluate("document.activeElement.id") == "reply-text"
        # Typing "/" in the draft is a slash, never the search.
        await page.keyboard.press("End")
        await page.keyboard.type(" /")
        assert (await page.input_value("#reply-text")).endswith("көмектесемін. /")
        assert await page.evaluate("document.activeElement.id") == "reply-text"
        await page.keyboard.press("Backspace")
        await page.keyboard.press("Backspace")
        await page.keyboard.press("Control+Enter")  # sent
        await wait_text(api, PERSON, "Шелтер: 📞 8 800 080 7777")
        await _until(page, "document.getElementById('reply-text').value === ''")
        assert any(
            re.search(r"Сәлеметсіз бе\. Шелтер.*Сізге көмектесемін\.$", t, re.S)
            for t in [m.get("text", "") for m in api.bot_messages(PERSON)]
        )
        await _no_sideways_scroll(page, width)


@pytest.mark.browser
async def test_alt_n_goes_to_the_next_waiting_case(
    tmp_path: Path, api: FakeBotAPI, page: Any
) -> None:
    async with _an_urgent_case(tmp_path, api) as (app, base, number):
        await browser_login(page, f"{base}/staff/handoff/case/{number}", "aigerim", PASSWORD)
        await page.locator("body").click(position={"x": 2, "y": 2})
        await page.keyboard.press("Alt+n")  # this is the only case: nothing else waits
        await page.locator("#notice").wait_for(state="visible")
        assert "нет" in await page.inner_text("#notice")
        await _reply_form(page, base, number)
        # A second case, from another person: Alt+N opens it, but never from the draft.
        async with app.db.session() as s, s.begin():
            row = await s.scalar(select(HandoffCase).where(HandoffCase.number == number))
            assert row is not None
            s.add(
                HandoffCase(
                    number="K-9999-0001", state="queued", reason="urgent", urgent=True,
                    quiet=False, lang="kk", role="victim", created_at=row.created_at,
                    due_at=row.created_at, failed_deliveries=0,
                )
            )  # fmt: skip
        await page.focus("#reply-text")
        await page.keyboard.press("Alt+n")
        await page.wait_for_timeout(800)
        assert page.url.endswith(number)
        await page.locator("body").click(position={"x": 2, "y": 2})
        await page.keyboard.press("Alt+n")
        await page.wait_for_url(f"{base}/staff/handoff/case/K-9999-0001")
