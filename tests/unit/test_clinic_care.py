"""The clinician's prescription, clearance and alert rules (pure domain, the real catalog)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from upright.catalog import Catalog, builtin_vocabulary
from upright.domain.clearance import Clearance, clearance_stop, is_cleared_by_clinician
from upright.domain.clinic_alerts import (
    PanelEntry,
    adherence_7d,
    hold_session_alerts,
    idle_alerts,
    pain_event_alerts,
    panel_order,
    screening_alerts,
    session_alerts,
)
from upright.domain.dose import dose_words
from upright.domain.prescription import (
    PrescribedItem,
    PrescriptionDraft,
    WorkBreaks,
    check_prescription,
    exclusions_for,
    summary,
    what_changed,
)
from upright.domain.progress import check_in
from upright.domain.screening import Finding, ScreeningResult
from upright.errors import InvalidInput

WORDS = builtin_vocabulary()  # the catalog's words (vocabulary.yaml)
T0 = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)
CHIN = "chin-tuck"  # handout 004: hold 5 s, reps 5 to 10


def draft(*items: PrescribedItem, **kw: object) -> PrescriptionDraft:
    args: dict[str, object] = {"per_week": 3, "start": date(2026, 3, 5), **kw}
    return PrescriptionDraft(items=items, **args)  # type: ignore[arg-type]


# ---- prescription --------------------------------------------------------------------------------


def test_a_dose_inside_the_handout_range_is_kept_as_asked(catalog: Catalog) -> None:
    p = check_prescription(draft(PrescribedItem(CHIN, reps=8)), catalog, [])
    assert p.items[0].dose.reps == 8
    assert not p.items[0].dose.clinician_set
    assert p.overrides == {}


def test_an_unknown_exercise_is_refused_naming_its_item(catalog: Catalog) -> None:
    # The same check (domain.script.known_exercise) refuses it in a session result.
    with pytest.raises(InvalidInput) as err:
        check_prescription(draft(PrescribedItem(CHIN), PrescribedItem("chin-tuk")), catalog, [])
    assert err.value.field == "items[1].exercise"
    assert err.value.message == "there is no exercise called 'chin-tuk'"


def test_a_dose_beyond_the_handout_range_is_refused_without_a_reason(catalog: Catalog) -> None:
    with pytest.raises(InvalidInput) as err:
        check_prescription(draft(PrescribedItem(CHIN, reps=15)), catalog, [])
    assert err.value.field == "items[0].dose.reps"
    assert "5 to 10" in err.value.message
    assert "override_reason" in err.value.message


def test_a_dose_beyond_the_range_with_a_reason_is_kept_with_its_reason(catalog: Catalog) -> None:
    item = PrescribedItem(CHIN, reps=15, override_reason="Strong after six weeks; ready for more.")
    p = check_prescription(draft(item), catalog, [])
    assert p.items[0].dose.reps == 15
    assert p.items[0].dose.clinician_set
    assert p.overrides == {CHIN: "Strong after six weeks; ready for more."}


def test_a_reason_of_one_letter_is_not_a_reason(catalog: Catalog) -> None:
    with pytest.raises(InvalidInput) as err:
        check_prescription(draft(PrescribedItem(CHIN, reps=15), override_reason="x"), catalog, [])
    assert err.value.field == "items[0].override_reason"


def test_a_reason_does_not_pass_a_hard_limit(catalog: Catalog) -> None:
    with pytest.raises(InvalidInput) as err:
        check_prescription(
            draft(PrescribedItem(CHIN, reps=5000, override_reason="a good reason")), catalog, []
        )
    assert err.value.field == "items[0].dose.reps"


def test_an_exercise_the_patients_condition_rules_out_is_refused_with_the_reason(catalog: Catalog) -> None:
    with pytest.raises(InvalidInput) as err:
        check_prescription(draft(PrescribedItem("childs-pose")), catalog, ["knee-pain"])
    assert err.value.field == "items[0].exercise"
    assert "knee pain" in err.value.message
    assert "knee-pain" in err.value.message
    shown = {x.exercise: x for x in exclusions_for(catalog, ["knee-pain"])}
    assert "childs-pose" in shown and shown["childs-pose"].rule == "knee-pain"
    assert "shoulder-rolls" not in shown  # it can be done sitting


@pytest.mark.parametrize(
    ("kw", "field"),
    [({"per_week": 0}, "per_week"), ({"times_per_day": 9}, "times_per_day"), ({"weeks": 0}, "weeks")],
)
def test_how_often_and_how_long_are_checked(catalog: Catalog, kw: dict[str, int], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        check_prescription(draft(PrescribedItem(CHIN), **kw), catalog, [])
    assert err.value.field == field


def test_work_breaks_name_only_prescribed_exercises(catalog: Catalog) -> None:
    breaks = WorkBreaks(time(9), time(17), 45, ("open-books",))
    with pytest.raises(InvalidInput) as err:
        check_prescription(draft(PrescribedItem(CHIN), breaks=breaks), catalog, [])
    assert err.value.field == "breaks.exercises[0]"
    ok = check_prescription(
        draft(PrescribedItem(CHIN), breaks=WorkBreaks(time(9), time(17), 45, (CHIN,))), catalog, []
    )
    assert "every 45 minutes from 09:00 to 17:00" in summary(ok, WORDS)["breaks"]


def test_what_changed_names_each_change_in_plain_words(catalog: Catalog) -> None:
    first = summary(
        check_prescription(draft(PrescribedItem(CHIN), PrescribedItem("shoulder-rolls")), catalog, []), WORDS
    )
    second = summary(
        check_prescription(
            draft(PrescribedItem(CHIN, reps=10), PrescribedItem("open-books"), per_week=5), catalog, []
        ),
        WORDS,
    )
    assert what_changed(None, first) == ["New plan from your doctor or therapist."]
    changes = what_changed(first, second)
    assert any(c.startswith("Changed: Chin") and "10" in c for c in changes)
    assert any(c.startswith("Added: ") for c in changes)
    assert "Now: 5 days a week" in changes
    assert any(c.startswith("Taken out: Shoulder") for c in changes)
    assert what_changed(second, second) == []


# ---- clearance -----------------------------------------------------------------------------------


def test_clearance_from_a_date_gates_sessions_until_that_day() -> None:
    c = Clearance("cleared", date(2026, 3, 10), "Dr Lee")
    stop = clearance_stop(c, today=date(2026, 3, 9))
    assert stop is not None and "Dr Lee" in stop and "10 March 2026" in stop
    assert not is_cleared_by_clinician(c, today=date(2026, 3, 9))
    assert clearance_stop(c, today=date(2026, 3, 10)) is None
    assert is_cleared_by_clinician(c, today=date(2026, 3, 10))


def test_a_hold_stops_sessions_and_no_clearance_leaves_the_patients_answer() -> None:
    stop = clearance_stop(Clearance("hold", None, "Dr Lee"), today=date(2026, 3, 9))
    assert stop is not None and "on hold" in stop
    assert clearance_stop(None, today=date(2026, 3, 9)) is None
    assert not is_cleared_by_clinician(None, today=date(2026, 3, 9))


# ---- alerts --------------------------------------------------------------------------------------


def test_severe_pain_raises_one_alert_keyed_by_its_event() -> None:
    history = [check_in(T0, 3), check_in(T0 + timedelta(days=1), 8)]
    alerts = pain_event_alerts(
        history, now=T0 + timedelta(days=1), event="pain:9", episode="rx1", words=WORDS
    )
    kinds = {a.kind: a for a in alerts}
    assert "severe-pain" in kinds
    assert kinds["severe-pain"].reason == "Pain 8/10 (severe)."
    assert kinds["severe-pain"].key == "pain:9:severe-pain"


def test_pain_rising_by_the_meaningful_change_and_a_new_place() -> None:
    history = [
        check_in(T0, 3, "upper-back"),
        check_in(T0 + timedelta(days=1), 5, "upper-back"),
        check_in(T0 + timedelta(days=2), 5, "left-arm"),
    ]
    alerts = pain_event_alerts(
        history, now=T0 + timedelta(days=2), event="pain:3", episode="rx1", words=WORDS
    )
    kinds = {a.kind: a.reason for a in alerts}
    assert "usual 3" in kinds["pain-rising"]
    assert "Left arm or hand" in kinds["new-location"]
    small = [check_in(T0, 3), check_in(T0 + timedelta(days=1), 4), check_in(T0 + timedelta(days=2), 4)]
    assert pain_event_alerts(small, now=T0 + timedelta(days=2), event="e", episode="rx1", words=WORDS) == []


def test_no_improvement_at_three_weeks_is_keyed_once_per_episode() -> None:
    history = [check_in(T0, 5), check_in(T0 + timedelta(weeks=3), 5)]
    a = pain_event_alerts(history, now=T0 + timedelta(weeks=3), event="pain:2", episode="rx4", words=WORDS)
    b = pain_event_alerts(
        [*history, check_in(T0 + timedelta(weeks=3, days=1), 5)],
        now=T0 + timedelta(weeks=3, days=1),
        event="pain:3",
        episode="rx4",
        words=WORDS,
    )
    assert [x.key for x in a if x.kind == "no-improvement"] == ["no-improvement:rx4"]
    assert [x.key for x in b if x.kind == "no-improvement"] == ["no-improvement:rx4"]
    assert "3 weeks" in next(x.reason for x in a if x.kind == "no-improvement")


def test_a_session_stopped_for_pain_and_a_red_flag_screening() -> None:
    stopped = session_alerts("stopped_for_pain", ended_at=T0, event="session:5", pain=6)
    assert [(a.kind, a.key) for a in stopped] == [("stopped-for-pain", "session:5:stopped")]
    assert "6/10" in stopped[0].reason
    assert session_alerts("completed", ended_at=T0, event="session:6", pain=6) == []
    finding = Finding("fever", "infection", "seek_care_now", "You said you have a fever.", "source")
    result = ScreeningResult("seek_care_now", (finding,), cleared_by_clinician=False, conditions=(), at=T0)
    flagged = screening_alerts(result, event="screening:2", words=WORDS)
    assert (
        flagged[0].kind == "red-flag"
        and "fever" in flagged[0].reason
        and "Get care today" in flagged[0].reason
    )
    calm = ScreeningResult("ok", (), cleared_by_clinician=True, conditions=(), at=T0)
    assert screening_alerts(calm, event="screening:3", words=WORDS) == []


def test_adherence_counts_the_last_seven_days_against_the_prescription() -> None:
    now = T0 + timedelta(days=20)
    times = [now - timedelta(days=d) for d in (1, 3, 8)]
    assert adherence_7d(times, per_week=4, now=now) == 0.5
    assert adherence_7d([now - timedelta(hours=h) for h in range(9)], per_week=4, now=now) == 1.0


def test_idle_alerts_after_a_week_without_sessions_or_under_half_the_sessions() -> None:
    start = T0
    assert idle_alerts([], per_week=3, start=start, now=start + timedelta(days=6)) == []
    alerts = idle_alerts([], per_week=3, start=start, now=start + timedelta(days=8))
    kinds = {a.kind: a for a in alerts}
    assert kinds["low-adherence"].reason == "Did 0 of 3 sessions in the week from 2026-03-04."
    assert kinds["no-session"].key == f"no-session:{start.isoformat()}"
    busy = [start + timedelta(days=d) for d in (0, 2, 4, 7)]
    assert idle_alerts(busy, per_week=3, start=start, now=start + timedelta(days=8)) == []
    # Ten weeks in, only the last whole week (days 63 to 69, edges counted from the start) counts.
    later = start + timedelta(days=73)
    early = [start + timedelta(days=d) for d in (*range(0, 63, 2), 72)]
    assert [(a.kind, a.key) for a in idle_alerts(early, per_week=3, start=start, now=later)] == [
        ("low-adherence", f"low-adherence:{(start + timedelta(days=63)).date().isoformat()}")
    ]
    late = [start + timedelta(days=d) for d in (63, 65, 67)]
    assert idle_alerts(late, per_week=3, start=start, now=later) == []


def test_the_panel_puts_the_most_urgent_first() -> None:
    now = T0
    calm = PanelEntry(1, (), 1.0, now)
    idle = PanelEntry(2, ("no-session",), 0.0, now - timedelta(days=9))
    severe = PanelEntry(3, ("severe-pain",), 1.0, now)
    flag = PanelEntry(4, ("no-session", "red-flag"), 0.5, now)
    lazy = PanelEntry(5, (), 0.2, now)
    assert [e.person_id for e in panel_order([calm, idle, severe, flag, lazy])] == [4, 3, 2, 5, 1]


def test_a_session_during_a_hold_or_before_the_start_day_tells_the_clinician_and_keeps_the_session() -> None:
    hold = Clearance("hold", None, "Dr Ana Lee", "Wait for the scan.")
    [alert] = hold_session_alerts(hold, set_on=date(2026, 3, 3), started=T0, day=T0.date(), event="session:7")
    assert alert.kind == "hold-session" and alert.key == "session:7:hold" and alert.at == T0
    assert alert.reason == (
        "Did a session on 2026-03-04 while the hold set by Dr Ana Lee on 2026-03-03 stood. "
        "The session is kept. Note: Wait for the scan."
    )
    later = Clearance("cleared", date(2026, 3, 9), "Dr Ana Lee")
    [early] = hold_session_alerts(later, set_on=None, started=T0, day=T0.date(), event="session:8")
    assert "before the start day 2026-03-09" in early.reason
    assert hold_session_alerts(later, set_on=None, started=T0, day=date(2026, 3, 9), event="s") == []
    assert hold_session_alerts(None, set_on=None, started=T0, day=T0.date(), event="s") == []


def test_the_panels_pain_trend_is_drawn_on_the_0_to_10_scale_and_said_in_words() -> None:
    from upright.web.charts import sparkline, trend_words

    assert trend_words([6, 5, 4, 3]) == "Pain down from 6 to 3 over the last 4 scores (6, 5, 4, 3)."
    assert trend_words([3, 4]) == "Pain about the same, 3 then 4 over the last 2 scores (3, 4)."
    assert trend_words([3, 8]) == "Pain up from 3 to 8 over the last 2 scores (3, 8)."
    assert trend_words([]) == "No pain scores in the last 30 days." and str(sparkline([], label_id="t")) == ""
    svg = str(sparkline([10, 0], label_id="trend-7"))
    assert 'role="img" aria-labelledby="trend-7"' in svg
    assert 'd="M4.0 4.0 L92.0 28.0"' in svg  # 10 at the top, 0 at the bottom, oldest on the left
    assert '<circle class="spark-last" cx="92.0" cy="28.0"' in svg  # the newest score is marked


def test_each_exercise_has_its_own_times_a_day_defaulting_to_the_handouts(catalog: Catalog) -> None:
    # Chin tuck's handout says "several times a day" (3); shoulder rolls' says nothing (1).
    p = check_prescription(draft(PrescribedItem(CHIN), PrescribedItem("shoulder-rolls")), catalog, [])
    assert dict(p.times) == {CHIN: 3, "shoulder-rolls": 1}
    assert (p.times_per_day, p.sessions_per_week) == (1, 3)  # full sessions: the times all share
    lines = summary(p, WORDS)
    assert lines[f"exercise:{CHIN}"].endswith(", 3 times a day")
    assert lines["exercise:shoulder-rolls"] == "Shoulder rolls: " + dose_words(
        p.items[1].dose, WORDS
    )  # as before
    # The prescription's own number is the clinician's word for every item without one.
    both = check_prescription(
        draft(PrescribedItem(CHIN, times_per_day=4), PrescribedItem("shoulder-rolls"), times_per_day=2),
        catalog,
        [],
    )
    assert dict(both.times) == {CHIN: 4, "shoulder-rolls": 2} and both.sessions_per_week == 6
    assert summary(both, WORDS)["how-often"] == "3 days a week, 2 times a day"
    with pytest.raises(InvalidInput) as err:
        check_prescription(draft(PrescribedItem(CHIN, times_per_day=0)), catalog, [])
    assert err.value.field == "items[0].times_per_day"
