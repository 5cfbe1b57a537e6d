"""What was done in one exercise, from the steps a player finished. Every player counts the same way.

A player (browser, terminal, or the form on the session page) reports which parts of an exercise's
block it finished (`Step.part`, see domain.script). This module turns those parts into the counts
that Progress shows, in the handout's own unit:

    times  one "time" (rep) is counted when every move and hold of it is done, on every side.
           Head rolls 3 times x 3 sets, one time being a right hold, a left hold and a circle: 9.
           Open books 10 times each side: a time counts once it is done on the right and the left,
           so a full set is 10, not 20. Bird dog (no count; one hold each side per set) x 5 sets: 5.
    sets   a set is counted when every time in it is done.
    holds  every hold held to its end, each side on its own (head rolls in full: 18).
    status done (every move and hold done), partial (some), skipped (none).

A rep cut short, a set with a rep missing, or one side without the other counts as not done yet.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from upright.domain.script import ScriptItem, Step, exercise_parts

__all__ = ["Tally", "TallyStatus", "tally", "tally_item"]

TallyStatus = Literal["done", "partial", "skipped"]


@dataclass(frozen=True)
class Tally:
    sets: int
    reps: int
    holds: int
    status: TallyStatus


def tally(parts: Sequence[Step], done: Collection[int]) -> Tally:
    """Count one exercise. `parts` is its block (`exercise_parts`); `done` the parts finished."""
    times: dict[tuple[int | None, int | None], bool] = {}
    sets: dict[int | None, bool] = {}
    holds = moves = finished = 0
    for n, step in enumerate(parts):
        if step.kind not in ("move", "hold"):
            continue
        was_done = n in done
        key = (step.set, step.rep)
        times[key] = times.get(key, True) and was_done
        sets[step.set] = sets.get(step.set, True) and was_done
        moves += 1
        finished += was_done
        holds += was_done and step.kind == "hold"
    status: TallyStatus = "done" if finished == moves else "partial" if finished else "skipped"
    if moves == 0:  # nothing to move or hold (cannot come from the catalog): judge by the parts
        status = "done" if all(n in done for n in range(len(parts))) else "skipped"
    return Tally(sets=sum(sets.values()), reps=sum(times.values()), holds=holds, status=status)


def tally_item(item: ScriptItem, done: Collection[int]) -> Tally:
    """Count one exercise of a program with its dose."""
    return tally(exercise_parts(item), done)
