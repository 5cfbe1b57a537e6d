"""Break statistics per day and per week: prompted, taken, natural, postponed, skipped (as Workrave
keeps them). Counted from the stored events; `breaks.apply` refused the ones that did not fit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from upright.domain.breaks import BreakEvent, Kind

__all__ = ["COUNTED", "BreakCounts", "DayCounts", "WeekCounts", "day_counts", "week_counts"]

COUNTED: Final = (Kind.PROMPTED, Kind.TAKEN, Kind.NATURAL, Kind.POSTPONED, Kind.SKIPPED)


@dataclass(frozen=True)
class BreakCounts:
    prompted: int = 0  # reminders shown (a put-off break that comes back is shown again)
    taken: int = 0
    natural: int = 0
    postponed: int = 0
    skipped: int = 0

    def __add__(self, other: BreakCounts) -> BreakCounts:
        return BreakCounts(*(getattr(self, k) + getattr(other, k) for k in _FIELDS))

    def as_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in _FIELDS}


_FIELDS: Final = tuple(k.value for k in COUNTED)


@dataclass(frozen=True)
class DayCounts:
    day: date
    counts: BreakCounts


@dataclass(frozen=True)
class WeekCounts:
    start: date  # the Monday
    days: tuple[DayCounts, ...]
    total: BreakCounts


def day_counts(events: Iterable[BreakEvent], days: Sequence[date]) -> list[DayCounts]:
    """Counts per day. Events are counted as stored: `apply` already refused the ones that did not fit
    (a second reminder for the same break, a put-off past the limit), so nothing counts twice."""
    tally: dict[date, dict[str, int]] = {d: dict.fromkeys(_FIELDS, 0) for d in days}
    for event in events:
        if event.kind in COUNTED and event.at.date() in tally:
            tally[event.at.date()][event.kind.value] += 1
    return [DayCounts(d, BreakCounts(**tally[d])) for d in days]


def week_counts(events: Iterable[BreakEvent], day: date) -> WeekCounts:
    """Monday to Sunday of the week holding `day`, with a total."""
    monday = day - timedelta(days=day.weekday())
    per_day = day_counts(events, [monday + timedelta(days=i) for i in range(7)])
    total = BreakCounts()
    for d in per_day:
        total = total + d.counts
    return WeekCounts(monday, tuple(per_day), total)
