"""Doses in plain words ("Hold 5 seconds · 10 times · each side"), the one wording every screen and handout uses."""

from __future__ import annotations

from upright.catalog.schema import Dose, Exercise, Variant

__all__ = ["NO_COUNT", "dose_parts", "dose_text", "span", "steps_in"]

# What every screen and handout says when a handout names an exercise but gives no numbers.
NO_COUNT = "The handout does not say how many. Do it once, slowly, or ask your doctor or therapist"


# Steps written for standing (or for either) that read as sitting once these words change.
SEATED_WORDS = (
    ("Stand up tall", "Sit up tall"),
    ("Stand tall", "Sit tall"),
    ("Sit or stand up tall", "Sit up tall"),
    ("Sit or stand tall", "Sit tall"),
    (" You can also stand.", ""),
)


def steps_in(ex: Exercise, position: str | None) -> tuple[str, ...]:
    """The how-to steps as said for `position`: a plan at a desk says "sit", never "stand"."""
    if position != "sitting":
        return ex.steps
    out = []
    for step in ex.steps:
        for either, sitting in SEATED_WORDS:
            step = step.replace(either, sitting)
        out.append(step)
    return tuple(out)


def span(pair: tuple[int, int] | None, unit: str, plural: str | None = None) -> str | None:
    """(5, 10) -> '5 to 10 times'; (5, 5) -> '5 times'; (1, 1) -> '1 time'."""
    if pair is None:
        return None
    lo, hi = pair
    many = plural or unit + "s"
    if lo == hi:
        return f"{lo} {unit if lo == 1 else many}"
    return f"{lo} to {hi} {many}"


def dose_parts(dose: Dose | Variant) -> list[str]:
    parts: list[str] = []
    hold = span(dose.hold_seconds, "second")
    if hold:
        parts.append(f"Hold {hold}")
    reps = span(dose.reps, "time")
    if reps:
        parts.append(reps)
    if dose.sets:
        parts.append(f"{dose.sets} set" + ("" if dose.sets == 1 else "s"))
    if dose.each_side:
        parts.append("each side")
    if isinstance(dose, Dose):  # the handout's own words ("a couple of times a day") beat a count
        per_day = span(dose.per_day, "time")
        if dose.per_day_text:
            parts.append(dose.per_day_text)
        elif per_day:
            parts.append(f"{per_day} a day")
    return parts


def dose_text(dose: Dose | Variant) -> str:
    """The dose as one line; a handout that names an exercise without numbers says so."""
    parts = dose_parts(dose)
    if not parts or (isinstance(dose, Dose) and not dose.is_given):
        return " · ".join(parts) if parts else NO_COUNT
    return " · ".join(parts)
