"""Pain check-ins, the alerts they raise, and how many sessions were done against the plan.

Pain uses the 0-10 Numeric Pain Rating Scale (NPRS). Alerts look at the newest check-in and the trend
up to `now` (time is always passed in), and each one says why, in patient words:

    severe pain            newest score >= SEVERE_PAIN                         -> call your clinician
    pain rising            the last two check-ins both >= baseline + 2         -> call your clinician
    new pain location      a place not reported before                         -> call your clinician
    no improvement         >= 3 weeks since the first check-in, not 2 points
                           better than baseline (and still 2 or more)          -> see a physician
    red flag               a warning sign reported at the check-in             -> answer the screening again

The baseline is the person's usual pain: given, or else the first check-in's score. Check-ins dated
after `now` are not counted (a clock that is off must not raise or hide an alert). A place is a place
id; it is known when it was named before (or given in `known_places`); with no place known yet there
is nothing to compare with, so no new-place alert.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final, Literal

from upright.catalog.vocabulary import Vocabulary
from upright.domain.dose import PAIN_RISE_STEP_BACK, check_pain
from upright.errors import InvalidInput

__all__ = [
    "IMPROVEMENT_POINTS",
    "NO_IMPROVEMENT_AFTER",
    "SEVERE_PAIN",
    "Adherence",
    "Alert",
    "PainCheckIn",
    "WeekAdherence",
    "adherence",
    "check_in",
    "pain_alerts",
    "sessions_per_week",
]

SEVERE_PAIN: Final = 7  # NPRS 7-10 is the usual "severe" band
IMPROVEMENT_POINTS: Final = 2  # a change people notice (CLINICAL.md §3: about 2 points)
NO_IMPROVEMENT_AFTER: Final = timedelta(weeks=3)
MAX_LOCATION_CHARS: Final = 60
MAX_PER_WEEK: Final = 21

AlertKind = Literal["severe-pain", "pain-rising", "new-location", "no-improvement", "red-flag"]
AlertAction = Literal["call_clinician", "see_clinician_soon", "screening"]


@dataclass(frozen=True)
class PainCheckIn:
    at: datetime
    score: int
    location: str | None = None  # where it hurts: a place id ("upper-back"; catalog/vocabulary.py PLACES)
    red_flag: bool = False  # the person reported a warning sign at this check-in


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    action: AlertAction
    reason: str
    at: datetime  # when the check-in that raised it was made
    place: str | None = None  # the place id of a new-location alert


def check_in(
    at: datetime, score: object, location: str | None = None, *, red_flag: bool = False
) -> PainCheckIn:
    """A checked pain report: score 0-10, an optional place id."""
    pain = check_pain(score, "pain")
    if location is not None and len(location) > MAX_LOCATION_CHARS:
        raise InvalidInput("location", f"keep the place short: at most {MAX_LOCATION_CHARS} letters")
    return PainCheckIn(at=at, score=pain, location=location or None, red_flag=red_flag)


def pain_alerts(
    check_ins: Iterable[PainCheckIn],
    *,
    now: datetime,
    words: Vocabulary,
    baseline: int | None = None,
    known_places: Iterable[str] = (),
) -> list[Alert]:
    """The alerts that stand now, most urgent first. Empty when there are no check-ins.

    One rule per function below; `words` names the places (the catalog's vocabulary)."""
    history = sorted((c for c in check_ins if c.at <= now), key=lambda c: c.at)
    if not history:
        return []
    usual = check_pain(baseline, "baseline") if baseline is not None else history[0].score
    since_usual = history if baseline is not None else history[1:]  # the first one set the usual level
    found = (
        _red_flag(history[-1]),
        _severe_pain(history[-1]),
        _pain_rising(since_usual[-2:], usual),
        _new_place(history, known_places, words),
        _no_improvement(history, usual, now),
    )
    return [alert for alert in found if alert is not None]


def _red_flag(latest: PainCheckIn) -> Alert | None:
    """A warning sign at the newest check-in: answer the screening again."""
    if not latest.red_flag:
        return None
    reason = "You told us about a warning sign. Answer the safety questions again before you exercise."
    return Alert("red-flag", "screening", reason, latest.at)


def _severe_pain(latest: PainCheckIn) -> Alert | None:
    """The newest score is SEVERE_PAIN or more."""
    if latest.score < SEVERE_PAIN:
        return None
    reason = (
        f"Your pain is {latest.score} out of 10. That is severe. Call your doctor or therapist. "
        "If the pain stops you from moving, get care right away."
    )
    return Alert("severe-pain", "call_clinician", reason, latest.at)


def _pain_rising(last_two: Sequence[PainCheckIn], usual: int) -> Alert | None:
    """The last two check-ins after the usual level was set are both PAIN_RISE_STEP_BACK or more over it."""
    if len(last_two) < 2 or any(c.score - usual < PAIN_RISE_STEP_BACK for c in last_two):
        return None
    first, second = last_two[0].score, last_two[1].score
    scores = f"both {first}" if first == second else f"{first} and {second}"  # no "6, then 6"
    reason = (
        f"Your last two pain scores were {scores}. Your usual pain is {usual}. "
        f"Both are {PAIN_RISE_STEP_BACK} or more points over it. Call your doctor or therapist."
    )
    return Alert("pain-rising", "call_clinician", reason, last_two[1].at)


def _new_place(
    history: Sequence[PainCheckIn], known_places: Iterable[str], words: Vocabulary
) -> Alert | None:
    """The newest check-in names a place not named before. With no place known yet there is nothing to
    compare with, so no alert. Places are ids: the same place is the same id in every language."""
    latest = history[-1]
    known = {p for p in known_places if p} | {c.location for c in history[:-1] if c.location}
    if latest.location is None or not known or latest.location in known:
        return None
    place = words.word("places", latest.location)
    reason = f"You have pain in a new place: {place}. Call your doctor or therapist about new pain."
    return Alert("new-location", "call_clinician", reason, latest.at, place=latest.location)


def _no_improvement(history: Sequence[PainCheckIn], usual: int, now: datetime) -> Alert | None:
    """NO_IMPROVEMENT_AFTER since the first check-in, not IMPROVEMENT_POINTS better, and still 2 or more."""
    latest = history[-1]
    waited = now - history[0].at
    if waited < NO_IMPROVEMENT_AFTER or usual - latest.score >= IMPROVEMENT_POINTS or latest.score < 2:
        return None
    reason = (
        f"After {waited.days // 7} weeks your pain is {latest.score}. It started at {usual}. "
        f"It has not eased by {IMPROVEMENT_POINTS} points. Please see a doctor about it."
    )
    return Alert("no-improvement", "see_clinician_soon", reason, latest.at)


@dataclass(frozen=True)
class WeekAdherence:
    start: date  # the first day of this 7-day week
    done: int
    planned: int
    complete: bool  # the week is over

    @property
    def percent(self) -> float:
        return 100.0 * min(self.done, self.planned) / self.planned


@dataclass(frozen=True)
class Adherence:
    weeks: tuple[WeekAdherence, ...]
    percent: float | None  # over complete weeks only; None before the first week ends

    @property
    def done(self) -> int:
        return sum(w.done for w in self.weeks)


def _check_per_week(per_week: object) -> int:
    if isinstance(per_week, bool) or not isinstance(per_week, int) or not 1 <= per_week <= MAX_PER_WEEK:
        raise InvalidInput("per_week", f"sessions a week must be a whole number from 1 to {MAX_PER_WEEK}")
    return per_week


def adherence(
    session_times: Sequence[datetime], *, per_week: int, start: datetime, now: datetime
) -> Adherence:
    """Sessions done per week against the plan, in 7-day weeks counted from the program's start.

    Extra sessions in one week do not make up for a missed week (each week counts up to its plan)."""
    per_week = _check_per_week(per_week)
    if now < start:
        raise InvalidInput("now", "the time now is before the program started")
    first, today = start.date(), now.date()
    n_weeks = (today - first).days // 7 + 1
    counts = [0] * n_weeks
    for t in session_times:
        day = t.date()
        if first <= day <= today:
            counts[(day - first).days // 7] += 1
    weeks = tuple(
        WeekAdherence(
            first + timedelta(days=7 * i), counts[i], per_week, first + timedelta(days=7 * (i + 1)) <= today
        )
        for i in range(n_weeks)
    )
    complete = [w for w in weeks if w.complete]
    percent = (
        100.0 * sum(min(w.done, w.planned) for w in complete) / sum(w.planned for w in complete)
        if complete
        else None
    )
    return Adherence(weeks, percent)


def sessions_per_week(session_times: Sequence[datetime], *, now: datetime, weeks: int = 4) -> float:
    """The average number of sessions a week over the last `weeks` weeks up to `now`."""
    if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
        raise InvalidInput("weeks", "weeks must be a whole number, 1 or more")
    since = now - timedelta(weeks=weeks)
    return sum(1 for t in session_times if since < t <= now) / weeks
