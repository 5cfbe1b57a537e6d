"""Today: what to do now, how long it takes, the streak, the last pain score, any alert; and the
quick pain check-in. A new person sees where to begin; a stopped person sees the stop advice."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from upright.catalog import Catalog
from upright.catalog.vocabulary import Vocabulary
from upright.domain.dose import dose_words
from upright.domain.progress import PainCheckIn, pain_alerts
from upright.domain.screening import OUTCOME_ADVICE
from upright.domain.script import compile_script
from upright.errors import InvalidInput
from upright.services.breaks import BreakPanel, break_panel
from upright.services.checkins import record_checkin
from upright.services.overview import today_view
from upright.services.plans import script_items_of
from upright.services.safety_words import stop_words
from upright.store import Database
from upright.web.deps import CatalogDep
from upright.web.forms import FormDep, pain_check_in, see_other
from upright.web.page_cache import CachedPage, PageCache, etag_of, page_response
from upright.web.patient_deps import CurrentPerson, DbDep, LocalTz, NowDep, PersonDep, find_person
from upright.web.static_files import static_exists
from upright.web.templating import templates

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class _ClockInputs:
    """What the clock alone can change on a Today page within one day: alerts and the breaks panel."""

    alert_inputs: tuple[PainCheckIn, ...]
    breaks: BreakPanel | None
    words: Vocabulary  # the alerts' wording


def _clock(inputs: _ClockInputs, now: datetime) -> Hashable:
    alerts = tuple(pain_alerts(inputs.alert_inputs, now=now, words=inputs.words))
    if inputs.breaks is None:
        return alerts
    upcoming = inputs.breaks.upcoming(now)
    return alerts, upcoming["is_due"], upcoming["phase"], upcoming["can_postpone"], upcoming["reason"]


def _pages(request: Request) -> PageCache[_ClockInputs]:
    """This app's Today pages, per person, data revision, local day and time zone (web/page_cache.py
    says why that is enough, also with several server processes)."""
    state = request.app.state
    pages: PageCache[_ClockInputs] | None = getattr(state, "today_pages", None)
    if pages is None:
        pages = state.today_pages = PageCache()
    return pages


def _render(request: Request, db: Session, person_id: int, catalog: Catalog, now: datetime, tz: tzinfo, *,
            error: str | None = None) -> tuple[bytes, _ClockInputs, bool]:  # fmt: skip
    """The page's bytes, what its clock reads, and whether it may be kept (no pain score later than now:
    such a score would start to count with the clock alone)."""
    view = today_view(db, person_id, now=now, tz=tz, words=catalog.vocabulary)
    items = []
    session_seconds = 0.0
    if view.plan is not None:
        planned = script_items_of(view.plan.items, catalog)
        items = [(it.exercise.name, dose_words(it.dose, catalog.vocabulary)) for it in planned]
        # The same length the session page shows: today's doses and today's spoken reminders.
        session_seconds = compile_script(
            planned, words=catalog.vocabulary, posture=catalog.posture, reminders=view.reminders
        ).total_seconds
    stop = None
    if view.is_blocked and view.screening is not None:
        stop = stop_words(view.screening.outcome)
    panel = break_panel(db, person_id, now=now, catalog=catalog) if view.can_start else None
    # Done with the database: end the transaction now, so the connection is back in the pool while the
    # page renders (templates never read the database).
    db.commit()
    page = templates.TemplateResponse(
        request,
        "patient/today.html",
        {
            "title": "Today",
            "v": view,
            "items": items,
            "session_seconds": session_seconds,
            "stop": stop,
            "advice": OUTCOME_ADVICE.get(view.screening.outcome) if view.screening else None,
            "error": error,
            "breaks_status": panel.status(now) if panel else None,
            "has_breaks_js": static_exists("breaks.js"),
        },
    )
    keep = view.last_pain is None or view.last_pain[1] <= now
    return bytes(page.body), _ClockInputs(view.alert_inputs, panel, catalog.vocabulary), keep


def _fresh(request: Request, person: CurrentPerson, catalog: Catalog, now: datetime,
           tz: tzinfo) -> tuple[CachedPage[_ClockInputs], bool]:  # fmt: skip
    """The page, and whether it may be kept."""
    database: Database = request.app.state.db
    with database.transaction() as db:
        body, inputs, keep = _render(request, db, person.id, catalog, now, tz)
    return CachedPage(body, etag_of(body), inputs, _clock(inputs, now)), keep


def _with_error(request: Request, db: Session, person_id: int, catalog: Catalog, now: datetime, tz: tzinfo,
                error: str) -> Response:  # fmt: skip
    body, _, _ = _render(request, db, person_id, catalog, now, tz, error=error)
    return HTMLResponse(body, status_code=422)


@router.get("/today", response_class=HTMLResponse)
async def today(request: Request, now: NowDep, tz: LocalTz) -> Response:
    """From the cache when nothing the page shows has changed; 304 when the client has it already.
    Cache-Control stays no-store, as for every page with health data (issue 18): a browser keeps no
    copy on disk, so only clients that keep one themselves revalidate; the saving is the server's.

    Async: a hit costs one statement read on the event loop (the person and their revision:
    find_person) and no worker thread or database session; only a miss renders, in a worker thread."""
    person = await find_person(request, now)
    catalog: Catalog = request.app.state.catalog
    key = (person.id, person.revision, now.astimezone(tz).date(), str(tz), request.app.state.csrf_token)
    pages = _pages(request)
    page = pages.get(key, lambda inputs: _clock(inputs, now))
    if page is None:
        page = await pages.render(
            key,
            lambda inputs: _clock(inputs, now),
            lambda: run_in_threadpool(_fresh, request, person, catalog, now, tz),
        )
    return page_response(request, page.body, page.etag, cache_control="no-store")


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
        record_checkin(db, person.id, data, now=now, words=catalog.vocabulary)
    except InvalidInput as exc:
        return _with_error(request, db, person.id, catalog, now, tz, exc.message)
    db.commit()  # in the endpoint's thread, before the redirect
    return see_other("/today")
