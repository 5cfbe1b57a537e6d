"""The session script a player plays: the engine's timeline (`upright script --json`, POST /api/script),
the person's session (GET /api/me/session/script, with targets), and a break's short routine."""

from __future__ import annotations

from dataclasses import asdict
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from upright.catalog.vocabulary import Vocabulary
from upright.documents.plan import Items
from upright.documents.screening import ScreeningRequest
from upright.domain.dose import dose_words
from upright.domain.progress import SEVERE_PAIN
from upright.domain.script import Script, ScriptItem, Step, StepKind

__all__ = [
    "BreakRoutineDoc",
    "ScriptDoc",
    "ScriptRequest",
    "SessionScriptDoc",
    "StepDoc",
    "TargetDoc",
]


class StepDoc(BaseModel):
    """One step of the timeline: what to show and say, for how long, and where it stands in the set."""

    kind: StepKind
    seconds: float
    show: str
    say: str
    index: int
    start: float  # seconds from the start of the session
    details: list[str]  # lines to show under `show` (how-to steps, posture checks)
    exercise: str | None
    exercise_name: str | None
    item: int | None  # index of the exercise in the program
    phase: str | None
    breath: Literal["in", "out", "normal"] | None
    rep: int | None
    reps: int | None
    set: int | None
    sets: int | None
    side: int | None
    sides: int | None
    side_name: str | None
    needs_answer: bool
    part: int | None = None  # place in its exercise's block; players report the parts they finished
    ends_rep: bool = False  # the last move or hold of a rep (on this side)

    @classmethod
    def of(cls, step: Step) -> StepDoc:
        return cls.model_validate(asdict(step))


class ScriptDoc(BaseModel):
    """A compiled session: every step with its seconds, the total, and reminders read at the start."""

    title: str
    total_seconds: float
    minutes: float
    screened: bool
    reminders: list[str]
    pain_threshold: int = SEVERE_PAIN  # "This hurts" from this score on: no "go on", end for today
    steps: list[StepDoc]

    @classmethod
    def of(cls, script: Script, *, screened: bool = False) -> ScriptDoc:
        return cls(
            title=script.title,
            total_seconds=script.total_seconds,
            minutes=round(script.total_seconds / 60, 2),
            screened=screened,
            reminders=list(script.reminders),
            pain_threshold=script.pain_threshold,
            steps=[StepDoc.of(s) for s in script.steps],
        )


class TargetDoc(BaseModel):
    """What a player reports against: one exercise's target."""

    exercise: str
    name: str
    sets: int
    reps: int | None
    hold_seconds: int | None
    each_side: bool
    dose: str  # the dose in words

    @classmethod
    def of(cls, it: ScriptItem, words: Vocabulary) -> TargetDoc:
        return cls(
            exercise=it.exercise.id, name=it.exercise.name, sets=it.dose.sets, reps=it.dose.reps,
            hold_seconds=it.dose.hold_seconds, each_side=it.dose.each_side, dose=dose_words(it.dose, words),
        )  # fmt: skip


class SessionScriptDoc(ScriptDoc):
    """The person's session: the engine's script plus the plan or program played and the targets."""

    plan_id: int | None = None
    program: str | None = None
    targets: list[TargetDoc] = []


class LeftOutDoc(BaseModel):
    exercise: str
    reason: str


class BreakRoutineDoc(SessionScriptDoc):
    """A break's short routine in the player's script shape, plus why and what is left out. With no
    routine (a safety stop, pain today) it has no steps, and `rest` and `reason` say why."""

    title: str = "Your short break"
    total_seconds: float = 0.0
    minutes: int | None = None  # type: ignore[assignment]  # whole minutes here; null: no routine
    screened: bool = False
    reminders: list[str] = []
    steps: list[StepDoc] = []
    kind: Literal["break"] = "break"
    about: str
    note: str | None
    left_out: list[LeftOutDoc]
    stop_reasons: list[str]
    reason: str
    exercises: list[str] = []
    rest: str | None = None  # why no moves now (the rest advice's cause), or null


class ScriptRequest(BaseModel):
    """POST /api/script: a program id, or items (as a plan or handout program gives them), with
    screening answers when there are some."""

    model_config = ConfigDict(extra="forbid")

    program: str | None = Field(None, description="A handout program id (or give items)")
    title: str | None = None
    items: Items = Field(
        None, description='Plan or program items: {"exercise": id, "dose": {...}, "position": ...}'
    )
    file: str | None = Field(None, description="The handout file, as in a handout program's JSON")
    screening: ScreeningRequest | None = Field(
        None, description="Screening answers: a blocking outcome refuses the script (409)"
    )
