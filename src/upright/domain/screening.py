"""Safety screening: red flags, the handouts' own rules, clinician clearance and conditions.

The questions are data (catalog rules/screening.yaml, each with its outcome, reason and source);
this module only applies them. Every "yes" becomes a `Finding`; the outcome is the most urgent one:

    emergency > seek_care_now > call_clinician > see_clinician_soon > ok

`emergency` and `seek_care_now` block every session until a new screening clears them
(`can_start_session`). Every question must be answered: a missing answer is an error, never a "no".

Clinician clearance (decided here, as the issue asked): the handouts say a clinician decides when
to start. Without clearance the outcome does not change, so the person may go on, but the result
carries a reminder that is listed with the reasons and returned by `session_reminders`, so it is read
at the start of every session until a later screening records clearance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

from upright.catalog.schema import Condition, ScreeningQuestion
from upright.domain.exclusions import check_conditions
from upright.errors import InvalidInput, SafetyStop

__all__ = [
    "BLOCKING",
    "CLEARANCE_QUESTION",
    "OUTCOME_ADVICE",
    "SEVERITY",
    "Finding",
    "Question",
    "ScreeningAnswers",
    "ScreeningResult",
    "can_start_session",
    "most_urgent",
    "questionnaire",
    "require_can_start",
    "screen",
    "session_reminders",
]

Outcome = Literal["emergency", "seek_care_now", "call_clinician", "see_clinician_soon", "ok"]

# Most urgent first. The index is the rank: lower is more urgent.
SEVERITY: Final[tuple[Outcome, ...]] = (
    "emergency",
    "seek_care_now",
    "call_clinician",
    "see_clinician_soon",
    "ok",
)
BLOCKING: Final[frozenset[str]] = frozenset({"emergency", "seek_care_now"})

OUTCOME_ADVICE: Final[dict[str, str]] = {
    "emergency": "Call the emergency number now. Do not exercise.",
    "seek_care_now": "Get medical care today. Do not exercise until a new check says you can.",
    "call_clinician": "Call your doctor or therapist soon. You may do gentle exercise, and stop if it hurts.",
    "see_clinician_soon": "Book a visit with your doctor soon. You may do gentle exercise until then.",
    "ok": "You can start. Go slowly, and stop if it hurts.",
}

CLEARANCE_ID: Final = "cleared-by-clinician"
CLEARANCE_QUESTION: Final = "Has your doctor or therapist said you can start these exercises?"
CLEARANCE_REMINDER: Final = (
    "No doctor or therapist has said you can start yet. You may go on, but go gently. "
    "At your next visit, ask them which exercises suit you."
)
CLEARANCE_SOURCE: Final = (
    "Handouts 000, 001, 002 and 003: a doctor or therapist decides when to start and which exercises fit "
    "(rule clinician-decides)."
)
NO_FLAGS_REASON: Final = "You said no to every warning sign."


@dataclass(frozen=True)
class Question:
    """One question as a person sees it. kind: red-flag (yes/no), clearance (yes/no), condition (tick)."""

    id: str
    text: str
    kind: Literal["red-flag", "clearance", "condition"]
    group: str


@dataclass(frozen=True)
class Finding:
    """Why the outcome is what it is: one answer and the rule it triggered."""

    question: str
    group: str
    outcome: Outcome
    reason: str
    source: str


@dataclass(frozen=True)
class ScreeningAnswers:
    answers: Mapping[str, bool]  # every red-flag question id -> yes (True) / no (False)
    cleared_by_clinician: bool = False
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScreeningResult:
    outcome: Outcome
    findings: tuple[Finding, ...]  # most urgent first; the clearance reminder last when it applies
    cleared_by_clinician: bool
    conditions: tuple[str, ...]
    at: datetime

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every reason in patient words, most urgent first."""
        return tuple(f.reason for f in self.findings) or (NO_FLAGS_REASON,)

    @property
    def advice(self) -> str:
        return OUTCOME_ADVICE[self.outcome]

    @property
    def has_red_flag(self) -> bool:
        return any(f.question != CLEARANCE_ID for f in self.findings)


def most_urgent(outcomes: Sequence[str]) -> Outcome:
    """The most urgent of these outcomes ('ok' for none)."""
    for outcome in SEVERITY:
        if outcome in outcomes:
            return outcome
    return "ok"


def questionnaire(
    questions: Sequence[ScreeningQuestion], conditions: Mapping[str, Condition]
) -> tuple[Question, ...]:
    """What to ask, in order: the red-flag questions, then clearance, then the conditions to tick."""
    return (
        *(Question(q.id, q.question, "red-flag", q.group) for q in questions),
        Question(CLEARANCE_ID, CLEARANCE_QUESTION, "clearance", "clearance"),
        *(Question(c.id, c.label, "condition", "conditions") for c in conditions.values()),
    )


def _check_answers(questions: Sequence[ScreeningQuestion], answers: Mapping[str, bool]) -> None:
    known = {q.id for q in questions}
    for key in sorted(answers):
        if key not in known:
            raise InvalidInput(
                f"answers.{key}", "there is no such question; see `upright screen --help` for the list"
            )
        if not isinstance(answers[key], bool):
            raise InvalidInput(f"answers.{key}", "answer yes or no (true or false)")
    for q in questions:
        if q.id not in answers:
            raise InvalidInput(f"answers.{q.id}", f"please answer this question: {q.question}")


def screen(
    questions: Sequence[ScreeningQuestion],
    known_conditions: Mapping[str, Condition],
    answers: ScreeningAnswers,
    *,
    at: datetime,
) -> ScreeningResult:
    """Apply the screening rules to one person's answers, taken at time `at`."""
    _check_answers(questions, answers.answers)
    conditions = check_conditions(answers.conditions, known_conditions)
    yes = [q for q in questions if answers.answers[q.id]]
    ranked = sorted(yes, key=lambda q: SEVERITY.index(q.outcome))  # stable: catalog order within a rank
    findings = [Finding(q.id, q.group, q.outcome, q.reason, q.source) for q in ranked]
    if not answers.cleared_by_clinician:
        findings.append(Finding(CLEARANCE_ID, "clearance", "ok", CLEARANCE_REMINDER, CLEARANCE_SOURCE))
    return ScreeningResult(
        outcome=most_urgent([f.outcome for f in findings]),
        findings=tuple(findings),
        cleared_by_clinician=answers.cleared_by_clinician,
        conditions=tuple(dict.fromkeys(c.id for c in conditions)),
        at=at,
    )


def can_start_session(result: ScreeningResult | None) -> bool:
    """A session may start only after a screening, and never after emergency or seek_care_now."""
    return result is not None and result.outcome not in BLOCKING


def require_can_start(result: ScreeningResult | None) -> None:
    """Raise SafetyStop (with every reason) when no session may start."""
    if result is None:
        raise SafetyStop("not_screened", ["Please answer the safety questions before your first session."])
    if result.outcome in BLOCKING:
        raise SafetyStop(result.outcome, [result.advice, *result.reasons])


def session_reminders(result: ScreeningResult | None) -> tuple[str, ...]:
    """What every session reads out at its start until a new screening changes it."""
    if result is None:
        return ()
    out: list[str] = []
    if result.outcome in ("call_clinician", "see_clinician_soon"):
        out.append(result.advice)
    if not result.cleared_by_clinician:
        out.append(CLEARANCE_REMINDER)
    return tuple(out)
