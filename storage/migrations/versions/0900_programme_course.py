"""the aggressor programme's correctional course (issue 16)

Revision ID: 0900
Revises: 0890
Create Date: 2026-12-06 22:30:00

`programme_courses`: one person's course (sessions planned, rhythm, status, end reason,
outcome, follow-up, notes encrypted), cascading with the person. `booking_bookings.course_id`
ties a session to its course: a plain ADD COLUMN (no batch rebuild: on SQLite that would drop
the table and, with foreign keys on, cascade the delete to claims, reminders and sheets).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.coltypes

revision: str = "0900"
down_revision: str | Sequence[str] | None = "0890"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "programme_courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("intake_booking_id", sa.Integer(), nullable=True),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("sessions_planned", sa.Integer(), nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("end_reason", sa.String(length=32), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("enrolled_by", sa.String(length=64), nullable=False),
        sa.Column("enrolled_at", storage.coltypes.UtcDateTime(), nullable=False),
        sa.Column("ended_at", storage.coltypes.UtcDateTime(), nullable=True),
        sa.Column("follow_up_due", sa.Date(), nullable=True),
        sa.Column("follow_up_done_at", storage.coltypes.UtcDateTime(), nullable=True),
        sa.Column("follow_up_result", sa.String(length=32), nullable=True),
        sa.Column("keep_until", storage.coltypes.UtcDateTime(), nullable=True),
        sa.Column("notes_enc", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["intake_booking_id"], ["booking_bookings.id"], ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_programme_courses_person_id", "programme_courses", ["person_id"])
    op.add_column("booking_bookings", sa.Column("course_id", sa.Integer(), nullable=True))
    op.create_index("ix_booking_bookings_course_id", "booking_bookings", ["course_id"])


def downgrade() -> None:
    op.drop_index("ix_booking_bookings_course_id", table_name="booking_bookings")
    # Plain DROP COLUMN (see above): SQLite 3.35+ and PostgreSQL both have it.
    op.execute("ALTER TABLE booking_bookings DROP COLUMN course_id")
    op.drop_index("ix_programme_courses_person_id", table_name="programme_courses")
    op.drop_table("programme_courses")
