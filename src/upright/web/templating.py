"""One Jinja2 environment for every page, with the filters pages share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup, escape

from upright.catalog.schema import Dose, Variant
from upright.catalog.vocabulary import Kind, Vocabulary
from upright.domain.dose import PlannedDose, dose_words
from upright.domain.script import session_minutes
from upright.domain.wording import dose_text
from upright.services.safety_words import emergency_number
from upright.web.static_files import figure_url, static_url

__all__ = ["templates"]

templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
templates.env.filters["session_minutes"] = session_minutes  # one rounding for every page
templates.env.globals["app_name"] = "Upright"


def long_date(value: str | date) -> str:
    """'2026-03-04' -> '4 March 2026': the date as a person reads it."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {day:%B %Y}"


templates.env.filters["long_date"] = long_date
templates.env.globals["static_url"] = static_url
templates.env.globals["figure_url"] = figure_url
templates.env.globals["emergency_number"] = emergency_number  # a call: the app sets it at start


def figure(exercise_id: str, *, animate: bool = True, frame: int | None = None) -> Markup:
    """The exercise's inline SVG figure, or nothing when it has no pose data (e.g. a clinic's own exercise)."""
    from upright.errors import UprightError
    from upright.figures import figure_svg

    try:
        return Markup(figure_svg(exercise_id, animate=animate, frame=frame))
    except UprightError:
        return Markup("")


templates.env.globals["figure"] = figure


@pass_context
def csrf_field(context: Any) -> Markup:
    """`{{ csrf_field() }}` inside every <form method="post">: this install's form token (in clinic mode,
    the login session's), which web/security.py checks on every form post (a page on another site cannot read it)."""
    from upright.web.security import CSRF_FIELD, csrf_token_for

    token = csrf_token_for(context["request"].scope)
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(token)}">')


templates.env.globals["csrf_field"] = csrf_field


def _vocabulary(context: Any) -> Vocabulary:
    words: Vocabulary = context["request"].app.state.catalog.vocabulary
    return words


@pass_context
def word(context: Any, kind: Kind, ident: str) -> str:
    """`{{ word("places", p.location) }}`: the words for an id, from the catalog's vocabulary.yaml."""
    return _vocabulary(context).word(kind, ident)


@pass_context
def choices(context: Any, kind: Kind, ids: Sequence[str] | None = None) -> dict[str, str]:
    """`{% for key, label in choices("places").items() %}`: id -> words, in order."""
    return _vocabulary(context).choices(kind, tuple(ids) if ids is not None else None)


def capital(text: str) -> str:
    """Words that read inside a sentence ("a stretch band"), shown as a label ("A stretch band")."""
    return text[:1].upper() + text[1:]


@pass_context
def dose_in_words(context: Any, dose: Dose | Variant | PlannedDose) -> str:
    """`{{ d|dose_text }}`: a handout's dose or a planned one, in the catalog's words."""
    if isinstance(dose, PlannedDose):
        return dose_words(dose, _vocabulary(context))
    return dose_text(dose, _vocabulary(context))


templates.env.filters["dose_text"] = dose_in_words
templates.env.globals["word"] = word
templates.env.globals["choices"] = choices
templates.env.filters["capital"] = capital


@pass_context
def csrf_meta(context: Any) -> Markup:
    """The same token for the page's scripts: outbox.js and breaks.js send it as X-CSRF-Token, which
    clinic mode asks of JSON writes made with a login cookie (personal mode checks the Origin)."""
    from upright.web.security import csrf_token_for

    return Markup(f'<meta name="csrf-token" content="{escape(csrf_token_for(context["request"].scope))}">')


templates.env.globals["csrf_meta"] = csrf_meta


PERSONAL_NAV = (
    ("/today", "Today"),
    ("/exercises", "Exercises"),
    ("/programs", "Programs"),
    ("/progress", "Progress"),
    ("/breaks", "Breaks"),
    ("/settings", "Settings"),
)
# Clinic mode: what each role can open (web/access_rules.py decides; this only shows the way).
CLINIC_NAV: dict[str, tuple[tuple[str, str], ...]] = {
    "patient": (*PERSONAL_NAV, ("/account", "Account")),
    "clinician": (
        ("/clinic", "Patients"),
        ("/clinic/patients/new", "Add a patient"),
        ("/programs", "Programs"),
        ("/exercises", "Exercises"),
        ("/account", "Account"),
    ),
    "admin": (("/admin", "Accounts"), ("/admin/audit", "Audit log"), ("/account", "Account")),
}


def _user(request: Any) -> Any:
    return request.scope.get("state", {}).get("user")


def is_clinic(request: Any) -> bool:
    return bool(request.app.state.settings.is_clinic)


def signed_in(request: Any) -> bool:
    """Clinic mode with a signed-in caller (the page shows "Log out")."""
    return is_clinic(request) and _user(request) is not None


def nav_links(request: Any) -> tuple[tuple[str, str], ...]:
    if not is_clinic(request):
        return PERSONAL_NAV
    user = _user(request)
    return CLINIC_NAV.get(user.role, ()) if user is not None else (("/login", "Log in"),)


templates.env.globals["nav_links"] = nav_links
templates.env.globals["signed_in"] = signed_in
templates.env.globals["is_clinic"] = is_clinic
