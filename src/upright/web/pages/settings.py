"""Settings: setting, equipment, minutes, focus and sessions a week; conditions; reminders and the
voice; download all my data (JSON); delete all my data (asks first)."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from upright.documents.breaks import BreakSettingsIn
from upright.documents.profile import ProfileIn
from upright.errors import InvalidInput
from upright.services.breaks import load_breaks, save_break_settings
from upright.services.my_data import delete_all_data
from upright.services.people import get_profile, update_profile
from upright.services.plans import StoredPlan, active_plan, refit_active_plan
from upright.web.deps import CatalogDep
from upright.web.downloads import ExportFormat, export_response
from upright.web.forms import (
    ASKED_EQUIPMENT,
    FormDep,
    first,
    profile_change,
    see_other,
)
from upright.web.patient_deps import DbDep, NowDep, PersonDep
from upright.web.templating import templates

router = APIRouter(include_in_schema=False)

TIME = re.compile(r"^\d{2}:\d{2}$")


def _page(request: Request, catalog: Any, values: dict[str, Any], *, error: InvalidInput | None = None,
          saved: bool = False, new_plan: StoredPlan | None = None) -> Response:  # fmt: skip
    return templates.TemplateResponse(
        request,
        "patient/settings.html",
        {
            "title": "Settings",
            "v": values,
            "error": error,
            "saved": saved,
            "new_plan": new_plan,
            "asked_equipment": ASKED_EQUIPMENT,
            "minute_choices": [5, 10, 15, 20, 30, 45],
            "conditions": list(catalog.conditions.values()),
        },
        status_code=422 if error else 200,
    )


def _values(db: DbDep, person_id: int, now: NowDep) -> dict[str, Any]:
    breaks_on = load_breaks(db, person_id, now=now).settings.reminders_on
    return {**get_profile(db, person_id).model_dump(), "break_reminders": breaks_on}


@router.get("/settings", response_class=HTMLResponse)
def settings_page(
    request: Request,
    db: DbDep,
    person: PersonDep,
    catalog: CatalogDep,
    now: NowDep,
    saved: int = 0,
    new_plan: int = 0,
) -> Response:
    plan = active_plan(db, person.id) if new_plan else None
    return _page(request, catalog, _values(db, person.id, now), saved=bool(saved), new_plan=plan)


@router.post("/settings", response_class=HTMLResponse)
def settings_post(
    request: Request, form: FormDep, db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep
) -> Response:
    try:
        change, _ = profile_change(form)
        reminder_time = first(form, "reminder_time")
        if reminder_time and not TIME.match(reminder_time):
            raise InvalidInput("reminder_time", "give a time like 08:30")
        extra = ProfileIn(
            conditions=form.get("condition", []),
            reminders_on=first(form, "reminders_on") == "yes",
            reminder_time=reminder_time or None,
            voice_on=first(form, "voice_on") == "yes",
            bell_on=first(form, "bell_on") == "yes",
        )
        merged = ProfileIn.model_validate(
            {**change.model_dump(exclude_unset=True), **extra.model_dump(exclude_unset=True)}
        )
        update_profile(db, person.id, merged, catalog=catalog, now=now)
        new_plan = refit_active_plan(db, person.id, catalog=catalog, now=now)
        breaks_on = first(form, "break_reminders") == "on"
        if breaks_on != load_breaks(db, person.id, now=now).settings.reminders_on:
            save_break_settings(db, person.id, BreakSettingsIn(reminders_on=breaks_on), now=now)
        db.commit()
    except InvalidInput as exc:
        db.rollback()
        values = {**_values(db, person.id, now), "equipment": form.get("equipment", [])}
        return _page(request, catalog, values, error=exc)
    return see_other("/settings?saved=1" + ("&new_plan=1" if new_plan else ""))


@router.get("/settings/export")
def settings_export(
    db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep, format: ExportFormat = "json"
) -> Response:
    return export_response(db, person.id, catalog=catalog, now=now, format=format)


@router.get("/settings/delete", response_class=HTMLResponse)
def delete_page(request: Request) -> Response:
    return templates.TemplateResponse(
        request, "patient/delete.html", {"title": "Delete all my data", "error": None}
    )


@router.post("/settings/delete", response_class=HTMLResponse)
def delete_post(request: Request, form: FormDep, db: DbDep, person: PersonDep) -> Response:
    if first(form, "confirm") != "yes":
        return templates.TemplateResponse(
            request, "patient/delete.html",
            {"title": "Delete all my data", "error": "Tick the box to say you are sure."}, status_code=422,
        )  # fmt: skip
    delete_all_data(db, person.id)
    db.commit()
    return templates.TemplateResponse(request, "patient/deleted.html", {"title": "Your data is deleted"})
