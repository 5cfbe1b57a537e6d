"""Onboarding: the safety questions (with the stop screens), then setting, equipment and minutes,
then the program: the engine's suggestion with its reasons and exclusions, or a handout program."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from upright.catalog.schema import EQUIPMENT
from upright.domain.screening import OUTCOME_ADVICE
from upright.errors import InvalidInput
from upright.services.breaks import BreakSettingsIn, load_breaks, save_break_settings, settings_json
from upright.services.checkins import LOCATIONS, record_checkin
from upright.services.people import ProfileIn, get_profile, update_profile
from upright.services.plans import ChoosePlanIn, active_plan, choose_plan, preview_plans
from upright.services.safety_words import STOP_WORDS
from upright.services.screenings import ScreeningIn, latest_screening_result, questions, record_screening
from upright.web.deps import CatalogDep
from upright.web.pages.patient_forms import (
    EQUIPMENT_LABELS,
    FOCUS_LABELS,
    SETTING_LABELS,
    FormDep,
    first,
    pain_check_in,
    see_other,
    to_int,
)
from upright.web.patient_deps import DbDep, NowDep, PersonDep
from upright.web.templating import templates

router = APIRouter(include_in_schema=False)

GROUP_TITLES = {
    "heart": "Heart and blood vessels",
    "nerves": "Nerves",
    "severe-pain": "Very bad pain",
    "injury": "Falls and injuries",
    "infection": "Infection",
    "cancer": "Other illness",
    "organs": "Other body parts",
    "worse-or-new-pain": "Changes in your pain",
    "not-improving": "How long it has lasted",
}


def _question_groups(catalog: Any) -> tuple[list[tuple[str, list[Any]]], Any, list[Any]]:
    qs = questions(catalog)
    groups: dict[str, list[Any]] = {}
    for q in qs:
        if q.kind == "red-flag":
            groups.setdefault(q.group, []).append(q)
    clearance = next(q for q in qs if q.kind == "clearance")
    conditions = [q for q in qs if q.kind == "condition"]
    return (
        [(GROUP_TITLES.get(g, g.replace("-", " ").capitalize()), items) for g, items in groups.items()],
        clearance,
        conditions,
    )


def _screening_page(
    request: Request,
    catalog: Any,
    *,
    chosen: dict[str, list[str]],
    missing: list[Any],
    error: InvalidInput | None = None,
    code: int = 200,
) -> Response:
    groups, clearance, conditions = _question_groups(catalog)
    return templates.TemplateResponse(
        request,
        "patient/screening.html",
        {
            "title": "Safety questions",
            "groups": groups,
            "clearance": clearance,
            "conditions": conditions,
            "chosen": chosen,
            "missing": missing,
            "error": error,
            "locations": LOCATIONS,
        },
        status_code=code,
    )


@router.get("/screening", response_class=HTMLResponse)
def screening_form(request: Request, catalog: CatalogDep, db: DbDep, person: PersonDep) -> Response:
    # Conditions said before start ticked: answering again must not quietly drop knee pain.
    known = get_profile(db, person.id).conditions
    return _screening_page(request, catalog, chosen={"condition": list(known)}, missing=[])


@router.post("/screening", response_class=HTMLResponse)
def screening_post(
    request: Request, form: FormDep, db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep
) -> Response:
    qs = questions(catalog)
    answers: dict[str, bool] = {}
    missing = []
    for q in qs:
        if q.kind == "red-flag":
            value = first(form, q.id)
            if value not in ("yes", "no"):
                missing.append(q)
            else:
                answers[q.id] = value == "yes"
    clearance = first(form, "cleared-by-clinician")
    if clearance not in ("yes", "no"):
        missing.append(next(q for q in qs if q.kind == "clearance"))
    try:
        pain = pain_check_in(form, required=False)
    except InvalidInput as exc:
        return _screening_page(request, catalog, chosen=form, missing=missing, error=exc, code=422)
    if missing:
        return _screening_page(request, catalog, chosen=form, missing=missing, code=422)
    known = {q.id for q in qs if q.kind == "condition"}
    conditions = [c for c in form.get("condition", []) if c in known]
    stored = record_screening(
        db, person.id, ScreeningIn(answers=answers, cleared_by_clinician=clearance == "yes", conditions=conditions),
        catalog=catalog, now=now,
    )  # fmt: skip
    if pain is not None:
        record_checkin(db, person.id, pain, now=now)
    db.commit()  # in the endpoint's thread, before the redirect: locks are freed at once
    if stored.blocks:
        return see_other("/stop")
    return see_other("/screening/result")


@router.get("/screening/result", response_class=HTMLResponse)
def screening_result(request: Request, db: DbDep, person: PersonDep) -> Response:
    stored = latest_screening_result(db, person.id)
    if stored is None:
        return see_other("/screening")
    db.commit()  # in the endpoint's thread, before the redirect: locks are freed at once
    if stored.blocks:
        return see_other("/stop")
    has_plan = active_plan(db, person.id) is not None
    return templates.TemplateResponse(
        request,
        "patient/screening_result.html",
        {
            "title": "Your answers",
            "result": stored.result,
            "advice": OUTCOME_ADVICE[stored.outcome],
            "next_url": "/today" if has_plan else "/setup",
        },
    )


def stop_page(request: Request, outcome: str, *, code: int = 200) -> Response:
    """The stop screen: what to do now, and nothing else."""
    words = STOP_WORDS.get(outcome, STOP_WORDS["seek_care_now"])
    return templates.TemplateResponse(
        request, "patient/stop.html", {"title": "Please read this", "words": words, "outcome": outcome},
        status_code=code,
    )  # fmt: skip


@router.get("/stop", response_class=HTMLResponse)
def stop(request: Request, db: DbDep, person: PersonDep) -> Response:
    stored = latest_screening_result(db, person.id)
    if stored is None or not stored.blocks:
        return see_other("/today")
    return stop_page(request, stored.outcome)


def _setup_page(request: Request, values: dict[str, Any], *, error: InvalidInput | None = None) -> Response:
    return templates.TemplateResponse(
        request,
        "patient/setup.html",
        {
            "title": "About you",
            "v": values,
            "error": error,
            "setting_labels": SETTING_LABELS,
            "equipment_labels": {e: EQUIPMENT_LABELS[e] for e in EQUIPMENT if e in EQUIPMENT_LABELS},
            "focus_labels": FOCUS_LABELS,
            "minute_choices": [5, 10, 15, 20, 30, 45],
        },
        status_code=422 if error else 200,
    )


@router.get("/setup", response_class=HTMLResponse)
def setup_form(request: Request, db: DbDep, person: PersonDep, now: NowDep) -> Response:
    breaks = settings_json(load_breaks(db, person.id, now=now))
    values = {
        **get_profile(db, person.id).model_dump(),
        "break_reminders": breaks["reminders_on"],
        "break_start": breaks["start"],
        "break_end": breaks["end"],
    }
    return _setup_page(request, values)


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
    if raw["setting"] not in SETTING_LABELS:
        raise InvalidInput("setting", "choose home or work")
    if raw["focus"] not in FOCUS_LABELS:
        raise InvalidInput("focus", "choose one of the kinds of exercise")
    if minutes is None or not 1 <= minutes <= 180:
        raise InvalidInput("minutes", "choose how many minutes you have, from 1 to 180")
    if per_week is None or not 1 <= per_week <= 14:
        raise InvalidInput("sessions_per_week", "choose how many times a week, from 1 to 14")
    return ProfileIn.model_validate(raw), raw


@router.post("/setup", response_class=HTMLResponse)
def setup_post(
    request: Request, form: FormDep, db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep
) -> Response:
    try:
        change, raw = profile_change(form)
        update_profile(db, person.id, change, catalog=catalog, now=now)
        if raw["setting"] == "work" and first(form, "break_reminders") == "on":
            breaks = BreakSettingsIn(
                reminders_on=True, start=first(form, "break_start"), end=first(form, "break_end")
            )
            save_break_settings(db, person.id, breaks, now=now)
        db.commit()
    except InvalidInput as exc:
        db.rollback()
        values = {
            **get_profile(db, person.id).model_dump(),
            "equipment": form.get("equipment", []),
            "break_reminders": first(form, "break_reminders") == "on",
            "break_start": first(form, "break_start"),
            "break_end": first(form, "break_end"),
        }
        return _setup_page(request, values, error=exc)
    return see_other("/choose-program")


@router.get("/choose-program", response_class=HTMLResponse)
def choose_form(request: Request, db: DbDep, person: PersonDep, catalog: CatalogDep) -> Response:
    suggested, handouts = preview_plans(db, person.id, catalog=catalog)
    current = active_plan(db, person.id)
    chosen = "suggested"
    if current is not None and current.source == "handout":
        chosen = f"handout:{current.template_id}"
    return templates.TemplateResponse(
        request,
        "patient/choose_program.html",
        {
            "title": "Choose your program",
            "suggested": suggested,
            "handouts": [
                (p.inputs.template, p, catalog.templates[p.inputs.template or ""]) for p in handouts
            ],
            "chosen": chosen,
            "profile": get_profile(db, person.id),
        },
    )


@router.post("/choose-program", response_class=HTMLResponse)
def choose_post(form: FormDep, db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep) -> Response:
    value = first(form, "program", "suggested")
    if value.startswith("handout:"):
        choice = ChoosePlanIn(choice="handout", program=value.removeprefix("handout:"))
    else:
        choice = ChoosePlanIn(choice="suggested")
    choose_plan(db, person.id, choice, catalog=catalog, now=now)
    db.commit()
    return see_other("/today")
