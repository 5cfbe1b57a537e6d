"""A clinician prescribes and clears; the patient's plan follows (domain.prescription, domain.clearance).

Saving a prescription checks it (doses against the handouts, the patient's conditions), stores it as
a new version with what changed, and makes it the patient's active plan (`PlanRow.source` is
"prescribed"), so Today, the player, the handout and the terminal play it with no change of their
own. The plan carries `prescribed` (by, on, version, what changed, note), which Today and the player
show as "Set by <name> on <date>". Doses in a prescribed plan do not move by themselves after
sessions (services.progression): the clinician set them.

Work breaks in a prescription become the patient's break settings (hours and gap; reminders stay
the patient's own choice), and the break routine uses only the exercises named for breaks."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from upright.catalog import Catalog
from upright.catalog.vocabulary import Vocabulary
from upright.documents.breaks import BreakSettingsIn
from upright.documents.prescription import PrescriptionIn, PrescriptionOut
from upright.domain.prescription import (
    PrescribedItem,
    Prescription,
    PrescriptionDraft,
    WorkBreaks,
    check_prescription,
    exclusions_for,
    summary,
    times_words,
    what_changed,
)
from upright.domain.script import block_seconds
from upright.errors import Conflict, InvalidInput
from upright.services.breaks import save_break_settings
from upright.services.engine import dose_json
from upright.services.people import get_profile
from upright.store import clinic_care as store
from upright.store import repositories as repo
from upright.store.tables import PersonRow, PlanRow

__all__ = ["list_prescriptions", "prescribe"]


def _draft(data: PrescriptionIn) -> PrescriptionDraft:
    breaks = None
    if data.breaks is not None:
        b = data.breaks
        breaks = WorkBreaks(
            time.fromisoformat(b.start), time.fromisoformat(b.end), b.every_minutes, tuple(b.exercises)
        )
    return PrescriptionDraft(
        items=tuple(
            PrescribedItem(
                exercise=i.exercise,
                handout=i.handout,
                hold_seconds=i.hold_seconds,
                reps=i.reps,
                sets=i.sets,
                variant=i.variant,
                position=i.position,
                override_reason=i.override_reason,
                times_per_day=i.times_per_day,
            )
            for i in data.items
        ),
        per_week=data.per_week,
        times_per_day=data.times_per_day,
        start=data.start,
        weeks=data.weeks,
        note=data.note,
        override_reason=data.override_reason,
        breaks=breaks,
    )


def _items_json(p: Prescription, author: str, words: Vocabulary) -> list[dict[str, Any]]:
    out = []
    for it in p.items:
        reason = p.overrides.get(it.exercise.id)
        times = p.times[it.exercise.id]
        out.append(
            {
                "exercise": it.exercise.id,
                "name": it.exercise.name,
                "position": it.where,
                "dose": dose_json(it.dose, words),
                "reason": f"Set by {author}: {times_words(times)}." + (f" {reason}" if reason else ""),
                "override_reason": reason,
                "times_per_day": times,
                "substitute_for": None,
                "seconds": block_seconds(it),
            }
        )
    return out


def _breaks_json(p: Prescription) -> dict[str, Any] | None:
    if p.breaks is None:
        return None
    b = p.breaks
    return {"start": f"{b.start:%H:%M}", "end": f"{b.end:%H:%M}", "every_minutes": b.every_minutes,
            "exercises": list(b.exercises)}  # fmt: skip


def _out(row: store.PrescriptionRow) -> PrescriptionOut:
    b = row.body
    # A version saved before each item had its own times a day: every item had the prescription's.
    items = [{"times_per_day": b["times_per_day"], **i} for i in b["items"]]
    return PrescriptionOut(
        id=row.id, version=row.version, created_at=row.created_at, author=row.author_name, start=row.start_on,
        per_week=b["per_week"], times_per_day=b["times_per_day"], sessions_per_week=row.per_week, weeks=b["weeks"],
        note=b["note"], items=items, breaks=b.get("breaks"), changes=list(row.changes),
        excluded=b.get("excluded", []),
    )  # fmt: skip


def prescribe(
    s: Session,
    person_id: int,
    data: PrescriptionIn,
    *,
    author_id: int | None,
    author_name: str,
    catalog: Catalog,
    now: datetime,
) -> PrescriptionOut:
    """Check and store a new version, and make it the patient's active plan. Nothing is stored when
    any value is refused (InvalidInput names the field)."""
    s.scalars(
        select(PersonRow.id).where(PersonRow.id == person_id).with_for_update()
    ).first()  # one at a time
    conditions = get_profile(s, person_id).conditions
    p = check_prescription(_draft(data), catalog, conditions)
    previous = store.latest_prescription(s, person_id)
    lines = summary(p, catalog.vocabulary)
    changes = what_changed(previous.summary if previous else None, lines)
    if previous is not None and not changes:
        raise InvalidInput("items", "nothing changed from the current prescription")
    items = _items_json(p, author_name, catalog.vocabulary)
    excluded = [
        {"exercise": x.exercise, "reason": x.reason, "rule": x.rule}
        for x in exclusions_for(catalog, conditions)
    ]
    prescribed = {
        "by": author_name, "on": now.date().isoformat(), "version": (previous.version + 1) if previous else 1,
        "changes": changes, "note": p.note, "per_week": p.per_week, "times_per_day": p.times_per_day,
        "how_often": [f"{it.exercise.name}: {times_words(p.times[it.exercise.id])}" for it in p.items],
        "start": p.start.isoformat(), "weeks": p.weeks,
        "break_exercises": list(p.breaks.exercises) if p.breaks is not None else [],
    }  # fmt: skip
    seconds = sum(i["seconds"] for i in items)
    plan = repo.add_plan(
        s,
        PlanRow(
            person_id=person_id, created_at=now, source="prescribed", template_id=None,
            title=f"Plan from {author_name}"[:120],
            body={"title": f"Plan from {author_name}", "template": None, "items": items, "excluded": excluded,
                  "minutes": round(seconds / 60, 2), "seconds": seconds, "fits": True,
                  "notes": [p.note] if p.note else [], "changes": [], "prescribed": prescribed,
                  "author": {"role": "clinician", "name": author_name}},
        ),
    )  # fmt: skip
    row = store.PrescriptionRow(
        person_id=person_id, version=prescribed["version"], created_at=now, author_id=author_id,
        author_name=author_name[:120], start_on=p.start, per_week=p.sessions_per_week,
        body={"items": items, "per_week": p.per_week, "times_per_day": p.times_per_day, "weeks": p.weeks,
              "note": p.note, "breaks": _breaks_json(p), "excluded": excluded},
        summary=lines, changes=changes, plan_id=plan.id,
    )  # fmt: skip
    try:
        store.add_prescription(s, row)
    except IntegrityError:  # the same version saved at the same moment (SQLite has no row lock)
        s.rollback()
        raise Conflict("Someone else changed this prescription just now. Reload it and try again.") from None
    repo.save_profile(s, person_id, now=now, sessions_per_week=p.sessions_per_week)
    if p.breaks is not None:  # the work day and the gap; turning reminders on stays the patient's choice
        change = BreakSettingsIn(
            every=p.breaks.every_minutes, start=f"{p.breaks.start:%H:%M}", end=f"{p.breaks.end:%H:%M}"
        )
        save_break_settings(s, person_id, change, now=now)
    return _out(row)


def list_prescriptions(s: Session, person_id: int) -> list[PrescriptionOut]:
    """Every version, newest first."""
    return [_out(r) for r in store.list_prescriptions(s, person_id)]
