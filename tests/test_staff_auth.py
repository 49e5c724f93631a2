"""One staff login for every page: passwords, sessions, CSRF, roles, lockout, audit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp import ClientSession, CookieJar
from sqlalchemy import text

from bot.app import App
from bot.settings import Settings
from core.clock import FrozenClock
from staffweb.auth import StaffAuth
from tests.web_helpers import page_csrf, serve, staff_login

PASSWORD = "correct horse battery"


@pytest.fixture
async def app(settings: Settings, clock: FrozenClock) -> AsyncIterator[App]:
    application = await App.create(settings, clock=clock)
    await application.staff.add_user("coord", PASSWORD, ["coordinator"], clock.now())
    await application.staff.add_user("cons", PASSWORD, ["consultant"], clock.now())
    await application.staff.add_user("root", PASSWORD, ["admin"], clock.now())
    yield application
    await application.close()


def jar() -> ClientSession:
    return ClientSession(cookie_jar=CookieJar(unsafe=True))


async def test_passwords_are_stored_as_argon2_hashes(app: App) -> None:
    async with app.db.engine.connect() as conn:
        hashes = (await conn.execute(text("SELECT password_hash FROM staff_users"))).scalars().all()
    assert all(h.startswith("$argon2") and PASSWORD not in h for h in hashes)


async def test_login_then_pages_by_role(app: App) -> None:
    async with serve(app) as base, jar() as http:
        async with http.get(f"{base}/staff/", allow_redirects=False) as resp:
            assert resp.status == 302 and resp.headers["Location"].startswith("/staff/login")
        assert await staff_login(http, base, "cons", PASSWORD) == 303
        async with http.get(f"{base}/staff/") as resp:
            assert resp.status == 200 and "cons" in await resp.text()
        async with http.get(f"{base}/staff/audit") as resp:
            assert resp.status == 403  # consultants cannot read the audit log
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "root", PASSWORD)
        async with http.get(f"{base}/staff/audit") as resp:
            body = await resp.text()
            assert resp.status == 200 and "login" in body


async def test_session_cookie_flags(app: App) -> None:
    async with serve(app) as base, jar() as http:
        async with http.get(f"{base}/staff/login") as resp:
            token = (await resp.text()).split('name="csrf" value="')[1].split('"')[0]
        async with http.post(
            f"{base}/staff/login",
            allow_redirects=False,
            data={"username": "cons", "password": PASSWORD, "csrf": token},
        ) as resp:
            cookie = resp.headers.getall("Set-Cookie")
        session = next(c for c in cookie if c.startswith("qamqor_staff="))
        assert "HttpOnly" in session and "SameSite=Strict" in session


async def test_unsafe_requests_need_the_csrf_token(app: App) -> None:
    async with serve(app) as base, jar() as http:
        async with http.post(
            f"{base}/staff/login", data={"username": "cons", "password": PASSWORD}
        ) as resp:
            assert resp.status == 403  # login form without its token
        await staff_login(http, base, "cons", PASSWORD)
        async with http.post(f"{base}/staff/logout") as resp:
            assert resp.status == 403
        async with http.post(f"{base}/staff/logout", data={"csrf": "forged"}) as resp:
            assert resp.status == 403
        token = await page_csrf(http, f"{base}/staff/")
        async with http.post(
            f"{base}/staff/logout", data={"csrf": token}, headers={"Origin": "https://evil.example"}
        ) as resp:
            assert resp.status == 403
        async with http.post(
            f"{base}/staff/logout", data={"csrf": token}, allow_redirects=False
        ) as resp:
            assert resp.status == 303
        async with http.get(f"{base}/staff/", allow_redirects=False) as resp:
            assert resp.status == 302  # logged out


async def test_lockout_after_repeated_failures(app: App, clock: FrozenClock) -> None:
    async with serve(app) as base, jar() as http:
        for _ in range(5):
            assert await staff_login(http, base, "coord", "wrong password!") == 401
        assert await staff_login(http, base, "coord", PASSWORD) == 429  # locked even if right
        clock.advance(timedelta(minutes=16))
        assert await staff_login(http, base, "coord", PASSWORD) == 303


async def test_sessions_expire_when_idle(app: App, clock: FrozenClock) -> None:
    async with serve(app) as base, jar() as http:
        await staff_login(http, base, "cons", PASSWORD)
        clock.advance(timedelta(hours=3))
        async with http.get(f"{base}/staff/", allow_redirects=False) as resp:
            assert resp.status == 302


async def test_open_redirects_are_refused(app: App) -> None:
    async with serve(app) as base, jar() as http:
        async with http.get(f"{base}/staff/login") as resp:
            token = (await resp.text()).split('name="csrf" value="')[1].split('"')[0]
        async with http.post(
            f"{base}/staff/login",
            allow_redirects=False,
            data={
                "username": "cons",
                "password": PASSWORD,
                "csrf": token,
                "next": "https://evil.example/",
            },
        ) as resp:
            assert resp.headers["Location"] == "/staff/"


async def test_short_passwords_and_unknown_roles_are_refused(app: App, clock: FrozenClock) -> None:
    from staffweb.auth import AuthError

    with pytest.raises(AuthError):
        await app.staff.add_user("x", "short", ["consultant"], clock.now())
    with pytest.raises(AuthError):
        await StaffAuth(app.db).add_user("x", PASSWORD, ["wizard"], clock.now())


@pytest.mark.browser
async def test_a_coordinator_logs_in_through_a_real_browser(app: App, page: object) -> None:
    async with serve(app) as base:
        pg = page
        await pg.goto(f"{base}/staff/")  # type: ignore[attr-defined]
        await pg.fill("input[name=username]", "coord")  # type: ignore[attr-defined]
        await pg.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
        await pg.click("button[type=submit]")  # type: ignore[attr-defined]
        await pg.wait_for_url(f"{base}/staff/")  # type: ignore[attr-defined]
        assert "coord" in await pg.content()  # type: ignore[attr-defined]
        await pg.click("text=Выйти")  # type: ignore[attr-defined]
        await pg.wait_for_url(f"{base}/staff/login")  # type: ignore[attr-defined]


def test_staff_add_from_the_command_line(tmp_path: object) -> None:
    import os
    import subprocess
    import sys

    from tests.conftest import TEST_KEY

    env = {k: v for k, v in os.environ.items() if not k.startswith("QAMQOR_")}
    env.update(QAMQOR_DATA_DIR=f"{tmp_path}/data", QAMQOR_SECRET_KEY=TEST_KEY)
    run = [sys.executable, "-m", "bot", "staff"]
    added = subprocess.run(
        [*run, "add", "Aigerim", "--role", "consultant", "--role", "admin", "--password-stdin"],
        input=PASSWORD + "\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr
    listed = subprocess.run([*run, "list"], env=env, capture_output=True, text=True, timeout=60)
    assert "aigerim\tadmin,consultant\tactive" in listed.stdout
    short = subprocess.run(
        [*run, "add", "x", "--role", "admin", "--password-stdin"],
        input="short\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert short.returncode == 1 and "at least 10" in short.stderr


async def test_qamqor_web_serves_the_staff_pages_without_any_channel(tmp_path: object) -> None:
    import asyncio
    import os
    import socket
    import sys

    from aiohttp import ClientSession

    from tests.conftest import TEST_KEY

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("QAMQOR_")}
    env.update(
        QAMQOR_DATA_DIR=f"{tmp_path}/data", QAMQOR_SECRET_KEY=TEST_KEY, QAMQOR_HTTP_PORT=str(port)
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "web", env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        async with ClientSession() as http:
            for _ in range(300):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/staff/login") as resp:
                        assert resp.status == 200 and "Вход" in await resp.text()
                        break
                except OSError:
                    await asyncio.sleep(0.1)
            else:
                raise AssertionError("qamqor web did not come up")
    finally:
        proc.terminate()
        await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0
