"""Downgrades never lose a person's data: a step back that would drop rows refuses, with a sentence
saying what to do instead. (Migrations import this lazily, inside downgrade(), so it never changes.)"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from upright.errors import Conflict

__all__ = ["refuse_if_rows"]


def refuse_if_rows(tables: Sequence[str], *, before: str) -> None:
    """Raise Conflict when any of `tables` holds a row."""
    bind = op.get_bind()
    held = {t: bind.scalar(sa.text(f'SELECT count(*) FROM "{t}"')) or 0 for t in tables}
    if any(held.values()):
        counts = ", ".join(f"{n} in {t}" for t, n in held.items() if n)
        raise Conflict(
            f"Going back to the version before {before} would delete data ({counts}). Nothing was changed. "
            "Keep this Upright version, or make a backup (upright backup -o FILE) and an export first."
        )
