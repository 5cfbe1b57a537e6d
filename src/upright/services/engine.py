"""The rules engine's documents: screening, plans and session scripts in and out. The CLI and the JSON
API both call these, so `upright screen/plan/script --json` and `/api/screening|plan|script` answer
alike. The shapes are the models in `upright.documents` (docs/ENGINE.md shows full examples); this
module adds what needs the catalog: known exercises, doses within their handout's range, places.

    screening in   documents.screening.ScreeningRequest    out  ScreeningResultDoc
    plan in        documents.plan.PlanRequest                 out  PlanDoc (DoseDoc per item)
    script in      documents.plan.ProgramIn: a plan, a handout program (`upright program ID --json`),
                   a program id, or {"program": id}; items need only "exercise" (the dose starts at
                   the low end)                                out  documents.script.ScriptDoc
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from upright.catalog import Catalog
from upright.catalog.vocabulary import PLACES, Vocabulary
from upright.documents.errors import parse
from upright.documents.plan import DoseDoc, DoseIn, PlanDoc, PlanRequest, ProgramIn
from upright.documents.screening import QuestionsDoc, ScreeningRequest, ScreeningResultDoc
from upright.documents.script import ScriptDoc
from upright.domain.dose import LADDER_UP as PARAMS
from upright.domain.dose import DoseRange, Param, PlannedDose, set_dose, starting_dose
from upright.domain.exclusions import check_conditions, exclusion_at
from upright.domain.planning import Plan, PlanInputs, make_plan, script_items
from upright.domain.screening import (
    ScreeningAnswers,
    ScreeningResult,
    questionnaire,
    require_can_start,
    screen,
    session_reminders,
)
from upright.domain.script import Script, ScriptItem, compile_script
from upright.errors import InvalidInput, NotFound, SafetyStop, UnsafeForPatient
from upright.services.catalog import normalize_equipment
from upright.services.safety_words import emergency_number

__all__ = [
    "build_script",
    "check_items_suit",
    "check_places",
    "dose_json",
    "items_from_json",
    "plan_inputs",
    "plan_json",
    "plan_script",
    "questions_doc",
    "questions_json",
    "read_program",
    "run_plan",
    "run_screening",
    "screen_answers",
    "screening_answers",
    "screening_json",
    "screening_questions_json",
    "script_json",
]


# ---- screening ---------------------------------------------------------------------------------


def questions_doc(catalog: Catalog) -> QuestionsDoc:
    """Everything a form or a prompt needs to ask the screening questions, in the order asked."""
    return QuestionsDoc.of(
        questionnaire(catalog.screening, catalog.conditions), catalog.vocabulary.choices("places")
    )


def questions_json(catalog: Catalog) -> dict[str, Any]:
    return questions_doc(catalog).model_dump(mode="json")


def screening_questions_json(catalog: Catalog) -> list[dict[str, Any]]:
    """`upright screen --questions --json` and GET /api/screening/questions: every red-flag question
    in the order asked, with id, text, group, outcome (of a "yes") and follows (or null)."""
    return list(questions_json(catalog)["questions"])


def check_places(places: Sequence[str]) -> None:
    for i, place in enumerate(places):
        if place not in PLACES:
            raise InvalidInput(f"places[{i}]", "choose from: " + ", ".join(PLACES))


def screening_answers(data: object) -> ScreeningAnswers:
    """The answers file (or body) checked; each problem names its field."""
    doc = data if isinstance(data, ScreeningRequest) else parse(ScreeningRequest, data, whole="answers")
    check_places(doc.places)
    return doc.to_domain()


def run_screening(catalog: Catalog, data: object, *, at: datetime) -> ScreeningResult:
    return screen_answers(catalog, screening_answers(data), at=at)


def screen_answers(catalog: Catalog, answers: ScreeningAnswers, *, at: datetime) -> ScreeningResult:
    """The domain's screening with this catalog's questions and combined rules; the emergency advice
    names the emergency number."""
    return screen(
        catalog.screening, catalog.conditions, answers, at=at,
        combined=catalog.screening_combined, emergency_number=emergency_number(),
    )  # fmt: skip


def screening_json(result: ScreeningResult) -> dict[str, Any]:
    return ScreeningResultDoc.of(result).model_dump(mode="json")


# ---- plans -------------------------------------------------------------------------------------


def plan_inputs(request: PlanRequest | None = None, **typed: object) -> PlanInputs:
    """A plan request (or the options as people type them: "band,mat", "knee-pain", "15") made into
    PlanInputs; every problem names its field (the domain checks the values)."""
    if request is None:
        request = parse(PlanRequest, {k: v for k, v in typed.items() if v is not None or k == "minutes"})
    return PlanInputs(
        setting=request.setting,
        equipment=frozenset(normalize_equipment(request.equipment)),
        conditions=tuple(dict.fromkeys(request.conditions)),
        minutes=request.minutes,
        focus=request.focus,
        template=request.template,
    )


def run_plan(catalog: Catalog, inputs: PlanInputs) -> Plan:
    return make_plan(catalog, inputs)


def dose_json(dose: PlannedDose, words: Vocabulary) -> dict[str, Any]:
    return DoseDoc.of(dose, words).model_dump(mode="json")


def plan_json(plan: Plan, words: Vocabulary) -> dict[str, Any]:
    return PlanDoc.of(plan, words).model_dump(mode="json")


# ---- programs in, scripts out ------------------------------------------------------------------


def _range_override(data: DoseIn, base: PlannedDose) -> DoseRange | None:
    if data.range is None:
        return None
    r = data.range
    return DoseRange(hold_seconds=r.hold_seconds, reps=r.reps, sets=r.sets or base.range.sets)


def _dose(catalog: Catalog, ex_id: str, data: DoseIn | None, field: str) -> PlannedDose:
    ex = catalog.exercise(ex_id)
    if data is None:
        return starting_dose(ex)
    base = starting_dose(ex, data.handout, variant=data.variant)
    wanted: dict[Param, int | None] = {}
    for key in PARAMS:
        value = getattr(data, key)
        if isinstance(value, tuple):  # a handout program's range: start at its low end
            if base.range.bounds(key) != value:
                raise InvalidInput(
                    f"{field}.{key}",
                    f"{list(value)} is not the handout's range; a doctor or therapist sets another range with "
                    '"range" and "clinician_set": true',
                )
            value = None
        wanted[key] = value
    return set_dose(
        base,
        hold_seconds=wanted["hold_seconds"],
        reps=wanted["reps"],
        sets=wanted["sets"],
        clinician_set=data.clinician_set,
        range_override=_range_override(data, base) if data.clinician_set else None,
        field=field,
    )


def read_program(data: object) -> ProgramIn:
    """A program as given: a program id, or a plan or program document (checked by its model)."""
    if isinstance(data, ProgramIn):
        return data
    if isinstance(data, str):
        data = {"program": data}
    if not isinstance(data, dict):
        raise InvalidInput("program", "give a plan or program as a JSON object, or a program id")
    return parse(ProgramIn, data, whole="program")


def items_from_json(catalog: Catalog, data: object) -> tuple[str, list[ScriptItem]]:
    """(title, items) from a plan, a handout program's JSON, a program id, or {"program": id}."""
    doc = read_program(data)
    if doc.program is not None and doc.items is None:
        try:
            tpl = catalog.template(doc.program)
        except NotFound:
            known = ", ".join(sorted(catalog.templates))
            raise InvalidInput("program", f"unknown program {doc.program!r}; choose from: {known}") from None
        return tpl.title, [
            ScriptItem(catalog.exercise(e), starting_dose(catalog.exercise(e), tpl.file)) for e in tpl.items
        ]
    if not doc.items:
        raise InvalidInput("items", 'give a list of items, each with an "exercise" id')
    items: list[ScriptItem] = []
    for i, raw in enumerate(doc.items):
        field = f"items[{i}]"
        try:
            ex = catalog.exercise(raw.exercise)
        except NotFound:
            raise InvalidInput(f"{field}.exercise", f"no exercise called {raw.exercise!r}") from None
        dose_data = raw.dose
        if dose_data is None and doc.file:  # a handout program's JSON
            dose_data = DoseIn(handout=doc.file)
        dose = _dose(catalog, ex.id, dose_data, f"{field}.dose")
        if raw.position is not None and raw.position not in ex.positions:
            raise InvalidInput(f"{field}.position", f"{ex.name} is done {' or '.join(ex.positions)}")
        items.append(ScriptItem(ex, dose, raw.position))
    return doc.title or "Your session", items


def check_items_suit(catalog: Catalog, items: Sequence[ScriptItem], conditions: Sequence[str]) -> None:
    """Refuse an exercise (or a position) that the person's conditions rule out (UnsafeForPatient)."""
    known = check_conditions(conditions, catalog.conditions)
    for item in items:
        out = exclusion_at(item.exercise, item.where, known)
        if out is not None:
            raise UnsafeForPatient(
                f"{item.exercise.name} does not suit you. {out.reason} "
                "Leave it out, or make a new plan with your conditions."
            )


def build_script(catalog: Catalog, program: object, *, screening: ScreeningResult | None = None) -> Script:
    """Compile a program into its session. With a screening, a blocking outcome stops it (SafetyStop),
    an exercise its conditions rule out is refused (UnsafeForPatient), and its reminders (e.g. no
    clinician clearance yet) are read at the start."""
    if screening is not None:
        require_can_start(screening)
        if screening.rests_today:
            raise SafetyStop("rest_today", [screening.advice, *screening.reasons])
    title, items = items_from_json(catalog, program)
    if screening is not None:
        check_items_suit(catalog, items, screening.conditions)
    return compile_script(
        items,
        words=catalog.vocabulary,
        posture=catalog.posture,
        reminders=session_reminders(screening),
        title=title,
    )


def script_json(script: Script, *, screened: bool = False) -> dict[str, Any]:
    return ScriptDoc.of(script, screened=screened).model_dump(mode="json")


def plan_script(catalog: Catalog, plan: Plan) -> Script:
    """The session for a plan made in this process (no JSON round trip)."""
    return compile_script(
        script_items(plan.items), words=catalog.vocabulary, posture=catalog.posture, title=plan.title
    )
