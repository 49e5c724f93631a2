"""Serving the bot's HTTP app in-process on 127.0.0.1, and logging staff in, for tests."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator

from aiohttp import ClientSession, web

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
