"""Workday breaks as clients see them (GET /api/me/breaks, `upright breaks status --json`): the
settings, the next break, today's and this week's counts. services.breaks builds these; the API
answers with them checked by these models."""

from __future__ import annotations

from pydantic import BaseModel

__all__ = ["BreakSettingsDoc", "BreakStatusDoc", "BreakTakenDoc"]


class BreakSettingsDoc(BaseModel):
    every: int  # minutes between breaks
    start: str  # "09:00"
    end: str
    days: str  # work days, e.g. "mon-fri"
    days_off: list[str]  # dates, YYYY-MM-DD
    postpone_minutes: int
    max_postpones: int
    natural_minutes: int  # this long away from the computer counts as a break
    at_hand: list[str]  # equipment at the desk
    timezone: str
    reminders_on: bool
    saved: bool  # false: the defaults, never saved


class NextBreakDoc(BaseModel):
    due_at: str | None
    due_clock: str | None
    seconds_until: int | None
    is_due: bool
    phase: str  # waiting, prompted, postponed, paused, off or resting
    can_postpone: bool
    postpones_left: int
    reason: str | None


class RestDoc(BaseModel):
    cause: str
    reason: str


class CountsDoc(BaseModel):
    prompted: int
    taken: int
    natural: int
    postponed: int
    skipped: int


class DayCountsDoc(CountsDoc):
    day: str


class WeekDoc(BaseModel):
    start: str
    days: list[DayCountsDoc]
    total: CountsDoc


class BreakStatusDoc(BaseModel):
    """Everything a client shows: the next break, today's and this week's counts, the settings."""

    now: str
    next: NextBreakDoc
    rest: RestDoc | None  # exercise is not advised now: reminders are quiet, and why
    routine_minutes: int | None  # the length of the routine a break would play now
    today: DayCountsDoc
    week: WeekDoc
    last_week: WeekDoc
    settings: BreakSettingsDoc
    about: str


class BreakTakenDoc(BreakStatusDoc):
    """The status after a break routine's result, and whether the break counts as taken."""

    taken: bool
