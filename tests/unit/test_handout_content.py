"""The handout's content model: what it says and in what order, before any layout (no PDF, no files)."""

from __future__ import annotations

from datetime import date

from upright.catalog import Catalog
from upright.catalog.readability import readability
from upright.domain.planning import PlanInputs, make_plan
from upright.domain.wording import dose_text
from upright.exports.handout_content import Figure, build_handout, date_text, patient_text
from upright.exports.handout_program import program_from_plan, program_from_template
from upright.services.engine import plan_json

ON = date(2025, 3, 12)


def test_dates_print_without_locale_or_day_month_guessing() -> None:
    assert date_text(date(2025, 3, 12)) == "12 March 2025"
    assert date_text(date(2024, 12, 1)) == "1 December 2024"


def test_template_handout_keeps_order_doses_and_sources(catalog: Catalog) -> None:
    for tpl in catalog.templates.values():
        h = build_handout(program_from_template(tpl, catalog), catalog, on=ON)
        assert [b.exercise_id for b in h.exercises] == list(tpl.items)
        assert [b.number for b in h.exercises] == list(range(1, len(tpl.items) + 1))
        for block in h.exercises:
            dose = catalog.exercise(block.exercise_id).dose_for(tpl.file)
            assert dose is not None
            assert block.dose == dose_text(dose, catalog.vocabulary)
            assert tpl.title in block.source and dose.name_in_handout in block.source
            assert tpl.file not in block.source  # our file name means nothing to a patient
        assert h.sources == (f"{tpl.title}. {tpl.source}",)
        assert (h.posture is not None) is tpl.uses_neutral_posture


def test_safety_box_has_pain_rule_and_signs_most_urgent_first(catalog: Catalog) -> None:
    tpl = next(iter(catalog.templates.values()))
    h = build_handout(program_from_template(tpl, catalog), catalog, on=ON)
    assert h.safety.pain_rule == catalog.rules["stop-if-pain"].text  # on every handout, not only 001 and 002
    assert catalog.rules["stop-if-pain"].text not in h.safety.habits  # said once
    levels = [g.level for g in h.safety.sign_groups]
    assert levels == ["emergency", "seek_care_now"]  # in full, most urgent first
    # The rest share one plain paragraph: every sign still printed (a follow-up with its question).
    shown = [s for g in h.safety.sign_groups for s in g.signs] + list(h.safety.other_signs)
    printed = " ".join(shown)
    for q in catalog.screening:
        if q.outcome != "ok":
            assert q.question in printed, q.id
    assert len(shown) == len(set(shown)) and h.safety.other_signs
    assert h.safety.get_help  # when to get care is on every handout, whichever handout it came from


def test_figures_come_from_the_figure_maker(catalog: Catalog) -> None:
    tpl = next(iter(catalog.templates.values()))
    drawn: list[str] = []

    def fake(exercise_id: str) -> Figure | None:
        drawn.append(exercise_id)
        return Figure("<svg/>", "<svg/>", "start", "end", 0.5) if exercise_id == tpl.items[0] else None

    h = build_handout(program_from_template(tpl, catalog), catalog, on=ON, figures=fake)
    assert drawn == list(tpl.items)
    assert h.exercises[0].figure is not None and all(b.figure is None for b in h.exercises[1:])


def test_plan_reason_does_not_repeat_the_purpose(catalog: Catalog) -> None:
    ex = catalog.exercise("chin-tuck")
    plan = {"items": [{"exercise": ex.id, "reason": f"{ex.purpose} It adds to a good mix."}]}
    h = build_handout(program_from_plan(plan, catalog), catalog, on=ON)
    assert h.exercises[0].purpose == ex.purpose
    assert h.exercises[0].reason == "It adds to a good mix."


def test_patient_text_is_sentences_without_headings(catalog: Catalog) -> None:
    tpl = next(iter(catalog.templates.values()))
    h = build_handout(program_from_template(tpl, catalog), catalog, on=ON)
    text = patient_text(h)
    assert h.safety.pain_rule in text
    assert h.labels.safety not in text.split(". ")  # "Stay safe" is a heading, not a sentence
    assert all(step.rstrip(".") in text for block in h.exercises for step in block.steps)


def test_every_cue_and_caution_is_in_every_handout_that_has_the_exercise(catalog: Catalog) -> None:
    for tpl in catalog.templates.values():
        h = build_handout(program_from_template(tpl, catalog), catalog, on=ON)
        text = patient_text(h)
        for block in h.exercises:
            ex = catalog.exercise(block.exercise_id)
            assert block.do == ex.cues.do and block.dont == ex.cues.dont and block.cautions == ex.cautions
            for line in (*ex.cues.do, *ex.cues.dont, *ex.cautions):
                assert line in text, (tpl.id, ex.id, line)


def test_program_handouts_say_start_at_the_low_end(catalog: Catalog) -> None:
    h = build_handout(
        program_from_template(catalog.template("posture-and-neck-stretches"), catalog), catalog, on=ON
    )
    assert h.starts_low and h.labels.low_end in patient_text(h)
    # A personal plan already starts low (single numbers), so it does not say it.
    plan = {
        "items": [{"exercise": "chin-tuck", "dose": {"handout": "004_8bf3a7f3e9f2d7d5.txt", "reps": [5, 5]}}]
    }
    assert not build_handout(program_from_plan(plan, catalog), catalog, on=ON).starts_low


def test_handout_keeps_the_handouts_words_for_how_often(catalog: Catalog) -> None:
    h = build_handout(
        program_from_template(catalog.template("posture-and-neck-stretches"), catalog), catalog, on=ON
    )
    doses = {b.exercise_id: b.dose for b in h.exercises}
    assert doses["shoulder-squeeze-breathing"].endswith("a couple of times a day")
    assert doses["chin-tuck"].endswith("several times a day")
    assert "2 times a day" not in patient_text(h)


def test_a_desk_plan_handout_says_sit_and_shows_the_seated_posture(catalog: Catalog) -> None:
    plan = plan_json(make_plan(catalog, PlanInputs(setting="work", minutes=15)), catalog.vocabulary)
    h = build_handout(program_from_plan(plan, catalog), catalog, on=ON)
    assert catalog.posture is not None and catalog.posture.seated is not None
    assert h.posture is not None and h.posture.checks == catalog.posture.seated.checks
    assert all("stand" not in step.lower() for block in h.exercises for step in block.steps)
    assert readability(patient_text(h)).flesch_kincaid <= 5
