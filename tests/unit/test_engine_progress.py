"""Pain check-ins, alerts that explain themselves, and adherence against the plan."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from upright.catalog import builtin_vocabulary
from upright.domain.progress import adherence, check_in, pain_alerts, sessions_per_week
from upright.errors import InvalidInput

WORDS = builtin_vocabulary()  # the catalog's words (vocabulary.yaml), as the app uses them

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday


def day(n: int) -> datetime:
    return START + timedelta(days=n)


def kinds(alerts: list) -> list[str]:  # type: ignore[type-arg]
    return [a.kind for a in alerts]


def test_no_check_ins_no_alerts() -> None:
    assert pain_alerts([], now=START, words=WORDS) == []


def test_steady_or_falling_pain_raises_nothing() -> None:
    history = [check_in(day(0), 5, "upper back"), check_in(day(2), 4, "upper back"), check_in(day(4), 3)]
    assert pain_alerts(history, now=day(5), words=WORDS) == []


def test_severe_pain_says_call_and_when_to_get_care_now() -> None:
    alerts = pain_alerts([check_in(day(0), 3), check_in(day(1), 8)], now=day(1), words=WORDS)
    severe = next(a for a in alerts if a.kind == "severe-pain")
    assert severe.action == "call_clinician"
    assert "8 out of 10" in severe.reason and "cannot move" not in severe.reason
    assert "stops you from moving" in severe.reason


def test_a_rise_of_two_on_two_check_ins_in_a_row_says_call() -> None:
    one_high = [check_in(day(0), 3), check_in(day(1), 5), check_in(day(2), 3)]
    assert "pain-rising" not in kinds(pain_alerts(one_high, now=day(2), words=WORDS))
    two_high = [check_in(day(0), 3), check_in(day(1), 5), check_in(day(2), 6)]
    alert = next(a for a in pain_alerts(two_high, now=day(2), words=WORDS) if a.kind == "pain-rising")
    assert alert.action == "call_clinician"
    assert "were 5 and 6" in alert.reason and "usual pain is 3" in alert.reason
    same = [check_in(day(0), 3), check_in(day(1), 6), check_in(day(2), 6)]
    alert = next(a for a in pain_alerts(same, now=day(2), words=WORDS) if a.kind == "pain-rising")
    assert "were both 6" in alert.reason and "then" not in alert.reason and "twice" not in alert.reason


def test_a_given_baseline_is_used_for_the_rise() -> None:
    history = [check_in(day(0), 4), check_in(day(1), 4)]
    assert "pain-rising" in kinds(pain_alerts(history, now=day(1), baseline=2, words=WORDS))
    assert "pain-rising" not in kinds(pain_alerts(history, now=day(1), baseline=3, words=WORDS))


def test_a_new_pain_location_says_call() -> None:
    history = [
        check_in(day(0), 4, "upper-back"),
        check_in(day(1), 4, "upper-back"),
        check_in(day(2), 4, "left-arm"),
    ]
    alert = next(a for a in pain_alerts(history, now=day(2), words=WORDS) if a.kind == "new-location")
    assert alert.action == "call_clinician" and alert.place == "left-arm"
    assert "new place: Left arm or hand." in alert.reason  # the place in the vocabulary's words
    same_place = history[:2]
    assert "new-location" not in kinds(pain_alerts(same_place, now=day(1), words=WORDS))
    # places the person named at the start count as known
    assert "new-location" not in kinds(
        pain_alerts([check_in(day(0), 3, "neck")], now=day(0), known_places=["neck"], words=WORDS)
    )


def test_no_improvement_after_three_weeks_says_see_a_physician() -> None:
    history = [check_in(day(0), 5), check_in(day(10), 5), check_in(day(20), 4)]
    assert "no-improvement" not in kinds(pain_alerts(history, now=day(20), words=WORDS))
    alert = next(a for a in pain_alerts(history, now=day(22), words=WORDS) if a.kind == "no-improvement")
    assert alert.action == "see_clinician_soon" and "3 weeks" in alert.reason
    better = [*history, check_in(day(21), 3)]
    assert "no-improvement" not in kinds(pain_alerts(better, now=day(22), words=WORDS))


def test_little_pain_left_is_not_a_failure_to_improve() -> None:
    history = [check_in(day(0), 1), check_in(day(25), 1)]
    assert pain_alerts(history, now=day(25), words=WORDS) == []


def test_a_red_flag_at_a_check_in_sends_back_to_screening_first() -> None:
    alerts = pain_alerts([check_in(day(0), 3), check_in(day(1), 9, red_flag=True)], now=day(1), words=WORDS)
    assert alerts[0].kind == "red-flag" and alerts[0].action == "screening"
    assert "safety questions" in alerts[0].reason


@pytest.mark.parametrize("score", [11, -1, 3.5, None, "5", True])
def test_pain_outside_0_to_10_is_refused(score: object) -> None:
    with pytest.raises(InvalidInput) as err:
        check_in(START, score)
    assert err.value.field == "pain"


def test_a_long_location_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        check_in(START, 3, "x" * 100)
    assert err.value.field == "location"


def test_adherence_counts_each_week_up_to_its_plan() -> None:
    sessions = [day(0), day(2), day(4), day(5), day(8), day(15)]  # week 1: 4, week 2: 1, week 3: 1 so far
    result = adherence(sessions, per_week=3, start=START, now=day(16))
    assert [(w.done, w.complete) for w in result.weeks] == [(4, True), (1, True), (1, False)]
    assert result.percent == pytest.approx(100 * (3 + 1) / 6)
    assert result.done == 6


def test_adherence_before_the_first_week_ends_has_no_percentage() -> None:
    result = adherence([day(1)], per_week=2, start=START, now=day(3))
    assert result.percent is None and result.weeks[0].done == 1


def test_adherence_bad_input_names_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        adherence([], per_week=0, start=START, now=day(1))
    assert err.value.field == "per_week"
    with pytest.raises(InvalidInput) as err:
        adherence([], per_week=2, start=day(3), now=day(1))
    assert err.value.field == "now"


def test_sessions_per_week_averages_the_last_weeks() -> None:
    sessions = [day(n) for n in (1, 3, 10, 12, 20, 27)]
    assert sessions_per_week(sessions, now=day(28), weeks=4) == pytest.approx(6 / 4)
    assert sessions_per_week(sessions, now=day(28), weeks=1) == 1  # only day 27 is in the last 7 days


def test_a_rise_of_exactly_two_twice_raises_and_one_does_not() -> None:
    exactly_two = [check_in(day(0), 3), check_in(day(1), 5), check_in(day(2), 5)]
    assert "pain-rising" in kinds(pain_alerts(exactly_two, now=day(2), words=WORDS))
    just_one = [check_in(day(0), 3), check_in(day(1), 4), check_in(day(2), 5)]
    assert "pain-rising" not in kinds(pain_alerts(just_one, now=day(2), words=WORDS))


def test_no_improvement_counts_from_exactly_21_days() -> None:
    history = [check_in(day(0), 6), check_in(day(14), 5)]
    just_before = day(21) - timedelta(seconds=1)
    assert "no-improvement" not in kinds(pain_alerts(history, now=just_before, words=WORDS))
    alert = next(a for a in pain_alerts(history, now=day(21), words=WORDS) if a.kind == "no-improvement")
    assert "After 3 weeks" in alert.reason and "5" in alert.reason
    exactly_two_better = [check_in(day(0), 6), check_in(day(20), 4)]
    assert "no-improvement" not in kinds(pain_alerts(exactly_two_better, now=day(21), words=WORDS))


def test_severe_starts_at_7() -> None:
    assert "severe-pain" not in kinds(pain_alerts([check_in(day(0), 6)], now=day(0), words=WORDS))
    assert "severe-pain" in kinds(pain_alerts([check_in(day(0), 7)], now=day(0), words=WORDS))


def test_check_ins_after_now_do_not_count() -> None:
    """A later check-in (a clock that is off, a test date) must not speak for now."""
    history = [check_in(day(0), 3), check_in(day(1), 3), check_in(day(5), 9, red_flag=True)]
    assert pain_alerts(history, now=day(2), words=WORDS) == []


def test_places_are_compared_as_ids_not_words() -> None:
    """The same place is the same id whatever language its words are in; "Upper back" is no place id."""
    history = [check_in(day(0), 4, "upper-back"), check_in(day(1), 4, "upper-back")]
    assert "new-location" not in kinds(pain_alerts(history, now=day(1), words=WORDS))
    spanish_words = WORDS.model_copy(
        update={"places": {**WORDS.places, "upper-back": "Parte alta de la espalda"}}
    )
    moved = [check_in(day(0), 4, "neck"), check_in(day(1), 4, "upper-back")]
    alert = next(a for a in pain_alerts(moved, now=day(1), words=spanish_words) if a.kind == "new-location")
    assert alert.place == "upper-back" and "Parte alta de la espalda" in alert.reason


@pytest.mark.parametrize("score", [5.5, "five", 11, -1])
def test_pain_in_words_or_halves_is_refused_with_a_sentence(score: object) -> None:
    with pytest.raises(InvalidInput) as err:
        check_in(START, score)
    assert err.value.field == "pain"
    assert "whole number from 0" in err.value.message and "10" in err.value.message


def test_every_alert_says_what_to_do_in_plain_words() -> None:
    history = [
        check_in(day(0), 3, "neck"),
        check_in(day(10), 7, "left arm"),
        check_in(day(22), 8, "left arm", red_flag=True),
    ]
    alerts = pain_alerts(history, now=day(22), words=WORDS)
    assert kinds(alerts) == ["red-flag", "severe-pain", "pain-rising", "no-improvement"]
    for alert in alerts:
        assert any(w in alert.reason for w in ("safety questions", "Call", "see a doctor")), alert.reason
