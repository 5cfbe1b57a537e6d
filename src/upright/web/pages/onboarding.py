"""Onboarding: the safety questions (with the stop screens), then setting, equipment and minutes,
then the program: the engine's suggestion with its reasons and exclusions, or a handout program."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from upright.catalog.vocabulary import PLACES
from upright.documents.breaks import BreakSettingsIn
from upright.documents.plan import ChoosePlanIn
from upright.domain.screening import (
    BLOCKING,
    CHEST_PLACE,
    HEART_AGAIN,
    Question,
    asked_questions,
    decided_stop,
)
from upright.domain.script import reminder_seconds
from upright.errors import InvalidInput
from upright.services.breaks import load_breaks, save_break_settings, settings_json
from upright.services.people import get_profile, update_profile
from upright.services.plans import active_plan, choose_plan, preview_plans
from upright.services.screenings import (
    ScreeningIn,
    latest_screening_result,
    questions,
    record_screening,
    session_reminders_for,
)
from upright.web.deps import CatalogDep
from upright.web.forms import (
    ASKED_EQUIPMENT,
    FormDep,
    first,
    profile_change,
    see_other,
    to_int,
)
from upright.web.page_parts import stop_page
from upright.web.patient_deps import DbDep, NowDep, PersonDep
from upright.web.templating import templates

router = APIRouter(include_in_schema=False)


def _stop_on(q: Question, by_id: dict[str, Question], has_check: set[str]) -> str:
    """Which answer to this question decides a stop at once ("yes", "no" or ""): the page's script
    sends the form on that answer, so the stop screen comes next."""
    if q.checks_doctor:
        parent = by_id[q.follows or ""]
        return "no" if parent.outcome in BLOCKING else ""
    return "yes" if q.outcome in BLOCKING and q.id not in has_check else ""


def _question_groups(catalog: Any) -> tuple[list[tuple[str, list[Any]]], Any, list[Any]]:
    """The red-flag questions in the order asked, as runs of the same group (each with its title)."""
    qs = questions(catalog)
    flags = [q for q in qs if q.kind == "red-flag"]
    by_id = {q.id: q for q in flags}
    has_check = {q.follows for q in flags if q.checks_doctor and q.follows}
    runs: list[tuple[str, list[Any]]] = []
    for q in flags:
        item = {"q": q, "stop_on": _stop_on(q, by_id, has_check)}
        title = catalog.vocabulary.word("screening_groups", q.group)
        if runs and runs[-1][0] == title:
            runs[-1][1].append(item)
        else:
            runs.append((title, [item]))
    clearance = next(q for q in qs if q.kind == "clearance")
    conditions = [q for q in qs if q.kind == "condition"]
    return runs, clearance, conditions


def _screening_page(
    request: Request,
    catalog: Any,
    *,
    chosen: dict[str, list[str]],
    missing: list[Any],
    error: InvalidInput | None = None,
    code: int = 200,
    heart_again: bool = False,
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
            "heart_again": HEART_AGAIN if heart_again else None,
        },
        status_code=code,
    )


@router.get("/screening", response_class=HTMLResponse)
def screening_form(request: Request, catalog: CatalogDep, db: DbDep, person: PersonDep) -> Response:
    # Conditions said before start ticked: answering again must not quietly drop knee pain.
    known = get_profile(db, person.id).conditions
    return _screening_page(request, catalog, chosen={"condition": list(known)}, missing=[])


def _given_answers(qs: tuple[Question, ...], form: dict[str, list[str]]) -> dict[str, bool]:
    given = {q.id: first(form, q.id) for q in qs if q.kind == "red-flag"}
    return {qid: value == "yes" for qid, value in given.items() if value in ("yes", "no")}


@router.post("/screening", response_class=HTMLResponse)
def screening_post(
    request: Request, form: FormDep, db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep
) -> Response:
    qs = questions(catalog)
    answers = _given_answers(qs, form)
    known = {q.id for q in qs if q.kind == "condition"}
    conditions = [c for c in form.get("condition", []) if c in known]
    pain_text = first(form, "pain")
    pain = to_int(pain_text)
    if pain_text and (pain is None or not 0 <= pain <= 10):  # refused, never dropped
        error = InvalidInput("pain", "Pick a number from 0 to 10 for your pain.")
        return _screening_page(request, catalog, chosen=form, missing=[], error=error, code=422)
    places = [p for p in form.get("place", []) if p in PLACES]
    if decided_stop(catalog.screening, answers, combined=catalog.screening_combined) is None:
        # Nothing given is urgent: every question asked needs its answer (a blank is never a "no").
        asked = {q.id for q in asked_questions(catalog.screening, answers)}
        missing = [q for q in qs if q.kind == "red-flag" and q.id in asked and q.id not in answers]
        clearance = first(form, "cleared-by-clinician")
        if clearance not in ("yes", "no"):
            missing.append(next(q for q in qs if q.kind == "clearance"))
        if missing:
            return _screening_page(request, catalog, chosen=form, missing=missing, code=422)
        if CHEST_PLACE in places and first(form, "heart-again") != "yes":
            # Chest pain can come from the heart: ask those questions again, blank, with the reason.
            heart = {q.id for q in qs if q.group == "heart"}
            chosen = {k: v for k, v in form.items() if k not in heart}
            return _screening_page(request, catalog, chosen=chosen, missing=[], heart_again=True)
    data = ScreeningIn(
        answers=answers, cleared_by_clinician=first(form, "cleared-by-clinician") == "yes",
        conditions=conditions, pain=pain, places=places,
    )  # fmt: skip
    stored = record_screening(db, person.id, data, catalog=catalog, now=now)
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
            "advice": stored.result.advice,
            "next_url": "/today" if has_plan else "/setup",
        },
    )


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
            "asked_equipment": ASKED_EQUIPMENT,
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
            # Each plan's minutes include the reminders its session will read, as Today and the session do.
            "reminder_seconds": reminder_seconds(
                len(session_reminders_for(latest_screening_result(db, person.id)))
            ),
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
