"""Clinic mode, for clinicians: add a patient, pick a handout program for them, and print it with a
one-time enrolment code and its QR code (drawn here with segno; no outside service). Printing again
makes a new code. The panel (/clinic) is part 2's."""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from upright.errors import Conflict, InvalidInput
from upright.exports.handout import load_handout
from upright.services import audit
from upright.services.accounts import list_patients_of
from upright.services.enrolment import ENROLMENT_DAYS, add_patient_with_program, new_enrolment_code
from upright.services.plans import active_plan
from upright.services.safety_words import emergency_number
from upright.web.accounts_deps import CaredPatientDep, ClinicianDep
from upright.web.deps import CatalogDep, public_origin
from upright.web.patient_deps import DbDep, LocalTz, NowDep
from upright.web.templating import templates

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _enrol_url(request: Request) -> str:
    base = request.app.state.settings.public_url.rstrip("/") or public_origin(request)
    return f"{base}/enrol"


def _qr_data_uri(text: str) -> str:
    import segno  # only this page needs it

    return str(segno.make(text, error="m").svg_data_uri(scale=4, border=2))


def _new_form(
    request: Request, catalog: CatalogDep, db: DbDep, clinician_id: int, *, values: dict[str, str] | None = None,
    error: str | None = None, field: str = "", status: int = 200,
) -> Response:  # fmt: skip
    programs = sorted(catalog.templates.values(), key=lambda t: t.title)
    waiting = [p for p in list_patients_of(db, clinician_id) if p.password_hash is None and not p.is_disabled]
    return templates.TemplateResponse(
        request,
        "clinic/new_patient.html",
        {
            "title": "Add a patient",
            "programs": programs,
            "values": values or {},
            "waiting": waiting,
            "error": error,
            "field": field,
        },
        status_code=status,
    )


@router.get("/clinic/patients/new", response_class=HTMLResponse)
def new_patient_page(request: Request, clinician: ClinicianDep, catalog: CatalogDep, db: DbDep) -> Response:
    return _new_form(request, catalog, db, clinician.id)


def _sheet(
    request: Request, catalog: CatalogDep, *, program_id: str, code: str, patient_name: str,
    now: NowDep, tz: LocalTz,
) -> Response:  # fmt: skip
    handout = load_handout(
        program_id, catalog, on=now.astimezone(tz).date(), emergency_number=emergency_number()
    )
    url = _enrol_url(request)
    return templates.TemplateResponse(
        request,
        "clinic/enrolment_sheet.html",
        {
            "title": handout.title,
            "h": handout,
            "L": handout.labels,
            "papers": {},
            "pdf_url": "",
            "svg_uri": _svg_data_uri,
            "code": code,
            "patient_name": patient_name,
            "enrol_url": url,
            "qr_uri": _qr_data_uri(f"{url}?code={code}"),
            "days": ENROLMENT_DAYS,
        },
    )


@router.post("/clinic/patients/new", response_class=HTMLResponse)
def add_patient(
    request: Request,
    clinician: ClinicianDep,
    db: DbDep,
    catalog: CatalogDep,
    now: NowDep,
    tz: LocalTz,
    email: Annotated[str, Form(max_length=254)] = "",
    name: Annotated[str, Form(max_length=120)] = "",
    program: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    values = {"email": email, "name": name, "program": program}
    try:
        patient, code = add_patient_with_program(
            db,
            clinician_id=clinician.id,
            email=email,
            name=name,
            program_id=program,
            catalog=catalog,
            now=now,
        )
    except InvalidInput as exc:
        db.rollback()
        return _new_form(request, catalog, db, clinician.id, values=values, error=exc.message, field=exc.field,
                         status=422)  # fmt: skip
    except Conflict as exc:
        db.rollback()
        return _new_form(request, catalog, db, clinician.id, values=values, error=str(exc), field="email",
                         status=409)  # fmt: skip
    audit.record(db, actor=clinician, action="write", what="add patient with a handout program",
                 patient_id=patient.id, now=now)  # fmt: skip
    return _sheet(request, catalog, program_id=program, code=code, patient_name=patient.name, now=now, tz=tz)


@router.post("/clinic/patients/{patient_id}/enrolment", response_class=HTMLResponse)
def print_again(
    request: Request,
    clinician: ClinicianDep,
    patient: CaredPatientDep,
    db: DbDep,
    catalog: CatalogDep,
    now: NowDep,
    tz: LocalTz,
) -> Response:
    """A new code on a fresh printout (the old code stops working), with the patient's current plan."""
    plan = active_plan(db, patient.person_id) if patient.person_id is not None else None
    program_id = plan.template_id if plan is not None and plan.template_id else None
    if program_id is None:
        raise Conflict("This patient has no handout program to print.")
    code = new_enrolment_code(
        db, patient_id=patient.id, program_id=program_id, created_by=clinician.id, now=now
    )
    return _sheet(
        request, catalog, program_id=program_id, code=code, patient_name=patient.name, now=now, tz=tz
    )
