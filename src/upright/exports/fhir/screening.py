"""The safety screening as a Questionnaire, and each stored screening as a QuestionnaireResponse.

The questions come from the catalog through the domain (`domain.screening.questionnaire`), so the
Questionnaire follows the catalog when its questions change; its `version` is a digest of the question
ids and words, so a reader can tell two sets apart. The result (outcome and reasons) is part of the
form as read-only items, so a response carries what the rules decided next to what was answered."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from upright.domain.screening import SEVERITY, Question
from upright.exports.fhir.codes import OUTCOME_SYSTEM, canonical, coding
from upright.store.tables import ScreeningRow

__all__ = ["QUESTIONNAIRE_URL", "questionnaire", "questionnaire_response"]

QUESTIONNAIRE_URL = canonical("Questionnaire", "screening")
RED_FLAGS, CONDITIONS, OUTCOME, REASONS = "red-flags", "conditions", "outcome", "reasons"


def _version(questions: Sequence[Question]) -> str:
    text = "\n".join(f"{q.kind}|{q.id}|{q.text}" for q in questions)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _boolean(q: Question, *, required: bool) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": q.id, "text": q.text, "type": "boolean", "required": required}
    if q.follows:  # a follow-up is asked only after a "yes" to the question it follows
        item["enableWhen"] = [{"question": q.follows, "operator": "=", "answerBoolean": True}]
    return item


def questionnaire(
    questions: Sequence[Question], *, resource_id: str, outcomes: Mapping[str, str]
) -> dict[str, Any]:
    clearance = [q for q in questions if q.kind == "clearance"]
    return {
        "resourceType": "Questionnaire",
        "id": resource_id,
        "url": QUESTIONNAIRE_URL,
        "version": _version(questions),
        "name": "UprightSafetyScreening",
        "title": "Safety questions before exercise",
        "status": "active",
        "subjectType": ["Patient"],
        "item": [
            {
                "linkId": RED_FLAGS,
                "text": "Warning signs",
                "type": "group",
                "item": [_boolean(q, required=True) for q in questions if q.kind == "red-flag"],
            },
            *(_boolean(q, required=False) for q in clearance),
            {
                "linkId": CONDITIONS,
                "text": "Conditions that change the plan",
                "type": "group",
                "item": [_boolean(q, required=False) for q in questions if q.kind == "condition"],
            },
            {
                "linkId": OUTCOME,
                "text": "Result",
                "type": "choice",
                "readOnly": True,
                "answerOption": [{"valueCoding": _outcome(o, outcomes)} for o in SEVERITY],
            },
            {"linkId": REASONS, "text": "Why", "type": "string", "readOnly": True, "repeats": True},
        ],
    }


def _outcome(outcome: str, words: Mapping[str, str]) -> dict[str, Any]:
    return coding(OUTCOME_SYSTEM, outcome, words.get(outcome, outcome))


def _answer(link: str, text: str | None, value: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"linkId": link, "answer": [{"valueBoolean": value}]}
    if text:
        out["text"] = text
    return out


def questionnaire_response(
    row: ScreeningRow,
    questions: Sequence[Question],
    *,
    resource_id: str,
    patient_ref: str,
    outcomes: Mapping[str, str],
) -> dict[str, Any]:
    """One screening as it was answered (`outcomes`: screening outcome id -> words). Answers to questions the catalog no longer asks are kept
    (with their id as the only words), so nothing stored is left out."""
    texts = {q.id: q.text for q in questions}
    clearance_ids = {q.id for q in questions if q.kind == "clearance"}
    answers = {k: v for k, v in row.answers.items() if isinstance(v, bool)}
    chosen = set((row.details or {}).get("conditions", []))
    condition_ids = [q.id for q in questions if q.kind == "condition"]
    condition_ids += sorted(chosen - set(condition_ids))
    items: list[dict[str, Any]] = [
        {
            "linkId": RED_FLAGS,
            "item": [_answer(k, texts.get(k), v) for k, v in answers.items() if k not in clearance_ids],
        }
    ]
    items += [_answer(k, texts.get(k), v) for k, v in answers.items() if k in clearance_ids]
    if condition_ids:
        items.append(
            {"linkId": CONDITIONS, "item": [_answer(c, texts.get(c), c in chosen) for c in condition_ids]}
        )
    items.append({"linkId": OUTCOME, "answer": [{"valueCoding": _outcome(row.outcome, outcomes)}]})
    if row.reasons:
        items.append({"linkId": REASONS, "answer": [{"valueString": str(r)} for r in row.reasons]})
    if not items[0]["item"]:
        items.pop(0)
    return {
        "resourceType": "QuestionnaireResponse",
        "id": resource_id,
        "questionnaire": QUESTIONNAIRE_URL,
        "status": "completed",
        "subject": {"reference": patient_ref},
        "authored": row.taken_at.isoformat(),
        "item": items,
    }
