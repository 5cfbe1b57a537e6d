"""Handout rendering speed: the 6-exercise handout (program 000, "healthy-upper-back") to PDF.

    uv run python bench/handout_bench.py [--runs 50] [--paper letter|a4] [--program ID]

Reports the first (cold) render, then the median and 95th percentile of warm renders: the same handout
again (Typst's own memo cache answers most of it), a new date on every run (new content, as a real
request would bring; the headline number), and the Typst step alone. Target: warm median <= 100 ms. Not a timed test: machines differ, so this prints numbers and a verdict only."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

from upright.catalog import load_catalog
from upright.exports.handout import check_paper, load_handout, render_pdf

TARGET_MS = 100.0
ON = date(2025, 3, 12)


def _time_ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--paper", default="letter")
    parser.add_argument("--program", default="healthy-upper-back")
    args = parser.parse_args()
    paper = check_paper(args.paper)
    catalog = load_catalog()
    count = len(catalog.template(args.program).items)

    def full() -> bytes:
        return render_pdf(load_handout(args.program, catalog, on=ON), paper=paper)

    cold = _time_ms(full)  # fonts scanned, figures drawn, Typst caches empty
    handout = load_handout(args.program, catalog, on=ON)
    size = len(full())
    same_ms = [_time_ms(full) for _ in range(args.runs)]
    new_ms = [
        _time_ms(
            lambda i=i: render_pdf(
                load_handout(args.program, catalog, on=ON + timedelta(days=i)), paper=paper
            )
        )
        for i in range(1, args.runs + 1)
    ]
    typst_ms = [_time_ms(lambda: render_pdf(handout, paper=paper)) for _ in range(args.runs)]

    median = statistics.median(new_ms)
    print(
        f"handout {args.program!r}: {count} exercises, {paper}, {size // 1024} KB, {args.runs} warm runs each"
    )
    print(f"  cold first render              {cold:7.1f} ms")
    print(f"  warm, new content each run     median {median:6.1f} ms   p95 {_p95(new_ms):6.1f} ms")
    print(
        f"  warm, same handout again       median {statistics.median(same_ms):6.1f} ms   p95 {_p95(same_ms):6.1f} ms"
    )
    print(
        f"  warm, Typst step only (same)   median {statistics.median(typst_ms):6.1f} ms   p95 {_p95(typst_ms):6.1f} ms"
    )
    verdict = "within" if median <= TARGET_MS else "OVER"
    print(f"  {verdict} the {TARGET_MS:.0f} ms warm median target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
