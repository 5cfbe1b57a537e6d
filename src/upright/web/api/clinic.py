"""Clinic mode, for clinicians: GET /api/clinic/patients (their own patients only) and
GET /api/clinic/patients/{patient_id}. Part 2 adds alerts, adherence and prescriptions."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from upright.services.accounts import list_patients_of
from upright.services.clinic import last_activity
from upright.web.accounts_deps import CaredPatientDep, ClinicianDep
from upright.web.openapi import ERROR_RESPONSES
from upright.web.patient_deps import DbDep

__all__ = ["router"]

router = APIRouter(prefix="/api/clinic", tags=["clinic"], responses=ERROR_RESPONSES)


class PatientOut(BaseModel):
    id: int
    email: str
    name: str
    is_enrolled: bool  # has set a password
    is_disabled: bool


class PatientDetailOut(PatientOut):
    plan_title: str | None
    last_session_at: str | None


@router.get("/patients", response_model=list[PatientOut], summary="My patients")
def my_patients(clinician: ClinicianDep, db: DbDep) -> list[PatientOut]:
    return [
        PatientOut(
            id=p.id,
            email=p.email,
            name=p.name,
            is_enrolled=p.password_hash is not None,
            is_disabled=p.is_disabled,
        )
        for p in list_patients_of(db, clinician.id)
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
