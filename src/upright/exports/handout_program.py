"""What a handout is made from, in one shape: a handout template or a personal plan.

    program_from_template(catalog.template("healthy-upper-back"), catalog)
    program_from_plan(json.loads(Path("plan.json").read_text()), catalog)   # `upright plan --json`

A plan file comes from outside, so every field is checked and a bad one raises InvalidInput naming it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from upright.catalog.load import Catalog
from upright.catalog.schema import POSITIONS, Dose, Exercise, HandoutTemplate
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


def program_from_plan(data: Mapping[str, Any], catalog: Catalog) -> Program:
    """Accept the shape `upright plan --json` prints (services/engine.py plan_json): {"title",
    "inputs": {"setting"}, "items": [{"exercise", "dose", "reason"}], "excluded": [{"exercise",
    "reason"}], "minutes", "notes"}. Only "items" is required."""
    if not isinstance(data, Mapping):
        raise InvalidInput("plan", "a plan file must hold one JSON object with an 'items' list")
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise InvalidInput("items", "a plan needs a list of at least one exercise")
    items = tuple(_plan_item(i, raw, catalog) for i, raw in enumerate(raw_items))
    files = {item.dose.handout for item in items}
    templates = [t for t in catalog.templates.values() if t.file in files]
    rule_ids = tuple(dict.fromkeys(r for t in templates for r in t.rules))
    inputs = data.get("inputs")
    setting = inputs.get("setting") if isinstance(inputs, Mapping) else data.get("setting")
    return Program(
        title=_text(data.get("title"), "title") or PLAN_TITLE,
        summary=PLAN_SUMMARY,
        items=items,
        is_personal=True,
        setting=setting if setting in ("home", "work") else "any",
        uses_neutral_posture=any(i.exercise.uses_neutral_posture for i in items)
        or any(t.uses_neutral_posture for t in templates),
        rule_ids=rule_ids,
        left_out=tuple(_left_out(i, raw, catalog) for i, raw in enumerate(_list(data, "excluded"))),
        notes=tuple(_text(n, f"notes[{i}]") or "" for i, n in enumerate(_list(data, "notes")) if n),
        minutes=_minutes(data.get("minutes")),
    )


def _list(data: Mapping[str, Any], key: str) -> Sequence[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise InvalidInput(key, "must be a list")
    return value


def _text(value: object, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(field, "must be text")
    return value.strip() or None


def _minutes(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise InvalidInput("minutes", "must be a number of minutes, 0 or more")
    return float(value)


def _plan_item(index: int, raw: object, catalog: Catalog) -> ProgramItem:
    where = f"items[{index}]"
    if not isinstance(raw, Mapping):
        raise InvalidInput(where, "each item must be an object with 'exercise' and 'dose'")
    ex_id = raw.get("exercise")
    if isinstance(ex_id, Mapping):  # tolerate {"exercise": {"id": ...}}
        ex_id = ex_id.get("id")
    if not isinstance(ex_id, str) or ex_id not in catalog.exercises:
        raise InvalidInput(f"{where}.exercise", f"no exercise called {ex_id!r} in the catalog")
    ex = catalog.exercises[ex_id]
    position = raw.get("position")
    if position is not None and position not in ex.positions:
        allowed = ", ".join(p for p in POSITIONS if p in ex.positions)
        raise InvalidInput(f"{where}.position", f"{ex.name} is done {allowed}, not {position!r}")
    return ProgramItem(
        ex,
        _dose(ex, raw.get("dose"), f"{where}.dose"),
        _text(raw.get("reason"), f"{where}.reason"),
        position,
    )


def _dose(ex: Exercise, raw: object, field: str) -> Dose:
    """A dose as `dose_json` prints it. Numbers given override the handout's (a plan may have moved
    them up or down); missing wording fields come from the handout's own dose."""
    if raw is None or isinstance(raw, str):
        # Only a handout file name, or nothing: the handout's dose (the first one when not named).
        found = ex.dose_for(raw) if raw else ex.doses[0]
        if found is None:
            raise InvalidInput(field, f"{ex.name} has no dose from handout {raw!r}")
        return found
    if not isinstance(raw, Mapping):
        raise InvalidInput(field, "must be a dose object (as `upright plan --json` prints it)")
    handout = raw.get("handout")
    base = ex.dose_for(handout) if isinstance(handout, str) else ex.doses[0]
    if base is None:
        raise InvalidInput(f"{field}.handout", f"{ex.name} has no dose from handout {handout!r}")
    merged: dict[str, Any] = base.model_dump()
    merged.update({k: v for k, v in raw.items() if k in Dose.model_fields})
    if raw.get("sets") == 1 and base.sets is None:
        merged["sets"] = None  # a planned dose counts one set; the handout never says "1 set"
    if raw.get("variant"):
        merged["variants"] = []  # the plan already chose one way; offering others would confuse
    elif "variants" in raw:
        merged["variants"] = [
            {k: v for k, v in var.items() if k in _VARIANT_FIELDS}
            for var in raw.get("variants") or []
            if isinstance(var, Mapping)
        ]
    try:
        return Dose.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(
            f"{field}.{loc}" if loc else field, first["msg"].removeprefix("Value error, ")
        ) from None


_VARIANT_FIELDS = {"name", "note", "hold_seconds", "reps", "sets", "each_side"}


def _left_out(index: int, raw: object, catalog: Catalog) -> LeftOut:
    field = f"excluded[{index}]"
    if isinstance(raw, str):
        ex = catalog.exercises.get(raw)
        return LeftOut(ex.name if ex else raw, "")
    if not isinstance(raw, Mapping):
        raise InvalidInput(field, "must be an object with 'exercise' and 'reason'")
    ex_id = raw.get("exercise")
    ex = catalog.exercises.get(ex_id) if isinstance(ex_id, str) else None
    name = ex.name if ex else (ex_id if isinstance(ex_id, str) else "An exercise")
    return LeftOut(name, _text(raw.get("reason"), f"{field}.reason") or "")
