"""targets of the grant report: plan against actual (issue 19)

Revision ID: 0960
Revises: 0950
Create Date: 2026-12-07 09:45:00

One row per indicator and period (reports/models.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.coltypes import UtcDateTime

revision: str = "0960"
down_revision: str | Sequence[str] | None = "0950"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_targets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("indicator", sa.String(48), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.String(64), nullable=False),
        sa.Column("set_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("indicator", "first_day", "last_day"),
    )


def downgrade() -> None:
    op.drop_table("report_targets")
