"""Workday microbreaks: when the next break is due, and what a person's answer to a reminder does.

Everything here is pure. The clock comes in as `now` (or an event's `at`); every datetime a caller
passes shares one time zone (the person's), aware or naive. Handout 003 asks for a short break every
30 to 60 minutes at work; Workrave, Stretchly and Safe Eyes set the habits people expect (work hours,
pause, postpone with a limit, skip, idle time as a natural break, statistics). Breaks are comfort and
habit advice, not treatment (CLINICAL.md §5): the patient text says so (`ABOUT_BREAKS`).

The life of one break is a state machine written as a table (`TRANSITIONS`):

    WAITING ──prompted──► PROMPTED ──taken / skipped / natural──► WAITING
                            │  ▲
                   postponed│  │prompted (when the put-off time comes; at most `max_postpones`)
                            ▼  │
                          POSTPONED
    any ──paused──► PAUSED ──resumed (or the pause runs out)──► WAITING

There is only ever one due break, so a computer that slept through three breaks gets one reminder
when it wakes, never three. Time spent away (idle or asleep, where the client can tell) counts as a
natural break. Settings live in break_settings.py, statistics in break_stats.py, the routine
for each break in break_routine.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Final

from upright.domain.break_settings import (
    DAY_NAMES,
    SEARCH_DAYS,
    BreakSettings,
    clock_text,
    is_workday,
    next_workday,
    work_window,
)
from upright.errors import Conflict, InvalidInput

__all__ = [
    "ABOUT_BREAKS",
    "PAUSE_MAX_MINUTES",
    "REMINDERS_OFF",
    "TRANSITIONS",
    "BreakEvent",
    "BreakState",
    "Kind",
    "NextBreak",
    "Phase",
    "apply",
    "done_on",
    "implied_events",
    "natural_break",
    "next_break",
    "pause_for",
    "pause_until_tomorrow",
    "replay",
    "settle",
]

PAUSE_MAX_MINUTES: Final = 8 * 60  # longer than a work day: use "until tomorrow" or a day off

REMINDERS_OFF: Final = "Break reminders are off."

ABOUT_BREAKS: Final = (
    "A short break every 30 to 60 minutes helps you feel more at ease at your desk. "
    "It is a good habit. It is not a treatment."
)


class Kind(StrEnum):
    """What happened. Clients record these; statistics count them."""

    PROMPTED = "prompted"  # a reminder was shown
    TAKEN = "taken"  # the routine was played to the end
    NATURAL = "natural"  # the person was away long enough (idle or asleep)
    POSTPONED = "postponed"
    SKIPPED = "skipped"
    PAUSED = "paused"
    RESUMED = "resumed"


class Phase(StrEnum):
    WAITING = "waiting"
    PROMPTED = "prompted"
    POSTPONED = "postponed"
    PAUSED = "paused"
    OFF = "off"  # reminders are not turned on: never a stored state, only what next_break says


@dataclass(frozen=True)
class BreakEvent:
    kind: Kind
    at: datetime
    until: datetime | None = None  # PAUSED: when the pause ends
    exercises: tuple[str, ...] = ()  # TAKEN: what the routine held (rotation counts them)
    idle_seconds: int = 0  # NATURAL: how long the person was away


@dataclass(frozen=True)
class BreakState:
    phase: Phase = Phase.WAITING
    rested_at: datetime | None = None  # end of the last break (taken, skipped or natural)
    prompted_at: datetime | None = None  # when the open reminder first showed
    postpones: int = 0  # times the open break was put off
    until: datetime | None = None  # POSTPONED / PAUSED: when that ends
    not_before: datetime | None = None  # after a pause: no break before this (then one at once, if late)
    last_at: datetime | None = None  # time of the last event, so events stay in order
    done_today: tuple[str, ...] = field(default=())  # exercises of routines taken today, in order


TRANSITIONS: Final[dict[tuple[Phase, Kind], Phase]] = {
    (Phase.WAITING, Kind.PROMPTED): Phase.PROMPTED,
    (Phase.POSTPONED, Kind.PROMPTED): Phase.PROMPTED,
    (Phase.WAITING, Kind.TAKEN): Phase.WAITING,  # a break taken early, by choice
    (Phase.PROMPTED, Kind.TAKEN): Phase.WAITING,
    (Phase.POSTPONED, Kind.TAKEN): Phase.WAITING,
    (Phase.PAUSED, Kind.TAKEN): Phase.PAUSED,  # a routine done during a pause keeps the pause
    (Phase.WAITING, Kind.NATURAL): Phase.WAITING,
    (Phase.PROMPTED, Kind.NATURAL): Phase.WAITING,
    (Phase.POSTPONED, Kind.NATURAL): Phase.WAITING,
    (Phase.PAUSED, Kind.NATURAL): Phase.PAUSED,
    (Phase.PROMPTED, Kind.POSTPONED): Phase.POSTPONED,
    (Phase.PROMPTED, Kind.SKIPPED): Phase.WAITING,
    (Phase.POSTPONED, Kind.SKIPPED): Phase.WAITING,
    (Phase.WAITING, Kind.PAUSED): Phase.PAUSED,
    (Phase.PROMPTED, Kind.PAUSED): Phase.PAUSED,
    (Phase.POSTPONED, Kind.PAUSED): Phase.PAUSED,
    (Phase.PAUSED, Kind.PAUSED): Phase.PAUSED,  # a new pause replaces the old one
    (Phase.PAUSED, Kind.RESUMED): Phase.WAITING,
}

# Why an event does not fit the current phase, in the person's words.
_REFUSALS: Final[dict[Kind, str]] = {
    Kind.PROMPTED: "A reminder is already showing, or breaks are on hold.",
    Kind.POSTPONED: "There is no break to put off right now.",
    Kind.SKIPPED: "There is no break to skip right now.",
    Kind.RESUMED: "Breaks are not on hold.",
}


def settle(s: BreakSettings, state: BreakState, now: datetime) -> BreakState:
    """What time alone changes: a pause runs out; a reminder left open lapses when the work day ends."""
    if state.phase is Phase.PAUSED and state.until is not None and now >= state.until:
        return replace(state, phase=Phase.WAITING, until=None, not_before=state.until)
    if state.phase in (Phase.PROMPTED, Phase.POSTPONED) and state.prompted_at is not None:
        _, end = work_window(s, state.prompted_at.date(), state.prompted_at)
        if now >= end or now.date() != state.prompted_at.date():
            return replace(state, phase=Phase.WAITING, prompted_at=None, postpones=0, until=None)
    return state


def apply(s: BreakSettings, state: BreakState, event: BreakEvent, *, check_due: bool = True) -> BreakState:
    """The state after `event`, or an error saying in plain words why it cannot happen now.

    A reminder is only accepted when a break is due (check_due), so two open windows or a client
    that woke up late cannot count one break twice."""
    if state.last_at is not None and event.at < state.last_at:
        raise Conflict("This event is older than the last one we have, so we cannot add it.")
    state = settle(s, state, event.at)
    target = TRANSITIONS.get((state.phase, event.kind))
    if target is None:
        raise Conflict(_REFUSALS.get(event.kind, "That does not fit what is happening right now."))
    if event.kind is Kind.PROMPTED and check_due and not s.reminders_on:
        raise Conflict("Break reminders are off.")
    if event.kind is Kind.PROMPTED and check_due and not next_break(s, state, event.at).is_due:
        raise Conflict("No break is due yet.")
    new = replace(state, phase=target, last_at=event.at, done_today=done_on(state, event.at.date()))

    match event.kind:
        case Kind.PROMPTED:
            if state.phase is Phase.WAITING:
                return replace(new, prompted_at=event.at, postpones=0, until=None, not_before=None)
            return replace(new, until=None)  # a put-off break coming back keeps its count
        case Kind.POSTPONED:
            if state.postpones >= s.max_postpones:
                times = "once" if s.max_postpones == 1 else f"{s.max_postpones} times"
                raise Conflict(
                    f"You put this break off {times} already. Take it now, or skip it."
                    if s.max_postpones
                    else "Your settings say breaks cannot be put off. Take it now, or skip it."
                )
            return replace(
                new, postpones=state.postpones + 1, until=event.at + timedelta(minutes=s.postpone_minutes)
            )
        case Kind.PAUSED:
            if event.until is None or event.until <= event.at:
                raise InvalidInput("until", "A pause must end later than it starts.")
            return replace(new, until=event.until, prompted_at=None, postpones=0)
        case Kind.RESUMED:
            return replace(new, until=None, not_before=event.at)
        case Kind.NATURAL:
            if event.idle_seconds < s.natural_minutes * 60:
                raise InvalidInput(
                    "idle_seconds",
                    f"Time away counts as a break after {s.natural_minutes} minutes. "
                    f"This was {_minutes(event.idle_seconds)}.",
                )
            return _rested(new, event.at)
        case Kind.TAKEN:
            return replace(_rested(new, event.at), done_today=(*new.done_today, *event.exercises))
        case Kind.SKIPPED:
            return _rested(new, event.at)
    raise AssertionError(event.kind)  # pragma: no cover  (every Kind is matched above)


def done_on(state: BreakState, day: date) -> tuple[str, ...]:
    """Exercises of the routines taken on `day` (empty once a new day starts)."""
    if state.last_at is None or state.last_at.date() != day:
        return ()
    return state.done_today


def _minutes(seconds: float) -> str:
    n = int(seconds // 60)
    return "1 minute" if n == 1 else f"{n} minutes"


def _rested(state: BreakState, at: datetime) -> BreakState:
    keep_pause = state.phase is Phase.PAUSED
    return replace(
        state,
        rested_at=at,
        prompted_at=None,
        postpones=0,
        until=state.until if keep_pause else None,
        not_before=None,
    )


def implied_events(s: BreakSettings, state: BreakState, event: BreakEvent) -> list[BreakEvent]:
    """The events an answer stands for. Putting off or skipping a due break whose reminder was never
    recorded (a page that showed "time for a break" before any script ran, or a put-off break that
    came back) means the person saw it: the reminder is counted first, then the answer."""
    if event.kind in (Kind.POSTPONED, Kind.SKIPPED):
        st = settle(s, state, event.at)
        if st.phase in (Phase.WAITING, Phase.POSTPONED) and next_break(s, st, event.at).is_due:
            return [BreakEvent(Kind.PROMPTED, event.at), event]
    return [event]


def replay(s: BreakSettings, events: Iterable[BreakEvent]) -> BreakState:
    """The state after stored events. Lenient: an event the current settings refuse is passed over,
    so changing a setting (say the postpone limit) never breaks the history."""
    state = BreakState()
    for event in sorted(events, key=lambda e: e.at):
        try:
            state = apply(s, state, event, check_due=False)
        except (Conflict, InvalidInput):
            continue
    return state


# ── The next break ────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class NextBreak:
    """What a client should do: show a reminder now (is_due), or wait until due_at."""

    due_at: datetime | None  # None: no work day within a year
    is_due: bool
    phase: Phase
    can_postpone: bool
    postpones_left: int
    reason: str  # in plain words, for the person


def _when(s: BreakSettings, t: datetime, now: datetime) -> str:
    if t.date() == now.date():
        return f"at {clock_text(t)}"
    if t.date() == now.date() + timedelta(days=1):
        return f"tomorrow at {clock_text(t)}"
    return f"on {DAY_NAMES[t.weekday()]} at {clock_text(t)}"


def _first_due(
    s: BreakSettings, state: BreakState, now: datetime, *, not_before: datetime | None
) -> datetime | None:
    """The next break when none is open: `every` minutes after the last break or the start of work."""
    day = next_workday(s, now.date())
    step = timedelta(minutes=s.every_minutes)
    while day is not None:
        start, end = work_window(s, day, now)
        if now < end and (not_before is None or not_before < end):
            base = start
            if state.rested_at is not None and state.rested_at.date() == day:
                base = max(base, state.rested_at)
            due = base + step
            if not_before is not None and not_before > due:
                due = not_before
            if due < end:
                return due
        if (day - now.date()).days > SEARCH_DAYS:
            return None
        day = next_workday(s, day, include=False)
    return None


def next_break(s: BreakSettings, state: BreakState, now: datetime, *, idle_seconds: float = 0) -> NextBreak:
    """The one next break. After a long gap (sleep, a closed laptop) it is simply due now: one reminder.

    `idle_seconds`, from a client that can tell: while the person has been away long enough for a
    natural break, a new reminder waits (nobody is there to see it); the client reports the natural
    break when they come back (`natural_break`)."""
    if not s.reminders_on:
        return NextBreak(None, False, Phase.OFF, False, s.max_postpones, REMINDERS_OFF)
    st = settle(s, state, now)
    left = max(0, s.max_postpones - st.postpones)
    if st.phase is Phase.PROMPTED and st.prompted_at is not None:
        return NextBreak(st.prompted_at, True, st.phase, left > 0, left, "It is time for a short break.")
    if st.phase is Phase.POSTPONED and st.until is not None:
        _, end = work_window(s, st.until.date(), st.until)
        if st.until < end:
            is_due = now >= st.until
            reason = (
                "Your break is back now."
                if is_due
                else f"You put off your break until {clock_text(st.until)}."
            )
            return NextBreak(st.until, is_due, st.phase, is_due and left > 0, left, reason)
        st = replace(st, phase=Phase.WAITING)
        now = end  # the put-off break falls after work: look from the end of the day
    if st.phase is Phase.PAUSED and st.until is not None:
        due = _first_due(s, st, st.until, not_before=st.until)
        same_day = st.until.date() == now.date()
        held = f"until {clock_text(st.until)}" if same_day else "until your next work day"
        then = f" The next one is {_when(s, due, now)}." if due else ""
        return NextBreak(due, False, st.phase, False, s.max_postpones, f"Breaks are on hold {held}.{then}")
    due = _first_due(s, st, now, not_before=st.not_before)
    if due is None:
        return NextBreak(
            None, False, Phase.WAITING, False, s.max_postpones, "No work days are set in the next year."
        )
    if now >= due and idle_seconds >= s.natural_minutes * 60:
        away = "You are away from your desk. That counts as a break."
        return NextBreak(due, False, Phase.WAITING, False, s.max_postpones, away)
    if now >= due:
        can_wait = s.max_postpones > 0
        return NextBreak(due, True, Phase.WAITING, can_wait, s.max_postpones, "It is time for a short break.")
    if due.date() != now.date() and not is_workday(s, now.date()):
        reason = f"No breaks today. Your next break is {_when(s, due, now)}."
    elif due.date() != now.date():
        reason = f"No more breaks today. Your next break is {_when(s, due, now)}."
    else:
        reason = f"Your next break is {_when(s, due, now)}."
    return NextBreak(due, False, Phase.WAITING, False, s.max_postpones, reason)


# ── Helpers that build events a client records ────────────────────────────────────────────────────


def pause_for(s: BreakSettings, now: datetime, minutes: int) -> BreakEvent:
    """'In a meeting for 1 hour': no reminders for `minutes` (5 to 480)."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 5 <= minutes <= PAUSE_MAX_MINUTES:
        raise InvalidInput(
            "minutes",
            f"A pause can last from 5 to {PAUSE_MAX_MINUTES} minutes. You asked for {minutes}. "
            "For longer, pause until tomorrow.",
        )
    return BreakEvent(Kind.PAUSED, now, until=now + timedelta(minutes=minutes))


def pause_until_tomorrow(s: BreakSettings, now: datetime) -> BreakEvent:
    """No more reminders until the next work day starts."""
    day = next_workday(s, now.date(), include=False)
    until = work_window(s, day, now)[0] if day else now + timedelta(days=1)
    return BreakEvent(Kind.PAUSED, now, until=until)


def natural_break(s: BreakSettings, *, idle_seconds: float, now: datetime) -> BreakEvent | None:
    """A NATURAL event when the person was away long enough during work hours, else None.

    Clients that can tell (the desktop loop: system idle time, or the time the computer slept) ask
    this when the person comes back; the reminder they would have had is not needed."""
    if idle_seconds < s.natural_minutes * 60:
        return None
    away_from = now - timedelta(seconds=idle_seconds)
    start, end = work_window(s, now.date(), now)
    if not is_workday(s, now.date()) or now <= start or away_from >= end:
        return None
    return BreakEvent(Kind.NATURAL, now, idle_seconds=int(idle_seconds))
