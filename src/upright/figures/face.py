"""Where the face points, for a head seen from the front: two eyes and a nose on a round head.

Seen from the front a plain round head looks the same whichever way it turns, so a head turn
(looking over at a hand, a neck rotation) did not show. The head is treated as a ball that turns
about its own line (the neck's axis): `turn` 0 = the face looks straight at us, positive turns it
toward the side 90 degrees counter-clockwise from where the head points (for an upright head,
the picture's left), 90 = in profile, beyond 90 it looks away from us.

Each mark is one fixed shape with a transform (translate, then scale) worked out from the turn,
so a still draws it with an attribute and the animation moves it with CSS keyframes.
Coordinates are the head bone's frame (x from the top of the neck toward the crown)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from upright.figures.skeleton import Point, in_scene

__all__ = ["EYE_R", "FRONT_HEAD_CENTER", "NOSE", "Mark", "face_marks", "face_points", "nose_tip"]

FRONT_HEAD_CENTER = (10.0, 0.0)  # the middle of the round head, in the head bone's frame

EYE_R = 2.0  # large enough to show as a white dot at a handout's size
EYE_X = 11.5  # the eyes sit a little above the middle of the head, toward the crown
EYE_SPREAD = 34.0  # degrees round the head from the middle of the face to each eye
EYE_RING = 9.0  # how far the eyes sit from the head's line (a little inside the outline)
# The nose drawn in profile (turned 90 degrees): it sticks out past the outline of the head like
# the side view's nose. Turning squeezes it toward the middle (scale y by the sine of the turn),
# which is exactly a flat profile turned about the head's line: facing us it vanishes into the
# head, half turned it starts to show, in profile it sticks out in full.
NOSE: tuple[Point, ...] = ((13.5, 8.0), (8.0, 15.5), (4.5, 9.0))


@dataclass(frozen=True)
class Mark:
    """One face mark: its shape's transform in the head's frame (translate x, y, then scale y)."""

    kind: str  # "eye" (a white dot centred on 0, 0) or "nose" (the NOSE polygon, dark)
    x: float
    y: float
    scale_y: float

    @property
    def shows(self) -> bool:
        return self.scale_y > 0.01


def face_marks(turn: float) -> tuple[Mark, Mark, Mark]:
    """The nose, then the two eyes, for a head turned `turn` degrees (see the module text).

    An eye on the far side of the ball is squeezed to nothing (scale 0): it is out of sight."""
    rad = math.radians(turn)
    eyes = []
    for side in (-1.0, 1.0):
        around = rad + side * math.radians(EYE_SPREAD)
        # Round when the face looks at us, narrower as the eye goes round toward the edge.
        narrow = min(math.cos(around) / math.cos(math.radians(EYE_SPREAD)), 1.0)
        eyes.append(Mark("eye", EYE_X, EYE_RING * math.sin(around), max(narrow, 0.0)))
    return Mark("nose", 0.0, 0.0, math.sin(rad)), eyes[0], eyes[1]


def nose_tip(turn: float) -> Point:
    """The nose's outermost point in the head's frame: where the face points, in the picture."""
    tx, ty = NOSE[1]
    return (tx, ty * math.sin(math.radians(turn)))


def face_points(skull: Point, crown: Point, turn: float) -> dict[str, Point]:
    """Where the nose tip and each eye in sight are in the scene (cm), for a head from `skull` to
    `crown` turned `turn` degrees: what a reader sees of the face, for checks and tests."""
    direction = math.degrees(math.atan2(crown[1] - skull[1], crown[0] - skull[0]))
    out = {"nose": in_scene(skull, direction, nose_tip(turn))}
    for i, mark in enumerate(face_marks(turn)[1:], start=1):
        if mark.shows:
            out[f"eye_{i}"] = in_scene(skull, direction, (mark.x, mark.y))
    return out
