"""who referred a person to the aggressor programme, on the booking and the registry (issue 16)

Revision ID: 0910
Revises: 0900
Create Date: 2026-12-06 21:10:00

`referral` is a code of registry.vocabulary.REFERRALS (self, line 150, police, court, crisis
centre, partner or family, other), asked in the chat before booking and skippable, so it is
nullable: bookings and contacts from before this revision simply have none. `intake_enc` on a
booking holds what the first conversation noted for the specialist (codes of INTAKE_NOTES,
e.g. that drinking is part of it), encrypted like the pseudonym because it is health and risk
data about a person.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0910"
down_revision: str | Sequence[str] | None = "0900"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("booking_bookings") as batch:
        batch.add_column(sa.Column("referral", sa.String(16), nullable=True))
        batch.add_column(sa.Column("intake_enc", sa.Text(), nullable=True))
    with op.batch_alter_table("registry_contacts") as batch:
        batch.add_column(sa.Column("referral", sa.String(16), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN, not batch mode: on SQLite a batch copies the table and drops the
    # old one, and with foreign keys on, that drop would cascade to every booking's claims and
    # reminders (as in 0860). SQLite has DROP COLUMN since 3.35, PostgreSQL always.
    op.execute("ALTER TABLE registry_contacts DROP COLUMN referral")
    op.execute("ALTER TABLE booking_bookings DROP COLUMN intake_enc")
    op.execute("ALTER TABLE booking_bookings DROP COLUMN referral")
