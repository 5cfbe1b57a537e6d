"""Workday breaks as clients change them (PATCH /api/me/breaks/settings, a break event) and see them
(GET /api/me/breaks, `upright breaks status --json`): the settings, the next break, today's and this
week's counts. services.breaks builds these; the API answers with them checked by these models."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from upright.documents.fields import Equipment, Flag, SlugList, SmallInt

__all__ = [
    "BreakEventIn",
    "BreakSettingsDoc",
    "BreakSettingsIn",
    "BreakStatusDoc",
    "BreakTakenDoc",
    "EventKind",
]

Short = Annotated[str, StringConstraints(max_length=10)]  # HH:MM, YYYY-MM-DD
EventKind = Literal["prompted", "taken", "natural", "postponed", "skipped", "paused", "resumed"]


class BreakSettingsIn(BaseModel):
    """Any subset of the break settings; what is left out keeps its value."""

    model_config = ConfigDict(extra="forbid")

    every: SmallInt | None = Field(None, description="Minutes between breaks, 30 to 60")
    start: Short | None = Field(None, description="Start of the work day, HH:MM")
    end: Short | None = Field(None, description="End of the work day, HH:MM")
    days: Annotated[str, StringConstraints(max_length=60)] | None = Field(
        None, description="Work days, e.g. mon-fri or mon,wed,fri"
    )
    days_off: Annotated[list[Short], Field(max_length=400)] | None = Field(
        None, description="Holidays and leave, as YYYY-MM-DD"
    )
    postpone_minutes: SmallInt | None = Field(None, description="How long 'later' puts a break off, 1 to 30")
    max_postpones: SmallInt | None = Field(None, description="How often one break may be put off, 0 to 5")
    natural_minutes: SmallInt | None = Field(None, description="Time away that counts as a break, 2 to 30")
    at_hand: Annotated[list[Equipment], Field(max_length=20)] | None = Field(
        None, description="Equipment at your desk, e.g. resistance-band"
    )
    timezone: Annotated[str, StringConstraints(max_length=64)] | None = Field(
        None, description="Your time zone, e.g. Europe/Paris"
    )
    reminders_on: Flag | None = Field(None, description="Remind me to take breaks (off until turned on)")


class BreakEventIn(BaseModel):
    """What happened. `minutes` or `until` for a pause; `exercises` when a routine was done."""

    model_config = ConfigDict(extra="forbid")

    kind: EventKind
    minutes: SmallInt | None = Field(None, description="paused: for how many minutes (5 to 480)")
    until: Literal["tomorrow"] | None = Field(None, description="paused: until the next work day")
    exercises: SlugList = Field(default_factory=list, description="taken: the routine's exercise ids")
    idle_seconds: int = Field(
        0, strict=True, ge=0, le=7 * 24 * 3600, description="natural: how long you were away"
    )


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
