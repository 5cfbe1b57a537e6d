"""Start and end pictures for the handout, from upright.figures (still keyframes: paper does not move).

Figures are drawn from data that does not change while running, so each exercise is drawn once per
process. An exercise without pose data (a clinic's own, or one not drawn yet) prints without a
picture; a bug in the drawing code is not hidden."""

from __future__ import annotations

from functools import lru_cache

from upright.errors import UprightError
from upright.exports.handout_content import Figure
from upright.figures import alt_text, figure_svg, has_figure, keyframe_count

__all__ = ["figure_for"]


@lru_cache(maxsize=256)
def figure_for(exercise_id: str) -> Figure | None:
    if not has_figure(exercise_id):
        return None
    try:
        last = keyframe_count(exercise_id) - 1
        return Figure(
            start_svg=figure_svg(exercise_id, animate=False, frame=0),
            end_svg=figure_svg(exercise_id, animate=False, frame=last),
            start_alt=alt_text(exercise_id, frame=0),
            end_alt=alt_text(exercise_id, frame=last),
        )
    except UprightError:  # pose data that does not fit this catalog's exercise
        return None
