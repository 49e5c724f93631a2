"""Engine, sessions and migrations. SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import ast
import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, Result, ScalarResult, make_url
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.sql.base import Executable

from storage.pool import UrgentFirstPool
from storage.sqlite_writer import WriterGate

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# A pooled PostgreSQL connection idle for longer than this is pinged before it is handed out;
# one back from use sooner is not (see `_ping_if_idle`).
PING_IDLE_S = 5.0
RECYCLE_S = 1800  # and none is kept longer than this


def normalise_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, sqlite://, ...) and pick async drivers."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif parsed.drivername == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets readers and the writer work together; foreign keys make erasure cascade;
    # busy_timeout turns a momentary lock into a short wait instead of an error.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _mark_idle(_dbapi_conn: Any, record: ConnectionPoolEntry) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(idle_s: float) -> Any:
    """A checkout listener in place of `pool_pre_ping`, which pinged on every checkout: three
    round trips on asyncpg (BEGIN, `;`, ROLLBACK), some twenty an urgent turn, each waiting
    behind a burst's loop lag (docs/benchmarks.md, session 10). A connection back from use
    within `idle_s` is handed out as it is; should the server have dropped it meanwhile, the
    statement that finds it fails (a storage error: the turn answers with the phone lines and
    is retried, as for any outage) and SQLAlchemy replaces every connection of the pool on
    its next checkout. One idle longer is pinged first, and replaced if the ping fails."""

    def check(dbapi_conn: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < idle_s:
            return  # just connected, or used a moment ago
        try:
            dbapi_conn.ping()
        except Exception as exc:
            raise DisconnectionError("a pooled connection did not answer its ping") from exc

    return check


class Tx(Protocol):
    """What a transaction's body uses: an AsyncConnection, or on SQLite `_Blocking`."""

    async def execute(self, statement: Executable, parameters: Any = None) -> Result[Any]: ...

    async def scalar(self, statement: Executable, parameters: Any = None) -> Any: ...

    async def scalars(self, statement: Executable, parameters: Any = None) -> ScalarResult[Any]: ...


class _Blocking:
    """A plain SQLAlchemy connection behind the async methods a transaction body awaits."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def execute(self, statement: Executable, parameters: Any = None) -> Result[Any]:
        return self._conn.execute(statement, parameters)

    async def scalar(self, statement: Executable, parameters: Any = None) -> Any:
        return self._conn.scalar(statement, parameters)

    async def scalars(self, statement: Executable, parameters: Any = None) -> ScalarResult[Any]:
        return self._conn.scalars(statement, parameters)


class Database:
    def __init__(self, url: str, *, echo: bool = False, ping_idle_s: float = PING_IDLE_S) -> None:
        self.url = normalise_url(url)
        parsed = make_url(self.url)
        self.dialect = parsed.get_backend_name()
        kwargs: dict[str, Any] = {"echo": echo}
        if self.dialect == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 10}
        else:
            # Bounded waits everywhere: a database that is gone must fail fast (the bot then
            # answers with the phone lines) rather than hang a person's conversation.
            kwargs.update(
                pool_size=10,
                max_overflow=20,
                pool_recycle=RECYCLE_S,
                pool_timeout=5,
                poolclass=UrgentFirstPool,  # urgent work's checkouts first (storage/pool.py)
                connect_args={"timeout": 5, "command_timeout": 15},
            )
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        self._blocking: Engine | None = None
        if self.dialect != "sqlite":
            event.listen(self.engine.sync_engine.pool, "checkin", _mark_idle)
            event.listen(self.engine.sync_engine.pool, "checkout", _ping_if_idle(ping_idle_s))
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            self._gate = WriterGate(self.engine.sync_engine)
            if parsed.database and parsed.database != ":memory:":
                # The same file through the plain driver, for `transaction()` (see there).
                self._blocking = create_engine(
                    parsed.set(drivername="sqlite+pysqlite"), connect_args={"timeout": 10}
                )
                event.listen(self._blocking, "connect", _sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> AsyncSession:
        return self.sessions()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """One Core transaction: what a turn writes goes in together (one round of BEGIN/COMMIT,
        no ORM unit of work), committed on success and rolled back on any error.

        On SQLite it runs on the plain driver, in the event loop's own thread, once it is the
        writer's turn. Through aiosqlite every statement is three or four hops to a thread and
        back, each waiting for a busy event loop, and SQLite's one writer held its lock for all
        of them (~5 ms a transaction, the ceiling of the whole bot: docs/benchmarks.md); a
        transaction of a few small statements takes well under a millisecond in place. The
        body must not wait on anything but this connection (none does: it builds its writes
        first)."""
        if self._blocking is None:
            async with self.engine.begin() as conn:
                yield conn
            return
        gate = await self._gate.hold()
        try:
            with self._blocking.begin() as sync_conn:
                yield _Blocking(sync_conn)
        finally:
            gate.release()

    async def upgrade(self, revision: str = "head") -> None:
        """Apply Alembic migrations over this engine's own connection. A database already at
        the head is left alone without importing Alembic (~10 MB a process never needs again)."""
        if revision == "head" and await self.at_head():
            return
        from alembic import command

        cfg = alembic_config(self.url)

        def run(sync_conn: Connection) -> None:
            cfg.attributes["connection"] = sync_conn
            command.upgrade(cfg, revision)

        async with self.engine.begin() as conn:
            await conn.run_sync(run)

    async def at_head(self) -> bool:
        """Whether the database's revisions are the migrations' heads (False when unsure)."""
        heads = migration_heads()
        if not heads:
            return False
        try:
            async with self.engine.connect() as conn:
                rows = await conn.execute(text("SELECT version_num FROM alembic_version"))
                return {row[0] for row in rows} == heads
        except SQLAlchemyError:  # no version table yet
            return False

    async def ping(self, timeout: float = 2.0) -> bool:  # noqa: ASYNC109 - a bound, not a deadline
        try:
            async with asyncio.timeout(timeout), self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._blocking is not None:
            self._blocking.dispose()


def migration_heads(versions: Path = MIGRATIONS / "versions") -> frozenset[str]:
    """The head revisions, read off the migration files' `revision` and `down_revision`
    literals as Alembic does (tests compare with Alembic). Empty if a file is not read so."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions.glob("*.py"):
        found: dict[str, Any] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.AnnAssign | ast.Assign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                for name in {"revision", "down_revision"} & set(names):
                    if node.value is None:
                        return frozenset()
                    try:
                        found[name] = ast.literal_eval(node.value)
                    except ValueError:
                        return frozenset()
        if not isinstance(found.get("revision"), str):
            return frozenset()
        revisions.add(found["revision"])
        down = found.get("down_revision")
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list):
            parents.update(down)
        elif down is not None:
            return frozenset()
    return frozenset(revisions - parents)


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg
