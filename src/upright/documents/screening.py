"""Screening: the answers a person or script gives, the result, the questions, and what is stored."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from upright.documents.types import IdList, Stamp, YesNo
from upright.domain.screening import (
    BLOCKING,
    Finding,
    Question,
    ScreeningAnswers,
    ScreeningResult,
    can_start_session,
    session_reminders,
)

__all__ = [
    "FindingDoc",
    "QuestionDoc",
    "QuestionOut",
    "QuestionsDoc",
    "ScreeningDetailsDoc",
    "ScreeningOut",
    "ScreeningRequest",
    "ScreeningResultDoc",
]

QuestionId = Annotated[str, StringConstraints(max_length=60)]


def _answers(value: Any) -> Any:
    if not isinstance(value, dict):
        raise ValueError("give an object of question id -> true or false")
    return value


def _pain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValueError("give your pain today as a whole number from 0 to 10")
    return value


class ScreeningRequest(BaseModel):
    """`upright screen --answers FILE`, POST /api/screening and POST /api/me/screenings."""

    model_config = ConfigDict(extra="forbid")

    answers: Annotated[dict[QuestionId, YesNo], BeforeValidator(_answers), Field(max_length=100)] = Field(
        description='Question id -> true (yes) or false (no) ("yes" and "no" are read too). Every '
        "question asked is needed, unless an answer given already means emergency or seek care now: "
        "then that is the result at once."
    )
    cleared_by_clinician: YesNo = Field(False, description="Has a doctor or therapist said you can start?")
    conditions: Annotated[IdList, Field(max_length=60)] = Field(
        default_factory=list, description="Condition ids, e.g. knee-pain"
    )
    pain: Annotated[int | None, BeforeValidator(_pain)] = Field(
        None, description="Pain today, 0-10 (optional); 7 or more means no exercise today"
    )
    places: Annotated[IdList, Field(max_length=20)] = Field(
        default_factory=list, description="Where it hurts (optional), e.g. neck, chest"
    )

    def to_domain(self) -> ScreeningAnswers:
        return ScreeningAnswers(
            answers=dict(self.answers),
            cleared_by_clinician=self.cleared_by_clinician,
            conditions=tuple(self.conditions),
            pain=self.pain,
            places=tuple(self.places),
        )


class FindingDoc(BaseModel):
    """One answer and the rule it triggered."""

    question: str
    group: str
    outcome: str
    reason: str
    source: str

    @classmethod
    def of(cls, f: Finding) -> FindingDoc:
        return cls(question=f.question, group=f.group, outcome=f.outcome, reason=f.reason, source=f.source)

    def to_domain(self) -> Finding:
        return Finding(
            question=self.question,
            group=self.group,
            outcome=self.outcome,  # type: ignore[arg-type]  # stored by us, from the domain's outcomes
            reason=self.reason,
            source=self.source,
        )


class ScreeningResultDoc(BaseModel):
    """The engine's screening result (`upright screen --json`, POST /api/screening)."""

    outcome: str
    advice: str
    reasons: list[str]
    findings: list[FindingDoc]
    can_start_session: bool
    cleared_by_clinician: bool
    conditions: list[str]
    reminders: list[str]
    screened_at: Stamp

    @classmethod
    def of(cls, result: ScreeningResult) -> ScreeningResultDoc:
        return cls(
            outcome=result.outcome,
            advice=result.advice,
            reasons=list(result.reasons),
            findings=[FindingDoc.of(f) for f in result.findings],
            can_start_session=can_start_session(result),
            cleared_by_clinician=result.cleared_by_clinician,
            conditions=list(result.conditions),
            reminders=list(session_reminders(result)),
            screened_at=result.at,
        )


class ScreeningDetailsDoc(BaseModel):
    """The stored screening's `details` column: what rebuilds the result later. Other keys are kept
    (an export carries a screening as it was stored)."""

    model_config = ConfigDict(extra="allow")

    findings: list[FindingDoc] = []
    cleared_by_clinician: bool = False
    conditions: list[str] = []

    @classmethod
    def of(cls, result: ScreeningResult) -> ScreeningDetailsDoc:
        return cls(
            findings=[FindingDoc.of(f) for f in result.findings],
            cleared_by_clinician=result.cleared_by_clinician,
            conditions=list(result.conditions),
        )


class ScreeningOut(BaseModel):
    """A stored screening as /api/me shows it."""

    outcome: str
    advice: str
    reasons: list[str]
    blocks_sessions: bool
    cleared_by_clinician: bool
    conditions: list[str]
    taken_at: datetime

    @classmethod
    def of(cls, r: ScreeningResult) -> ScreeningOut:
        return cls(
            outcome=r.outcome, advice=r.advice, reasons=list(r.reasons), blocks_sessions=r.outcome in BLOCKING,
            cleared_by_clinician=r.cleared_by_clinician, conditions=list(r.conditions), taken_at=r.at,
        )  # fmt: skip


class QuestionDoc(BaseModel):
    """A red-flag question: `outcome` is what a "yes" gives; `follows` the question it follows up."""

    id: str
    text: str
    group: str
    outcome: str | None = None
    follows: str | None = None


class QuestionOut(QuestionDoc):
    """Any question, red-flag, clearance or condition, with its kind (GET /api/me/screening/questions)."""

    kind: str

    @classmethod
    def of(cls, q: Question) -> QuestionOut:
        return cls(id=q.id, text=q.text, kind=q.kind, group=q.group, outcome=q.outcome, follows=q.follows)


class Choice(BaseModel):
    id: str
    label: str


class Clearance(BaseModel):
    id: str
    text: str


class QuestionsDoc(BaseModel):
    """Everything a form or a prompt needs to ask the screening questions, in the order asked."""

    questions: list[QuestionDoc]
    clearance: Clearance
    conditions: list[Choice]
    places: list[Choice]

    @classmethod
    def of(cls, qs: Iterable[Question], places: dict[str, str]) -> QuestionsDoc:
        qs = list(qs)
        return cls(
            questions=[
                QuestionDoc(id=q.id, text=q.text, group=q.group, outcome=q.outcome, follows=q.follows)
                for q in qs
                if q.kind == "red-flag"
            ],
            clearance=next(Clearance(id=q.id, text=q.text) for q in qs if q.kind == "clearance"),
            conditions=[Choice(id=q.id, label=q.text) for q in qs if q.kind == "condition"],
            places=[Choice(id=k, label=v) for k, v in places.items()],
        )
