"""handoff cases: an unclaimed urgent case is escalated again and again (issue 15)

Revision ID: 0840
Revises: 0830
Create Date: 2026-12-06 18:40:00

`escalations` counts the alerts so far and `next_escalation_at` says when the next is due.
A case escalated before this revision counts one; one still queued and urgent is due again at
once, so that the first sweep after the upgrade takes it up.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.coltypes

revision: str = "0840"
down_revision: str | Sequence[str] | None = "0830"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("handoff_cases") as batch:
        batch.add_column(sa.Column("escalations", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(
            sa.Column("next_escalation_at", storage.coltypes.UtcDateTime(), nullable=True)
        )
    cases = sa.table(
        "handoff_cases",
        sa.column("escalations", sa.Integer),
        sa.column("escalated_at", storage.coltypes.UtcDateTime()),
        sa.column("next_escalation_at", storage.coltypes.UtcDateTime()),
        sa.column("state", sa.String),
        sa.column("urgent", sa.Boolean),
    )
    escalated = cases.c.escalated_at.is_not(None)
    op.execute(cases.update().where(escalated).values(escalations=1))
    op.execute(
        cases.update()
        .where(escalated, cases.c.state == "queued", cases.c.urgent.is_(True))
        .values(next_escalation_at=cases.c.escalated_at)
    )


def downgrade() -> None:
    with op.batch_alter_table("handoff_cases") as batch:
        batch.drop_column("next_escalation_at")
        batch.drop_column("escalations")
