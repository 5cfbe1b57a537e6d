"""What the Today and Progress pages show, as GET /api/me/today and /api/me/progress answer it."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from upright.documents.plan import DoseChangeDoc
from upright.documents.screening import ScreeningOut
from upright.documents.session_result import SessionResultOut
from upright.documents.types import Stamp
from upright.domain.progress import Adherence, Alert

__all__ = ["AdherenceDoc", "AlertDoc", "PainPointDoc", "ProgressOut", "TodayDoc"]


class AlertDoc(BaseModel):
    """A pain alert: what kind, what to do, and why, in the person's words."""

    kind: str
    action: str
    reason: str

    @classmethod
    def of(cls, a: Alert) -> AlertDoc:
        return cls(kind=a.kind, action=a.action, reason=a.reason)


class PlanSummaryDoc(BaseModel):
    id: int | None
    title: str
    minutes: float


class WeekTargetDoc(BaseModel):
    done: int
    target: int


class LastPainDoc(BaseModel):
    score: int
    at: Stamp


class TodayDoc(BaseModel):
    can_start: bool
    rest_reason: str | None  # why no more exercise today (pain of 7 or more, a pain stop), or null
    needs_screening: bool
    is_blocked: bool
    screening: ScreeningOut | None
    plan: PlanSummaryDoc | None
    done_today: int
    week: WeekTargetDoc
    streak_days: int
    last_pain: LastPainDoc | None
    alerts: list[AlertDoc]
    reminders: list[str]
    dose_changes: list[DoseChangeDoc]  # what the last session changed


class WeekDoneDoc(BaseModel):
    start: date
    done: int
    planned: int
    complete: bool  # the week is over


class AdherenceDoc(BaseModel):
    percent: float | None  # over complete weeks only; null before the first week ends
    weeks: list[WeekDoneDoc]

    @classmethod
    def of(cls, a: Adherence) -> AdherenceDoc:
        return cls(
            percent=a.percent,
            weeks=[
                WeekDoneDoc(start=w.start, done=w.done, planned=w.planned, complete=w.complete)
                for w in a.weeks
            ],
        )


class PainPointDoc(BaseModel):
    at: Stamp
    score: int
    context: str
    location: str | None


class ProgressOut(BaseModel):
    """What the Progress page shows: sessions per week against the plan, pain over time, the alerts
    that stand, and the sessions, newest first."""

    adherence: AdherenceDoc | None
    pain: list[PainPointDoc]
    alerts: list[AlertDoc]
    sessions: list[SessionResultOut]
