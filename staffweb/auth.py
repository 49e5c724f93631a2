"""Staff accounts: argon2 passwords, login throttling and lockout, server-side sessions with
CSRF tokens, audit.

Logins must never stall the bot: argon2 costs ~130 ms of CPU a check, so every hash and
verification runs in a one-thread pool (argon2-cffi releases the GIL), with a short queue
beyond which a login is refused at once. Failed logins are counted per address and per
username in the database, each count one atomic upsert taken *before* the password is
checked: parallel guesses cannot all slip past the limit, and an address over its budget is
refused without hashing anything. Unknown usernames are counted exactly like real ones, so
the answers (status, text, timing class) never tell which accounts exist.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from staffweb.models import AuditEvent, LoginThrottle, StaffSession, StaffUser
from storage.coltypes import UtcDateTime
from storage.db import Database

ROLES = ("consultant", "coordinator", "specialist", "admin")
# An address gets ADDRESS_FAILURES attempts a window, fewer than an account's
# ACCOUNT_FAILURES: one attacker address is throttled before it can lock a consultant out.
ADDRESS_FAILURES = 5
ACCOUNT_FAILURES = 10
LOCKOUT = timedelta(minutes=15)  # the window, and how long a reached limit holds
IDLE_TIMEOUT = timedelta(hours=2)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
MIN_PASSWORD = 10
# Password checks waiting for the pool beyond this are refused at once (429): a flood of
# logins from many addresses queues here instead of in the event loop.
MAX_PENDING_CHECKS = 8

_hasher = PasswordHasher()
# Verifying against a dummy hash when the user does not exist keeps timing the same.
_DUMMY_HASH = _hasher.hash("not-a-real-password-just-for-timing")
# One pool per process, one thread: one argon2 computation at a time, whatever the number
# of apps or requests; the event loop only awaits it. One thread, not two: argon2 itself runs
# its 4 lanes in parallel threads, and on a small machine a second check in parallel took
# the CPU the bot needed (docs/benchmarks.md, "A login flood").
_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="argon2")
_BLOCKED_MEMO = 4096  # addresses remembered as throttled in this process (skips the database)


class AuthError(Exception):
    pass


class LockedOut(AuthError):
    """Too many failures for this address or this username: the same answer for both."""


class Busy(AuthError):
    """Too many password checks already waiting: try again in a moment."""


@dataclass(frozen=True, slots=True)
class Staff:
    id: int
    username: str
    roles: frozenset[str]
    csrf: str
    lang: str = "ru"  # the staff pages' language for this person (ru or kk)

    def may(self, *roles: str) -> bool:
        """Admins may do everything; others need one of the roles."""
        return "admin" in self.roles or bool(self.roles & set(roles))


@dataclass(frozen=True, slots=True)
class StaffAccount:
    username: str
    roles: str
    active: bool
    locked: bool


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _key(kind: str, value: str) -> str:
    """Throttle rows are keyed by a hash: no staff address or typed username in clear."""
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def account_key(username: str) -> str:
    return _key("user", username.strip().lower()[:64])


def address_key(address: str) -> str:
    return _key("addr", address)


def check_roles(roles: Iterable[str]) -> list[str]:
    roles = sorted(set(roles))
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise AuthError(f"roles must be among {', '.join(ROLES)}")
    return roles


class StaffAuth:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._pending = 0  # password checks queued or running in the pool (this event loop)
        self._blocked: dict[str, datetime] = {}  # address key -> throttled until

    # -- the pool -----------------------------------------------------------------------

    async def _in_pool(self, fn: Any, *args: Any) -> Any:
        if self._pending >= MAX_PENDING_CHECKS:
            raise Busy("too many logins at once; try again in a minute")
        self._pending += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(_POOL, fn, *args)
        finally:
            self._pending -= 1

    async def _hash(self, password: str) -> str:
        hashed: str = await asyncio.get_running_loop().run_in_executor(
            _POOL, _hasher.hash, password
        )
        return hashed

    # -- accounts -----------------------------------------------------------------------

    async def add_user(
        self, username: str, password: str, roles: Iterable[str], now: datetime
    ) -> None:
        """Create an account, or reset the password and roles of an existing one."""
        username = username.strip().lower()
        if not username or len(username) > 64:
            raise AuthError("username must be 1 to 64 characters")
        if len(password) < MIN_PASSWORD:
            raise AuthError(f"password must be at least {MIN_PASSWORD} characters")
        role_list = ",".join(check_roles(roles))
        hashed = await self._hash(password)
        async with self._db.session() as s, s.begin():
            user = await s.scalar(select(StaffUser).where(StaffUser.username == username))
            if user is None:
                s.add(
                    StaffUser(
                        username=username,
                        password_hash=hashed,
                        roles=role_list,
                        active=True,
                        failed_logins=0,
                        created_at=now,
                    )
                )
            else:
                user.password_hash = hashed
                user.roles = role_list
                user.active = True
                await s.execute(delete(StaffSession).where(StaffSession.staff_id == user.id))
            await s.execute(delete(LoginThrottle).where(LoginThrottle.key == account_key(username)))

    async def users(self) -> list[tuple[str, str, bool]]:
        return [(a.username, a.roles, a.active) for a in await self.accounts(None)]

    async def accounts(self, now: datetime | None) -> list[StaffAccount]:
        """Every account, and whether its logins are locked now."""
        async with self._db.session() as s:
            rows = (
                await s.execute(
                    select(StaffUser.username, StaffUser.roles, StaffUser.active).order_by(
                        StaffUser.username
                    )
                )
            ).all()
            locked: set[str] = set()
            if now is not None and rows:
                keys = {account_key(r.username): r.username for r in rows}
                hits = await s.scalars(
                    select(LoginThrottle.key).where(
                        LoginThrottle.key.in_(list(keys)),
                        LoginThrottle.failures >= ACCOUNT_FAILURES,  # the next one is refused
                        LoginThrottle.until > now,
                    )
                )
                locked = {keys[k] for k in hits}
        return [StaffAccount(r.username, r.roles, r.active, r.username in locked) for r in rows]

    async def unlock(self, username: str, by: Staff, now: datetime) -> bool:
        """Clear an account's failure count (a coordinator's button); audited."""
        username = username.strip().lower()
        async with self._db.session() as s, s.begin():
            roles = await s.scalar(select(StaffUser.roles).where(StaffUser.username == username))
            if roles is None or ("admin" in roles.split(",") and not by.may("admin")):
                return False  # only admins may unlock an admin
            await s.execute(delete(LoginThrottle).where(LoginThrottle.key == account_key(username)))
            s.add(
                AuditEvent(
                    at=now,
                    staff_id=by.id,
                    username=by.username,
                    action="staff-unlock",
                    subject=username,
                )
            )
        return True

    # -- logging in ---------------------------------------------------------------------

    async def _count(
        self, s: AsyncSession, key: str, limit: int, now: datetime
    ) -> tuple[int, datetime]:
        """One more attempt on `key`, atomically: (attempts in the window, window end).

        A single upsert, so parallel attempts each see their own count. The window restarts
        once it has ended; the attempt that reaches the limit holds it for LOCKOUT from now.
        """
        t = LoginThrottle
        ended = t.until <= now
        held = literal(now + LOCKOUT, UtcDateTime())
        insert = (postgresql if self._db.dialect == "postgresql" else sqlite).insert(t)
        stmt = (
            insert.values(key=key, failures=1, until=now + LOCKOUT)
            .on_conflict_do_update(
                index_elements=[t.key],
                set_={
                    "failures": case((ended, 1), else_=t.failures + 1),
                    "until": case(
                        (ended, held),
                        (t.failures + 1 == limit, held),
                        else_=t.until,
                    ),
                },
            )
            .returning(t.failures, t.until)
        )
        row = (await s.execute(stmt)).one()
        return int(row.failures), row.until

    def _memo_blocked(self, key: str, now: datetime) -> bool:
        until = self._blocked.get(key)
        if until is None:
            return False
        if until > now:
            return True
        del self._blocked[key]
        return False

    def _remember_blocked(self, key: str, until: datetime) -> None:
        if len(self._blocked) >= _BLOCKED_MEMO:
            self._blocked.clear()  # a crude bound; the database still knows
        self._blocked[key] = until

    async def login(self, username: str, password: str, now: datetime, address: str = "-") -> str:
        """A session token for the cookie, or AuthError / LockedOut / Busy.

        The attempt is counted (address, then username) and committed before the password is
        checked; a correct password then takes its attempt back from the address and clears
        the username's count. An attempt from an address over its budget is not counted
        against the username, so one address cannot lock an account.
        """
        username = username.strip().lower()
        addr = address_key(address)
        if self._memo_blocked(addr, now):
            raise LockedOut("too many failed attempts; try again later")
        user = None
        async with self._db.session() as s, s.begin():
            addr_tries, addr_until = await self._count(s, addr, ADDRESS_FAILURES, now)
            locked = addr_tries > ADDRESS_FAILURES
            if not locked:
                tries, _ = await self._count(s, account_key(username), ACCOUNT_FAILURES, now)
                locked = tries > ACCOUNT_FAILURES
            if not locked:
                user = await s.scalar(select(StaffUser).where(StaffUser.username == username))
        if locked:
            if addr_tries > ADDRESS_FAILURES:
                self._remember_blocked(addr, addr_until)
            raise LockedOut("too many failed attempts; try again later")
        real = user is not None and user.active
        hashed = user.password_hash if real and user is not None else _DUMMY_HASH
        # Busy (the pool's queue is full) leaves the attempt counted: under a flood every
        # attempt costs its budget, checked or not.
        ok = bool(await self._in_pool(_verify, hashed, password)) and real
        if not ok or user is None:
            if real and user is not None:
                await self.audit(
                    Staff(user.id, user.username, frozenset(), ""), "login-failed", "", now
                )
            raise AuthError("wrong username or password")
        rehash = _hasher.check_needs_rehash(user.password_hash)
        new_hash = await self._hash(password) if rehash else None
        token = secrets.token_urlsafe(32)
        async with self._db.session() as s, s.begin():
            await self._take_back(s, addr)
            await s.execute(
                delete(LoginThrottle).where(
                    (LoginThrottle.key == account_key(username)) | (LoginThrottle.until <= now)
                )
            )
            if new_hash is not None:
                await s.execute(
                    update(StaffUser).where(StaffUser.id == user.id).values(password_hash=new_hash)
                )
            s.add(
                StaffSession(
                    token_hash=_token_hash(token),
                    staff_id=user.id,
                    csrf=secrets.token_urlsafe(24),
                    created_at=now,
                    last_seen_at=now,
                )
            )
            s.add(
                AuditEvent(
                    at=now, staff_id=user.id, username=user.username, action="login", subject=""
                )
            )
        return token

    async def _take_back(self, s: AsyncSession, key: str) -> None:
        await s.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == key, LoginThrottle.failures > 0)
            .values(failures=LoginThrottle.failures - 1)
        )

    # -- sessions -----------------------------------------------------------------------

    async def session(self, token: str | None, now: datetime) -> Staff | None:
        if not token or len(token) > 128:
            return None
        key = _token_hash(token)
        async with self._db.session() as s, s.begin():
            row = (
                await s.execute(
                    select(StaffSession, StaffUser)
                    .join(StaffUser, StaffUser.id == StaffSession.staff_id)
                    .where(StaffSession.token_hash == key)
                )
            ).first()
            if row is None:
                return None
            sess, user = row
            expired = (
                now - sess.last_seen_at > IDLE_TIMEOUT
                or now - sess.created_at > ABSOLUTE_TIMEOUT
                or not user.active
            )
            if expired:
                await s.execute(delete(StaffSession).where(StaffSession.token_hash == key))
                return None
            if now - sess.last_seen_at > timedelta(minutes=1):  # don't write on every request
                await s.execute(
                    update(StaffSession)
                    .where(StaffSession.token_hash == key)
                    .values(last_seen_at=now)
                )
            roles = frozenset(user.roles.split(","))
            return Staff(user.id, user.username, roles, sess.csrf, user.lang or "ru")

    async def set_lang(self, staff: Staff, lang: str) -> None:
        """Remember the language this staff member reads the staff pages in."""
        async with self._db.session() as s, s.begin():
            await s.execute(update(StaffUser).where(StaffUser.id == staff.id).values(lang=lang))

    async def logout(self, token: str | None) -> None:
        if token:
            async with self._db.session() as s, s.begin():
                await s.execute(
                    delete(StaffSession).where(StaffSession.token_hash == _token_hash(token))
                )

    async def audit(
        self,
        staff: Staff | None,
        action: str,
        subject: str,
        now: datetime,
        *,
        reason: str | None = None,
    ) -> None:
        async with self._db.session() as s, s.begin():
            s.add(
                AuditEvent(
                    at=now,
                    staff_id=staff.id if staff else None,
                    username=staff.username if staff else "-",
                    action=action,
                    subject=subject[:128],
                    reason=reason[:1000] if reason else None,
                )
            )

    async def audit_log(self, limit: int = 500) -> list[AuditEvent]:
        async with self._db.session() as s:
            return list(
                (
                    await s.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit))
                ).scalars()
            )


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False
