"""index the outbox by person (erasure and retention cascade into it)

Revision ID: 0500
Revises: 0600
Create Date: 2026-11-25 02:35:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0500"
down_revision: str | Sequence[str] | None = "0600"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_person_id", ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_person_id")
