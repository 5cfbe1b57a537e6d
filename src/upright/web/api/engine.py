"""JSON for the rules engine: screening, personal plans and session scripts. Stateless: nothing is
stored here (the patient's own screening and plan are kept by the app's services). The bodies and
answers are the documents of `upright.documents` (the same as `upright screen/plan/script --json`);
docs/ENGINE.md shows the shapes. A bad value is a 422 {"field": ..., "message": ...} in words a
person understands (the same words as the CLI)."""

from __future__ import annotations

from fastapi import APIRouter

from upright.documents.plan import PlanDoc, PlanRequest
from upright.documents.screening import QuestionDoc, ScreeningRequest, ScreeningResultDoc
from upright.documents.script import ScriptDoc, ScriptRequest
from upright.services.engine import (
    build_script,
    plan_inputs,
    questions_doc,
    read_program,
    run_plan,
    run_screening,
)
from upright.web.deps import CatalogDep
from upright.web.openapi import ERROR_RESPONSES
from upright.web.patient_deps import NowDep

router = APIRouter(prefix="/api", tags=["engine"], responses=ERROR_RESPONSES)


@router.get(
    "/screening/questions",
    summary="Every screening question in the order asked: id, text, group, outcome, follows",
)
def screening_questions(catalog: CatalogDep) -> list[QuestionDoc]:
    return questions_doc(catalog).questions


@router.post("/screening", summary="Apply the safety screening to a set of answers")
def post_screening(body: ScreeningRequest, catalog: CatalogDep, now: NowDep) -> ScreeningResultDoc:
    return ScreeningResultDoc.of(run_screening(catalog, body, at=now))


@router.post("/plan", summary="Make a personal program: items with dose and reason, exclusions, minutes")
def post_plan(body: PlanRequest, catalog: CatalogDep) -> PlanDoc:
    return PlanDoc.of(run_plan(catalog, plan_inputs(body)), catalog.vocabulary)


@router.post("/script", summary="Compile a program or plan into the session timeline")
def post_script(body: ScriptRequest, catalog: CatalogDep, now: NowDep) -> ScriptDoc:
    screening = run_screening(catalog, body.screening, at=now) if body.screening else None
    program = read_program(body.model_dump(exclude={"screening"}, exclude_none=True))
    compiled = build_script(catalog, program, screening=screening)
    return ScriptDoc.of(compiled, screened=screening is not None)
