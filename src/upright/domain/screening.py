"""Safety screening: red flags, the handouts' own rules, clinician clearance and conditions.

The questions are data (catalog rules/screening.yaml and screening_combined.yaml, each with its
outcome, reason and source); this module only applies them. Every "yes" that raises a flag becomes a
`Finding`; the outcome is the most urgent one:

    emergency > seek_care_now > call_clinician > see_clinician_soon > ok

A follow-up (`follows`) is asked only after a "yes" to the question it follows; an answer to it given
after a "no" is ignored. A "doctor-checked" follow-up clears the flag it follows on "yes" and keeps it
on "no". A flag counts once it is decided: the question was answered "yes" and its doctor-checked
follow-up (if any) "no".

An emergency or seek-care answer acts at once: when the answers given already decide `emergency` or
`seek_care_now`, that is the result, whatever is still missing. Otherwise every question that is
asked must be answered: a missing answer is an error, never a "no".

`emergency` and `seek_care_now` block every session until a new screening clears them
(`can_start_session`). The pain score given at screening counts too: 7 or more is a finding, and the
advice is to rest today, never "You can start".

Clinician clearance (decided here, as the issue asked): the handouts say a clinician decides when
to start. Without clearance the outcome does not change, so the person may go on, but the result
carries a reminder that is listed with the reasons and returned by `session_reminders`, so it is read
at the start of every session until a later screening records clearance. A stop never carries it:
"go gently" has no place next to "do not exercise".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final, Literal

from upright.catalog.schema import Condition, ScreeningCombination, ScreeningQuestion
from upright.domain.exclusions import check_conditions
from upright.domain.progress import SEVERE_PAIN
from upright.errors import InvalidInput, SafetyStop

__all__ = [
    "BLOCKING",
    "CHEST_PLACE",
    "CLEARANCE_QUESTION",
    "HEART_AGAIN",
    "OUTCOME_ADVICE",
    "SEVERITY",
    "Finding",
    "Question",
    "ScreeningAnswers",
    "ScreeningResult",
    "advice_for",
    "asked_questions",
    "can_start_session",
    "decided_stop",
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
REST_TODAY_ADVICE: Final = (
    "Do not exercise today. Your pain is high. Call your doctor or therapist if it does not settle."
)

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

# The pain score and place given at screening (CLINICAL.md section 3: NPRS 7-10 is severe).
PAIN_ID: Final = "pain-score"
PAIN_SOURCE: Final = (
    "CLINICAL.md sections 3 and 4: pain of 7 or more out of 10 is severe; pain is a reason to stop "
    "(handouts 000, 001, 002). Upright's rule: no exercise on a day the pain is this high."
)
CHEST_PLACE: Final = "chest"
HEART_AGAIN: Final = (
    "You said it hurts in your chest. Chest pain can come from the heart. "
    "Please answer the heart questions again."
)
CHEST_ID: Final = "pain-in-chest"
CHEST_REASON: Final = "You said your pain is in your chest. A doctor should hear about chest pain soon."
CHEST_SOURCE: Final = (
    "CLINICAL.md section 2: chest pain can come from the heart. The heart questions are asked again "
    "when the pain is placed in the chest; with no heart sign, the doctor should still hear of it."
)


@dataclass(frozen=True)
class Question:
    """One question as a person sees it. kind: red-flag (yes/no), clearance (yes/no), condition (tick).

    `outcome` is what a "yes" gives; `follows` names the question this one follows up (asked only
    after a "yes" to it); `checks_doctor` marks "Has a doctor checked ...", whose "no" keeps the flag."""

    id: str
    text: str
    kind: Literal["red-flag", "clearance", "condition"]
    group: str
    outcome: str | None = None
    follows: str | None = None
    checks_doctor: bool = False


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
    answers: Mapping[str, bool]  # question id -> yes (True) / no (False); follow-ups only after a yes
    cleared_by_clinician: bool = False
    conditions: tuple[str, ...] = ()
    pain: int | None = None  # 0-10 today, when given
    places: tuple[str, ...] = ()  # where it hurts (location ids), when given


@dataclass(frozen=True)
class ScreeningResult:
    outcome: Outcome
    findings: tuple[Finding, ...]  # most urgent first; the clearance reminder last when it applies
    cleared_by_clinician: bool
    conditions: tuple[str, ...]
    at: datetime
    emergency_number: str | None = field(default=None, compare=False)  # named in the emergency advice

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every reason in patient words, most urgent first."""
        return tuple(f.reason for f in self.findings) or (NO_FLAGS_REASON,)

    @property
    def advice(self) -> str:
        if self.outcome not in BLOCKING and self.rests_today:
            return REST_TODAY_ADVICE
        return advice_for(self.outcome, emergency_number=self.emergency_number)

    @property
    def rests_today(self) -> bool:
        """The pain given at screening was 7 or more: no exercise today, whatever the outcome."""
        return any(f.question == PAIN_ID for f in self.findings)

    @property
    def has_red_flag(self) -> bool:
        return any(f.question not in (CLEARANCE_ID, PAIN_ID) for f in self.findings)


def advice_for(outcome: str, *, emergency_number: str | None = None) -> str:
    """What to do for this outcome; the emergency advice names the number when it is known."""
    if outcome == "emergency" and emergency_number:
        return f"Call {emergency_number} now for an ambulance. Do not exercise."
    return OUTCOME_ADVICE[outcome]


def most_urgent(outcomes: Sequence[str]) -> Outcome:
    """The most urgent of these outcomes ('ok' for none)."""
    for outcome in SEVERITY:
        if outcome in outcomes:
            return outcome
    return "ok"


def questionnaire(
    questions: Sequence[ScreeningQuestion], conditions: Mapping[str, Condition]
) -> tuple[Question, ...]:
    """What to ask, in order: the red-flag questions (each follow-up right after the question it
    follows), then clearance, then the conditions to tick."""
    return (
        *(
            Question(
                q.id, q.question, "red-flag", q.group, outcome=q.outcome, follows=q.follows,
                checks_doctor=q.kind == "doctor-checked",
            )
            for q in questions
        ),
        Question(CLEARANCE_ID, CLEARANCE_QUESTION, "clearance", "clearance"),
        *(Question(c.id, c.label, "condition", "conditions") for c in conditions.values()),
    )  # fmt: skip


def asked_questions(
    questions: Sequence[ScreeningQuestion], answers: Mapping[str, bool]
) -> tuple[ScreeningQuestion, ...]:
    """The questions these answers lead to: every top question, and a follow-up after a "yes" to
    the question it follows (the catalog lists a follow-up after it)."""
    asked: list[ScreeningQuestion] = []
    ids: set[str] = set()
    for q in questions:
        if q.follows is None or (q.follows in ids and answers.get(q.follows) is True):
            asked.append(q)
            ids.add(q.id)
    return tuple(asked)


def _check_answers(questions: Sequence[ScreeningQuestion], answers: Mapping[str, bool]) -> None:
    known = {q.id for q in questions}
    for key in sorted(answers):
        if key not in known:
            raise InvalidInput(
                f"answers.{key}", "there is no such question; see `upright screen --questions` for the list"
            )
        if not isinstance(answers[key], bool):
            raise InvalidInput(f"answers.{key}", "answer yes or no (true or false)")


def _flags(
    asked: Sequence[ScreeningQuestion],
    combined: Sequence[ScreeningCombination],
    answers: Mapping[str, bool],
) -> list[Finding]:
    """The decided flags: a "yes" whose doctor-checked follow-up (if any) was answered "no"."""
    checks = {q.follows: q for q in asked if q.kind == "doctor-checked"}
    raised: list[ScreeningQuestion] = []
    for q in asked:
        if q.kind != "sign" or answers.get(q.id) is not True:
            continue
        check = checks.get(q.id)
        if check is None or answers.get(check.id) is False:
            raised.append(q)
    found = [Finding(q.id, q.group, q.outcome, q.reason, q.source) for q in raised if q.outcome != "ok"]
    raised_ids = {q.id for q in raised}
    for rule in combined:
        if len(raised_ids.intersection(rule.any_of)) >= rule.at_least:
            found.append(Finding(rule.id, rule.group, rule.outcome, rule.reason, rule.source))
    return found


def decided_stop(
    questions: Sequence[ScreeningQuestion],
    answers: Mapping[str, bool],
    *,
    combined: Sequence[ScreeningCombination] = (),
) -> Outcome | None:
    """`emergency` or `seek_care_now` when the answers given so far already decide it, else None.
    The players ask this after every answer, so the next thing a person sees is the stop."""
    flags = _flags(asked_questions(questions, answers), combined, answers)
    outcome = most_urgent([f.outcome for f in flags])
    return outcome if outcome in BLOCKING else None


def _pain_findings(pain: int | None, places: Sequence[str]) -> list[Finding]:
    found: list[Finding] = []
    if pain is not None and pain >= SEVERE_PAIN:
        reason = f"Your pain is {pain} out of 10 today. That is high."
        found.append(Finding(PAIN_ID, "severe-pain", "call_clinician", reason, PAIN_SOURCE))
    if CHEST_PLACE in places:
        found.append(Finding(CHEST_ID, "heart", "call_clinician", CHEST_REASON, CHEST_SOURCE))
    return found


def screen(
    questions: Sequence[ScreeningQuestion],
    known_conditions: Mapping[str, Condition],
    answers: ScreeningAnswers,
    *,
    at: datetime,
    combined: Sequence[ScreeningCombination] = (),
    emergency_number: str | None = None,
) -> ScreeningResult:
    """Apply the screening rules to one person's answers, taken at time `at`."""
    _check_answers(questions, answers.answers)
    if answers.pain is not None and not 0 <= answers.pain <= 10:
        raise InvalidInput("pain", "give your pain as a whole number from 0 to 10")
    asked = asked_questions(questions, answers.answers)
    flags = _flags(asked, combined, answers.answers)
    stops = most_urgent([f.outcome for f in flags]) in BLOCKING
    if not stops:  # an urgent answer acts at once; otherwise every question asked needs its answer
        for q in asked:
            if q.id not in answers.answers:
                raise InvalidInput(f"answers.{q.id}", f"please answer this question: {q.question}")
    adds = tuple(q.adds_condition for q in asked if q.adds_condition and answers.answers.get(q.id) is True)
    conditions = check_conditions((*answers.conditions, *adds), known_conditions)
    findings = sorted(
        [*flags, *_pain_findings(answers.pain, answers.places)], key=lambda f: SEVERITY.index(f.outcome)
    )  # stable: catalog order within a rank
    if not answers.cleared_by_clinician and not stops:
        findings.append(Finding(CLEARANCE_ID, "clearance", "ok", CLEARANCE_REMINDER, CLEARANCE_SOURCE))
    return ScreeningResult(
        outcome=most_urgent([f.outcome for f in findings]),
        findings=tuple(findings),
        cleared_by_clinician=answers.cleared_by_clinician,
        conditions=tuple(dict.fromkeys(c.id for c in conditions)),
        at=at,
        emergency_number=emergency_number,
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
    """What every session reads out at its start until a new screening changes it (nothing after a
    stop: no session starts, and "go gently" must never sit next to "do not exercise")."""
    if result is None or result.outcome in BLOCKING:
        return ()
    out: list[str] = []
    if result.outcome in ("call_clinician", "see_clinician_soon"):
        out.append(OUTCOME_ADVICE[result.outcome])
    if not result.cleared_by_clinician:
        out.append(CLEARANCE_REMINDER)
    return tuple(out)
