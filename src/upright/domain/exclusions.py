"""Which exercises a person's conditions rule out, each with its reason. The one place this is decided."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from upright.catalog.schema import Condition, Exercise
from upright.errors import InvalidInput

__all__ = ["Exclusion", "allowed_positions", "check_conditions", "exclusion_at", "exclusion_for"]


@dataclass(frozen=True)
class Exclusion:
    exercise: str
    reason: str  # patient words, e.g. "You kneel for this one, and you said you have knee pain."
    rule: str  # the condition id that made the call


def check_conditions(condition_ids: Iterable[str], known: Mapping[str, Condition]) -> list[Condition]:
    """Resolve ids to conditions; an unknown id is an error naming the allowed ones."""
    out = []
    for cid in condition_ids:
        if cid not in known:
            allowed = ", ".join(sorted(known))
            raise InvalidInput("condition", f"unknown condition {cid!r}; choose from: {allowed}")
        out.append(known[cid])
    return out


def allowed_positions(exercise: Exercise, conditions: Iterable[Condition]) -> tuple[str, ...]:
    """Positions this exercise can still be done in, given the conditions."""
    banned = {p for c in conditions for p in c.excludes_positions}
    return tuple(p for p in exercise.positions if p not in banned)


def exclusion_for(exercise: Exercise, conditions: Iterable[Condition]) -> Exclusion | None:
    """The first condition that rules this exercise out, or None when it is allowed.

    An exercise is out when a condition names it, lists it as a contraindication, or bans every
    position it can be done in (shoulder rolls stay in for knee pain: they can be done sitting)."""
    conditions = list(conditions)
    for cond in conditions:
        if exercise.id in cond.excludes_exercises or cond.id in exercise.contraindications:
            return Exclusion(exercise.id, cond.reason, cond.id)
    if not allowed_positions(exercise, conditions):
        for cond in conditions:
            if set(exercise.positions) & set(cond.excludes_positions):
                return Exclusion(exercise.id, cond.reason, cond.id)
    return None


def exclusion_at(exercise: Exercise, position: str, conditions: Iterable[Condition]) -> Exclusion | None:
    """Like `exclusion_for`, for an exercise done in one given position (a program may name it):
    also out when a condition rules out that position, though the exercise has another."""
    conditions = list(conditions)
    out = exclusion_for(exercise, conditions)
    if out is not None:
        return out
    for cond in conditions:
        if position in cond.excludes_positions:
            return Exclusion(exercise.id, cond.reason, cond.id)
    return None
