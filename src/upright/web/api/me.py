"""JSON for everything the patient's pages do, under /api/me (personal mode: the one local person).

Writes are transactional (one request, one commit). Errors: 422 names the field, 409 is a conflict
or a safety stop (with `outcome` and `reasons`), 404 is an unknown id."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response
from pydantic_core import to_json
from sqlalchemy.orm import Session

from upright.documents.checkin import CheckInIn, CheckInOut
from upright.documents.export import ExportDoc
from upright.documents.plan import (
    ChoosePlanIn,
    DoseChangeDoc,
    HandoutPlanDoc,
    PlanOptionsDoc,
    PlanOut,
    StoredPlanDoc,
)
from upright.documents.profile import ProfileIn, ProfileOut
from upright.documents.screening import QuestionOut
from upright.documents.script import SessionScriptDoc
from upright.documents.session_result import RecordedOut, SessionResultIn, SessionResultOut
from upright.documents.views import (
    AdherenceDoc,
    AlertDoc,
    LastPainDoc,
    PainPointDoc,
    PlanSummaryDoc,
    ProgressOut,
    TodayDoc,
    WeekTargetDoc,
)
from upright.domain.progress import SEVERE_PAIN
from upright.errors import NotFound
from upright.exports.fhir import FHIR_JSON
from upright.services import overview
from upright.services.checkins import record_checkin
from upright.services.my_data import delete_all_data
from upright.services.people import get_profile, update_profile
from upright.services.plans import active_plan, choose_plan, preview_plans, refit_active_plan
from upright.services.player import script_doc, session_script
from upright.services.screenings import (
    ScreeningIn,
    ScreeningOut,
    latest_screening_result,
    questions,
    record_screening,
    screening_out,
)
from upright.services.sessions import RecordedSession, get_session, list_sessions, record_session
from upright.web.deps import CatalogDep
from upright.web.downloads import ExportFormat, export_response
from upright.web.openapi import ERROR_RESPONSES
from upright.web.patient_deps import (
    DbDep,
    LocalTz,
    NowDep,
    PersonDep,
    in_write_transaction,
    person_in,
)

router = APIRouter(prefix="/api/me", tags=["me"], responses=ERROR_RESPONSES)


@router.get("/profile", summary="Your settings: setting, equipment, conditions, minutes, reminders, voice")
def read_profile(db: DbDep, person: PersonDep) -> ProfileOut:
    return get_profile(db, person.id)


@router.patch("/profile", summary="Change some of your settings (fields left out stay as they are)")
def change_profile(
    change: ProfileIn, db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep
) -> ProfileOut:
    out = update_profile(db, person.id, change, catalog=catalog, now=now)
    refit_active_plan(db, person.id, catalog=catalog, now=now)  # a new condition: a plan that respects it
    db.commit()  # here, in the endpoint's thread: locks are freed before anything else waits on a thread
    return out


@router.get("/screening/questions", summary="The safety questions, then clearance, then conditions")
def screening_questions(catalog: CatalogDep) -> list[QuestionOut]:
    return [QuestionOut.of(q) for q in questions(catalog)]


@router.post("/screenings", status_code=201, summary="Answer the safety questions; the result is stored")
def post_screening(
    data: ScreeningIn, db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep
) -> ScreeningOut:
    out = screening_out(record_screening(db, person.id, data, catalog=catalog, now=now))
    db.commit()
    return out


@router.get("/screenings/latest", summary="Your newest screening result (404 when there is none)")
def latest_screening(db: DbDep, person: PersonDep) -> ScreeningOut:
    stored = latest_screening_result(db, person.id)
    if stored is None:
        raise NotFound("screening", "latest")
    return screening_out(stored)


@router.get("/plan/options", summary="The suggested program and every handout program, fitted to you")
def plan_options(db: DbDep, person: PersonDep, catalog: CatalogDep) -> PlanOptionsDoc:
    suggested, handouts = preview_plans(db, person.id, catalog=catalog)
    return PlanOptionsDoc(
        suggested=StoredPlanDoc.of(suggested, catalog.vocabulary),
        handouts=[HandoutPlanDoc.of(p, catalog.vocabulary, program=p.inputs.template) for p in handouts],
    )


@router.post("/plan", status_code=201, summary="Choose your program: the suggestion or a handout program")
def post_plan(
    choice: ChoosePlanIn, db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep
) -> PlanOut:
    stored = choose_plan(db, person.id, choice, catalog=catalog, now=now)
    db.commit()
    return PlanOut.of(stored)


@router.get("/plan", summary="Your current program with doses, reasons and exclusions (404 when none)")
def get_plan(db: DbDep, person: PersonDep) -> PlanOut:
    stored = active_plan(db, person.id)
    if stored is None:
        raise NotFound("plan", "current")
    return PlanOut.of(stored)


@router.get(
    "/session/script",
    summary="Today's session as a timeline of steps (409 with the reasons when screening says stop, "
    f"or when pain of {SEVERE_PAIN} or more or a session stopped for pain means no more exercise today)",
)
def get_script(
    db: DbDep,
    person: PersonDep,
    catalog: CatalogDep,
    now: NowDep,
    tz: LocalTz,
    program: str | None = Query(
        None, max_length=60, description="Play a handout program instead of your plan"
    ),
) -> SessionScriptDoc:
    return script_doc(session_script(db, person.id, catalog=catalog, now=now, tz=tz, program=program))


@router.post(
    "/sessions",
    summary="Store a finished session. Same client_id and content again: 200 with the stored record",
    response_model=RecordedOut,
    responses={
        201: {"description": "Stored"},
        200: {"description": "Already stored (a resend)", "model": RecordedOut},
        409: {"description": "Same client_id with other content, or a safety stop"},
    },
    status_code=201,
)
async def post_session(data: SessionResultIn, request: Request, catalog: CatalogDep, now: NowDep) -> Response:
    """Async, and the whole write in one worker-thread call (patient_deps.in_write_transaction): the
    person, the checks, the rows, the doses, the alerts and the commit in one transaction. The answer
    is built from the values written (no response model check, nothing read back)."""

    def store(s: Session) -> RecordedSession:
        return record_session(s, person_in(s, request, now).id, data, catalog=catalog, now=now)

    recorded = await in_write_transaction(request, store)
    body = to_json({**recorded.result.model_dump(), "dose_changes": recorded.changes})
    return Response(body, status_code=201 if recorded.created else 200, media_type="application/json")


@router.get("/sessions", summary="Your sessions, newest first, with target and done per exercise")
def get_sessions(
    db: DbDep, person: PersonDep, limit: int = Query(100, ge=1, le=1000)
) -> list[SessionResultOut]:
    return list(list_sessions(db, person.id, limit=limit))


@router.get("/sessions/{session_id}", summary="One session")
def get_one_session(session_id: int, db: DbDep, person: PersonDep) -> SessionResultOut:
    return get_session(db, person.id, session_id)


@router.post("/checkins", status_code=201, summary="A pain check-in (0-10) outside a session")
def post_checkin(
    data: CheckInIn, db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep
) -> CheckInOut:
    out = record_checkin(db, person.id, data, now=now, words=catalog.vocabulary)
    db.commit()
    return out


@router.get("/today", summary="What the Today page shows")
def get_today(db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep, tz: LocalTz) -> TodayDoc:
    v = overview.today_view(db, person.id, now=now, tz=tz, words=catalog.vocabulary)
    return TodayDoc(
        can_start=v.can_start,
        rest_reason=v.rest_reason,
        needs_screening=v.needs_screening,
        is_blocked=v.is_blocked,
        screening=screening_out(v.screening) if v.screening else None,
        plan=PlanSummaryDoc(id=v.plan.id, title=v.plan.title, minutes=v.plan.minutes) if v.plan else None,
        done_today=v.done_today,
        week=WeekTargetDoc(done=v.week_done, target=v.week_target),
        streak_days=v.streak_days,
        last_pain=LastPainDoc(score=v.last_pain[0], at=v.last_pain[1]) if v.last_pain else None,
        alerts=[AlertDoc.of(a) for a in v.alerts],
        reminders=list(v.reminders),
        dose_changes=[DoseChangeDoc.model_validate(c) for c in v.changes],
    )


@router.get("/progress", summary="Sessions per week against the plan, pain over time, alerts, history")
def get_progress(db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep, tz: LocalTz) -> ProgressOut:
    names = {ex.id: ex.name for ex in catalog.exercises.values()}
    words = catalog.vocabulary
    v = overview.progress_view(db, person.id, now=now, tz=tz, names=names, words=words)
    return ProgressOut(
        adherence=AdherenceDoc.of(v.adherence) if v.adherence is not None else None,
        pain=[
            PainPointDoc(
                at=p.at,
                score=p.score,
                context=p.context,
                location=words.word("places", p.location) if p.location else None,  # words, as before
            )
            for p in v.pain
        ],
        alerts=[AlertDoc.of(a) for a in v.alerts],
        sessions=list(v.sessions),
    )


@router.get(
    "/export",
    summary="All your data as one file: Upright's JSON, or a FHIR R4B Bundle (format=fhir)",
    responses={200: {"model": ExportDoc, "content": {FHIR_JSON: {}}}},
)
def export(
    db: DbDep,
    person: PersonDep,
    catalog: CatalogDep,
    now: NowDep,
    format: ExportFormat = Query("json", description="json (Upright's own) or fhir (FHIR R4B)"),
) -> Response:
    return export_response(db, person.id, catalog=catalog, now=now, format=format)


@router.delete("", status_code=204, summary="Delete all your data (cannot be undone)")
def delete_me(db: DbDep, person: PersonDep) -> Response:
    delete_all_data(db, person.id)
    db.commit()
    return Response(status_code=204)
