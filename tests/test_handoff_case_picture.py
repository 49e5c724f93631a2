"""The whole picture on the web case page (issue 15): the role chosen by button, the person's
last message and its time (kept current), and the same person's earlier cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from devtools.fake_telegram import FakeBotAPI
from tests.handoff_helpers import (
    PERSON,
    handoff_settings,
    running,
    wait_text,
    wait_topic,
    web_consultant,
)
from tests.web_helpers import browser_login, serve

PASSWORD = "correct horse battery"
URGENT = "помогите, он убьёт меня"


@pytest.mark.browser
async def test_the_case_page_shows_role_last_message_and_earlier_cases(
    tmp_path: Path, api: FakeBotAPI, page: Any
) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path}/c.db"
    async with running(handoff_settings(tmp_path, api, db)) as (app, channel):
        desk = app.desk
        assert desk is not None
        who = await web_consultant(app, "aigerim")
        # A first case, from the buttons only («Мне нужна помощь», then a consultant): the
        # role is the victim's although the person typed nothing.
        api.user_message(PERSON, "/start")
        await api.wait_sent(PERSON, 1)
        api.button_press(PERSON, "!lang=ru")
        await api.wait_sent(PERSON, 2)
        api.button_press(PERSON, "menu.main#self")
        await api.wait_sent(PERSON, 3)
        api.button_press(PERSON, "menu.main#human")
        await wait_text(api, PERSON, "Позвать консультанта?")
        api.button_press(PERSON, "handoff.start=yes")
        await wait_topic(api)
        first = (await desk.cases.open_queue())[0]
        assert first.role == "victim"
        await desk.claim(first.id, who)
        await desk.close(first.id, who, "helped")

        # The same person comes back with an urgent message.
        api.user_message(PERSON, URGENT)
        await api.wait_for(lambda a: len(a.topics[next(iter(a.topics))]) == 2)
        second = (await desk.cases.open_queue())[0]
        assert second.id != first.id

        async with serve(app, channel) as base:
            url = f"{base}/staff/handoff/case/{second.number}"
            await browser_login(page, url, "aigerim", PASSWORD)
            facts = await page.inner_text("p.facts")
            assert "пострадавший(ая)" in facts  # the path chosen by button, kept
            assert URGENT in await page.inner_text("#last-in")
            earlier = page.locator("details.earlier")
            assert "Прежние обращения этого человека (1)" in await earlier.inner_text()
            await earlier.locator("summary").click()
            link = earlier.locator(f"a[href='/staff/handoff/case/{first.number}']")
            assert await link.is_visible()
            assert "Поддержка и информация" in await earlier.inner_text()

            # The person writes again: the top of the page shows it, with its time.
            api.user_message(PERSON, "он ушёл на кухню, я в ванной")
            await page.locator("#last-in >> text=он ушёл на кухню").wait_for()
            assert ":" in (await page.inner_text("#last-in")).split("—")[0]  # a time
            await page.set_viewport_size({"width": 390, "height": 844})
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390
