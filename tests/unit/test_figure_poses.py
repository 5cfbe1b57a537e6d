"""The pictures match the words: pose geometry read from the pose data (angles in degrees, distances
in cm), so a picture that drifts away from what the exercise text says fails here.

Each test names the sentence of the exercise it keeps true."""

from __future__ import annotations

import itertools
import math
import re

import pytest

from upright.catalog import builtin_catalog
from upright.catalog.pose_schema import PoseFile, Wall
from upright.errors import CatalogError
from upright.figures import figure_size, figure_style, figure_svg, held_frame, keyframe_count
from upright.figures.face import FRONT_HEAD_CENTER, face_points
from upright.figures.motion import motion_for
from upright.figures.poses import Figure, Frame, figure_from_pose
from upright.figures.props import FAR, INK
from upright.figures.skeleton import LIMB_PARTS, Point, in_scene
from upright.figures.svg import ARROW_WIDTH, CASING, HALO, HEAD_R, PX_PER_CM

# A handout picture is at most 36 mm wide and 38 mm tall, keeping its shape (exports/handout.typ).
PRINT_WIDTH_MM, PRINT_HEIGHT_MM = 36.0, 38.0


POSE_IDS = sorted(builtin_catalog().poses)


def _fig(exercise_id: str) -> Figure:
    return figure_from_pose(builtin_catalog().poses[exercise_id], exercise_id)


def _frame(fig: Figure, name: str) -> Frame:
    return next(f for f in fig.frames if f.name == name)


def _norm(angle: float) -> float:
    return (angle + 180.0) % 360.0 - 180.0


def _knee_bend(angles: dict[str, float], side: str) -> float:
    """How far the knee bends forward (side view faces right): thigh direction minus shin direction.
    Positive: the knee is in front of the hip-ankle line, the way knees bend. Negative: backwards."""
    return _norm(angles[f"thigh_{side}"] - angles[f"shin_{side}"])


def _elbow_bend(angles: dict[str, float], side: str) -> float:
    return abs(_norm(angles[f"forearm_{side}"] - angles[f"upper_arm_{side}"]))


SIDE_FIGURES = [i for i in POSE_IDS if _fig(i).view != "front"]


def _direction(a: Point, b: Point) -> float:
    return math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))


@pytest.mark.parametrize("exercise_id", SIDE_FIGURES)
def test_knees_never_bend_backwards(exercise_id: str) -> None:
    """In every keyframe and at every moment of the moving picture."""
    fig = _fig(exercise_id)
    motion = motion_for(fig, builtin_catalog().exercise(exercise_id))
    for angles in (f.angles for f in fig.frames):
        for side in ("l", "r"):
            assert _knee_bend(angles, side) >= -3
    for t in motion.sample_times(0.25):
        joints = motion.joints_at(t)
        for side in ("l", "r"):
            hip, knee, ankle = joints["pelvis"], joints[f"knee_{side}"], joints[f"ankle_{side}"]
            bend = _norm(_direction(hip, knee) - _direction(knee, ankle))
            assert bend >= -3, f"the {side} knee bends backwards at {t:.2f} s ({bend:.0f} degrees)"


def test_bent_over_row_knees_bend_a_little_forward() -> None:
    """'Bend your knees a little.'"""
    for frame in _fig("bent-over-row").frames:
        for side in ("l", "r"):
            assert 10 <= _knee_bend(frame.angles, side) <= 40, frame.name


def test_resisted_rows_start_with_the_elbows_at_the_sides_bent_to_a_right_angle() -> None:
    """'Keep your elbows at your sides, bent to a right angle.'"""
    fig = _fig("resisted-rows")
    start = fig.frames[0]
    assert abs(_norm(start.angles["upper_arm_l"] + 90)) <= 10  # the upper arm hangs down by the side
    assert 80 <= _elbow_bend(start.angles, "l") <= 100
    assert abs(start.joints["elbow_l"][0] - start.joints["shoulder_l"][0]) <= 5
    pulled = fig.frames[-1]
    assert pulled.joints["elbow_l"][0] < start.joints["elbow_l"][0] - 10  # the elbows pull back
    assert 70 <= _elbow_bend(pulled.angles, "l") <= 130  # still bent


def test_wall_push_up_feet_are_30_to_60_cm_from_the_wall_and_the_body_stays_straight() -> None:
    """'Stand with your feet 12 to 24 inches (30 to 60 cm) back from it.' 'Keep your body straight.'"""
    fig = _fig("wall-push-up")
    wall = next(p for p in fig.props if isinstance(p, Wall))
    for frame in fig.frames:
        gap = wall.x - frame.joints["toe_l"][0]
        assert 30 <= gap <= 60, f"{frame.name}: the toes are {gap:.0f} cm from the wall"
        trunk = frame.angles["spine_1"]
        assert abs(_norm(frame.angles["thigh_l"] + 180 - trunk)) <= 5, frame.name
        assert abs(_norm(frame.angles["shin_l"] + 180 - trunk)) <= 5, frame.name
        assert frame.joints["wrist_l"][0] <= wall.x  # hands on the wall, not in it
    start, lean = fig.frames[0], fig.frames[-1]
    assert _elbow_bend(start.angles, "l") < 35  # arms (nearly) straight at the start
    assert _elbow_bend(lean.angles, "l") > 60  # and bent when leaning in


SQUEEZES = [
    ("scapular-squeeze", "squeeze"),
    ("shoulder-squeeze-breathing", "back"),
    ("shoulder-rolls", "back"),
]


@pytest.mark.parametrize(("exercise_id", "squeezed"), SQUEEZES)
def test_shoulder_squeezes_move_the_shoulders_not_the_trunk(exercise_id: str, squeezed: str) -> None:
    """The squeeze is in the shoulder blades: the back and head stay where they were."""
    fig = _fig(exercise_id)
    start, end = fig.frames[0], _frame(fig, squeezed)
    for joint in ("waist", "lower_back", "upper_back", "neck_base", "skull", "crown"):
        assert math.dist(start.joints[joint], end.joints[joint]) < 1.0, f"the {joint} moves"
    assert start.joints["shoulder_l"][0] - end.joints["shoulder_l"][0] >= 5  # the shoulder goes back


def _mm_per_cm(exercise_id: str) -> float:
    """Millimetres on a printed handout per centimetre of the scene."""
    width, height = (px / PX_PER_CM for px in figure_size(exercise_id))
    return min(PRINT_WIDTH_MM / width, PRINT_HEIGHT_MM / height)


def _arrow_mm(path: tuple[Point, Point, Point], mm_per_cm: float) -> float:
    (x0, y0), _, (x1, y1) = path
    return math.dist((x0, y0), (x1, y1)) * mm_per_cm


SMALL_MOVES = [
    ("shoulder-rolls", "shoulder_l"),
    ("shoulder-shrug", "shoulder_l"),
    ("scapular-squeeze", "shoulder_l"),
    ("shoulder-squeeze-breathing", "shoulder_l"),
]


@pytest.mark.parametrize(("exercise_id", "joint"), SMALL_MOVES)
def test_small_shoulder_moves_show_on_paper(exercise_id: str, joint: str) -> None:
    """At a handout's print size the end still differs from the start: the shoulder moves a
    visible distance, an arrow shows the way, and the start pose shows faintly behind."""
    fig = _fig(exercise_id)
    mm_per_cm = _mm_per_cm(exercise_id)
    start = fig.frames[0]
    for i, frame in enumerate(fig.frames[1:], start=1):
        moved_mm = math.dist(start.joints[joint], frame.joints[joint]) * mm_per_cm
        assert moved_mm >= 1.2, f"{frame.name}: the shoulder moves only {moved_mm:.1f} mm on paper"
        assert frame.arrows and all(_arrow_mm(a, mm_per_cm) >= 3 for a in frame.arrows)
        assert frame.ghost == start.name
        svg = figure_svg(exercise_id, frame=i)
        assert 'data-ghost="1"' in svg


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    ax, ay, bx, by = *a, *b
    t = max(
        0.0, min(1.0, ((p[0] - ax) * (bx - ax) + (p[1] - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2))
    )
    return math.dist(p, (ax + t * (bx - ax), ay + t * (by - ay)))


def _curve(path: tuple[Point, Point, Point], n: int = 40) -> list[Point]:
    (x0, y0), (cx, cy), (x1, y1) = path
    return [
        (
            (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t * t * x1,
            (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t * t * y1,
        )
        for t in (i / n for i in range(n + 1))
    ]


@pytest.mark.parametrize("exercise_id", POSE_IDS)
def test_arrows_never_hide_the_neck(exercise_id: str) -> None:
    """An arrow's white casing over the neck made the neck vanish (head rolls)."""
    fig = _fig(exercise_id)
    clear = (9.5 + ARROW_WIDTH + CASING) / 2
    for frame in fig.frames:
        neck = (frame.joints["neck_base"], frame.joints["mid_neck"], frame.joints["skull"])
        for path in frame.arrows:
            nearest = min(
                _segment_distance(p, a, b) for p in _curve(path) for a, b in itertools.pairwise(neck)
            )
            assert nearest >= clear, f"{frame.name}: an arrow passes over the neck ({nearest:.1f} cm)"


def test_head_rolls_keep_the_neck_in_sight() -> None:
    """The head tips over to each side; the neck still shows between the shoulders and the head."""
    fig = _fig("head-rolls")
    for frame in fig.frames:
        base, skull, crown = frame.joints["neck_base"], frame.joints["skull"], frame.joints["crown"]
        d = math.dist(skull, crown)
        centre = (skull[0] + (crown[0] - skull[0]) * 10 / d, skull[1] + (crown[1] - skull[1]) * 10 / d)
        shoulder_top = 6.0  # half the front-view collar bone's width
        head_r = 10.5
        visible = math.dist(base, centre) - head_r - shoulder_top
        assert visible >= 3.0, f"{frame.name}: only {visible:.1f} cm of neck shows"


HOLDS = [
    (ex.id, p.key)
    for ex in builtin_catalog().exercises.values()
    for p in ex.phases
    if p.hold and ex.id in POSE_IDS
]


@pytest.mark.parametrize(("exercise_id", "phase"), HOLDS)
def test_a_hold_shows_the_held_pose(exercise_id: str, phase: str) -> None:
    """During a hold the player shows the pose being held, not the start pose."""
    fig = _fig(exercise_id)
    index = held_frame(exercise_id, phase)
    assert index is not None and 0 < index < keyframe_count(exercise_id)
    step = next(s for s in fig.timeline if s.phase == phase)
    assert fig.frames[index].name == step.targets[-1]
    held, start = fig.frames[index].joints, fig.frames[0].joints
    assert max(math.dist(held[j], start[j]) for j in start) > 3  # it looks different from the start


def test_only_holds_have_a_held_pose() -> None:
    assert held_frame("chin-tuck", "tuck") is None
    assert held_frame("chin-tuck", "no-such-phase") is None


def test_open_books_top_arm_sweeps_over_to_the_other_side() -> None:
    """'Reach both arms out in front of you. Put your hands together.' 'Lift your top arm up and
    over your chest, like opening a book.' Straight from above the arm only moved up and down the
    page; the picture must show it sweep from the hands, up, and over to the far side."""
    fig = _fig("open-books")
    start, over, opened = fig.frames[0], _frame(fig, "over"), fig.frames[-1]
    assert fig.view == "front"  # the chest turning shows as the shoulders moving apart
    # At the start the two hands are together, in front of the body.
    assert math.dist(start.joints["fingers_l"], start.joints["fingers_r"]) <= 20
    # Half way the top arm points up (to the ceiling), straight.
    assert 75 <= over.angles["upper_arm_r"] <= 105
    assert _elbow_bend(over.angles, "r") < 10
    # At the end it points to the other side: it has turned at least 150 degrees from the start,
    # the hand is far from where it began, and it is past the head, not back at the other hand.
    turned = abs(_norm(opened.angles["upper_arm_r"] - start.angles["upper_arm_r"]))
    assert turned >= 150
    assert math.dist(opened.joints["fingers_r"], start.joints["fingers_r"]) >= 80
    assert opened.joints["fingers_r"][0] < opened.joints["crown"][0]
    # The chest turns with it: the top shoulder moves back; the hips barely turn.
    assert math.dist(opened.joints["shoulder_r"], start.joints["shoulder_r"]) >= 8
    assert abs(_norm(opened.angles["pelvis_r"] - start.angles["pelvis_r"])) <= 15
    # The rest stays put: the bottom arm and both knees (bent, stacked) do not move.
    for joint in ("fingers_l", "knee_l", "knee_r", "ankle_l", "ankle_r"):
        assert math.dist(opened.joints[joint], start.joints[joint]) < 2, joint
    for side in ("l", "r"):
        knee = abs(_norm(start.angles[f"thigh_{side}"] - start.angles[f"shin_{side}"]))
        assert 45 <= knee <= 110, f"the {side} knee is not bent ({knee:.0f} degrees)"
    # The moving arm stands out on paper: an arrow along a curve, the start pose faintly behind.
    assert opened.arrows and _arrow_mm(opened.arrows[0], _mm_per_cm("open-books")) >= 10
    assert opened.ghost == start.name
    assert 'data-ghost="1"' in figure_svg("open-books", frame=keyframe_count("open-books") - 1)


def _head(frame: Frame) -> tuple[Point, dict[str, Point]]:
    """The middle of a front-view head and what shows of its face (nose tip, eyes in sight)."""
    skull, crown = frame.joints["skull"], frame.joints["crown"]
    centre = in_scene(skull, _direction(skull, crown), FRONT_HEAD_CENTER)
    return centre, face_points(skull, crown, frame.face)


def _across(frame: Frame, p: Point) -> float:
    """How far `p` lies to one side of the head's line (cm; + is counter-clockwise of it)."""
    skull, crown = frame.joints["skull"], frame.joints["crown"]
    d = math.radians(_direction(skull, crown))
    return -(p[0] - skull[0]) * math.sin(d) + (p[1] - skull[1]) * math.cos(d)


def test_open_books_head_turns_to_follow_the_hand() -> None:
    """'...the chest and head turn to follow it.' Seen from the front a plain round head looked
    the same however it turned: the face (nose and eyes) now shows where it looks, on paper and
    in the moving picture."""
    fig = _fig("open-books")
    mm_per_cm = _mm_per_cm("open-books")
    for frame in (fig.frames[0], fig.frames[-1]):
        _, face = _head(frame)
        assert any(k.startswith("eye") for k in face), f"{frame.name}: no eye in sight"
        # The face sits on the side of the head that the top hand is on, plainly so on paper.
        face_side = sum(_across(frame, p) for p in face.values()) / len(face)
        hand_side = _across(frame, frame.joints["fingers_r"])
        assert face_side * hand_side > 0, f"{frame.name}: the face looks away from the hand"
        assert abs(face_side) * mm_per_cm >= 0.8, f"{frame.name}: the face hardly turns"
    centre, face = _head(fig.frames[-1])
    out_mm = (math.dist(centre, face["nose"]) - HEAD_R) * mm_per_cm
    assert out_mm >= 0.6, f"turned, the nose sticks out only {out_mm:.1f} mm on paper"
    # The moving picture turns the face too, not only the stills.
    assert 'class="upr-m upr-face upr-face-0"' in figure_svg("open-books")
    assert "@keyframes upr-open-books-face-0" in figure_style("open-books")


@pytest.mark.parametrize("exercise_id", ["head-rolls", "lateral-flexion"])
def test_the_eyes_tilt_with_the_head(exercise_id: str) -> None:
    """Facing us, both eyes show, across the head's line: a head that tips tips its eye line."""
    for i, frame in enumerate(_fig(exercise_id).frames):
        assert figure_svg(exercise_id, frame=i).count('data-face="eye"') == 2
        _, face = _head(frame)
        eyes = _direction(face["eye_1"], face["eye_2"])
        head = _direction(frame.joints["skull"], frame.joints["crown"])
        assert abs(abs(_norm(eyes - head)) - 90) <= 1, frame.name
        tilt = 90 - abs(abs(_norm(eyes)) - 90)  # 0 = level
        assert tilt >= 30 if frame.name != "start" else tilt <= 1, (
            f"{frame.name}: eye line {tilt:.0f} degrees"
        )


def _bones_by_colour(svg: str) -> dict[str, set[str]]:
    """The bones drawn in each colour of a still (one group per drawing pass)."""
    parts = re.split(r'<g stroke="(#[0-9a-f]{6})" fill="\1" stroke-linecap="round"', svg)
    out: dict[str, set[str]] = {}
    for colour, chunk in zip(parts[1::2], parts[2::2], strict=True):
        out.setdefault(colour, set()).update(re.findall(r' data-bone="([a-z_0-9]+)"', chunk))
    return out


def test_open_books_start_reads_at_print_size() -> None:
    """The start was one dark mass on paper: both arms and both legs lay over the trunk in the same
    ink. Lying on the left side, the bottom arm and leg are drawn lighter, behind the body, and the
    top ones carry a white edge wide enough to see on paper where they cross the trunk."""
    fig = _fig("open-books")
    drawn = _bones_by_colour(figure_svg("open-books", frame=0))
    limbs = [b.name for b in fig.skeleton.bones if b.name.startswith(LIMB_PARTS)]
    bottom = {n for n in limbs if n.endswith("_l")}
    top = {n for n in limbs if n.endswith("_r")}
    assert drawn[FAR] == bottom and not drawn[INK] & bottom
    assert top <= drawn[INK]
    edge_mm = HALO / 2 * _mm_per_cm("open-books")
    assert edge_mm >= 0.25, f"the white edge is {edge_mm:.2f} mm on paper"
    assert all(fig.skeleton.bone(n).halo for n in top)
    start = fig.frames[0]
    trunk = (start.joints["pelvis"], start.joints["neck_base"])
    arm = (start.joints["shoulder_r"], start.joints["elbow_r"])
    # The top arm does lie across the trunk at the start: the white edge is what keeps it apart.
    assert _segment_distance(arm[0], *trunk) < fig.skeleton.bone("spine_4").width / 2


def _pose(view: str, pose: dict[str, float], **extra: str) -> PoseFile:
    return PoseFile.model_validate(
        {
            "exercise": "chin-tuck",
            "view": view,
            "scene": "A person.",
            "anchor": "pelvis",
            "keyframes": [
                {"name": "start", "say": "Start.", "base": "standing", "at": [0, 96]},
                {"name": "end", "say": "End.", "like": "start", "pose": pose},
            ],
            "timeline": [{"phase": "go", "to": "start"}],
            **extra,
        }
    )


@pytest.mark.parametrize(
    ("pose_file", "field"),
    [
        (_pose("side", {"face": 40}), "keyframes[1].pose.face"),
        (_pose("side", {}, far_side="l"), "far_side"),
    ],
)
def test_face_and_far_side_are_front_view_words(pose_file: PoseFile, field: str) -> None:
    """A side view shows the face in profile and its far side is fixed: saying otherwise is an error
    naming the field, not a picture that silently ignores it."""
    with pytest.raises(CatalogError) as caught:
        figure_from_pose(pose_file, "poses/chin-tuck.yaml")
    assert [p[1] for p in caught.value.problems] == [field]
