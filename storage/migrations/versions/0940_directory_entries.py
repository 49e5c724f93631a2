"""the live directory of help contacts (issue 18)

Revision ID: 0940
Revises: 0930
Create Date: 2026-12-07 05:30:00

One row per entry (contacts/models.py), seeded from dialogues/data/contacts.yaml (or
QAMQOR_CONTACTS_FILE) on the first start with an empty table. No address column, by design.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.coltypes import UtcDateTime

revision: str = "0940"
down_revision: str | Sequence[str] | None = "0930"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "directory_entries",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("name_ru", sa.Text(), nullable=False),
        sa.Column("name_kk", sa.Text(), nullable=False),
        sa.Column("line_ru", sa.Text(), nullable=False),
        sa.Column("line_kk", sa.Text(), nullable=False),
        sa.Column("phones", sa.JSON(), nullable=False),
        sa.Column("whatsapp", sa.String(16), nullable=False),
        sa.Column("website", sa.Text(), nullable=False),
        sa.Column("hours_ru", sa.Text(), nullable=False),
        sa.Column("hours_kk", sa.Text(), nullable=False),
        sa.Column("free", sa.String(8), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("shelter", sa.String(8), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("last_seen", sa.String(32), nullable=False),
        sa.Column("confidence", sa.String(16), nullable=False),
        sa.Column("verified_at", UtcDateTime(), nullable=True),
        sa.Column("verified_by", sa.Text(), nullable=True),
        sa.Column("verified_how", sa.String(16), nullable=True),
        sa.Column("verified_source", sa.Text(), nullable=True),
        sa.Column("due_at", UtcDateTime(), nullable=True),
        sa.Column("retired_at", UtcDateTime(), nullable=True),
        sa.Column("retired_by", sa.String(64), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_directory_entries_region", "directory_entries", ["region"])


def downgrade() -> None:
    op.drop_index("ix_directory_entries_region", table_name="directory_entries")
    op.drop_table("directory_entries")
