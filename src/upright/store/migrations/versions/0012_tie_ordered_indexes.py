"""A person's sessions, pain scores and screenings indexed in the order the app reads them: by time,
then id

The app reads "the newest" and "the first" of these as ORDER BY time, id (two rows can share a time:
a clock's resolution, an import, a device resending with the time it kept). On PostgreSQL the
(person_id, time) indexes give the time order but not the id order within one time, so a person with
many rows at one time had them all read and sorted for every LIMIT 1 or 2: a stored session read
every pain score sharing its time to find the newest two. With id last in the index the database
reads just the rows it returns. SQLite's indexes already end with the row id, so there it changes
nothing. No rows change either way.

Revision ID: 0012_tie_ordered_indexes
Revises: 0011_revision_once
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012_tie_ordered_indexes"
down_revision: str | None = "0011_revision_once"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (  # (name, table, time column)
    ("ix_sessions_person_started", "sessions", "started_at"),
    ("ix_pain_reports_person_taken", "pain_reports", "taken_at"),
    ("ix_screenings_person_taken", "screenings", "taken_at"),
)


def upgrade() -> None:
    for name, table, time in INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, ["person_id", time, "id"])


def downgrade() -> None:
    for name, table, time in INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, ["person_id", time])
