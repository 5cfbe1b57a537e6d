"""Things the person uses, drawn behind them in scene centimetres (y = 0 is the floor, y goes up).

Props are quiet light-grey shapes with a darker outline, so the body reads first. Only the
resistance band uses the accent colour."""

from __future__ import annotations

from dataclasses import dataclass

from upright.catalog.pose_schema import Chair, Door, Floor, Mat, Pillow, Post, Prop, Wall

__all__ = ["ACCENT", "FAR", "INK", "PAPER", "PROP_FILL", "PROP_LINE", "Box", "Drawn", "draw_prop", "floor"]

INK = "#1f2328"  # the body, near side: 15:1 on white
FAR = "#767c84"  # the far arm and leg in side view: 4.3:1 on white, clearly lighter than INK
PROP_LINE = "#5c636a"  # prop outlines: 6:1 on white
PROP_FILL = "#e6e9ec"
PAPER = "#ffffff"
ACCENT = "#0b5d55"  # the one accent colour (resistance band), dark enough to print as a dark grey

Box = tuple[float, float, float, float]  # min x, min y, max x, max y


@dataclass(frozen=True)
class Drawn:
    svg: str
    box: Box


def _n(v: float) -> str:
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _rect(x0: float, y0: float, x1: float, y1: float, *, rx: float = 0, fill: str = PROP_FILL) -> str:
    r = f' rx="{_n(rx)}"' if rx else ""
    return (
        f'<rect x="{_n(x0)}" y="{_n(y0)}" width="{_n(x1 - x0)}" height="{_n(y1 - y0)}"{r} '
        f'fill="{fill}" stroke="{PROP_LINE}" stroke-width="1"/>'
    )


def _line(x0: float, y0: float, x1: float, y1: float, width: float = 2.5) -> str:
    return (
        f'<line x1="{_n(x0)}" y1="{_n(y0)}" x2="{_n(x1)}" y2="{_n(y1)}" stroke="{PROP_LINE}" '
        f'stroke-width="{_n(width)}" stroke-linecap="round"/>'
    )


def floor(x0: float, x1: float) -> Drawn:
    """A strip of floor across the whole picture."""
    return Drawn(
        f'<rect x="{_n(x0)}" y="-4" width="{_n(x1 - x0)}" height="4" fill="{PROP_FILL}"/>'
        + f'<line x1="{_n(x0 + 0.5)}" y1="0" x2="{_n(x1 - 0.5)}" y2="0" stroke="{PROP_LINE}" stroke-width="1"/>',
        (x0, -4.0, x1, 0.0),
    )


def _chair(p: Chair, view: str) -> Drawn:
    s, x = p.seat, p.x
    if view == "front":
        parts = [
            _rect(x - 21, s, x + 21, s + 50, rx=3),  # the back rest, seen behind the person
            _line(x - 19, 1, x - 19, s - 3),
            _line(x + 19, 1, x + 19, s - 3),
            _rect(x - 24, s - 3.5, x + 24, s, rx=1),
        ]
        return Drawn("".join(parts), (x - 25, 0, x + 25, s + 51))
    parts = [
        _line(x - 42, 1, x - 42, s + 44, 3.5),  # back leg and back post in one
        _rect(x - 45, s + 14, x - 39, s + 46, rx=2),  # back rest seen edge on
        _line(x - 4, 1, x - 4, s - 3),
        _rect(x - 46, s - 3.5, x, s, rx=1),
    ]
    return Drawn("".join(parts), (x - 47, 0, x + 1, s + 47))


def _wall(p: Wall) -> Drawn:
    x = p.x
    hatch = "".join(_line(x + 2, y, x + 14, y + 12, 0.8) for y in range(10, 200, 24))
    return Drawn(_rect(x, 0, x + 16, 215, fill=PROP_FILL) + hatch, (x - 0.5, -0.5, x + 16.5, 215.5))


def _door(p: Door, view: str) -> Drawn:
    x, top = p.x, 205.0
    if view == "front":
        half = p.width / 2
        parts = [
            _rect(x - half - 12, 0, x - half, top + 12),
            _rect(x + half, 0, x + half + 12, top + 12),
            _rect(x - half - 12, top, x + half + 12, top + 12),
        ]
        return Drawn("".join(parts), (x - half - 12.5, -0.5, x + half + 12.5, top + 12.5))
    # Side view: the frame is a post seen end on; the open door beside it says "doorway".
    leaf = p.width - 8
    parts = [
        _rect(x - 4 - leaf, 2, x - 4, top - 2, rx=1),  # the open door, behind the frame
        f'<circle cx="{_n(x - leaf + 4)}" cy="100" r="2.5" fill="{PROP_LINE}"/>',  # its knob
        _rect(x - 4, 0, x + 8, top + 10),  # the frame post and the wall above it
    ]
    return Drawn("".join(parts), (x - 4.5 - leaf, -0.5, x + 8.5, top + 10.5))


def _post(p: Post) -> Drawn:
    x, h = p.x, p.height
    parts = [
        _rect(x, 0, x + 8, h + 30, rx=1.5),
        f'<circle cx="{_n(x)}" cy="{_n(h)}" r="2.4" fill="{ACCENT}"/>',  # where the band is tied
    ]
    return Drawn("".join(parts), (x - 2.5, -0.5, x + 8.5, h + 30.5))


def _mat(p: Mat) -> Drawn:
    x0, x1 = p.x
    if p.y is not None:  # seen from above: the mat is a rectangle on the floor
        y0, y1 = p.y
        return Drawn(_rect(x0, y0, x1, y1, rx=3, fill="#eef0f2"), (x0 - 0.5, y0 - 0.5, x1 + 0.5, y1 + 0.5))
    return Drawn(_rect(x0, 0, x1, 2.5, rx=1.2, fill="#cfd4d9"), (x0 - 0.5, -0.5, x1 + 0.5, 3.0))


def _pillow(p: Pillow) -> Drawn:
    x, y = p.at
    return Drawn(_rect(x - 13, y - 8, x + 13, y + 8, rx=6), (x - 13.5, y - 8.5, x + 13.5, y + 8.5))


def draw_prop(prop: Prop, view: str) -> Drawn | None:
    """The drawing of one prop; None for the floor, which is drawn last across the whole width."""
    if isinstance(prop, Floor):
        return None
    if isinstance(prop, Chair):
        return _chair(prop, view)
    if isinstance(prop, Wall):
        return _wall(prop)
    if isinstance(prop, Door):
        return _door(prop, view)
    if isinstance(prop, Post):
        return _post(prop)
    if isinstance(prop, Mat):
        return _mat(prop)
    return _pillow(prop)
