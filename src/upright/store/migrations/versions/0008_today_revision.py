"""people.revision: changes with every write to a person's rows (the Today page's cache key)

Triggers on each table whose rows belong to a person give the person a new random revision in the same
transaction as the write (migrations/person_revision.py says why triggers, and why random). Downgrading
drops the triggers and the column; no stored data is lost.

Revision ID: 0008_today_revision
Revises: 0007_clinic_care
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from upright.store.migrations.person_revision import (
    add_person_triggers,
    drop_person_triggers,
    setup_revision,
    teardown_revision,
)

revision: str = "0008_today_revision"
# Chained after the clinic revisions when main (which has them) was merged into this branch.
down_revision: str | None = "0007_clinic_care"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERSON_TABLES = (
    "profiles",
    "screenings",
    "plans",
    "sessions",
    "pain_reports",
    "break_settings",
    "break_events",
    "routine_results",
    "prescriptions",  # 0007: a clinician's program and hold change what Today offers
    "clearances",
    "clinic_alerts",
)


def upgrade() -> None:
    setup_revision()
    for table in PERSON_TABLES:
        add_person_triggers(table)
    add_person_triggers("session_items", via_session=True)


def downgrade() -> None:
    drop_person_triggers("session_items")
    for table in PERSON_TABLES:
        drop_person_triggers(table)
    teardown_revision()
