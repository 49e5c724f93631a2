"""his written consent to confirming attendance, on the course (issue 16)

Revision ID: 0920
Revises: 0910
Create Date: 2026-12-07 01:10:00

A man sent by police or a court may want the service to confirm that he attends. The service
gives that only with his written consent (docs/aggressor-programme.md): the course records when
staff took it and who, and the confirmation page is refused without it. Nullable: courses from
before this revision have no consent recorded, which is the safe reading.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.coltypes

revision: str = "0920"
down_revision: str | Sequence[str] | None = "0910"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, not batch mode: a batch rebuild on SQLite drops the table, and with
    # foreign keys on that would cascade (as 0900 explains).
    op.add_column(
        "programme_courses",
        sa.Column("confirm_consent_at", storage.coltypes.UtcDateTime(), nullable=True),
    )
    op.add_column(
        "programme_courses", sa.Column("confirm_consent_by", sa.String(64), nullable=True)
    )


def downgrade() -> None:
    op.execute("ALTER TABLE programme_courses DROP COLUMN confirm_consent_by")
    op.execute("ALTER TABLE programme_courses DROP COLUMN confirm_consent_at")
