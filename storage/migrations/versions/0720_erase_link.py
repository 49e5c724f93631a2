"""consultants' Telegram accounts linked to staff accounts (one-time codes)

Revision ID: 0720
Revises: 0730
Create Date: 2026-12-03 15:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.coltypes

revision: str = "0720"
down_revision: str | Sequence[str] | None = "0730"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "handoff_telegram_links",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("tg_hash", sa.String(length=64), nullable=False),
        sa.Column("linked_at", storage.coltypes.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_users.id"],
            name=op.f("fk_handoff_telegram_links_staff_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_handoff_telegram_links")),
        sa.UniqueConstraint("tg_hash", name=op.f("uq_handoff_telegram_links_tg_hash")),
    )
    op.create_table(
        "handoff_link_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", storage.coltypes.UtcDateTime(), nullable=False),
        sa.Column("expires_at", storage.coltypes.UtcDateTime(), nullable=False),
        sa.Column("used_at", storage.coltypes.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_users.id"],
            name=op.f("fk_handoff_link_codes_staff_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_link_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_handoff_link_codes_code_hash")),
    )
    with op.batch_alter_table("handoff_link_codes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handoff_link_codes_staff_id"), ["staff_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("handoff_link_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handoff_link_codes_staff_id"))
    op.drop_table("handoff_link_codes")
    op.drop_table("handoff_telegram_links")
