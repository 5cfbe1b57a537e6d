"""The short routine for one break, drawn from the person's own program.

Only exercises that fit a desk: marked desk-friendly, done sitting or standing (never on the floor),
and needing nothing the person does not have at the desk (a chair is always there). Each break holds
about 1 to 2 minutes; a single exercise whose dose runs longer still makes a break on its own, because
the dose is the program's and is not cut.

Rotation: each exercise has a number of times a day (its handout's "times per day", 1 when the
handout gives none). The next routine starts with the exercise furthest behind today, then the one
done least recently, then program order, so a work day of breaks covers every daily dose. The routine
is compiled by the same script compiler as a full session (`domain.script`), so the same players play
it; a break ends with a short "done" step instead of the end-of-session pain check (a pain score every
45 minutes would be a burden and would swamp the pain chart; "This hurts" still works in every player).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

from upright.catalog.schema import Exercise
from upright.catalog.vocabulary import Vocabulary
from upright.domain.script import Script, ScriptItem, Step, compile_script
from upright.errors import InvalidInput

__all__ = [
    "DESK_POSITIONS",
    "MAX_SECONDS",
    "MIN_SECONDS",
    "LeftOut",
    "Routine",
    "break_script",
    "desk_items",
    "plan_day",
    "routine_minutes",
    "routine_now",
    "times_per_day",
]

DESK_POSITIONS: Final = ("sitting", "standing")
MIN_SECONDS: Final = 60.0
MAX_SECONDS: Final = 120.0
ALWAYS_AT_DESK: Final = frozenset({"chair"})
BREAK_TITLE: Final = "Your short break"
DONE_SHOW: Final = "Your break is done"
DONE_SAY: Final = "Well done. That was your short break. Back to work when you are ready."

# "several times a day" and friends, as a number to plan with (the low end of what the words mean).
_PER_DAY_WORDS: Final = (
    (re.compile(r"\bseveral\b|\bfew\b|\bmany\b"), 3),
    (re.compile(r"\bcouple\b|\btwice\b|\btwo\b"), 2),
    (re.compile(r"\bonce\b|\bone\b"), 1),
)


@dataclass(frozen=True)
class LeftOut:
    exercise: str
    reason: str  # patient words


@dataclass(frozen=True)
class Routine:
    items: tuple[ScriptItem, ...]
    script: Script
    reason: str  # why these exercises now, in plain words

    @property
    def seconds(self) -> float:
        return self.script.total_seconds

    @property
    def exercises(self) -> tuple[str, ...]:
        return tuple(i.exercise.id for i in self.items)


def times_per_day(item: ScriptItem) -> int:
    """How often a day the handout asks for this exercise: per_day's low end, or its words, or 1."""
    dose = item.exercise.dose_for(item.dose.handout)
    if dose is None:
        return 1
    if dose.per_day:
        return dose.per_day[0]
    text = (dose.per_day_text or "").lower()
    for pattern, times in _PER_DAY_WORDS:
        if pattern.search(text):
            return times
    return 1


def _desk_position(item: ScriptItem) -> str | None:
    """Sitting or standing, as the program has it; the exercise's own start first, then sitting."""
    allowed = (item.position,) if item.position else item.exercise.positions
    for position in (item.exercise.position, "sitting", "standing"):
        if position in DESK_POSITIONS and position in allowed:
            return position
    return None


def _why_not(ex: Exercise, position: str | None, at_hand: Collection[str], words: Vocabulary) -> str | None:
    if not ex.desk_friendly or position is None:
        return f"{ex.name}: this one is not for a desk. Do it in your full session."
    missing = sorted(ex.needs - set(at_hand) - ALWAYS_AT_DESK)
    if missing:
        need = words.listing("equipment", missing)
        return f"{ex.name}: you need {need}, and you did not say you have it at your desk."
    return None


def desk_items(
    items: Sequence[ScriptItem], *, words: Vocabulary, at_hand: Collection[str] = ()
) -> tuple[list[ScriptItem], list[LeftOut]]:
    """The program's exercises that fit a desk (each set to sitting or standing), and the rest with why."""
    kept: list[ScriptItem] = []
    left: list[LeftOut] = []
    for item in items:
        position = _desk_position(item)
        reason = _why_not(item.exercise, position, at_hand, words)
        if reason is not None:
            left.append(LeftOut(item.exercise.id, reason))
        elif all(k.exercise.id != item.exercise.id for k in kept):
            kept.append(replace(item, position=position))
    return kept, left


# The last step of a break: players wait here for "done" (a session asks for a pain score instead).
DONE_STEP = Step(kind="rest", seconds=3.0, show=DONE_SHOW, say=DONE_SAY, needs_answer=True)


def break_script(items: Sequence[ScriptItem], *, words: Vocabulary, reminders: Sequence[str] = ()) -> Script:
    """The routine as a script from the session compiler, ending with a "done" step.

    `reminders` are the screening's standing reminders (read after the safety words, as in a session)."""
    return compile_script(
        items, words=words, posture=None, reminders=reminders, title=BREAK_TITLE, final_step=DONE_STEP
    )


def _reason(chosen: Sequence[ScriptItem], targets: dict[str, int], counts: Counter[str]) -> str:
    parts = []
    for item in chosen:
        ex = item.exercise
        want, done = targets[ex.id], counts[ex.id]
        if done < want:
            times = "once" if want == 1 else f"{want} times"
            parts.append(f"{ex.name}: your program has it {times} a day. This is time {done + 1}.")
        else:
            parts.append(f"{ex.name}: done today already. One more keeps you moving.")
    return " ".join(parts)


def routine_now(
    items: Sequence[ScriptItem],
    done_today: Sequence[str] = (),
    *,
    words: Vocabulary,
    min_seconds: float = MIN_SECONDS,
    max_seconds: float = MAX_SECONDS,
    prescribed: Mapping[str, int] | None = None,
) -> Routine:
    """The next break's routine, given the exercises already done in today's breaks (in order).

    `items` are desk items (see desk_items); `prescribed` the times a day a clinician set per exercise
    (they replace the handout's). Deterministic: the same inputs give the same routine."""
    if not items:
        raise InvalidInput("program", "Your program has no exercise you can do at a desk.")
    counts = Counter(done_today)
    last_done = {ex: i for i, ex in enumerate(done_today)}
    targets = {i.exercise.id: (prescribed or {}).get(i.exercise.id) or times_per_day(i) for i in items}
    order = sorted(
        range(len(items)),
        key=lambda n: (
            -(targets[items[n].exercise.id] - counts[items[n].exercise.id]),
            last_done.get(items[n].exercise.id, -1),
            n,
        ),
    )
    chosen: list[ScriptItem] = []
    script: Script | None = None
    for n in order:
        item = items[n]
        behind = targets[item.exercise.id] > counts[item.exercise.id]
        if chosen and not behind and script is not None and script.total_seconds >= min_seconds:
            continue
        trial = break_script([*chosen, item], words=words)
        if not chosen or trial.total_seconds <= max_seconds:
            chosen.append(item)
            script = trial
    assert script is not None
    return Routine(tuple(chosen), script, _reason(chosen, targets, counts))


def plan_day(
    items: Sequence[ScriptItem],
    *,
    breaks: int,
    words: Vocabulary,
    prescribed: Mapping[str, int] | None = None,
) -> list[Routine]:
    """The routines of a whole day of `breaks` breaks, if each is taken (what the rotation will do)."""
    done: list[str] = []
    plan = []
    for _ in range(breaks):
        routine = routine_now(items, done, words=words, prescribed=prescribed)
        plan.append(routine)
        done.extend(routine.exercises)
    return plan


def routine_minutes(total_seconds: float) -> int:
    """The routine's length in whole minutes, rounded up (never 0): the one number every client shows."""
    return max(1, math.ceil(total_seconds / 60))
