"""Doses for one person: where they start, how they grow, when they step back. Every change says why.

The handout's numbers are the bounds (`DoseRange`). A planned dose (`PlannedDose`) starts at the low
end ("start slowly") and moves one step at a time on a fixed ladder:

    up:   hold seconds first, then repetitions, then sets        (only while pain <= baseline, no pain stop)
    down: sets first, then repetitions, then hold seconds        (after a pain stop or a rise of >= 2 points)

Only a clinician may set numbers outside the handout's range (`clinician_set`); the range then widens
to what they set, and the ladder stays inside it. A handout that names an exercise without numbers
gives "one slow time through", which does not grow until a clinician sets a dose.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from upright.catalog.schema import MAX_HOLD_SECONDS, MAX_REPS, MAX_SETS, Dose, Exercise, Variant
from upright.catalog.vocabulary import Vocabulary
from upright.domain.wording import dose_parts, no_count
from upright.errors import InvalidInput

__all__ = [
    "HOLD_STEP_SECONDS",
    "LADDER_UP",
    "PAIN_MAX",
    "PAIN_RISE_STEP_BACK",
    "DoseChange",
    "DoseRange",
    "Param",
    "PlannedDose",
    "check_pain",
    "choose_handout_dose",
    "dose_words",
    "handout_dose",
    "next_dose",
    "set_dose",
    "starting_dose",
]

HOLD_STEP_SECONDS = 5  # one step up or down for a hold
PAIN_MAX = 10  # NPRS 0-10
PAIN_RISE_STEP_BACK = 2  # a rise this big over baseline is a real change (CLINICAL.md §3: about 2 points)

Param = Literal["hold_seconds", "reps", "sets"]
LADDER_UP: tuple[Param, ...] = ("hold_seconds", "reps", "sets")
LADDER_DOWN: tuple[Param, ...] = ("sets", "reps", "hold_seconds")
HARD_MAX: dict[Param, int] = {"hold_seconds": MAX_HOLD_SECONDS, "reps": MAX_REPS, "sets": MAX_SETS}


@dataclass(frozen=True)
class DoseRange:
    """The bounds a dose may move in: the handout's numbers, or a clinician's."""

    hold_seconds: tuple[int, int] | None
    reps: tuple[int, int] | None
    sets: tuple[int, int]

    def bounds(self, param: Param) -> tuple[int, int] | None:
        value: tuple[int, int] | None = getattr(self, param)
        return value


@dataclass(frozen=True)
class PlannedDose:
    """The amount to do now. `reps` None means one time through per set (the handout gives no count)."""

    handout: str
    hold_seconds: int | None
    reps: int | None
    sets: int
    each_side: bool
    range: DoseRange
    variant: str | None = None
    clinician_set: bool = False
    given: bool = True  # False: the handout names the exercise but gives no numbers

    def __post_init__(self) -> None:
        # The one promise every dose keeps, however it was made: its numbers lie inside its range.
        _check_numbers(self, self.range)

    @property
    def reps_per_set(self) -> int:
        return self.reps or 1

    def value(self, param: Param) -> int | None:
        number: int | None = getattr(self, param)
        return number


@dataclass(frozen=True)
class DoseChange:
    """What the next session's dose is, and why. `changed` is None when it stays the same."""

    before: PlannedDose
    after: PlannedDose
    direction: Literal["up", "down", "same"]
    changed: Param | None
    reason: str


def _check_numbers(
    values: PlannedDose | dict[Param, int | None], rng: DoseRange, field: str = "dose"
) -> None:
    """Each number is a whole number from 1 to its hard limit, inside its range; a range has its number."""
    for param in LADDER_UP:
        value = values.get(param) if isinstance(values, dict) else values.value(param)
        bounds = rng.bounds(param)
        if value is None:
            if bounds is not None:
                raise InvalidInput(f"{field}.{param}", f"give a number from {bounds[0]} to {bounds[1]}")
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(f"{field}.{param}", "must be a whole number")
        if not 1 <= value <= HARD_MAX[param]:
            raise InvalidInput(f"{field}.{param}", f"must be between 1 and {HARD_MAX[param]}; got {value}")
        if bounds is None or not bounds[0] <= value <= bounds[1]:
            where = f"the range {bounds[0]} to {bounds[1]}" if bounds else "a range"
            raise InvalidInput(f"{field}.{param}", f"{value} is outside {where}")


def _range_of(numbers: Dose | Variant) -> DoseRange:
    if isinstance(numbers, Dose) and not numbers.is_given:
        return DoseRange(hold_seconds=None, reps=None, sets=(1, 1))
    sets = numbers.sets or 1
    return DoseRange(hold_seconds=numbers.hold_seconds, reps=numbers.reps, sets=(sets, sets))


def handout_dose(exercise: Exercise, handout: str, *, variant: str | None = None) -> Dose | Variant:
    """The handout's numbers for this exercise (or one of its named variants)."""
    dose = exercise.dose_for(handout)
    if dose is None:
        files = ", ".join(d.handout for d in exercise.doses)
        raise InvalidInput(
            "dose.handout", f"{exercise.name} has no dose in handout {handout!r}; it has: {files}"
        )
    if variant is None:
        return dose
    for v in dose.variants:
        if v.name == variant:
            return v
    names = ", ".join(v.name for v in dose.variants) or "none"
    raise InvalidInput("dose.variant", f"{exercise.name} has no variant {variant!r}; variants: {names}")


def starting_dose(
    exercise: Exercise, handout: str | None = None, *, variant: str | None = None
) -> PlannedDose:
    """The low end of the handout's range: where everyone starts."""
    dose = exercise.dose_for(handout) if handout else choose_handout_dose(exercise)
    if dose is None:
        handout_dose(exercise, handout or "")  # raises the error that names the handouts it has
        raise AssertionError("unreachable")
    numbers = handout_dose(exercise, dose.handout, variant=variant)
    rng = _range_of(numbers)
    return PlannedDose(
        handout=dose.handout,
        hold_seconds=rng.hold_seconds[0] if rng.hold_seconds else None,
        reps=rng.reps[0] if rng.reps else None,
        sets=rng.sets[0],
        each_side=numbers.each_side,
        range=rng,
        variant=variant,
        given=dose.is_given,
    )


def _start_seconds(exercise: Exercise, dose: Dose) -> float:
    """Rough time of the starting dose, to compare handouts (the script has the exact number)."""
    hold = dose.hold_seconds[0] if dose.hold_seconds else 0
    per_rep = sum(hold if p.hold else p.seconds for p in exercise.phases)
    reps = dose.reps[0] if dose.reps else 1
    return per_rep * reps * (dose.sets or 1) * (2 if dose.each_side else 1)


def choose_handout_dose(exercise: Exercise) -> Dose:
    """The gentlest start among the handouts that give numbers (ties: the first listed).

    Several handouts give the same movement different doses; the one that asks least at the start
    fits "start slowly" best, and its own range then bounds the progression."""
    given = [d for d in exercise.doses if d.is_given] or list(exercise.doses)
    return min(given, key=lambda d: _start_seconds(exercise, d))


def _with(dose: PlannedDose, param: Param, number: int) -> PlannedDose:
    if param == "hold_seconds":
        return replace(dose, hold_seconds=number)
    if param == "reps":
        return replace(dose, reps=number)
    return replace(dose, sets=number)


def set_dose(
    base: PlannedDose,
    *,
    hold_seconds: int | None = None,
    reps: int | None = None,
    sets: int | None = None,
    clinician_set: bool = False,
    range_override: DoseRange | None = None,
    field: str = "dose",
) -> PlannedDose:
    """Change numbers on a dose. Outside the handout's range only when a clinician set it.

    A clinician's numbers widen the range to include them, so later steps never pass what they set.
    A clinician's range (`range_override`) keeps the handout's bounds where it gives none."""
    rng = base.range
    if range_override is not None and clinician_set:
        rng = DoseRange(
            hold_seconds=range_override.hold_seconds or base.range.hold_seconds,
            reps=range_override.reps or base.range.reps,
            sets=range_override.sets,
        )
    wanted: dict[Param, int | None] = {"hold_seconds": hold_seconds, "reps": reps, "sets": sets}
    numbers: dict[Param, int | None] = {p: base.value(p) for p in LADDER_UP}
    bounds_of: dict[Param, tuple[int, int] | None] = {p: rng.bounds(p) for p in LADDER_UP}
    for param, number in wanted.items():
        if number is None:
            continue
        if isinstance(number, bool) or not isinstance(number, int):
            raise InvalidInput(f"{field}.{param}", "must be a whole number")
        if not 1 <= number <= HARD_MAX[param]:
            raise InvalidInput(f"{field}.{param}", f"must be between 1 and {HARD_MAX[param]}; got {number}")
        bounds = bounds_of[param]
        if bounds is None and not clinician_set:
            raise InvalidInput(
                f"{field}.{param}",
                "the handout gives no number here; only your doctor or therapist can set one",
            )
        lo, hi = bounds or (number, number)
        if not lo <= number <= hi:
            if not clinician_set:
                raise InvalidInput(
                    f"{field}.{param}",
                    f"{number} is outside the handout's range {lo} to {hi}; only your doctor or therapist can go outside it",
                )
            lo, hi = min(lo, number), max(hi, number)
        bounds_of[param] = (lo, hi)
        numbers[param] = number
    # One new range at the end (not one copy per number: every stored dose is read through here).
    sets_bounds = bounds_of["sets"]
    assert sets_bounds is not None  # every range has its sets
    rng = DoseRange(hold_seconds=bounds_of["hold_seconds"], reps=bounds_of["reps"], sets=sets_bounds)
    _check_numbers(numbers, rng, field)  # an override range must still hold the numbers
    return replace(
        base,
        hold_seconds=numbers["hold_seconds"],
        reps=numbers["reps"],
        sets=numbers["sets"] or base.sets,
        range=rng,
        clinician_set=base.clinician_set or clinician_set,
    )


def dose_words(dose: PlannedDose, words: Vocabulary) -> str:
    """The dose in the same words every screen uses, e.g. 'Hold 15 seconds · 2 times'."""
    if not dose.given and not dose.clinician_set:
        return no_count(words)
    numbers = Variant(
        name="planned",
        hold_seconds=(dose.hold_seconds, dose.hold_seconds) if dose.hold_seconds else None,
        reps=(dose.reps, dose.reps) if dose.reps else None,
        sets=dose.sets if dose.sets > 1 else None,
        each_side=dose.each_side,
    )
    return " · ".join(dose_parts(numbers, words))


def check_pain(score: object, field: str = "pain") -> int:
    """A pain score on the 0-10 scale, or an error naming the field."""
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= PAIN_MAX:
        raise InvalidInput(
            field, f"pain is a whole number from 0 (none) to {PAIN_MAX} (worst); got {score!r}"
        )
    return score


def _step(dose: PlannedDose, param: Param, direction: int) -> PlannedDose | None:
    value, bounds = dose.value(param), dose.range.bounds(param)
    if value is None or bounds is None:
        return None
    size = HOLD_STEP_SECONDS if param == "hold_seconds" else 1
    lo, hi = bounds
    moved = min(value + size, hi) if direction > 0 else max(value - size, lo)
    return None if moved == value else _with(dose, param, moved)


STEP_WORDS: dict[tuple[Param, str], str] = {
    ("hold_seconds", "up"): "Next time, hold {n} seconds longer.",
    ("reps", "up"): "Next time, do it {n} more time in each set.",
    ("sets", "up"): "Next time, add {n} more set.",
    ("hold_seconds", "down"): "Next time, hold {n} seconds less.",
    ("reps", "down"): "Next time, do it {n} time less in each set.",
    ("sets", "down"): "Next time, do {n} set less.",
}


def next_dose(current: PlannedDose, *, pain: int, baseline: int, stopped_for_pain: bool) -> DoseChange:
    """The dose for the next session, from how the last one went.

    pain: the score after the session; baseline: the person's usual score (both 0-10)."""
    pain = check_pain(pain, "pain")
    baseline = check_pain(baseline, "baseline")
    rise = pain - baseline
    if stopped_for_pain or rise >= PAIN_RISE_STEP_BACK:
        why = (
            "You stopped for pain."
            if stopped_for_pain
            else f"Your pain was {pain}. That is {rise} points over your usual {baseline}."
        )
        for param in LADDER_DOWN:
            lower = _step(current, param, -1)
            if lower is not None:
                n = abs((current.value(param) or 0) - (lower.value(param) or 0))
                words = STEP_WORDS[(param, "down")].format(n=n)
                return DoseChange(current, lower, "down", param, f"{why} {words}")
        return DoseChange(
            current,
            current,
            "same",
            None,
            f"{why} You are at the smallest amount already. If it keeps hurting, stop and call your doctor or therapist.",
        )
    if rise > 0:
        return DoseChange(
            current,
            current,
            "same",
            None,
            f"Your pain was {pain}, a bit over your usual {baseline}. Stay at this amount next time.",
        )
    why = "Your pain stayed at or below your usual level."
    for param in LADDER_UP:
        higher = _step(current, param, +1)
        if higher is not None:
            n = (higher.value(param) or 0) - (current.value(param) or 0)
            return DoseChange(current, higher, "up", param, f"{why} {STEP_WORDS[(param, 'up')].format(n=n)}")
    if current.clinician_set:
        top = "You are at the top your doctor or therapist set"
    elif current.given:
        top = "You are at the top of the handout's range"
    else:
        top = "The handout gives no amount to add to"
    return DoseChange(
        current, current, "same", None, f"{why} {top}. Ask your doctor or therapist before you do more."
    )
