"""Pieces that more than one page shows: the stop screen and which exercises have a picture. Pages
import these from here, never from each other (import-linter checks it)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from upright.figures import has_figure
from upright.services.safety_words import stop_words
from upright.web.templating import templates

__all__ = ["figures_for", "stop_page"]


def stop_page(request: Request, outcome: str, *, code: int = 200) -> Response:
    """The stop screen: what to do now, and nothing else."""
    words = stop_words(outcome)
    return templates.TemplateResponse(
        request, "patient/stop.html", {"title": "Please read this", "words": words, "outcome": outcome},
        status_code=code,
    )  # fmt: skip


def figures_for(exercise_ids: list[str]) -> list[str]:
    """The exercises the player can show a picture for (a clinic's own exercise may have none)."""
    return [ex for ex in exercise_ids if has_figure(ex)]
