"""The body as a tree of bones, in centimetres, and the geometry that moves it.

A pose gives every bone one number: the direction it points in the picture, in degrees
(0 = to the right, which is "forward" in side view; 90 = up). Positions come only from those
directions and the fixed bone lengths (forward kinematics), so a limb can never stretch.

Side view faces right; the person's left side is the near side. Front view shows the person
facing us, so their left is on the right of the picture.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

__all__ = [
    "ROOT",
    "Bone",
    "Edge",
    "Point",
    "Skeleton",
    "View",
    "forward",
    "in_scene",
    "positions_from_edges",
    "rooted_edges",
    "skeleton_for",
    "two_bone_reach",
]

View = Literal["side", "front"]
Layer = Literal["far", "body", "near"]
Point = tuple[float, float]

ROOT = "pelvis"  # the joint every bone tree hangs from
LIMB_PARTS = ("upper_arm", "forearm", "hand", "thigh", "shin", "foot")


@dataclass(frozen=True)
class Bone:
    name: str
    parent: str | None  # the bone this one hangs from; None = it starts at the pelvis
    end: str  # name of the joint at its far end (elbow_l, knee_r, ...)
    length: float
    width: float  # stroke width: how thick the body part looks
    layer: Layer
    drawn: bool = True
    halo: bool = False  # a white edge so the limb reads as in front of whatever it crosses
    # How a trunk segment is drawn: "line" (round-ended stroke), "tube" (tapers smoothly into the
    # next segment, round at the joints: side view) or "block" (square-ended, front view).
    shape: Literal["line", "tube", "block"] = "line"


@dataclass(frozen=True)
class Skeleton:
    view: View
    bones: tuple[Bone, ...]

    def bone(self, name: str) -> Bone:
        for b in self.bones:
            if b.name == name:
                return b
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(b.name for b in self.bones)

    @property
    def joints(self) -> tuple[str, ...]:
        return (ROOT, *(b.end for b in self.bones))

    def start_of(self, bone: Bone) -> str:
        return ROOT if bone.parent is None else self.bone(bone.parent).end

    def with_far_side(self, side: Literal["l", "r"]) -> Skeleton:
        """A person seen lying on one side: that side's arm and leg are further away, drawn lighter
        and behind the body as in side view; the near arm and leg get white edges all along, so
        they read apart from the trunk and from the limbs under them."""

        def moved(b: Bone) -> Bone:
            if not b.name.startswith(LIMB_PARTS):
                return b
            if b.name.endswith(f"_{side}"):
                return replace(b, layer="far", halo=False)
            return replace(b, halo=True)

        return Skeleton(self.view, tuple(moved(b) for b in self.bones))

    def with_lengths(self, factors: Mapping[str, float]) -> Skeleton:
        """Shorter bones for a limb that points toward us for the whole exercise (foreshortening)."""
        return Skeleton(
            self.view,
            tuple(replace(b, length=b.length * factors.get(b.name, 1.0)) for b in self.bones),
        )


def _limbs(
    side: str, layer: Layer, *, arm_parent: str, leg_parent: str | None, foot: float, side_view: bool
) -> list[Bone]:
    s = side
    # Seen from the side every near limb gets a halo; from the front only the lower arm does (it is
    # the part that crosses the body), so shoulders and hips do not get white rings.
    near = layer == "near"
    return [
        Bone(f"upper_arm_{s}", arm_parent, f"elbow_{s}", 29.0, 8.5, layer, halo=near and side_view),
        Bone(f"forearm_{s}", f"upper_arm_{s}", f"wrist_{s}", 25.0, 7.5, layer, halo=near),
        Bone(f"hand_{s}", f"forearm_{s}", f"fingers_{s}", 8.0, 7.0, layer, halo=near),
        Bone(f"thigh_{s}", leg_parent, f"knee_{s}", 43.0, 13.5, layer, halo=near and side_view),
        Bone(f"shin_{s}", f"thigh_{s}", f"ankle_{s}", 42.0, 10.5, layer, halo=near and side_view),
        Bone(f"foot_{s}", f"shin_{s}", f"toe_{s}", foot, 7.0, layer, halo=near and side_view),
    ]


def _trunk(widths: tuple[float, float, float, float], *, shape: Literal["tube", "block"]) -> list[Bone]:
    return [
        Bone("spine_1", None, "waist", 13.0, widths[0], "body", shape=shape),
        Bone("spine_2", "spine_1", "lower_back", 13.0, widths[1], "body", shape=shape),
        Bone("spine_3", "spine_2", "upper_back", 13.0, widths[2], "body", shape=shape),
        Bone("spine_4", "spine_3", "neck_base", 12.0, widths[3], "body", shape=shape),
        Bone("neck_1", "spine_4", "mid_neck", 6.0, 9.5, "body"),
        Bone("neck_2", "neck_1", "skull", 6.0, 9.5, "body"),
        Bone("head", "neck_2", "crown", 20.0, 0.0, "body"),  # drawn as a head shape, not a stroke
    ]


# Side view: the shoulder sits a little in front of and below the top of the trunk line.
SIDE = Skeleton(
    "side",
    tuple(
        [
            *_trunk((19.0, 19.0, 21.0, 20.0), shape="tube"),
            Bone("clavicle_l", "spine_4", "shoulder_l", 6.0, 0.0, "near", drawn=False),
            Bone("clavicle_r", "spine_4", "shoulder_r", 6.0, 0.0, "far", drawn=False),
            *_limbs("l", "near", arm_parent="clavicle_l", leg_parent=None, foot=15.0, side_view=True),
            *_limbs("r", "far", arm_parent="clavicle_r", leg_parent=None, foot=15.0, side_view=True),
        ]
    ),
)

# Front view: hips and shoulders spread sideways; the feet point at us, so they look short.
FRONT = Skeleton(
    "front",
    tuple(
        [
            *_trunk((26.0, 25.0, 29.0, 30.0), shape="block"),
            Bone("pelvis_l", None, "hip_l", 9.0, 20.0, "body"),
            Bone("pelvis_r", None, "hip_r", 9.0, 20.0, "body"),
            Bone("clavicle_l", "spine_4", "shoulder_l", 16.0, 12.0, "body"),
            Bone("clavicle_r", "spine_4", "shoulder_r", 16.0, 12.0, "body"),
            *_limbs("l", "near", arm_parent="clavicle_l", leg_parent="pelvis_l", foot=8.0, side_view=False),
            *_limbs("r", "near", arm_parent="clavicle_r", leg_parent="pelvis_r", foot=8.0, side_view=False),
        ]
    ),
)


def skeleton_for(view: View) -> Skeleton:
    return SIDE if view == "side" else FRONT


def _step(p: Point, angle: float, length: float) -> Point:
    rad = math.radians(angle)
    return (p[0] + length * math.cos(rad), p[1] + length * math.sin(rad))


def in_scene(origin: Point, direction: float, p: Point) -> Point:
    """A point given in a bone's own frame (x along the bone from `origin`) in scene coordinates."""
    c, s = math.cos(math.radians(direction)), math.sin(math.radians(direction))
    return (origin[0] + p[0] * c - p[1] * s, origin[1] + p[0] * s + p[1] * c)


def forward(skel: Skeleton, angles: Mapping[str, float], pelvis: Point = (0.0, 0.0)) -> dict[str, Point]:
    """Where every joint is, from bone directions and the pelvis position."""
    out: dict[str, Point] = {ROOT: pelvis}
    for bone in skel.bones:  # parents always come before their children in the tuple
        out[bone.end] = _step(out[skel.start_of(bone)], angles[bone.name], bone.length)
    return out


def two_bone_reach(
    start: Point, target: Point, first: float, second: float, bend: Point
) -> tuple[float, float] | str:
    """Directions of two bones (upper arm + forearm, thigh + shin) whose tip lands on `target`.

    Of the two ways the middle joint can bend, take the one further along `bend` (a direction
    in the picture). Returns a message instead when the target is out of reach."""
    dx, dy = target[0] - start[0], target[1] - start[1]
    dist = math.hypot(dx, dy)
    if dist > first + second - 0.01:
        return f"is {dist - first - second + 0.01:.1f} cm too far to reach"
    if dist < abs(first - second) + 0.01:
        return "is too close to reach"
    base = math.degrees(math.atan2(dy, dx))
    spread = math.degrees(math.acos((first**2 + dist**2 - second**2) / (2 * first * dist)))
    best: tuple[float, float] | None = None
    best_score = -math.inf
    for sign in (1.0, -1.0):
        a1 = base + sign * spread
        mid = _step(start, a1, first)
        score = (mid[0] - start[0]) * bend[0] + (mid[1] - start[1]) * bend[1]
        if score > best_score:
            a2 = math.degrees(math.atan2(target[1] - mid[1], target[0] - mid[0]))
            best, best_score = (a1, a2), score
    assert best is not None
    return best


@dataclass(frozen=True)
class Edge:
    """A bone as seen from the anchor joint: the picture's group tree hangs from the anchor,
    so the anchor stays exactly still while the figure moves (feet on the floor, knees on the mat)."""

    bone: Bone
    start: str
    end: str
    is_reversed: bool
    children: tuple[Edge, ...]

    def direction(self, angles: Mapping[str, float]) -> float:
        return angles[self.bone.name] + (180.0 if self.is_reversed else 0.0)


def rooted_edges(skel: Skeleton, anchor: str) -> tuple[Edge, ...]:
    """The bone tree re-hung from `anchor`: the edges leaving it, each with its subtree."""
    touching: dict[str, list[tuple[Bone, str, bool]]] = {j: [] for j in skel.joints}
    for bone in skel.bones:
        start = skel.start_of(bone)
        touching[start].append((bone, bone.end, False))
        touching[bone.end].append((bone, start, True))

    def grow(joint: str, came_by: str | None) -> tuple[Edge, ...]:
        out = []
        for bone, other, is_rev in touching[joint]:
            if bone.name != came_by:
                out.append(Edge(bone, joint, other, is_rev, grow(other, bone.name)))
        return tuple(out)

    if anchor not in touching:
        raise KeyError(anchor)
    return grow(anchor, None)


def positions_from_edges(
    edges: tuple[Edge, ...], anchor_at: Point, relative: Mapping[str, float]
) -> dict[str, Point]:
    """Joint positions from the anchor position and each edge's angle relative to its parent edge.

    This mirrors exactly how the SVG nests its rotations, so animation samples computed here
    match what the browser draws."""
    out: dict[str, Point] = {}

    def walk(es: tuple[Edge, ...], at: Point, parent_dir: float) -> None:
        for e in es:
            direction = parent_dir + relative[e.bone.name]
            end = _step(at, direction, e.bone.length)
            out[e.end] = end
            walk(e.children, end, direction)

    start = edges[0].start if edges else ROOT
    out[start] = anchor_at
    walk(edges, anchor_at, 0.0)
    return out
