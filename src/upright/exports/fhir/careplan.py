"""The person's plan as a CarePlan: one activity per exercise, each pointing at its ActivityDefinition.

Authored by a clinician (a Practitioner in the bundle) only when a clinician set the plan; a plan the
person chose from the engine or a handout has no author. Clinic mode will add prescriptions the same
way: intent "order" and the prescribing clinician as author."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from upright.catalog.vocabulary import Vocabulary
from upright.domain.dose import dose_words
from upright.domain.script import ScriptItem
from upright.exports.fhir.codes import canonical, exercise_concept

__all__ = ["care_plan", "practitioner"]


def practitioner(name: str, *, resource_id: str) -> dict[str, Any]:
    """The clinician who set a plan: only the name Upright was given."""
    return {"resourceType": "Practitioner", "id": resource_id, "name": [{"text": name}]}


def care_plan(
    items: Sequence[ScriptItem],
    *,
    resource_id: str,
    title: str,
    created: datetime,
    is_active: bool,
    template_id: str | None,
    sessions_per_week: int,
    patient_ref: str,
    author_ref: str | None,
    words: Vocabulary,
) -> dict[str, Any]:
    """The plan: status, period (from when it was chosen), its program, and its activities."""
    out: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": resource_id,
        "status": "active" if is_active else "revoked",
        "intent": "plan",
        "title": title,
        "subject": {"reference": patient_ref},
        "period": {"start": created.isoformat()},
        "created": created.isoformat(),
        "activity": [
            {
                "detail": {
                    "kind": "ServiceRequest",
                    "instantiatesCanonical": [canonical("ActivityDefinition", item.exercise.id)],
                    "code": exercise_concept(item.exercise.id, item.exercise.name),
                    "status": "in-progress" if is_active else "stopped",
                    "scheduledTiming": {
                        "repeat": {"frequency": sessions_per_week, "period": 1, "periodUnit": "wk"}
                    },
                    "description": dose_words(item.dose, words),
                }
            }
            for item in items
        ],
    }
    if template_id:
        out["instantiatesCanonical"] = [canonical("PlanDefinition", template_id)]
    if author_ref:
        out["author"] = {"reference": author_ref}
    return out
