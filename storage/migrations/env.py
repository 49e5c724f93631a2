"""Alembic environment: runs over a connection handed in by storage.db, or opens one."""

from __future__ import annotations

import asyncio
import importlib

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from storage.models import Base

config = context.config
# The tables of every layer, for autogenerate: storage cannot import the packages above it, so
# alembic.ini names the module that imports them all (bot/models.py). The bot's own upgrade
# (storage/db.py) needs no metadata; its tables are imported by then anyway.
if models_module := config.get_main_option("qamqor_models"):
    importlib.import_module(models_module)
target_metadata = Base.metadata
# Several bot processes may start together against one PostgreSQL: one migrates, others wait.
_PG_MIGRATION_LOCK = 72_430_150


def do_run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})"))
        context.run_migrations()


async def run_async_migrations() -> None:
    engine = create_async_engine(config.get_main_option("sqlalchemy.url") or "")
    async with engine.connect() as connection:
        await connection.run_sync(do_run_migrations)
        await connection.commit()
    await engine.dispose()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    connection = config.attributes.get("connection")
    if connection is None:
        asyncio.run(run_async_migrations())
    else:
        do_run_migrations(connection)
