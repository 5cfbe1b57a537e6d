"""Demo data for clinic care (`upright demo`): each made-up patient gets a prescription from their
clinician, a clearance, and the alerts their recent sessions raise (stored as they would be when the
data arrives), with some marked seen with a note. A filler of services.demo.EXTRA_FILLERS."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from upright.catalog import Catalog
from upright.documents.clinic import ClearanceIn, SeenIn
from upright.documents.prescription import PrescriptionIn
from upright.services.accounts import get_user
from upright.services.clearance import set_clearance
from upright.services.clinic_alerts import mark_seen, note_pain, note_session
from upright.services.plans import active_plan
from upright.services.prescriptions import prescribe
from upright.store import clinic_care as store
from upright.store.tables import PainReportRow, SessionRow

__all__ = ["fill_care"]

RECENT_SESSIONS = 3  # alerts come from the last few sessions (older ones would be long seen)


def fill_care(s: Session, patients: Sequence[Any], *, weeks: int, now: datetime, rng: random.Random,
              catalog: Catalog) -> None:  # fmt: skip
    names: dict[int, str] = {}
    for p in patients:
        name = names.setdefault(p.clinician_id, get_user(s, p.clinician_id).name)
        plan = active_plan(s, p.person_id)
        if plan is None:
            continue
        items = [{"exercise": i["exercise"]} for i in plan.items][:6]
        set_clearance(s, p.person_id, ClearanceIn(kind="cleared", start_on=p.start.date()), author_id=p.clinician_id,
                      author_name=name, now=p.start)  # fmt: skip
        data = PrescriptionIn(items=items, per_week=rng.choice((2, 3, 4)), start=p.start.date(), weeks=max(1, min(weeks, 52)),
                              note="Demo prescription: go slowly, stop if it hurts.")  # fmt: skip
        prescribe(
            s, p.person_id, data, author_id=p.clinician_id, author_name=name, catalog=catalog, now=p.start
        )
        recent = s.scalars(
            select(SessionRow.id).where(SessionRow.person_id == p.person_id)
            .order_by(SessionRow.started_at.desc()).limit(RECENT_SESSIONS)
        ).all()  # fmt: skip
        for session_id in reversed(recent):
            note_session(s, p.person_id, session_id, now=now, words=catalog.vocabulary)
        if rng.random() < 0.1:  # a bad day now and then
            at = now - timedelta(hours=rng.randint(1, 96))
            row = PainReportRow(person_id=p.person_id, taken_at=at, score=rng.randint(7, 9), context="check-in",
                                location="upper-back", red_flag=False)  # fmt: skip
            s.add(row)
            s.flush()
            note_pain(s, p.person_id, [row], now=now, words=catalog.vocabulary)
        for alert in store.list_alerts(s, p.person_id):
            if rng.random() < 0.5:
                mark_seen(
                    s,
                    alert.id,
                    SeenIn(note="Demo: called, all fine."),
                    by_id=p.clinician_id,
                    by_name=name,
                    now=now,
                )
