"""people.revision: on PostgreSQL, changed once per person per transaction, not once per row

0008's trigger functions ran for every row a transaction wrote and each wrote a new version of the
person's `people` row: a stored session (its row, eight exercises, a pain score, the plan's new
doses) wrote that row eleven times at commit, each a dead row version for vacuum to clear and more
work for the commit while other writers wait. Once is enough: the triggers are deferred, so they all
run at commit after every write, and other transactions see the new value only with all of those
writes. The functions now mark the person as done for the rest of the transaction (a transaction-
local setting) and skip the rest. SQLite is unchanged (its triggers run in the same process, inline).
No rows change either way.

Revision ID: 0011_revision_once
Revises: 0010_clinic_indexes
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from upright.store.migrations.person_revision import (
    define_revision_functions,
    define_revision_functions_per_row,
)

revision: str = "0011_revision_once"
down_revision: str | None = "0010_clinic_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    define_revision_functions()


def downgrade() -> None:
    define_revision_functions_per_row()
