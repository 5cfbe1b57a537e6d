"""Progress: sessions per week against the plan, pain over time (SVG, readable without colour),
alerts with their reasons, and every session with what was done against its target."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from upright.services.overview import progress_view
from upright.web.charts import chart_legend, pain_chart
from upright.web.deps import CatalogDep
from upright.web.patient_deps import DbDep, LocalTz, NowDep, PersonDep
from upright.web.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/progress", response_class=HTMLResponse)
def progress(
    request: Request, db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep, tz: LocalTz
) -> Response:
    names = {ex.id: ex.name for ex in catalog.exercises.values()}
    view = progress_view(db, person.id, now=now, tz=tz, names=names, words=catalog.vocabulary)
    return templates.TemplateResponse(
        request,
        "patient/progress.html",
        {
            "title": "Progress",
            "v": view,
            "chart": pain_chart(view.pain),
            "legend": chart_legend(catalog.vocabulary.pain_contexts),
            "tz": tz,
        },
    )
