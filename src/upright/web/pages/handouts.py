"""Printable handouts for a program: the PDF (/programs/{id}/handout.pdf?paper=a4|letter) and a
print-friendly page (/programs/{id}/print); and the same two for the person's own plan (/my-plan/print,
/my-plan/handout.pdf), with its doses as they are today. All show one content model, so the same words."""

from __future__ import annotations

import base64

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from upright.errors import Conflict
from upright.exports.handout import check_paper, load_handout, render_pdf
from upright.exports.handout_content import Handout
from upright.services.plans import active_plan
from upright.services.safety_words import emergency_number
from upright.web.deps import CatalogDep
from upright.web.patient_deps import DbDep, LocalTz, NowDep, PersonDep
from upright.web.templating import templates

router = APIRouter(include_in_schema=False)


def _svg_data_uri(svg: str) -> str:
    """Figures go in as <img> data URIs: the alt text is explicit and the strict CSP allows data: images."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@router.get("/programs/{program_id}/handout.pdf")
def handout_pdf_file(
    program_id: str, catalog: CatalogDep, now: NowDep, tz: LocalTz, paper: str = Query("letter")
) -> Response:
    size = check_paper(paper)
    handout = load_handout(
        program_id, catalog, on=now.astimezone(tz).date(), emergency_number=emergency_number()
    )
    pdf = render_pdf(handout, paper=size)
    tpl = catalog.template(program_id)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{tpl.id}-{size}.pdf"'},
    )


@router.get("/programs/{program_id}/print", response_class=HTMLResponse)
def handout_print_page(
    program_id: str, request: Request, catalog: CatalogDep, now: NowDep, tz: LocalTz
) -> Response:
    tpl = catalog.template(program_id)
    handout = load_handout(
        program_id, catalog, on=now.astimezone(tz).date(), emergency_number=emergency_number()
    )
    return templates.TemplateResponse(
        request,
        "handout_print.html",
        {
            "title": handout.title,
            "h": handout,
            "L": handout.labels,
            "pdf_url": f"/programs/{tpl.id}/handout.pdf",
            "svg_uri": _svg_data_uri,
        },
    )


def _my_handout(db: DbDep, person_id: int, catalog: CatalogDep, now: NowDep, tz: LocalTz) -> Handout:
    plan = active_plan(db, person_id)
    if plan is None:
        raise Conflict("You have no program yet. Choose one first, then print it.")
    body = {**plan.body, "title": plan.title}
    db.commit()  # done with the database before the layout work
    return load_handout(body, catalog, on=now.astimezone(tz).date())


@router.get("/my-plan/handout.pdf")
def my_plan_pdf(
    db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep, tz: LocalTz, paper: str = Query("letter")
) -> Response:
    size = check_paper(paper)
    pdf = render_pdf(_my_handout(db, person.id, catalog, now, tz), paper=size)
    # A plain file name: no exercise, condition or pain in it.
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="my-plan-{size}.pdf"'},
    )


@router.get("/my-plan/print", response_class=HTMLResponse)
def my_plan_print(
    request: Request, db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep, tz: LocalTz
) -> Response:
    handout = _my_handout(db, person.id, catalog, now, tz)
    return templates.TemplateResponse(
        request,
        "handout_print.html",
        {
            "title": "My plan",  # the tab title stays plain
            "h": handout,
            "L": handout.labels,
            "pdf_url": "/my-plan/handout.pdf",
            "svg_uri": _svg_data_uri,
        },
    )
