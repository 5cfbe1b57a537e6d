"""The one count every player's result goes through (domain.tally): times in the handout's unit."""

from __future__ import annotations

from upright.catalog import Catalog
from upright.domain.dose import set_dose, starting_dose
from upright.domain.script import ScriptItem, Step, compile_script, exercise_parts
from upright.domain.tally import Tally, tally, tally_item

from .engine_factories import exercise


def item(catalog: Catalog, ex_id: str, handout: str | None = None, **numbers: int | None) -> ScriptItem:
    dose = starting_dose(catalog.exercise(ex_id), handout)
    return ScriptItem(catalog.exercise(ex_id), set_dose(dose, **numbers) if numbers else dose)


def everything(it: ScriptItem) -> set[int]:
    return set(range(len(exercise_parts(it))))


def up_to(it: ScriptItem, last: int) -> set[int]:
    """Every part up to and including `last`: a player that stopped there."""
    return set(range(last + 1))


def rep_ends(it: ScriptItem) -> list[Step]:
    return [s for s in exercise_parts(it) if s.ends_rep]


def test_head_rolls_three_times_three_sets_is_nine_times_and_eighteen_holds(catalog: Catalog) -> None:
    it = item(catalog, "head-rolls", hold_seconds=5, reps=3, sets=3)
    assert it.dose.each_side
    assert tally_item(it, everything(it)) == Tally(sets=3, reps=9, holds=18, status="done")
    assert len(rep_ends(it)) == 9  # one end per time: the circle, not the chin-down before the sides


def test_bird_dog_five_sets_is_five_times_and_ten_holds(catalog: Catalog) -> None:
    it = item(catalog, "bird-dog")
    assert (it.dose.reps, it.dose.sets, it.dose.each_side) == (None, 5, True)
    assert tally_item(it, everything(it)) == Tally(sets=5, reps=5, holds=10, status="done")


def test_each_side_one_side_at_a_time_counts_a_time_when_both_sides_are_done(catalog: Catalog) -> None:
    it = item(catalog, "open-books")  # 10 times on one side, then 10 on the other; no hold
    assert (it.dose.reps, it.dose.sets, it.dose.each_side, it.dose.hold_seconds) == (10, 1, True, None)
    assert tally_item(it, everything(it)) == Tally(sets=1, reps=10, holds=0, status="done")
    ends = rep_ends(it)
    assert len(ends) == 20  # each side's rep has its own end
    right_side_and_four_left = up_to(it, ends[13].part or 0)
    assert tally_item(it, right_side_and_four_left) == Tally(sets=0, reps=4, holds=0, status="partial")


def test_the_hold_variant_counts_holds_on_each_side(catalog: Catalog) -> None:
    ex = catalog.exercise("open-books")
    dose = starting_dose(ex, None, variant="Hold each stretch")
    it = ScriptItem(ex, dose)
    assert tally_item(it, everything(it)) == Tally(sets=1, reps=5, holds=10, status="done")


def test_holds_without_sides(catalog: Catalog) -> None:
    it = item(catalog, "chin-tuck")
    full = tally_item(it, everything(it))
    assert full.reps == it.dose.reps_per_set * it.dose.sets
    assert full.holds == (full.reps if it.dose.hold_seconds else 0)
    assert full.status == "done"


def test_a_stop_part_way_counts_finished_times_and_sets_only(catalog: Catalog) -> None:
    it = item(catalog, "head-rolls", hold_seconds=5, reps=3, sets=3)
    ends = rep_ends(it)
    after_four = up_to(it, ends[3].part or 0)  # set 1 done, one time of set 2
    assert tally_item(it, after_four) == Tally(sets=1, reps=4, holds=8, status="partial")
    mid_time = up_to(it, (ends[3].part or 0) + 3)  # into time 5: chin down, roll right, right hold
    assert tally_item(it, mid_time) == Tally(sets=1, reps=4, holds=9, status="partial")


def test_nothing_done_is_skipped_and_a_missing_rep_leaves_its_set_open(catalog: Catalog) -> None:
    it = item(catalog, "head-rolls", hold_seconds=5, reps=3, sets=3)
    assert tally_item(it, set()) == Tally(sets=0, reps=0, holds=0, status="skipped")
    first_rep = {s.part for s in exercise_parts(it) if s.set == 1 and s.rep == 1}
    all_but_first = everything(it) - first_rep
    counted = tally_item(it, all_but_first)
    assert (counted.sets, counted.reps, counted.status) == (2, 8, "partial")


def test_rests_and_side_switches_do_not_count() -> None:
    ex = exercise("test-move", dose={"hold_seconds": [5, 5], "reps": [2, 2], "sets": 2, "each_side": True})
    it = ScriptItem(ex, starting_dose(ex, None))
    parts = exercise_parts(it)
    kinds = [p.kind for p in parts]
    assert "rest" in kinds and "side-switch" in kinds
    only_moves = {p.part or 0 for p in parts if p.kind in ("move", "hold")}
    assert tally(parts, only_moves) == Tally(sets=2, reps=4, holds=8, status="done")


def test_parts_in_the_session_script_match_the_block(catalog: Catalog) -> None:
    items = [item(catalog, "head-rolls"), item(catalog, "bird-dog")]
    script = compile_script(items, words=catalog.vocabulary, posture=catalog.posture)
    assert script.pain_threshold == 7
    for n, it in enumerate(items):
        in_script = [s for s in script.steps if s.item == n and s.part is not None]
        block = exercise_parts(it, n)
        assert [(s.part, s.kind, s.set, s.rep, s.ends_rep) for s in in_script] == [
            (s.part, s.kind, s.set, s.rep, s.ends_rep) for s in block
        ]
