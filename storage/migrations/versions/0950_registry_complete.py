"""the registry answers the grant report's questions (issue 19)

Revision ID: 0950
Revises: 0940
Create Date: 2026-12-07 10:00:00

New code columns of the anonymous registry row: `violence` (kinds named in the victim path),
`sex` and `demographics` (the optional question after the feedback), `new_in` (whether the
person wrote before, by calendar unit, to count distinct people without linking rows).
Every row from before this revision has them NULL (not known).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0950"
down_revision: str | Sequence[str] | None = "0940"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (("violence", 64), ("sex", 8), ("demographics", 8), ("new_in", 8))


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild on SQLite, as in 0910 and 0930).
    for name, length in COLUMNS:
        op.add_column("registry_contacts", sa.Column(name, sa.String(length), nullable=True))


def downgrade() -> None:
    for name, _ in reversed(COLUMNS):
        op.execute(f"ALTER TABLE registry_contacts DROP COLUMN {name}")
