"""Today: what to do now, how long it takes, the streak, the last pain score, any alert; and the
quick pain check-in. A new person sees where to begin; a stopped person sees the stop advice."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from upright.domain.screening import OUTCOME_ADVICE
from upright.domain.script import compile_script
from upright.errors import InvalidInput
from upright.services.breaks import current_break_status
from upright.services.checkins import LOCATIONS, record_checkin
from upright.services.overview import today_view
from upright.services.plans import script_items_of
from upright.services.safety_words import stop_words
from upright.web.deps import CatalogDep
from upright.web.forms import FormDep, pain_check_in, see_other
from upright.web.patient_deps import DbDep, LocalTz, NowDep, PersonDep
from upright.web.static_files import static_exists
from upright.web.templating import templates

router = APIRouter(include_in_schema=False)


def _today(request: Request, db: DbDep, person_id: int, catalog: CatalogDep, now: NowDep, tz: LocalTz, *,
           error: str | None = None) -> Response:  # fmt: skip
    view = today_view(db, person_id, now=now, tz=tz)
    items = []
    session_seconds = 0.0
    if view.plan is not None:
        planned = script_items_of(view.plan.items, catalog)
        items = [(it.exercise.name, it.dose.text) for it in planned]
        # The same length the session page shows: today's doses and today's spoken reminders.
        session_seconds = compile_script(
            planned, posture=catalog.posture, reminders=view.reminders
        ).total_seconds
    stop = None
    if view.is_blocked and view.screening is not None:
        stop = stop_words(view.screening.outcome)
    breaks = current_break_status(db, person_id, now=now, catalog=catalog) if view.can_start else None
    # Done with the database: end the transaction now, so the connection is back in the pool while the
    # page renders (templates never read the database).
    db.commit()
    return templates.TemplateResponse(
        request,
        "patient/today.html",
        {
            "title": "Today",
            "v": view,
            "items": items,
            "session_seconds": session_seconds,
            "stop": stop,
            "advice": OUTCOME_ADVICE.get(view.screening.outcome) if view.screening else None,
            "locations": LOCATIONS,
            "error": error,
            "breaks_status": breaks,
            "has_breaks_js": static_exists("breaks.js"),
        },
        status_code=422 if error else 200,
    )


@router.get("/today", response_class=HTMLResponse)
def today(
    request: Request, db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep, tz: LocalTz
) -> Response:
    return _today(request, db, person.id, catalog, now, tz)


@router.post("/checkin", response_class=HTMLResponse)
def checkin(
    request: Request,
    form: FormDep,
    db: DbDep,
    person: PersonDep,
    catalog: CatalogDep,
    now: NowDep,
    tz: LocalTz,
) -> Response:
    try:
        data = pain_check_in(form, required=True)
        assert data is not None
        record_checkin(db, person.id, data, now=now)
    except InvalidInput as exc:
        return _today(request, db, person.id, catalog, now, tz, error=exc.message)
    db.commit()  # in the endpoint's thread, before the redirect
    return see_other("/today")
