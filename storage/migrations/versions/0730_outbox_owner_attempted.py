"""outbox: the owner of a sending row and when its message was attempted

Revision ID: 0730
Revises: 0710
Create Date: 2026-12-03 15:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.coltypes

revision: str = "0730"
down_revision: str | Sequence[str] | None = "0710"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Rows already "sending" keep no owner: they are taken over once their lease lapses.
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("owner", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("attempted_at", storage.coltypes.UtcDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("attempted_at")
        batch.drop_column("owner")
