"""What a handout is made from, in one shape: a handout template or a personal plan.

    program_from_template(catalog.template("healthy-upper-back"), catalog)
    program_from_plan(json.loads(Path("plan.json").read_text()), catalog)   # `upright plan --json`

A plan file comes from outside, so its shape is checked by documents.plan.ProgramIn (the model
`upright script` reads it with too) and a bad field raises InvalidInput naming it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from upright.catalog.load import Catalog
from upright.catalog.schema import POSITIONS, Dose, Exercise, HandoutTemplate
from upright.documents.errors import invalid_input, parse
from upright.documents.plan import DoseIn, ItemIn, LeftOutIn, ProgramIn
from upright.errors import InvalidInput, NotFound

__all__ = ["LeftOut", "Program", "ProgramItem", "program_from_plan", "program_from_template"]


@dataclass(frozen=True)
class ProgramItem:
    """One exercise with the dose to print and, for a personal plan, why it is there."""

    exercise: Exercise
    dose: Dose
    reason: str | None = None
    position: str | None = None  # where a personal plan has it done (sitting at a desk); None: its own


@dataclass(frozen=True)
class LeftOut:
    """An exercise a personal plan left out, with the reason in patient words."""

    name: str
    reason: str


@dataclass(frozen=True)
class Program:
    title: str
    summary: str
    items: tuple[ProgramItem, ...]
    is_personal: bool = False
    setting: str = "any"
    uses_neutral_posture: bool = False
    rule_ids: tuple[str, ...] = ()  # general rules (catalog.rules) the program names
    left_out: tuple[LeftOut, ...] = ()
    notes: tuple[str, ...] = ()
    minutes: float | None = None


def program_from_template(tpl: HandoutTemplate, catalog: Catalog) -> Program:
    items = []
    for ex_id in tpl.items:
        ex = catalog.exercise(ex_id)
        dose = ex.dose_for(tpl.file)
        if dose is None:  # the loader checks this; a clinic folder could still slip past
            raise NotFound("dose", f"{ex_id} in {tpl.file}")
        items.append(ProgramItem(ex, dose))
    return Program(
        title=tpl.title,
        summary=tpl.summary,
        items=tuple(items),
        setting=tpl.setting,
        uses_neutral_posture=tpl.uses_neutral_posture,
        rule_ids=tpl.rules,
    )


PLAN_TITLE = "Your exercise plan"
PLAN_SUMMARY = "These are the exercises picked for you, with how much of each to do."


def program_from_plan(data: Mapping[str, Any] | ProgramIn, catalog: Catalog) -> Program:
    """Accept the shape `upright plan --json` prints (documents.plan.PlanDoc), read as a ProgramIn:
    {"title", "inputs": {"setting"}, "items": [{"exercise", "dose", "reason"}], "excluded":
    [{"exercise", "reason"}], "minutes", "notes"}. Only "items" is required."""
    if not isinstance(data, ProgramIn):
        if not isinstance(data, Mapping):
            raise InvalidInput("plan", "a plan file must hold one JSON object with an 'items' list")
        data = parse(ProgramIn, dict(data), whole="plan")
    if not data.items:
        raise InvalidInput("items", "a plan needs a list of at least one exercise")
    items = tuple(_plan_item(i, raw, catalog) for i, raw in enumerate(data.items))
    files = {item.dose.handout for item in items}
    templates = [t for t in catalog.templates.values() if t.file in files]
    rule_ids = tuple(dict.fromkeys(r for t in templates for r in t.rules))
    setting = data.inputs.setting if data.inputs is not None else data.setting
    return Program(
        title=(data.title or "").strip() or PLAN_TITLE,
        summary=PLAN_SUMMARY,
        items=items,
        is_personal=True,
        setting=setting if setting in ("home", "work") else "any",
        uses_neutral_posture=any(i.exercise.uses_neutral_posture for i in items)
        or any(t.uses_neutral_posture for t in templates),
        rule_ids=rule_ids,
        left_out=tuple(_left_out(x, catalog) for x in data.excluded),
        notes=tuple(n.strip() for n in data.notes if n and n.strip()),
        minutes=data.minutes,
    )


def _plan_item(index: int, raw: ItemIn, catalog: Catalog) -> ProgramItem:
    where = f"items[{index}]"
    ex = catalog.exercises.get(raw.exercise)
    if ex is None:
        raise InvalidInput(f"{where}.exercise", f"no exercise called {raw.exercise!r} in the catalog")
    if raw.position is not None and raw.position not in ex.positions:
        allowed = ", ".join(p for p in POSITIONS if p in ex.positions)
        raise InvalidInput(f"{where}.position", f"{ex.name} is done {allowed}, not {raw.position!r}")
    reason = (raw.reason or "").strip() or None
    return ProgramItem(ex, _dose(ex, raw.dose, f"{where}.dose"), reason, raw.position)


def _dose(ex: Exercise, raw: DoseIn | None, field: str) -> Dose:
    """A dose as a plan prints it. Numbers given override the handout's (a plan may have moved them
    up or down); missing wording fields come from the handout's own dose."""
    base = ex.dose_for(raw.handout) if raw is not None and raw.handout else ex.doses[0]
    if base is None:
        assert raw is not None
        where = field if raw.model_fields_set == {"handout"} else f"{field}.handout"
        raise InvalidInput(where, f"{ex.name} has no dose from handout {raw.handout!r}")
    if raw is None or (raw.model_fields_set <= {"handout"} and not raw.model_extra):
        return base  # only a handout file name, or nothing: the handout's dose
    given = raw.model_dump(exclude_unset=True)
    merged: dict[str, Any] = base.model_dump()
    merged.update({k: v for k, v in given.items() if k in Dose.model_fields})
    if given.get("sets") == 1 and base.sets is None:
        merged["sets"] = None  # a planned dose counts one set; the handout never says "1 set"
    if given.get("variant"):
        merged["variants"] = []  # the plan already chose one way; offering others would confuse
    elif "variants" in given:
        merged["variants"] = [
            {k: v for k, v in var.items() if k in _VARIANT_FIELDS}
            for var in given.get("variants") or []
            if isinstance(var, Mapping)
        ]
    try:
        return Dose.model_validate(merged)
    except ValidationError as exc:
        raise invalid_input(exc, prefix=field) from None


_VARIANT_FIELDS = {"name", "note", "hold_seconds", "reps", "sets", "each_side"}


def _left_out(raw: LeftOutIn, catalog: Catalog) -> LeftOut:
    ex = catalog.exercises.get(raw.exercise) if raw.exercise else None
    name = ex.name if ex else (raw.exercise or "An exercise")
    return LeftOut(name, (raw.reason or "").strip())
