"""All my data: export it as one JSON document, or delete it. Both cover every part of the app that
keeps rows about the person (the patient app's and the workday breaks')."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from upright.documents.export import EXPORT_FORMAT, EXPORT_VERSION
from upright.services.breaks import breaks_export
from upright.services.people import profile_out
from upright.store import repositories as repo
from upright.store.tables import PainReportRow, PlanRow, ScreeningRow, SessionItemRow, SessionRow

__all__ = ["delete_all_data", "export_all_data"]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_all_data(s: Session, person_id: int, *, now: datetime) -> dict[str, Any]:
    """Everything stored about this person, as plain JSON (the Settings page's download). The shape is
    versioned and documented in docs/EXPORT.md; services.data_import reads it back. One part per kind
    of record, each written by its own function below, in the document's order."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": now.isoformat(),
        "profile": _profile_part(s, person_id),
        "screenings": [_screening_record(r) for r in repo.list_screenings(s, person_id)],
        "plans": [_plan_record(p) for p in repo.list_plans(s, person_id)],
        "sessions": [_session_record(r) for r in reversed(repo.list_sessions(s, person_id))],  # oldest first
        "breaks": breaks_export(s, person_id),
        "pain_reports": [_pain_record(p) for p in repo.pain_reports(s, person_id)],
    }


def _profile_part(s: Session, person_id: int) -> dict[str, Any] | None:
    profile = repo.get_profile(s, person_id)
    if profile is None:
        return None
    return {**profile_out(profile).model_dump(), "updated_at": _iso(profile.updated_at)}


def _screening_record(r: ScreeningRow) -> dict[str, Any]:
    return {
        "taken_at": _iso(r.taken_at),
        "outcome": r.outcome,
        "reasons": r.reasons,
        "answers": r.answers,
        "details": r.details,
        "blocks_sessions": r.blocks_sessions,
    }


def _plan_record(p: PlanRow) -> dict[str, Any]:
    return {
        "id": p.id,
        "created_at": _iso(p.created_at),
        "source": p.source,
        "template_id": p.template_id,
        "title": p.title,
        "is_active": p.is_active,
        "plan": p.body,
    }


def _session_record(r: SessionRow) -> dict[str, Any]:
    return {
        "id": r.id,
        "client_id": r.client_id,
        "plan_id": r.plan_id,
        "program": r.program,
        "player": r.player,
        "started_at": _iso(r.started_at),
        "ended_at": _iso(r.ended_at),
        "outcome": r.outcome,
        "end_pain": r.end_pain,
        "feeling": r.feeling,
        "planned_seconds": r.planned_seconds,
        "active_seconds": r.active_seconds,
        "received_at": _iso(r.received_at),
        "content_hash": r.content_hash,
        "items": [_session_item_record(i) for i in r.items],
    }


def _session_item_record(i: SessionItemRow) -> dict[str, Any]:
    return {
        "exercise": i.exercise_id,
        "status": i.status,
        "target_sets": i.target_sets,
        "target_reps": i.target_reps,
        "target_hold_seconds": i.target_hold_seconds,
        "each_side": i.each_side,
        "sets_done": i.sets_done,
        "reps_done": i.reps_done,
        "holds_done": i.holds_done,
    }


def _pain_record(p: PainReportRow) -> dict[str, Any]:
    return {
        "taken_at": _iso(p.taken_at),
        "score": p.score,
        "context": p.context,
        "exercise": p.exercise_id,
        "location": p.location,
        "action": p.action,
        "session_id": p.session_id,
        "red_flag": p.red_flag,
    }


def delete_all_data(s: Session, person_id: int) -> None:
    """Remove the person and every row about them. A fresh, empty person appears on next use."""
    repo.delete_person(s, person_id)
