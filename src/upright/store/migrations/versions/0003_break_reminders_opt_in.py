"""break reminders are opt-in: break_settings.reminders_on

A person who saved break settings before this version chose breaks: they keep their reminders (the
new column starts true for existing rows). A person who never touched them has no row, and the new
default (no row) is "off". Downgrading drops the column; the rows keep every other setting.

Revision ID: 0003_break_reminders_opt_in
Revises: 0002_breaks
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_break_reminders_opt_in"
down_revision: str | None = "0002_breaks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("break_settings") as batch:
        batch.add_column(sa.Column("reminders_on", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("break_settings") as batch:
        batch.drop_column("reminders_on")
