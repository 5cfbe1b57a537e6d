"""Catalog queries and their JSON shape, shared by the CLI and the web API (field names are stable)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from upright.catalog.load import Catalog
from upright.catalog.schema import EQUIPMENT, POSITIONS, Dose, Exercise, HandoutTemplate
from upright.documents.catalog import CatalogDoseDoc, ExerciseDoc, ProgramDoc
from upright.domain.exclusions import check_conditions, exclusion_for
from upright.errors import InvalidInput

__all__ = [
    "EQUIPMENT_ALIASES",
    "dose_json",
    "exercise_json",
    "filter_exercises",
    "matches_name",
    "normalize_equipment",
    "program_json",
]

EQUIPMENT_ALIASES = {"band": "resistance-band", "anchor": "anchor-point", "dumbbell": "dumbbells"}


def normalize_equipment(values: Iterable[str]) -> set[str]:
    """Accept 'band', 'resistance-band', comma lists; refuse unknown names with the allowed list."""
    out: set[str] = set()
    for raw in values:
        for name in (v.strip().lower() for v in raw.split(",")):
            if not name:
                continue
            name = EQUIPMENT_ALIASES.get(name, name)
            if name not in EQUIPMENT:
                allowed = ", ".join([*EQUIPMENT, *EQUIPMENT_ALIASES])
                raise InvalidInput("equipment", f"unknown equipment {name!r}; choose from: {allowed}")
            out.add(name)
    return out - {"none"}


def filter_exercises(
    catalog: Catalog,
    *,
    equipment: Iterable[str] | None = None,
    position: str | None = None,
    handout: str | None = None,
    conditions: Iterable[str] = (),
    text: str | None = None,
) -> list[Exercise]:
    """Exercises in catalog order that fit: equipment = what the person has (none = needs nothing);
    `text` is found in the plain name or any other name ("scapular squeeze" finds the shoulder blade squeeze)."""
    have = normalize_equipment(equipment) if equipment is not None else None
    if position is not None and position not in POSITIONS:
        raise InvalidInput("position", f"unknown position {position!r}; choose from: {', '.join(POSITIONS)}")
    if handout is not None:
        handout = catalog.template(handout).file
    conds = check_conditions(conditions, catalog.conditions)
    out = []
    for ex in catalog.exercises.values():
        if have is not None and not ex.needs <= have:
            continue
        if position is not None and position not in ex.positions:
            continue
        if handout is not None and ex.dose_for(handout) is None:
            continue
        if conds and exclusion_for(ex, conds) is not None:
            continue
        if text and not matches_name(ex, text):
            continue
        out.append(ex)
    return out


def matches_name(ex: Exercise, text: str) -> bool:
    """Every word of `text` is in the exercise's name, one of its other names, or its id."""
    names = " ".join((ex.name, *ex.other_names, ex.id.replace("-", " "))).casefold().replace("-", " ")
    return all(word in names for word in text.casefold().replace("-", " ").split())


def dose_json(d: Dose) -> dict[str, Any]:
    return CatalogDoseDoc.of(d).model_dump(mode="json")


def exercise_json(ex: Exercise) -> dict[str, Any]:
    return ExerciseDoc.of(ex).model_dump(mode="json")


def program_json(tpl: HandoutTemplate, catalog: Catalog) -> dict[str, Any]:
    return ProgramDoc.of(tpl, catalog).model_dump(mode="json")
