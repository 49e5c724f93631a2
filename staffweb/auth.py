"""Staff accounts: argon2 passwords, lockout, server-side sessions with CSRF tokens, audit."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update

from staffweb.models import AuditEvent, StaffSession, StaffUser
from storage.db import Database

ROLES = ("consultant", "coordinator", "specialist", "admin")
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
IDLE_TIMEOUT = timedelta(hours=2)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
MIN_PASSWORD = 10

_hasher = PasswordHasher()
# Verifying against a dummy hash when the user does not exist keeps timing the same.
_DUMMY_HASH = _hasher.hash("not-a-real-password-just-for-timing")


class AuthError(Exception):
    pass


class LockedOut(AuthError):
    pass


@dataclass(frozen=True, slots=True)
class Staff:
    id: int
    username: str
    roles: frozenset[str]
    csrf: str

    def may(self, *roles: str) -> bool:
        """Admins may do everything; others need one of the roles."""
        return "admin" in self.roles or bool(self.roles & set(roles))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_roles(roles: Iterable[str]) -> list[str]:
    roles = sorted(set(roles))
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise AuthError(f"roles must be among {', '.join(ROLES)}")
    return roles


class StaffAuth:
    def __init__(self, db: Database) -> None:
        self._db = db

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
        async with self._db.session() as s, s.begin():
            user = await s.scalar(select(StaffUser).where(StaffUser.username == username))
            if user is None:
                s.add(
                    StaffUser(
                        username=username,
                        password_hash=_hasher.hash(password),
                        roles=role_list,
                        active=True,
                        failed_logins=0,
                        created_at=now,
                    )
                )
            else:
                user.password_hash = _hasher.hash(password)
                user.roles = role_list
                user.active = True
                user.failed_logins = 0
                user.locked_until = None
                await s.execute(delete(StaffSession).where(StaffSession.staff_id == user.id))

    async def users(self) -> list[tuple[str, str, bool]]:
        async with self._db.session() as s:
            rows = (
                await s.execute(
                    select(StaffUser.username, StaffUser.roles, StaffUser.active).order_by(
                        StaffUser.username
                    )
                )
            ).all()
        return [(r.username, r.roles, r.active) for r in rows]

    async def login(self, username: str, password: str, now: datetime) -> str:
        """A session token for the cookie, or AuthError / LockedOut.

        Failures are committed before raising, so that the lockout counter really counts.
        """
        username = username.strip().lower()
        failure: AuthError | None = None
        token = secrets.token_urlsafe(32)
        async with self._db.session() as s, s.begin():
            user = await s.scalar(select(StaffUser).where(StaffUser.username == username))
            if user is None or not user.active:
                _verify(_DUMMY_HASH, password)
                failure = AuthError("wrong username or password")
            elif user.locked_until is not None and user.locked_until > now:
                failure = LockedOut("too many failed attempts; try again later")
            elif not _verify(user.password_hash, password):
                user.failed_logins += 1
                if user.failed_logins >= MAX_FAILURES:
                    user.locked_until = now + LOCKOUT
                    user.failed_logins = 0
                s.add(
                    AuditEvent(
                        at=now,
                        staff_id=user.id,
                        username=user.username,
                        action="login-failed",
                        subject="",
                    )
                )
                failure = AuthError("wrong username or password")
            else:
                user.failed_logins = 0
                user.locked_until = None
                if _hasher.check_needs_rehash(user.password_hash):
                    user.password_hash = _hasher.hash(password)
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
        if failure is not None:
            raise failure
        return token

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
            return Staff(user.id, user.username, frozenset(user.roles.split(",")), sess.csrf)

    async def logout(self, token: str | None) -> None:
        if token:
            async with self._db.session() as s, s.begin():
                await s.execute(
                    delete(StaffSession).where(StaffSession.token_hash == _token_hash(token))
                )

    async def audit(self, staff: Staff | None, action: str, subject: str, now: datetime) -> None:
        async with self._db.session() as s, s.begin():
            s.add(
                AuditEvent(
                    at=now,
                    staff_id=staff.id if staff else None,
                    username=staff.username if staff else "-",
                    action=action,
                    subject=subject[:128],
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
