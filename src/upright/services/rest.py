"""Is exercise advised for this person now? Gathers today's facts and asks domain.rest_day.

"Today" is the person's own day in `tz`: a severe pain score at 23:00 keeps the breaks quiet until
midnight, not for 24 hours."""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo

from sqlalchemy.orm import Session

from upright.domain.rest_day import RestAdvice, rest_advice
from upright.services.screenings import latest_screening_result
from upright.store import repositories as repo

__all__ = ["rest_advice_now"]


def rest_advice_now(s: Session, person_id: int, *, now: datetime, tz: tzinfo) -> RestAdvice | None:
    local = now.astimezone(tz)
    start = datetime.combine(local.date(), time(0), tzinfo=tz)
    end = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=tz)
    screening = latest_screening_result(s, person_id)
    return rest_advice(
        is_safety_stop=screening is not None and screening.blocks,
        pain_scores_today=repo.pain_scores_between(s, person_id, start, min(end, now + timedelta(seconds=1))),
        stopped_for_pain_today=repo.stopped_for_pain_between(s, person_id, start, end),
    )
