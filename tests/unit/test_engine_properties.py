"""Properties that hold for any input: nothing excluded is planned, doses stay in their handout's range,
plans fit the minutes or say why, emergency always blocks, and scripts add up."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from upright.catalog import builtin_vocabulary, load_catalog
from upright.catalog.schema import EQUIPMENT
from upright.domain.dose import handout_dose, next_dose, starting_dose
from upright.domain.exclusions import check_conditions, exclusion_for
from upright.domain.planning import FOCUSES, SETTINGS, PlanInputs, at_hand, make_plan, script_items
from upright.domain.screening import SEVERITY, ScreeningAnswers, can_start_session, screen
from upright.domain.script import ScriptItem, compile_script
from upright.errors import SafetyStop
from upright.services.engine import build_script

from .engine_factories import exercise

WORDS = builtin_vocabulary()  # the catalog's words (vocabulary.yaml), as the app uses them

CATALOG = load_catalog()  # read once: hypothesis calls each test many times
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GEAR = [e for e in EQUIPMENT if e != "none"]

plan_inputs = st.builds(
    PlanInputs,
    setting=st.sampled_from(SETTINGS),
    equipment=st.frozensets(st.sampled_from(GEAR)),
    conditions=st.lists(st.sampled_from(sorted(CATALOG.conditions)), unique=True).map(tuple),
    minutes=st.floats(min_value=0.25, max_value=180, allow_nan=False),
    focus=st.sampled_from(FOCUSES),
    template=st.none() | st.sampled_from(sorted(CATALOG.templates)),
)
answers = st.fixed_dictionaries({q.id: st.booleans() for q in CATALOG.screening})
conditions = st.lists(st.sampled_from(sorted(CATALOG.conditions)), unique=True).map(tuple)
EMERGENCY = [q.id for q in CATALOG.screening if q.outcome == "emergency"]
SEEK_CARE_NOW = [q.id for q in CATALOG.screening if q.outcome == "seek_care_now"]


def raised(flag: str) -> dict[str, bool]:
    """Answers that raise this flag: "yes" to it and to every question it follows, "no" to its doctor check."""
    by_id = {q.id: q for q in CATALOG.screening}
    out = {flag: True}
    q_id: str | None = by_id[flag].follows
    while q_id:
        out[q_id] = True
        q_id = by_id[q_id].follows
    out.update({q.id: False for q in CATALOG.screening if q.follows == flag and q.kind == "doctor-checked"})
    return out


@settings(max_examples=150, deadline=None)
@given(inputs=plan_inputs)
def test_no_excluded_exercise_is_ever_planned(inputs: PlanInputs) -> None:
    plan = make_plan(CATALOG, inputs)
    conds = check_conditions(inputs.conditions, CATALOG.conditions)
    planned = [it.exercise.id for it in plan.items]
    assert len(planned) == len(set(planned))
    assert not set(planned) & {x.exercise.id for x in plan.excluded}
    for it in plan.items:
        assert exclusion_for(it.exercise, conds) is None
        assert it.exercise.needs <= at_hand(inputs)  # what was ticked, plus a wall and a doorway at home
        assert inputs.setting == "home" or it.exercise.desk_friendly
        assert it.position in it.exercise.positions
        assert it.reason
    for x in plan.excluded:
        assert x.reason and x.rule
        assert x.substitute is None or x.substitute in planned


@settings(max_examples=150, deadline=None)
@given(inputs=plan_inputs)
def test_every_dose_is_within_its_handout_range(inputs: PlanInputs) -> None:
    plan = make_plan(CATALOG, inputs)
    for it in plan.items:
        dose = it.dose
        numbers = handout_dose(it.exercise, dose.handout, variant=dose.variant)
        assert not dose.clinician_set
        for value, bounds in ((dose.hold_seconds, numbers.hold_seconds), (dose.reps, numbers.reps)):
            if bounds is None:
                assert value is None
            else:
                assert value == bounds[0]  # and it starts at the low end
        assert dose.sets == (numbers.sets or 1)


@settings(max_examples=150, deadline=None)
@given(inputs=plan_inputs)
def test_the_plan_fits_the_minutes_or_says_why_not(inputs: PlanInputs) -> None:
    plan = make_plan(CATALOG, inputs)
    if plan.items:
        script = compile_script(script_items(plan.items), posture=CATALOG.posture, words=WORDS)
        assert plan.seconds == script.total_seconds
    if plan.seconds <= inputs.minutes * 60:
        assert plan.fits
    else:
        assert not plan.fits
        assert any(f"more than the {inputs.minutes:g}" in note for note in plan.notes)
    if not plan.items:
        assert plan.notes


@settings(max_examples=60, deadline=None)
@given(inputs=plan_inputs)
def test_same_inputs_give_the_same_plan(inputs: PlanInputs) -> None:
    assert make_plan(CATALOG, inputs) == make_plan(CATALOG, inputs)


@settings(max_examples=200, deadline=None)
@given(given_answers=answers, emergency=st.sampled_from(EMERGENCY), cleared=st.booleans(), conds=conditions)
def test_emergency_always_blocks(
    given_answers: dict[str, bool], emergency: str, cleared: bool, conds: tuple[str, ...]
) -> None:
    given_answers = {**given_answers, **raised(emergency)}
    result = screen(
        CATALOG.screening, CATALOG.conditions, ScreeningAnswers(given_answers, cleared, conds), at=NOW
    )
    assert result.outcome == "emergency"
    assert not can_start_session(result)
    with pytest.raises(SafetyStop):
        build_script(CATALOG, "healthy-upper-back", screening=result)


@settings(max_examples=200, deadline=None)
@given(given_answers=answers, flag=st.sampled_from(SEEK_CARE_NOW), cleared=st.booleans(), conds=conditions)
def test_seek_care_now_always_blocks_too(
    given_answers: dict[str, bool], flag: str, cleared: bool, conds: tuple[str, ...]
) -> None:
    given_answers = {**given_answers, **raised(flag)}
    result = screen(
        CATALOG.screening, CATALOG.conditions, ScreeningAnswers(given_answers, cleared, conds), at=NOW
    )
    assert result.outcome in ("emergency", "seek_care_now")
    assert not can_start_session(result)
    with pytest.raises(SafetyStop):
        build_script(CATALOG, "healthy-upper-back", screening=result)


@settings(max_examples=200, deadline=None)
@given(given_answers=answers, cleared=st.booleans())
def test_the_outcome_is_the_most_urgent_yes_and_every_yes_is_a_reason(
    given_answers: dict[str, bool], cleared: bool
) -> None:
    result = screen(
        CATALOG.screening, CATALOG.conditions, ScreeningAnswers(given_answers, cleared), at=NOW,
        combined=CATALOG.screening_combined,
    )  # fmt: skip
    # A follow-up counts only after a "yes" to the question it follows; a doctor's check said "yes"
    # clears the flag it follows; a combined rule adds its outcome when enough of its signs are raised.
    asked: set[str] = set()
    for q in CATALOG.screening:
        if q.follows is None or (q.follows in asked and given_answers[q.follows]):
            asked.add(q.id)
    cleared_by_check = {
        q.follows
        for q in CATALOG.screening
        if q.kind == "doctor-checked" and q.id in asked and given_answers[q.id]
    }
    yes = [
        q for q in CATALOG.screening
        if q.kind == "sign" and q.id in asked and given_answers[q.id] and q.id not in cleared_by_check
    ]  # fmt: skip
    outcomes = [q.outcome for q in yes]
    for rule in CATALOG.screening_combined:
        if len({q.id for q in yes} & set(rule.any_of)) >= rule.at_least:
            outcomes.append(rule.outcome)
    expected = min((SEVERITY.index(o) for o in outcomes), default=SEVERITY.index("ok"))
    assert result.outcome == SEVERITY[expected]
    for q in yes:
        if q.outcome != "ok":
            assert q.reason in result.reasons
    ranks = [SEVERITY.index(f.outcome) for f in result.findings]
    assert ranks == sorted(ranks)
    assert can_start_session(result) == (result.outcome not in ("emergency", "seek_care_now"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ex_id=st.sampled_from(sorted(CATALOG.exercises)),
    sessions=st.lists(st.tuples(st.integers(0, 10), st.booleans()), max_size=25),
    baseline=st.integers(0, 10),
)
def test_progression_never_leaves_the_handout_range(
    ex_id: str, sessions: list[tuple[int, bool]], baseline: int
) -> None:
    ex = CATALOG.exercise(ex_id)
    dose = starting_dose(ex)
    for pain, stopped in sessions:
        change = next_dose(dose, pain=pain, baseline=baseline, stopped_for_pain=stopped)
        after = change.after
        moved = [p for p in ("hold_seconds", "reps", "sets") if after.value(p) != dose.value(p)]  # type: ignore[arg-type]
        assert len(moved) <= 1  # one step at a time
        assert (change.changed is None) == (not moved)
        if stopped or pain - baseline >= 2:
            assert change.direction in ("down", "same")
        elif pain > baseline:
            assert change.direction == "same"
        else:
            assert change.direction in ("up", "same")
        for p in ("hold_seconds", "reps", "sets"):
            value, bounds = after.value(p), after.range.bounds(p)  # type: ignore[arg-type]
            if value is not None and bounds is not None:
                assert bounds[0] <= value <= bounds[1]
        assert after.range == dose.range
        assert change.reason
        dose = after


@st.composite
def script_programs(draw: st.DrawFn) -> list[ScriptItem]:
    items = []
    for i in range(draw(st.integers(1, 4))):
        hold = draw(
            st.none() | st.tuples(st.integers(1, 30), st.integers(0, 30)).map(lambda t: [t[0], t[0] + t[1]])
        )
        reps = draw(st.none() | st.integers(1, 6).map(lambda n: [n, n + 2]))
        sets = draw(st.none() | st.integers(1, 3))
        ex = exercise(
            f"ex-{i}",
            position=draw(st.sampled_from(["sitting", "standing", "kneeling", "side-lying"])),
            uses_neutral_posture=draw(st.booleans()),
            dose={"hold_seconds": hold, "reps": reps, "sets": sets, "each_side": draw(st.booleans())},
        )
        items.append(ScriptItem(ex, starting_dose(ex)))
    return items


@settings(max_examples=150, deadline=None)
@given(program=script_programs())
def test_scripts_add_up_and_holds_use_the_dose(program: list[ScriptItem]) -> None:
    script = compile_script(program, posture=CATALOG.posture, words=WORDS)
    assert script.total_seconds == sum(s.seconds for s in script.steps)
    assert script.steps[0].kind == "get-ready" and script.steps[-1].kind == "pain-check"
    for i, item in enumerate(program):
        steps = [s for s in script.steps if s.item == i]
        holds = [s for s in steps if s.kind == "hold"]
        dose = item.dose
        sides = 2 if dose.each_side else 1
        if dose.hold_seconds:
            assert len(holds) == dose.reps_per_set * dose.sets * sides
            assert all(h.seconds == dose.hold_seconds for h in holds)
        else:
            assert not holds
        assert sum(s.kind == "side-switch" for s in steps) == (dose.sets if sides == 2 else 0)
        assert sum(s.kind == "rest" for s in steps) == dose.sets - 1
