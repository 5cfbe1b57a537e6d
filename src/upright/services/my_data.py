"""All my data: export it as one JSON document, or delete it. Both cover every part of the app that
keeps rows about the person (the patient app's, the workday breaks' and, in clinic mode, what their
clinicians prescribed, cleared and were alerted to).

The document's shape is written once, in documents.export (`ExportDoc` and its parts): each part here
only fills its model from the stored rows, so the export can never write a field the import would not
read back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from upright.documents.export import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    BreaksV,
    ClearanceV,
    ClinicAlertV,
    ClinicV,
    ExportDoc,
    ItemV,
    PainV,
    PlanBodyV,
    PlanV,
    PrescriptionBodyV,
    PrescriptionV,
    ProfileV,
    ScreeningV,
    SessionV,
)
from upright.services.breaks import breaks_export
from upright.services.people import profile_out
from upright.store import clinic_care
from upright.store import repositories as repo
from upright.store.tables import PainReportRow, PlanRow, SessionRow

__all__ = ["delete_all_data", "export_all_data"]


def export_all_data(s: Session, person_id: int, *, now: datetime) -> dict[str, Any]:
    """Everything stored about this person, as plain JSON (the Settings page's download). The shape is
    versioned and documented in docs/EXPORT.md; services.data_import reads it back."""
    doc = ExportDoc(
        format=EXPORT_FORMAT,
        version=EXPORT_VERSION,
        exported_at=now,
        profile=_profile_part(s, person_id),
        screenings=[
            ScreeningV.model_validate(r, from_attributes=True) for r in repo.list_screenings(s, person_id)
        ],
        plans=[_plan_record(p) for p in repo.list_plans(s, person_id)],
        sessions=[_session_record(r) for r in reversed(repo.list_sessions(s, person_id))],  # oldest first
        breaks=BreaksV.model_validate(breaks_export(s, person_id)),
        pain_reports=[_pain_record(p) for p in repo.pain_reports(s, person_id)],
        clinic=_clinic_part(s, person_id),
    )
    return doc.model_dump(mode="json")


def _profile_part(s: Session, person_id: int) -> ProfileV | None:
    profile = repo.get_profile(s, person_id)
    if profile is None:
        return None
    return ProfileV(**profile_out(profile).model_dump(), updated_at=profile.updated_at)


def _plan_record(p: PlanRow) -> PlanV:
    return PlanV(
        id=p.id, created_at=p.created_at, source=p.source, template_id=p.template_id,
        title=p.title, is_active=p.is_active, plan=PlanBodyV.model_validate(p.body),
    )  # fmt: skip


def _session_record(r: SessionRow) -> SessionV:
    return SessionV(
        id=r.id, client_id=r.client_id, plan_id=r.plan_id, program=r.program, player=r.player,
        started_at=r.started_at, ended_at=r.ended_at, outcome=r.outcome, end_pain=r.end_pain,
        feeling=r.feeling, planned_seconds=r.planned_seconds, active_seconds=r.active_seconds,
        received_at=r.received_at, content_hash=r.content_hash,
        items=[
            ItemV(exercise=i.exercise_id, status=i.status, target_sets=i.target_sets, target_reps=i.target_reps,
                  target_hold_seconds=i.target_hold_seconds, each_side=i.each_side, sets_done=i.sets_done,
                  reps_done=i.reps_done, holds_done=i.holds_done)
            for i in r.items
        ],
    )  # fmt: skip


def _pain_record(p: PainReportRow) -> PainV:
    return PainV(
        taken_at=p.taken_at, score=p.score, context=p.context, exercise=p.exercise_id,
        location=p.location, action=p.action, session_id=p.session_id, red_flag=p.red_flag,
    )  # fmt: skip


def _clinic_part(s: Session, person_id: int) -> ClinicV:
    """What clinicians prescribed, cleared and were alerted to. Names, not accounts: an account is
    the clinic's, the record is the patient's."""
    return ClinicV(
        prescriptions=[
            PrescriptionV(version=r.version, created_at=r.created_at, author=r.author_name, start_on=r.start_on,
                          per_week=r.per_week, body=PrescriptionBodyV.model_validate(r.body), summary=r.summary, changes=r.changes, plan_id=r.plan_id)
            for r in reversed(clinic_care.list_prescriptions(s, person_id))
        ],
        clearances=[
            ClearanceV(created_at=r.created_at, author=r.author_name, kind=r.kind, start_on=r.start_on,
                       note=r.note)
            for r in clinic_care.all_clearances(s, person_id)
        ],
        alerts=[
            ClinicAlertV(kind=r.kind, reason=r.reason, at=r.at, created_at=r.created_at, seen_at=r.seen_at,
                         seen_by=r.seen_by_name, note=r.note)
            for r in clinic_care.all_alerts(s, person_id)
        ],
    )  # fmt: skip


def delete_all_data(s: Session, person_id: int) -> None:
    """Remove the person and every row about them. A fresh, empty person appears on next use."""
    repo.delete_person(s, person_id)
