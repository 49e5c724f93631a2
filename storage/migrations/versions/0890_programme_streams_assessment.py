"""the aggressor programme: specialists' streams, pairs, the assessment sheet (issue 16)

Revision ID: 0890
Revises: 0860
Create Date: 2026-12-06 22:00:00

Every specialist gets a stream (victims / aggressors / family; booking/streams.py). Whoever
took "stop" sessions goes to the aggressor stream and keeps only "stop": the same worker never
supports both parties (docs/aggressor-programme.md). "stop" joins the kinds held in pairs.
`programme_assessments` keeps the signed versions of the assessment sheet, encrypted, one
booking's sheet cascading with the booking (and so with the person).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.coltypes

revision: str = "0890"
down_revision: str | Sequence[str] | None = "0860"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_specialists = sa.table(
    "booking_specialists",
    sa.column("id", sa.Integer),
    sa.column("kinds", sa.String),
    sa.column("stream", sa.String),
)
_settings = sa.table("booking_settings", sa.column("key", sa.String), sa.column("value", sa.Text))


def upgrade() -> None:
    # A plain ADD COLUMN, not batch mode: on SQLite a batch rebuild of booking_specialists
    # would drop the old table, and with foreign keys on that cascades to hours and claims.
    op.add_column(
        "booking_specialists",
        sa.Column("stream", sa.String(16), server_default="victims", nullable=False),
    )
    bind = op.get_bind()
    for sid, kinds in bind.execute(sa.select(_specialists.c.id, _specialists.c.kinds)).all():
        items = [k for k in (kinds or "").split(",") if k]
        if "stop" in items:
            stream, items = "aggressors", ["stop"]
        elif items == ["family"]:
            stream = "family"
        else:
            continue  # the default: victims, kinds unchanged
        bind.execute(
            _specialists.update()
            .where(_specialists.c.id == sid)
            .values(stream=stream, kinds=",".join(items))
        )
    pairs = bind.execute(
        sa.select(_settings.c.value).where(_settings.c.key == "pair_kinds")
    ).scalar()
    if pairs is not None:
        kinds = json.loads(pairs)
        if isinstance(kinds, list) and "stop" not in kinds:
            bind.execute(
                _settings.update()
                .where(_settings.c.key == "pair_kinds")
                .values(value=json.dumps([*kinds, "stop"]))
            )
    op.create_table(
        "programme_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("signed_by", sa.String(length=64), nullable=False),
        sa.Column("signed_at", storage.coltypes.UtcDateTime(), nullable=False),
        sa.Column("body_enc", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["booking_id"], ["booking_bookings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("booking_id", "version"),
    )
    op.create_index("ix_programme_assessments_booking_id", "programme_assessments", ["booking_id"])


def downgrade() -> None:
    op.drop_index("ix_programme_assessments_booking_id", table_name="programme_assessments")
    op.drop_table("programme_assessments")
    bind = op.get_bind()
    pairs = bind.execute(
        sa.select(_settings.c.value).where(_settings.c.key == "pair_kinds")
    ).scalar()
    if pairs is not None:
        kinds = json.loads(pairs)
        if isinstance(kinds, list) and "stop" in kinds:
            bind.execute(
                _settings.update()
                .where(_settings.c.key == "pair_kinds")
                .values(value=json.dumps([k for k in kinds if k != "stop"]))
            )
    # The kinds a specialist gave up stay given up: which ones they were is not known here,
    # and a worker of both parties is what the upgrade ended. Plain DROP COLUMN (see above).
    op.execute("ALTER TABLE booking_specialists DROP COLUMN stream")
