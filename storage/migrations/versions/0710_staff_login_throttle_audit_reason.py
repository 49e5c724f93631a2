"""staff login throttle, audit reason

Revision ID: 0710
Revises: 0500
Create Date: 2026-12-03 15:20:00.000000

Failed logins are counted per address and per username in their own table (one atomic
upsert an attempt); the audit log gets the reason a coordinator gives for opening a closed
case. Old rows carry over unchanged (staff_users.failed_logins / locked_until stay, unused).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.coltypes

revision: str = "0710"
down_revision: str | Sequence[str] | None = "0500"  # the chain's head (0500 follows 0600)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_login_throttle",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("until", storage.coltypes.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_staff_login_throttle")),
    )
    with op.batch_alter_table("staff_login_throttle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_login_throttle_until"), ["until"], unique=False)
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("reason")
    with op.batch_alter_table("staff_login_throttle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_login_throttle_until"))
    op.drop_table("staff_login_throttle")
