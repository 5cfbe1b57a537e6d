"""A plan written somewhere else (an imported FHIR CarePlan today, a clinician's prescription later),
checked against the catalog before it may become the person's plan.

Each item names its exercise, the handout its dose comes from and the numbers. The numbers must lie in
that handout's range unless a clinician wrote the plan (`author`); then they widen the range, as
`domain.dose.set_dose` does for any clinician's dose. Every refusal names where the value came from
(`DraftItem.source` and the element in `fields`), so a person can find it in their file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from upright.catalog.load import Catalog
from upright.domain.dose import PlannedDose, set_dose, starting_dose
from upright.domain.script import ScriptItem
from upright.errors import InvalidInput

__all__ = ["DraftItem", "PlanDraft", "draft_items"]


@dataclass(frozen=True)
class DraftItem:
    exercise: str
    handout: str
    source: str  # e.g. "ActivityDefinition/3f2c… (entry[2])"
    hold_seconds: int | None = None
    reps: int | None = None
    sets: int | None = None
    each_side: bool | None = None  # None: as the handout says
    variant: str | None = None
    position: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)  # exercise, handout, reps, ... -> element


@dataclass(frozen=True)
class PlanDraft:
    title: str
    items: tuple[DraftItem, ...]
    template: str | None = None
    author: str | None = None  # the clinician who wrote it; None: the person or another app


def _refuse(item: DraftItem, part: str, message: str) -> InvalidInput:
    element = item.fields.get(part, part)
    return InvalidInput(f"{item.source} {element}", message)


def _dose(item: DraftItem, catalog: Catalog, *, by_clinician: bool) -> PlannedDose:
    ex = catalog.exercises[item.exercise]
    if ex.dose_for(item.handout) is None:
        files = ", ".join(d.handout for d in ex.doses)
        raise _refuse(item, "handout", f"{ex.name} has no dose in handout {item.handout!r}; it has: {files}")
    try:
        base = starting_dose(ex, item.handout, variant=item.variant)
    except InvalidInput as exc:
        raise _refuse(item, "variant", exc.message) from None
    try:
        dose = set_dose(
            base, hold_seconds=item.hold_seconds, reps=item.reps, sets=item.sets, clinician_set=by_clinician
        )
    except InvalidInput as exc:
        part = exc.field.rsplit(".", 1)[-1]
        message = exc.message
        if not by_clinician and "only a clinician" in message:
            message += " (this plan names no clinician as its author)"
        raise _refuse(item, part, message) from None
    if item.each_side is not None and item.each_side != dose.each_side:
        said = "on each side" if dose.each_side else "once, not on each side"
        raise _refuse(item, "each_side", f"the handout says to do {ex.name} {said}")
    return dose


def draft_items(draft: PlanDraft, catalog: Catalog) -> list[ScriptItem]:
    """The draft's items with checked doses, or InvalidInput for the first problem (nothing partial)."""
    if not draft.items:
        raise InvalidInput("CarePlan activity", "the plan has no exercises")
    out: list[ScriptItem] = []
    seen: set[str] = set()
    for item in draft.items:
        ex = catalog.exercises.get(item.exercise)
        if ex is None:
            raise _refuse(
                item, "exercise", f"there is no exercise called {item.exercise!r} in Upright's catalog"
            )
        if item.exercise in seen:
            raise _refuse(item, "exercise", f"{ex.name} is in the plan twice; keep one")
        seen.add(item.exercise)
        if item.position is not None and item.position not in ex.positions:
            raise _refuse(item, "position", f"{ex.name} is done {' or '.join(ex.positions)}")
        out.append(ScriptItem(ex, _dose(item, catalog, by_clinician=draft.author is not None), item.position))
    return out
