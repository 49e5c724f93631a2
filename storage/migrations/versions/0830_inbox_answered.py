"""inbox: whether a turn's replies were queued before its handoff (answered first)

Revision ID: 0830
Revises: 0820
Create Date: 2026-12-06 18:20:00

A turn that hands off now queues its replies (the phone numbers first) in its own
transaction, before the case is opened, and marks its update answered there; a re-run after
a crash in the handoff queues them never again. Rows stored before this revision were never
answered that way: false.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0830"
down_revision: str | Sequence[str] | None = "0820"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbox") as batch:
        batch.add_column(
            sa.Column("answered", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("inbox") as batch:
        batch.drop_column("answered")
