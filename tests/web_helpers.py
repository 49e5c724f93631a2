"""Serving the bot's HTTP app in-process on 127.0.0.1, and logging staff in, for tests."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import ClientSession, CookieJar, web

from bot.app import App
from bot.web.server import make_web_app
from devtools.fake_telegram import bound_port


@contextlib.asynccontextmanager
async def serve(app: App, telegram: object = None, whatsapp: object = None) -> AsyncIterator[str]:
    web_app = make_web_app(app, telegram, whatsapp)  # type: ignore[arg-type]
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{bound_port(site)}"
    finally:
        await runner.cleanup()


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


async def staff_login(http: ClientSession, base: str, username: str, password: str) -> int:
    async with http.get(f"{base}/staff/login") as resp:
        token = csrf_of(await resp.text())
    async with http.post(
        f"{base}/staff/login",
        allow_redirects=False,
        data={"username": username, "password": password, "csrf": token},
    ) as resp:
        return resp.status


async def page_csrf(http: ClientSession, url: str) -> str:
    async with http.get(url) as resp:
        return csrf_of(await resp.text())


@contextlib.asynccontextmanager
async def signed_in(
    base: str, username: str, password: str
) -> AsyncIterator[tuple[ClientSession, dict[str, str]]]:
    """A staff member's HTTP session, signed in, and the CSRF header their posts carry."""
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as http:
        await staff_login(http, base, username, password)
        yield http, {"X-CSRF-Token": await page_csrf(http, f"{base}/staff/")}


async def browser_login(page: Any, url: str, username: str, password: str) -> None:
    """Open a staff page in the browser, sign in on the form it leads to, and arrive there."""
    await page.goto(url)
    await page.fill("input[name=username]", username)
    await page.fill("input[name=password]", password)
    await page.click("button[type=submit]")
    await page.wait_for_url(url)
