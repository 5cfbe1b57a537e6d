"""Start and end pictures for the handout, from upright.figures (still frames, no animation on paper).

Figures are drawn from catalog data that does not change while running, so each exercise is drawn
once per process. An exercise the figure module cannot draw prints without a picture, not an error."""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

from upright.errors import UprightError
from upright.exports.handout_content import Figure

__all__ = ["figure_for"]


def _figures_module() -> Any:
    try:
        return importlib.import_module("upright.figures")
    except ImportError:
        return None


@lru_cache(maxsize=256)
def figure_for(exercise_id: str) -> Figure | None:
    figures = _figures_module()
    if figures is None or not hasattr(figures, "figure_svg"):
        return None
    try:
        last = int(figures.keyframe_count(exercise_id)) - 1
        start = str(figures.figure_svg(exercise_id, animate=False, frame=0))
        end = str(figures.figure_svg(exercise_id, animate=False, frame=max(last, 0)))
        start_alt = str(figures.alt_text(exercise_id, frame=0))
        end_alt = str(figures.alt_text(exercise_id, frame=max(last, 0)))
    except UprightError:  # no pose data for this exercise (a clinic's own, or not drawn yet)
        return None
    return Figure(start_svg=start, end_svg=end, start_alt=start_alt, end_alt=end_alt)
