"""What a clinician sees of one of their patients (part 1: the plan and the last session; part 2 adds
alerts, adherence and prescriptions)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from upright.store import repositories as repo
from upright.store.tables import SessionRow

__all__ = ["last_activity"]


def last_activity(s: Session, person_id: int | None) -> tuple[str | None, datetime | None]:
    """(the active plan's title, when the last session started); Nones for a patient not enrolled."""
    if person_id is None:
        return None, None
    plan = repo.active_plan(s, person_id)
    last = s.scalar(select(func.max(SessionRow.started_at)).where(SessionRow.person_id == person_id))
    return (plan.title if plan else None), last
