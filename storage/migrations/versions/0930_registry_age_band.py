"""the writer's age band on the anonymous registry row (issue 17)

Revision ID: 0930
Revises: 0920
Create Date: 2026-12-07 01:40:00

`age_band` is a code of registry.vocabulary.AGE_BANDS (child, young, adult), from what the
conversation told (nlu/age.py, or the young person's and parents' paths); NULL is unknown, as
for every row from before this revision. A band, never an age: the row stays anonymous.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0930"
down_revision: str | Sequence[str] | None = "0920"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild on SQLite, as in 0910).
    op.add_column("registry_contacts", sa.Column("age_band", sa.String(8), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE registry_contacts DROP COLUMN age_band")
