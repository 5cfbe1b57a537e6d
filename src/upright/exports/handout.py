"""Printable handouts: a print-ready PDF (Typst) and the content the print web page shows.

    from upright.exports.handout import handout_pdf, load_handout
    pdf = handout_pdf("healthy-upper-back", catalog, on=date(2025, 3, 12), paper="a4")
    handout = load_handout(plan_dict, catalog, on=today)        # a personal plan (`upright plan --json`)

Why Typst: it renders a six-exercise handout in a few milliseconds warm, embeds subset fonts, tags
the PDF for screen readers and takes SVG figures as bytes (bench/README.md has the numbers).
The wording lives in handout_content.py; handout.typ only lays it out."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import asdict
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal, get_args

import typst

from upright.catalog.load import Catalog
from upright.errors import InvalidInput, UprightError
from upright.exports.handout_content import Handout, build_handout
from upright.exports.handout_figures import figure_for
from upright.exports.handout_program import Program, program_from_plan, program_from_template

__all__ = [
    "FONT_DIRS",
    "FONT_FAMILY",
    "PAPERS",
    "FontsMissing",
    "Paper",
    "check_paper",
    "handout_pdf",
    "load_handout",
    "load_program",
    "render_pdf",
]

Paper = Literal["a4", "letter"]
PAPERS: Final[tuple[str, ...]] = get_args(Paper)
_TYPST_PAPER: Final = {"a4": "a4", "letter": "us-letter"}
TEMPLATE: Final = Path(__file__).resolve().parent / "handout.typ"
FONT_FAMILY: Final = "DejaVu Sans"
# Debian's fonts-dejavu-core puts DejaVu Sans here; Typst searches the folders recursively.
FONT_DIRS: Final = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


class FontsMissing(UprightError):
    """The handout font is not installed, so no PDF can be made."""


def check_paper(paper: str) -> Paper:
    value = paper.strip().lower()
    if value not in PAPERS:
        raise InvalidInput("paper", f"choose a4 or letter, not {paper!r}")
    return value  # type: ignore[return-value]


def load_program(ref: str | Mapping[str, Any], catalog: Catalog) -> Program:
    """A program id (or handout file name) from the catalog, or a personal plan already read from JSON."""
    if isinstance(ref, str):
        return program_from_template(catalog.template(ref), catalog)
    return program_from_plan(ref, catalog)


def load_handout(
    ref: str | Mapping[str, Any], catalog: Catalog, *, on: date, emergency_number: str | None = None
) -> Handout:
    return build_handout(
        load_program(ref, catalog), catalog, on=on, figures=figure_for, emergency_number=emergency_number
    )


class _Engine:
    """One Typst compiler per process: fonts are scanned once and Typst's caches stay warm.
    The compiler is not safe to share between threads, so calls take turns."""

    def __init__(self, font_dirs: tuple[Path, ...]) -> None:
        dirs = [str(d) for d in font_dirs if d.is_dir()]
        fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=dirs)
        if FONT_FAMILY not in fonts.families():
            raise FontsMissing(
                f"The handout needs the font {FONT_FAMILY}, and it is not in {', '.join(map(str, font_dirs))}. "
                "Install it with: apt-get install fonts-dejavu-core"
            )
        self._compiler = typst.Compiler(font_paths=fonts, ignore_system_fonts=True)
        self._source = TEMPLATE.read_bytes()
        self._lock = threading.Lock()

    def pdf(self, data: dict[str, Any], *, stamp: datetime) -> bytes:
        with self._lock:
            try:
                out = self._compiler.compile(
                    input=self._source, format="pdf", sys_inputs={"data": json.dumps(data)}, timestamp=stamp
                )
            except typst.TypstError as exc:  # a bug in handout.typ, not the person's fault
                raise RuntimeError(f"handout layout failed: {exc.message}\n{exc.diagnostic}") from exc
        assert isinstance(out, bytes)
        return out


@cache
def _engine(font_dirs: tuple[Path, ...] = FONT_DIRS) -> _Engine:
    return _Engine(font_dirs)


def typst_data(handout: Handout, paper: Paper) -> dict[str, Any]:
    """The handout as the JSON handout.typ reads (sys.inputs.data)."""
    data = asdict(handout)
    data.pop("on")
    data.update(paper=_TYPST_PAPER[paper], year=handout.on.year, month=handout.on.month, day=handout.on.day)
    return data


def render_pdf(handout: Handout, *, paper: Paper = "letter") -> bytes:
    stamp = datetime(handout.on.year, handout.on.month, handout.on.day, 12, tzinfo=UTC)
    return _engine().pdf(typst_data(handout, check_paper(paper)), stamp=stamp)


def handout_pdf(
    ref: str | Mapping[str, Any],
    catalog: Catalog,
    *,
    on: date,
    paper: Paper = "letter",
    emergency_number: str | None = None,
) -> bytes:
    """The print-ready PDF for a program id or a personal plan (its emergency signs name the number)."""
    return render_pdf(load_handout(ref, catalog, on=on, emergency_number=emergency_number), paper=paper)
