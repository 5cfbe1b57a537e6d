"""Shared bits of the patient's HTML forms: the posted form as a dict, the equipment asked, small converters, and
the setup/settings form as a profile change. Pages import this, never each other.

Pages post forms and redirect (303) on success, so a reload never posts twice and nothing about a
person's health ever lands in a URL."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from upright.catalog.schema import EQUIPMENT
from upright.catalog.vocabulary import FOCUSES, SETTINGS
from upright.documents.checkin import CheckInIn
from upright.documents.profile import ProfileIn
from upright.domain.planning import HOME_HAS
from upright.errors import InvalidInput

__all__ = [
    "ASKED_EQUIPMENT",
    "FormDep",
    "first",
    "pain_check_in",
    "profile_change",
    "see_other",
    "to_int",
]

# Only what a home may not have: a wall and a doorway are counted on at home (domain.planning.HOME_HAS)
# and never used at a desk, so the form does not ask about them. Their words: catalog/vocabulary.yaml.
ASKED_EQUIPMENT = tuple(e for e in EQUIPMENT if e != "none" and e not in HOME_HAS)


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


def pain_check_in(form: dict[str, list[str]], *, required: bool) -> CheckInIn | None:
    """The pain score (and where) from a form, checked by the same rule as the API (CheckInIn).
    None when it was left out and is not `required`; InvalidInput naming the field when it is wrong."""
    text, place = first(form, "pain"), first(form, "location")
    if not text and not required:
        return None
    pain = to_int(text)
    try:
        return CheckInIn(
            pain=pain if pain is not None else -1,
            location=place or None,
            red_flag=first(form, "red_flag") == "yes",
        )
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0])
        if field == "location":
            raise InvalidInput("location", "Choose where it hurts from the list.") from None
        raise InvalidInput("pain", "Pick a number from 0 to 10 for your pain.") from None


def profile_change(form: dict[str, list[str]]) -> tuple[ProfileIn, dict[str, Any]]:
    """The posted setup/settings form as a profile change (bad numbers are caught by the service)."""
    minutes = to_int(first(form, "minutes"))
    per_week = to_int(first(form, "sessions_per_week"))
    raw: dict[str, Any] = {
        "setting": first(form, "setting", "home"),
        "equipment": form.get("equipment", []),
        "minutes": minutes,
        "focus": first(form, "focus", "mixed"),
        "sessions_per_week": per_week,
    }
    if raw["setting"] not in SETTINGS:
        raise InvalidInput("setting", "choose home or work")
    if raw["focus"] not in FOCUSES:
        raise InvalidInput("focus", "choose one of the kinds of exercise")
    if minutes is None or not 1 <= minutes <= 180:
        raise InvalidInput("minutes", "choose how many minutes you have, from 1 to 180")
    if per_week is None or not 1 <= per_week <= 14:
        raise InvalidInput("sessions_per_week", "choose how many times a week, from 1 to 14")
    return ProfileIn.model_validate(raw), raw
