"""Models of the catalog's data files. Strict: an unknown field, a wrong type or an out-of-range
number is an error that names the field. Models are frozen so the loaded catalog can be shared.

Files (see catalog/README.md for a worked example of each):
    exercises/<id>.yaml     one Exercise
    handouts/<file>.yaml    one HandoutTemplate (a source handout as a program template)
    rules/general.yaml      GeneralRule list (safety, technique, follow-up care from the handouts)
    rules/conditions.yaml   Condition list (what a condition rules out, and why)
    rules/screening.yaml    ScreeningQuestion list (red flags and handout rules, with outcome and source)
    rules/screening_combined.yaml  ScreeningCombination list (signs more urgent together)
    posture.yaml            the neutral posture checklist
    vocabulary.yaml         the words for every id (catalog/vocabulary.py: Vocabulary)
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "CATEGORIES",
    "EQUIPMENT",
    "OUTCOMES",
    "POSITIONS",
    "REGIONS",
    "SCREENING_GROUPS",
    "Condition",
    "Cues",
    "Dose",
    "Exercise",
    "GeneralRule",
    "HandoutTemplate",
    "Phase",
    "PostureChecklist",
    "ScreeningCombination",
    "ScreeningQuestion",
    "SeatedPosture",
    "Variant",
]

Category = Literal["stretch", "mobility", "strengthening", "posture"]
Position = Literal[
    "sitting", "standing", "kneeling", "hands-and-knees", "side-lying", "at-wall", "in-doorway"
]
Equipment = Literal["none", "resistance-band", "anchor-point", "dumbbells", "wall", "doorway", "mat", "chair"]
Region = Literal["neck", "upper-back", "mid-back", "shoulders", "chest", "arms", "core", "hips"]
Breath = Literal["in", "out", "normal"]
Side = Literal["left", "right"]
Outcome = Literal["emergency", "seek_care_now", "call_clinician", "see_clinician_soon", "ok"]
RuleKind = Literal["safety", "technique", "follow-up", "workday"]
ScreeningGroup = Literal[
    "heart",
    "severe-pain",
    "nerves",
    "injury",
    "infection",
    "cancer",
    "organs",
    "not-improving",
    "worse-or-new",
    "dizziness",
]

CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]
POSITIONS: tuple[str, ...] = Position.__args__  # type: ignore[attr-defined]
EQUIPMENT: tuple[str, ...] = Equipment.__args__  # type: ignore[attr-defined]
REGIONS: tuple[str, ...] = Region.__args__  # type: ignore[attr-defined]
OUTCOMES: tuple[str, ...] = Outcome.__args__  # type: ignore[attr-defined]
SCREENING_GROUPS: tuple[str, ...] = ScreeningGroup.__args__  # type: ignore[attr-defined]

# Bounds a dose may never leave; the handouts sit well inside them. A value outside is a typo.
MAX_HOLD_SECONDS = 120
MAX_REPS = 30
MAX_SETS = 10
MAX_PER_DAY = 12

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HANDOUT_FILE = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$|^[a-z0-9][a-z0-9_.-]*$")

Text = Annotated[str, Field(min_length=1, max_length=600)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _as_range(value: object, *, low: int, high: int, what: str) -> tuple[int, int] | None:
    """Accept `5` or `[5, 10]`; return (min, max) after checking both ends lie in [low, high]."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a whole number or [min, max], not true/false")
    if isinstance(value, int):
        pair = (value, value)
    elif (
        isinstance(value, list | tuple)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        pair = (int(value[0]), int(value[1]))
    else:
        raise ValueError(f"{what} must be a whole number or [min, max]")
    lo, hi = pair
    if lo < low or hi > high:
        raise ValueError(f"{what} must be between {low} and {high}; got {list(pair)}")
    if hi < lo:
        raise ValueError(f"{what} max ({hi}) is smaller than min ({lo})")
    return pair


class _DoseNumbers(_Strict):
    hold_seconds: tuple[int, int] | None = None
    reps: tuple[int, int] | None = None
    sets: int | None = Field(default=None, ge=1, le=MAX_SETS)
    each_side: bool = False

    @field_validator("hold_seconds", mode="before")
    @classmethod
    def _hold(cls, v: object) -> tuple[int, int] | None:
        return _as_range(v, low=1, high=MAX_HOLD_SECONDS, what="hold seconds")

    @field_validator("reps", mode="before")
    @classmethod
    def _reps(cls, v: object) -> tuple[int, int] | None:
        return _as_range(v, low=1, high=MAX_REPS, what="repetitions")


class Variant(_DoseNumbers):
    """Another way the handout allows, e.g. open books as 5 holds of 30 s per side."""

    name: Annotated[str, Field(min_length=1, max_length=80)]
    note: Text | None = None


class Dose(_DoseNumbers):
    """One handout's dose for one exercise, with its numbers exactly as the handout gives them."""

    handout: Annotated[str, Field(pattern=HANDOUT_FILE.pattern)]
    name_in_handout: Annotated[str, Field(min_length=1, max_length=80)]
    per_day: tuple[int, int] | None = None
    per_day_text: Annotated[str, Field(max_length=60)] | None = None  # e.g. "several times a day"
    as_directed: bool = False  # the handout adds "or as directed": a clinician may change it
    variants: tuple[Variant, ...] = ()
    note: Text | None = None  # how the handout's words map onto these numbers, where not obvious

    @field_validator("per_day", mode="before")
    @classmethod
    def _per_day(cls, v: object) -> tuple[int, int] | None:
        return _as_range(v, low=1, high=MAX_PER_DAY, what="times per day")

    @property
    def is_given(self) -> bool:
        """False when the handout names the exercise but gives no numbers."""
        return any(x is not None for x in (self.hold_seconds, self.reps, self.sets))


class Cues(_Strict):
    do: tuple[Text, ...] = ()
    dont: tuple[Text, ...] = ()


class Phase(_Strict):
    """One part of a single repetition, spoken to the person in the guided session.

    `hold: true` phases last the dose's (or chosen variant's) hold seconds and are skipped when it
    gives none; the others take `seconds` to move. `side` marks phases of a repetition that already
    covers both sides (head rolls: right hold, left hold), so an `each_side` dose is not played twice."""

    key: Annotated[str, Field(pattern=SLUG.pattern)]
    say: Text
    hold: bool = False
    seconds: float = Field(default=3.0, gt=0, le=20)
    breath: Breath = "normal"
    side: Side | None = None


class Exercise(_Strict):
    id: Annotated[str, Field(pattern=SLUG.pattern, max_length=60)]
    name: Annotated[str, Field(min_length=1, max_length=80)]
    other_names: tuple[str, ...] = ()
    purpose: Text
    category: Category
    regions: tuple[Region, ...] = Field(min_length=1)
    position: Position
    other_positions: tuple[Position, ...] = ()
    equipment: tuple[Equipment, ...] = Field(min_length=1)
    uses_neutral_posture: bool = False
    desk_friendly: bool = False  # can be done at a desk in work clothes: sitting/standing, no floor
    steps: tuple[Text, ...] = Field(min_length=1)
    phases: tuple[Phase, ...] = Field(min_length=1)
    cues: Cues = Cues()
    cautions: tuple[Text, ...] = ()
    contraindications: tuple[Annotated[str, Field(pattern=SLUG.pattern)], ...] = ()
    breathing: tuple[Text, ...] = ()
    doses: tuple[Dose, ...] = Field(min_length=1)
    source_note: Text | None = None

    @field_validator("equipment")
    @classmethod
    def _none_alone(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if "none" in v and len(v) > 1:
            raise ValueError("'none' cannot be listed with other equipment")
        if len(set(v)) != len(v):
            raise ValueError("equipment is listed twice")
        return v

    @model_validator(mode="after")
    def _doses_unique(self) -> Exercise:
        files = [d.handout for d in self.doses]
        if len(set(files)) != len(files):
            raise ValueError("doses: two doses name the same handout")
        if any(d.hold_seconds for d in self.doses) and not any(p.hold for p in self.phases):
            raise ValueError("phases: a dose has hold seconds but no phase is marked hold: true")
        sides = {p.side for p in self.phases if p.side is not None}
        if sides and sides != {"left", "right"}:
            raise ValueError("phases: a phase names one side only; script the other side too")
        return self

    @property
    def positions(self) -> tuple[str, ...]:
        return (self.position, *self.other_positions)

    @property
    def needs(self) -> frozenset[str]:
        """Equipment that must be at hand (empty when none is needed)."""
        return frozenset(self.equipment) - {"none"}

    def dose_for(self, handout: str) -> Dose | None:
        return next((d for d in self.doses if d.handout == handout), None)


class GeneralRule(_Strict):
    """A rule a handout gives for the whole program: safety, technique, follow-up care."""

    id: Annotated[str, Field(pattern=SLUG.pattern)]
    kind: RuleKind
    text: Text
    handouts: tuple[str, ...] = Field(min_length=1)


class HandoutTemplate(_Strict):
    """A source handout as a ready program: its exercises in its order, each with that handout's dose."""

    id: Annotated[str, Field(pattern=SLUG.pattern)]
    file: Annotated[str, Field(pattern=HANDOUT_FILE.pattern)]
    title: Annotated[str, Field(min_length=1, max_length=100)]
    source: Text  # who published it and what kind of document it is
    summary: Text
    setting: Literal["home", "work", "any"] = "any"
    uses_neutral_posture: bool = False
    items: tuple[Annotated[str, Field(pattern=SLUG.pattern)], ...] = Field(min_length=1)
    rules: tuple[Annotated[str, Field(pattern=SLUG.pattern)], ...] = ()


class Condition(_Strict):
    """A health condition that changes the plan. Every exclusion it makes carries `reason`."""

    id: Annotated[str, Field(pattern=SLUG.pattern)]
    label: Text  # as the person sees it in the questionnaire
    reason: Text  # shown next to each exercise it rules out
    excludes_positions: tuple[Position, ...] = ()
    excludes_exercises: tuple[Annotated[str, Field(pattern=SLUG.pattern)], ...] = ()
    source: Text


class ScreeningQuestion(_Strict):
    """One yes/no question. A yes gives `outcome`, with `reason` shown to the person.

    `follows`: asked only after a "yes" to that question. `kind: doctor-checked`: such a follow-up
    ("Has a doctor checked this pain since it began?"); its "yes" clears the flag it follows and its
    "no" keeps it. `adds_condition`: a "yes" ticks this condition, so the plan leaves out what it rules out.
    """

    id: Annotated[str, Field(pattern=SLUG.pattern)]
    group: ScreeningGroup
    question: Text
    outcome: Outcome
    reason: Text
    source: Text
    follows: Annotated[str, Field(pattern=SLUG.pattern)] | None = None
    kind: Literal["sign", "doctor-checked"] = "sign"
    adds_condition: Annotated[str, Field(pattern=SLUG.pattern)] | None = None

    @model_validator(mode="after")
    def _checked_follows(self) -> ScreeningQuestion:
        if self.kind == "doctor-checked" and (self.follows is None or self.outcome != "ok"):
            raise ValueError(
                "a doctor-checked question needs `follows` and outcome ok (its yes clears a flag)"
            )
        return self


class ScreeningCombination(_Strict):
    """Signs that are more urgent together: `at_least` of `any_of` answered yes gives `outcome`."""

    id: Annotated[str, Field(pattern=SLUG.pattern)]
    group: ScreeningGroup
    any_of: tuple[Annotated[str, Field(pattern=SLUG.pattern)], ...] = Field(min_length=2)
    at_least: Annotated[int, Field(ge=2)]
    outcome: Outcome
    reason: Text
    source: Text


class SeatedPosture(_Strict):
    """The same neutral posture in a chair, for exercises done sitting (a work desk)."""

    title: Text
    intro: Text
    checks: tuple[Text, ...] = Field(min_length=3)


class PostureChecklist(_Strict):
    title: Text
    intro: Text
    checks: tuple[Text, ...] = Field(min_length=3)
    handout: str
    seated: SeatedPosture | None = None

    def for_position(self, position: str) -> PostureChecklist | SeatedPosture:
        """The checklist to read for an exercise done in `position`: the seated one when sitting."""
        return self.seated if position == "sitting" and self.seated is not None else self
