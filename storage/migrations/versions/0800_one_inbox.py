"""one inbox: WhatsApp's messages and polling's update ids move into the shared inbox

Revision ID: 0800
Revises: 0720
Create Date: 2026-12-04 16:20:00

WhatsApp's own inbox (`whatsapp_inbox`) is carried over row by row: the keyed hash of the
wamid stays the update key (a redelivery after the upgrade is still a no-op), the encrypted
payload is the same JSON. A migration has no key to compute a person's order key, so each
carried row is ordered on its own (its hash); rows not done are taken by the sweep. The ids
polling marked in `processed_updates` become done rows (no payload: nothing to run), so that
a redelivery of one of them stays a no-op.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.coltypes

revision: str = "0800"
down_revision: str | Sequence[str] | None = "0720"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

inbox = sa.table(
    "inbox",
    sa.column("channel", sa.String),
    sa.column("update_key", sa.String),
    sa.column("order_key", sa.String),
    sa.column("seq", sa.BigInteger),
    sa.column("payload_enc", sa.Text),
    sa.column("received_at", storage.coltypes.UtcDateTime()),
    sa.column("lease_until", storage.coltypes.UtcDateTime()),
    sa.column("attempts", sa.Integer),
    sa.column("done_at", storage.coltypes.UtcDateTime()),
    sa.column("snapshot_taken", sa.Boolean),
)
wa = sa.table(
    "whatsapp_inbox",
    sa.column("id", sa.Integer),
    sa.column("msg_hash", sa.String),
    sa.column("payload_enc", sa.Text),
    sa.column("received_at", storage.coltypes.UtcDateTime()),
    sa.column("claimed_at", storage.coltypes.UtcDateTime()),
    sa.column("attempts", sa.Integer),
    sa.column("done_at", storage.coltypes.UtcDateTime()),
)
processed = sa.table(
    "processed_updates",
    sa.column("channel", sa.String),
    sa.column("update_id", sa.String),
    sa.column("created_at", storage.coltypes.UtcDateTime()),
)
COLUMNS = [
    "channel",
    "update_key",
    "order_key",
    "seq",
    "payload_enc",
    "received_at",
    "lease_until",
    "attempts",
    "done_at",
    "snapshot_taken",
]


def upgrade() -> None:
    # Not done: no lease (the old process is gone), so the sweep takes them at once.
    op.execute(
        inbox.insert().from_select(
            COLUMNS,
            sa.select(
                sa.literal("whatsapp"),
                wa.c.msg_hash,
                wa.c.msg_hash,
                wa.c.id,
                wa.c.payload_enc,
                wa.c.received_at,
                sa.null(),
                wa.c.attempts,
                wa.c.done_at,
                sa.false(),
            ),
        )
    )
    mine = sa.select(sa.literal(1)).where(
        inbox.c.channel == processed.c.channel, inbox.c.update_key == processed.c.update_id
    )
    op.execute(
        inbox.insert().from_select(
            COLUMNS,
            sa.select(
                processed.c.channel,
                processed.c.update_id,
                sa.literal("carried-over"),
                sa.literal(0),
                sa.null(),
                processed.c.created_at,
                sa.null(),
                sa.literal(1),
                processed.c.created_at,
                sa.false(),
            ).where(~mine.exists()),
        )
    )
    op.execute(processed.delete())
    with op.batch_alter_table("whatsapp_inbox", schema=None) as batch_op:
        batch_op.drop_index("ix_whatsapp_inbox_pending")
    op.drop_table("whatsapp_inbox")


def downgrade() -> None:
    op.create_table(
        "whatsapp_inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("msg_hash", sa.String(length=64), nullable=False),
        sa.Column("payload_enc", sa.Text(), nullable=True),
        sa.Column("received_at", storage.coltypes.UtcDateTime(), nullable=False),
        sa.Column("claimed_at", storage.coltypes.UtcDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("done_at", storage.coltypes.UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_whatsapp_inbox")),
        sa.UniqueConstraint("msg_hash", name=op.f("uq_whatsapp_inbox_msg_hash")),
    )
    with op.batch_alter_table("whatsapp_inbox", schema=None) as batch_op:
        batch_op.create_index("ix_whatsapp_inbox_pending", ["done_at", "received_at"])
    op.execute(
        wa.insert().from_select(
            ["msg_hash", "payload_enc", "received_at", "attempts", "done_at"],
            sa.select(
                inbox.c.update_key,
                inbox.c.payload_enc,
                inbox.c.received_at,
                inbox.c.attempts,
                inbox.c.done_at,
            ).where(inbox.c.channel == "whatsapp"),
        )
    )
    op.execute(inbox.delete().where(inbox.c.channel == "whatsapp"))
