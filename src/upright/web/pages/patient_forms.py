"""Shared bits of the patient's HTML pages: the posted form as a dict, labels, small converters.

Pages post forms and redirect (303) on success, so a reload never posts twice and nothing about a
person's health ever lands in a URL."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse

__all__ = [
    "EQUIPMENT_LABELS",
    "FOCUS_LABELS",
    "PAIN_WORDS",
    "SETTING_LABELS",
    "FormDep",
    "first",
    "see_other",
    "to_int",
]

# Only what a home may not have: a wall and a doorway are counted on at home (domain.planning.HOME_HAS)
# and never used at a desk, so the form does not ask about them.
EQUIPMENT_LABELS = {
    "resistance-band": "A stretch band",
    "anchor-point": "A firm spot to tie a band to, like a door handle",
    "dumbbells": "Small weights",
    "mat": "A mat or a soft rug",
    "chair": "A firm chair",
}
SETTING_LABELS = {"home": "At home", "work": "At my work desk"}
FOCUS_LABELS = {
    "mixed": "A bit of everything",
    "stretch": "Stretch and loosen up",
    "strengthen": "Build strength",
    "posture": "Better posture",
}
PAIN_WORDS = {0: "no pain", 5: "medium", 10: "worst pain"}


async def _form(request: Request) -> dict[str, list[str]]:
    form = await request.form()
    out: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            out.setdefault(key, []).append(value)
    return out


FormDep = Annotated[dict[str, list[str]], Depends(_form)]


def first(form: dict[str, list[str]], key: str, default: str = "") -> str:
    values = form.get(key)
    return values[0].strip() if values else default


def to_int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
