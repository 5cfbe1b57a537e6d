"""The guided session page. The player (static/player.js) plays the script from /api/me/session/script;
without JavaScript the page lists every step in order and offers a plain form to log the session.

The safety gate is the service's: a stopped person gets the stop screen here, never a player."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from upright.errors import Conflict, InvalidInput, SafetyStop
from upright.services.breaks import count_session_as_break
from upright.services.people import get_profile
from upright.services.plans import get_plan
from upright.services.player import session_script
from upright.services.safety_words import HIGH_PAIN_ADVICE, pain_advice
from upright.services.session_results import CheckIn, Done, ItemResult, SessionResultIn, Target
from upright.services.sessions import is_stored, record_session
from upright.web.deps import CatalogDep
from upright.web.forms import FormDep, first, see_other, to_int
from upright.web.page_parts import figures_for, stop_page
from upright.web.patient_deps import DbDep, LocalTz, NowDep, PersonDep
from upright.web.static_files import figure_url
from upright.web.templating import templates

router = APIRouter(include_in_schema=False)

FIGURE_URL = figure_url()


def _gate(exc: SafetyStop | Conflict, request: Request) -> Response:
    if isinstance(exc, Conflict):
        return see_other("/setup")
    if exc.outcome in ("emergency", "seek_care_now"):
        return stop_page(request, exc.outcome, code=409)
    if exc.outcome in ("rest_today", "not_cleared"):
        return see_other("/today")  # Today says why there is no more exercise today
    return see_other("/screening")


@router.get("/session", response_class=HTMLResponse)
def session_page(
    request: Request,
    db: DbDep,
    person: PersonDep,
    catalog: CatalogDep,
    now: NowDep,
    tz: LocalTz,
    program: str | None = Query(None, max_length=60),
) -> Response:
    try:
        ss = session_script(db, person.id, catalog=catalog, now=now, tz=tz, program=program)
    except (SafetyStop, Conflict) as exc:
        return _gate(exc, request)
    count_session_as_break(db, person.id, now=now)  # starting a session is a break from work
    script_url = "/api/me/session/script" + (f"?{urlencode({'program': program})}" if program else "")
    return templates.TemplateResponse(
        request,
        "patient/session.html",
        {
            "title": "Session",
            "ss": ss,
            "script": ss.script,
            "script_url": script_url,
            "prescribed": get_plan(db, person.id, ss.plan_id).body.get("prescribed") if ss.plan_id else None,
            "voice_on": get_profile(db, person.id).voice_on,
            "figures": figures_for([it.exercise.id for it in ss.items]),
            "figure_url": FIGURE_URL,
            "client_id": uuid.uuid4().hex,
            "started_at": now.isoformat(),
            "program": program or "",
            "advice": pain_advice(),
            "high_pain_advice": HIGH_PAIN_ADVICE,
        },
    )


@router.post("/session/log", response_class=HTMLResponse)
def log_without_player(
    request: Request,
    form: FormDep,
    db: DbDep,
    person: PersonDep,
    catalog: CatalogDep,
    now: NowDep,
    tz: LocalTz,
) -> Response:
    """The no-JavaScript way: the page's own client id makes a repeated post harmless."""
    program = first(form, "program") or None
    client_id = first(form, "client_id") or uuid.uuid4().hex
    if is_stored(db, person.id, client_id):  # the same form sent again (reload, double click)
        return see_other("/progress")
    try:
        ss = session_script(db, person.id, catalog=catalog, now=now, tz=tz, program=program)
    except (SafetyStop, Conflict) as exc:
        return _gate(exc, request)
    pain = to_int(first(form, "pain"))
    how_much = first(form, "how_much", "all")
    try:
        started = datetime.fromisoformat(first(form, "started_at"))
    except ValueError:
        started = now
    started = min(started if started.tzinfo else started.replace(tzinfo=UTC), now)
    started = max(started, now - timedelta(hours=6))
    feeling = first(form, "feeling") or None
    try:
        data = SessionResultIn(
            client_id=client_id,
            plan_id=ss.plan_id,
            program=program,
            player="web",
            started_at=started,
            ended_at=now,
            outcome="completed" if how_much == "all" else "ended_early",
            planned_seconds=int(ss.script.total_seconds),
            items=[
                ItemResult(
                    exercise=it.exercise.id,
                    target=Target(sets=it.dose.sets, reps=it.dose.reps, hold_seconds=it.dose.hold_seconds,
                                  each_side=it.dose.each_side),
                    done=_done(it.dose.sets, it.dose.reps, it.dose.hold_seconds, it.dose.each_side, how_much),
                    status="done" if how_much == "all" else "partial",
                )
                for it in ss.items
            ],
            check_in=CheckIn(pain=pain, feeling=feeling if feeling in ("easier", "as_expected", "harder") else None),
        )  # fmt: skip
    except ValueError:
        raise InvalidInput(
            "session", "the form could not be read; please open the session page again"
        ) from None
    record_session(db, person.id, data, catalog=catalog, now=now)
    db.commit()
    return see_other("/progress")


def _done(sets: int, reps: int | None, hold: int | None, each_side: bool, how_much: str) -> Done:
    if how_much != "all":
        return Done()
    total = (reps or 1) * sets * (2 if each_side else 1)
    return Done(sets=sets, reps=total, holds=total if hold else 0)
