"""Turn each keyframe of a pose file (catalog data: catalog/pose_schema.py, read by the catalog
loader) into bone directions and joint positions.

Stock poses (standing, sitting, kneeling, all-fours, lying) are written here once; a keyframe
starts from one of them or from an earlier keyframe and changes only what moves."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from upright.catalog.pose_schema import Arrow, Band, Keyframe, PoseFile, Prop, Step
from upright.errors import CatalogError
from upright.figures.skeleton import (
    Edge,
    Point,
    Skeleton,
    View,
    forward,
    rooted_edges,
    skeleton_for,
    two_bone_reach,
)

__all__ = ["Figure", "Frame", "figure_from_pose", "mirror"]

Problems = list[tuple[str, str, str]]
# Not a bone: the front view's head turn (figures/face.py), kept with the bone directions so a
# keyframe written `like:` an earlier one keeps it too.
FACE = "face"


def mirror(angle: float) -> float:
    """The same direction for the other side of the body in front view (left-right flip)."""
    return 180.0 - angle


def _both(view: View, **angles: float) -> dict[str, float]:
    """Expand {'upper_arm': a} to both sides; front view mirrors the right side."""
    out: dict[str, float] = {}
    for key, value in angles.items():
        if key in ("spine", "neck"):
            n = 4 if key == "spine" else 2
            out.update({f"{key}_{i}": value for i in range(1, n + 1)})
        elif key == "head":
            out[key] = value
        else:
            out[f"{key}_l"] = value
            out[f"{key}_r"] = mirror(value) if view == "front" else value
    return out


# Side view, facing right. The trunk line leans a touch forward at the top, the way a relaxed
# upright back does; the neck carries the head over the shoulders.
_SIDE_STAND = _both(
    "side", spine=90, neck=86, head=90, clavicle=-70, upper_arm=-93, forearm=-86, hand=-86,
    thigh=-90, shin=-90, foot=-20,
)  # fmt: skip
_SIDE_SIT = {
    **_SIDE_STAND,
    **_both("side", thigh=2, shin=-88, foot=-15, upper_arm=-100, forearm=-25, hand=-25),
}
_SIDE_KNEEL = {
    **_SIDE_STAND,
    **_both("side", thigh=-24, shin=180, foot=180, upper_arm=-96, forearm=-60, hand=-60),
}
_SIDE_ALL_FOURS = {
    **_both("side", spine=15, neck=14, head=5, clavicle=-100, thigh=-92, shin=180, foot=180),
    **_both("side", upper_arm=-90, forearm=-90, hand=0),
}
# Lying on the left side, seen from above: head to the left, front of the body facing up the page.
_SIDE_LYING = _both(
    "side", spine=180, neck=180, head=180, clavicle=40, upper_arm=90, forearm=90, hand=90,
    thigh=90, shin=0, foot=80,
)  # fmt: skip

_FRONT_STAND = {
    **_both("front", spine=90, neck=90, head=90, clavicle=-8, upper_arm=-84, forearm=-86, hand=-88),
    **_both("front", pelvis=0, thigh=-88, shin=-90, foot=-45),
}
# Sitting, seen from the front: thighs point at us (pose files shorten them), shins hang down.
_FRONT_SIT = {
    **_FRONT_STAND,
    **_both("front", thigh=-70, shin=-90, upper_arm=-80, forearm=-100, hand=-100),
}

BASES: dict[tuple[View, str], dict[str, float]] = {
    ("side", "standing"): _SIDE_STAND,
    ("side", "sitting"): _SIDE_SIT,
    ("side", "kneeling"): _SIDE_KNEEL,
    ("side", "all-fours"): _SIDE_ALL_FOURS,
    ("side", "lying"): _SIDE_LYING,
    ("front", "standing"): _FRONT_STAND,
    ("front", "sitting"): _FRONT_SIT,
}

# A reach target moves two bones; the joint before them stays where it is.
REACH_CHAINS = {"wrist": ("upper_arm", "forearm"), "ankle": ("thigh", "shin")}
BEND = {"up": (0.0, 1.0), "down": (0.0, -1.0), "left": (-1.0, 0.0), "right": (1.0, 0.0)}


@dataclass(frozen=True)
class Frame:
    """One keyframe, worked out: absolute bone directions and joint positions in the scene (cm)."""

    name: str
    say: str
    angles: dict[str, float]
    joints: dict[str, Point]
    arrows: tuple[tuple[Point, Point, Point], ...] = ()  # tail, curve control point, tip (scene cm)
    ghost: str | None = None  # the keyframe drawn faintly behind this still

    @property
    def face(self) -> float:
        """Front view: how far the head is turned about its own line (figures/face.py); 0 = at us."""
        return self.angles.get(FACE, 0.0)


@dataclass(frozen=True)
class Figure:
    """Everything needed to draw one exercise, checked."""

    exercise: str
    view: str  # side | front | above
    scene: str
    skeleton: Skeleton
    anchor: str
    edges: tuple[Edge, ...]
    frames: tuple[Frame, ...]
    props: tuple[Prop, ...]
    bands: tuple[Band, ...]
    dumbbells: bool
    timeline: tuple[Step, ...]
    source: str  # the file it came from, for error messages


def _expand(view: View, key: str, value: float | list[float], skel: Skeleton) -> dict[str, float] | str:
    """One pose entry as bone directions (or the head's turn), or a message saying what is wrong."""
    if key == FACE:
        if view != "front":
            return "the side view always shows the face in profile; turn the head in a front view"
        return {FACE: value} if not isinstance(value, list) else "face takes one number (degrees)"
    if key in ("spine", "neck"):
        n = 4 if key == "spine" else 2
        values = value if isinstance(value, list) else [value] * n
        if len(values) != n:
            return f"{key} takes 1 or {n} numbers, not {len(values)}"
        return {f"{key}_{i + 1}": v for i, v in enumerate(values)}
    if isinstance(value, list):
        return f"{key} takes one number (a direction in degrees)"
    if key in skel.names:
        return {key: value}
    if f"{key}_l" in skel.names:
        return _both(view, **{key: value})
    known = sorted(
        {re.sub(r"_(?:l|r|\d)$", "", n) for n in skel.names} | ({FACE} if view == "front" else set())
    )
    return (
        f"unknown body part for the {view} view; use one of: {', '.join(known)} (add _l or _r for one side)"
    )


def _resolve_frame(
    kf: Keyframe,
    i: int,
    pf: PoseFile,
    skel: Skeleton,
    earlier: dict[str, tuple[dict[str, float], Point]],
    problems: Problems,
    where: str,
) -> tuple[dict[str, float], Point] | None:
    field = f"keyframes[{i}]"
    view: View = skel.view
    if kf.like is not None:
        if kf.like not in earlier:  # that keyframe is broken itself, and already reported
            return None
        angles, at = dict(earlier[kf.like][0]), earlier[kf.like][1]
    else:
        base = BASES.get((view, kf.base or ""))
        if base is None:
            names = ", ".join(name for v, name in BASES if v == view)
            problems.append(
                (where, f"{field}.base", f"no stock pose {kf.base!r} for the {view} view; use {names}")
            )
            return None
        angles, at = dict(base), (0.0, 0.0)
    if kf.at is not None:
        at = (float(kf.at[0]), float(kf.at[1]))
    for key, value in kf.pose.items():
        got = _expand(view, key, value, skel)
        if isinstance(got, str):
            problems.append((where, f"{field}.pose.{key}", got))
            return None
        angles.update(got)
    joints = _place(skel, angles, pf.anchor, at)
    for key, reach in kf.reach.items():
        side_keys = [f"{key}_l", f"{key}_r"] if key in REACH_CHAINS and view == "side" else [key]
        for target in side_keys:
            kind, _, side = target.partition("_")
            if kind not in REACH_CHAINS or side not in ("l", "r"):
                msg = "reach takes wrist_l, wrist_r, ankle_l or ankle_r" + (
                    " (or wrist, ankle)" if view == "side" else ""
                )
                problems.append((where, f"{field}.reach.{key}", msg))
                return None
            first, second = (skel.bone(f"{b}_{side}") for b in REACH_CHAINS[kind])
            moved = {first.end, second.end, *_descendant_joints(skel, second.name)}
            if pf.anchor in moved:
                problems.append((where, f"{field}.reach.{key}", f"cannot move the anchor joint {pf.anchor}"))
                return None
            solved = two_bone_reach(
                joints[skel.start_of(first)], (float(reach.to[0]), float(reach.to[1])),
                first.length, second.length, BEND[reach.bend],
            )  # fmt: skip
            if isinstance(solved, str):
                problems.append((where, f"{field}.reach.{key}", f"the spot {list(reach.to)} {solved}"))
                return None
            angles[first.name], angles[second.name] = solved
            joints = _place(skel, angles, pf.anchor, at)
    return angles, at


def _descendant_joints(skel: Skeleton, bone: str) -> set[str]:
    out: set[str] = set()
    for b in skel.bones:
        if b.parent == bone or b.parent in {x.name for x in skel.bones if x.end in out}:
            out.add(b.end)
    return out


def _place(skel: Skeleton, angles: Mapping[str, float], anchor: str, at: Point) -> dict[str, Point]:
    raw = forward(skel, angles)
    dx, dy = at[0] - raw[anchor][0], at[1] - raw[anchor][1]
    return {j: (x + dx, y + dy) for j, (x, y) in raw.items()}


ARROW_SHORTEST = 16.0  # a small move still gets an arrow big enough to see


def _arrow(a: Arrow, was: Point, now: Point) -> tuple[Point, Point, Point] | str:
    """Tail, control point and tip of a curved arrow from `was` to `now`, shifted by the offset."""
    ox, oy = float(a.offset[0]), float(a.offset[1])
    (x0, y0), (x1, y1) = (was[0] + ox, was[1] + oy), (now[0] + ox, now[1] + oy)
    d = math.dist((x0, y0), (x1, y1))
    if d < 0.5:
        return "this joint does not move between the two keyframes"
    ux, uy = (x1 - x0) / d, (y1 - y0) / d
    if d < ARROW_SHORTEST:
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        d = ARROW_SHORTEST
        x0, y0, x1, y1 = mx - ux * d / 2, my - uy * d / 2, mx + ux * d / 2, my + uy * d / 2
    if d > a.longest:
        d = a.longest
        x0, y0 = x1 - ux * d, y1 - uy * d
    cx, cy = (x0 + x1) / 2 - uy * a.bend * d, (y0 + y1) / 2 + ux * a.bend * d
    return (x0, y0), (cx, cy), (x1, y1)


def _with_arrows(pf: PoseFile, frames: list[Frame], where: str, problems: Problems) -> list[Frame]:
    index = {f.name: i for i, f in enumerate(frames)}
    out = []
    for i, (kf, frame) in enumerate(zip(pf.keyframes, frames, strict=True)):
        paths = []
        for j, a in enumerate(kf.arrows):
            field = f"keyframes[{i}].arrows[{j}]"
            if a.joint not in frame.joints:
                problems.append((where, f"{field}.joint", f"unknown joint {a.joint!r}"))
                continue
            before = frames[index[a.start] if a.start is not None else i - 1]
            got = _arrow(a, before.joints[a.joint], frame.joints[a.joint])
            if isinstance(got, str):
                problems.append((where, f"{field}.joint", got))
                continue
            paths.append(got)
        out.append(replace(frame, arrows=tuple(paths)))
    return out


def _check_names(pf: PoseFile, skel: Skeleton, where: str, problems: Problems) -> None:
    if pf.anchor not in skel.joints:
        problems.append(
            (where, "anchor", f"unknown joint {pf.anchor!r}; use one of: {', '.join(skel.joints)}")
        )
    if pf.far_side is not None and skel.view != "front":
        problems.append(
            (
                where,
                "far_side",
                "only a front view takes far_side; a side view always draws the right side behind",
            )
        )
    for key in pf.shorten:
        if key not in skel.names and f"{key}_l" not in skel.names:
            problems.append((where, f"shorten.{key}", "unknown bone"))
    for i, band in enumerate(pf.bands):
        for end_name, end in (("from", band.start), ("to", band.end)):
            if isinstance(end, str) and end not in skel.joints:
                problems.append((where, f"bands[{i}].{end_name}", f"unknown joint {end!r}"))


def figure_from_pose(pf: PoseFile, where: str) -> Figure:
    """Work out one pose file (read and checked by the catalog loader) into a figure. What needs the
    skeleton is checked here: a problem raises CatalogError naming the file (`where`) and the field."""
    problems: Problems = []
    view: View = "front" if pf.view == "front" else "side"
    factors = {name: f for key, f in pf.shorten.items() for name in (key, f"{key}_l", f"{key}_r")}
    skel = skeleton_for(view).with_lengths(factors)
    if pf.far_side is not None:
        skel = skel.with_far_side(pf.far_side)
    _check_names(pf, skel, where, problems)
    if problems:
        raise CatalogError(problems)
    done: dict[str, tuple[dict[str, float], Point]] = {}
    frames: list[Frame] = []
    for i, kf in enumerate(pf.keyframes):
        got = _resolve_frame(kf, i, pf, skel, done, problems, where)
        if got is None:
            continue
        done[kf.name] = got
        joints = _place(skel, got[0], pf.anchor, got[1])
        frames.append(Frame(kf.name, kf.say, got[0], joints, ghost=kf.ghost))
    if problems:
        raise CatalogError(problems)
    frames = _with_arrows(pf, frames, where, problems)
    if problems:
        raise CatalogError(problems)
    return Figure(
        exercise=pf.exercise,
        view=pf.view,
        scene=pf.scene,
        skeleton=skel,
        anchor=pf.anchor,
        edges=rooted_edges(skel, pf.anchor),
        frames=tuple(frames),
        props=pf.props,
        bands=pf.bands,
        dumbbells=pf.dumbbells,
        timeline=pf.timeline,
        source=where,
    )
