"""Clinic mode, for clinicians: prescribe, clear, mark alerts seen, and a patient's FHIR bundle.

    POST /api/clinic/patients/{patient_id}/prescriptions   a new version (201)
    GET  /api/clinic/patients/{patient_id}/prescriptions   every version, newest first
    POST /api/clinic/patients/{patient_id}/clearance       "may start on <date>" or a hold (201)
    GET  /api/clinic/patients/{patient_id}/fhir            the patient's FHIR R4B bundle (CarePlan author:
                                                           the prescribing clinician)
    POST /api/clinic/alerts/{alert_id}/seen                mark seen, with an optional note

The gate (web/clinic_gate.py) lets only a clinician of that patient in and audits each call; an alert
is reached by its own id, so its route checks the link and writes the audit row itself."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response
from sqlalchemy.orm import Session

from upright.documents.clinic import AlertOut, ClearanceIn, ClearanceOut, SeenIn
from upright.documents.prescription import PrescriptionIn, PrescriptionOut
from upright.errors import NotFound
from upright.exports.fhir import FHIR_JSON, person_bundle
from upright.services import audit
from upright.services.accounts import is_linked
from upright.services.clearance import set_clearance
from upright.services.clinic_alerts import mark_seen, patient_of_alert
from upright.services.clinic_panel import person_for_care
from upright.services.fhir_exchange import person_history
from upright.services.prescriptions import list_prescriptions, prescribe
from upright.web.accounts_deps import CaredPatient, CaredPatientDep, ClinicianDep
from upright.web.deps import CatalogDep
from upright.web.openapi import ERROR_RESPONSES
from upright.web.patient_deps import DbDep, NowDep

__all__ = ["router"]

router = APIRouter(prefix="/api/clinic", tags=["clinic"], responses=ERROR_RESPONSES)


def _person(db: Session, patient: CaredPatient, now: datetime) -> int:
    return person_for_care(db, patient.id, patient.person_id, now=now)


@router.post(
    "/patients/{patient_id}/prescriptions",
    response_model=PrescriptionOut,
    status_code=201,
    summary="Prescribe: a new version of the patient's exercises (doses beyond a handout need override_reason)",
)
def new_prescription(
    data: PrescriptionIn, patient: CaredPatientDep, clinician: ClinicianDep, db: DbDep, catalog: CatalogDep,
    now: NowDep,
) -> PrescriptionOut:  # fmt: skip
    out = prescribe(
        db, _person(db, patient, now), data, author_id=clinician.id, author_name=clinician.name or clinician.email,
        catalog=catalog, now=now,
    )  # fmt: skip
    db.commit()
    return out


@router.get(
    "/patients/{patient_id}/prescriptions",
    response_model=list[PrescriptionOut],
    summary="Every version of the patient's prescription, newest first",
)
def prescriptions(patient: CaredPatientDep, db: DbDep, now: NowDep) -> list[PrescriptionOut]:
    return list_prescriptions(db, _person(db, patient, now))


@router.post(
    "/patients/{patient_id}/clearance",
    response_model=ClearanceOut,
    status_code=201,
    summary="Clear the patient to start on a date, or put exercise on hold",
)
def clearance(
    data: ClearanceIn, patient: CaredPatientDep, clinician: ClinicianDep, db: DbDep, now: NowDep
) -> ClearanceOut:
    out = set_clearance(
        db,
        _person(db, patient, now),
        data,
        author_id=clinician.id,
        author_name=clinician.name or clinician.email,
        now=now,
    )
    db.commit()
    return out


@router.get(
    "/patients/{patient_id}/fhir",
    summary="The patient's data as a FHIR R4B Bundle (their CarePlan's author is the prescribing clinician)",
    responses={200: {"content": {FHIR_JSON: {}}}},
)
def fhir(patient: CaredPatientDep, db: DbDep, catalog: CatalogDep, now: NowDep) -> Response:
    data = person_bundle(
        person_history(db, _person(db, patient, now), catalog=catalog), catalog=catalog, now=now
    )
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False),
        media_type=FHIR_JSON,
        headers={
            "Content-Disposition": 'attachment; filename="patient-fhir-bundle.json"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/alerts/{alert_id}/seen", response_model=AlertOut, summary="Mark an alert seen, with a note")
def seen(
    alert_id: Annotated[int, Path(ge=1, le=2**31 - 1)], clinician: ClinicianDep, db: DbDep, now: NowDep,
    data: SeenIn | None = None,
) -> AlertOut:  # fmt: skip
    patient_id = patient_of_alert(db, alert_id)
    if patient_id is None or not is_linked(db, clinician_id=clinician.id, patient_id=patient_id):
        raise NotFound("alert", str(alert_id))  # not yours: as if it did not exist
    out = mark_seen(
        db, alert_id, data or SeenIn(), by_id=clinician.id, by_name=clinician.name or clinician.email, now=now
    )
    audit.record(db, actor=clinician, action="write", what="POST /api/clinic/alerts/{alert_id}/seen",
                 patient_id=patient_id, now=now)  # fmt: skip
    db.commit()
    return out
