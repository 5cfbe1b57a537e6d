"""Server-rendered catalog pages: the exercise list with filters, one exercise, the handout programs."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from upright.catalog.schema import EQUIPMENT, POSITIONS
from upright.services.catalog import filter_exercises, program_json
from upright.web.deps import CatalogDep
from upright.web.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home() -> Response:
    return RedirectResponse("/today", status_code=303)


@router.get("/exercises", response_class=HTMLResponse)
def exercises_page(
    request: Request,
    catalog: CatalogDep,
    equipment: list[str] = Query([]),
    position: str = "",
    handout: str = "",
    condition: list[str] = Query([]),
    name: str = "",
) -> Response:
    found = filter_exercises(
        catalog,
        equipment=equipment or None,
        position=position or None,
        handout=handout or None,
        conditions=condition,
        text=name.strip() or None,
    )
    return templates.TemplateResponse(
        request,
        "exercises.html",
        {
            "title": "Exercises",
            "exercises": found,
            "catalog": catalog,
            "chosen": {
                "equipment": set(equipment),
                "position": position,
                "handout": handout,
                "condition": set(condition),
                "name": name,
            },
            "equipment_choices": [e for e in EQUIPMENT],
            "position_choices": list(POSITIONS),
        },
    )


@router.get("/exercises/{exercise_id}", response_class=HTMLResponse)
def exercise_page(exercise_id: str, request: Request, catalog: CatalogDep) -> Response:
    ex = catalog.exercise(exercise_id)
    return templates.TemplateResponse(
        request,
        "exercise.html",
        {
            "title": ex.name,
            "ex": ex,
            "handout_titles": {t.file: t.title for t in catalog.templates.values()},
            "catalog": catalog,
        },
    )


@router.get("/programs", response_class=HTMLResponse)
def programs_page(request: Request, catalog: CatalogDep) -> Response:
    return templates.TemplateResponse(
        request,
        "programs.html",
        {"title": "Programs", "programs": list(catalog.templates.values()), "catalog": catalog},
    )


@router.get("/programs/{program_id}", response_class=HTMLResponse)
def program_page(program_id: str, request: Request, catalog: CatalogDep) -> Response:
    tpl = catalog.template(program_id)
    return templates.TemplateResponse(
        request,
        "program.html",
        {"title": tpl.title, "tpl": tpl, "program": program_json(tpl, catalog), "catalog": catalog},
    )
