"""Screening for one person: ask, apply the rules (domain.screening), store, and gate sessions.

The newest stored screening decides whether a session may start. The gate is here, in the service,
so the web page, the JSON API and the terminal player all refuse the same way."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from upright.catalog import Catalog
from upright.documents.screening import ScreeningDetailsDoc, ScreeningOut, ScreeningRequest
from upright.domain.screening import (
    BLOCKING,
    Question,
    ScreeningResult,
    questionnaire,
    require_can_start,
    session_reminders,
)
from upright.errors import SafetyStop
from upright.services.clinic_alerts import note_pain, note_screening
from upright.services.engine import screen_answers, screening_answers
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


ScreeningIn = ScreeningRequest  # the same answers as `upright screen` and POST /api/screening


class StoredScreening:
    """A stored screening, rebuilt as the domain's result (its advice names the emergency number)."""

    def __init__(self, row: ScreeningRow) -> None:
        details = ScreeningDetailsDoc.model_validate(row.details or {})
        self.row = row
        self.result = ScreeningResult(
            outcome=row.outcome,  # type: ignore[arg-type]
            findings=tuple(f.to_domain() for f in details.findings),
            cleared_by_clinician=details.cleared_by_clinician,
            conditions=tuple(details.conditions),
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
    return ScreeningOut.of(stored.result)


def record_screening(
    s: Session, person_id: int, data: ScreeningIn, *, catalog: Catalog, now: datetime
) -> StoredScreening:
    """Apply the rules, store the result, and keep the profile's conditions in step with the answers.
    A pain score given with it is stored as a check-in, so it counts as today's pain everywhere."""
    result = screen_answers(catalog, screening_answers(data), at=now)
    pain_row = None
    if data.pain is not None:
        pain_row = repo.add_pain_report(
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
        details=ScreeningDetailsDoc.of(result).model_dump(mode="json"),
    )
    repo.add_screening(s, row)
    note_screening(
        s, person_id, row.id, result, now=now, words=catalog.vocabulary
    )  # alerts for the clinician, stored once
    if pain_row is not None:
        note_pain(s, person_id, [pain_row], now=now, words=catalog.vocabulary)
    repo.save_profile(s, person_id, now=now, conditions=list(result.conditions))
    refit_active_plan(s, person_id, catalog=catalog, now=now)  # a new condition: a plan that respects it
    return StoredScreening(row)


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
    if repo.latest_screening_outcome(s, person_id) not in BLOCKING:
        return  # the usual case, from one column; the whole screening is read only for a stop
    stored = latest_screening_result(s, person_id)
    if stored is not None and stored.blocks:
        require_can_start(stored.result)


def session_reminders_for(stored: StoredScreening | None) -> tuple[str, ...]:
    return session_reminders(stored.result if stored else None)
