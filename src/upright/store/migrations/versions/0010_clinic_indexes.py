"""Indexes for clinic care's reads: a patient's newest screenings

The patient page lists a patient's newest screenings and the Today page reads the newest one on every
view: an index on (person_id, taken_at) finds them without sorting all of the person's screenings. It
replaces the index on person_id alone, which it covers. (The panel's other reads already had theirs:
sessions and pain reports by person and time, alerts by person and seen, prescriptions by person and
version; bench/README.md "Clinic care" has the plans.) No rows change either way.

Revision ID: 0010_clinic_indexes
Revises: 0008_today_revision
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010_clinic_indexes"
down_revision: str | None = "0008_today_revision"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_screenings_person_taken", "screenings", ["person_id", "taken_at"])
    op.drop_index("ix_screenings_person_id", table_name="screenings")


def downgrade() -> None:
    op.create_index("ix_screenings_person_id", "screenings", ["person_id"])
    op.drop_index("ix_screenings_person_taken", table_name="screenings")
