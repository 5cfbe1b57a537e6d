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

# CLINICAL.md §2: group in the catalog -> the outcome a lone "yes" must give.
GROUP_OUTCOMES = {
    "heart": "emergency",
    "nerves": "emergency",
    "severe-pain": "seek_care_now",  # handout 001: severe pain that stops you moving
    "injury": "seek_care_now",
    "infection": "seek_care_now",
    "cancer": "see_clinician_soon",
    "organs": "see_clinician_soon",
    "not-improving": "see_clinician_soon",  # handout 003: more than a few weeks
    "worse-or-new-pain": "call_clinician",  # handout 001: worse or new pain
}


def answer(catalog: Catalog, yes: set[str] = frozenset(), **kw: object) -> ScreeningResult:  # type: ignore[assignment]
    answers = {q.id: q.id in yes for q in catalog.screening}
    return screen(catalog.screening, catalog.conditions, ScreeningAnswers(answers, **kw), at=NOW)  # type: ignore[arg-type]


def test_every_red_flag_group_is_asked(catalog: Catalog) -> None:
    groups = {q.group for q in catalog.screening}
    assert groups >= GROUP_OUTCOMES.keys()


@pytest.mark.parametrize("group", sorted(GROUP_OUTCOMES))
def test_each_question_of_a_group_gives_its_outcome_alone(catalog: Catalog, group: str) -> None:
    qs = [q for q in catalog.screening if q.group == group]
    assert qs, f"no question for {group}"
    for q in qs:
        result = answer(catalog, {q.id}, cleared_by_clinician=True)
        assert result.outcome == GROUP_OUTCOMES[group]
        assert result.reasons == (q.reason,)
        assert result.findings[0].source  # every rule names where it comes from
        assert can_start_session(result) is (GROUP_OUTCOMES[group] not in {"emergency", "seek_care_now"})


def test_handout_rule_severe_pain_that_stops_moving_means_seek_care_now(catalog: Catalog) -> None:
    q = next(q for q in catalog.screening if q.group == "severe-pain")
    assert "001_ecffd9b40b861b24.txt" in q.source
    result = answer(catalog, {q.id}, cleared_by_clinician=True)
    assert result.outcome == "seek_care_now"
    with pytest.raises(SafetyStop) as stop:
        require_can_start(result)
    assert q.reason in stop.value.reasons


def test_handout_rule_worse_or_new_pain_means_call_your_doctor(catalog: Catalog) -> None:
    worse = [q.id for q in catalog.screening if q.group == "worse-or-new-pain"]
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
    yes = {"night-pain", "pain-worse", "chest-pain-with-signs", "fever-or-chills"}
    result = answer(catalog, yes, cleared_by_clinician=False)
    assert result.outcome == "emergency"
    outcomes = [f.outcome for f in result.findings]
    assert outcomes == ["emergency", "seek_care_now", "call_clinician", "see_clinician_soon", "ok"]
    assert len(result.reasons) == 5


def test_emergency_blocks_until_a_new_screening_clears_it(catalog: Catalog) -> None:
    first = answer(catalog, {"chest-pain-with-signs"}, cleared_by_clinician=True)
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
    del answers["trouble-walking"]
    with pytest.raises(InvalidInput) as err:
        screen(catalog.screening, catalog.conditions, ScreeningAnswers(answers), at=NOW)
    assert err.value.field == "answers.trouble-walking"


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


# Risk factors that last (an old injury, a weak immune system, past cancer...): the flag is back pain no
# doctor has seen with them in mind. Asked without that, a person who was checked would answer "yes"
# at every screening, and a seek-care-now outcome would then stop every session for good.
LASTING_RISKS = {
    "recent-injury",
    "minor-fall-weak-bones",
    "weak-immune-system",
    "injects-drugs",
    "past-cancer",
    "not-improving",
}


def test_lasting_risk_questions_let_a_person_a_doctor_has_seen_say_no(catalog: Catalog) -> None:
    by_id = {q.id: q for q in catalog.screening}
    for q_id in LASTING_RISKS:
        assert by_id[q_id].question.startswith("If a doctor has seen you"), q_id
    # ... while symptoms that are there now are asked plainly: a doctor's visit does not make them safe
    for q_id in ("chest-pain-with-signs", "trouble-walking", "fever-or-chills", "pain-stops-moving"):
        assert "doctor" not in by_id[q_id].question


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
                catalog, {q.id}, cleared_by_clinician=cleared, conditions=tuple(catalog.conditions)
            )
            assert result.outcome == q.outcome and not can_start_session(result), q.id
            with pytest.raises(SafetyStop):
                require_can_start(result)
