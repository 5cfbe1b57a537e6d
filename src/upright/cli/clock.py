"""The command line's one reading of the wall clock: the CLI is an edge, so it may read the time,
and it does so only here. Tests replace `now` (tests/conftest.py) so that every command runs on the
date and hour the test sets, whatever the real clock says."""

from __future__ import annotations

from datetime import UTC, date, datetime

from upright.zones import resolve_timezone

__all__ = ["now", "today"]


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today in this computer's time zone."""
    return now().astimezone(resolve_timezone(None)).date()
