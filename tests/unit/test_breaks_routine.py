"""The routine for each break: desk exercises from the person's program, rotated to cover the day."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from upright.catalog import Catalog
from upright.catalog.readability import readability
from upright.domain.break_routine import (
    MAX_SECONDS,
    break_script,
    desk_items,
    plan_day,
    routine_now,
    times_per_day,
)
from upright.domain.breaks import ABOUT_BREAKS
from upright.domain.dose import starting_dose
from upright.domain.script import ScriptItem
from upright.errors import InvalidInput


def program(catalog: Catalog, template_id: str) -> list[ScriptItem]:
    tpl = catalog.template(template_id)
    return [ScriptItem(catalog.exercise(e), starting_dose(catalog.exercise(e), tpl.file)) for e in tpl.items]


def mixed(catalog: Catalog) -> list[ScriptItem]:
    """A home program with floor work and a band, plus two desk stretches."""
    ids = ["childs-pose", "resisted-rows", "chin-tuck", "wall-push-up", "shoulder-rolls", "bird-dog"]
    return [ScriptItem(catalog.exercise(i), starting_dose(catalog.exercise(i))) for i in ids]


def test_only_desk_exercises_make_it_each_with_a_reason_for_the_rest(catalog: Catalog) -> None:
    kept, left = desk_items(mixed(catalog), words=catalog.vocabulary)
    assert [k.exercise.id for k in kept] == ["chin-tuck", "shoulder-rolls"]
    assert all(k.where in ("sitting", "standing") for k in kept)
    reasons = {x.exercise: x.reason for x in left}
    assert set(reasons) == {"childs-pose", "resisted-rows", "wall-push-up", "bird-dog"}
    assert "not for a desk" in reasons["childs-pose"]
    assert "not for a desk" in reasons["resisted-rows"]  # a band exercise is not marked desk-friendly


def test_equipment_must_be_at_hand(catalog: Catalog) -> None:
    # No desk-friendly exercise needs equipment today; check the rule on a made-up one.
    band = catalog.exercise("shoulder-rolls").model_copy(update={"equipment": ("resistance-band",)})
    item = ScriptItem(band, starting_dose(catalog.exercise("shoulder-rolls")))
    kept, left = desk_items([item], words=catalog.vocabulary)
    assert not kept and "stretch band" in left[0].reason
    kept, left = desk_items([item], at_hand={"resistance-band"}, words=catalog.vocabulary)
    assert [k.exercise.id for k in kept] == ["shoulder-rolls"] and not left


def test_times_per_day_come_from_the_handout(catalog: Catalog) -> None:
    by_id = {i.exercise.id: times_per_day(i) for i in program(catalog, "posture-and-neck-stretches")}
    # chin tuck and side tilt: "several times a day"; shoulder squeeze: twice; forward bend: not said.
    assert by_id == {
        "chin-tuck": 3,
        "lateral-flexion": 3,
        "shoulder-squeeze-breathing": 2,
        "cervical-flexion": 1,
    }


def test_a_work_day_of_breaks_covers_every_daily_dose(catalog: Catalog) -> None:
    items, _ = desk_items(program(catalog, "posture-and-neck-stretches"), words=catalog.vocabulary)
    plan = plan_day(items, breaks=10, words=catalog.vocabulary)  # 09:00-17:00 every 45 minutes
    done = Counter(ex for r in plan for ex in r.exercises)
    for item in items:
        assert done[item.exercise.id] >= times_per_day(item), item.exercise.id
    # Rotation: the same exercise is not the whole of two breaks in a row.
    for a, b in itertools.pairwise(plan):
        assert a.exercises != b.exercises


def test_each_break_is_about_one_to_two_minutes(catalog: Catalog) -> None:
    items, _ = desk_items(program(catalog, "workday-microbreaks"), words=catalog.vocabulary)
    for routine in plan_day(items, breaks=10, words=catalog.vocabulary):
        assert 50 <= routine.seconds <= MAX_SECONDS
    # A single long exercise is still one whole break: its dose is not cut.
    neck, _ = desk_items(program(catalog, "posture-and-neck-stretches"), words=catalog.vocabulary)
    longest = max(plan_day(neck, breaks=4, words=catalog.vocabulary), key=lambda r: r.seconds)
    assert len(longest.items) == 1 and longest.seconds < 180


def test_the_routine_is_a_script_from_the_session_compiler_without_the_pain_check(catalog: Catalog) -> None:
    items, _ = desk_items(program(catalog, "workday-microbreaks"), words=catalog.vocabulary)
    routine = routine_now(items, words=catalog.vocabulary)
    kinds = [s.kind for s in routine.script.steps]
    assert kinds[0] == "get-ready" and "safety" in kinds and "pain-check" not in kinds
    last = routine.script.steps[-1]
    assert (last.show, last.needs_answer) == ("Your break is done", True)
    assert [s.needs_answer for s in routine.script.steps].count(True) == 1
    starts = [s.start for s in routine.script.steps]
    assert starts == sorted(starts) and starts[0] == 0
    assert routine.seconds == pytest.approx(last.start + last.seconds)
    assert break_script(list(routine.items), words=catalog.vocabulary).total_seconds == routine.seconds


def test_the_next_routine_starts_with_what_is_furthest_behind(catalog: Catalog) -> None:
    items, _ = desk_items(program(catalog, "posture-and-neck-stretches"), words=catalog.vocabulary)
    first = routine_now(items, words=catalog.vocabulary)
    assert first.exercises == ("chin-tuck",)
    assert "3 times a day. This is time 1." in first.reason
    after = routine_now(items, ["chin-tuck", "lateral-flexion"], words=catalog.vocabulary)
    assert after.exercises[0] == "shoulder-squeeze-breathing"


def test_the_same_inputs_give_the_same_routine(catalog: Catalog) -> None:
    items, _ = desk_items(program(catalog, "workday-microbreaks"), words=catalog.vocabulary)
    assert (
        routine_now(items, ["shoulder-rolls"], words=catalog.vocabulary).exercises
        == routine_now(items, ["shoulder-rolls"], words=catalog.vocabulary).exercises
    )


def test_a_program_with_no_desk_exercise_is_a_plain_error(catalog: Catalog) -> None:
    with pytest.raises(InvalidInput) as err:
        routine_now([], words=catalog.vocabulary)
    assert err.value.field == "program"


def test_patient_words_are_plain(catalog: Catalog) -> None:
    items, left = desk_items(mixed(catalog), words=catalog.vocabulary)
    text = " ".join(
        [ABOUT_BREAKS, routine_now(items, words=catalog.vocabulary).reason, *(x.reason for x in left)]
    )
    assert readability(text).flesch_kincaid <= 5


def test_a_clinicians_times_a_day_replace_the_handouts_in_the_rotation(catalog: Catalog) -> None:
    items, _ = desk_items(
        program(catalog, "posture-and-neck-stretches"), words=catalog.vocabulary, at_hand=()
    )
    first = items[-1].exercise.id  # last in program order: chosen first only when furthest behind
    routines = plan_day(items, breaks=10, words=catalog.vocabulary, prescribed={first: 6})
    usual = plan_day(items, breaks=10, words=catalog.vocabulary)
    done = Counter(ex for r in routines for ex in r.exercises)
    assert done[first] > Counter(ex for r in usual for ex in r.exercises)[first]
    assert routines[0].exercises[0] == first and "has it 6 times a day" in routines[0].reason
