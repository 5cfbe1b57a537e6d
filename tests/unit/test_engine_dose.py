"""Doses: start low, go up one step at a time while pain allows, step back after pain."""

from __future__ import annotations

import pytest

from upright.catalog import Catalog
from upright.domain.dose import (
    DoseRange,
    PlannedDose,
    choose_handout_dose,
    dose_words,
    next_dose,
    set_dose,
    starting_dose,
)
from upright.errors import InvalidInput

from .engine_factories import HANDOUT, OTHER_HANDOUT, exercise


def ladder_dose() -> PlannedDose:
    # hold 5-15, reps 3-6, and (handout gives 2 sets) sets 2-2
    return starting_dose(exercise(dose={"sets": 2}))


def test_start_at_the_low_end_of_the_handout_range(catalog: Catalog) -> None:
    """000 and 002: start each exercise slowly."""
    childs = starting_dose(catalog.exercise("childs-pose"), "000_7b31e79e88543bd0.txt")
    assert (childs.hold_seconds, childs.reps, childs.sets) == (15, 2, 1)
    assert childs.range == DoseRange(hold_seconds=(15, 30), reps=(2, 4), sets=(1, 1))
    chin = starting_dose(catalog.exercise("chin-tuck"))
    assert (chin.hold_seconds, chin.reps) == (5, 5)
    assert dose_words(chin, catalog.vocabulary) == "Hold 5 seconds · 5 times"


def test_the_gentlest_handout_is_chosen_when_several_give_the_exercise(catalog: Catalog) -> None:
    rolls = catalog.exercise("shoulder-rolls")  # 000: 2-4, 002: 10, 003: 5
    assert choose_handout_dose(rolls).handout == "000_7b31e79e88543bd0.txt"
    assert starting_dose(rolls).reps == 2


def test_up_goes_hold_then_reps_then_sets_one_step_at_a_time() -> None:
    dose = starting_dose(exercise(dose={"sets": None}))  # hold 5-15, reps 3-6, sets 1
    seen = []
    for _ in range(10):
        change = next_dose(dose, pain=2, baseline=3, stopped_for_pain=False)
        seen.append(change.changed)
        dose = change.after
    assert seen == ["hold_seconds", "hold_seconds", "reps", "reps", "reps", None, None, None, None, None]
    assert (dose.hold_seconds, dose.reps, dose.sets) == (15, 6, 1)
    assert "top of the handout's range" in change.reason


def test_no_step_up_when_pain_is_above_baseline() -> None:
    dose = ladder_dose()
    change = next_dose(dose, pain=4, baseline=3, stopped_for_pain=False)
    assert change.direction == "same" and change.after == dose
    assert "a bit over your usual" in change.reason


def test_no_step_up_after_a_pain_stop_even_with_low_pain() -> None:
    dose = set_dose(ladder_dose(), hold_seconds=10, reps=4)
    change = next_dose(dose, pain=1, baseline=3, stopped_for_pain=True)
    assert change.direction == "down"
    assert change.reason.startswith("You stopped for pain.")


def test_step_back_after_a_rise_of_two() -> None:
    dose = set_dose(ladder_dose(), hold_seconds=15, reps=5)
    change = next_dose(dose, pain=5, baseline=3, stopped_for_pain=False)
    assert change.direction == "down" and change.changed == "reps"
    assert change.after.reps == 4 and change.after.hold_seconds == 15
    assert "2 points over your usual 3" in change.reason


def test_step_back_goes_sets_then_reps_then_hold_and_stops_at_the_bottom() -> None:
    dose = PlannedDose(
        handout=HANDOUT,
        hold_seconds=15,
        reps=4,
        sets=2,
        each_side=False,
        range=DoseRange(hold_seconds=(5, 15), reps=(3, 6), sets=(1, 2)),
        clinician_set=True,
    )
    order = []
    for _ in range(6):
        change = next_dose(dose, pain=8, baseline=3, stopped_for_pain=False)
        order.append(change.changed)
        dose = change.after
    assert order == ["sets", "reps", "hold_seconds", "hold_seconds", None, None]
    assert (dose.hold_seconds, dose.reps, dose.sets) == (5, 3, 1)
    assert "smallest amount" in change.reason


def test_numbers_outside_the_handout_range_need_a_clinician() -> None:
    base = ladder_dose()
    with pytest.raises(InvalidInput) as err:
        set_dose(base, reps=8, field="items[0].dose")
    assert err.value.field == "items[0].dose.reps"
    set_by_clinician = set_dose(base, reps=8, clinician_set=True)
    assert set_by_clinician.reps == 8 and set_by_clinician.range.reps == (3, 8)
    # the ladder stays inside what the clinician set
    change = next_dose(
        set_dose(set_by_clinician, hold_seconds=15), pain=0, baseline=2, stopped_for_pain=False
    )
    assert change.direction == "same" and "top your doctor or therapist set" in change.reason


def test_numbers_can_never_pass_the_hard_limits() -> None:
    with pytest.raises(InvalidInput) as err:
        set_dose(ladder_dose(), hold_seconds=500, clinician_set=True)
    assert err.value.field == "dose.hold_seconds"


def test_a_handout_without_numbers_gives_one_slow_time_through(catalog: Catalog) -> None:
    dose = starting_dose(catalog.exercise("upper-back-movement"))
    assert (dose.hold_seconds, dose.reps, dose.sets, dose.given) == (None, None, 1, False)
    assert dose.reps_per_set == 1
    assert dose_words(dose, catalog.vocabulary).startswith(
        "The handout does not say how many. Do it once, slowly"
    )
    assert next_dose(dose, pain=0, baseline=3, stopped_for_pain=False).direction == "same"


def test_variant_numbers_are_their_own_range(catalog: Catalog) -> None:
    """002 open books: hold 30 s, 5 per side, instead of 10 reps."""
    dose = starting_dose(
        catalog.exercise("open-books"), "002_f6ed8e86e2be9667.txt", variant="Hold each stretch"
    )
    assert (dose.hold_seconds, dose.reps, dose.each_side, dose.variant) == (30, 5, True, "Hold each stretch")
    with pytest.raises(InvalidInput) as err:
        starting_dose(catalog.exercise("open-books"), "002_f6ed8e86e2be9667.txt", variant="fast")
    assert err.value.field == "dose.variant"


def test_unknown_handout_for_an_exercise_names_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        starting_dose(exercise(), OTHER_HANDOUT)
    assert err.value.field == "dose.handout"


@pytest.mark.parametrize("pain", [11, -1, 2.5, True, "3"])
def test_pain_out_of_range_is_refused(pain: object) -> None:
    with pytest.raises(InvalidInput) as err:
        next_dose(ladder_dose(), pain=pain, baseline=3, stopped_for_pain=False)  # type: ignore[arg-type]
    assert err.value.field == "pain"


def test_baseline_out_of_range_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        next_dose(ladder_dose(), pain=3, baseline=11, stopped_for_pain=False)
    assert err.value.field == "baseline"


def test_a_dose_can_never_be_made_outside_its_range() -> None:
    """However a dose is built (a stored plan, a bug), its numbers lie inside its range."""
    rng = DoseRange(hold_seconds=(15, 30), reps=(2, 4), sets=(1, 1))
    with pytest.raises(InvalidInput) as err:
        PlannedDose(handout=HANDOUT, hold_seconds=35, reps=2, sets=1, each_side=False, range=rng)
    assert err.value.field == "dose.hold_seconds"
    with pytest.raises(InvalidInput) as err:
        PlannedDose(handout=HANDOUT, hold_seconds=15, reps=None, sets=1, each_side=False, range=rng)
    assert err.value.field == "dose.reps"  # a range with no number to go with it
    with pytest.raises(InvalidInput):
        PlannedDose(handout=HANDOUT, hold_seconds=15, reps=2, sets=0, each_side=False, range=rng)


def test_a_range_where_min_equals_max_never_moves_and_says_why(catalog: Catalog) -> None:
    """001 scapular squeeze: hold 3 s, 3 times, no range to grow in."""
    dose = starting_dose(catalog.exercise("scapular-squeeze"), "001_ecffd9b40b861b24.txt")
    assert dose.range == DoseRange(hold_seconds=(3, 3), reps=(3, 3), sets=(1, 1))
    up = next_dose(dose, pain=0, baseline=2, stopped_for_pain=False)
    assert up.direction == "same" and up.after == dose and "top of the handout's range" in up.reason
    down = next_dose(dose, pain=6, baseline=2, stopped_for_pain=False)
    assert down.direction == "same" and "smallest amount" in down.reason


def test_the_hold_climbs_in_steps_of_5_and_lands_on_the_top_exactly(catalog: Catalog) -> None:
    dose = starting_dose(catalog.exercise("childs-pose"), "000_7b31e79e88543bd0.txt")  # hold 15-30, reps 2-4
    holds = [dose.hold_seconds]
    for _ in range(3):
        dose = next_dose(dose, pain=2, baseline=2, stopped_for_pain=False).after
        holds.append(dose.hold_seconds)
    assert holds == [15, 20, 25, 30]
    nxt = next_dose(dose, pain=2, baseline=2, stopped_for_pain=False)
    assert nxt.changed == "reps" and nxt.after.hold_seconds == 30 and nxt.after.reps == 3


def test_a_rise_of_exactly_one_holds_and_exactly_two_steps_back(catalog: Catalog) -> None:
    dose = set_dose(starting_dose(catalog.exercise("chin-tuck")), reps=7)
    assert next_dose(dose, pain=4, baseline=3, stopped_for_pain=False).direction == "same"
    back = next_dose(dose, pain=5, baseline=3, stopped_for_pain=False)
    assert back.direction == "down" and back.after.reps == 6


def test_a_dose_with_no_numbers_says_so_instead_of_a_top(catalog: Catalog) -> None:
    dose = starting_dose(catalog.exercise("shoulder-squeeze-arms-raised"))
    change = next_dose(dose, pain=0, baseline=3, stopped_for_pain=False)
    assert change.direction == "same"
    assert "gives no amount" in change.reason and "top of" not in change.reason


def test_a_clinician_range_keeps_the_handout_bounds_it_does_not_name(catalog: Catalog) -> None:
    base = starting_dose(catalog.exercise("childs-pose"), "000_7b31e79e88543bd0.txt")
    dose = set_dose(
        base, sets=2, clinician_set=True, range_override=DoseRange(hold_seconds=None, reps=None, sets=(1, 3))
    )
    assert dose.range == DoseRange(hold_seconds=(15, 30), reps=(2, 4), sets=(1, 3))
    assert (dose.hold_seconds, dose.reps, dose.sets, dose.clinician_set) == (15, 2, 2, True)
