"""Upright's one reading of the wall clock and of this computer's time zone (an edge).

Web requests get them through `NowDep` / `LocalTz` (web/patient_deps.py), commands call `now()` and
`today()`, and the break services fall back to `local_zone()` for a person who chose no zone. Tests
replace `now` and `local_zone` here (tests/conftest.py), so every page, command and service runs on
the date, hour and zone the test sets, whatever the real clock and computer say."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from upright.zones import local_timezone_name

__all__ = ["local_zone", "now", "today"]


def now() -> datetime:
    return datetime.now(UTC)


def local_zone() -> ZoneInfo:
    """This computer's time zone: personal mode runs on the person's own computer."""
    return ZoneInfo(local_timezone_name())


def today() -> date:
    """Today in this computer's time zone."""
    return now().astimezone(local_zone()).date()
