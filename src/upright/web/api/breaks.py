"""JSON for workday breaks under /api/me/breaks: the schedule and next break, the settings, the routine
for a break now (in the player's script shape), and what happened (events).

The server's clock decides what is due; clients only report what the person did. A reminder shown
twice for one break is refused (409), so two open tabs cannot count it twice."""

from __future__ import annotations

from fastapi import APIRouter

from upright.documents.breaks import (
    BreakEventIn,
    BreakSettingsDoc,
    BreakSettingsIn,
    BreakStatusDoc,
    BreakTakenDoc,
)
from upright.documents.script import BreakRoutineDoc
from upright.documents.session_result import SessionResultIn
from upright.services.breaks import (
    break_routine,
    current_break_status,
    load_breaks,
    record_break_event,
    record_routine_result,
    routine_doc,
    save_break_settings,
    settings_json,
)
from upright.web.deps import CatalogDep
from upright.web.openapi import ERROR_RESPONSES
from upright.web.patient_deps import DbDep, NowDep, PersonDep, WriteDbDep

router = APIRouter(prefix="/api/me/breaks", tags=["breaks"], responses=ERROR_RESPONSES)


@router.get("", summary="The next break, today's and this week's counts, and the settings")
def get_status(db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep) -> BreakStatusDoc:
    return BreakStatusDoc.model_validate(current_break_status(db, person.id, now=now, catalog=catalog))


@router.get("/settings", summary="Your work days and hours, the gap between breaks, the limits")
def get_settings(db: DbDep, person: PersonDep, now: NowDep) -> BreakSettingsDoc:
    return BreakSettingsDoc.model_validate(settings_json(load_breaks(db, person.id, now=now)))


@router.patch("/settings", summary="Change some break settings (fields left out stay as they are)")
def change_settings(
    change: BreakSettingsIn, db: WriteDbDep, person: PersonDep, now: NowDep
) -> BreakSettingsDoc:
    return BreakSettingsDoc.model_validate(settings_json(save_break_settings(db, person.id, change, now=now)))


@router.get("/routine", summary="The short routine for a break now, as a player script")
def get_routine(db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep) -> BreakRoutineDoc:
    return routine_doc(break_routine(db, person.id, catalog=catalog, now=now), catalog.vocabulary)


@router.post(
    "/events", status_code=201, summary="Record a reminder shown, a break taken, put off, skipped or paused"
)
def post_event(
    data: BreakEventIn, db: WriteDbDep, person: PersonDep, catalog: CatalogDep, now: NowDep
) -> BreakStatusDoc:
    pb = record_break_event(db, person.id, data, now=now, catalog=catalog, client="web")
    return BreakStatusDoc.model_validate(current_break_status(db, person.id, now=now, catalog=catalog, pb=pb))


@router.post(
    "/routine/done",
    summary="The session player's result for a break routine: the break is taken. Same client_id and "
    "content again: the same answer, nothing stored twice",
)
def post_routine_result(
    data: SessionResultIn, db: WriteDbDep, person: PersonDep, catalog: CatalogDep, now: NowDep
) -> BreakTakenDoc:
    return BreakTakenDoc.model_validate(record_routine_result(db, person.id, data, now=now, catalog=catalog))
