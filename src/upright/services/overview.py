"""What the Today and Progress pages (and /api/me/today, /api/me/progress) show, computed from storage
with the engine's rules (domain.progress). Time and the person's time zone come in as arguments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy.orm import Session

from upright.catalog.vocabulary import Vocabulary
from upright.documents.profile import ProfileOut
from upright.documents.session_result import SessionResultOut
from upright.domain.clearance import clearance_stop, reminders_after_clearance
from upright.domain.progress import SEVERE_PAIN, Adherence, Alert, PainCheckIn, adherence, pain_alerts
from upright.services.checkins import ALERT_CONTEXTS, PainLike, alert_check_ins, current_alerts
from upright.services.clearance import clearance_of
from upright.services.people import get_profile
from upright.services.plans import StoredPlan, active_plan
from upright.services.rest import rest_advice_now
from upright.services.screenings import (
    StoredScreening,
    latest_screening_result,
    needs_rescreen,
    session_reminders_for,
)
from upright.services.session_results import result_out
from upright.store import repositories as repo

__all__ = [
    "PainPoint",
    "ProgressView",
    "TodayView",
    "pain_points",
    "progress_view",
    "streak_days",
    "today_view",
]


@dataclass
class TodayView:
    profile: ProfileOut
    screening: StoredScreening | None
    is_blocked: bool
    needs_screening: bool
    plan: StoredPlan | None
    done_today: int
    week_done: int
    week_target: int
    streak_days: int
    last_pain: tuple[int, datetime] | None
    alerts: list[Alert]
    reminders: tuple[str, ...]
    changes: list[dict[str, Any]] = field(default_factory=list)
    rest_reason: str | None = None  # why no more exercise today (domain.rest_day), or None
    # What `alerts` came from: pain_alerts(alert_inputs, now=later) says whether the clock alone has
    # changed them since (a cached Today page).
    alert_inputs: tuple[PainCheckIn, ...] = ()
    clearance_stop: str | None = None  # a clinician's hold, or their start day still to come

    @property
    def can_start(self) -> bool:
        return (
            not self.is_blocked
            and not self.needs_screening
            and self.plan is not None
            and self.rest_reason is None
            and self.clearance_stop is None
        )

    @property
    def prescribed(self) -> dict[str, Any] | None:
        """Who set the plan, when, and what changed: a clinician's prescription (else None)."""
        if self.plan is None:
            return None
        found = self.plan.body.get("prescribed")
        return dict(found) if isinstance(found, dict) else None


def streak_days(days: set[date], today: date) -> int:
    """Days in a row with a session, ending today (or yesterday, when today has none yet)."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def today_view(s: Session, person_id: int, *, now: datetime, tz: tzinfo, words: Vocabulary) -> TodayView:
    profile = get_profile(s, person_id)
    screening = latest_screening_result(s, person_id)
    plan = active_plan(s, person_id)
    local_now = now.astimezone(tz)
    week_start = local_now.date() - timedelta(days=local_now.weekday())
    since = datetime.combine(week_start - timedelta(days=60), datetime.min.time(), tz)
    started = [t.astimezone(tz).date() for t in repo.session_start_times(s, person_id, since=since)]
    days = set(started)
    last = repo.last_pain_row(s, person_id)
    changes = plan.body.get("changes", [])[-1:] if plan else []
    check_ins = tuple(
        alert_check_ins(repo.key_pain_rows(s, person_id, ALERT_CONTEXTS, during_from=SEVERE_PAIN))
    )
    today = local_now.date()
    clearance = clearance_of(s, person_id)
    return TodayView(
        profile=profile,
        screening=screening,
        is_blocked=screening is not None and screening.blocks,
        needs_screening=screening is None or needs_rescreen(s, person_id, screening),
        plan=plan,
        done_today=sum(1 for d in started if d == local_now.date()),
        week_done=sum(1 for d in started if d >= week_start),
        week_target=profile.sessions_per_week,
        streak_days=streak_days(days, local_now.date()),
        last_pain=(last.score, last.taken_at.astimezone(tz)) if last else None,
        alerts=pain_alerts(check_ins, now=now, words=words),
        reminders=reminders_after_clearance(session_reminders_for(screening), clearance, today=today),
        changes=[c for entry in changes for c in entry.get("changes", []) if c.get("direction") != "same"],
        clearance_stop=clearance_stop(clearance, today=today),
        rest_reason=rest.sentence if (rest := rest_advice_now(s, person_id, now=now, tz=tz)) else None,
        alert_inputs=check_ins,
    )


@dataclass(frozen=True)
class PainPoint:
    at: datetime  # local time
    score: int
    context: str  # check-in, end, during
    location: str | None  # a place id (catalog/vocabulary.py PLACES)


@dataclass
class ProgressView:
    profile: ProfileOut
    adherence: Adherence | None
    pain: list[PainPoint]
    alerts: list[Alert]
    sessions: list[SessionResultOut]
    names: dict[str, str]


def pain_points(reports: Sequence[PainLike], tz: tzinfo) -> list[PainPoint]:
    """Stored pain scores as the chart draws them: local time, the place as its id (words at the edge)."""
    return [PainPoint(r.taken_at.astimezone(tz), r.score, r.context, r.location) for r in reports]


def progress_view(
    s: Session,
    person_id: int,
    *,
    now: datetime,
    tz: tzinfo,
    names: dict[str, str],
    words: Vocabulary,
    history: int = 50,
) -> ProgressView:
    """Adherence since the first plan, pain over time, standing alerts, and recent sessions."""
    profile = get_profile(s, person_id)
    plans = repo.list_plans(s, person_id)
    rows = repo.list_sessions(s, person_id)
    adh = None
    if plans:
        start = min(p.created_at for p in plans).astimezone(tz)
        local_now = now.astimezone(tz)
        times = [r.started_at.astimezone(tz) for r in rows]
        adh = adherence(times, per_week=profile.sessions_per_week, start=start, now=max(local_now, start))
    reports = repo.pain_rows(s, person_id)
    pain = pain_points(reports, tz)
    return ProgressView(
        profile=profile,
        adherence=adh,
        pain=pain,
        alerts=current_alerts(s, person_id, now=now, words=words, reports=reports),
        sessions=[result_out(r) for r in rows[:history]],
        names=names,
    )
