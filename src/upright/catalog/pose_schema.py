"""Models of the pose files, catalog/poses/<exercise-id>.yaml. Strict: unknown fields are errors.
The catalog loader (catalog/load.py) reads and checks them with the other catalog files; figures/
works each one out into a drawing (and checks what needs the skeleton: body parts, reach, arrows).

A pose file says how to draw one exercise:

    exercise: chin-tuck              # the exercise id (must match the file name)
    view: side                       # side | front | above (side view, seen from the ceiling)
    scene: A person stands tall, seen from the side.     # first words of the alt text
    anchor: toe_l                    # the joint that never moves (feet on the floor, knees on the mat)
    shorten: {thigh: 0.25}           # optional: a bone that points at us the whole time looks shorter
    far_side: l                      # optional, front view: lying on the left side, so the left arm
                                     # and leg are drawn lighter, behind the body (side view: always r)
    props: [{kind: floor}]           # chair, wall, door, mat, post (band anchor), pillow, floor
    bands: [{from: wrist_l, to: [90, 95]}]   # resistance band: a joint or a point at each end
    dumbbells: false
    keyframes:
      - name: start
        say: The head is level.      # one plain sentence for the alt text
        base: standing               # start from a stock pose ...
        at: [20, 3]                  # ... with the anchor joint here (cm; y = 0 is the floor)
      - name: tucked
        like: start                  # or start from an earlier keyframe
        say: The chin moves down toward the chest.
        pose: {neck: [86, 88], head: 70}     # bone directions in degrees, 0 = right, 90 = up
        reach: {wrist_l: {to: [60, 100], bend: down}}   # put a wrist or ankle on a spot
        arrows: [{joint: crown, offset: [14, -4]}]       # on this still: how the crown got here
        ghost: start                 # on this still: keyframe `start` drawn faintly behind (small moves)
    timeline:                        # one step per phase of the exercise, in order
      - {phase: tuck, to: tucked}
      - {phase: hold, to: tucked}
      - {phase: return, to: start}

Pose keys: spine (1 or 4 numbers), neck (1 or 2), head, and clavicle, upper_arm, forearm, hand,
thigh, shin, foot, pelvis (front view), each with _l or _r, or without a suffix for both sides
(front view mirrors the number for the right side). Front view only: face, the head's turn about
its own line in degrees (0 = looking at us, 90 = in profile facing 90 degrees counter-clockwise
from where the head points; figures/face.py).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["Arrow", "Band", "Keyframe", "PoseFile", "Prop", "Reach", "Step"]

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)]
Text = Annotated[str, Field(min_length=1, max_length=300)]
Angle = Annotated[float, Field(ge=-360, le=360)]
Coord = Annotated[float, Field(ge=-400, le=400)]
Point = tuple[Coord, Coord]
JointName = Annotated[str, Field(pattern=r"^[a-z_]+$", max_length=40)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Reach(_Strict):
    """Place a wrist or ankle on a spot; the elbow or knee bends toward `bend` (picture directions)."""

    to: Point
    bend: Literal["up", "down", "left", "right"]


class Arrow(_Strict):
    """On a still, an accent arrow from where `joint` was in keyframe `from` (default: the keyframe
    before) to where it is now, moved by `offset` so it sits beside the body, not on it."""

    joint: JointName
    start: Slug | None = Field(default=None, alias="from")
    offset: Point = (0.0, 0.0)
    bend: Annotated[float, Field(ge=-1, le=1)] = 0.0  # curve sideways, as a share of its length
    longest: Annotated[float, Field(ge=8, le=200)] = 40.0  # long moves get an arrow near the end only


class Keyframe(_Strict):
    name: Slug
    say: Text
    base: str | None = None
    like: Slug | None = None
    at: Point | None = None
    pose: dict[str, Angle | list[Angle]] = Field(default_factory=dict)
    reach: dict[str, Reach] = Field(default_factory=dict)
    arrows: tuple[Arrow, ...] = ()
    # A small move (a shrug, a squeeze) is hard to see on paper: the still shows this earlier
    # keyframe faintly behind the body, so the part that moved stands out from where it was.
    ghost: Slug | None = None

    @model_validator(mode="after")
    def _one_start(self) -> Keyframe:
        if (self.base is None) == (self.like is None):
            raise ValueError("give exactly one of base (a stock pose) or like (an earlier keyframe)")
        if self.base is not None and self.at is None:
            raise ValueError("a keyframe that starts from a base pose needs at: [x, y] for the anchor")
        return self


class Floor(_Strict):
    kind: Literal["floor"]


class Mat(_Strict):
    kind: Literal["mat"]
    x: tuple[Coord, Coord]
    y: tuple[Coord, Coord] | None = None  # only seen from above: the mat's far and near edges


class Chair(_Strict):
    kind: Literal["chair"]
    x: Coord  # side view: front edge of the seat; front view: middle of the seat
    seat: Annotated[float, Field(ge=30, le=60)] = 45.0


class Wall(_Strict):
    kind: Literal["wall"]
    x: Coord  # the face of the wall; the wall goes off to the right


class Door(_Strict):
    kind: Literal["door"]
    x: Coord  # side view: the frame's edge; front view: middle of the opening
    width: Annotated[float, Field(ge=60, le=120)] = 85.0


class Post(_Strict):
    kind: Literal["post"]
    x: Coord
    height: Annotated[float, Field(ge=20, le=180)]  # where the band is tied


class Pillow(_Strict):
    kind: Literal["pillow"]
    at: Point


Prop = Annotated[Floor | Mat | Chair | Wall | Door | Post | Pillow, Field(discriminator="kind")]


class Band(_Strict):
    """A resistance band from a joint (wrist_l, ...) or a fixed point to another joint or point."""

    start: JointName | Point = Field(alias="from")
    end: JointName | Point = Field(alias="to")


class Step(_Strict):
    """The movement during one phase of the exercise: toward one keyframe, or through several."""

    phase: Slug
    to: Slug | list[Slug]

    @property
    def targets(self) -> tuple[str, ...]:
        return (self.to,) if isinstance(self.to, str) else tuple(self.to)


class PoseFile(_Strict):
    exercise: Slug
    view: Literal["side", "front", "above"]
    scene: Text
    anchor: JointName
    shorten: dict[str, Annotated[float, Field(gt=0.05, le=1.0)]] = Field(default_factory=dict)
    far_side: Literal["l", "r"] | None = None  # front view of a person lying on that side
    props: tuple[Prop, ...] = ()
    bands: tuple[Band, ...] = ()
    dumbbells: bool = False
    keyframes: tuple[Keyframe, ...] = Field(min_length=2)
    timeline: tuple[Step, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _names(self) -> PoseFile:
        seen: list[str] = []
        for i, kf in enumerate(self.keyframes):
            if kf.name in seen:
                raise ValueError(f"keyframes[{i}].name: {kf.name!r} is used twice")
            if kf.like is not None and kf.like not in seen:
                raise ValueError(f"keyframes[{i}].like: {kf.like!r} is not an earlier keyframe")
            seen.append(kf.name)
        for i, kf in enumerate(self.keyframes):
            for j, arrow in enumerate(kf.arrows):
                if arrow.start is None and i == 0:
                    raise ValueError(
                        f"keyframes[0].arrows[{j}]: the first keyframe needs from: (another keyframe)"
                    )
                if arrow.start is not None and arrow.start not in seen:
                    raise ValueError(f"keyframes[{i}].arrows[{j}]: no keyframe called {arrow.start!r}")
            if kf.ghost is not None and kf.ghost not in seen:
                raise ValueError(f"keyframes[{i}].ghost: no keyframe called {kf.ghost!r}")
        for i, step in enumerate(self.timeline):
            for name in step.targets:
                if name not in seen:
                    raise ValueError(f"timeline[{i}].to: no keyframe called {name!r}")
        if self.timeline[-1].targets[-1] != self.keyframes[0].name:
            raise ValueError(
                f"timeline: the last step must end at the first keyframe ({self.keyframes[0].name!r}) "
                "so the movement loops smoothly"
            )
        return self
