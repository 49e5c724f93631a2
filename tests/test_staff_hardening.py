"""Staff login under attack, on SQLite and PostgreSQL: parallel guesses, lockout that tells
nothing, a per-address budget before the account lock, password checks off the event loop,
the coordinator's unlock button, and Secure cookies decided by configuration."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import ClientSession, CookieJar
from pydantic import ValidationError
from sqlalchemy import select

import staffweb.auth
from bot.app import App
from bot.settings import Settings
from core.clock import FrozenClock
from staffweb.auth import ACCOUNT_FAILURES, ADDRESS_FAILURES, MAX_PENDING_CHECKS
from staffweb.models import AuditEvent
from staffweb.site import BUSY, LOCKED
from tests.conftest import TEST_KEY
from tests.web_helpers import csrf_of, page_csrf, serve

PASSWORD = "correct horse battery"


def _settings(tmp_path: Path, db_url: str, **extra: object) -> Settings:
    values: dict[str, object] = {"public_url": "http://127.0.0.1", **extra}
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        secret_key=TEST_KEY,  # type: ignore[arg-type]
        database_url=db_url,
        **values,  # type: ignore[arg-type]
    )


@pytest.fixture
async def app(db_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[App]:
    application = await App.create(_settings(tmp_path, db_url), clock=clock)
    await application.staff.add_user("cons", PASSWORD, ["consultant"], clock.now())
    await application.staff.add_user("coord", PASSWORD, ["coordinator"], clock.now())
    yield application
    await application.close()


def jar() -> ClientSession:
    return ClientSession(cookie_jar=CookieJar(unsafe=True))


async def attempt(
    base: str, username: str, password: str, address: str = "198.51.100.7"
) -> tuple[int, str]:
    """One login from `address` (as a reverse proxy on this host would forward it)."""
    headers = {"X-Forwarded-For": address}
    async with jar() as http:
        async with http.get(f"{base}/staff/login", headers=headers) as resp:
            token = csrf_of(await resp.text())
        async with http.post(
            f"{base}/staff/login",
            allow_redirects=False,
            headers=headers,
            data={"username": username, "password": password, "csrf": token},
        ) as resp:
            return resp.status, await resp.text()


async def test_thirty_parallel_wrong_passwords_lock_the_account(app: App) -> None:
    """The count is taken atomically before the check: parallel guesses cannot all pass."""
    async with serve(app) as base:
        # From one address: that address is throttled after its budget.
        results = await asyncio.gather(
            *(attempt(base, "cons", "wrong password!") for _ in range(30))
        )
        statuses = [status for status, _ in results]
        assert (
            statuses.count(401) == ADDRESS_FAILURES and statuses.count(429) == 30 - ADDRESS_FAILURES
        )
        assert (await attempt(base, "cons", PASSWORD))[0] == 429  # refused right after
        # From thirty addresses: the account itself is locked after its limit.
        spread = await asyncio.gather(
            *(attempt(base, "coord", "wrong password!", f"203.0.113.{i}") for i in range(30))
        )
        spread_statuses = [status for status, _ in spread]
        # at most the account's limit was checked (some may have found the pool busy: 429)
        assert spread_statuses.count(401) <= ACCOUNT_FAILURES
        assert set(spread_statuses) == {401, 429}
        assert (await attempt(base, "coord", PASSWORD, "192.0.2.99"))[0] == 429


async def test_the_lockout_tells_nothing_about_which_usernames_exist(app: App) -> None:
    async with serve(app) as base:
        answers = {}
        for name in ("cons", "nobody-here"):
            seen = [
                await attempt(base, name, "wrong password!", f"203.0.113.{i}")
                for i in range(ACCOUNT_FAILURES + 2)
            ]
            answers[name] = [(status, LOCKED[0] in text) for status, text in seen]
        assert answers["cons"] == answers["nobody-here"]
        assert answers["cons"][-1] == (429, True)


async def test_one_address_cannot_lock_a_consultant_out(app: App) -> None:
    async with serve(app) as base:
        for _ in range(ACCOUNT_FAILURES + 5):
            await attempt(base, "cons", "wrong password!", "198.51.100.66")
        assert (await attempt(base, "cons", PASSWORD, "198.51.100.66"))[0] == 429
        assert (await attempt(base, "cons", PASSWORD, "192.0.2.10"))[0] == 303


async def test_an_address_over_its_budget_is_refused_without_hashing(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks: list[str] = []
    verify = staffweb.auth._verify

    def spy(hashed: str, password: str) -> bool:
        checks.append(threading.current_thread().name)
        return verify(hashed, password)

    monkeypatch.setattr(staffweb.auth, "_verify", spy)
    async with serve(app) as base:
        for _ in range(ADDRESS_FAILURES + 10):
            await attempt(base, "nobody-here", "wrong password!")
    assert len(checks) == ADDRESS_FAILURES  # the other ten answered 429 without argon2
    # and every check ran in the argon2 pool, not on the event loop's thread
    assert all(name.startswith("argon2") for name in checks)
    assert threading.current_thread().name not in checks


async def test_checks_beyond_the_pool_queue_are_refused_at_once(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Password checks waiting for the argon2 pool are bounded: one more is refused
    with 429 and Retry-After at once, while the others are still waiting."""
    release = threading.Event()
    verify = staffweb.auth._verify

    def slow(hashed: str, password: str) -> bool:
        release.wait(30)
        return verify(hashed, password)

    monkeypatch.setattr(staffweb.auth, "_verify", slow)
    async with serve(app) as base:
        waiting = [
            asyncio.create_task(attempt(base, "nobody-here", "wrong password!", f"10.9.{i}.1"))
            for i in range(MAX_PENDING_CHECKS)
        ]
        for _ in range(1000):  # until every check waits in the pool
            if app.staff._pending >= MAX_PENDING_CHECKS:
                break
            await asyncio.sleep(0.01)
        try:
            status, text = await asyncio.wait_for(
                attempt(base, "nobody-here", "wrong password!", "10.9.200.1"), 10
            )
            assert status == 429 and BUSY[0] in text
        finally:
            release.set()
        assert [status for status, _ in await asyncio.gather(*waiting)] == [
            401
        ] * MAX_PENDING_CHECKS


async def test_a_coordinator_unlocks_a_locked_consultant(app: App) -> None:
    async with serve(app) as base:
        for i in range(ACCOUNT_FAILURES + 1):
            await attempt(base, "cons", "wrong password!", f"203.0.113.{i}")
        assert (await attempt(base, "cons", PASSWORD, "192.0.2.1"))[0] == 429
        async with jar() as http:
            headers = {"X-Forwarded-For": "192.0.2.2"}
            async with http.get(f"{base}/staff/login", headers=headers) as resp:
                token = csrf_of(await resp.text())
            async with http.post(
                f"{base}/staff/login",
                headers=headers,
                data={"username": "coord", "password": PASSWORD, "csrf": token},
            ) as resp:
                assert resp.status == 200
            async with http.get(f"{base}/staff/users") as resp:
                page = await resp.text()
                assert "заблокирован" in page and "Снять блокировку" in page
            csrf = await page_csrf(http, f"{base}/staff/users")
            async with http.post(
                f"{base}/staff/users/unlock",
                data={"username": "cons", "csrf": csrf},
                allow_redirects=False,
            ) as resp:
                assert resp.status == 303
        assert (await attempt(base, "cons", PASSWORD, "192.0.2.1"))[0] == 303
        async with app.db.session() as s:
            unlocks = (
                (await s.execute(select(AuditEvent).where(AuditEvent.action == "staff-unlock")))
                .scalars()
                .all()
            )
        assert [(e.username, e.subject) for e in unlocks] == [("coord", "cons")]


async def test_consultants_cannot_unlock(app: App) -> None:
    async with serve(app) as base, jar() as http:
        async with http.get(f"{base}/staff/login") as resp:
            token = csrf_of(await resp.text())
        await http.post(
            f"{base}/staff/login", data={"username": "cons", "password": PASSWORD, "csrf": token}
        )
        csrf = await page_csrf(http, f"{base}/staff/")
        async with http.post(
            f"{base}/staff/users/unlock", data={"username": "coord", "csrf": csrf}
        ) as resp:
            assert resp.status == 403


# -- Secure cookies by configuration ---------------------------------------------------


async def _login_cookie(app: App, host: str, origin: str | None) -> str:
    """The session cookie as set for a login through a proxy that forwards `Host: host`."""
    async with (
        serve(app) as base,
        # the client plays the browser behind https: it sends Secure cookies back
        ClientSession(cookie_jar=CookieJar(unsafe=True, treat_as_secure_origin=base)) as http,
    ):
        headers = {"Host": host}
        async with http.get(f"{base}/staff/login", headers=headers) as resp:
            token = csrf_of(await resp.text())
        if origin:
            headers["Origin"] = origin
        async with http.post(
            f"{base}/staff/login",
            allow_redirects=False,
            headers=headers,
            data={"username": "cons", "password": PASSWORD, "csrf": token},
        ) as resp:
            assert resp.status == 303, await resp.text()
            return next(
                c for c in resp.headers.getall("Set-Cookie") if c.startswith("qamqor_staff=")
            )


@pytest.mark.parametrize(
    ("public_url", "secure"),
    [("https://bot.example.kz", True), (None, True), ("http://127.0.0.1:8080", False)],
)
async def test_the_secure_flag_follows_the_public_url_not_the_host(
    tmp_path: Path, clock: FrozenClock, public_url: str | None, secure: bool
) -> None:
    settings = _settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path}/c.db", public_url=public_url)
    application = await App.create(settings, clock=clock)
    try:
        await application.staff.add_user("cons", PASSWORD, ["consultant"], clock.now())
        # nginx's default: the upstream's address as Host; the browser's Origin is public.
        cookie = await _login_cookie(
            application, "127.0.0.1:8080", public_url and public_url.rstrip("/")
        )
        assert ("Secure" in cookie) is secure
    finally:
        await application.close()


def test_a_plain_http_public_url_is_refused_outside_loopback(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="https"):
        _settings(tmp_path, "sqlite://", public_url="http://bot.example.kz")
    assert _settings(
        tmp_path, "sqlite://", public_url="https://bot.example.kz/"
    ).public_origin() == ("https://bot.example.kz")
