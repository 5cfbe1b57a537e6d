"""Figures: every exercise has one, every keyframe is valid SVG inside its view box, limbs keep their
length, the moving figure keeps the exercise's tempo, and a broken pose file says where it is broken.

Geometry is read back from the SVG text itself (transforms composed here, independently of the
drawing code), so these tests check what a browser or a PDF would actually draw."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from upright.catalog import BUILTIN_DIR, Catalog, load_catalog
from upright.catalog.load import load_pose
from upright.catalog.readability import readability
from upright.errors import CatalogError, InvalidInput, NotFound
from upright.figures import (
    alt_text,
    figure_ids,
    figure_svg,
    has_figure,
    keyframe_count,
    stylesheet_css,
)
from upright.figures.motion import HOLD_CAP_SECONDS, REST_SECONDS, motion_for
from upright.figures.poses import Figure, figure_from_pose
from upright.figures.skeleton import skeleton_for

pytestmark = pytest.mark.dateless

POSES_DIR = BUILTIN_DIR / "poses"
SVG_NS = "{http://www.w3.org/2000/svg}"
STATIC_CSS = Path(__file__).resolve().parents[2] / "src" / "upright" / "web" / "static" / "figures.css"
DRAWN = {"line", "circle", "rect", "polygon", "path"}
STRUCTURE = {"svg", "title", "desc", "style", "g"}
Matrix = tuple[float, float, float, float, float, float]  # a b c d e f, as in SVG matrix()
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


def load_pose_file(path: Path) -> Figure:
    """What the catalog loader and figures/ make of one pose file, as the app does."""
    pose = load_pose(path)
    assert pose is not None
    return figure_from_pose(pose, str(path))


def _mul(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def _parse_transform(text: str) -> Matrix:
    m = IDENTITY
    for name, args in re.findall(r"(\w+)\s*\(([^)]*)\)", text):
        v = [float(x) for x in re.split(r"[\s,]+", args.strip()) if x]
        if name == "translate":
            step: Matrix = (1, 0, 0, 1, v[0], v[1] if len(v) > 1 else 0)
        elif name == "rotate":
            assert len(v) == 1, "rotate about a centre is not expected"
            r = math.radians(v[0])
            step = (math.cos(r), math.sin(r), -math.sin(r), math.cos(r), 0, 0)
        elif name == "scale":
            step = (v[0], 0, 0, v[1] if len(v) > 1 else v[0], 0, 0)
        elif name == "matrix":
            step = (v[0], v[1], v[2], v[3], v[4], v[5])
        else:
            raise AssertionError(f"unexpected transform {name}")
        m = _mul(m, step)
    return m


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


def _walk(
    el: ET.Element, m: Matrix, inherited: dict[str, str], out: list[tuple[ET.Element, Matrix, dict[str, str]]]
):
    here = _mul(m, _parse_transform(el.get("transform", "")))
    attrs = {**inherited, **{k: v for k, v in el.attrib.items() if k in ("stroke", "stroke-width")}}
    out.append((el, here, attrs))
    for child in el:
        _walk(child, here, attrs, out)


def _elements(svg: str) -> tuple[ET.Element, list[tuple[ET.Element, Matrix, dict[str, str]]]]:
    root = ET.fromstring(svg)
    out: list[tuple[ET.Element, Matrix, dict[str, str]]] = []
    _walk(root, IDENTITY, {}, out)
    return root, out


def _num(el: ET.Element, name: str) -> float:
    return float(el.get(name, "0"))


def _drawn_points(el: ET.Element, m: Matrix, attrs: dict[str, str]) -> list[tuple[float, float, float]]:
    """(x, y, radius) for every point that bounds this element's ink, in view box units."""
    tag = el.tag.removeprefix(SVG_NS)
    scale = math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))
    has_stroke = el.get("stroke", attrs.get("stroke", "none")) != "none"
    pad = float(el.get("stroke-width", attrs.get("stroke-width", "1"))) / 2 * scale if has_stroke else 0.0
    if tag == "line":
        pts = [(_num(el, "x1"), _num(el, "y1")), (_num(el, "x2"), _num(el, "y2"))]
    elif tag == "circle":
        cx, cy, r = _num(el, "cx"), _num(el, "cy"), _num(el, "r")
        pts = [(cx + r * math.cos(a / 8 * math.pi), cy + r * math.sin(a / 8 * math.pi)) for a in range(16)]
        pad += r * (1 / math.cos(math.pi / 16) - 1) * scale  # the polygon lies inside the circle
    elif tag == "rect":
        x, y, w, h = _num(el, "x"), _num(el, "y"), _num(el, "width"), _num(el, "height")
        pts = [(x, y), (x + w, y), (x, y + h), (x + w, y + h)]
    elif tag == "polygon":
        nums = [float(v) for v in re.split(r"[\s,]+", el.get("points", "").strip())]
        pts = list(zip(nums[::2], nums[1::2], strict=True))
    elif tag == "path":  # only absolute M and Q: a curve stays inside the hull of its points
        d = el.get("d", "")
        assert re.fullmatch(r"[MQ\d\s.,-]+", d), f"unexpected path commands in {d!r}"
        nums = [float(v) for v in re.findall(r"-?[\d.]+", d)]
        pts = list(zip(nums[::2], nums[1::2], strict=True))
    else:
        raise AssertionError(f"unexpected element <{tag}>: teach this test how to bound it")
    return [(*_apply(m, x, y), pad) for x, y in pts]


def _bone_ends(svg: str) -> dict[str, tuple[tuple[float, float], tuple[float, float]]]:
    _, els = _elements(svg)
    out = {}
    for el, m, _ in els:
        bone = el.get("data-bone")
        if bone:
            out[bone] = (_apply(m, _num(el, "x1"), _num(el, "y1")), _apply(m, _num(el, "x2"), _num(el, "y2")))
    return out


def _all_renders() -> list[tuple[str, int | None]]:
    return [(ex, f) for ex in figure_ids() for f in (None, *range(keyframe_count(ex)))]


def test_every_catalog_exercise_has_a_figure_and_every_pose_file_an_exercise(catalog: Catalog) -> None:
    missing = [ex_id for ex_id in catalog.exercises if not has_figure(ex_id)]
    assert missing == [], f"no pose file in {POSES_DIR} for: {missing}"
    orphans = [ex_id for ex_id in figure_ids() if ex_id not in catalog.exercises]
    assert orphans == []
    assert all(keyframe_count(ex_id) >= 2 for ex_id in figure_ids())  # at least a start and an end


@pytest.mark.parametrize(("exercise_id", "frame"), _all_renders())
def test_figure_is_accessible_svg_drawn_inside_its_view_box(exercise_id: str, frame: int | None) -> None:
    svg = figure_svg(exercise_id, frame=frame)
    root, els = _elements(svg)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG_NS}title"), root.find(f"{SVG_NS}desc")
    assert title is not None and title.text and desc is not None and desc.text
    assert root.get("aria-labelledby") == title.get("id") and root.get("aria-describedby") == desc.get("id")
    vx, vy, vw, vh = (float(v) for v in root.get("viewBox", "").split())
    assert (vx, vy) == (0, 0)  # CSS rotates each joint about its local origin: that needs a 0 0 view box
    outside = []
    for el, m, attrs in els:
        tag = el.tag.removeprefix(SVG_NS)
        if tag in STRUCTURE:
            continue
        assert tag in DRAWN, tag
        for x, y, pad in _drawn_points(el, m, attrs):
            if x - pad < -0.01 or y - pad < -0.01 or x + pad > vw + 0.01 or y + pad > vh + 0.01:
                outside.append((tag, el.get("data-bone"), round(x, 2), round(y, 2), round(pad, 2)))
    assert outside == [], f"drawn outside the {vw}x{vh} view box: {outside[:5]}"


@pytest.mark.parametrize("exercise_id", figure_ids())
def test_limbs_keep_their_length_and_stay_joined_in_every_keyframe(exercise_id: str) -> None:
    frames = [_bone_ends(figure_svg(exercise_id, frame=i)) for i in range(keyframe_count(exercise_id))]
    assert frames[0], "bones carry data-bone so their ends can be measured"
    for bone in frames[0]:
        lengths = [math.dist(*f[bone]) for f in frames]
        assert max(lengths) - min(lengths) < 0.01, f"{bone} changes length: {lengths}"
    skeleton = skeleton_for("front" if "pelvis_l" in frames[0] else "side")
    for ends in frames:
        for bone in skeleton.bones:
            if bone.parent is None or bone.name not in ends or bone.parent not in ends:
                continue
            gap = min(math.dist(p, q) for p in ends[bone.name] for q in ends[bone.parent])
            assert gap < 0.01, f"{bone.name} came loose from {bone.parent}"


@pytest.mark.parametrize("exercise_id", figure_ids())
def test_moving_figure_starts_in_the_start_pose_and_moves(exercise_id: str) -> None:
    moving, start = figure_svg(exercise_id), figure_svg(exercise_id, frame=0)
    assert _bone_ends(moving) == _bone_ends(start)  # without CSS (or with reduced motion) it shows the start
    assert 'class="upr-fig upr-fig--' in moving and "upr-anim" in moving and "upr-m upr-j-" in moving
    assert "upr-m" not in start and "<style" not in start  # stills need no CSS at all
    assert "upr-arrows" not in moving  # the movement itself shows the way; arrows are for stills


def test_animation_keeps_the_exercise_tempo(catalog: Catalog) -> None:
    from upright.figures import _prepared

    for ex_id in figure_ids():
        ex = catalog.exercise(ex_id)
        hold = next((d.hold_seconds[0] for d in ex.doses if d.hold_seconds), None)
        expected = REST_SECONDS + sum(
            min(hold or p.seconds, HOLD_CAP_SECONDS) if p.hold else p.seconds for p in ex.phases
        )
        motion = _prepared(ex_id)[1]
        assert motion.total == pytest.approx(expected), ex_id
        assert f".upr-fig--{ex_id} .upr-m{{animation-duration:{motion.total:g}s}}" in stylesheet_css()


def test_static_figures_css_is_up_to_date_and_honours_reduced_motion() -> None:
    assert STATIC_CSS.read_text(encoding="utf-8") == stylesheet_css(), (
        "regenerate it: uv run python -m upright.figures > src/upright/web/static/figures.css"
    )
    css = stylesheet_css()
    reduced = css[css.index("@media (prefers-reduced-motion: reduce)") :]
    assert re.match(
        r"@media \(prefers-reduced-motion: reduce\) \{\s*\.upr-anim \.upr-m \{ animation: none", reduced
    )


@pytest.mark.parametrize("exercise_id", figure_ids())
def test_alt_text_is_plain_words(exercise_id: str) -> None:
    text = alt_text(exercise_id)
    assert len(text.split()) >= 12
    assert readability(text).flesch_kincaid <= 5
    assert all(
        alt_text(exercise_id, i) in figure_svg(exercise_id, frame=i)
        for i in range(keyframe_count(exercise_id))
    )


def test_unknown_figure_and_frame_are_clear_errors() -> None:
    with pytest.raises(NotFound):
        figure_svg("not-an-exercise")
    with pytest.raises(NotFound):
        figure_svg("../etc/passwd")
    with pytest.raises(InvalidInput) as err:
        figure_svg("chin-tuck", frame=keyframe_count("chin-tuck"))
    assert err.value.field == "frame"


def test_timeline_must_follow_the_exercise_phases(catalog: Catalog, tmp_path: Path) -> None:
    text = (POSES_DIR / "chin-tuck.yaml").read_text(encoding="utf-8").replace("phase: tuck", "phase: nod")
    path = tmp_path / "chin-tuck.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        motion_for(load_pose_file(path), catalog.exercise("chin-tuck"))
    assert err.value.problems[0][1] == "timeline"
    assert "tuck, hold, return" in err.value.problems[0][2]


BROKEN = [
    ("view: side", "view: top", "view"),
    ("    base: standing\n", "    base: standing\n    colour: red\n", "keyframes[0].colour"),
    ("pose: {neck: [88, 92], head: 62}", "pose: {nek: 80}", "keyframes[1].pose.nek"),
    ("pose: {neck: [88, 92], head: 62}", "pose: {neck: [1, 2, 3]}", "keyframes[1].pose.neck"),
    ("pose: {neck: [88, 92], head: 62}", "pose: {head: straight}", "keyframes[1].pose.head"),
    ("base: standing", "base: floating", "keyframes[0].base"),
    ("like: start", "like: later", "keyframes[1].like"),
    ("{phase: tuck, to: tucked}", "{phase: tuck, to: nowhere}", "timeline[0].to"),
    ("{phase: return, to: start}", "{phase: return, to: tucked}", "timeline"),
    ("anchor: toe_l", "anchor: tail", "anchor"),
    (
        "pose: {neck: [88, 92], head: 62}",
        "reach: {wrist_l: {to: [300, 300], bend: down}}",
        "keyframes[1].reach.wrist_l",
    ),
    ("exercise: chin-tuck", "exercise: chin-tucks", "exercise"),
    ("    at: [20, 3.5]\n", "    at: [20, 3.5]\n    arrows: [{joint: crown}]\n", "keyframes[0].arrows[0]"),
    (
        "arrows: [{joint: crown, offset: [16, -8], bend: -0.3}]",
        "arrows: [{joint: nose}]",
        "keyframes[1].arrows[0].joint",
    ),
]


@pytest.mark.parametrize(("old", "new", "field"), BROKEN)
def test_broken_pose_file_names_its_file_and_field(tmp_path: Path, old: str, new: str, field: str) -> None:
    good = (POSES_DIR / "chin-tuck.yaml").read_text(encoding="utf-8")
    assert old in good
    path = tmp_path / "chin-tuck.yaml"
    path.write_text(good.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_pose_file(path)
    problems = err.value.problems
    assert any(file == str(path) and where == field for file, where, _ in problems), problems
    assert str(path) in str(err.value) and field in str(err.value)


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "chin-tuck.yaml"
    path.write_text("exercise: chin-tuck\nview: [side\n", encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_pose_file(path)
    assert err.value.problems[0][0] == str(path) and err.value.problems[0][1].startswith("line ")


def _clinic_folder(tmp_path: Path, pose_text: str, name: str = "chin-tuck.yaml") -> Path:
    (tmp_path / "poses").mkdir()
    (tmp_path / "poses" / name).write_text(pose_text, encoding="utf-8")
    return tmp_path


def test_the_catalog_loader_reads_and_checks_every_pose_file(catalog: Catalog) -> None:
    assert sorted(catalog.poses) == sorted(p.stem for p in POSES_DIR.glob("*.yaml"))
    assert catalog.pose_source("chin-tuck") == "src/upright/catalog/poses/chin-tuck.yaml"


def test_a_broken_pose_file_in_a_catalog_folder_stops_the_catalog_naming_file_and_field(
    tmp_path: Path,
) -> None:
    text = (POSES_DIR / "chin-tuck.yaml").read_text(encoding="utf-8").replace("view: side", "view: top")
    folder = _clinic_folder(tmp_path, text)
    with pytest.raises(CatalogError) as err:
        load_catalog([folder])
    where = str(folder / "poses" / "chin-tuck.yaml")
    assert (where, "view") in [(file, field) for file, field, _ in err.value.problems]


def test_a_pose_file_must_draw_a_catalog_exercise_once(tmp_path: Path) -> None:
    good = (POSES_DIR / "chin-tuck.yaml").read_text(encoding="utf-8")
    folder = _clinic_folder(
        tmp_path, good.replace("exercise: chin-tuck", "exercise: moon-walk"), "moon-walk.yaml"
    )
    (folder / "poses" / "chin-tuck.yaml").write_text(good, encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog([folder])
    problems = {(file.rsplit("/", 1)[-1], field): text for file, field, text in err.value.problems}
    assert "no exercise 'moon-walk'" in problems[("moon-walk.yaml", "exercise")]
    assert "duplicate pose id 'chin-tuck'" in problems[("chin-tuck.yaml", "exercise")]
