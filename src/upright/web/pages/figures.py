"""The figure gallery (/exercises/figures) and each figure as a file (/figures/{id}.svg).

Registered before the catalog pages: /exercises/{id} would otherwise take /exercises/figures."""

from __future__ import annotations

import base64
import hashlib

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from upright.errors import InvalidInput
from upright.figures import (
    alt_text,
    figure_size,
    figure_style,
    figure_svg,
    has_figure,
    held_frame,
    keyframe_count,
)
from upright.web.deps import CatalogDep
from upright.web.static_files import FIGURES_VERSION, LONG_CACHE
from upright.web.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/exercises/figures", response_class=HTMLResponse)
def figures_page(request: Request, catalog: CatalogDep) -> Response:
    items = []
    for ex in catalog.exercises.values():
        if not has_figure(ex.id):
            continue
        last = keyframe_count(ex.id) - 1
        width, height = figure_size(ex.id)
        items.append(
            {
                "ex": ex,
                "animated": figure_svg(ex.id),
                "alt": alt_text(ex.id),
                "stills": [(0, "Start", alt_text(ex.id, 0)), (last, "End", alt_text(ex.id, last))],
                "width": width,
                "height": height,
            }
        )
    return templates.TemplateResponse(request, "figures.html", {"title": "Exercise pictures", "items": items})


@router.get("/figures/{exercise_id}.svg")
def figure_file(
    exercise_id: str,
    frame: int | None = Query(None, ge=0, le=20),
    hold: str | None = Query(None, max_length=60, pattern=r"^[a-z0-9-]+$"),
    v: str | None = Query(None, max_length=40),
) -> Response:
    """A still keyframe with ?frame=i, the pose a hold phase holds with ?hold=<phase>; without
    either the moving figure, which carries its own small style sheet (an <img> cannot load ours).
    The response's policy allows exactly that style."""
    if hold is not None and frame is None:
        frame = held_frame(exercise_id, hold)
        if frame is None:
            raise InvalidInput("hold", f"{hold!r} is not a hold in this exercise")
    if frame is not None:
        svg = figure_svg(exercise_id, frame=frame)
        policy = "default-src 'none'"
    else:
        svg = figure_svg(exercise_id, embed_style=True)
        digest = base64.b64encode(hashlib.sha256(figure_style(exercise_id).encode()).digest()).decode()
        policy = f"default-src 'none'; style-src 'sha256-{digest}'"
    return Response(
        svg,
        media_type="image/svg+xml",
        # A URL naming today's figures version never changes its picture; others must ask again.
        headers={
            "Content-Security-Policy": policy,
            "Cache-Control": LONG_CACHE if v == FIGURES_VERSION else "no-cache",
        },
    )
