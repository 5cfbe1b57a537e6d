"""The session script: one timeline a player only plays."""

from __future__ import annotations

import pytest

from upright.catalog import Catalog, builtin_vocabulary
from upright.domain.dose import dose_words, set_dose, starting_dose
from upright.domain.planning import PlanInputs, make_plan, script_items
from upright.domain.script import Script, ScriptItem, compile_script
from upright.errors import InvalidInput

from .engine_factories import POSTURE, exercise

WORDS = builtin_vocabulary()  # the catalog's words (vocabulary.yaml), as the app uses them


def item(catalog: Catalog, ex_id: str, handout: str | None = None, **numbers: int) -> ScriptItem:
    ex = catalog.exercise(ex_id)
    dose = starting_dose(ex, handout)
    return ScriptItem(ex, set_dose(dose, **numbers) if numbers else dose)


def kinds(script: Script, exercise_id: str | None = None) -> list[str]:
    return [s.kind for s in script.steps if exercise_id is None or s.exercise == exercise_id]


def test_total_is_the_sum_of_the_steps_and_starts_add_up(catalog: Catalog) -> None:
    script = compile_script(
        [item(catalog, "chin-tuck"), item(catalog, "open-books")], posture=catalog.posture, words=WORDS
    )
    assert script.total_seconds == sum(s.seconds for s in script.steps)
    clock = 0.0
    for i, step in enumerate(script.steps):
        assert step.index == i and step.start == clock and step.seconds > 0
        clock += step.seconds


def test_starts_with_get_ready_and_safety_and_ends_with_a_pain_check(catalog: Catalog) -> None:
    script = compile_script([item(catalog, "chin-tuck")], reminders=["Ask your doctor."], words=WORDS)
    assert kinds(script)[:3] == ["get-ready", "safety", "exercise"]
    safety = script.steps[1]
    assert "Stop" in safety.say or "stop" in safety.say
    assert "Do not hold your breath" in safety.say  # 001: breathe normally
    assert "Ask your doctor." in safety.details
    last = script.steps[-1]
    assert last.kind == "pain-check" and last.needs_answer
    assert sum(s.needs_answer for s in script.steps) == 1


def test_holds_last_the_dose_hold_seconds(catalog: Catalog) -> None:
    script = compile_script(
        [item(catalog, "childs-pose", "000_7b31e79e88543bd0.txt", hold_seconds=25, reps=3)], words=WORDS
    )
    holds = [s for s in script.steps if s.kind == "hold"]
    assert len(holds) == 3
    assert all(h.seconds == 25 for h in holds)
    assert "25 seconds" in holds[0].say
    assert [h.rep for h in holds] == [1, 2, 3]


def test_a_dose_without_a_hold_skips_hold_phases(catalog: Catalog) -> None:
    """002 open books: 10 reps per side, no hold (the hold is only in the variant)."""
    script = compile_script([item(catalog, "open-books")], words=WORDS)
    assert "hold" not in kinds(script, "open-books")
    ex = catalog.exercise("open-books")
    variant = starting_dose(ex, "002_f6ed8e86e2be9667.txt", variant="Hold each stretch")
    held = compile_script([ScriptItem(ex, variant)], words=WORDS)
    holds = [s for s in held.steps if s.kind == "hold"]
    assert len(holds) == 10 and all(h.seconds == 30 for h in holds)  # 5 per side x 2 sides


def test_each_side_does_one_side_then_switches(catalog: Catalog) -> None:
    script = compile_script([item(catalog, "open-books")], words=WORDS)
    reps = [s for s in script.steps if s.kind == "move" and s.phase == "open"]
    assert [s.side for s in reps] == [1] * 10 + [2] * 10
    switches = [s for s in script.steps if s.kind == "side-switch"]
    assert len(switches) == 1
    assert "Roll over" in switches[0].say  # side-lying
    assert script.steps.index(switches[0]) == script.steps.index(reps[10]) - 1


def test_sides_named_in_the_phases_alternate_within_a_rep(catalog: Catalog) -> None:
    """Head rolls: a right hold, a left hold, then a circle, 3 times, 3 sets."""
    script = compile_script([item(catalog, "head-rolls")], words=WORDS)
    assert "side-switch" not in kinds(script)
    holds = [s for s in script.steps if s.kind == "hold"]
    assert [h.side_name for h in holds[:2]] == ["right", "left"]
    assert {h.side for h in holds} == {1, 2}
    assert len(holds) == 3 * 3 * 2
    rests = [s for s in script.steps if s.kind == "rest"]
    assert [r.set for r in rests] == [1, 2]


def test_sets_count_and_rest_between_them(catalog: Catalog) -> None:
    script = compile_script([item(catalog, "bird-dog")], words=WORDS)  # 001: hold 15, 5 sets
    sets = sorted({s.set for s in script.steps if s.kind == "hold" and s.set is not None})
    assert sets == [1, 2, 3, 4, 5]
    assert kinds(script, "bird-dog").count("rest") == 4


def test_posture_set_up_before_neutral_posture_exercises(catalog: Catalog) -> None:
    assert catalog.posture is not None
    script = compile_script(
        [item(catalog, "chin-tuck"), item(catalog, "shoulder-rolls"), item(catalog, "cervical-flexion")],
        posture=catalog.posture,
        words=WORDS,
    )
    posture = [s for s in script.steps if s.kind == "posture"]
    assert [p.exercise for p in posture] == ["chin-tuck", "cervical-flexion"]
    assert posture[0].details == catalog.posture.checks  # the full checklist the first time
    assert posture[1].details == () and posture[1].seconds < posture[0].seconds
    assert kinds(script, "chin-tuck")[:2] == ["exercise", "posture"]


def test_breathing_cues_follow_the_phases(catalog: Catalog) -> None:
    """004 shoulder squeeze: breathe in through the nose while squeezing; elsewhere breathe normally."""
    script = compile_script([item(catalog, "shoulder-squeeze-breathing")], words=WORDS)
    moves = [s for s in script.steps if s.kind in ("move", "hold")]
    breaths = {s.phase: s.breath for s in moves}
    assert "in" in breaths.values() and "out" in breaths.values()
    for s in moves:
        assert s.details and s.details[0].startswith("Breathe")
        if s.breath in ("in", "out"):
            assert "breathe" in s.say.lower()


def test_first_hold_of_a_set_says_breathe_normally() -> None:
    ex = exercise(dose={"hold_seconds": [10, 10], "reps": [2, 2]})
    script = compile_script([ScriptItem(ex, starting_dose(ex))], words=WORDS)
    holds = [s for s in script.steps if s.kind == "hold"]
    assert "Breathe normally." in holds[0].say and "Breathe normally." not in holds[1].say


def test_exercise_step_carries_how_to_and_the_dose(catalog: Catalog) -> None:
    script = compile_script([item(catalog, "childs-pose", "000_7b31e79e88543bd0.txt")], words=WORDS)
    intro = next(s for s in script.steps if s.kind == "exercise")
    ex = catalog.exercise("childs-pose")
    assert intro.exercise_name == ex.name and ex.name in intro.say
    assert intro.details[: len(ex.steps)] == ex.steps
    assert "Hold 15 seconds" in intro.show
    assert "Kneel" in intro.say


def test_reps_are_counted_aloud(catalog: Catalog) -> None:
    script = compile_script([item(catalog, "chin-tuck")], words=WORDS)
    firsts = [s.say for s in script.steps if s.phase == "tuck"]
    assert firsts[0].startswith("1 of 5.") and firsts[-1].startswith("5 of 5.")


def test_small_catalog_block_sides_with_custom_posture() -> None:
    ex = exercise(dose={"each_side": True, "reps": [2, 2], "hold_seconds": [5, 5]}, uses_neutral_posture=True)
    script = compile_script([ScriptItem(ex, starting_dose(ex))], posture=POSTURE, words=WORDS)
    assert [s.side for s in script.steps if s.kind == "hold"] == [1, 1, 2, 2]
    assert script.steps[3].kind == "posture" and script.steps[3].details == POSTURE.checks


def test_an_empty_program_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        compile_script([], words=WORDS)
    assert err.value.field == "items"


def test_shoulder_squeeze_breathes_in_through_the_nose_and_out_through_the_mouth(catalog: Catalog) -> None:
    """004: breathe in through the nose while squeezing back, out through the mouth rolling forward;
    the holds say to keep breathing, once, not twice."""
    script = compile_script([item(catalog, "shoulder-squeeze-breathing")], words=WORDS)
    by_phase = {s.phase: s for s in script.steps if s.kind in ("move", "hold") and s.rep == 1}
    assert by_phase["squeeze-back"].breath == "in"
    assert by_phase["squeeze-back"].details == ("Breathe in through your nose.",)
    assert by_phase["roll-forward"].breath == "out"
    assert by_phase["roll-forward"].details == ("Breathe out through your mouth.",)
    for hold in ("hold-back", "hold-forward"):
        step = by_phase[hold]
        assert step.breath == "normal" and step.details == ("Breathe normally.",)
        assert step.say.lower().count("breath") == 1, step.say


def test_breathing_words_match_the_breath_and_never_say_hold_your_breath(catalog: Catalog) -> None:
    """001: breathe normally, do not hold your breath. A phase that speaks of breathing says what its
    `breath` says; no spoken line asks to hold the breath (only "Do not hold your breath")."""
    for ex in catalog.exercises.values():
        for phase in ex.phases:
            said = phase.say.lower()
            assert ("breathe in" in said) == (phase.breath == "in"), (ex.id, phase.key)
            assert ("breathe out" in said) == (phase.breath == "out"), (ex.id, phase.key)
        script = compile_script([ScriptItem(ex, starting_dose(ex))], posture=catalog.posture, words=WORDS)
        for step in script.steps:
            for text in (step.say, *step.details):
                assert "hold your breath" not in text.lower().replace("do not hold your breath", ""), text


def test_each_side_gets_all_its_reps(catalog: Catalog) -> None:
    """Open books (002): 10 on one side, roll over, 10 on the other; the hold variant 5 x 30 s a side.
    Lateral flexion (004): every rep goes right, then left."""
    books = compile_script([item(catalog, "open-books")], words=WORDS)
    opens = [s for s in books.steps if s.phase == "open"]
    assert [sum(s.side == side for s in opens) for side in (1, 2)] == [10, 10]
    assert [s.kind for s in books.steps].count("side-switch") == 1
    held = ScriptItem(
        catalog.exercise("open-books"),
        starting_dose(
            catalog.exercise("open-books"), "002_f6ed8e86e2be9667.txt", variant="Hold each stretch"
        ),
    )
    holds = [s for s in compile_script([held], words=WORDS).steps if s.kind == "hold"]
    assert [sum(h.side == side for h in holds) for side in (1, 2)] == [5, 5]
    assert all(h.seconds == 30 for h in holds)
    tilt = compile_script([item(catalog, "lateral-flexion")], words=WORDS)
    tilt_holds = [s for s in tilt.steps if s.kind == "hold"]
    assert [h.side_name for h in tilt_holds] == ["right", "left"] * 5
    assert "side-switch" not in [s.kind for s in tilt.steps]  # each rep already covers both sides


def test_the_exercise_step_reads_its_dose_as_sentences(catalog: Catalog) -> None:
    script = compile_script([item(catalog, "lateral-flexion")], words=WORDS)
    intro = next(s for s in script.steps if s.kind == "exercise")
    assert "Hold 5 seconds. 5 times. Each side." in intro.say


def test_a_hold_time_on_an_exercise_without_a_hold_is_refused(catalog: Catalog) -> None:
    """The dose would read 'Hold 10 seconds' while the session never holds: refuse it."""
    rolls = catalog.exercise("shoulder-rolls")
    dose = set_dose(starting_dose(rolls), hold_seconds=10, clinician_set=True)
    assert "Hold 10 seconds" in dose_words(dose, catalog.vocabulary)
    with pytest.raises(InvalidInput) as err:
        compile_script([item(catalog, "chin-tuck"), ScriptItem(rolls, dose)], words=WORDS)
    assert err.value.field == "items[1].dose.hold_seconds"


def test_every_cue_and_caution_is_spoken_and_shown_once_at_set_up(catalog: Catalog) -> None:
    """The do / don't cues and cautions are heard before the first rep, and not again every rep."""
    items = [ScriptItem(ex, starting_dose(ex)) for ex in catalog.exercises.values() if ex.id != "head-rolls"]
    for chunk in (items[:7], items[7:14], items[14:]):
        script = compile_script(chunk, posture=catalog.posture, words=WORDS)
        for it in chunk:
            ex = it.exercise
            steps = [s for s in script.steps if s.exercise == ex.id]
            intro = steps[0]
            assert intro.kind == "exercise"
            first_rep = next(i for i, s in enumerate(steps) if s.kind in ("move", "hold"))
            assert all(s.kind in ("exercise", "posture") for s in steps[:first_rep])
            for line in (*ex.cues.do, *ex.cues.dont, *ex.cautions):
                assert line in intro.say and line in intro.details, (ex.id, line)
                # once at set-up (a phase may still say its own words, e.g. bird dog's "belly tight")
                assert sum(line in s.say for s in steps if s.kind not in ("move", "hold", "posture")) == 1


def test_safety_cues_that_were_lost_are_now_heard(catalog: Catalog) -> None:
    heard = {
        "shoulder-squeeze-breathing": "Do not let your head poke forward or drop down.",
        "resisted-rows": "Check that the band is tied to something that will not move.",
        "resisted-shoulder-blade-squeeze": "Do not let the band snap back.",
        "wall-push-up": "If it hurts, stand closer to the wall.",
        "head-rolls": "If you feel dizzy, stop and sit down.",
    }
    for ex_id, words in heard.items():
        script = compile_script([item(catalog, ex_id)], posture=catalog.posture, words=WORDS)
        assert any(words in s.say for s in script.steps), ex_id


def test_set_up_takes_longer_when_there_is_more_to_hear(catalog: Catalog) -> None:
    rows = compile_script([item(catalog, "resisted-rows")], words=WORDS)  # 3 cues and 1 caution
    shrug = compile_script([item(catalog, "shoulder-shrug")], words=WORDS)  # 2 cues and 1 caution
    intro = {s.exercise: s.seconds for s in (*rows.steps, *shrug.steps) if s.kind == "exercise"}
    assert intro["resisted-rows"] - intro["shoulder-shrug"] == 3.0


def test_a_desk_plan_says_sit_and_reads_the_seated_posture(catalog: Catalog) -> None:
    plan = make_plan(catalog, PlanInputs(setting="work", minutes=15))
    assert plan.items and {it.position for it in plan.items} == {"sitting"}
    script = compile_script(script_items(plan.items), posture=catalog.posture, words=WORDS)
    assert catalog.posture is not None and catalog.posture.seated is not None
    posture = next(s for s in script.steps if s.kind == "posture")
    assert posture.show == catalog.posture.seated.title and posture.details == catalog.posture.seated.checks
    for step in script.steps:
        if step.kind in ("exercise", "posture"):
            for line in (step.say, *step.details):
                assert "stand" not in line.lower(), line
    # At home the same exercises stand, with the standing checklist.
    home = compile_script([item(catalog, "chin-tuck")], posture=catalog.posture, words=WORDS)
    assert next(s for s in home.steps if s.kind == "posture").details == catalog.posture.checks
    assert (
        "Stand tall in your neutral posture." in next(s for s in home.steps if s.kind == "exercise").details
    )
