"""Screening: each red-flag group of CLINICAL.md §2 and each handout rule gives its outcome, with reasons."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from upright.catalog import Catalog
from upright.catalog.readability import readability
from upright.domain.screening import (
    SEVERITY,
    ScreeningAnswers,
    ScreeningResult,
    can_start_session,
    decided_stop,
    most_urgent,
    questionnaire,
    require_can_start,
    screen,
    session_reminders,
)
from upright.errors import InvalidInput, SafetyStop
from upright.services.engine import run_screening

from .engine_factories import condition, question

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

# CLINICAL.md §2 and the issue: each sign question -> the outcome a lone "yes" must give (with the
# questions it follows answered "yes" and any "Has a doctor checked ...?" answered "no").
QUESTION_OUTCOMES = {
    "chest-pain-now": "emergency",
    "pain-spreads-to-arm-or-jaw": "emergency",
    "sudden-short-of-breath": "emergency",
    "sudden-tearing-pain": "emergency",
    "new-weakness": "emergency",
    "new-numbness": "emergency",
    "new-trouble-walking": "emergency",
    "new-bladder-or-bowel": "emergency",
    "cannot-pass-urine": "emergency",
    "pain-stops-moving": "seek_care_now",  # handout 001: severe pain that stops you moving
    "injury": "seek_care_now",
    "small-fall": "seek_care_now",  # after "yes" to weak bones
    "fever-or-chills": "seek_care_now",
    "weak-immune-system": "seek_care_now",
    "injects-drugs": "seek_care_now",
    "past-cancer": "seek_care_now",  # NICE NG234: urgent, within a day, not "soon"
    "weight-loss": "see_clinician_soon",
    "constant-pain": "see_clinician_soon",
    "night-pain": "see_clinician_soon",
    "dizzy-with-neck-moves": "see_clinician_soon",
    "pain-with-eating": "see_clinician_soon",
    "pain-with-urine": "see_clinician_soon",
    "pain-with-breathing": "see_clinician_soon",
    "pain-worse": "call_clinician",  # handout 001: worse or new pain
    "new-pain": "call_clinician",
    "not-improving": "see_clinician_soon",  # handout 003: more than a few weeks
}
GROUPS = {
    "heart", "severe-pain", "nerves", "injury", "infection", "cancer", "organs", "not-improving",
    "worse-or-new", "dizziness",
}  # fmt: skip


def answer(catalog: Catalog, yes: set[str] = frozenset(), **kw: object) -> ScreeningResult:  # type: ignore[assignment]
    answers = {q.id: q.id in yes for q in catalog.screening}
    return screen(
        catalog.screening, catalog.conditions, ScreeningAnswers(answers, **kw),  # type: ignore[arg-type]
        at=NOW, combined=catalog.screening_combined,
    )  # fmt: skip


def with_parents(catalog: Catalog, q_id: str) -> set[str]:
    by_id = {q.id: q for q in catalog.screening}
    out = {q_id}
    while by_id[q_id].follows:
        q_id = by_id[q_id].follows or ""
        out.add(q_id)
    return out


def test_every_group_is_asked_and_every_sign_has_its_outcome(catalog: Catalog) -> None:
    assert {q.group for q in catalog.screening} == GROUPS
    signs = {q.id for q in catalog.screening if q.outcome != "ok"}
    assert signs == QUESTION_OUTCOMES.keys()


@pytest.mark.parametrize("q_id", sorted(QUESTION_OUTCOMES))
def test_each_sign_alone_gives_its_outcome(catalog: Catalog, q_id: str) -> None:
    q = next(q for q in catalog.screening if q.id == q_id)
    result = answer(catalog, with_parents(catalog, q_id), cleared_by_clinician=True)
    assert result.outcome == QUESTION_OUTCOMES[q_id]
    assert result.reasons == (q.reason,)
    assert result.findings[0].source  # every rule names where it comes from
    assert can_start_session(result) is (QUESTION_OUTCOMES[q_id] not in {"emergency", "seek_care_now"})


def test_handout_rule_severe_pain_that_stops_moving_means_seek_care_now(catalog: Catalog) -> None:
    q = next(q for q in catalog.screening if q.group == "severe-pain")
    assert "001_ecffd9b40b861b24.txt" in q.source
    result = answer(catalog, {q.id}, cleared_by_clinician=True)
    assert result.outcome == "seek_care_now"
    with pytest.raises(SafetyStop) as stop:
        require_can_start(result)
    assert q.reason in stop.value.reasons


def test_handout_rule_worse_or_new_pain_means_call_your_doctor(catalog: Catalog) -> None:
    worse = [q.id for q in catalog.screening if q.group == "worse-or-new"]
    result = answer(catalog, set(worse), cleared_by_clinician=True)
    assert result.outcome == "call_clinician"
    assert len(result.reasons) == len(worse) == 2
    assert can_start_session(result)
    assert result.advice in session_reminders(result)


def test_no_red_flags_and_cleared_is_ok_without_reminders(catalog: Catalog) -> None:
    result = answer(catalog, cleared_by_clinician=True)
    assert result.outcome == "ok"
    assert result.reasons == ("You said no to every warning sign.",)
    assert can_start_session(result)
    assert session_reminders(result) == ()
    assert not result.has_red_flag


def test_without_clearance_the_person_may_go_on_with_a_reminder_every_session(catalog: Catalog) -> None:
    result = answer(catalog, cleared_by_clinician=False)
    assert result.outcome == "ok"
    assert can_start_session(result)
    reminder = session_reminders(result)
    assert len(reminder) == 1 and "doctor or therapist" in reminder[0]
    assert reminder[0] in result.reasons
    # ... and the reminder goes away once a screening records clearance
    assert session_reminders(answer(catalog, cleared_by_clinician=True)) == ()


def test_every_reason_is_listed_most_urgent_first(catalog: Catalog) -> None:
    yes = {"night-pain", "pain-worse", "chest-pain-now", "fever-or-chills"}
    result = answer(catalog, yes, cleared_by_clinician=False)
    assert result.outcome == "emergency"
    outcomes = [f.outcome for f in result.findings]
    # a stop never carries the clearance reminder ("go gently" next to "do not exercise")
    assert outcomes == ["emergency", "seek_care_now", "call_clinician", "see_clinician_soon"]
    assert len(result.reasons) == 4
    assert not any("gently" in r for r in result.reasons) and session_reminders(result) == ()


def test_emergency_blocks_until_a_new_screening_clears_it(catalog: Catalog) -> None:
    first = answer(catalog, {"chest-pain-now"}, cleared_by_clinician=True)
    assert not can_start_session(first)
    with pytest.raises(SafetyStop) as stop:
        require_can_start(first)
    assert stop.value.outcome == "emergency"
    later = answer(catalog, cleared_by_clinician=True)
    assert can_start_session(later)


def test_no_screening_means_no_session() -> None:
    assert not can_start_session(None)
    with pytest.raises(SafetyStop):
        require_can_start(None)


def test_outcome_order() -> None:
    assert SEVERITY == ("emergency", "seek_care_now", "call_clinician", "see_clinician_soon", "ok")
    assert most_urgent(["ok", "see_clinician_soon", "call_clinician"]) == "call_clinician"
    assert most_urgent([]) == "ok"


def test_conditions_are_checked_and_kept(catalog: Catalog) -> None:
    result = answer(catalog, cleared_by_clinician=True, conditions=("knee-pain", "knee-pain"))
    assert result.conditions == ("knee-pain",)
    assert result.outcome == "ok"  # conditions change the plan, not the outcome
    with pytest.raises(InvalidInput) as err:
        answer(catalog, conditions=("bad-knees",))
    assert err.value.field == "condition"


def test_a_missing_answer_is_an_error_not_a_no(catalog: Catalog) -> None:
    answers = {q.id: False for q in catalog.screening}
    del answers["new-trouble-walking"]
    with pytest.raises(InvalidInput) as err:
        screen(catalog.screening, catalog.conditions, ScreeningAnswers(answers), at=NOW)
    assert err.value.field == "answers.new-trouble-walking"


def test_an_unknown_question_is_an_error(catalog: Catalog) -> None:
    answers = {q.id: False for q in catalog.screening} | {"feels-fine": True}
    with pytest.raises(InvalidInput) as err:
        screen(catalog.screening, catalog.conditions, ScreeningAnswers(answers), at=NOW)
    assert err.value.field == "answers.feels-fine"


def test_questionnaire_lists_red_flags_then_clearance_then_conditions(catalog: Catalog) -> None:
    qs = questionnaire(catalog.screening, catalog.conditions)
    kinds = [q.kind for q in qs]
    assert kinds == sorted(kinds, key=["red-flag", "clearance", "condition"].index)
    assert kinds.count("clearance") == 1
    assert any(q.id == "knee-pain" for q in qs)


def test_rules_come_from_data_not_code() -> None:
    qs = (question("a", "see_clinician_soon"), question("b", "seek_care_now"))
    known = {"knee-pain": condition()}
    result = screen(qs, known, ScreeningAnswers({"a": True, "b": True}, cleared_by_clinician=True), at=NOW)
    assert result.outcome == "seek_care_now"
    assert result.reasons == ("Reason b.", "Reason a.")
    assert result.at == NOW


def test_every_question_and_reason_reads_at_grade_5_or_lower_on_its_own(catalog: Catalog) -> None:
    """Each one is read alone on a screen, so each must be plain, not only all of them on average."""
    for q in catalog.screening:
        for text in (q.question, q.reason):
            assert readability(text).flesch_kincaid <= 5.0, (q.id, text)


# Risk factors that last (an old injury, a weak immune system, past cancer...): one plain question, then
# "Has a doctor checked this pain since it began?" only after a "yes"; its "no" keeps the flag.
LASTING_RISKS = {
    "injury",
    "small-fall",
    "weak-immune-system",
    "injects-drugs",
    "past-cancer",
    "not-improving",
}
CHECKED = "Has a doctor checked this pain since it began?"


def test_no_question_asks_the_person_to_say_no_when_a_doctor_has_seen_them(catalog: Catalog) -> None:
    for q in catalog.screening:
        assert not q.question.lower().startswith("if "), q.id
        assert "say no" not in q.question.lower(), q.id


def test_each_lasting_risk_is_followed_by_one_plain_doctor_check(catalog: Catalog) -> None:
    checks = {q.follows: q for q in catalog.screening if q.kind == "doctor-checked"}
    assert set(checks) == LASTING_RISKS
    for q in checks.values():
        assert q.question == CHECKED and q.outcome == "ok"
    # ... while symptoms that are there now are asked plainly: a doctor's visit does not make them safe
    for q_id in ("chest-pain-now", "new-trouble-walking", "fever-or-chills", "pain-stops-moving"):
        assert q_id not in checks


@pytest.mark.parametrize("q_id", sorted(LASTING_RISKS))
def test_a_doctor_check_clears_the_flag_and_no_keeps_it(catalog: Catalog, q_id: str) -> None:
    check = next(q.id for q in catalog.screening if q.follows == q_id and q.kind == "doctor-checked")
    yes = with_parents(catalog, q_id)
    kept = answer(catalog, yes, cleared_by_clinician=True)
    assert kept.outcome == QUESTION_OUTCOMES[q_id]
    cleared = answer(catalog, yes | {check}, cleared_by_clinician=True)
    assert cleared.outcome == "ok" and not cleared.has_red_flag


def test_a_follow_up_is_needed_only_after_a_yes_and_ignored_after_a_no(catalog: Catalog) -> None:
    no_to_all = {q.id: False for q in catalog.screening if q.follows is None}
    # After "no" to the injury question, no follow-up is needed, and one given anyway is ignored.
    ok = screen(catalog.screening, catalog.conditions, ScreeningAnswers(no_to_all | {"injury-checked": False},
                cleared_by_clinician=True), at=NOW)  # fmt: skip
    assert ok.outcome == "ok"
    # After a "yes" to a "see a doctor soon" sign with a doctor check, that check must be answered.
    with pytest.raises(InvalidInput) as err:
        screen(
            catalog.screening,
            catalog.conditions,
            ScreeningAnswers(no_to_all | {"not-improving": True}),
            at=NOW,
        )
    assert err.value.field == "answers.not-improving-checked"


def test_an_emergency_answer_acts_at_once_whatever_is_missing(catalog: Catalog) -> None:
    for q_id, outcome in QUESTION_OUTCOMES.items():
        if outcome not in ("emergency", "seek_care_now"):
            continue
        q = next(q for q in catalog.screening if q.id == q_id)
        given = {p: True for p in with_parents(catalog, q_id)}
        check = next(
            (c.id for c in catalog.screening if c.follows == q_id and c.kind == "doctor-checked"), None
        )
        if check:
            # "Have you ever had cancer?" alone is not decided until the doctor question is answered
            with pytest.raises(InvalidInput) as err:
                screen(catalog.screening, catalog.conditions, ScreeningAnswers(given), at=NOW)
            assert err.value.field.startswith("answers.")  # a question still to answer
            assert decided_stop(catalog.screening, given) is None
            given[check] = False
        result = screen(catalog.screening, catalog.conditions, ScreeningAnswers(given), at=NOW)
        assert result.outcome == outcome and q.reason in result.reasons, q_id
        assert decided_stop(catalog.screening, given) == outcome


def test_the_api_shape_gives_the_emergency_at_once(catalog: Catalog) -> None:
    result = run_screening(catalog, {"answers": {"chest-pain-now": True}}, at=NOW)
    assert result.outcome == "emergency" and not can_start_session(result)


def test_a_missing_answer_stays_an_error_when_nothing_given_is_urgent(catalog: Catalog) -> None:
    with pytest.raises(InvalidInput) as err:
        run_screening(catalog, {"answers": {"night-pain": True}}, at=NOW)
    assert err.value.field == "answers.chest-pain-now"
    assert "please answer" in err.value.message


def test_past_cancer_not_checked_is_urgent_and_several_cancer_signs_together_too(catalog: Catalog) -> None:
    assert answer(catalog, {"past-cancer"}, cleared_by_clinician=True).outcome == "seek_care_now"
    assert answer(catalog, {"night-pain"}, cleared_by_clinician=True).outcome == "see_clinician_soon"
    together = answer(catalog, {"night-pain", "weight-loss"}, cleared_by_clinician=True)
    assert together.outcome == "seek_care_now"
    rule = catalog.screening_combined[0]
    assert together.findings[0].question == rule.id and "NICE" in rule.source


def test_dizziness_when_moving_the_neck_adds_the_condition_that_rules_out_head_moves(
    catalog: Catalog,
) -> None:
    result = answer(catalog, {"dizzy-with-neck-moves"}, cleared_by_clinician=True)
    assert result.outcome == "see_clinician_soon"
    assert "dizzy-with-neck-moves" in result.conditions


def test_nerve_and_tearing_signs_ask_about_a_new_change_with_a_time_frame(catalog: Catalog) -> None:
    by_id = {q.id: q for q in catalog.screening}
    for q_id in ("new-weakness", "new-numbness", "new-trouble-walking", "new-bladder-or-bowel",
                 "sudden-tearing-pain", "weight-loss"):  # fmt: skip
        assert by_id[q_id].question.startswith("In the last"), q_id


def test_each_question_asks_one_thing(catalog: Catalog) -> None:
    for q in catalog.screening:
        assert q.question.count("?") == 1, q.id
        first_sentence = q.question.split("?")[0]
        assert " and do you" not in first_sentence.lower() and "? or" not in q.question.lower(), q.id


def test_the_chest_question_is_split_and_chest_pain_now_is_an_emergency_alone(catalog: Catalog) -> None:
    heart = [q for q in catalog.screening if q.group == "heart"]
    assert len(heart) >= 4
    chest = next(q for q in heart if q.id == "chest-pain-now")
    assert "now" in chest.question and "sweat" not in chest.question


def test_urgent_questions_come_first(catalog: Catalog) -> None:
    ranks = [SEVERITY.index(q.outcome) for q in catalog.screening if q.outcome != "ok"]
    urgent = [r <= 1 for r in ranks]
    assert urgent == sorted(urgent, reverse=True)  # every emergency and seek-care sign before the rest


def test_high_pain_at_screening_never_says_you_can_start(catalog: Catalog) -> None:
    high = answer(catalog, cleared_by_clinician=True, pain=7)
    assert high.outcome != "ok" and high.rests_today
    assert "You can start" not in high.advice and "Do not exercise today" in high.advice
    assert "You said no to every warning sign." not in high.reasons
    assert answer(catalog, cleared_by_clinician=True, pain=6).outcome == "ok"


def test_pain_in_the_chest_is_named_with_a_plain_reason(catalog: Catalog) -> None:
    result = answer(catalog, cleared_by_clinician=True, places=("chest",))
    assert result.outcome == "call_clinician"
    assert any("chest" in r for r in result.reasons)


def test_the_emergency_advice_names_the_number(catalog: Catalog) -> None:
    answers = ScreeningAnswers({"chest-pain-now": True})
    result = screen(catalog.screening, catalog.conditions, answers, at=NOW, emergency_number="999")
    assert "999" in result.advice
    with pytest.raises(SafetyStop) as stop:
        require_can_start(result)
    assert "999" in stop.value.reasons[0]


@pytest.mark.parametrize("value", [None, "maybe", 1, ""])
def test_an_answer_that_is_not_yes_or_no_is_an_error_not_a_no(catalog: Catalog, value: object) -> None:
    data = {"answers": {q.id: False for q in catalog.screening} | {"night-pain": value}}
    with pytest.raises(InvalidInput) as err:
        run_screening(catalog, data, at=NOW)
    assert err.value.field == "answers.night-pain"
    assert "yes or no" in err.value.message


def test_clearance_or_conditions_never_soften_a_blocking_outcome(catalog: Catalog) -> None:
    for q in catalog.screening:
        if q.outcome not in ("emergency", "seek_care_now"):
            continue
        for cleared in (False, True):
            result = answer(
                catalog, with_parents(catalog, q.id), cleared_by_clinician=cleared,
                conditions=tuple(catalog.conditions),
            )  # fmt: skip
            assert result.outcome == q.outcome and not can_start_session(result), q.id
            with pytest.raises(SafetyStop):
                require_can_start(result)
