"""break settings and break events (workday microbreaks)

Revision ID: 0002_breaks
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_breaks"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "break_settings",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("every_minutes", sa.Integer(), nullable=False),
        sa.Column("start", sa.String(length=5), nullable=False),
        sa.Column("end", sa.String(length=5), nullable=False),
        sa.Column("days", sa.String(length=40), nullable=False),
        sa.Column("days_off", sa.JSON(), nullable=False),
        sa.Column("postpone_minutes", sa.Integer(), nullable=False),
        sa.Column("max_postpones", sa.Integer(), nullable=False),
        sa.Column("natural_minutes", sa.Integer(), nullable=False),
        sa.Column("at_hand", sa.JSON(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("updated_at", When, nullable=False),
        sa.CheckConstraint(
            "every_minutes BETWEEN 30 AND 60", name=op.f("ck_break_settings_every_minutes_range")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_break_settings_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_break_settings")),
    )
    op.create_table(
        "break_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", When, nullable=False),
        sa.Column("until", When, nullable=True),
        sa.Column("exercises", sa.JSON(), nullable=False),
        sa.Column("idle_seconds", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=16), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "kind IN ('prompted', 'taken', 'natural', 'postponed', 'skipped', 'paused', 'resumed')",
            name=op.f("ck_break_events_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_break_events_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_break_events")),
        sa.UniqueConstraint("person_id", "client_id", name="uq_break_events_person_client"),
    )
    op.create_index("ix_break_events_person_at", "break_events", ["person_id", "at"])


# Back to 0001 only when no break has been recorded: dropping the tables would lose them.
KEEPS = ("break_settings", "break_events")
ADDED = "workday breaks"


def downgrade() -> None:
    from upright.store.migrations.refuse import refuse_if_rows

    refuse_if_rows(op.get_bind(), KEEPS, before=ADDED)
    op.drop_index("ix_break_events_person_at", table_name="break_events")
    op.drop_table("break_events")
    op.drop_table("break_settings")
