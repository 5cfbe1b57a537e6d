"""The built-in catalog says what the five handouts say: every entry, every number, in order.

The table below is written from the handouts in ../shared/seeds/ by hand, so a typo in a YAML
file (or a number "tidied up") shows up here as a failing row naming the handout."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from upright.catalog import Catalog
from upright.catalog.readability import exercise_readability, readability
from upright.domain.exclusions import exclusion_for

H000 = "000_7b31e79e88543bd0.txt"
H001 = "001_ecffd9b40b861b24.txt"
H002 = "002_f6ed8e86e2be9667.txt"
H003 = "003_263c19c9ee066d96.txt"
H004 = "004_8bf3a7f3e9f2d7d5.txt"

Pair = tuple[int, int] | None


class Entry(NamedTuple):
    handout: str
    exercise: str
    name_in_handout: str
    hold: Pair = None
    reps: Pair = None
    sets: int | None = None
    each_side: bool = False
    per_day: Pair = None
    per_day_text: str | None = None
    as_directed: bool = False


# All 25 exercise entries of the five handouts, in each handout's order.
ENTRIES: list[Entry] = [
    Entry(
        H000, "lower-neck-upper-back-stretch", "Lower neck and upper back stretch", hold=(15, 30), reps=(2, 4)
    ),
    Entry(H000, "childs-pose", "Midback stretch", hold=(15, 30), reps=(2, 4)),
    Entry(H000, "shoulder-rolls", "Shoulder rolls", reps=(2, 4)),
    Entry(H000, "wall-push-up", "Wall push-up", reps=(8, 12)),
    Entry(H000, "resisted-shoulder-blade-squeeze", "Resisted shoulder blade squeeze", reps=(8, 12)),
    Entry(H000, "resisted-rows", "Resisted rows", reps=(8, 12)),
    Entry(H001, "head-rolls", "Head rolls", hold=(5, 5), reps=(3, 3), sets=3, each_side=True),
    Entry(H001, "scapular-squeeze", "Scapular squeeze", hold=(3, 3), reps=(3, 3)),
    Entry(H001, "pectoralis-stretch", "Pectoralis stretch", hold=(15, 15), reps=(3, 3), as_directed=True),
    Entry(H001, "cat-camel", "Cat and camel exercise", hold=(5, 5), sets=3, as_directed=True),
    Entry(H001, "bird-dog", "Bird dog", hold=(15, 15), sets=5, each_side=True),
    Entry(H002, "shoulder-rolls", "Shoulder Rolls", reps=(10, 10)),
    Entry(H002, "childs-pose", "Child's Pose", hold=(15, 30), reps=(3, 3)),
    Entry(H002, "open-books", "Open Books", reps=(10, 10), each_side=True),
    Entry(H002, "scapular-squeeze", "Scapular Squeeze", hold=(5, 5), reps=(10, 10)),
    Entry(H002, "bent-over-row", "Bent Over Row with Dumbbells", reps=(10, 10)),
    Entry(H003, "upper-back-movement", "Upper back movement"),
    Entry(H003, "high-reach-stretch", "High-reach stretch", hold=(5, 5), reps=(5, 5)),
    Entry(H003, "shoulder-rolls", "Shoulder rolls", reps=(5, 5)),
    Entry(H003, "shoulder-squeeze-arms-raised", "Shoulder squeeze"),
    Entry(H003, "shoulder-shrug", "Shoulder shrug", reps=(5, 5)),
    Entry(H004, "chin-tuck", "Chin Tuck", hold=(5, 5), reps=(5, 10), per_day_text="several times a day"),
    Entry(H004, "cervical-flexion", "Cervical Spinal Flexion", hold=(5, 5), reps=(5, 10)),
    Entry(
        H004,
        "lateral-flexion",
        "Lateral Flexion",
        hold=(5, 5),
        reps=(5, 10),
        each_side=True,
        per_day_text="several times a day",
    ),
    Entry(
        H004,
        "shoulder-squeeze-breathing",
        "Shoulder Squeeze",
        hold=(5, 5),
        reps=(5, 10),
        per_day=(2, 2),
        per_day_text="a couple of times a day",
    ),
]

TEMPLATE_IDS = {
    H000: "healthy-upper-back",
    H001: "upper-back-care-guide",
    H002: "upper-back-program",
    H003: "workday-microbreaks",
    H004: "posture-and-neck-stretches",
}


def test_the_table_has_all_25_handout_entries_and_21_exercises() -> None:
    assert len(ENTRIES) == 25
    assert len({e.exercise for e in ENTRIES}) == 21


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{e.handout[:3]}-{e.exercise}" for e in ENTRIES])
def test_dose_keeps_the_handout_numbers_exactly(catalog: Catalog, entry: Entry) -> None:
    dose = catalog.exercise(entry.exercise).dose_for(entry.handout)
    assert dose is not None, f"{entry.exercise} has no dose for {entry.handout}"
    assert dose.handout == entry.handout
    assert dose.name_in_handout == entry.name_in_handout
    assert dose.hold_seconds == entry.hold
    assert dose.reps == entry.reps
    assert dose.sets == entry.sets
    assert dose.each_side is entry.each_side
    assert dose.per_day == entry.per_day
    assert dose.per_day_text == entry.per_day_text
    assert dose.as_directed is entry.as_directed
    assert dose.is_given is any(x is not None for x in (entry.hold, entry.reps, entry.sets))


def test_catalog_has_no_dose_the_table_does_not_know(catalog: Catalog) -> None:
    in_catalog = {(d.handout, ex.id) for ex in catalog.exercises.values() for d in ex.doses}
    assert in_catalog == {(e.handout, e.exercise) for e in ENTRIES}


def test_open_books_offers_the_hold_variant_from_the_tips(catalog: Catalog) -> None:
    dose = catalog.exercise("open-books").dose_for(H002)
    assert dose is not None
    (variant,) = dose.variants
    assert (variant.hold_seconds, variant.reps, variant.each_side) == ((30, 30), (5, 5), True)


def test_same_movement_in_several_handouts_is_one_exercise(catalog: Catalog) -> None:
    assert [d.handout for d in catalog.exercise("shoulder-rolls").doses] == [H000, H002, H003]
    assert [d.handout for d in catalog.exercise("scapular-squeeze").doses] == [H001, H002]
    childs = catalog.exercise("childs-pose")
    assert [d.handout for d in childs.doses] == [H000, H002]
    assert "Midback stretch" in childs.other_names


def test_unclear_numbers_say_how_they_were_read(catalog: Catalog) -> None:
    for ex_id, handout in [
        ("head-rolls", H001),
        ("cat-camel", H001),
        ("bird-dog", H001),
        ("lateral-flexion", H004),
        ("shoulder-squeeze-breathing", H004),
        ("shoulder-shrug", H003),
    ]:
        dose = catalog.exercise(ex_id).dose_for(handout)
        assert dose is not None and dose.note, f"{ex_id}: explain the mapping in the dose note"
    lateral = catalog.exercise("lateral-flexion").dose_for(H004)
    assert lateral is not None and lateral.note is not None and "5-10 sets" in lateral.note


@pytest.mark.parametrize("handout", sorted(TEMPLATE_IDS))
def test_template_lists_its_handout_exercises_in_order(catalog: Catalog, handout: str) -> None:
    tpl = catalog.template(TEMPLATE_IDS[handout])
    assert tpl.file == handout
    assert list(tpl.items) == [e.exercise for e in ENTRIES if e.handout == handout]


def test_template_settings(catalog: Catalog) -> None:
    assert catalog.template("workday-microbreaks").setting == "work"
    assert catalog.template("posture-and-neck-stretches").uses_neutral_posture
    assert catalog.template(H004).id == "posture-and-neck-stretches"  # found by file name too


def test_template_rules_come_from_that_handout(catalog: Catalog) -> None:
    for tpl in catalog.templates.values():
        for rule_id in tpl.rules:
            assert tpl.file in catalog.rules[rule_id].handouts, f"{tpl.id} lists {rule_id}"


def test_general_rules_carry_the_handouts_safety_advice(catalog: Catalog) -> None:
    rules = catalog.rules
    assert set(rules["stop-if-pain"].handouts) == {H001, H002}
    assert set(rules["start-slowly"].handouts) == {H000, H002}
    assert "bed" in rules["firm-surface"].text
    assert "hold your breath" in rules["breathe-normally"].text
    assert "30 to 60 minutes" in rules["workday-microbreak"].text
    assert rules["workday-microbreak"].kind == "workday"
    assert "few weeks" in rules["see-doctor-few-weeks"].text
    assert "cannot move" in rules["seek-care-severe-pain"].text
    assert "medicines" in rules["follow-up-care"].text


EXERCISE_IDS = sorted({e.exercise for e in ENTRIES})


@pytest.mark.parametrize("ex_id", EXERCISE_IDS)
def test_exercise_reads_at_grade_5_or_lower(catalog: Catalog, ex_id: str) -> None:
    score = exercise_readability(catalog.exercise(ex_id))
    assert score.flesch_kincaid <= 5
    assert score.smog <= 8


def _as_text(parts: list[str]) -> str:
    return " ".join(p if p.rstrip().endswith((".", "!", "?")) else p + "." for p in parts)


def test_rules_conditions_screening_and_posture_read_at_grade_5_or_lower(catalog: Catalog) -> None:
    posture = catalog.posture
    assert posture is not None
    groups = {
        "rules": [r.text for r in catalog.rules.values()],
        "conditions": [x for c in catalog.conditions.values() for x in (c.label, c.reason)],
        "screening": [x for q in catalog.screening for x in (q.question, q.reason)],
        "posture": [posture.title, posture.intro, *posture.checks],
        "program summaries": [t.summary for t in catalog.templates.values()],
    }
    grades = {name: readability(_as_text(parts)).flesch_kincaid for name, parts in groups.items()}
    assert {name: g for name, g in grades.items() if g > 5} == {}


def test_desk_exercises_need_no_floor_and_no_equipment(catalog: Catalog) -> None:
    for ex in catalog.exercises.values():
        if ex.desk_friendly:
            assert ex.equipment == ("none",), ex.id
            assert set(ex.positions) <= {"sitting", "standing"}, ex.id
    desk = {ex.id for ex in catalog.exercises.values() if ex.desk_friendly}
    every_003_and_004 = {e.exercise for e in ENTRIES if e.handout in (H003, H004)}
    assert every_003_and_004 <= desk
    assert {"scapular-squeeze", "head-rolls", "lower-neck-upper-back-stretch"} <= desk


def test_the_004_stretches_start_from_neutral_posture(catalog: Catalog) -> None:
    neutral = {ex.id for ex in catalog.exercises.values() if ex.uses_neutral_posture}
    assert neutral == {e.exercise for e in ENTRIES if e.handout == H004}
    posture = catalog.posture
    assert posture is not None and posture.handout == H004
    assert any("chin" in c for c in posture.checks)


def test_equipment_fits_the_position(catalog: Catalog) -> None:
    for ex in catalog.exercises.values():
        if set(ex.positions) & {"kneeling", "hands-and-knees", "side-lying"}:
            assert "mat" in ex.equipment, f"{ex.id}: floor work needs a mat (handout 001)"
    assert catalog.exercise("wall-push-up").needs == {"wall"}
    assert catalog.exercise("pectoralis-stretch").needs == {"doorway"}
    assert catalog.exercise("resisted-rows").needs == {"resistance-band", "anchor-point"}
    assert catalog.exercise("bent-over-row").needs == {"dumbbells"}


def test_handout_safety_cues_are_kept(catalog: Catalog) -> None:
    def words(ex_id: str) -> str:
        ex = catalog.exercise(ex_id)
        return " ".join([*ex.steps, *ex.cues.do, *ex.cues.dont, *ex.cautions]).lower()

    assert "closer to the wall" in words("wall-push-up")
    assert "elbows at your sides" in words("resisted-shoulder-blade-squeeze")
    assert "elbows at your sides" in words("resisted-rows")
    assert "knee pain" in words("childs-pose")
    assert "stop if it starts to hurt" in words("lateral-flexion")
    assert "do not lift or hunch" in words("lateral-flexion")
    assert "chicken" in words("chin-tuck")
    assert "poke forward" in words("shoulder-squeeze-breathing")
    for ex in catalog.exercises.values():
        assert any("stop" in c.lower() or "ease off" in c.lower() for c in ex.cautions), ex.id


def test_phases_script_holds_sides_and_breaths(catalog: Catalog) -> None:
    cat_camel = [p.key for p in catalog.exercise("cat-camel").phases if p.hold]
    assert cat_camel == ["hold-up", "hold-down"]
    head = catalog.exercise("head-rolls").phases
    assert [p.side for p in head if p.hold] == ["right", "left"]
    assert head[-1].key == "circle"
    squeeze = catalog.exercise("shoulder-squeeze-breathing").phases
    assert [p.breath for p in squeeze if p.breath != "normal"] == ["in", "out"]
    assert sum(p.hold for p in squeeze) == 2
    books = catalog.exercise("open-books").phases
    assert [p.breath for p in books if p.breath != "normal"] == ["in", "out"]


def test_knee_pain_rules_out_every_kneeling_exercise_with_its_reason(catalog: Catalog) -> None:
    knee = [catalog.conditions["knee-pain"]]
    out = {ex.id for ex in catalog.exercises.values() if exclusion_for(ex, knee)}
    assert out == {"childs-pose", "cat-camel", "bird-dog"}
    excl = exclusion_for(catalog.exercise("childs-pose"), knee)
    assert excl is not None and "knee pain" in excl.reason and excl.rule == "knee-pain"
    assert "knee-pain" in catalog.exercise("childs-pose").contraindications  # said in handout 000


def test_other_conditions_rule_out_what_they_say(catalog: Catalog) -> None:
    def ruled_out(cond_id: str) -> set[str]:
        cond = [catalog.conditions[cond_id]]
        return {ex.id for ex in catalog.exercises.values() if exclusion_for(ex, cond)}

    assert ruled_out("floor-is-hard") == {"childs-pose", "cat-camel", "bird-dog", "open-books"}
    assert ruled_out("wrist-pain") == {"cat-camel", "bird-dog", "wall-push-up"}
    # every exercise that moves the head or holds it bent (issue 10)
    assert ruled_out("dizzy-with-neck-moves") == {
        "head-rolls", "chin-tuck", "cervical-flexion", "lateral-flexion", "lower-neck-upper-back-stretch",
        "cat-camel",
    }  # fmt: skip
    for cond in catalog.conditions.values():
        assert cond.reason.startswith("You said"), cond.id


EXPECTED_SCREENING = {  # the outcomes a "yes" gives in each group (follow-ups and gates give "ok")
    "heart": {"emergency"},
    "nerves": {"emergency"},
    "injury": {"seek_care_now"},
    "infection": {"seek_care_now"},
    "severe-pain": {"seek_care_now"},
    "cancer": {"seek_care_now", "see_clinician_soon"},  # past cancer not yet checked is urgent
    "dizziness": {"see_clinician_soon"},
    "organs": {"see_clinician_soon"},
    "not-improving": {"see_clinician_soon"},
    "worse-or-new": {"call_clinician"},
}


def test_screening_covers_every_red_flag_group_with_its_outcome(catalog: Catalog) -> None:
    by_group: dict[str, set[str]] = {}
    for q in catalog.screening:
        if q.outcome != "ok":
            by_group.setdefault(q.group, set()).add(q.outcome)
        assert "?" in q.question, q.id
        assert q.reason and q.source, q.id
    assert by_group == EXPECTED_SCREENING
    handout_001 = {q.group for q in catalog.screening if H001 in q.source}
    assert handout_001 == {"severe-pain", "worse-or-new"}
    assert any(H003 in q.source for q in catalog.screening if q.group == "not-improving")
