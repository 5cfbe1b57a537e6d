"""Compile a program into one session timeline. The browser and terminal players only play it.

A script is a flat list of `Step`s. Each step says what it is (`kind`), how long it lasts
(`seconds`; its offset from the start is `start`), what to show and what to speak, and where it
sits (exercise, rep, set, side). A player needs nothing else: it shows `show` (and `details`),
speaks `say`, counts down `seconds` (a big countdown for `hold`), and waits for a person's answer
only where `needs_answer` is true.

The order inside a session:

    get-ready · safety · then for each exercise:
        exercise (name, how to get into position, how much; then every do / don't cue and
                  caution, spoken once here at set-up and shown with the how-to steps)
        posture (neutral posture set-up, for exercises that use it)
        for each set: for each side: for each rep: one `move` or `hold` step per phase
        (side-switch between sides, rest between sets)
    pain-check (last)

Every step of an exercise's block (moves, holds, side switches, rests) carries `part`, its place in
that block, so a player can report which parts were done and `domain.tally` can count them against
the same block rebuilt from the exercise and its dose (`exercise_parts`). A move or hold that closes
a rep carries `ends_rep`. The script also carries the pain score from which a player stops offering
to go on (`pain_threshold`).

Sides come in two shapes. When the exercise's phases name their side (head rolls: right hold, left
hold, circle), one rep already covers both sides. Otherwise an each-side dose does all the reps of a
set on one side, then a side switch, then the other side (open books). Hold phases last the dose's
hold seconds; a dose without a hold skips them (open books hold only in their hold variant).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from upright.catalog.schema import Exercise, Phase, PostureChecklist
from upright.catalog.vocabulary import Vocabulary
from upright.domain.dose import PlannedDose, dose_words
from upright.domain.progress import SEVERE_PAIN
from upright.domain.wording import steps_in
from upright.errors import InvalidInput

__all__ = [
    "FLOOR_POSITIONS",
    "Script",
    "ScriptItem",
    "Step",
    "StepKind",
    "block_seconds",
    "compile_script",
    "exercise_cues",
    "exercise_parts",
    "item_seconds_upper_bound",
    "known_exercise",
    "reminder_seconds",
    "session_minutes",
    "session_overhead_seconds",
]

StepKind = Literal[
    "get-ready", "safety", "exercise", "posture", "move", "hold", "side-switch", "rest", "pain-check"
]

GET_READY_SECONDS = 10.0
SAFETY_SECONDS = 12.0
REMINDER_SECONDS = 6.0  # each extra reminder read at the start (e.g. no clinician clearance yet)
TRANSITION_SECONDS = 10.0  # from one exercise to the next
FLOOR_CHANGE_SECONDS = 20.0  # getting down to the floor or back up takes longer
CUE_SECONDS = 3.0  # each do / don't cue and caution, spoken once when an exercise is set up
POSTURE_CHECK_SECONDS = 3.0  # each line of the neutral posture checklist, the first time
POSTURE_AGAIN_SECONDS = 6.0  # later exercises: a short "find your posture again"
SIDE_SWITCH_SECONDS = 5.0
REST_SECONDS = 20.0  # between sets
SHORT_REST_SECONDS = 10.0  # between sets of a single rep (bird dog: one hold each side per set)
PAIN_CHECK_SECONDS = 20.0

FLOOR_POSITIONS = frozenset({"kneeling", "hands-and-knees", "side-lying"})

BREATH_WORDS = {"in": "Breathe in.", "out": "Breathe out.", "normal": "Breathe normally."}

SAFETY_TEXT = (
    "Go slow and smooth. Some discomfort is normal at first, but pain is not. "
    "If it hurts, ease off or stop. Breathe normally. Do not hold your breath."
)
PAIN_CHECK_TEXT = "How is your pain now? Pick a number from 0, no pain, to 10, the worst pain."


@dataclass(frozen=True)
class ScriptItem:
    """One exercise of a program, with the dose and the position it is done in."""

    exercise: Exercise
    dose: PlannedDose
    position: str | None = None  # None: the exercise's own starting position

    @property
    def where(self) -> str:
        return self.position or self.exercise.position


def known_exercise(exercises: Mapping[str, Exercise], exercise_id: str, *, field: str) -> Exercise:
    """The catalog's exercise a person or a clinician named (in a session result, a prescription),
    or InvalidInput naming the field."""
    ex = exercises.get(exercise_id)
    if ex is None:
        raise InvalidInput(field, f"there is no exercise called {exercise_id!r}")
    return ex


@dataclass(frozen=True)
class Step:
    kind: StepKind
    seconds: float
    show: str
    say: str
    index: int = 0
    start: float = 0.0  # seconds from the start of the session
    details: tuple[str, ...] = ()  # lines to show under `show` (how-to steps, posture checks)
    exercise: str | None = None
    exercise_name: str | None = None
    item: int | None = None  # index of the exercise in the program
    phase: str | None = None
    breath: Literal["in", "out", "normal"] | None = None
    rep: int | None = None
    reps: int | None = None
    set: int | None = None
    sets: int | None = None
    side: int | None = None
    sides: int | None = None
    side_name: str | None = None  # "right" / "left" when the exercise names it
    needs_answer: bool = False
    part: int | None = None  # place in its exercise's block (exercise_parts); None outside a block
    ends_rep: bool = False  # the last move or hold of a rep (on this side)


@dataclass(frozen=True)
class Script:
    title: str
    steps: tuple[Step, ...]
    total_seconds: float
    reminders: tuple[str, ...] = field(default=())
    pain_threshold: int = SEVERE_PAIN  # "This hurts" from this score on: no "go on", end for today


def _sides_in_phases(exercise: Exercise) -> list[str]:
    seen: list[str] = []
    for phase in exercise.phases:
        side = phase.side
        if side and side not in seen:
            seen.append(side)
    return seen


def _phase_seconds(phase: Phase, dose: PlannedDose) -> float | None:
    """Seconds of one phase; None when it is skipped (a hold the dose does not ask for)."""
    if phase.hold:
        return float(dose.hold_seconds) if dose.hold_seconds else None
    return float(phase.seconds)


def _breath_words(phase: Phase) -> str:
    """The phase's own breathing words ("Breathe in through your nose."), else the plain cue."""
    for sentence in phase.say.split(". "):
        if sentence.lower().startswith("breathe"):
            return sentence if sentence.endswith(".") else sentence + "."
    return BREATH_WORDS[phase.breath]


def _spoken(text: str, breath: str, *, speak_normal: bool) -> str:
    if "breath" in text.lower():  # breathe, breathing, breath: the phase already says it
        return text
    if breath in ("in", "out") or speak_normal:
        return f"{text} {BREATH_WORDS[breath]}"
    return text


def _rep_steps(item: ScriptItem, base: Step, *, first_of_block: bool) -> Iterator[Step]:
    dose, names = item.dose, _sides_in_phases(item.exercise)
    phases = [(p, s) for p in item.exercise.phases if (s := _phase_seconds(p, dose)) is not None]
    for n, (phase, seconds) in enumerate(phases):
        kind: StepKind = "hold" if phase.hold else "move"
        say = _spoken(phase.say, phase.breath, speak_normal=phase.hold and first_of_block)
        if phase.hold:
            say = f"{say} {seconds:g} seconds."
        if n == 0 and (base.reps or 1) > 1:
            say = f"{base.rep} of {base.reps}. {say}"
        side_name = phase.side
        side = (names.index(side_name) + 1) if side_name else base.side
        yield replace(
            base,
            kind=kind,
            seconds=seconds,
            show=phase.say,
            say=say,
            phase=phase.key,
            breath=phase.breath,
            side=side,
            side_name=side_name,
            details=(_breath_words(phase),),
        )


def _exercise_steps(item: ScriptItem, item_index: int) -> Iterator[Step]:
    """Every move, hold, side switch and rest of one exercise (without its intro)."""
    ex, dose = item.exercise, item.dose
    phase_sides = _sides_in_phases(ex)
    block_sides = 2 if dose.each_side and not phase_sides else 1
    sides_total = len(phase_sides) if phase_sides else block_sides
    reps = dose.reps_per_set
    base = Step(
        kind="move",
        seconds=0,
        show="",
        say="",
        exercise=ex.id,
        exercise_name=ex.name,
        item=item_index,
        reps=reps,
        sets=dose.sets,
        sides=sides_total if sides_total > 1 else None,
    )
    for set_no in range(1, dose.sets + 1):
        for side in range(1, block_sides + 1):
            if side > 1:
                roll = item.where == "side-lying"
                yield replace(
                    base,
                    kind="side-switch",
                    seconds=SIDE_SWITCH_SECONDS,
                    show="Switch sides",
                    say="Roll over to your other side." if roll else "Now switch to the other side.",
                    set=set_no,
                    side=side,
                )
            for rep in range(1, reps + 1):
                at = replace(base, rep=rep, set=set_no, side=side if block_sides > 1 else None)
                yield from _rep_steps(item, at, first_of_block=rep == 1)
        if set_no < dose.sets:
            rest = REST_SECONDS if reps > 1 else SHORT_REST_SECONDS
            yield replace(
                base,
                kind="rest",
                seconds=rest,
                show="Rest",
                say=f"Rest for {rest:g} seconds. Then set {set_no + 1} of {dose.sets}.",
                set=set_no,
                details=("Relax. Breathe normally.",),
            )


def exercise_parts(item: ScriptItem, item_index: int = 0) -> tuple[Step, ...]:
    """The block of one exercise as a player plays it, each step numbered (`part`), rep ends marked."""
    steps = list(_exercise_steps(item, item_index))
    one_side_at_a_time = item.dose.each_side and not _sides_in_phases(item.exercise)

    def rep_of(step: Step) -> tuple[int | None, int | None, int | None] | None:
        if step.kind not in ("move", "hold"):
            return None
        return (step.set, step.side if one_side_at_a_time else None, step.rep)

    return tuple(
        replace(
            step,
            part=n,
            ends_rep=rep_of(step) is not None
            and (n + 1 == len(steps) or rep_of(steps[n + 1]) != rep_of(step)),
        )
        for n, step in enumerate(steps)
    )


def _intro(item: ScriptItem, item_index: int, previous: ScriptItem | None, words: Vocabulary) -> Step:
    ex = item.exercise
    moving_floor = previous is not None and (
        (previous.where in FLOOR_POSITIONS) != (item.where in FLOOR_POSITIONS)
    )
    if previous is None:
        moving_floor = item.where in FLOOR_POSITIONS
    cues = exercise_cues(ex)
    seconds = (FLOOR_CHANGE_SECONDS if moving_floor else TRANSITION_SECONDS) + CUE_SECONDS * len(cues)
    how_much = dose_words(item.dose, words)
    said = ". ".join(part[:1].upper() + part[1:] for part in how_much.split(" · "))
    opening = f"Next: {ex.name}. {words.word('position_steps', item.where)} {said}.".replace("..", ".")
    return Step(
        kind="exercise",
        seconds=seconds,
        show=f"{ex.name}: {how_much}",
        say=" ".join((opening.replace("  ", " ").strip(), *cues)),
        details=(*steps_in(ex, item.where), *ex.breathing, *cues),
        exercise=ex.id,
        exercise_name=ex.name,
        item=item_index,
        reps=item.dose.reps_per_set,
        sets=item.dose.sets,
    )


def exercise_cues(ex: Exercise) -> tuple[str, ...]:
    """Every do and don't cue, then every caution: what a person must hear before the first rep."""
    return tuple(dict.fromkeys((*ex.cues.do, *ex.cues.dont, *ex.cautions)))


def _posture(item: ScriptItem, item_index: int, posture: PostureChecklist | None, *, first: bool) -> Step:
    ex = item.exercise
    if first and posture is not None:
        checklist = posture.for_position(item.where)  # in a chair at a desk: the seated checklist
        return Step(
            kind="posture",
            seconds=max(POSTURE_AGAIN_SECONDS, POSTURE_CHECK_SECONDS * len(checklist.checks)),
            show=checklist.title,
            say=" ".join((checklist.intro, *checklist.checks)),
            details=checklist.checks,
            exercise=ex.id,
            exercise_name=ex.name,
            item=item_index,
        )
    return Step(
        kind="posture",
        seconds=POSTURE_AGAIN_SECONDS,
        show="Find your neutral posture",
        say="Find your neutral posture again. Head over your shoulders. Chin level.",
        exercise=ex.id,
        exercise_name=ex.name,
        item=item_index,
    )


def _equipment_words(items: Sequence[ScriptItem], words: Vocabulary) -> str:
    needed = sorted({e for item in items for e in item.exercise.needs})
    return f" Have these at hand: {', '.join(words.word('equipment', e) for e in needed)}." if needed else ""


def compile_script(
    items: Sequence[ScriptItem],
    *,
    words: Vocabulary,
    posture: PostureChecklist | None = None,
    reminders: Sequence[str] = (),
    title: str = "Your session",
    final_step: Step | None = None,
) -> Script:
    """The whole session as one timeline. `reminders` are read after the safety words, every session.
    `words` is the catalog's vocabulary (how to get into each position, what to have at hand).

    `final_step` replaces the closing pain check (a work break ends with a plain "done" instead)."""
    if not items:
        raise InvalidInput("items", "a session needs at least one exercise")
    for i, item in enumerate(items):
        if item.dose.hold_seconds and not any(p.hold for p in item.exercise.phases):
            raise InvalidInput(
                f"items[{i}].dose.hold_seconds",
                f"{item.exercise.name} has no part where you hold still, so it cannot have a hold time",
            )
    steps: list[Step] = [
        Step(
            kind="get-ready",
            seconds=GET_READY_SECONDS,
            show="Get ready",
            say="Get ready. Clear a little space around you." + _equipment_words(items, words),
        ),
        Step(
            kind="safety",
            seconds=SAFETY_SECONDS + REMINDER_SECONDS * len(reminders),
            show="Stay safe",
            say=" ".join((SAFETY_TEXT, *reminders)),
            details=(SAFETY_TEXT, *reminders),
        ),
    ]
    posture_done = False
    previous: ScriptItem | None = None
    for i, item in enumerate(items):
        steps.append(_intro(item, i, previous, words))
        if item.exercise.uses_neutral_posture:
            steps.append(_posture(item, i, posture, first=not posture_done))
            posture_done = True
        steps.extend(exercise_parts(item, i))
        previous = item
    steps.append(
        final_step
        or Step(
            kind="pain-check",
            seconds=PAIN_CHECK_SECONDS,
            show="How is your pain now?",
            say=f"Well done. {PAIN_CHECK_TEXT}",
            needs_answer=True,
        )
    )
    timed: list[Step] = []
    clock = 0.0
    for index, step in enumerate(steps):
        timed.append(replace(step, index=index, start=clock))
        clock += step.seconds
    return Script(
        title=title,
        steps=tuple(timed),
        total_seconds=sum(s.seconds for s in timed),
        reminders=tuple(reminders),
    )


def block_seconds(item: ScriptItem) -> float:
    """Seconds of one exercise's moves, holds, side switches and rests (no intro, no posture)."""
    return sum(s.seconds for s in _exercise_steps(item, 0))


def item_seconds_upper_bound(item: ScriptItem, posture: PostureChecklist | None) -> float:
    """The most this exercise can add to a session, wherever it sits in the order."""
    posture_seconds = 0.0
    if item.exercise.uses_neutral_posture:
        checks = len(posture.for_position(item.where).checks) if posture else 0
        posture_seconds = max(POSTURE_AGAIN_SECONDS, POSTURE_CHECK_SECONDS * checks)
    cue_seconds = CUE_SECONDS * len(exercise_cues(item.exercise))
    return block_seconds(item) + FLOOR_CHANGE_SECONDS + cue_seconds + posture_seconds


def session_minutes(seconds: float) -> int:
    """The minutes every page and handout shows for a session: whole minutes, rounded up, at least 1."""
    return max(1, math.ceil(seconds / 60 - 1e-9))


def reminder_seconds(count: int) -> float:
    """What `count` reminders add to a session (the safety step reads each one)."""
    return REMINDER_SECONDS * count


def session_overhead_seconds(reminders: int = 0) -> float:
    """Seconds every session spends outside the exercises: get ready, safety words, pain check."""
    return GET_READY_SECONDS + SAFETY_SECONDS + REMINDER_SECONDS * reminders + PAIN_CHECK_SECONDS
