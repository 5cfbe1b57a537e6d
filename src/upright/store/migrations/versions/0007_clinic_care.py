"""clinic care: prescriptions (versions), clearances, stored alerts

Revision ID: 0007_clinic_care
Revises: 0006_clinic_accounts
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_clinic_care"
down_revision: str | None = "0006_clinic_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

When = sa.DateTime(timezone=True)
KEEPS = ("prescriptions", "clearances", "clinic_alerts")
ADDED = "clinic prescriptions and alerts"


def upgrade() -> None:
    op.create_table(
        "prescriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=120), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("per_week", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_prescriptions_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_prescriptions_plan_id_plans"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prescriptions")),
        sa.UniqueConstraint("person_id", "version", name="uq_prescriptions_person_version"),
    )
    op.create_table(
        "clearances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_clearances_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clearances")),
    )
    op.create_index("ix_clearances_person_created", "clearances", ["person_id", "created_at"])
    op.create_table(
        "clinic_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("at", When, nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("seen_at", When, nullable=True),
        sa.Column("seen_by", sa.Integer(), nullable=True),
        sa.Column("seen_by_name", sa.String(length=120), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_clinic_alerts_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinic_alerts")),
        sa.UniqueConstraint("person_id", "key", name="uq_clinic_alerts_person_key"),
    )
    op.create_index("ix_clinic_alerts_person_seen", "clinic_alerts", ["person_id", "seen_at"])


def downgrade() -> None:
    from upright.store.migrations.refuse import refuse_if_rows

    refuse_if_rows(op.get_bind(), KEEPS, before=ADDED)
    op.drop_index("ix_clinic_alerts_person_seen", table_name="clinic_alerts")
    op.drop_table("clinic_alerts")
    op.drop_index("ix_clearances_person_created", table_name="clearances")
    op.drop_table("clearances")
    op.drop_table("prescriptions")
