"""A person's break habits (work days and hours, gap between breaks, limits) and the work calendar.

Building `BreakSettings` checks every value; a bad one raises InvalidInput naming its field in plain
words. `make_settings` reads what a person typed ("09:00", "mon-fri", "2025-12-25"). Pure: no clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from upright.errors import InvalidInput

__all__ = [
    "DAY_NAMES",
    "DEFAULT_SETTINGS",
    "EVERY_DEFAULT",
    "EVERY_MAX",
    "EVERY_MIN",
    "SEARCH_DAYS",
    "WEEKDAYS",
    "BreakSettings",
    "clock_text",
    "days_text",
    "is_workday",
    "make_settings",
    "next_workday",
    "parse_clock",
    "parse_days",
    "slots",
    "work_window",
]

EVERY_MIN, EVERY_MAX, EVERY_DEFAULT = 30, 60, 45  # handout 003: every 30 to 60 minutes
POSTPONE_MINUTES: Final = (1, 30)
MAX_POSTPONES: Final = (0, 5)
NATURAL_MINUTES: Final = (2, 30)
SEARCH_DAYS: Final = 400  # how far ahead to look for a work day (a long run of days off)

WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_ALIASES: Final = {
    **{name.lower(): i for i, name in enumerate(DAY_NAMES)},
    "tues": 1, "weds": 2, "thur": 3, "thurs": 3,
}  # fmt: skip
_RANGE_WORDS: Final = {"weekdays": "mon-fri", "weekend": "sat-sun", "all": "mon-sun", "every day": "mon-sun"}


def parse_clock(text: str, field: str) -> time:
    """'9:00' or '09:00' -> 09:00. Anything else is an error naming `field`."""
    m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", text)
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise InvalidInput(field, f"Write the time as hours and minutes, like 09:00. You wrote {text!r}.")
    return time(int(m[1]), int(m[2]))


def clock_text(t: time | datetime) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def _day(word: str) -> int:
    key = word.strip().lower()
    if key in WEEKDAYS:
        return WEEKDAYS.index(key)
    if key in _DAY_ALIASES:
        return _DAY_ALIASES[key]
    raise InvalidInput(
        "days", f"We do not know the day {word.strip()!r}. Use mon, tue, wed, thu, fri, sat or sun."
    )


def parse_days(text: str) -> frozenset[int]:
    """'mon-fri', 'mon,wed,fri', 'sat-mon' (wraps), 'weekdays' -> weekday numbers (Monday is 0)."""
    text = _RANGE_WORDS.get(text.strip().lower(), text)
    days: set[int] = set()
    for part in (p for p in text.split(",") if p.strip()):
        first, sep, last = part.partition("-")
        lo = _day(first)
        hi = _day(last) if sep else lo
        days.update((lo + i) % 7 for i in range((hi - lo) % 7 + 1))
    if not days:
        raise InvalidInput("days", "Choose at least one work day, like mon-fri.")
    return frozenset(days)


def days_text(days: Iterable[int]) -> str:
    """The short form parse_days reads back: {0,1,2,3,4} -> 'mon-fri', {0,2,4} -> 'mon,wed,fri'."""
    chosen = sorted(set(days))
    runs: list[list[int]] = []
    for d in chosen:
        if runs and d == runs[-1][-1] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = [WEEKDAYS[r[0]] if len(r) == 1 else f"{WEEKDAYS[r[0]]}-{WEEKDAYS[r[-1]]}" for r in runs]
    return ",".join(parts)


def _check_range(value: int, bounds: tuple[int, int], field: str, what: str) -> None:
    lo, hi = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise InvalidInput(field, f"{what} must be from {lo} to {hi} minutes. You gave {value}.")


@dataclass(frozen=True)
class BreakSettings:
    """One person's break habits. Building one checks every value; a bad one names its field."""

    every_minutes: int = EVERY_DEFAULT
    start: time = time(9, 0)
    end: time = time(17, 0)
    days: frozenset[int] = frozenset(range(5))
    days_off: frozenset[date] = frozenset()  # holidays and leave: no breaks at all
    postpone_minutes: int = 5
    max_postpones: int = 2  # how often one break may be put off before it must be taken or skipped
    natural_minutes: int = 5  # time away that counts as a break by itself
    at_hand: frozenset[str] = frozenset()  # equipment at the desk (a chair is always there)
    # Opt-in: nobody gets reminders they did not ask for (not someone who exercises at home, and not
    # someone whose pain or safety check says rest). Setup offers them for a work desk.
    reminders_on: bool = False

    def __post_init__(self) -> None:
        every = self.every_minutes
        if isinstance(every, bool) or not isinstance(every, int) or not EVERY_MIN <= every <= EVERY_MAX:
            raise InvalidInput(
                "every",
                f"Take a break every {EVERY_MIN} to {EVERY_MAX} minutes. You asked for every {every} minutes.",
            )
        if self.end <= self.start:
            raise InvalidInput(
                "end",
                f"The work day must end after it starts. You gave {clock_text(self.start)} "
                f"to {clock_text(self.end)}.",
            )
        length = (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)
        if length <= every:
            raise InvalidInput(
                "end",
                f"Your work day ({clock_text(self.start)} to {clock_text(self.end)}) is too short "
                f"for a break every {every} minutes. Make it longer, or choose a shorter gap.",
            )
        if not self.days or not set(self.days) <= set(range(7)):
            raise InvalidInput("days", "Choose at least one work day, like mon-fri.")
        _check_range(self.postpone_minutes, POSTPONE_MINUTES, "postpone_minutes", "Putting off a break")
        if not MAX_POSTPONES[0] <= self.max_postpones <= MAX_POSTPONES[1]:
            raise InvalidInput(
                "max_postpones",
                f"You may put off a break {MAX_POSTPONES[0]} to {MAX_POSTPONES[1]} times. "
                f"You gave {self.max_postpones}.",
            )
        _check_range(
            self.natural_minutes, NATURAL_MINUTES, "natural_minutes", "Time away that counts as a break"
        )


DEFAULT_SETTINGS: Final = BreakSettings()


def make_settings(
    *,
    every: int | str = EVERY_DEFAULT,
    start: str | time = "09:00",
    end: str | time = "17:00",
    days: str | Iterable[int] = "mon-fri",
    days_off: Iterable[date | str] = (),
    postpone_minutes: int = 5,
    max_postpones: int = 2,
    natural_minutes: int = 5,
    at_hand: Iterable[str] = (),
    reminders_on: bool = False,
) -> BreakSettings:
    """Settings from what a person typed (strings from a form, the CLI or JSON)."""
    if isinstance(every, str):
        if not every.strip().isdigit():
            raise InvalidInput("every", f"Write the minutes as a whole number, like 45. You wrote {every!r}.")
        every = int(every)
    off: set[date] = set()
    for d in days_off:
        if isinstance(d, date):
            off.add(d)
            continue
        try:
            off.add(date.fromisoformat(d.strip()))
        except ValueError:
            raise InvalidInput(
                "days_off", f"Write a day off as year-month-day, like 2025-12-25. You wrote {d!r}."
            ) from None
    return BreakSettings(
        every_minutes=every,
        start=start if isinstance(start, time) else parse_clock(start, "start"),
        end=end if isinstance(end, time) else parse_clock(end, "end"),
        days=parse_days(days) if isinstance(days, str) else frozenset(days),
        days_off=frozenset(off),
        postpone_minutes=postpone_minutes,
        max_postpones=max_postpones,
        natural_minutes=natural_minutes,
        at_hand=frozenset(at_hand),
        reminders_on=reminders_on,
    )


# The work calendar


def is_workday(s: BreakSettings, day: date) -> bool:
    return day.weekday() in s.days and day not in s.days_off


def next_workday(s: BreakSettings, day: date, *, include: bool = True) -> date | None:
    """The first work day on or after `day` (after it, when include is False); None if none is near."""
    d = day if include else day + timedelta(days=1)
    for _ in range(SEARCH_DAYS):
        if is_workday(s, d):
            return d
        d += timedelta(days=1)
    return None


def work_window(s: BreakSettings, day: date, like: datetime) -> tuple[datetime, datetime]:
    """Start and end of the work hours on `day`, in the time zone of `like`."""
    return (
        datetime.combine(day, s.start, tzinfo=like.tzinfo),
        datetime.combine(day, s.end, tzinfo=like.tzinfo),
    )


def slots(s: BreakSettings, day: date, like: datetime) -> list[datetime]:
    """A fixed day of breaks (start + every, + every, ... before the end): calendars and day plans use it.

    The live schedule counts from the last real break instead, so a break taken early moves the next."""
    if not is_workday(s, day):
        return []
    start, end = work_window(s, day, like)
    step = timedelta(minutes=s.every_minutes)
    out, t = [], start + step
    while t < end:
        out.append(t)
        t += step
    return out
