"""A clinician's prescription: which exercises, how much, how often, from when, and what changed.

Every dose starts from a handout's numbers and must lie in that handout's range. A clinician may go
beyond the range only with a stated reason (`override_reason`), which is kept with the version; the
dose is then `clinician_set` (domain.dose.set_dose widens its range to what they set). The patient's
conditions rule exercises out with their reasons (domain.exclusions, the one place this is decided);
an excluded exercise is refused, and `exclusions_for` lists them for the clinician to see.

How often: each exercise has its own times a day (`PrescribedItem.times_per_day`); left out, it is the
prescription's `times_per_day` when the clinician gave one, else the handout's own ("several times a
day" counts 3: domain.break_routine.times_per_day), else 1. A full session plays every exercise, so
the sessions a day are the times every exercise shares (the fewest); an exercise asked for more often
gets its extra times in short rounds through the day (the work-break routine aims at them).

Each save is a new version. `summary` turns a prescription into short lines keyed by what they are
about, and `what_changed` compares two summaries, so the patient reads "Chin tuck: now 10 times"
without the old version having to be checked again against today's catalog."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Final

from upright.catalog.load import Catalog
from upright.catalog.vocabulary import Vocabulary
from upright.domain.break_routine import times_per_day as handout_times
from upright.domain.break_settings import EVERY_MAX, EVERY_MIN
from upright.domain.dose import PlannedDose, dose_words, set_dose, starting_dose
from upright.domain.exclusions import Exclusion, check_conditions, exclusion_at, exclusion_for
from upright.domain.script import ScriptItem, known_exercise
from upright.errors import InvalidInput

__all__ = [
    "MAX_NOTE",
    "MAX_WEEKS",
    "MIN_REASON",
    "PrescribedItem",
    "Prescription",
    "PrescriptionDraft",
    "WorkBreaks",
    "check_prescription",
    "exclusions_for",
    "summary",
    "times_words",
    "what_changed",
]

MAX_WEEKS: Final = 52
MAX_PER_WEEK: Final = 14
MAX_TIMES_PER_DAY: Final = 6
MAX_SESSIONS_A_WEEK: Final = 14  # the profile keeps at most this many sessions a week
MAX_NOTE: Final = 500
MIN_REASON: Final = 5  # a reason is a few words, not "x"
MAX_ITEMS: Final = 30


@dataclass(frozen=True)
class PrescribedItem:
    """One exercise as the clinician asks for it. A number left out starts at the handout's low end."""

    exercise: str
    handout: str | None = None  # None: the gentlest handout that has this exercise
    hold_seconds: int | None = None
    reps: int | None = None
    sets: int | None = None
    variant: str | None = None
    position: str | None = None
    override_reason: str | None = None  # why a number goes beyond the handout's range
    times_per_day: int | None = None  # None: the prescription's, else the handout's, else 1


@dataclass(frozen=True)
class WorkBreaks:
    """Short breaks at work as part of the prescription: between these hours, every so many minutes,
    with these exercises (a subset of the prescription's, or empty for the whole routine)."""

    start: time
    end: time
    every_minutes: int
    exercises: tuple[str, ...] = ()


@dataclass(frozen=True)
class PrescriptionDraft:
    items: tuple[PrescribedItem, ...]
    per_week: int
    start: date
    weeks: int = 6  # CLINICAL.md section 4: trials run 4 to 6 weeks
    times_per_day: int | None = None  # for every item that gives none of its own
    note: str = ""
    override_reason: str | None = None  # applies to every item that gives none of its own
    breaks: WorkBreaks | None = None


@dataclass(frozen=True)
class Prescription:
    """A checked prescription: every dose inside its range (or beyond it with a reason)."""

    items: tuple[ScriptItem, ...]
    per_week: int
    start: date
    weeks: int
    times: Mapping[str, int]  # exercise id -> times a day
    note: str
    overrides: Mapping[str, str]  # exercise id -> the reason its dose goes beyond the handout
    breaks: WorkBreaks | None

    @property
    def end(self) -> date:
        return self.start + timedelta(weeks=self.weeks)

    @property
    def times_per_day(self) -> int:
        """Full sessions a day: the times every exercise shares."""
        return min(self.times.values())

    @property
    def sessions_per_week(self) -> int:
        return self.per_week * self.times_per_day


def _whole(value: object, field: str, lo: int, hi: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise InvalidInput(field, f"{what} must be a whole number from {lo} to {hi}")
    return value


def _reason(item: PrescribedItem, draft: PrescriptionDraft) -> str | None:
    reason = " ".join((item.override_reason or draft.override_reason or "").split())
    return reason or None


def _dose(item: PrescribedItem, n: int, catalog: Catalog, reason: str | None) -> tuple[PlannedDose, bool]:
    """The checked dose and whether it goes beyond the handout's range."""
    ex = catalog.exercises[item.exercise]
    field = f"items[{n}].dose"
    if item.handout is not None and ex.dose_for(item.handout) is None:
        files = ", ".join(d.handout for d in ex.doses)
        raise InvalidInput(
            f"{field}.handout", f"{ex.name} has no dose in handout {item.handout!r}; it has: {files}"
        )
    base = starting_dose(ex, item.handout, variant=item.variant)
    try:
        return set_dose(
            base, hold_seconds=item.hold_seconds, reps=item.reps, sets=item.sets, field=field
        ), False
    except InvalidInput as exc:
        if "outside" not in exc.message and "gives no number" not in exc.message:
            raise  # not a range problem (a hard limit, a wrong type): no reason makes it right
        if reason is None:
            raise InvalidInput(
                exc.field,
                f"{ex.name}: {exc.message.split(';')[0]}. To go beyond the handout, give a reason "
                "(override_reason).",
            ) from None
        if len(reason) < MIN_REASON:
            raise InvalidInput(
                f"items[{n}].override_reason", f"say in a few words why {ex.name} goes beyond the handout"
            ) from None
    return set_dose(
        base, hold_seconds=item.hold_seconds, reps=item.reps, sets=item.sets, clinician_set=True, field=field
    ), True


def check_prescription(draft: PrescriptionDraft, catalog: Catalog, conditions: Sequence[str]) -> Prescription:
    """The prescription with checked doses, or InvalidInput for the first problem (nothing partial).

    An exercise the patient's conditions rule out is refused with the condition's reason."""
    if not draft.items:
        raise InvalidInput("items", "add at least one exercise")
    if len(draft.items) > MAX_ITEMS:
        raise InvalidInput("items", f"keep it to {MAX_ITEMS} exercises or fewer")
    per_week = _whole(draft.per_week, "per_week", 1, MAX_PER_WEEK, "Days a week")
    if draft.times_per_day is not None:
        _whole(draft.times_per_day, "times_per_day", 1, MAX_TIMES_PER_DAY, "Times a day")
    weeks = _whole(draft.weeks, "weeks", 1, MAX_WEEKS, "The length in weeks")
    note = draft.note.strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput("note", f"keep the note to {MAX_NOTE} letters or fewer")
    known = check_conditions(conditions, catalog.conditions)
    items: list[ScriptItem] = []
    times: dict[str, int] = {}
    overrides: dict[str, str] = {}
    seen: set[str] = set()
    for n, item in enumerate(draft.items):
        ex = known_exercise(catalog.exercises, item.exercise, field=f"items[{n}].exercise")
        if ex.id in seen:
            raise InvalidInput(f"items[{n}].exercise", f"{ex.name} is in the list twice; keep one")
        seen.add(ex.id)
        if item.position is not None and item.position not in ex.positions:
            raise InvalidInput(f"items[{n}].position", f"{ex.name} is done {' or '.join(ex.positions)}")
        out = exclusion_at(ex, item.position, known) if item.position else exclusion_for(ex, known)
        if out is not None:
            raise InvalidInput(
                f"items[{n}].exercise",
                f"{ex.name} does not suit this patient: {out.reason} (rule {out.rule})",
            )
        reason = _reason(item, draft)
        dose, beyond = _dose(item, n, catalog, reason)
        if beyond and reason is not None:
            overrides[ex.id] = reason
        items.append(ScriptItem(ex, dose, item.position))
        given = item.times_per_day if item.times_per_day is not None else draft.times_per_day
        times[ex.id] = (
            handout_times(items[-1])
            if given is None
            else _whole(given, f"items[{n}].times_per_day", 1, MAX_TIMES_PER_DAY, f"{ex.name}: times a day")
        )
    if per_week * min(times.values()) > MAX_SESSIONS_A_WEEK:
        raise InvalidInput(
            "times_per_day", f"that is over {MAX_SESSIONS_A_WEEK} sessions a week; ask for fewer"
        )
    breaks = _check_breaks(draft.breaks, seen)
    return Prescription(tuple(items), per_week, draft.start, weeks, times, note, overrides, breaks)


def _check_breaks(breaks: WorkBreaks | None, prescribed: set[str]) -> WorkBreaks | None:
    if breaks is None:
        return None
    if breaks.end <= breaks.start:
        raise InvalidInput("breaks.end", "the work day must end after it starts")
    _whole(
        breaks.every_minutes, "breaks.every_minutes", EVERY_MIN, EVERY_MAX, "The gap between breaks (minutes)"
    )
    for n, ex in enumerate(breaks.exercises):
        if ex not in prescribed:
            raise InvalidInput(f"breaks.exercises[{n}]", f"{ex!r} is not in this prescription")
    return breaks


def exclusions_for(catalog: Catalog, conditions: Sequence[str]) -> list[Exclusion]:
    """Every catalog exercise the patient's conditions rule out, each with its reason and rule."""
    known = check_conditions(conditions, catalog.conditions)
    out = (exclusion_for(ex, known) for ex in catalog.exercises.values())
    return [x for x in out if x is not None]


def _days(n: int) -> str:
    return "1 day a week" if n == 1 else f"{n} days a week"


def times_words(n: int) -> str:
    return "once a day" if n == 1 else f"{n} times a day"


def summary(p: Prescription, words: Vocabulary) -> dict[str, str]:
    """Short lines, keyed by what each is about (stored with the version, compared by what_changed).
    An exercise's line names its times a day only when it is more than the sessions a day, so a
    prescription with one number for all reads (and compares) as before."""
    lines = {
        f"exercise:{it.exercise.id}": f"{it.exercise.name}: {dose_words(it.dose, words)}"
        + (f", {times_words(t)}" if (t := p.times[it.exercise.id]) > p.times_per_day else "")
        for it in p.items
    }
    lines["how-often"] = _days(p.per_week) + (
        f", {p.times_per_day} times a day" if p.times_per_day > 1 else ""
    )
    lines["dates"] = f"from {p.start.isoformat()} for {p.weeks} weeks"
    if p.note:
        lines["note"] = "Note: " + p.note
    if p.breaks is not None:
        b = p.breaks
        lines["breaks"] = f"Work breaks every {b.every_minutes} minutes from {b.start:%H:%M} to {b.end:%H:%M}"
    return lines


def what_changed(before: Mapping[str, str] | None, after: Mapping[str, str]) -> list[str]:
    """What a patient needs to know changed, in the order of the new prescription, removals last."""
    if before is None:
        return ["New plan from your doctor or therapist."]
    out: list[str] = []
    for key, line in after.items():
        old = before.get(key)
        if old == line:
            continue
        if old is None:
            out.append(("Added: " if key.startswith("exercise:") else "") + line)
        elif key.startswith("exercise:"):
            out.append("Changed: " + line)
        else:
            out.append("Now: " + line)
    for key, line in before.items():
        if key not in after:
            out.append("Taken out: " + (line.split(":", 1)[0] if key.startswith("exercise:") else line))
    return out
