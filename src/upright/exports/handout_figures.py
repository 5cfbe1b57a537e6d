"""Start and end pictures for the handout, from upright.figures (still keyframes: paper does not move).

Figures are drawn from data that does not change while running, so each exercise is drawn once per
process. An exercise without pose data (a clinic's own, or one not drawn yet) prints without a
picture; a bug in the drawing code is not hidden."""

from __future__ import annotations

import re
from functools import lru_cache

from upright.errors import UprightError
from upright.exports.handout_content import Figure
from upright.figures import alt_text, figure_svg, has_figure, keyframe_count

__all__ = ["figure_for"]

_VIEW_BOX = re.compile(r'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"')


def _aspect(svg: str) -> float:
    """Width over height from the root viewBox; 1 when it cannot be read."""
    found = _VIEW_BOX.search(svg)
    if not found or float(found.group(2)) <= 0:
        return 1.0
    return float(found.group(1)) / float(found.group(2))


@lru_cache(maxsize=256)
def figure_for(exercise_id: str) -> Figure | None:
    if not has_figure(exercise_id):
        return None
    try:
        last = keyframe_count(exercise_id) - 1
        start = figure_svg(exercise_id, animate=False, frame=0)
        return Figure(
            start_svg=start,
            end_svg=figure_svg(exercise_id, animate=False, frame=last),
            start_alt=alt_text(exercise_id, frame=0),
            end_alt=alt_text(exercise_id, frame=last),
            aspect=_aspect(start),
        )
    except UprightError:  # pose data that does not fit this catalog's exercise
        return None
