"""registry: session format, feedback as bounded codes

Revision ID: 0400
Revises: 0200
Create Date: 2026-11-25 01:21:00.551962
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0400"
down_revision: str | Sequence[str] | None = "0200"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Feedback is answer codes only; anything that does not fit the bounded column was never
    # valid registry data and is dropped rather than truncated into something misleading.
    op.execute("UPDATE registry_contacts SET feedback = NULL WHERE length(feedback) > 255")
    with op.batch_alter_table("registry_contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("in_person", sa.Boolean(), nullable=True))
        batch_op.alter_column(
            "feedback",
            existing_type=sa.Text(),
            type_=sa.String(length=255),
            existing_nullable=True,
        )


def downgrade() -> None:
    with op.batch_alter_table("registry_contacts", schema=None) as batch_op:
        batch_op.alter_column(
            "feedback",
            existing_type=sa.String(length=255),
            type_=sa.Text(),
            existing_nullable=True,
        )
        batch_op.drop_column("in_person")
