"""Doses in plain words ("Hold 5 seconds · 10 times · each side"), the one wording every screen and handout uses.

The words are the caller's (the catalog's vocabulary, kind `doses`); this module only puts them
together from the dose's numbers, so a translation changes the words and nothing here."""

from __future__ import annotations

from upright.catalog.schema import Dose, Exercise, Variant
from upright.catalog.vocabulary import Vocabulary

__all__ = ["dose_parts", "dose_text", "no_count", "span", "steps_in"]


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


def span(pair: tuple[int, int] | None, unit: str, words: Vocabulary) -> str | None:
    """(5, 10) -> '5 to 10 times'; (5, 5) -> '5 times'; (1, 1) -> '1 time' (`unit`: 'time', 'second',
    'set', an id of the `doses` words with its plural id + 's')."""
    if pair is None:
        return None
    lo, hi = pair
    many = words.word("doses", unit + "s")
    if lo == hi:
        return words.filled("doses", "amount", n=lo, unit=words.word("doses", unit) if lo == 1 else many)
    return words.filled("doses", "range", low=lo, high=hi, unit=many)


def no_count(words: Vocabulary) -> str:
    """What every screen and handout says when a handout names an exercise but gives no numbers."""
    return words.word("doses", "no_count")


def dose_parts(dose: Dose | Variant, words: Vocabulary) -> list[str]:
    parts: list[str] = []
    hold = span(dose.hold_seconds, "second", words)
    if hold:
        parts.append(words.filled("doses", "hold", amount=hold))
    reps = span(dose.reps, "time", words)
    if reps:
        parts.append(reps)
    if dose.sets:
        parts.append(span((dose.sets, dose.sets), "set", words) or "")
    if dose.each_side:
        parts.append(words.word("doses", "each_side"))
    if isinstance(dose, Dose):  # the handout's own words ("a couple of times a day") beat a count
        per_day = span(dose.per_day, "time", words)
        if dose.per_day_text:
            parts.append(dose.per_day_text)
        elif per_day:
            parts.append(words.filled("doses", "per_day", amount=per_day))
    return parts


def dose_text(dose: Dose | Variant, words: Vocabulary) -> str:
    """The dose as one line; a handout that names an exercise without numbers says so."""
    parts = dose_parts(dose, words)
    return " · ".join(parts) if parts else no_count(words)
