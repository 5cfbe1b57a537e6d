"""Clinic mode, for clinicians: the panel (/clinic, most need first, search and filter), a patient's
page (alerts with "seen" and a note, pain chart, sessions against the prescription, screenings,
breaks, prescription history, clearance), the prescription builder, and the patient's handout.

Forms post and redirect (303); a refused value shows the form again with the field named (422)."""

from __future__ import annotations

import base64
from datetime import date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from upright.documents.clinic import ClearanceIn, SeenIn
from upright.documents.prescription import PrescriptionIn
from upright.domain.planning import make_plan
from upright.domain.prescription import exclusions_for
from upright.errors import Conflict, InvalidInput, NotFound
from upright.exports.handout import load_handout
from upright.services import audit
from upright.services.accounts import is_linked
from upright.services.clearance import clearance_of, set_clearance
from upright.services.clinic_alerts import alerts_of, mark_seen, patient_of_alert
from upright.services.clinic_panel import panel, person_for_care
from upright.services.overview import ProgressView, pain_points
from upright.services.people import get_profile
from upright.services.plans import active_plan, plan_inputs_of
from upright.services.prescriptions import list_prescriptions, prescribe
from upright.services.session_results import result_out
from upright.store import repositories as repo
from upright.store.breaks import break_events_since
from upright.web.accounts_deps import CaredPatient, CaredPatientDep, ClinicianDep
from upright.web.charts import chart_legend, pain_chart, sparkline, trend_words
from upright.web.deps import CatalogDep
from upright.web.forms import FormDep, first, see_other, to_int
from upright.web.patient_deps import DbDep, LocalTz, NowDep
from upright.web.templating import templates

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

KIND_WORDS = {
    "red-flag": "Warning sign",
    "hold-session": "Session during a hold",
    "severe-pain": "Severe pain",
    "stopped-for-pain": "Stopped for pain",
    "pain-rising": "Pain rising",
    "new-location": "New pain place",
    "no-improvement": "No improvement",
    "low-adherence": "Low adherence",
    "no-session": "No session",
}
SESSIONS_PER_PAGE = 20  # on a patient's page
FILTERS = {"all": "Everyone", "alerts": "With open alerts", "low-adherence": "Under half their sessions"}


def _person(db: Session, patient: CaredPatient, now: datetime) -> int:
    return person_for_care(db, patient.id, patient.person_id, now=now)


@router.get("/clinic", response_class=HTMLResponse)
def panel_page(
    request: Request, clinician: ClinicianDep, db: DbDep, now: NowDep, tz: LocalTz,
    q: str = Query("", max_length=120), show: str = Query("all", max_length=20),
) -> Response:  # fmt: skip
    rows = panel(db, clinician.id, now=now)
    audit.record(db, actor=clinician, action="read", what="GET /clinic (panel)", patient_id=None, now=now)
    db.commit()
    total = len(rows)
    needle = q.strip().lower()
    if needle:
        rows = [r for r in rows if needle in r.name.lower() or needle in r.email.lower()]
    if show == "alerts":
        rows = [r for r in rows if r.alerts]
    elif show == "low-adherence":
        rows = [r for r in rows if r.adherence is not None and r.adherence < 0.5]
    return templates.TemplateResponse(
        request,
        "clinic/panel.html",
        {"title": "Patients", "rows": rows, "total": total, "q": q, "show": show if show in FILTERS else "all",
         "filters": FILTERS, "kind_words": KIND_WORDS, "tz": tz, "sparkline": sparkline, "trend_words": trend_words},
    )  # fmt: skip


def _breaks_week(db: DbDep, person_id: int, now: datetime) -> dict[str, int]:
    counts = {"taken": 0, "natural": 0, "skipped": 0, "postponed": 0, "prompted": 0}
    for e in break_events_since(db, person_id, now - timedelta(days=7)):
        if e.kind in counts:
            counts[e.kind] += 1
    return counts


def _patient_page(
    request: Request, patient: CaredPatient, db: DbDep, catalog: CatalogDep, now: NowDep, tz: LocalTz, *,
    error: str | None = None, field: str = "", status: int = 200, page: int = 1,
) -> Response:  # fmt: skip
    pid = _person(db, patient, now)
    names = {ex.id: ex.name for ex in catalog.exercises.values()}
    # One page of sessions, newest first (a year of them is hundreds); one more row says an older page exists.
    shown = repo.list_sessions(db, pid, limit=SESSIONS_PER_PAGE + 1, offset=(page - 1) * SESSIONS_PER_PAGE)
    view = ProgressView(
        profile=get_profile(db, pid), adherence=None, pain=pain_points(repo.pain_rows(db, pid), tz), alerts=[],
        sessions=[result_out(r) for r in shown[:SESSIONS_PER_PAGE]], names=names,
    )  # fmt: skip
    versions = list_prescriptions(db, pid)
    current = versions[0] if versions else None
    done_7d = len(repo.session_start_times(db, pid, since=now - timedelta(days=7)))
    context: dict[str, Any] = {
        "title": f"Patient {patient.name}",
        "patient": patient,
        "alerts": alerts_of(db, pid),
        "kind_words": KIND_WORDS,
        "v": view,
        "chart": pain_chart(view.pain),
        "legend": chart_legend(catalog.vocabulary.pain_contexts),
        "versions": versions,
        "current": current,
        "done_7d": done_7d,
        "clearance": clearance_of(db, pid),
        "screenings": repo.recent_screenings(db, pid, limit=10),
        "breaks": _breaks_week(db, pid, now),
        "plan": active_plan(db, pid),
        "today": now.astimezone(tz).date(),
        "tz": tz,
        "page": page,
        "older": len(shown) > SESSIONS_PER_PAGE,
        "error": error,
        "field": field,
    }
    db.commit()
    return templates.TemplateResponse(request, "clinic/patient.html", context, status_code=status)


@router.get("/clinic/patients/{patient_id}", response_class=HTMLResponse)
def patient_page(
    request: Request, patient: CaredPatientDep, db: DbDep, catalog: CatalogDep, now: NowDep, tz: LocalTz,
    page: int = Query(1, ge=1, le=100_000, description="Page of sessions, newest first"),
) -> Response:  # fmt: skip
    return _patient_page(request, patient, db, catalog, now, tz, page=page)


@router.post("/clinic/alerts/{alert_id}/seen")
def alert_seen_form(
    alert_id: int, form: FormDep, clinician: ClinicianDep, db: DbDep, now: NowDep
) -> Response:
    patient_id = patient_of_alert(db, alert_id) if 1 <= alert_id <= 2**31 - 1 else None
    if patient_id is None or not is_linked(db, clinician_id=clinician.id, patient_id=patient_id):
        raise NotFound("alert", str(alert_id))
    note = first(form, "note")[:1000]
    mark_seen(
        db,
        alert_id,
        SeenIn(note=note),
        by_id=clinician.id,
        by_name=clinician.name or clinician.email,
        now=now,
    )
    audit.record(db, actor=clinician, action="write", what="POST /clinic/alerts/{alert_id}/seen",
                 patient_id=patient_id, now=now)  # fmt: skip
    db.commit()
    return see_other(f"/clinic/patients/{patient_id}#alert-{alert_id}")


@router.post("/clinic/patients/{patient_id}/clearance")
def clearance_form(
    request: Request, form: FormDep, patient: CaredPatientDep, clinician: ClinicianDep, db: DbDep,
    catalog: CatalogDep, now: NowDep, tz: LocalTz,
) -> Response:  # fmt: skip
    kind = first(form, "kind")
    raw_day = first(form, "start_on")
    try:
        day = date.fromisoformat(raw_day) if raw_day and kind == "cleared" else None
        data = ClearanceIn(kind=kind, start_on=day, note=first(form, "note")[:500])
        set_clearance(db, _person(db, patient, now), data, author_id=clinician.id,
                      author_name=clinician.name or clinician.email, now=now)  # fmt: skip
    except ValueError:
        db.rollback()
        return _patient_page(request, patient, db, catalog, now, tz, status=422, field="kind",
                             error="Choose cleared (with a start day) or hold.")  # fmt: skip
    except InvalidInput as exc:
        db.rollback()
        return _patient_page(
            request, patient, db, catalog, now, tz, status=422, field=exc.field, error=exc.message
        )
    db.commit()
    return see_other(f"/clinic/patients/{patient.id}#clearance")


# ---- the prescription builder ----------------------------------------------------------------------


def _start_rows(db: DbDep, pid: int, catalog: CatalogDep, start_from: str) -> dict[str, dict[str, Any]]:
    """Exercise id -> the numbers to fill in, from the current plan, a handout program or the engine."""
    if start_from == "current":
        plan = active_plan(db, pid)
        if plan is None:
            return {}
        shared = (plan.body.get("prescribed") or {}).get("times_per_day")  # saved before items had their own
        return {
            i["exercise"]: {**i["dose"], "times_per_day": i.get("times_per_day", shared)} for i in plan.items
        }
    template = start_from if start_from in catalog.templates else None
    made = make_plan(catalog, plan_inputs_of(db, pid, template))
    return {
        it.exercise.id: {
            "hold_seconds": it.dose.hold_seconds,
            "reps": it.dose.reps,
            "sets": it.dose.sets,
            "handout": it.dose.handout,
        }
        for it in made.items
    }


def _builder(
    request: Request, patient: CaredPatient, db: DbDep, catalog: CatalogDep, now: NowDep, tz: LocalTz, *,
    start_from: str = "current", values: dict[str, list[str]] | None = None, error: str | None = None,
    field: str = "", status: int = 200,
) -> Response:  # fmt: skip
    pid = _person(db, patient, now)
    conditions = get_profile(db, pid).conditions
    excluded = {x.exercise: x for x in exclusions_for(catalog, conditions)}
    chosen = _start_rows(db, pid, catalog, start_from) if values is None else {}
    versions = list_prescriptions(db, pid)
    db.commit()
    current = versions[0] if versions else None
    return templates.TemplateResponse(
        request,
        "clinic/prescribe.html",
        {
            "title": f"Prescribe for {patient.name}",
            "patient": patient,
            "exercises": sorted(catalog.exercises.values(), key=lambda e: e.name),
            "excluded": excluded,
            "chosen": chosen,
            "values": values,
            "programs": sorted(catalog.templates.values(), key=lambda t: t.title),
            "start_from": start_from,
            "current": current,
            "today": now.astimezone(tz).date(),
            "error": error,
            "field": field,
        },
        status_code=status,
    )


@router.get("/clinic/patients/{patient_id}/prescribe", response_class=HTMLResponse)
def builder_page(
    request: Request, patient: CaredPatientDep, db: DbDep, catalog: CatalogDep, now: NowDep, tz: LocalTz,
    start_from: str = Query("current", alias="from", max_length=60),
) -> Response:  # fmt: skip
    return _builder(request, patient, db, catalog, now, tz, start_from=start_from)


def _prescription_from_form(form: dict[str, list[str]]) -> PrescriptionIn:
    items = []
    for ex in form.get("ex", []):
        item: dict[str, Any] = {"exercise": ex}
        for key in ("hold_seconds", "reps", "sets", "times_per_day"):
            text = first(form, f"{key}.{ex}")
            if text:
                number = to_int(text)
                if number is None:
                    raise InvalidInput(
                        f"{key}.{ex}", "give a whole number, or leave it empty for the handout's"
                    )
                item[key] = number
        why = first(form, f"why.{ex}").strip()
        if why:
            item["override_reason"] = why[:300]
        items.append(item)
    body: dict[str, Any] = {
        "items": items,
        "per_week": to_int(first(form, "per_week")) or 0,
        "weeks": to_int(first(form, "weeks")) or 0,
        "note": first(form, "note")[:500],
    }
    try:
        body["start"] = date.fromisoformat(first(form, "start"))
    except ValueError:
        raise InvalidInput("start", "give the first day as a date") from None
    if first(form, "breaks_on"):
        body["breaks"] = {
            "start": first(form, "breaks_start"), "end": first(form, "breaks_end"),
            "every_minutes": to_int(first(form, "breaks_every")) or 0, "exercises": form.get("brk", []),
        }  # fmt: skip
    try:
        return PrescriptionIn.model_validate(body)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InvalidInput(".".join(str(p) for p in err["loc"]), err["msg"]) from None


@router.post("/clinic/patients/{patient_id}/prescriptions")
def prescribe_form(
    request: Request, form: FormDep, patient: CaredPatientDep, clinician: ClinicianDep, db: DbDep,
    catalog: CatalogDep, now: NowDep, tz: LocalTz,
) -> Response:  # fmt: skip
    try:
        data = _prescription_from_form(form)
        prescribe(db, _person(db, patient, now), data, author_id=clinician.id, author_name=clinician.name or clinician.email,
                  catalog=catalog, now=now)  # fmt: skip
    except (InvalidInput, Conflict) as exc:
        db.rollback()
        message = exc.message if isinstance(exc, InvalidInput) else str(exc)
        field = exc.field if isinstance(exc, InvalidInput) else ""
        return _builder(
            request, patient, db, catalog, now, tz, values=form, error=message, field=field, status=422
        )
    db.commit()
    return see_other(f"/clinic/patients/{patient.id}#prescription")


def _svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@router.get("/clinic/patients/{patient_id}/handout", response_class=HTMLResponse)
def handout_page(
    request: Request, patient: CaredPatientDep, db: DbDep, catalog: CatalogDep, now: NowDep, tz: LocalTz
) -> Response:
    plan = active_plan(db, _person(db, patient, now))
    if plan is None:
        raise Conflict("This patient has no program yet. Prescribe one first, then print it.")
    body = {**plan.body, "title": plan.title}
    db.commit()
    handout = load_handout(body, catalog, on=now.astimezone(tz).date())
    return templates.TemplateResponse(
        request,
        "handout_print.html",
        {"title": "Handout", "h": handout, "L": handout.labels, "pdf_url": None,
         "svg_uri": _svg_data_uri},
    )  # fmt: skip
