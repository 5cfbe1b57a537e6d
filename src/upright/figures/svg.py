"""Assemble one figure as SVG: props, then the far limbs, the body, the near limbs, then bands.

The body is a tree of nested groups hung from the anchor joint. Each group is one bone, rotated
about the joint it hangs from; its children are translated to its far end. A still is that tree
with plain `transform` attributes (it needs no CSS, so it prints and embeds anywhere). The
animated version adds classes that figures.css animates; when the CSS is missing or motion is
reduced, the attributes still show the start pose."""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from html import escape

from upright.catalog.pose_schema import Band, Floor
from upright.figures.face import EYE_R, FRONT_HEAD_CENTER, NOSE, face_marks, nose_tip
from upright.figures.motion import Motion, relative_angles
from upright.figures.poses import Figure
from upright.figures.props import ACCENT, FAR, INK, PAPER, Box, draw_prop, floor
from upright.figures.skeleton import Edge, Point, in_scene

__all__ = ["band_geometry", "figure_box", "render_svg"]

HALO = 3.0  # white edge around near limbs so an arm in front of the body reads as in front
PAD = 4.0
PX_PER_CM = 1.6  # default size when nothing else sizes the picture
BAND_WIDTH = 1.6
ARROW_WIDTH, ARROW_HEAD_L, ARROW_HEAD_W, CASING = 2.4, 7.5, 4.5, 3.0
GHOST = "#aeb4bb"  # an earlier pose behind a still: light, so the body in front stays the picture

# Head shapes in the head bone's frame: x runs from the top of the neck toward the crown,
# +y is the back of the head in side view (the face is at -y).
SIDE_HEAD_CENTER, HEAD_R = (10.0, -1.0), 10.5
# Nose and jaw make the face's direction plain, which neck exercises are all about.
SIDE_NOSE = ((12.5, -10.5), (8.0, -15.2), (6.0, -11.0))
SIDE_JAW = ((7.0, -11.0), (1.2, -10.2), (-0.8, -6.5), (1.0, 1.0), (8.0, 2.0))
SIDE_EYE, SIDE_EYE_R = (13.0, -7.0), 1.3
DUMBBELL_R = 6.0


def _n(v: float) -> str:
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _dir(a: Point, b: Point) -> float:
    return math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))


def band_geometry(band: Band, joints: Mapping[str, Point]) -> tuple[float, float, float, float]:
    """Start x, start y, direction and length of a band, for where the joints are now."""
    a = joints[band.start] if isinstance(band.start, str) else (float(band.start[0]), float(band.start[1]))
    b = joints[band.end] if isinstance(band.end, str) else (float(band.end[0]), float(band.end[1]))
    return a[0], a[1], _dir(a, b), max(math.dist(a, b), 0.01)


def _union(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _body_box(fig: Figure, joints: Mapping[str, Point], face: float) -> Box:
    boxes: list[Box] = []
    skel = fig.skeleton
    for bone in skel.bones:
        a, b = joints[skel.start_of(bone)], joints[bone.end]
        r = bone.width / 2 + (HALO / 2 if bone.halo else 0)
        boxes.append((min(a[0], b[0]) - r, min(a[1], b[1]) - r, max(a[0], b[0]) + r, max(a[1], b[1]) + r))
    skull, crown = joints["skull"], joints["crown"]
    d = _dir(skull, crown)
    center = in_scene(skull, d, SIDE_HEAD_CENTER if skel.view == "side" else FRONT_HEAD_CENTER)
    boxes.append((center[0] - HEAD_R, center[1] - HEAD_R, center[0] + HEAD_R, center[1] + HEAD_R))
    sticks_out = (*SIDE_NOSE, *SIDE_JAW) if skel.view == "side" else (nose_tip(face),)
    for p in sticks_out:
        q = in_scene(skull, d, p)
        boxes.append((q[0], q[1], q[0], q[1]))
    if fig.dumbbells:
        for side in ("l", "r"):
            w, f = joints[f"wrist_{side}"], joints[f"fingers_{side}"]
            c = ((w[0] + f[0]) / 2, (w[1] + f[1]) / 2)
            r = DUMBBELL_R + 0.5
            boxes.append((c[0] - r, c[1] - r, c[0] + r, c[1] + r))
    for band in fig.bands:
        x, y, ang, length = band_geometry(band, joints)
        ex, ey = in_scene((x, y), ang, (length, 0))
        r = BAND_WIDTH
        boxes.append((min(x, ex) - r, min(y, ey) - r, max(x, ex) + r, max(y, ey) + r))
    return _union(boxes)


def figure_box(fig: Figure, motion: Motion) -> Box:
    """One frame for every keyframe and every moment of the loop, so stills line up with the animation."""
    boxes = [_body_box(fig, f.joints, f.face) for f in fig.frames]
    for f in fig.frames:
        for path in f.arrows:
            r = ARROW_HEAD_W + CASING  # the head's corners and the white casing around it
            boxes += [(x - r, y - r, x + r, y + r) for x, y in path]
    boxes += [_body_box(fig, motion.joints_at(t), motion.face_at(t)) for t in motion.sample_times(0.1)]
    for prop in fig.props:
        drawn = draw_prop(prop, fig.view)
        if drawn is not None:
            boxes.append(drawn.box)
    x0, y0, x1, y1 = _union(boxes)
    if any(isinstance(p, Floor) for p in fig.props):
        y0 = min(y0, -4.0)
    return (math.floor(x0 - PAD), math.floor(y0 - PAD), math.ceil(x1 + PAD), math.ceil(y1 + PAD))


# The head's turn and whether it moves (animated), for drawing the face; None: draw no face (a ghost).
Face = tuple[float, bool] | None

# Drawing passes, back to front. Seen from the side, the far arm is further away than the far
# leg and the near arm is nearer than the near leg; white halos set near limbs off what is behind.
Pass = tuple[str, str]  # (layer, part)
PASSES: tuple[tuple[Pass, str], ...] = (
    (("far", "arm"), FAR),
    (("far", "leg"), FAR),
    (("body", "trunk"), INK),
    (("halo", "leg"), PAPER),
    (("near", "leg"), INK),
    (("halo", "arm"), PAPER),
    (("near", "arm"), INK),
)


def _part(name: str) -> str:
    if name.startswith(("upper_arm", "forearm", "hand")):
        return "arm"
    if name.startswith(("thigh", "shin", "foot")):
        return "leg"
    return "trunk"


@cache
def _has_pass(edge: Edge, p: Pass, dumbbells: bool) -> bool:
    return _draws(edge, p, dumbbells) or any(_has_pass(c, p, dumbbells) for c in edge.children)


def _draws(edge: Edge, p: Pass, dumbbells: bool) -> bool:
    bone = edge.bone
    layer, part = p
    if _part(bone.name) != part and not (layer == "body" and bone.layer == "body"):
        return False
    if layer == "halo":
        return bone.halo and bone.drawn
    return bone.layer == layer and (bone.drawn or (dumbbells and bone.name.startswith("hand_")))


def _face_transform(x: float, y: float, scale_y: float) -> str:
    """A face mark's placement, as an SVG transform attribute (figures.css writes the same in CSS)."""
    return f"translate({_n(x)} {_n(y)}) scale(1 {_n(scale_y)})"


def _face(turn: float, moves: bool) -> str:
    """Nose (dark, like the head) then eyes (white) on a head seen from the front."""
    out = ""
    for i, mark in enumerate(face_marks(turn)):
        cls = f' class="upr-m upr-face upr-face-{i}"' if moves else ""
        if mark.kind == "nose":
            pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in NOSE)
            shape = f'<polygon points="{pts}" stroke="none"/>'
        else:
            shape = f'<circle r="{_n(EYE_R)}" fill="{PAPER}" stroke="none"/>'
        out += f'<g transform="{_face_transform(mark.x, mark.y, mark.scale_y)}"{cls} data-face="{mark.kind}">{shape}</g>'
    return out


def _drawing(edge: Edge, p: Pass, view: str, dumbbells: bool, face: Face) -> str:
    bone = edge.bone
    trunk_child = next((c.bone for c in edge.children if c.bone.shape != "line"), None)
    taper = trunk_child.width if trunk_child is not None else bone.width
    if not _draws(edge, p, dumbbells):
        return ""
    length = _n(bone.length)
    if p[0] == "halo":
        return f'<line x2="{length}" stroke-width="{_n(bone.width + HALO)}"/>'
    out = ""
    if bone.name == "head":
        cx, cy = SIDE_HEAD_CENTER if view == "side" else FRONT_HEAD_CENTER
        out = f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(HEAD_R)}" stroke="none"/>'
        if view == "side":
            for shape in (SIDE_NOSE, SIDE_JAW):
                pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in shape)
                out += f'<polygon points="{pts}" stroke="none"/>'
            ex, ey = SIDE_EYE
            out += f'<circle cx="{_n(ex)}" cy="{_n(ey)}" r="{_n(SIDE_EYE_R)}" fill="{PAPER}" stroke="none"/>'
        elif face is not None:
            out += _face(*face)
        out += f'<line x2="{length}" stroke="none" data-bone="head"/>'  # the head's axis, for tests
    elif bone.shape != "line":
        # A segment that tapers to the next one's width; small overlaps hide seams between them.
        w0, w1, lap = bone.width / 2, taper / 2, 0.6
        pts = f"{_n(-lap)},{_n(-w0)} {_n(bone.length + lap)},{_n(-w1)} {_n(bone.length + lap)},{_n(w1)} {_n(-lap)},{_n(w0)}"
        out = f'<polygon points="{pts}" stroke="none"/><line x2="{length}" stroke="none" data-bone="{bone.name}"/>'
        if bone.shape == "tube":  # round joints keep a bending back smooth
            out += f'<circle r="{_n(w0)}" stroke="none"/>'
            if trunk_child is None:
                out += f'<circle cx="{length}" r="{_n(w1)}" stroke="none"/>'
    elif bone.drawn:
        out = f'<line x2="{length}" stroke-width="{_n(bone.width)}" data-bone="{bone.name}"/>'
    if dumbbells and bone.name.startswith("hand_"):
        c = _n(bone.length / 2)
        out += (
            f'<circle cx="{c}" r="{_n(DUMBBELL_R)}" fill="#8b939b" stroke="{INK}" stroke-width="1.2"/>'
            f'<circle cx="{c}" r="2" fill="{INK}" stroke="none"/>'
        )
    if edge.is_reversed and out:
        out = f'<g transform="translate({length} 0) rotate(180)">{out}</g>'
    return out


def _tree(
    edges: tuple[Edge, ...],
    p: Pass,
    rel: Mapping[str, float],
    moving: frozenset[str],
    view: str,
    dumbbells: bool,
    face: Face,
) -> str:
    parts = []
    for e in edges:
        if not _has_pass(e, p, dumbbells):
            continue
        cls = f' class="upr-m upr-j-{e.bone.name}"' if e.bone.name in moving else ""
        inner = _drawing(e, p, view, dumbbells, face)
        kids = _tree(e.children, p, rel, moving, view, dumbbells, face)
        if kids:
            inner += f'<g transform="translate({_n(e.bone.length)} 0)">{kids}</g>'
        parts.append(f'<g transform="rotate({_n(rel[e.bone.name])})"{cls}>{inner}</g>')
    return "".join(parts)


def _arrows(paths: tuple[tuple[Point, Point, Point], ...]) -> str:
    """Curved accent arrows showing where a body part moved: they matter most on paper."""
    out = []
    for (x0, y0), (cx, cy), (x1, y1) in paths:
        tx, ty = x1 - cx, y1 - cy  # the curve's direction at its tip
        t = math.hypot(tx, ty) or 1.0
        tx, ty = tx / t, ty / t
        bx, by = x1 - tx * ARROW_HEAD_L, y1 - ty * ARROW_HEAD_L
        ex, ey = x1 - tx * (ARROW_HEAD_L - 1), y1 - ty * (ARROW_HEAD_L - 1)  # the line tucks under the head
        head = f"{_n(x1)},{_n(y1)} {_n(bx - ty * ARROW_HEAD_W)},{_n(by + tx * ARROW_HEAD_W)} {_n(bx + ty * ARROW_HEAD_W)},{_n(by - tx * ARROW_HEAD_W)}"
        d = f"M {_n(x0)} {_n(y0)} Q {_n(cx)} {_n(cy)} {_n(ex)} {_n(ey)}"
        # A white casing first, so an arrow that crosses the dark body still reads.
        out.append(
            f'<path d="{d}" stroke="{PAPER}" stroke-width="{_n(ARROW_WIDTH + CASING)}"/>'
            f'<polygon points="{head}" fill="{PAPER}" stroke="{PAPER}" stroke-width="{_n(CASING)}"/>'
            f'<path d="{d}"/><polygon points="{head}" fill="{ACCENT}" stroke="none"/>'
        )
    return (
        f'<g class="upr-arrows" fill="none" stroke="{ACCENT}" stroke-width="{_n(ARROW_WIDTH)}" '
        f'stroke-linecap="round" stroke-linejoin="round">' + "".join(out) + "</g>"
    )


def _body(
    fig: Figure,
    rel: Mapping[str, float],
    anchor: Point,
    *,
    moving: frozenset[str] = frozenset(),
    root_cls: str = "",
    face: Face = None,
    ghost: bool = False,
) -> str:
    """The person, pass by pass; a ghost is one light colour and carries no halos and no face."""
    face = None if ghost else face
    out = []
    for p, color in PASSES:
        if ghost and p[0] == "halo":
            continue
        tree = _tree(fig.edges, p, rel, moving, fig.skeleton.view, fig.dumbbells, face)
        if ghost:  # measuring tools (and tests) read the body's bones, not the ghost's
            tree = tree.replace(" data-bone=", " data-ghost-bone=")
        if tree:
            color, mark = (GHOST, ' data-ghost="1"') if ghost else (color, "")
            out.append(
                f'<g stroke="{color}" fill="{color}" stroke-linecap="round"{mark}>'
                f'<g transform="translate({_n(anchor[0])} {_n(anchor[1])})"{root_cls}>{tree}</g></g>'
            )
    return "".join(out)


def render_svg(
    fig: Figure,
    motion: Motion,
    box: Box,
    *,
    frame: int,
    animate: bool,
    title: str,
    desc: str,
    style: str | None = None,
) -> str:
    """The SVG text for keyframe `frame`, with animation classes when `animate`."""
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    # The animated picture starts from the first keyframe, so without CSS it shows the start pose.
    rel = relative_angles(fig.edges, fig.frames[0 if animate else frame].angles)
    joints = fig.frames[0 if animate else frame].joints
    anchor = joints[fig.anchor]
    moving = motion.moving if animate else frozenset()
    root_cls = ' class="upr-m upr-j-root"' if animate and motion.anchor_moves else ""

    scene: list[str] = []
    if any(isinstance(p, Floor) for p in fig.props):
        scene.append(floor(x0, x1).svg)
    for prop in fig.props:
        drawn = draw_prop(prop, fig.view)
        if drawn is not None:
            scene.append(drawn.svg)
    ghost = None if animate else fig.frames[frame].ghost
    if ghost is not None:
        was = next(f for f in fig.frames if f.name == ghost)
        scene.append(_body(fig, relative_angles(fig.edges, was.angles), was.joints[fig.anchor], ghost=True))
    turn = fig.frames[0 if animate else frame].face
    face = (turn, animate and motion.face_moves)
    scene.append(_body(fig, rel, anchor, moving=moving, root_cls=root_cls, face=face))
    for i, band in enumerate(fig.bands):
        bx, by, ang, length = band_geometry(band, joints)
        cls = f' class="upr-m upr-band upr-band-{i}"' if animate else ""
        scene.append(
            f'<rect x="0" y="{_n(-BAND_WIDTH / 2)}" width="1" height="{_n(BAND_WIDTH)}" fill="{ACCENT}" '
            f'transform="translate({_n(bx)} {_n(by)}) rotate({_n(ang)}) scale({_n(length)} 1)"{cls} data-band="{i}"/>'
        )

    if not animate and fig.frames[frame].arrows:
        scene.append(_arrows(fig.frames[frame].arrows))

    variant = "anim" if animate else f"f{frame}"
    ident = f"upr-{fig.exercise}-{variant}"
    classes = f"upr-fig upr-fig--{fig.exercise}" + (" upr-anim" if animate else "")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width * PX_PER_CM)}" height="{_n(height * PX_PER_CM)}" role="img" '
        f'aria-labelledby="{ident}-t" aria-describedby="{ident}-d" class="{classes}" '
        f'data-exercise="{fig.exercise}" data-frame="{variant}">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        + (f"<style>{style}</style>" if style else "")
        + f'<g transform="matrix(1 0 0 -1 {_n(-x0)} {_n(y1)})" stroke-linejoin="round">'
        + "".join(scene)
        + "</g></svg>"
    )
