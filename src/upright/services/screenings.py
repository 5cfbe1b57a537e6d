"""Screening for one person: ask, apply the rules (domain.screening), store, and gate sessions.

The newest stored screening decides whether a session may start. The gate is here, in the service,
so the web page, the JSON API and the terminal player all refuse the same way."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from upright.catalog import Catalog
from upright.catalog.vocabulary import PLACES
from upright.domain.screening import (
    BLOCKING,
    Finding,
    Question,
    ScreeningAnswers,
    ScreeningResult,
    questionnaire,
    require_can_start,
    session_reminders,
)
from upright.errors import InvalidInput, SafetyStop
from upright.services.engine import screen_answers
from upright.services.fields import Flag, Location, Pain, Slug, SlugList
from upright.services.plans import refit_active_plan
from upright.services.safety_words import emergency_number
from upright.store import repositories as repo
from upright.store.tables import PainReportRow, ScreeningRow

__all__ = [
    "ScreeningIn",
    "ScreeningOut",
    "StoredScreening",
    "latest_screening_result",
    "needs_rescreen",
    "questions",
    "record_screening",
    "require_not_stopped",
    "require_session_allowed",
    "screening_out",
    "session_reminders_for",
]


class ScreeningIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: Annotated[dict[Slug, Flag], Field(max_length=100)] = Field(
        description="Question id -> true (yes) or false (no): every question asked, unless an answer "
        "given already means emergency or seek care now (then that is the result at once)"
    )
    cleared_by_clinician: Flag = False
    conditions: SlugList = Field(default_factory=list, description="Condition ids, e.g. knee-pain")
    pain: Pain | None = Field(None, description="Pain today, 0-10 (stored as a check-in too)")
    places: Annotated[list[Location], Field(max_length=len(PLACES))] = Field(
        default_factory=list, description="Where it hurts: " + ", ".join(PLACES)
    )


class ScreeningOut(BaseModel):
    outcome: str
    advice: str
    reasons: list[str]
    blocks_sessions: bool
    cleared_by_clinician: bool
    conditions: list[str]
    taken_at: datetime


class StoredScreening:
    """A stored screening, rebuilt as the domain's result (its advice names the emergency number)."""

    def __init__(self, row: ScreeningRow) -> None:
        details: dict[str, Any] = row.details or {}
        self.row = row
        self.result = ScreeningResult(
            outcome=row.outcome,  # type: ignore[arg-type]
            findings=tuple(Finding(**f) for f in details.get("findings", [])),
            cleared_by_clinician=bool(details.get("cleared_by_clinician", False)),
            conditions=tuple(details.get("conditions", [])),
            at=row.taken_at,
            emergency_number=emergency_number(),
        )

    @property
    def outcome(self) -> str:
        return self.result.outcome

    @property
    def at(self) -> datetime:
        return self.result.at

    @property
    def blocks(self) -> bool:
        return self.result.outcome in BLOCKING


def questions(catalog: Catalog) -> tuple[Question, ...]:
    return questionnaire(catalog.screening, catalog.conditions)


def screening_out(stored: StoredScreening) -> ScreeningOut:
    r = stored.result
    return ScreeningOut(
        outcome=r.outcome,
        advice=r.advice,
        reasons=list(r.reasons),
        blocks_sessions=stored.blocks,
        cleared_by_clinician=r.cleared_by_clinician,
        conditions=list(r.conditions),
        taken_at=r.at,
    )


def record_screening(
    s: Session, person_id: int, data: ScreeningIn, *, catalog: Catalog, now: datetime
) -> StoredScreening:
    """Apply the rules, store the result, and keep the profile's conditions in step with the answers.
    A pain score given with it is stored as a check-in, so it counts as today's pain everywhere."""
    for i, place in enumerate(data.places):
        if place not in PLACES:
            raise InvalidInput(f"places[{i}]", "choose from: " + ", ".join(PLACES))
    answers = ScreeningAnswers(
        answers=dict(data.answers),
        cleared_by_clinician=data.cleared_by_clinician,
        conditions=tuple(data.conditions),
        pain=data.pain,
        places=tuple(data.places),
    )
    result = screen_answers(catalog, answers, at=now)
    if data.pain is not None:
        repo.add_pain_report(
            s,
            PainReportRow(
                person_id=person_id, taken_at=now, score=data.pain, context="check-in",
                location=data.places[0] if data.places else None, red_flag=False,
            ),
        )  # fmt: skip
    row = ScreeningRow(
        person_id=person_id,
        taken_at=now,
        answers={**data.answers, "cleared-by-clinician": data.cleared_by_clinician},
        outcome=result.outcome,
        reasons=list(result.reasons),
        blocks_sessions=result.outcome in BLOCKING,
        details={
            "findings": [_finding_json(f) for f in result.findings],
            "cleared_by_clinician": result.cleared_by_clinician,
            "conditions": list(result.conditions),
        },
    )
    repo.add_screening(s, row)
    repo.save_profile(s, person_id, now=now, conditions=list(result.conditions))
    refit_active_plan(s, person_id, catalog=catalog, now=now)  # a new condition: a plan that respects it
    return StoredScreening(row)


def _finding_json(f: Finding) -> Mapping[str, str]:
    return {
        "question": f.question,
        "group": f.group,
        "outcome": f.outcome,
        "reason": f.reason,
        "source": f.source,
    }


def latest_screening_result(s: Session, person_id: int) -> StoredScreening | None:
    row = repo.latest_screening(s, person_id)
    return StoredScreening(row) if row is not None else None


RESCREEN_REASON = "You told us about a warning sign. Please answer the safety questions again first."


def needs_rescreen(s: Session, person_id: int, stored: StoredScreening | None) -> bool:
    """A warning sign reported at a check-in after the newest screening asks for a new screening."""
    flag = repo.latest_red_flag(s, person_id)
    return flag is not None and (stored is None or flag.taken_at >= stored.at)


def require_session_allowed(s: Session, person_id: int) -> StoredScreening:
    """Raise SafetyStop unless the newest screening lets a session start (none yet also stops)."""
    stored = latest_screening_result(s, person_id)
    require_can_start(stored.result if stored else None)
    assert stored is not None
    if needs_rescreen(s, person_id, stored):
        raise SafetyStop("screening_needed", [RESCREEN_REASON])
    return stored


def require_not_stopped(s: Session, person_id: int) -> None:
    """Raise SafetyStop, with the stop's advice and reasons, while the newest screening says
    emergency or seek care now: nothing records exercise then (a session, a break routine)."""
    stored = latest_screening_result(s, person_id)
    if stored is not None and stored.blocks:
        require_can_start(stored.result)


def session_reminders_for(stored: StoredScreening | None) -> tuple[str, ...]:
    return session_reminders(stored.result if stored else None)
