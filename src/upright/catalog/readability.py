"""Reading level of patient text (Flesch-Kincaid grade and SMOG), per exercise. Works offline."""

from __future__ import annotations

from dataclasses import dataclass

import textstat

from upright.catalog.schema import Exercise

__all__ = ["Readability", "exercise_readability", "exercise_text", "readability"]


@dataclass(frozen=True)
class Readability:
    flesch_kincaid: float
    smog: float


def exercise_text(ex: Exercise) -> str:
    """All the words a patient reads for this exercise, as sentences, its title first."""
    parts = [
        ex.name,
        ex.purpose,
        *ex.steps,
        *ex.cues.do,
        *ex.cues.dont,
        *ex.cautions,
        *ex.breathing,
        *(p.say for p in ex.phases),
    ]
    return " ".join(p if p.rstrip().endswith((".", "!", "?")) else p + "." for p in parts)


def readability(text: str) -> Readability:
    return Readability(
        flesch_kincaid=float(textstat.flesch_kincaid_grade(text)),
        smog=float(textstat.smog_index(text)),
    )


def exercise_readability(ex: Exercise) -> Readability:
    return readability(exercise_text(ex))
