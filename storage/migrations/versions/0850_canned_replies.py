"""canned replies coordinators edit, in both languages (issue 15)

Revision ID: 0850
Revises: 0840
Create Date: 2026-12-06 21:00:00

The table starts empty: the first read seeds the three replies the console always had, from
the Fluent texts (handoff/canned.py), so that their words stay in one place, the .ftl files.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.coltypes

revision: str = "0850"
down_revision: str | Sequence[str] | None = "0840"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "canned_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title_ru", sa.String(length=60), nullable=False),
        sa.Column("title_kk", sa.String(length=60), nullable=False),
        sa.Column("text_ru", sa.Text(), nullable=False),
        sa.Column("text_kk", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("seed", sa.String(length=32), nullable=True),
        sa.Column("updated_at", storage.coltypes.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_replies")),
        sa.UniqueConstraint("seed", name=op.f("uq_canned_replies_seed")),
    )


def downgrade() -> None:
    op.drop_table("canned_replies")
