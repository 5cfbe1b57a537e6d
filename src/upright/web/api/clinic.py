"""Clinic mode, for clinicians: GET /api/clinic/patients (their own patients only) and
GET /api/clinic/patients/{patient_id}. Part 2 adds alerts, adherence and prescriptions."""

from __future__ import annotations

from fastapi import APIRouter

from upright.documents.clinic import OpenAlertOut, PatientDetailOut, PatientOut
from upright.services import audit
from upright.services.clinic import last_activity
from upright.services.clinic_panel import panel
from upright.web.accounts_deps import CaredPatientDep, ClinicianDep
from upright.web.openapi import ERROR_RESPONSES
from upright.web.patient_deps import DbDep, NowDep

__all__ = ["router"]

router = APIRouter(prefix="/api/clinic", tags=["clinic"], responses=ERROR_RESPONSES)


@router.get("/patients", response_model=list[PatientOut], summary="My patients, most need first")
def my_patients(clinician: ClinicianDep, db: DbDep, now: NowDep) -> list[PatientOut]:
    rows = panel(db, clinician.id, now=now)
    audit.record(
        db, actor=clinician, action="read", what="GET /api/clinic/patients (panel)", patient_id=None, now=now
    )
    db.commit()  # the too-little-exercise alerts the panel stored, and the audit row
    return [
        PatientOut(
            id=p.user_id,
            email=p.email,
            name=p.name,
            is_enrolled=p.is_enrolled,
            is_disabled=p.is_disabled,
            alerts=[OpenAlertOut(id=a.id, kind=a.kind, reason=a.reason, at=a.at) for a in p.alerts],
            adherence=p.adherence,
            last_session_at=p.last_session,
            pain=list(p.pains),
        )
        for p in rows
    ]


@router.get("/patients/{patient_id}", response_model=PatientDetailOut, summary="One of my patients")
def one_patient(patient: CaredPatientDep, db: DbDep) -> PatientDetailOut:
    from upright.services.accounts import get_user

    row = get_user(db, patient.id)
    plan_title, last_session = last_activity(db, patient.person_id)
    return PatientDetailOut(
        id=row.id,
        email=row.email,
        name=row.name,
        is_enrolled=row.password_hash is not None,
        is_disabled=row.is_disabled,
        plan_title=plan_title,
        last_session_at=last_session.isoformat() if last_session else None,
    )
