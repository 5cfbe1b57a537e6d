"""Downgrades never lose a person's data: a step back that would drop rows refuses, with a sentence
saying what to do instead.

A revision that drops tables names them in `KEEPS` (and what it added in `ADDED`) and calls
`refuse_if_rows` first thing in its `downgrade()`. `store.db.migrate_down` checks every step's
`KEEPS` before it runs any of them: SQLite runs schema changes outside the transaction, so a refusal
half-way down a chain of steps must come before the first step, not after it."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy import Connection

from upright.errors import Conflict

__all__ = ["refuse_if_rows"]


def refuse_if_rows(bind: Connection, tables: Sequence[str], *, before: str) -> None:
    """Raise Conflict when any of `tables` holds a row."""
    names = set(sa.inspect(bind).get_table_names())
    held = {t: bind.scalar(sa.text(f'SELECT count(*) FROM "{t}"')) or 0 for t in tables if t in names}
    if any(held.values()):
        counts = ", ".join(f"{n} in {t}" for t, n in held.items() if n)
        raise Conflict(
            f"Going back to the version before {before} would delete data ({counts}). Nothing was changed. "
            "Keep this Upright version, or make a backup (upright backup -o FILE) and an export first."
        )
