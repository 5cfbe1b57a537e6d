"""The rules engine's JSON: screening, plans and session scripts in and out. The CLI and the JSON API
both call these, so `upright screen/plan/script --json` and `/api/screening|plan|script` answer alike.

Shapes (field names are stable; docs/ENGINE.md shows full examples):

    screening in   {"answers": {question id: true|false|"yes"|"no"}, "cleared_by_clinician": bool,
                    "conditions": [condition id]}
    screening out  {"outcome", "advice", "reasons": [str], "findings": [{"question", "group", "outcome",
                    "reason", "source"}], "can_start_session", "cleared_by_clinician", "conditions",
                    "reminders": [str], "screened_at"}
    plan out       {"title", "template", "inputs": {...}, "items": [{"exercise", "name", "position",
                    "dose", "reason", "substitute_for", "seconds"}], "excluded": [{"exercise", "name",
                    "reason", "rule", "substitute"}], "minutes", "seconds", "fits", "notes"}
    dose           {"handout", "variant", "hold_seconds", "reps", "sets", "each_side", "range":
                    {"hold_seconds": [lo, hi]|null, "reps": [lo, hi]|null, "sets": [lo, hi]},
                    "clinician_set", "given", "text"}
    script in      a plan (as above), a handout program (`upright program ID --json`), a program id,
                    or {"program": id}; items need only "exercise" (the dose starts at the low end)
    script out     {"title", "total_seconds", "minutes", "screened", "reminders", "steps": [step]}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from upright.catalog import Catalog
from upright.catalog.vocabulary import PLACES
from upright.domain.dose import LADDER_UP as PARAMS
from upright.domain.dose import DoseRange, Param, PlannedDose, set_dose, starting_dose
from upright.domain.exclusions import check_conditions, exclusion_at
from upright.domain.planning import Plan, PlanInputs, make_plan, script_items
from upright.domain.screening import (
    ScreeningAnswers,
    ScreeningResult,
    can_start_session,
    questionnaire,
    require_can_start,
    screen,
    session_reminders,
)
from upright.domain.script import Script, ScriptItem, block_seconds, compile_script
from upright.errors import InvalidInput, NotFound, SafetyStop, UnsafeForPatient
from upright.services.catalog import normalize_equipment
from upright.services.safety_words import emergency_number

__all__ = [
    "build_script",
    "check_items_suit",
    "dose_json",
    "items_from_json",
    "plan_inputs",
    "plan_json",
    "plan_script",
    "questions_json",
    "run_plan",
    "run_screening",
    "screen_answers",
    "screening_answers",
    "screening_json",
    "screening_questions_json",
    "script_json",
]

YES = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}


# ---- screening ---------------------------------------------------------------------------------


def screening_questions_json(catalog: Catalog) -> list[dict[str, Any]]:
    """`upright screen --questions --json` and GET /api/screening/questions: every question in the
    order asked, with id, text, group, outcome (of a "yes") and follows (the id it follows up, or null)."""
    return list(questions_json(catalog)["questions"])


def questions_json(catalog: Catalog) -> dict[str, Any]:
    """Everything a form or a prompt needs to ask the screening questions, in the order asked. Each
    question: id, text, group, outcome (of a "yes"), follows (the id it follows up, or null)."""
    qs = questionnaire(catalog.screening, catalog.conditions)
    return {
        "questions": [
            {"id": q.id, "text": q.text, "group": q.group, "outcome": q.outcome, "follows": q.follows}
            for q in qs
            if q.kind == "red-flag"
        ],
        "clearance": next({"id": q.id, "text": q.text} for q in qs if q.kind == "clearance"),
        "conditions": [{"id": q.id, "label": q.text} for q in qs if q.kind == "condition"],
        "places": [{"id": k, "label": v} for k, v in catalog.vocabulary.choices("places").items()],
    }


def _yes_no(value: object, field: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in YES:
        return YES[value.strip().lower()]
    raise InvalidInput(field, f"answer yes or no (true or false); got {value!r}")


def _id_list(value: object, field: str) -> tuple[str, ...]:
    """A list of ids, or one comma-separated string of them."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(field, 'give a list of names, like ["knee-pain"]')
    return tuple(v.strip() for v in value if v.strip())


def _pain(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise InvalidInput("pain", "give your pain today as a whole number from 0 to 10")
    return value


def _places(value: object) -> tuple[str, ...]:
    places = _id_list(value, "places")
    for i, place in enumerate(places):
        if place not in PLACES:
            raise InvalidInput(f"places[{i}]", "choose from: " + ", ".join(PLACES))
    return places


ANSWER_FIELDS = ("answers", "cleared_by_clinician", "conditions", "pain", "places")


def screening_answers(data: object) -> ScreeningAnswers:
    """Check the answers file's shape (see docs/ENGINE.md); each problem names its field."""
    if not isinstance(data, Mapping):
        raise InvalidInput("answers", 'the answers must be a JSON object with an "answers" field')
    unknown = sorted(set(data) - set(ANSWER_FIELDS))
    if unknown:
        raise InvalidInput(unknown[0], "unknown field; use " + ", ".join(ANSWER_FIELDS))
    answers = data.get("answers")
    if not isinstance(answers, Mapping):
        raise InvalidInput("answers", "give an object of question id -> true or false")
    return ScreeningAnswers(
        answers={str(k): _yes_no(v, f"answers.{k}") for k, v in answers.items()},
        cleared_by_clinician=_yes_no(data.get("cleared_by_clinician", False), "cleared_by_clinician"),
        conditions=_id_list(data.get("conditions"), "conditions"),
        pain=_pain(data.get("pain")),
        places=_places(data.get("places")),
    )


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
    return {
        "outcome": result.outcome,
        "advice": result.advice,
        "reasons": list(result.reasons),
        "findings": [asdict(f) for f in result.findings],
        "can_start_session": can_start_session(result),
        "cleared_by_clinician": result.cleared_by_clinician,
        "conditions": list(result.conditions),
        "reminders": list(session_reminders(result)),
        "screened_at": result.at.isoformat(),
    }


# ---- plans -------------------------------------------------------------------------------------


def _word(value: object) -> str:
    """A choice as typed; anything else becomes text, so the domain's error lists the choices."""
    return str(value).strip().lower()


def _minutes(value: object) -> float:
    """Minutes as typed ("15", "7.5") or as a JSON number; the domain checks the range."""
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            raise InvalidInput(
                "minutes", f"give the minutes as a number, like 15; you gave {value!r}"
            ) from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput("minutes", "give the minutes as a number, like 15")
    return float(value)


def _names(value: object, field: str) -> list[str]:
    """Names as a list (each may be a comma list, as typed after --equipment) or one string."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        raise InvalidInput(field, 'give a list of names, like ["mat"]')
    out: list[str] = []
    for raw in value:
        out.extend(_id_list(raw, field))
    return out


def plan_inputs(
    *,
    setting: object = "home",
    equipment: object = None,
    conditions: object = None,
    minutes: object = 15.0,
    focus: object = "mixed",
    template: object = None,
) -> PlanInputs:
    """Inputs as people type them ("band,mat", "knee-pain", "15") made into PlanInputs; every problem
    names its field (the domain checks the values)."""
    if template is not None and not isinstance(template, str):
        raise InvalidInput("template", "give a program id, like healthy-upper-back")
    return PlanInputs(
        setting=_word(setting),
        equipment=frozenset(normalize_equipment(_names(equipment, "equipment"))),
        conditions=tuple(dict.fromkeys(_names(conditions, "condition"))),
        minutes=_minutes(minutes),
        focus=_word(focus),
        template=template or None,
    )


def run_plan(catalog: Catalog, inputs: PlanInputs) -> Plan:
    return make_plan(catalog, inputs)


def _pair(value: tuple[int, int] | None) -> list[int] | None:
    return list(value) if value is not None else None


def dose_json(dose: PlannedDose) -> dict[str, Any]:
    return {
        "handout": dose.handout,
        "variant": dose.variant,
        "hold_seconds": dose.hold_seconds,
        "reps": dose.reps,
        "sets": dose.sets,
        "each_side": dose.each_side,
        "range": {
            "hold_seconds": _pair(dose.range.hold_seconds),
            "reps": _pair(dose.range.reps),
            "sets": _pair(dose.range.sets),
        },
        "clinician_set": dose.clinician_set,
        "given": dose.given,
        "text": dose.text,
    }


def plan_json(plan: Plan) -> dict[str, Any]:
    inputs = plan.inputs
    return {
        "title": plan.title,
        "template": inputs.template,
        "inputs": {
            "setting": inputs.setting,
            "equipment": sorted(inputs.equipment),
            "conditions": list(inputs.conditions),
            "minutes": inputs.minutes,
            "focus": inputs.focus,
            "template": inputs.template,
        },
        "items": [
            {
                "exercise": it.exercise.id,
                "name": it.exercise.name,
                "position": it.position,
                "dose": dose_json(it.dose),
                "reason": it.reason,
                "substitute_for": it.substitute_for,
                "seconds": block_seconds(ScriptItem(it.exercise, it.dose, it.position)),
            }
            for it in plan.items
        ],
        "excluded": [
            {
                "exercise": x.exercise.id,
                "name": x.exercise.name,
                "reason": x.reason,
                "rule": x.rule,
                "substitute": x.substitute,
            }
            for x in plan.excluded
        ],
        "minutes": round(plan.minutes, 2),
        "seconds": plan.seconds,
        "fits": plan.fits,
        "notes": list(plan.notes),
    }


# ---- programs in, scripts out ------------------------------------------------------------------


def _number(value: object, field: str) -> int | tuple[int, int] | None:
    """A dose number as a plan gives it (5) or as a handout range gives it ([5, 10])."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if (
        isinstance(value, list | tuple)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return int(value[0]), int(value[1])
    raise InvalidInput(field, "give a whole number or [min, max]")


def _range_override(data: object, base: PlannedDose, field: str) -> DoseRange | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise InvalidInput(field, "give an object with hold_seconds, reps and sets as [min, max]")
    parts: dict[str, tuple[int, int] | None] = {}
    for key in PARAMS:
        value = _number(data.get(key), f"{field}.{key}")
        if isinstance(value, int):
            value = (value, value)
        if value is not None and not 1 <= value[0] <= value[1]:
            raise InvalidInput(f"{field}.{key}", "give [min, max] with 1 <= min <= max")
        parts[key] = value
    return DoseRange(
        hold_seconds=parts["hold_seconds"],
        reps=parts["reps"],
        sets=parts["sets"] or base.range.sets,
    )


def _dose(catalog: Catalog, ex_id: str, data: object, field: str) -> PlannedDose:
    ex = catalog.exercise(ex_id)
    if data is None:
        return starting_dose(ex)
    if not isinstance(data, Mapping):
        raise InvalidInput(field, "the dose must be an object")
    handout, variant = data.get("handout"), data.get("variant")
    if handout is not None and not isinstance(handout, str):
        raise InvalidInput(f"{field}.handout", "give the handout's file name")
    if variant is not None and not isinstance(variant, str):
        raise InvalidInput(f"{field}.variant", "give the variant's name")
    base = starting_dose(ex, handout, variant=variant)
    clinician_set = data.get("clinician_set", False) is True
    wanted: dict[Param, int | None] = {}
    for key in PARAMS:
        value = _number(data.get(key), f"{field}.{key}")
        if isinstance(value, tuple):  # a handout program's range: start at its low end
            own = base.range.bounds(key)
            if own != value:
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
        clinician_set=clinician_set,
        range_override=_range_override(data.get("range"), base, f"{field}.range") if clinician_set else None,
        field=field,
    )


def items_from_json(catalog: Catalog, data: object) -> tuple[str, list[ScriptItem]]:
    """(title, items) from a plan, a handout program's JSON, a program id, or {"program": id}."""
    if isinstance(data, str):
        data = {"program": data}
    if not isinstance(data, Mapping):
        raise InvalidInput("program", "give a plan or program as a JSON object, or a program id")
    if "program" in data and "items" not in data:
        program_id = data["program"]
        try:
            tpl = catalog.template(str(program_id))
        except NotFound:
            known = ", ".join(sorted(catalog.templates))
            raise InvalidInput("program", f"unknown program {program_id!r}; choose from: {known}") from None
        return tpl.title, [
            ScriptItem(catalog.exercise(e), starting_dose(catalog.exercise(e), tpl.file)) for e in tpl.items
        ]
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise InvalidInput("items", 'give a list of items, each with an "exercise" id')
    items: list[ScriptItem] = []
    handout = data.get("file") if isinstance(data.get("file"), str) else None  # a handout program's JSON
    for i, raw in enumerate(raw_items):
        field = f"items[{i}]"
        if not isinstance(raw, Mapping) or not isinstance(raw.get("exercise"), str):
            raise InvalidInput(f"{field}.exercise", 'each item needs an "exercise" id')
        try:
            ex = catalog.exercise(raw["exercise"])
        except NotFound:
            raise InvalidInput(f"{field}.exercise", f"no exercise called {raw['exercise']!r}") from None
        dose_data = raw.get("dose")
        if dose_data is None and handout:
            dose_data = {"handout": handout}
        dose = _dose(catalog, ex.id, dose_data, f"{field}.dose")
        position = raw.get("position")
        if position is not None and position not in ex.positions:
            raise InvalidInput(f"{field}.position", f"{ex.name} is done {' or '.join(ex.positions)}")
        items.append(ScriptItem(ex, dose, position))
    title = data.get("title")
    return (title if isinstance(title, str) and title else "Your session"), items


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


def _step_json(step: Any) -> dict[str, Any]:
    out = asdict(step)
    out["details"] = list(step.details)
    return out


def script_json(script: Script, *, screened: bool = False) -> dict[str, Any]:
    return {
        "title": script.title,
        "total_seconds": script.total_seconds,
        "minutes": round(script.total_seconds / 60, 2),
        "screened": screened,
        "reminders": list(script.reminders),
        "steps": [_step_json(s) for s in script.steps],
    }


def plan_script(catalog: Catalog, plan: Plan) -> Script:
    """The session for a plan made in this process (no JSON round trip)."""
    return compile_script(
        script_items(plan.items), words=catalog.vocabulary, posture=catalog.posture, title=plan.title
    )
