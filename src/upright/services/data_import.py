"""Bring a person's own export (any version, docs/EXPORT.md) back into Upright: the new-computer path.

All or nothing: every field is checked before a row is written, and the caller's one transaction
holds every row. Only into an empty history: the same file a second time finds its own data already
there and stores nothing; a file that differs from what is stored is refused (nothing is merged).

A clinic patient's records (prescriptions, clearances, their clinicians' alerts) come back as
history, under the clinicians' names as the file gives them; no clinician account is made. The
prescribed plan plays as before ("Set by ..."). An imported clearance stops nothing (no clinician here
can lift it), so when the file's newest one is a hold or a start day to come, the import says so."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from upright.documents.export import ExportDoc, SessionV, canonical, parse_export
from upright.domain.clearance import Clearance, clearance_stop
from upright.errors import Conflict
from upright.services.my_data import export_all_data
from upright.store import clinic_care
from upright.store import repositories as repo
from upright.store.breaks import BreakEventRow, save_break_settings
from upright.store.tables import PainReportRow, PlanRow, ScreeningRow, SessionItemRow, SessionRow

__all__ = ["ImportReport", "import_data"]

OLD_FORMAT_NOTE = (
    "This file comes from an older Upright that did not save warning signs given with a pain score. "
    "Please answer the safety questions again before your next session."
)


@dataclass(frozen=True)
class ImportReport:
    """What the import stored (`is_new` False: the same data was there already, nothing stored)."""

    is_new: bool
    counts: dict[str, int]
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        c = self.counts
        what = (f"{c['sessions']} sessions, {c['pain_reports']} pain scores, {c['screenings']} screenings, "
                f"{c['plans']} plans, {c['break_events']} break events")  # fmt: skip
        clinic = [f"{c[k]} {label}" for k, label in CLINIC_WORDS.items() if c.get(k)]
        if clinic:
            what += ", " + ", ".join(clinic)
        if not self.is_new:
            return f"Your data was already here ({what}). Nothing was added."
        return f"Brought in {what}."


# Said only when the file has them (a clinic patient's). Alerts are kept too, unnamed: every install
# stores them, and in personal mode no clinician reads them.
CLINIC_WORDS = {
    "prescriptions": "plan versions from your doctor or therapist",
    "clearances": "start or hold notes from them",
}


def _counts(doc: ExportDoc) -> dict[str, int]:
    return {"screenings": len(doc.screenings), "plans": len(doc.plans), "sessions": len(doc.sessions),
            "pain_reports": len(doc.pain_reports), "break_events": len(doc.breaks.events),
            "prescriptions": len(doc.clinic.prescriptions), "clearances": len(doc.clinic.clearances),
            "clinic_alerts": len(doc.clinic.alerts)}  # fmt: skip


def clearance_note(doc: ExportDoc, *, today: date) -> str | None:
    """What the file's newest clearance asks, in the words the player would say (domain.clearance),
    for the person to act on: here it stops nothing."""
    newest = max(doc.clinic.clearances, key=lambda c: c.created_at, default=None)
    if newest is None:
        return None
    stop = clearance_stop(Clearance(newest.kind, newest.start_on, newest.author, newest.note), today=today)
    return f"From your file: {stop}" if stop is not None else None


def _stored(s: Session, person_id: int, *, now: datetime) -> ExportDoc:
    return parse_export(export_all_data(s, person_id, now=now))


def _write(s: Session, person_id: int, doc: ExportDoc) -> None:
    if doc.profile is not None:
        values = doc.profile.model_dump(exclude={"updated_at"})
        assert doc.profile.updated_at is not None  # filled by parse_export
        repo.save_profile(s, person_id, now=doc.profile.updated_at, **values)
    repo.add_rows(s, [
        ScreeningRow(person_id=person_id, taken_at=x.taken_at, answers=x.answers, outcome=x.outcome,
                     reasons=x.reasons, blocks_sessions=bool(x.blocks_sessions), details=x.details.model_dump(mode="json", exclude_unset=True))
        for x in doc.screenings
    ])  # fmt: skip
    plans = {
        p.id: PlanRow(person_id=person_id, created_at=p.created_at, source=p.source, template_id=p.template_id,
                      title=p.title, body=p.plan.model_dump(mode="json"), is_active=p.is_active)
        for p in sorted(doc.plans, key=lambda p: p.id)
    }  # fmt: skip
    repo.add_rows(s, list(plans.values()))
    sessions = {x.id: _session_row(person_id, x, plans) for x in doc.sessions}
    repo.add_rows(s, list(sessions.values()))
    repo.add_rows(s, [
        PainReportRow(person_id=person_id, taken_at=p.taken_at, score=p.score, context=p.context,
                      exercise_id=p.exercise, location=p.location, action=p.action, red_flag=bool(p.red_flag),
                      session_id=sessions[p.session_id].id if p.session_id is not None else None)
        for p in doc.pain_reports
    ])  # fmt: skip
    bs = doc.breaks.settings
    if bs is not None:
        save_break_settings(
            s, person_id, now=bs.updated_at, every_minutes=bs.every, start=bs.start, end=bs.end, days=bs.days,
            days_off=bs.days_off, postpone_minutes=bs.postpone_minutes, max_postpones=bs.max_postpones,
            natural_minutes=bs.natural_minutes, at_hand=bs.at_hand, timezone=bs.timezone,
            reminders_on=bool(bs.reminders_on),
        )  # fmt: skip
    repo.add_rows(s, [
        BreakEventRow(person_id=person_id, kind=e.kind, at=e.at, until=e.until, exercises=e.exercises,
                      idle_seconds=e.idle_seconds, client=e.client, client_id=e.client_id)
        for e in doc.breaks.events
    ])  # fmt: skip
    _write_clinic(s, person_id, doc, plans)


def _write_clinic(s: Session, person_id: int, doc: ExportDoc, plans: dict[int, PlanRow]) -> None:
    """History only: no author account (author_id None), alerts under keys no live event uses."""
    c = doc.clinic
    repo.add_rows(s, [
        clinic_care.PrescriptionRow(
            person_id=person_id, version=x.version, created_at=x.created_at, author_id=None, author_name=x.author,
            start_on=x.start_on, per_week=x.per_week, body=x.body.model_dump(mode="json"), summary=x.summary, changes=x.changes,
            plan_id=plans[x.plan_id].id if x.plan_id is not None else None)
        for x in sorted(c.prescriptions, key=lambda x: x.version)
    ])  # fmt: skip
    repo.add_rows(s, [
        clinic_care.ClearanceRow(person_id=person_id, created_at=x.created_at, author_id=None, author_name=x.author,
                                 kind=x.kind, start_on=x.start_on, note=x.note)
        for x in c.clearances
    ])  # fmt: skip
    repo.add_rows(s, [
        clinic_care.ClinicAlertRow(person_id=person_id, kind=x.kind, reason=x.reason, at=x.at, key=f"import:{n}",
                                   created_at=x.created_at, seen_at=x.seen_at, seen_by=None, seen_by_name=x.seen_by,
                                   note=x.note)
        for n, x in enumerate(c.alerts)
    ])  # fmt: skip


def _session_row(person_id: int, x: SessionV, plans: dict[int, PlanRow]) -> SessionRow:
    assert x.received_at is not None and x.content_hash is not None  # filled by parse_export
    row = SessionRow(
        person_id=person_id, client_id=x.client_id, content_hash=x.content_hash,
        plan_id=plans[x.plan_id].id if x.plan_id is not None else None, program=x.program, player=x.player,
        started_at=x.started_at, ended_at=x.ended_at, received_at=x.received_at, outcome=x.outcome,
        end_pain=x.end_pain, feeling=x.feeling, planned_seconds=x.planned_seconds,
        active_seconds=x.active_seconds,
    )  # fmt: skip
    row.items = [
        SessionItemRow(position=n, exercise_id=i.exercise, status=i.status, target_sets=i.target_sets,
                       target_reps=i.target_reps, target_hold_seconds=i.target_hold_seconds,
                       each_side=i.each_side, sets_done=i.sets_done, reps_done=i.reps_done,
                       holds_done=i.holds_done)
        for n, i in enumerate(x.items)
    ]  # fmt: skip
    return row


def import_data(s: Session, person_id: int, data: Any, *, now: datetime) -> ImportReport:
    """Store the export `data` (parsed JSON) as this person's history. The caller commits.

    Raises InvalidInput naming the broken field, or Conflict when other history is stored already."""
    was_v1 = isinstance(data, dict) and data.get("version") == 1
    doc = parse_export(data)
    counts = _counts(doc)
    stored = repo.history_counts(s, person_id)
    if any(stored.values()):
        if canonical(_stored(s, person_id, now=now)) == canonical(doc):
            return ImportReport(is_new=False, counts=counts)
        raise Conflict(
            f"Upright already holds other history here ({stored['sessions']} sessions, "
            f"{stored['pain_reports']} pain scores). Bringing in data only goes into an empty Upright, "
            "so nothing was changed. To replace it, delete your data in Settings first."
        )
    _write(s, person_id, doc)
    notes = [OLD_FORMAT_NOTE] if was_v1 and doc.pain_reports else []
    held = clearance_note(doc, today=now.date())
    if held is not None:
        notes.append(held)
    return ImportReport(is_new=True, counts=counts, notes=notes)
