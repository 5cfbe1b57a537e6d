"""Server-rendered SVG charts. Readable without colour: every series has its own marker shape and
line style, the axes carry numbers, and each chart has a text summary and a table next to it.

Two drawings of pain scores, one line code (`_line`, `_pain_y`): the patient page's chart over time, and
the panel's sparkline of the last few scores, whose text alternative says the trend in words
(`trend_words`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

if TYPE_CHECKING:  # the sparkline needs only numbers: importing charts stays light
    from upright.services.overview import PainPoint

__all__ = ["chart_legend", "pain_chart", "sparkline", "trend_words"]

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


def _pain_y(score: int, top: float, height: float) -> float:
    """Pain 0 to 10 upwards: 10 at `top`, 0 at `top + height`."""
    return top + (10 - score) / 10 * height


def _line(coords: Sequence[tuple[float, float]], css: str) -> str:
    d = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f} {y:.1f}" for i, (x, y) in enumerate(coords))
    return f'<path class="{css}" d="{d}"/>'


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
        return _pain_y(score, TOP, plot_h)

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
        parts.append(_line([(x(p.at), y(p.score)) for p in line], "pain-line"))
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


SPARK_W, SPARK_H, SPARK_PAD = 96, 32, 4
MEANINGFUL = 2  # points of change that count as a real change (CLINICAL.md section 3)


def trend_words(scores: Sequence[int]) -> str:
    """The trend of these pain scores (oldest first) in words, for the clinician and screen readers."""
    if not scores:
        return "No pain scores in the last 30 days."
    listed = ", ".join(str(n) for n in scores)
    if len(scores) == 1:
        return f"One pain score: {scores[0]} of 10."
    change = scores[-1] - scores[0]
    if change <= -MEANINGFUL:
        way = f"down from {scores[0]} to {scores[-1]}"
    elif change >= MEANINGFUL:
        way = f"up from {scores[0]} to {scores[-1]}"
    else:
        way = f"about the same, {scores[0]} then {scores[-1]}"
    return f"Pain {way} over the last {len(scores)} scores ({listed})."


def sparkline(scores: Sequence[int], *, label_id: str) -> Markup:
    """A small line of the last pain scores (oldest first) on the 0 to 10 scale, the newest marked.
    The words (`trend_words`) are its text alternative; the page shows them too."""
    if not scores:
        return Markup("")
    height = SPARK_H - 2 * SPARK_PAD
    step = (SPARK_W - 2 * SPARK_PAD) / max(len(scores) - 1, 1)
    coords = [(SPARK_PAD + n * step, _pain_y(score, SPARK_PAD, height)) for n, score in enumerate(scores)]
    last_x, last_y = coords[-1]
    return Markup(
        f'<svg class="sparkline" viewBox="0 0 {SPARK_W} {SPARK_H}" width="{SPARK_W}" height="{SPARK_H}" '
        f'role="img" aria-labelledby="{escape(label_id)}" xmlns="http://www.w3.org/2000/svg">'
        f'<line class="spark-base" x1="0" x2="{SPARK_W}" y1="{SPARK_H - SPARK_PAD}" y2="{SPARK_H - SPARK_PAD}"/>'
        + (_line(coords, "spark-line") if len(coords) > 1 else "")
        + f'<circle class="spark-last" cx="{last_x:.1f}" cy="{last_y:.1f}" r="3"/></svg>'
    )
