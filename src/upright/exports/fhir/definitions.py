"""Definitions: one ActivityDefinition per exercise in the person's program (with the person's dose),
one PlanDefinition per handout program they used. Both name the handout they come from."""

from __future__ import annotations

from typing import Any

from upright.catalog.load import Catalog
from upright.catalog.schema import HandoutTemplate
from upright.catalog.vocabulary import Vocabulary
from upright.domain.dose import dose_words
from upright.domain.script import ScriptItem
from upright.errors import NotFound
from upright.exports.fhir.codes import (
    EACH_SIDE,
    PARAM_SYSTEM,
    PARAM_UNITS,
    POSITION_SYSTEM,
    PROGRAM_SYSTEM,
    VARIANT_EXT,
    canonical,
    coding,
    concept,
    exercise_concept,
    quantity,
)

__all__ = ["activity_definition", "handout_artifact", "plan_definition", "program_name"]


def program_name(key: str) -> str:
    """A computer-friendly name (FHIR asks for [A-Z][A-Za-z0-9_]*): chin-tuck -> ChinTuck."""
    return "".join(part.capitalize() for part in key.split("-")) or "Unnamed"


def _template_for(catalog: Catalog, handout: str) -> HandoutTemplate | None:
    try:
        return catalog.template(handout)
    except NotFound:
        return None


def handout_artifact(catalog: Catalog, handout: str) -> dict[str, Any]:
    """The handout a dose or a program comes from. `label` is the handout's file name: the key the
    catalog uses, and the one an import reads back."""
    tpl = _template_for(catalog, handout)
    out: dict[str, Any] = {"type": "derived-from", "label": handout, "display": tpl.title if tpl else handout}
    if tpl is not None:
        out["citation"] = tpl.source
        out["resource"] = canonical("PlanDefinition", tpl.id)
    return out


def _timing(item: ScriptItem) -> dict[str, Any] | None:
    """Times per day, as the handout gives them."""
    numbers = item.exercise.dose_for(item.dose.handout)
    if numbers is None:
        return None
    if numbers.per_day is not None:
        low, high = numbers.per_day
        repeat: dict[str, Any] = {"frequency": low, "period": 1, "periodUnit": "d"}
        if high != low:
            repeat["frequencyMax"] = high
        timing: dict[str, Any] = {"repeat": repeat}
        if numbers.per_day_text:
            timing["code"] = {"text": numbers.per_day_text}
        return timing
    if numbers.per_day_text:
        return {"code": {"text": numbers.per_day_text}}
    return None


def _dosage(item: ScriptItem, words: Vocabulary) -> dict[str, Any]:
    dose = item.dose
    parts = []
    for param, (display, ucum, unit) in PARAM_UNITS.items():
        value = dose.value(param)  # type: ignore[arg-type]
        if value is None:
            continue
        parts.append(
            {"type": concept((PARAM_SYSTEM, param, display)), "doseQuantity": quantity(value, ucum, unit)}
        )
    out: dict[str, Any] = {"sequence": 1, "text": dose_words(dose, words)}
    if dose.variant:
        out["extension"] = [{"url": VARIANT_EXT, "valueString": dose.variant}]
    timing = _timing(item)
    if timing:
        out["timing"] = timing
    if item.position:
        out["additionalInstruction"] = [
            concept((POSITION_SYSTEM, item.position, item.position.replace("-", " ").capitalize()))
        ]
    if dose.each_side:
        out["method"] = concept(EACH_SIDE)
    if parts:
        out["doseAndRate"] = parts
    return out


def activity_definition(item: ScriptItem, catalog: Catalog, *, resource_id: str) -> dict[str, Any]:
    """One exercise of the program with the person's dose: steps, dose, times per day, its handout."""
    ex = item.exercise
    steps = "\n".join(f"{n}. {step}" for n, step in enumerate(item.exercise.steps, start=1))
    out: dict[str, Any] = {
        "resourceType": "ActivityDefinition",
        "id": resource_id,
        "url": canonical("ActivityDefinition", ex.id),
        "name": program_name(ex.id),
        "title": ex.name,
        "status": "active",
        "kind": "ServiceRequest",
        "code": exercise_concept(ex.id, ex.name),
        "description": steps,
        "purpose": ex.purpose,
        "relatedArtifact": [handout_artifact(catalog, item.dose.handout)],
        "dosage": [_dosage(item, catalog.vocabulary)],
    }
    timing = _timing(item)
    if timing:
        out["timingTiming"] = timing
    return out


def plan_definition(tpl: HandoutTemplate, catalog: Catalog, *, resource_id: str) -> dict[str, Any]:
    """A handout program: its exercises in its order, each pointing at the exercise's definition."""
    return {
        "resourceType": "PlanDefinition",
        "id": resource_id,
        "url": canonical("PlanDefinition", tpl.id),
        "identifier": [{"system": PROGRAM_SYSTEM, "value": tpl.id}],
        "name": program_name(tpl.id),
        "title": tpl.title,
        "type": {
            "coding": [
                coding("http://terminology.hl7.org/CodeSystem/plan-definition-type", "clinical-protocol")
            ]
        },
        "status": "active",
        "description": tpl.summary,
        "relatedArtifact": [handout_artifact(catalog, tpl.file)],
        "action": [
            {
                "title": catalog.exercises[eid].name if eid in catalog.exercises else eid,
                "code": [
                    exercise_concept(eid, catalog.exercises[eid].name if eid in catalog.exercises else eid)
                ],
                "definitionCanonical": canonical("ActivityDefinition", eid),
            }
            for eid in tpl.items
        ],
    }
