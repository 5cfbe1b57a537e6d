"""What happened: an Observation per pain score and a Procedure per guided session.

A pain score is LOINC 72514-3 (0-10, reported) with its context (check-in, session end, "this hurts")
as a second category and the place as body-site text (Upright stores a fixed choice, never free text).
A session is a Procedure of exercise therapy: when, how it ended, and per exercise the target next to
what was done (an `exercise-done` extension, and the same in words in `note`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from upright.exports.fhir.codes import (
    EXERCISE_DONE_EXT,
    EXERCISE_SYSTEM,
    EXERCISE_THERAPY,
    PAIN_CONTEXT_SYSTEM,
    PAIN_CONTEXTS,
    PAIN_SEVERITY,
    SESSION_OUTCOME_SYSTEM,
    SURVEY,
    canonical,
    coding,
    concept,
    quantity,
)
from upright.store.tables import PainReportRow, SessionItemRow, SessionRow

__all__ = ["pain_observation", "session_procedure"]


def pain_observation(
    row: PainReportRow,
    *,
    resource_id: str,
    patient_ref: str,
    session_ref: str | None,
    names: Mapping[str, str],
    places: Mapping[str, str],
) -> dict[str, Any]:
    context = (PAIN_CONTEXT_SYSTEM, row.context, PAIN_CONTEXTS.get(row.context, row.context))
    out: dict[str, Any] = {
        "resourceType": "Observation",
        "id": resource_id,
        "status": "final",
        "category": [concept(SURVEY), concept(context)],
        "code": concept(PAIN_SEVERITY),
        "subject": {"reference": patient_ref},
        "effectiveDateTime": row.taken_at.isoformat(),
        "valueQuantity": quantity(row.score, "{score}", "score"),
    }
    if row.location:
        out["bodySite"] = {"text": places.get(row.location, row.location)}
    if session_ref:
        out["partOf"] = [{"reference": session_ref}]
    notes = []
    if row.exercise_id:
        notes.append(f"During: {names.get(row.exercise_id, row.exercise_id)}.")
    if row.red_flag:
        notes.append("A warning sign was reported with this score.")
    if notes:
        out["note"] = [{"text": " ".join(notes)}]
    return out


def _done(item: SessionItemRow, name: str) -> dict[str, Any]:
    parts: list[dict[str, Any]] = [
        {"url": "exercise", "valueCoding": coding(EXERCISE_SYSTEM, item.exercise_id, name)},
        {"url": "status", "valueCode": item.status},
        {"url": "target-sets", "valueInteger": item.target_sets},
    ]
    if item.target_reps is not None:
        parts.append({"url": "target-reps", "valueInteger": item.target_reps})
    if item.target_hold_seconds is not None:
        parts.append(
            {"url": "target-hold", "valueQuantity": quantity(item.target_hold_seconds, "s", "seconds")}
        )
    parts += [
        {"url": "each-side", "valueBoolean": item.each_side},
        {"url": "sets-done", "valueInteger": item.sets_done},
        {"url": "reps-done", "valueInteger": item.reps_done},
        {"url": "holds-done", "valueInteger": item.holds_done},
    ]
    return {"url": EXERCISE_DONE_EXT, "extension": parts}


def _done_words(item: SessionItemRow, name: str) -> str:
    status = item.status.replace("_", " ")
    words = f"{name}: {status}; sets {item.sets_done} of {item.target_sets}"
    if item.target_reps is not None:
        words += f"; {item.reps_done} times (target {item.target_reps} in each set)"
    if item.target_hold_seconds is not None:
        words += f"; {item.holds_done} holds of {item.target_hold_seconds} seconds"
    return words + ("; each side." if item.each_side else ".")


def session_procedure(
    row: SessionRow,
    *,
    resource_id: str,
    patient_ref: str,
    plan_ref: str | None,
    names: Mapping[str, str],
    outcomes: Mapping[str, str],
) -> dict[str, Any]:
    """`outcomes`: session outcome id -> words (the catalog's vocabulary)."""
    outcome = outcomes.get(row.outcome, row.outcome)
    out: dict[str, Any] = {
        "resourceType": "Procedure",
        "id": resource_id,
        "status": "completed" if row.outcome == "completed" else "stopped",
        "code": concept(EXERCISE_THERAPY, text="Guided exercise session"),
        "subject": {"reference": patient_ref},
        "performedPeriod": {"start": row.started_at.isoformat(), "end": row.ended_at.isoformat()},
        "outcome": concept((SESSION_OUTCOME_SYSTEM, row.outcome, outcome)),
    }
    if row.outcome != "completed":
        out["statusReason"] = {"text": outcome}
    if plan_ref:
        out["basedOn"] = [{"reference": plan_ref}]
    if row.program:
        out["instantiatesCanonical"] = [canonical("PlanDefinition", row.program)]
    if row.items:
        out["extension"] = [_done(i, names.get(i.exercise_id, i.exercise_id)) for i in row.items]
        out["note"] = [{"text": _done_words(i, names.get(i.exercise_id, i.exercise_id))} for i in row.items]
    return out
