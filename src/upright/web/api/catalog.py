"""JSON for the catalog: exercises and the five handout programs. Field names match `upright ... --json`."""

from __future__ import annotations

from fastapi import APIRouter, Query

from upright.documents.catalog import ExerciseDoc, ProgramDoc
from upright.services.catalog import filter_exercises
from upright.web.deps import CatalogDep
from upright.web.openapi import ERROR_RESPONSES

router = APIRouter(prefix="/api", tags=["catalog"], responses=ERROR_RESPONSES)


@router.get("/exercises", summary="List exercises, filtered by what you have and what you can do")
def list_exercises(
    catalog: CatalogDep,
    equipment: list[str] | None = Query(None, description="What you have, e.g. none, band, dumbbells"),
    position: str | None = None,
    handout: str | None = Query(None, description="A handout file name or program id"),
    condition: list[str] = Query([], description="Conditions to respect, e.g. knee-pain"),
    name: str | None = Query(None, description="Words of its name or another name, e.g. scapular squeeze"),
) -> list[ExerciseDoc]:
    found = filter_exercises(
        catalog, equipment=equipment, position=position, handout=handout, conditions=condition, text=name
    )
    return [ExerciseDoc.of(ex) for ex in found]


@router.get("/exercises/{exercise_id}", summary="One exercise with every handout's dose")
def get_exercise(exercise_id: str, catalog: CatalogDep) -> ExerciseDoc:
    return ExerciseDoc.of(catalog.exercise(exercise_id))


@router.get("/programs", summary="The handout programs")
def list_programs(catalog: CatalogDep) -> list[ProgramDoc]:
    return [ProgramDoc.of(t, catalog) for t in catalog.templates.values()]


@router.get("/programs/{program_id}", summary="One handout program, items in the handout's order")
def get_program(program_id: str, catalog: CatalogDep) -> ProgramDoc:
    return ProgramDoc.of(catalog.template(program_id), catalog)
