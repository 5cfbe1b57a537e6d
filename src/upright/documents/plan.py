"""Plans and doses: the plan the engine makes (`upright plan --json`, POST /api/plan, the stored plan),
the request for one, and a program or plan read back in (`upright script`, `upright handout`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Protocol, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from upright.catalog.vocabulary import Vocabulary
from upright.documents.errors import field_error
from upright.documents.fields import Slug
from upright.documents.types import Pair, Stamp, Text, id_list
from upright.domain.dose import DoseRange, PlannedDose, dose_words
from upright.domain.planning import Plan, PlanInputs
from upright.domain.script import ScriptItem, block_seconds

__all__ = [
    "ChoosePlanIn",
    "DoseChangeDoc",
    "DoseDoc",
    "DoseIn",
    "DoseRangeDoc",
    "ExcludedDoc",
    "HandoutPlanDoc",
    "ItemIn",
    "Items",
    "LeftOutIn",
    "PlanAuthorDoc",
    "PlanChangesDoc",
    "PlanDoc",
    "PlanInputsDoc",
    "PlanItemDoc",
    "PlanOptionsDoc",
    "PlanOut",
    "PlanRequest",
    "PrescribedDoc",
    "ProgramIn",
    "StoredPlanDoc",
    "StoredPlanItemDoc",
]


# ---- out ---------------------------------------------------------------------------------------


class DoseRangeDoc(BaseModel):
    """The handout's range for each number, [low, high]; null where the handout gives none."""

    hold_seconds: Pair | None
    reps: Pair | None
    sets: Pair | None

    @classmethod
    def of(cls, r: DoseRange) -> DoseRangeDoc:
        return cls(hold_seconds=r.hold_seconds, reps=r.reps, sets=r.sets)


class DoseDoc(BaseModel):
    """One exercise's dose as planned: the numbers, their handout range, and the words shown."""

    handout: str
    variant: str | None
    hold_seconds: int | None
    reps: int | None
    sets: int
    each_side: bool
    range: DoseRangeDoc
    clinician_set: bool
    given: bool
    text: str

    @classmethod
    def of(cls, d: PlannedDose, words: Vocabulary) -> DoseDoc:
        return cls(
            handout=d.handout, variant=d.variant, hold_seconds=d.hold_seconds, reps=d.reps, sets=d.sets,
            each_side=d.each_side, range=DoseRangeDoc.of(d.range), clinician_set=d.clinician_set,
            given=d.given, text=dose_words(d, words),
        )  # fmt: skip


class PlanItemDoc(BaseModel):
    exercise: str
    name: str
    position: str
    dose: DoseDoc
    reason: str
    substitute_for: str | None
    seconds: float


class ExcludedDoc(BaseModel):
    exercise: str
    name: str
    reason: str
    rule: str
    substitute: str | None


class PlanInputsDoc(BaseModel):
    setting: str
    equipment: list[str]
    conditions: list[str]
    minutes: float
    focus: str
    template: str | None

    @classmethod
    def of(cls, i: PlanInputs) -> PlanInputsDoc:
        return cls(
            setting=i.setting, equipment=sorted(i.equipment), conditions=list(i.conditions),
            minutes=i.minutes, focus=i.focus, template=i.template,
        )  # fmt: skip


class PlanDoc(BaseModel):
    """A personal program: items with dose and reason, what was left out and why, the time it takes."""

    title: str
    template: str | None
    inputs: PlanInputsDoc
    items: list[PlanItemDoc]
    excluded: list[ExcludedDoc]
    minutes: float
    seconds: float
    fits: bool
    notes: list[str]

    @classmethod
    def of(cls, plan: Plan, words: Vocabulary, **more: Any) -> Self:
        return cls(
            **more,
            title=plan.title,
            template=plan.inputs.template,
            inputs=PlanInputsDoc.of(plan.inputs),
            items=[
                PlanItemDoc(
                    exercise=it.exercise.id,
                    name=it.exercise.name,
                    position=it.position,
                    dose=DoseDoc.of(it.dose, words),
                    reason=it.reason,
                    substitute_for=it.substitute_for,
                    seconds=block_seconds(ScriptItem(it.exercise, it.dose, it.position)),
                )
                for it in plan.items
            ],
            excluded=[
                ExcludedDoc(
                    exercise=x.exercise.id,
                    name=x.exercise.name,
                    reason=x.reason,
                    rule=x.rule,
                    substitute=x.substitute,
                )
                for x in plan.excluded
            ],
            minutes=round(plan.minutes, 2),
            seconds=plan.seconds,
            fits=plan.fits,
            notes=list(plan.notes),
        )


class DoseChangeDoc(BaseModel):
    """One exercise's dose moved after a session (services.progression), and why."""

    exercise: str
    name: str
    direction: str  # up, down or same
    reason: str


class PlanChangesDoc(BaseModel):
    """The dose changes one session made."""

    at: Stamp
    session: str
    changes: list[DoseChangeDoc]


class StoredPlanItemDoc(PlanItemDoc):
    """An item of a stored plan. Prescriptions saved before the position was written out left it
    empty: the exercise's own position."""

    model_config = ConfigDict(from_attributes=True)  # a fresh plan's PlanItemDoc reads as one too

    position: str | None  # type: ignore[assignment]  # wider than a fresh plan's: old stored rows


class PrescribedDoc(BaseModel):
    """Who set a prescribed plan, when, and what it asks for (the patient's "Set by ... on ...")."""

    by: str
    on: str  # the day it was set, ISO
    version: int
    changes: list[str]
    note: str
    per_week: int
    times_per_day: int
    start: str  # ISO day
    weeks: int
    break_exercises: list[str] = []


class PlanAuthorDoc(BaseModel):
    """Who made a plan that did not come from the person's own answers (a clinician, a care plan)."""

    role: str
    name: str


class StoredPlanDoc(PlanDoc):
    """A plan as stored (`PlanRow.body`) and as /api/me shows it: the engine's plan, whose doses move
    after sessions, plus the last dose changes, newest last. A clinician's prescription or a care plan
    brought in has no answers it was fitted to (`inputs` is null) and says who set it."""

    inputs: PlanInputsDoc | None = None  # type: ignore[assignment]
    items: list[StoredPlanItemDoc]  # type: ignore[assignment]
    changes: list[PlanChangesDoc] = []
    prescribed: PrescribedDoc | None = None
    author: PlanAuthorDoc | None = None


class HandoutPlanDoc(StoredPlanDoc):
    """A handout program fitted to the person (GET /api/me/plan/options)."""

    program: str | None


class PlanOptionsDoc(BaseModel):
    """The suggested program and every handout program, each fitted to the person (not stored)."""

    suggested: StoredPlanDoc
    handouts: list[HandoutPlanDoc]


class StoredPlanRow(Protocol):
    """A stored plan's facts (services.plans.StoredPlan): its row's id, source and program, and the body."""

    @property
    def id(self) -> int | None: ...
    @property
    def source(self) -> str | None: ...
    @property
    def template_id(self) -> str | None: ...
    @property
    def body(self) -> dict[str, Any]: ...


class PlanOut(BaseModel):
    id: int | None
    source: str | None
    template_id: str | None
    plan: StoredPlanDoc

    @classmethod
    def of(cls, stored: StoredPlanRow) -> PlanOut:
        return cls(
            id=stored.id,
            source=stored.source,
            template_id=stored.template_id,
            plan=StoredPlanDoc.model_validate(stored.body),
        )


# ---- in ----------------------------------------------------------------------------------------


class ChoosePlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    choice: Literal["suggested", "handout"] = Field(
        description="The engine's suggestion, or a handout program"
    )
    program: Slug | None = Field(None, description="The handout program id, when choice is 'handout'")


def _number(value: Any) -> Any:
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
    raise ValueError("give a whole number or [min, max]")


def _bounds(value: Any) -> Any:
    value = _number(value)
    if isinstance(value, int):
        value = (value, value)
    if value is not None and not 1 <= value[0] <= value[1]:
        raise ValueError("give [min, max] with 1 <= min <= max")
    return value


DoseNumber = Annotated[int | Pair | None, BeforeValidator(_number)]
Bounds = Annotated[Pair | None, BeforeValidator(_bounds)]


def _object(what: str) -> Any:
    def check(value: Any) -> Any:
        if value is not None and not isinstance(value, dict):
            raise ValueError(what)
        return value

    return BeforeValidator(check)


class RangeIn(BaseModel):
    """A doctor's or therapist's own range (with "clinician_set": true)."""

    hold_seconds: Bounds = None
    reps: Bounds = None
    sets: Bounds = None


class DoseIn(BaseModel):
    """A dose as a plan prints it (`DoseDoc`) or as a handout program prints it (numbers as [min,
    max]). Only what is given counts; the rest comes from the handout. Other handout fields (notes,
    variants) are kept for the printed handout."""

    model_config = ConfigDict(extra="allow")

    handout: str | None = None
    variant: str | None = None
    hold_seconds: DoseNumber = None
    reps: DoseNumber = None
    sets: DoseNumber = None
    clinician_set: bool = False
    range: Annotated[
        RangeIn | None, _object("give an object with hold_seconds, reps and sets as [min, max]")
    ] = None


def _dose(value: Any) -> Any:
    if isinstance(value, str):  # only a handout file name: that handout's dose
        return {"handout": value}
    if value is not None and not isinstance(value, dict):
        raise ValueError("the dose must be an object (as `upright plan --json` prints it)")
    return value


def _exercise(value: Any) -> Any:
    if isinstance(value, dict):  # tolerate {"exercise": {"id": ...}}
        value = value.get("id")
    if not isinstance(value, str):
        raise ValueError('each item needs an "exercise" id')
    return value


def _item(value: Any) -> Any:
    if not isinstance(value, dict | ItemIn):
        raise ValueError('each item must be an object with an "exercise" id')
    return value


class ItemIn(BaseModel):
    """One exercise of a plan or program: only "exercise" is needed."""

    model_config = ConfigDict(extra="allow")

    exercise: Annotated[str, BeforeValidator(_exercise)]
    dose: Annotated[DoseIn | None, BeforeValidator(_dose)] = None
    position: str | None = None
    reason: Text | None = None


def _items(value: Any) -> Any:
    if value is not None and (not isinstance(value, list) or not value):
        raise ValueError('give a list of items, each with an "exercise" id')
    return value


def _excluded(value: Any) -> Any:
    if isinstance(value, str):
        return {"exercise": value}
    if not isinstance(value, dict):
        raise ValueError("must be an object with 'exercise' and 'reason'")
    return value


def _minutes_left(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError("must be a number of minutes, 0 or more")
    return value


class LeftOutIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    exercise: str | None = None
    reason: Text | None = None


class SettingIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    setting: str | None = None


def _list(value: Any) -> Any:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError("must be a list")
    return value


Items = Annotated[list[Annotated[ItemIn, BeforeValidator(_item)]] | None, BeforeValidator(_items)]


class ProgramIn(BaseModel):
    """A program to play or print: a plan (`upright plan --json`), a handout program (`upright
    program ID --json`), or {"program": id}. Fields it does not use are let through (a plan has many)."""

    model_config = ConfigDict(extra="allow")

    program: str | None = None
    title: Text | None = None
    file: str | None = None  # a handout program's file: the dose of items that give none
    items: Items = None
    inputs: SettingIn | None = None
    setting: str | None = None
    excluded: Annotated[list[Annotated[LeftOutIn, BeforeValidator(_excluded)]], BeforeValidator(_list)] = []
    notes: Annotated[list[Text | None], BeforeValidator(_list)] = []
    minutes: Annotated[float | None, BeforeValidator(_minutes_left)] = None


# ---- plan request ------------------------------------------------------------------------------


def _word(value: Any) -> str:
    """A choice as typed; anything else becomes text, so the domain's error lists the choices."""
    return str(value).strip().lower()


def _minutes(value: Any) -> float:
    """Minutes as typed ("15", "7.5") or as a JSON number; the domain checks the range."""
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            raise ValueError(f"give the minutes as a number, like 15; you gave {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("give the minutes as a number, like 15")
    return float(value)


def _names(field: str, example: str) -> Any:
    """Names as a list (each may be a comma list, as typed after --equipment) or one string."""

    def check(value: Any) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple):
            raise field_error(field, f'give a list of names, like ["{example}"]')
        out: list[str] = []
        for raw in value:
            try:
                out.extend(id_list(raw, example))
            except ValueError as exc:
                raise field_error(field, str(exc)) from None
        return out

    return BeforeValidator(check)


def _template(value: Any) -> Any:
    if value is not None and not isinstance(value, str):
        raise ValueError("give a program id, like healthy-upper-back")
    return value or None


Names = list[Annotated[str, StringConstraints(max_length=60)]]


class PlanRequest(BaseModel):
    """What a plan is made from: `upright plan` options, POST /api/plan. The engine checks the values."""

    model_config = ConfigDict(extra="forbid")

    setting: Annotated[str, BeforeValidator(_word)] = Field("home", description="home or work")
    equipment: Annotated[Names, _names("equipment", "mat"), Field(max_length=60)] = Field(
        default_factory=list, description="e.g. band, dumbbells, mat, wall, doorway"
    )
    conditions: Annotated[Names, _names("condition", "knee-pain"), Field(max_length=60)] = Field(
        default_factory=list, description="e.g. knee-pain"
    )
    minutes: Annotated[float, BeforeValidator(_minutes)] = Field(
        15.0, description="Minutes for one session: more than 0, at most 180"
    )
    focus: Annotated[str, BeforeValidator(_word)] = Field(
        "mixed", description="stretch, strengthen, posture or mixed"
    )
    template: Annotated[str | None, BeforeValidator(_template)] = Field(
        None, description="A handout program id to start from"
    )
