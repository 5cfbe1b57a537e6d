"""Personal programs: what is in, what is out and why, substitutes, time budget, bad input."""

from __future__ import annotations

import pytest

from upright.catalog import Catalog, builtin_vocabulary
from upright.catalog.readability import readability
from upright.catalog.schema import HandoutTemplate
from upright.domain.planning import MAX_ITEMS, PlanInputs, make_plan, script_items
from upright.domain.script import compile_script
from upright.errors import InvalidInput

from .engine_factories import HANDOUT, condition, exercise, small_catalog

WORDS = builtin_vocabulary()  # the catalog's words (vocabulary.yaml), as the app uses them

ALL_GEAR = frozenset({"mat", "wall", "doorway", "resistance-band", "anchor-point", "dumbbells", "chair"})
KNEELING = {"childs-pose", "cat-camel", "bird-dog"}  # kneeling or hands-and-knees


def planned(plan_items: object) -> list[str]:
    return [it.exercise.id for it in plan_items]  # type: ignore[attr-defined]


def test_knee_pain_rules_out_every_kneeling_and_hands_and_knees_exercise(catalog: Catalog) -> None:
    """000 says no midback stretch with knee pain; the rule extends to all kneeling positions."""
    plan = make_plan(catalog, PlanInputs(equipment=ALL_GEAR, conditions=("knee-pain",), minutes=60))
    out = {x.exercise.id: x for x in plan.excluded}
    assert out.keys() >= KNEELING
    for ex_id in KNEELING:
        assert out[ex_id].rule == "condition:knee-pain"
        assert "knee" in out[ex_id].reason
    assert not KNEELING & set(planned(plan.items))


def test_knee_pain_keeps_exercises_that_can_be_done_sitting(catalog: Catalog) -> None:
    plan = make_plan(
        catalog, PlanInputs(template="healthy-upper-back", equipment=ALL_GEAR, conditions=("knee-pain",))
    )
    assert "shoulder-rolls" in planned(plan.items)


def test_template_keeps_the_handout_order_and_doses_and_substitutes_what_is_out(catalog: Catalog) -> None:
    tpl = catalog.template("healthy-upper-back")
    plan = make_plan(
        catalog, PlanInputs(template=tpl.id, equipment=ALL_GEAR, conditions=("knee-pain",), minutes=30)
    )
    ids = planned(plan.items)
    assert "childs-pose" not in ids
    sub = next(it for it in plan.items if it.substitute_for == "childs-pose")
    # the substitute sits where the excluded item was, and works the same body regions
    assert ids.index(sub.exercise.id) == list(tpl.items).index("childs-pose")
    assert set(sub.exercise.regions) & set(catalog.exercise("childs-pose").regions)
    assert "Child's pose" in sub.reason
    excluded = next(x for x in plan.excluded if x.exercise.id == "childs-pose")
    assert excluded.substitute == sub.exercise.id
    for it in plan.items:
        if it.substitute_for is None:
            assert it.dose.handout == tpl.file
            assert it.dose.reps == (it.dose.range.reps[0] if it.dose.range.reps else None)


def test_missing_equipment_is_explained(catalog: Catalog) -> None:
    plan = make_plan(catalog, PlanInputs(template="healthy-upper-back", equipment=frozenset({"mat", "wall"})))
    out = {x.exercise.id: x for x in plan.excluded}
    assert out["resisted-rows"].rule == "equipment"
    assert "stretch band" in out["resisted-rows"].reason


def test_work_setting_keeps_to_desk_friendly_exercises_sitting(catalog: Catalog) -> None:
    plan = make_plan(catalog, PlanInputs(setting="work", equipment=ALL_GEAR, minutes=30))
    assert plan.items
    for it in plan.items:
        assert it.exercise.desk_friendly
        if "sitting" in it.exercise.positions:
            assert it.position == "sitting"
    assert any(x.rule == "setting" for x in plan.excluded)


def test_focus_stretch_plans_only_stretches_and_mobility(catalog: Catalog) -> None:
    plan = make_plan(catalog, PlanInputs(equipment=ALL_GEAR, focus="stretch", minutes=60))
    assert {it.exercise.category for it in plan.items} <= {"stretch", "mobility"}
    assert any(x.rule == "focus" and "build strength" in x.reason for x in plan.excluded)


def test_focus_posture_uses_the_neutral_posture_exercises(catalog: Catalog) -> None:
    plan = make_plan(catalog, PlanInputs(focus="posture", minutes=60))
    assert plan.items
    assert all(it.exercise.category == "posture" or it.exercise.uses_neutral_posture for it in plan.items)


def test_every_considered_exercise_is_in_or_out_once(catalog: Catalog) -> None:
    plan = make_plan(catalog, PlanInputs(minutes=20, conditions=("wrist-pain",)))
    ids = planned(plan.items) + [x.exercise.id for x in plan.excluded]
    assert sorted(ids) == sorted(catalog.exercises)
    assert all(it.reason for it in plan.items) and all(x.reason for x in plan.excluded)


def test_at_most_max_items_and_the_rest_says_why(catalog: Catalog) -> None:
    plan = make_plan(catalog, PlanInputs(equipment=ALL_GEAR, minutes=180))
    assert len(plan.items) == MAX_ITEMS
    assert any(x.rule == "limit" for x in plan.excluded)


def test_floor_exercises_come_last(catalog: Catalog) -> None:
    plan = make_plan(catalog, PlanInputs(equipment=ALL_GEAR, minutes=40))
    on_floor = [it.position in {"kneeling", "hands-and-knees", "side-lying"} for it in plan.items]
    assert on_floor == sorted(on_floor)


def test_minutes_match_the_compiled_session_and_fit(catalog: Catalog) -> None:
    plan = make_plan(catalog, PlanInputs(minutes=5))
    script = compile_script(script_items(plan.items), posture=catalog.posture, words=WORDS)
    assert plan.seconds == script.total_seconds
    assert plan.fits and plan.minutes <= 5
    assert any(x.rule == "time" for x in plan.excluded)


def test_a_template_longer_than_the_budget_keeps_what_fits_in_order(catalog: Catalog) -> None:
    full = make_plan(catalog, PlanInputs(template="upper-back-care-guide", equipment=ALL_GEAR, minutes=60))
    short = make_plan(catalog, PlanInputs(template="upper-back-care-guide", equipment=ALL_GEAR, minutes=4))
    assert short.fits and short.items
    order = planned(full.items)
    kept = planned(short.items)
    assert kept == [e for e in order if e in kept]  # the handout's order stays
    timed_out = [x.exercise.id for x in short.excluded if x.rule == "time"]
    assert sorted(kept + timed_out) == sorted(order)


def test_too_little_time_still_gives_the_shortest_and_says_why(catalog: Catalog) -> None:
    plan = make_plan(catalog, PlanInputs(minutes=0.5))
    assert len(plan.items) == 1 and not plan.fits
    assert any("more than the 0.5" in n for n in plan.notes)


def test_nothing_fits_says_so() -> None:
    cat = small_catalog(
        [exercise("kneel", position="kneeling", desk_friendly=False)], conditions=[condition()]
    )
    plan = make_plan(cat, PlanInputs(conditions=("knee-pain",)))
    assert plan.items == () and plan.seconds == 0
    assert plan.notes and "doctor or therapist" in plan.notes[-1]


def test_same_inputs_same_plan(catalog: Catalog) -> None:
    inputs = PlanInputs(equipment=ALL_GEAR, conditions=("knee-pain",), minutes=12, focus="mixed")
    assert make_plan(catalog, inputs) == make_plan(catalog, inputs)


def test_substitute_prefers_more_shared_regions_then_same_kind() -> None:
    gone = exercise("kneel-stretch", position="kneeling", regions=["neck", "upper-back"], desk_friendly=False)
    near = exercise("near", regions=["neck", "upper-back"], category="stretch")
    far = exercise("far", regions=["neck"], category="stretch")
    other_kind = exercise("other-kind", regions=["neck", "upper-back"], category="strengthening")
    tpl = HandoutTemplate(
        id="tpl", file=HANDOUT, title="Test", source="test", summary="test", items=("kneel-stretch",)
    )
    cat = small_catalog([gone, near, far, other_kind], conditions=[condition()], templates=[tpl])
    plan = make_plan(cat, PlanInputs(template="tpl", conditions=("knee-pain",)))
    assert planned(plan.items) == ["near"]


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        (PlanInputs(conditions=("bad-knee",)), "condition"),
        (PlanInputs(equipment=frozenset({"rope"})), "equipment"),
        (PlanInputs(minutes=0), "minutes"),
        (PlanInputs(minutes=-5), "minutes"),
        (PlanInputs(minutes=float("nan")), "minutes"),
        (PlanInputs(minutes=1000), "minutes"),
        (PlanInputs(setting="beach"), "setting"),
        (PlanInputs(focus="cardio"), "focus"),
        (PlanInputs(template="no-such-program"), "template"),
    ],
)
def test_bad_input_names_the_field(catalog: Catalog, inputs: PlanInputs, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        make_plan(catalog, inputs)
    assert err.value.field == field


def test_a_substitute_keeps_the_aim_before_the_most_regions() -> None:
    """A strength move left out is replaced by a strength move for the same region, when one fits,
    even if a stretch shares more regions: swapping strength work for a stretch changes the program."""
    gone = exercise(
        "kneel-strength",
        position="hands-and-knees",
        regions=["neck", "upper-back"],
        category="strengthening",
        desk_friendly=False,
    )
    stretch = exercise("wide-stretch", regions=["neck", "upper-back"], category="stretch")
    strength = exercise("small-strength", regions=["upper-back"], category="strengthening")
    tpl = HandoutTemplate(
        id="tpl", file=HANDOUT, title="Test", source="test", summary="test", items=("kneel-strength",)
    )
    cat = small_catalog([gone, stretch, strength], conditions=[condition()], templates=[tpl])
    plan = make_plan(cat, PlanInputs(template="tpl", conditions=("knee-pain",)))
    assert planned(plan.items) == ["small-strength"]
    assert plan.excluded[0].substitute == "small-strength"


def test_at_home_a_wall_and_a_doorway_are_there(catalog: Catalog) -> None:
    """Nobody is asked for a wall or a doorway: every home has them."""
    plan = make_plan(
        catalog, PlanInputs(template="healthy-upper-back", equipment=frozenset({"mat"}), minutes=30)
    )
    assert "wall-push-up" in planned(plan.items)
    plan = make_plan(
        catalog, PlanInputs(template="upper-back-care-guide", equipment=frozenset({"mat"}), minutes=30)
    )
    assert "pectoralis-stretch" in planned(plan.items)
    assert not [x for x in plan.excluded if x.rule == "equipment" and x.exercise.needs & {"wall", "doorway"}]


def test_at_a_desk_a_floor_move_is_left_out_for_the_setting_not_for_a_mat(catalog: Catalog) -> None:
    plan = make_plan(catalog, PlanInputs(setting="work", equipment=frozenset(), minutes=30))
    out = {x.exercise.id: x for x in plan.excluded}
    for ex_id in ("bird-dog", "cat-camel", "childs-pose", "open-books", "wall-push-up", "pectoralis-stretch"):
        assert out[ex_id].rule == "setting" and "desk" in out[ex_id].reason, ex_id
        assert "mat" not in out[ex_id].reason


def test_a_plan_far_shorter_than_asked_says_why_and_what_would_fill_it(catalog: Catalog) -> None:
    gear = frozenset({"resistance-band", "dumbbells"})
    plan = make_plan(catalog, PlanInputs(minutes=20, focus="strengthen", equipment=gear))
    assert plan.fits and plan.minutes < 10
    text = " ".join(plan.notes)
    assert "much less than the 20 you have" in text
    assert "need things you do not have" in text and "are not for building strength" in text
    assert "a mat" in text and "a firm spot to tie the band to" in text
    assert readability(text).flesch_kincaid <= 5


def test_a_full_plan_that_is_still_short_does_not_ask_for_more_gear(catalog: Catalog) -> None:
    plan = make_plan(catalog, PlanInputs(minutes=60, equipment=ALL_GEAR))
    assert len(plan.items) == MAX_ITEMS and plan.minutes < 30
    text = " ".join(plan.notes)
    assert f"stops at {MAX_ITEMS} exercises" in text and "get " not in text


def test_a_plan_that_fills_its_time_has_no_short_note(catalog: Catalog) -> None:
    plan = make_plan(catalog, PlanInputs(minutes=5, equipment=ALL_GEAR))
    assert not any("much less" in n for n in plan.notes)


def test_work_never_plans_the_floor_even_if_an_exercise_is_marked_desk_friendly() -> None:
    """A clinic's own exercise marked desk friendly by mistake, done on the floor, stays out at work;
    one done standing only is planned standing."""
    floor = exercise("floor-move", position="side-lying", desk_friendly=True, regions=["mid-back"])
    standing = exercise("standing-move", position="standing", desk_friendly=True, regions=["neck"])
    cat = small_catalog([floor, standing])
    plan = make_plan(cat, PlanInputs(setting="work"))
    assert [(it.exercise.id, it.position) for it in plan.items] == [("standing-move", "standing")]
    assert {x.exercise.id: x.rule for x in plan.excluded} == {"floor-move": "setting"}


def test_one_minute_reads_as_one_minute(catalog: Catalog) -> None:
    plan = make_plan(catalog, PlanInputs(minutes=1))
    reasons = {x.reason for x in plan.excluded if x.rule == "time"}
    assert reasons == {"Left out so the session fits in 1 minute."}


def test_a_short_desk_plan_names_the_desk_and_the_focus_not_a_mat(catalog: Catalog) -> None:
    plan = make_plan(catalog, PlanInputs(setting="work", minutes=20, focus="strengthen"))
    text = " ".join(plan.notes)
    assert "do not fit at a desk" in text and "are not for building strength" in text
    assert "mat" not in text and "Choose a bit of everything" in text
