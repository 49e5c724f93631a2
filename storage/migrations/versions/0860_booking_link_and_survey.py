"""bookings: the online-session link sent, and the survey after the session once (issue 15)

Revision ID: 0860
Revises: 0850
Create Date: 2026-12-06 21:00:00

`link_sent_at` and `link_sends` record that a specialist sent the person the link to an
online session (the link itself is not kept). The survey after a session becomes a row of
`booking_reminders` with `hours_before = 0`, due at the session's end; its unique
(booking, hours_before) sends it once. A session marked attended before this revision had its
survey already (it was sent at the click), so it gets a row marked sent: no second copy.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.coltypes

revision: str = "0860"
down_revision: str | Sequence[str] | None = "0850"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("booking_bookings") as batch:
        batch.add_column(sa.Column("link_sent_at", storage.coltypes.UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("link_sends", sa.Integer(), server_default="0", nullable=False))
    bookings = sa.table(
        "booking_bookings",
        sa.column("id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("ends_at", storage.coltypes.UtcDateTime()),
    )
    reminders = sa.table(
        "booking_reminders",
        sa.column("booking_id", sa.Integer),
        sa.column("hours_before", sa.Integer),
        sa.column("due_at", storage.coltypes.UtcDateTime()),
        sa.column("status", sa.String),
        sa.column("sent_at", storage.coltypes.UtcDateTime()),
    )
    op.execute(
        reminders.insert().from_select(
            ["booking_id", "hours_before", "due_at", "status", "sent_at"],
            sa.select(
                bookings.c.id,
                sa.literal(0),
                bookings.c.ends_at,
                sa.literal("sent"),
                bookings.c.ends_at,
            ).where(bookings.c.status == "attended"),
        )
    )


def downgrade() -> None:
    reminders = sa.table("booking_reminders", sa.column("hours_before", sa.Integer))
    op.execute(reminders.delete().where(reminders.c.hours_before == 0))
    # A plain DROP COLUMN, not batch mode: on SQLite a batch copies the table and drops the
    # old one, and with foreign keys on, that drop would cascade to every booking's claims and
    # reminders. SQLite has DROP COLUMN since 3.35, PostgreSQL always.
    op.execute("ALTER TABLE booking_bookings DROP COLUMN link_sends")
    op.execute("ALTER TABLE booking_bookings DROP COLUMN link_sent_at")
