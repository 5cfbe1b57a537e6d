"""The animation: when each keyframe is reached (from the exercise's own phases), and the CSS that
plays it.

Each joint is an SVG group rotated about its parent joint; CSS animates only those rotations,
so limbs keep their length at every instant. Easing is CSS's ease-in-out on every segment; the
same curve is computed here to place resistance bands and to size the picture, so Python and the
browser agree."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from upright.catalog.schema import Exercise
from upright.errors import CatalogError
from upright.figures.poses import Figure
from upright.figures.skeleton import Edge, Point, positions_from_edges

__all__ = [
    "HOLD_CAP_SECONDS",
    "REST_SECONDS",
    "Motion",
    "ease",
    "motion_for",
    "relative_angles",
    "still_motion",
]

HOLD_CAP_SECONDS = (
    5.0  # long holds (30 s) are shortened in the picture; the session timer keeps the real time
)
REST_SECONDS = 1.0  # a short pause in the start pose before the loop begins again
BAND_SAMPLE_SECONDS = 0.25


def _norm(angle: float) -> float:
    a = math.fmod(angle, 360.0)
    if a <= -180.0:
        a += 360.0
    elif a > 180.0:
        a -= 360.0
    return a


def relative_angles(edges: tuple[Edge, ...], angles: Mapping[str, float]) -> dict[str, float]:
    """Each bone's angle relative to the bone it hangs from in the anchor-rooted tree."""
    out: dict[str, float] = {}

    def walk(es: tuple[Edge, ...], parent_dir: float) -> None:
        for e in es:
            d = e.direction(angles)
            out[e.bone.name] = _norm(d - parent_dir)
            walk(e.children, d)

    walk(edges, 0.0)
    return out


@cache
def _bezier_table() -> tuple[tuple[float, float], ...]:
    # CSS ease-in-out = cubic-bezier(0.42, 0, 0.58, 1), tabulated finely enough for drawing.
    x1, x2 = 0.42, 0.58
    pts = []
    for i in range(2001):
        s = i / 2000
        x = 3 * (1 - s) ** 2 * s * x1 + 3 * (1 - s) * s**2 * x2 + s**3
        y = 3 * (1 - s) * s**2 + s**3
        pts.append((x, y))
    return tuple(pts)


def ease(u: float) -> float:
    """CSS ease-in-out: progress through a segment at fraction `u` of its time."""
    if u <= 0:
        return 0.0
    if u >= 1:
        return 1.0
    table = _bezier_table()
    lo, hi = 0, len(table) - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if table[mid][0] < u:
            lo = mid
        else:
            hi = mid
    (xa, ya), (xb, yb) = table[lo], table[hi]
    return ya + (yb - ya) * (u - xa) / (xb - xa) if xb > xa else ya


@dataclass(frozen=True)
class Motion:
    """Stops on the loop: at time `times[i]` the figure is in keyframe `frames[i]`."""

    figure: Figure
    times: tuple[float, ...]
    frames: tuple[int, ...]
    relative: dict[str, tuple[float, ...]]  # per bone, its angle at each stop (unwrapped: short way round)
    anchors: tuple[Point, ...]
    faces: tuple[float, ...]  # front view: the head's turn at each stop (figures/face.py)

    @property
    def total(self) -> float:
        return self.times[-1]

    @property
    def moving(self) -> frozenset[str]:
        return frozenset(b for b, vs in self.relative.items() if max(vs) - min(vs) > 0.01)

    @property
    def face_moves(self) -> bool:
        return max(self.faces) - min(self.faces) > 0.01

    @property
    def anchor_moves(self) -> bool:
        return len({(round(x, 2), round(y, 2)) for x, y in self.anchors}) > 1

    def _segment(self, t: float) -> tuple[int, float]:
        """The stop before time t and how far (eased) the figure has moved toward the next one."""
        t = min(max(t, 0.0), self.total)
        i = max(k for k in range(len(self.times)) if self.times[k] <= t) if t > 0 else 0
        if i >= len(self.times) - 1:
            i = len(self.times) - 2
        span = self.times[i + 1] - self.times[i]
        return i, ease((t - self.times[i]) / span)

    def at(self, t: float) -> tuple[dict[str, float], Point]:
        """Relative angles and anchor position at time t (seconds into the loop)."""
        i, k = self._segment(t)
        rel = {b: vs[i] + (vs[i + 1] - vs[i]) * k for b, vs in self.relative.items()}
        (ax, ay), (bx, by) = self.anchors[i], self.anchors[i + 1]
        return rel, (ax + (bx - ax) * k, ay + (by - ay) * k)

    def face_at(self, t: float) -> float:
        i, k = self._segment(t)
        return self.faces[i] + (self.faces[i + 1] - self.faces[i]) * k

    def joints_at(self, t: float) -> dict[str, Point]:
        rel, anchor = self.at(t)
        return positions_from_edges(self.figure.edges, anchor, rel)

    def sample_times(self, step: float = BAND_SAMPLE_SECONDS) -> list[float]:
        """Every stop, plus points every `step` seconds inside segments where something moves."""
        out = [self.times[0]]
        for i in range(len(self.times) - 1):
            a, b = self.times[i], self.times[i + 1]
            if self.frames[i] != self.frames[i + 1]:
                n = max(2, math.ceil((b - a) / step))
                out.extend(a + (b - a) * j / n for j in range(1, n))
            out.append(b)
        return out


def _hold_seconds(ex: Exercise) -> float | None:
    """The shortest hold a handout gives (variants are a choice, not the default)."""
    return next((float(d.hold_seconds[0]) for d in ex.doses if d.hold_seconds), None)


def _build(fig: Figure, stops: list[tuple[float, int]]) -> Motion:
    per_frame = [relative_angles(fig.edges, f.angles) for f in fig.frames]
    relative: dict[str, tuple[float, ...]] = {}
    for bone in per_frame[0]:
        values = [per_frame[stops[0][1]][bone]]
        for _, frame in stops[1:]:
            v = per_frame[frame][bone]
            prev = values[-1]
            values.append(prev + _norm(v - prev))  # turn the short way round, as a person would
        relative[bone] = tuple(values)
    anchors = tuple(fig.frames[f].joints[fig.anchor] for _, f in stops)
    faces = tuple(fig.frames[f].face for _, f in stops)
    return Motion(fig, tuple(t for t, _ in stops), tuple(f for _, f in stops), relative, anchors, faces)


def motion_for(fig: Figure, ex: Exercise) -> Motion:
    """The loop at the exercise's tempo: each timeline step lasts as long as its phase."""
    keys = [p.key for p in ex.phases]
    if [s.phase for s in fig.timeline] != keys:
        raise CatalogError(
            [
                (
                    fig.source,
                    "timeline",
                    f"must have one step per phase of {ex.id}, in this order: {', '.join(keys)}",
                )
            ]
        )
    index = {f.name: i for i, f in enumerate(fig.frames)}
    hold = _hold_seconds(ex)
    t, stops = 0.0, [(0.0, 0)]
    for step, phase in zip(fig.timeline, ex.phases, strict=True):
        seconds = min(hold or phase.seconds, HOLD_CAP_SECONDS) if phase.hold else phase.seconds
        for name in step.targets:
            t += seconds / len(step.targets)
            stops.append((t, index[name]))
    stops.append((t + REST_SECONDS, 0))
    return _build(fig, stops)


def still_motion(fig: Figure) -> Motion:
    """Keyframes in order, two seconds apart: used to size the picture when no exercise is given."""
    stops = [(2.0 * i, i) for i in range(len(fig.frames))] + [(2.0 * len(fig.frames), 0)]
    return _build(fig, stops)
