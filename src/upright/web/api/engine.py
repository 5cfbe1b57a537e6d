"""JSON for the rules engine: screening, personal plans and session scripts. Stateless: nothing is
stored here (the patient's own screening and plan are kept by the app's services). Field names match
`upright screen/plan/script --json`; docs/ENGINE.md shows the shapes.

The request models only fix the field names: their values are checked by the engine, which answers a
bad one with 422 {"field": ..., "message": ...} in words a person understands (the same words as the
CLI), rather than a generic type error."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from upright.services.engine import (
    build_script,
    plan_inputs,
    plan_json,
    run_plan,
    run_screening,
    screening_json,
    screening_questions_json,
    script_json,
)
from upright.web.deps import CatalogDep
from upright.web.openapi import ERROR_RESPONSES
from upright.web.patient_deps import NowDep

router = APIRouter(prefix="/api", tags=["engine"], responses=ERROR_RESPONSES)


class ScreeningRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: Any = Field(
        description="Question id -> true (yes) or false (no). Every question asked is needed, unless an "
        "answer given already means emergency or seek care now: then that is the result at once."
    )
    cleared_by_clinician: Any = Field(False, description="Has a doctor or therapist said you can start?")
    conditions: Any = Field(default_factory=list, description="Condition ids, e.g. knee-pain")
    pain: Any = Field(None, description="Pain today, 0-10 (optional); 7 or more means no exercise today")
    places: Any = Field(default_factory=list, description="Where it hurts (optional), e.g. neck, chest")


class PlanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    setting: Any = Field("home", description="home or work")
    equipment: Any = Field(default_factory=list, description="e.g. band, dumbbells, mat, wall, doorway")
    conditions: Any = Field(default_factory=list, description="e.g. knee-pain")
    minutes: Any = Field(15.0, description="Minutes for one session: more than 0, at most 180")
    focus: Any = Field("mixed", description="stretch, strengthen, posture or mixed")
    template: Any = Field(None, description="A handout program id to start from")


class ScriptRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    program: Any = Field(None, description="A handout program id (or give items)")
    title: Any = None
    items: Any = Field(
        None, description='Plan or program items: {"exercise": id, "dose": {...}, "position": ...}'
    )
    file: Any = Field(None, description="The handout file, as in a handout program's JSON")
    screening: ScreeningRequest | None = Field(
        None, description="Screening answers: a blocking outcome refuses the script (409)"
    )


@router.get(
    "/screening/questions",
    summary="Every screening question in the order asked: id, text, group, outcome, follows",
)
def screening_questions(catalog: CatalogDep) -> list[dict[str, Any]]:
    return screening_questions_json(catalog)


@router.post("/screening", summary="Apply the safety screening to a set of answers")
def post_screening(body: ScreeningRequest, catalog: CatalogDep, now: NowDep) -> dict[str, Any]:
    result = run_screening(catalog, body.model_dump(), at=now)
    return screening_json(result)


@router.post("/plan", summary="Make a personal program: items with dose and reason, exclusions, minutes")
def post_plan(body: PlanRequest, catalog: CatalogDep) -> dict[str, Any]:
    inputs = plan_inputs(
        setting=body.setting,
        equipment=body.equipment,
        conditions=body.conditions,
        minutes=body.minutes,
        focus=body.focus,
        template=body.template,
    )
    return plan_json(run_plan(catalog, inputs))


@router.post("/script", summary="Compile a program or plan into the session timeline")
def post_script(body: ScriptRequest, catalog: CatalogDep, now: NowDep) -> dict[str, Any]:
    screening = run_screening(catalog, body.screening.model_dump(), at=now) if body.screening else None
    program = body.model_dump(exclude={"screening"}, exclude_none=True)
    compiled = build_script(catalog, program, screening=screening)
    return script_json(compiled, screened=screening is not None)
