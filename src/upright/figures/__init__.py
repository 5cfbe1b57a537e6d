"""Figures: an articulated person drawn as SVG from the pose keyframes of the catalog (catalog/poses/,
read and checked by the catalog loader like every other catalog file; `Catalog.poses`).

    figure_svg("chin-tuck")              animated (needs /static/figures.css; start pose without it)
    figure_svg("chin-tuck", frame=1)     keyframe 1, still: for print, PDF and <img>
    keyframe_count("chin-tuck")          how many keyframes (at least a start and an end)
    held_frame("chin-tuck", "hold")      the keyframe to show, still, while that phase holds (None: not a hold)
    alt_text("chin-tuck")                the picture in plain words (alt_text(id, frame=i) for one still)
    figure_svg(id, embed_style=True)     a standalone animated file (an <img> cannot load figures.css);
                                         serve it with a CSP that allows exactly figure_style(id)

Modules: skeleton (bones and kinematics), poses (stock poses, working out keyframes), motion (tempo from the exercise's phases), face (where a front-view face points), props, svg, css (figures.css).
"""

from __future__ import annotations

from functools import cache

from upright.catalog import builtin_catalog
from upright.errors import InvalidInput, NotFound
from upright.figures.css import BASE_CSS, figure_css, stylesheet
from upright.figures.motion import Motion, motion_for
from upright.figures.poses import Figure, figure_from_pose
from upright.figures.props import Box
from upright.figures.svg import PX_PER_CM, figure_box, render_svg

__all__ = [
    "alt_text",
    "figure_ids",
    "figure_size",
    "figure_style",
    "figure_svg",
    "has_figure",
    "held_frame",
    "keyframe_count",
    "stylesheet_css",
]


def figure_ids() -> list[str]:
    """Every exercise id that has a pose file, sorted."""
    return sorted(builtin_catalog().poses)


def has_figure(exercise_id: str) -> bool:
    return exercise_id in builtin_catalog().poses


@cache
def _prepared(exercise_id: str) -> tuple[Figure, Motion, Box]:
    catalog = builtin_catalog()
    pose = catalog.poses.get(exercise_id)
    if pose is None:
        raise NotFound("figure", exercise_id)
    fig = figure_from_pose(pose, catalog.pose_source(exercise_id))
    motion = motion_for(fig, catalog.exercise(exercise_id))  # the loader checked that it exists
    return fig, motion, figure_box(fig, motion)


def keyframe_count(exercise_id: str) -> int:
    return len(_prepared(exercise_id)[0].frames)


def held_frame(exercise_id: str, phase: str) -> int | None:
    """The keyframe a hold phase holds (the end of its timeline step), or None when `phase` is not
    a hold of this exercise. A player shows it still for the whole hold: the looping picture would
    otherwise keep moving back to the start while the person stays put."""
    fig = _prepared(exercise_id)[0]
    ex = builtin_catalog().exercise(exercise_id)
    if not any(p.key == phase and p.hold for p in ex.phases):
        return None
    step = next((s for s in fig.timeline if s.phase == phase), None)
    if step is None:
        return None
    names = [f.name for f in fig.frames]
    return names.index(step.targets[-1])


def _frame_index(fig: Figure, frame: int) -> int:
    if not 0 <= frame < len(fig.frames):
        raise InvalidInput("frame", f"this figure has keyframes 0 to {len(fig.frames) - 1}")
    return frame


def alt_text(exercise_id: str, frame: int | None = None) -> str:
    """The picture in plain words: the scene, then each keyframe (or only keyframe `frame`)."""
    fig = _prepared(exercise_id)[0]
    if frame is not None:
        return f"{fig.scene} {fig.frames[_frame_index(fig, frame)].say}"
    return " ".join([fig.scene, *(f.say for f in fig.frames)])


def figure_svg(
    exercise_id: str,
    *,
    animate: bool = True,
    frame: int | None = None,
    title: str | None = None,
    embed_style: bool = False,
) -> str:
    """The figure as an SVG string with role="img", <title> and <desc>.

    frame=None and animate=True: moves at the exercise's tempo where /static/figures.css is
    loaded, and holds the start pose where it is not or when the person prefers reduced motion.
    frame=i: keyframe i, still (no classes, no CSS needed).
    embed_style=True (animated only): carries figure_style() in its own <style>, for a file on its own."""
    fig, motion, box = _prepared(exercise_id)
    is_animated = animate and frame is None
    index = 0 if frame is None else _frame_index(fig, frame)
    name = title or builtin_catalog().exercise(exercise_id).name
    desc = alt_text(exercise_id) if is_animated else alt_text(exercise_id, index)
    style = figure_style(exercise_id) if is_animated and embed_style else None
    return render_svg(fig, motion, box, frame=index, animate=is_animated, title=name, desc=desc, style=style)


def figure_style(exercise_id: str) -> str:
    """The CSS one animated figure needs (with the reduced-motion rule), as embedded by embed_style."""
    return BASE_CSS + figure_css(_prepared(exercise_id)[1])


def figure_size(exercise_id: str) -> tuple[int, int]:
    """Width and height in CSS pixels at the default scale, for <img width height>."""
    x0, y0, x1, y1 = _prepared(exercise_id)[2]
    return round((x1 - x0) * PX_PER_CM), round((y1 - y0) * PX_PER_CM)


def stylesheet_css() -> str:
    """figures.css for every figure: what the committed static file must contain."""
    return stylesheet(_prepared(i)[1] for i in figure_ids())
