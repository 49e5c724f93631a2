"""Playwright driving Debian's chromium (`playwright install` cannot download here)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest

CHROMIUM = os.environ.get("QAMQOR_TEST_CHROMIUM", "/usr/bin/chromium")
HAS_CHROMIUM = os.path.exists(CHROMIUM)
CHROMIUM_SKIP = f"no chromium at {CHROMIUM} (apt-get install chromium; .ci/run does it)"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture
async def page() -> AsyncIterator[object]:
    if not HAS_CHROMIUM:
        pytest.skip(CHROMIUM_SKIP)
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = await browser.new_context(accept_downloads=True, locale="ru-RU")
        pg = await context.new_page()
        pg.set_default_timeout(15_000)
        yield pg
        await context.close()
        await browser.close()
