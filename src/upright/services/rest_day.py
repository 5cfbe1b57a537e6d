"""Is exercise advised today? The stored facts for the domain's one rule (domain.rest_day)."""

from __future__ import annotations

from datetime import datetime, time, tzinfo

from sqlalchemy.orm import Session

from upright.domain.rest_day import exercise_not_advised
from upright.errors import SafetyStop
from upright.services.screenings import latest_screening_result
from upright.store import repositories as repo

__all__ = ["require_exercise_advised", "rest_reason"]


def rest_reason(s: Session, person_id: int, *, now: datetime, tz: tzinfo) -> str | None:
    """Why no exercise today (the person's own day, in their time zone), or None."""
    midnight = datetime.combine(now.astimezone(tz).date(), time.min, tz)
    stored = latest_screening_result(s, person_id)
    return exercise_not_advised(
        is_safety_stop=stored is not None and stored.blocks,
        pain_scores_today=repo.pain_scores_since(s, person_id, since=midnight),
        stopped_for_pain_today="stopped_for_pain"
        in repo.session_outcomes_since(s, person_id, since=midnight),
    )


def require_exercise_advised(s: Session, person_id: int, *, now: datetime, tz: tzinfo) -> None:
    """Raise SafetyStop("rest_today") with the reason when no more exercise is advised today."""
    reason = rest_reason(s, person_id, now=now, tz=tz)
    if reason is not None:
        raise SafetyStop("rest_today", [reason])
