"""Server-rendered SVG charts. Readable without colour: every series has its own marker shape and
line style, the axes carry numbers, and each chart has a text summary and a table next to it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from markupsafe import Markup, escape

from upright.services.overview import PainPoint

__all__ = ["pain_chart"]

W, H = 480, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 24, 38, 44
MIN_SPAN = 7 * 24 * 3600  # show at least a week, so a few scores do not bunch up at one edge
MARKERS = {"check-in": "circle", "end": "square", "during": "triangle"}


def _marker(kind: str, x: float, y: float) -> str:
    shape = MARKERS.get(kind, "circle")
    if shape == "square":
        return f'<rect class="m-end" x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10"/>'
    if shape == "triangle":
        return f'<path class="m-during" d="M{x:.1f} {y - 7:.1f} L{x + 6:.1f} {y + 5:.1f} L{x - 6:.1f} {y + 5:.1f} Z"/>'
    return f'<circle class="m-check" cx="{x:.1f}" cy="{y:.1f}" r="5"/>'


def _summary(points: Sequence[PainPoint]) -> str:
    if not points:
        return "No pain scores yet."
    first, last = points[0], points[-1]
    return (
        f"{len(points)} pain scores from {first.at:%b %d} to {last.at:%b %d}. "
        f"First {first.score} of 10, last {last.score} of 10, highest {max(p.score for p in points)}."
    )


def pain_chart(points: Sequence[PainPoint], *, title_id: str = "pain-chart-title") -> Markup:
    """Pain 0-10 over time: the line joins check-ins and end-of-session scores; "This hurts" stops
    are marked on their own."""
    if not points:
        return Markup(f'<p id="{title_id}-empty">{escape(_summary(points))}</p>')
    t1 = points[-1].at.timestamp() + 3600
    t0 = min(points[0].at.timestamp(), t1 - MIN_SPAN)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(at: datetime) -> float:
        return LEFT + (at.timestamp() - t0) / (t1 - t0) * plot_w

    def y(score: int) -> float:
        return TOP + (10 - score) / 10 * plot_h

    parts = [
        f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{title_id} {title_id}-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">Pain over time</title><desc id="{title_id}-desc">{escape(_summary(points))}</desc>',
    ]
    for score in range(0, 11, 2):
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{W - RIGHT}" y1="{y(score):.1f}" y2="{y(score):.1f}"/>'
        )
        parts.append(
            f'<text class="tick" x="{LEFT - 8}" y="{y(score) + 5:.1f}" text-anchor="end">{score}</text>'
        )
    zone = points[-1].at.tzinfo
    for n in range(3):  # three dates along the bottom: start, middle, end
        at = datetime.fromtimestamp(t0 + (t1 - t0) * n / 2, tz=zone)
        anchor = "start" if n == 0 else "end" if n == 2 else "middle"
        parts.append(
            f'<text class="tick" x="{x(at):.1f}" y="{H - BOTTOM + 26}" text-anchor="{anchor}">{at:%b %d}</text>'
        )
    parts.append(f'<text class="axis" x="4" y="{TOP - 18}">Pain (0 to 10)</text>')
    line = [p for p in points if p.context != "during"]
    if len(line) > 1:
        d = " ".join(f"{'M' if i == 0 else 'L'}{x(p.at):.1f} {y(p.score):.1f}" for i, p in enumerate(line))
        parts.append(f'<path class="pain-line" d="{d}"/>')
    for p in points:
        parts.append(_marker(p.context, x(p.at), y(p.score)))
    parts.append("</svg>")
    return Markup("".join(parts))


def chart_legend(contexts: Mapping[str, str]) -> Markup:
    """One entry per marker; `contexts`: pain context id -> words (the catalog's vocabulary)."""
    items = []
    for kind, label in contexts.items():
        svg = f'<svg class="legend-mark" viewBox="0 0 20 20" aria-hidden="true">{_marker(kind, 10, 11)}</svg>'
        items.append(f"<li>{svg} {escape(label)}</li>")
    return Markup('<ul class="chart-legend">' + "".join(items) + "</ul>")
