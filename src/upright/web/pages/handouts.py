"""Printable handouts for a program: the PDF (/programs/{id}/handout.pdf?paper=a4|letter) and a
print-friendly page (/programs/{id}/print). Both show the same content model, so the same words."""

from __future__ import annotations

import base64

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from upright.exports.handout import check_paper, load_handout, render_pdf
from upright.web.deps import CatalogDep
from upright.web.patient_deps import LocalTz, NowDep
from upright.web.templating import templates

router = APIRouter(include_in_schema=False)

PAPER_NAMES = {"letter": "US Letter", "a4": "A4"}


def _svg_data_uri(svg: str) -> str:
    """Figures go in as <img> data URIs: the alt text is explicit and the strict CSP allows data: images."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@router.get("/programs/{program_id}/handout.pdf")
def handout_pdf_file(
    program_id: str, catalog: CatalogDep, now: NowDep, tz: LocalTz, paper: str = Query("letter")
) -> Response:
    size = check_paper(paper)
    handout = load_handout(program_id, catalog, on=now.astimezone(tz).date())
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
    handout = load_handout(program_id, catalog, on=now.astimezone(tz).date())
    return templates.TemplateResponse(
        request,
        "handout_print.html",
        {
            "title": handout.title,
            "h": handout,
            "L": handout.labels,
            "program_id": tpl.id,
            "papers": PAPER_NAMES,
            "svg_uri": _svg_data_uri,
        },
    )
