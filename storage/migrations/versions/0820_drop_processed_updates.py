"""drop processed_updates: polling's update ids live in the inbox since 0800

Revision ID: 0820
Revises: 0810
Create Date: 2026-12-04 22:30:00

0800 carried the table's rows into the inbox and emptied it; nothing has read or written it
since. An id a polling process of the previous release still marked after 0800 (a rolling
restart) is carried over once more, as 0800 did, so that its redelivery stays a no-op. The
downgrade recreates the table empty: the ids stay in the inbox, where the code reads them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.coltypes

revision: str = "0820"
down_revision: str | Sequence[str] | None = "0810"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

inbox = sa.table(
    "inbox",
    sa.column("channel", sa.String),
    sa.column("update_key", sa.String),
    sa.column("order_key", sa.String),
    sa.column("seq", sa.BigInteger),
    sa.column("received_at", storage.coltypes.UtcDateTime()),
    sa.column("attempts", sa.Integer),
    sa.column("done_at", storage.coltypes.UtcDateTime()),
    sa.column("snapshot_taken", sa.Boolean),
)
processed = sa.table(
    "processed_updates",
    sa.column("channel", sa.String),
    sa.column("update_id", sa.String),
    sa.column("created_at", storage.coltypes.UtcDateTime()),
)


def upgrade() -> None:
    # As in 0800: a done row without a payload, unless the inbox already has the update.
    known = sa.select(sa.literal(1)).where(
        inbox.c.channel == processed.c.channel, inbox.c.update_key == processed.c.update_id
    )
    op.execute(
        inbox.insert().from_select(
            [
                "channel",
                "update_key",
                "order_key",
                "seq",
                "received_at",
                "attempts",
                "done_at",
                "snapshot_taken",
            ],
            sa.select(
                processed.c.channel,
                processed.c.update_id,
                sa.literal("carried-over"),
                sa.literal(0),
                processed.c.created_at,
                sa.literal(1),
                processed.c.created_at,
                sa.false(),
            ).where(~known.exists()),
        )
    )
    with op.batch_alter_table("processed_updates", schema=None) as batch_op:
        batch_op.drop_index("ix_processed_updates_created_at")
    op.drop_table("processed_updates")


def downgrade() -> None:
    # The table as 0001 created it (constraint and index names included), empty.
    op.create_table(
        "processed_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("update_id", sa.String(length=128), nullable=False),
        sa.Column("done", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", storage.coltypes.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processed_updates")),
        sa.UniqueConstraint("channel", "update_id", name=op.f("uq_processed_updates_channel")),
    )
    with op.batch_alter_table("processed_updates", schema=None) as batch_op:
        batch_op.create_index("ix_processed_updates_created_at", ["created_at"], unique=False)
