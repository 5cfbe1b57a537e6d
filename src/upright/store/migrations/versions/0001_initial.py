"""people, profiles, screenings, plans, sessions, session items, pain reports

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Plain types here (not the app's TypeDecorators), so this file never changes when tables.py does.
When = sa.DateTime(timezone=True)


def _person_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["person_id"], ["people.id"], name=op.f(f"fk_{table}_person_id_people"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("key", name=op.f("uq_people_key")),
    )
    op.create_table(
        "profiles",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("setting", sa.String(length=16), nullable=False),
        sa.Column("equipment", sa.JSON(), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("focus", sa.String(length=16), nullable=False),
        sa.Column("sessions_per_week", sa.Integer(), nullable=False),
        sa.Column("reminders_on", sa.Boolean(), nullable=False),
        sa.Column("reminder_time", sa.String(length=5), nullable=True),
        sa.Column("voice_on", sa.Boolean(), nullable=False),
        sa.Column("bell_on", sa.Boolean(), nullable=False),
        sa.Column("updated_at", When, nullable=False),
        sa.CheckConstraint("minutes BETWEEN 1 AND 180", name=op.f("ck_profiles_minutes_range")),
        sa.CheckConstraint(
            "sessions_per_week BETWEEN 1 AND 14", name=op.f("ck_profiles_sessions_per_week_range")
        ),
        _person_fk("profiles"),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_profiles")),
    )
    op.create_table(
        "screenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("taken_at", When, nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("blocks_sessions", sa.Boolean(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        _person_fk("screenings"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screenings")),
    )
    op.create_index(op.f("ix_screenings_person_id"), "screenings", ["person_id"])
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("template_id", sa.String(length=60), nullable=True),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        _person_fk("plans"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    op.create_index("ix_plans_person_active", "plans", ["person_id", "is_active"])
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("program", sa.String(length=60), nullable=True),
        sa.Column("player", sa.String(length=16), nullable=False),
        sa.Column("started_at", When, nullable=False),
        sa.Column("ended_at", When, nullable=False),
        sa.Column("received_at", When, nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("end_pain", sa.Integer(), nullable=True),
        sa.Column("feeling", sa.String(length=16), nullable=True),
        sa.Column("planned_seconds", sa.Integer(), nullable=True),
        sa.Column("active_seconds", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "end_pain IS NULL OR end_pain BETWEEN 0 AND 10", name=op.f("ck_sessions_end_pain_range")
        ),
        _person_fk("sessions"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_sessions_plan_id_plans"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
        sa.UniqueConstraint("person_id", "client_id", name="uq_sessions_person_client"),
    )
    op.create_index("ix_sessions_person_started", "sessions", ["person_id", "started_at"])
    op.create_table(
        "session_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=60), nullable=False),
        sa.Column("target_sets", sa.Integer(), nullable=False),
        sa.Column("target_reps", sa.Integer(), nullable=True),
        sa.Column("target_hold_seconds", sa.Integer(), nullable=True),
        sa.Column("each_side", sa.Boolean(), nullable=False),
        sa.Column("reps_done", sa.Integer(), nullable=False),
        sa.Column("holds_done", sa.Integer(), nullable=False),
        sa.Column("sets_done", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.CheckConstraint(
            "reps_done >= 0 AND holds_done >= 0 AND sets_done >= 0",
            name=op.f("ck_session_items_done_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_session_items_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_items")),
    )
    op.create_index(op.f("ix_session_items_session_id"), "session_items", ["session_id"])
    op.create_table(
        "pain_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("taken_at", When, nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("context", sa.String(length=16), nullable=False),
        sa.Column("exercise_id", sa.String(length=60), nullable=True),
        sa.Column("location", sa.String(length=32), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=True),
        sa.Column("red_flag", sa.Boolean(), nullable=False),
        sa.CheckConstraint("score BETWEEN 0 AND 10", name=op.f("ck_pain_reports_score_range")),
        _person_fk("pain_reports"),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_pain_reports_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pain_reports")),
    )
    op.create_index("ix_pain_reports_person_taken", "pain_reports", ["person_id", "taken_at"])
    op.create_index(op.f("ix_pain_reports_session_id"), "pain_reports", ["session_id"])


# To an empty database only when nobody's data is in it.
KEEPS = ("people",)
ADDED = "Upright stored anything"


def downgrade() -> None:
    from upright.store.migrations.refuse import refuse_if_rows

    refuse_if_rows(op.get_bind(), KEEPS, before=ADDED)
    for table in ("pain_reports", "session_items", "sessions", "plans", "screenings", "profiles", "people"):
        op.drop_table(table)
