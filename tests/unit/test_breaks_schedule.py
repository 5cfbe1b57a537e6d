"""The break schedule over a simulated work week: a person (scripted) answers reminders minute by minute.

Monday 2025-03-03 to Sunday 2025-03-09, work 09:00-17:00 Monday to Friday, a break every 45 minutes,
Wednesday a day off. Nothing here reads the clock: the simulation moves `now` forward itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from upright.domain.break_settings import BreakSettings, make_settings, slots
from upright.domain.break_stats import BreakCounts, day_counts, week_counts
from upright.domain.breaks import (
    BreakEvent,
    BreakState,
    Kind,
    Phase,
    apply,
    implied_events,
    natural_break,
    next_break,
    pause_for,
    pause_until_tomorrow,
    replay,
)
from upright.errors import Conflict, InvalidInput

PARIS = ZoneInfo("Europe/Paris")
MONDAY = date(2025, 3, 3)
WEDNESDAY = MONDAY + timedelta(days=2)


def at(day: date, hhmm: str) -> datetime:
    h, m = hhmm.split(":")
    return datetime.combine(day, time(int(h), int(m)), tzinfo=PARIS)


@dataclass
class Sim:
    """A client that checks every minute, as the desktop loop and the open web page do."""

    settings: BreakSettings
    state: BreakState = field(default_factory=BreakState)
    events: list[BreakEvent] = field(default_factory=list)
    refused: list[tuple[datetime, str]] = field(default_factory=list)

    def record(self, event: BreakEvent) -> bool:
        try:
            self.state = apply(self.settings, self.state, event)
        except Conflict as exc:
            self.refused.append((event.at, str(exc)))
            return False
        self.events.append(event)
        return True

    def run(
        self,
        start: datetime,
        end: datetime,
        answer: Callable[[Sim, datetime], None],
        *,
        asleep: tuple[datetime, datetime] | None = None,
        away: tuple[datetime, datetime] | None = None,
    ) -> None:
        """`asleep`: the client does not run. `away`: it runs and sees the idle time (desktop loop)."""
        now = start
        while now < end:
            if asleep and asleep[0] <= now < asleep[1]:
                now += timedelta(minutes=1)
                continue
            idle = 0.0
            if away and away[0] <= now < away[1]:
                idle = (now - away[0]).total_seconds()
            if away and now == away[1]:
                back = natural_break(self.settings, idle_seconds=(now - away[0]).total_seconds(), now=now)
                if back is not None:
                    self.record(back)
            nb = next_break(self.settings, self.state, now, idle_seconds=idle)
            if nb.is_due and nb.phase is not Phase.PROMPTED:
                self.record(BreakEvent(Kind.PROMPTED, now))
            if self.state.phase is Phase.PROMPTED:
                answer(self, now)
            now += timedelta(minutes=1)

    def prompts(self, day: date) -> list[str]:
        return [f"{e.at:%H:%M}" for e in self.events if e.kind is Kind.PROMPTED and e.at.date() == day]


def take_after_two_minutes(sim: Sim, now: datetime) -> None:
    assert sim.state.prompted_at is not None
    if now - sim.state.prompted_at >= timedelta(minutes=2):
        sim.record(BreakEvent(Kind.TAKEN, now, exercises=("chin-tuck",)))


def always_postpone(sim: Sim, now: datetime) -> None:
    if not sim.record(BreakEvent(Kind.POSTPONED, now)):
        sim.record(BreakEvent(Kind.SKIPPED, now))


@pytest.fixture
def week() -> BreakSettings:
    return make_settings(
        every=45, start="09:00", end="17:00", days="mon-fri", days_off=[WEDNESDAY], reminders_on=True
    )


def test_a_plain_day_brings_a_reminder_every_45_minutes_counted_from_the_last_break(
    week: BreakSettings,
) -> None:
    sim = Sim(week)
    sim.run(at(MONDAY, "00:00"), at(MONDAY, "23:59"), take_after_two_minutes)
    # 09:45 first; each break ends 2 minutes after its reminder and the next comes 45 minutes later.
    assert sim.prompts(MONDAY) == [
        "09:45", "10:32", "11:19", "12:06", "12:53", "13:40", "14:27", "15:14", "16:01", "16:48",
    ]  # fmt: skip
    counts = day_counts(sim.events, [MONDAY])[0].counts
    assert counts == BreakCounts(prompted=10, taken=10)


def test_the_week_has_no_reminders_on_a_day_off_or_the_weekend(week: BreakSettings) -> None:
    sim = Sim(week)
    sim.run(at(MONDAY, "00:00"), at(MONDAY + timedelta(days=7), "00:00"), take_after_two_minutes)
    per_day = {d.day: d.counts.prompted for d in week_counts(sim.events, WEDNESDAY).days}
    assert per_day[WEDNESDAY] == 0
    assert per_day[MONDAY + timedelta(days=5)] == 0 and per_day[MONDAY + timedelta(days=6)] == 0
    assert all(per_day[MONDAY + timedelta(days=i)] == 10 for i in (0, 1, 3, 4))
    for e in sim.events:
        assert time(9, 0) < e.at.time() < time(17, 0)
    total = week_counts(sim.events, MONDAY).total
    assert total == BreakCounts(prompted=40, taken=40)


def test_the_reason_says_when_the_next_break_is(week: BreakSettings) -> None:
    state = BreakState()
    assert next_break(week, state, at(MONDAY, "08:00")).reason == "Your next break is at 09:45."
    tuesday_evening = next_break(week, state, at(MONDAY + timedelta(days=1), "18:00"))
    # Wednesday is a day off, so the next break is Thursday.
    assert tuesday_evening.due_at == at(MONDAY + timedelta(days=3), "09:45")
    assert tuesday_evening.reason == "No more breaks today. Your next break is on Thursday at 09:45."
    on_day_off = next_break(week, state, at(WEDNESDAY, "10:00"))
    assert on_day_off.reason == "No breaks today. Your next break is tomorrow at 09:45."


def test_a_pause_for_a_meeting_holds_reminders_then_one_comes_at_once(week: BreakSettings) -> None:
    sim = Sim(week)

    def answer(s: Sim, now: datetime) -> None:
        take_after_two_minutes(s, now)

    sim.run(at(MONDAY, "08:00"), at(MONDAY, "10:00"), answer)
    assert sim.prompts(MONDAY) == ["09:45"]
    assert sim.record(pause_for(week, at(MONDAY, "10:00"), 60))
    nb = next_break(week, sim.state, at(MONDAY, "10:01"))
    assert nb.phase is Phase.PAUSED and not nb.is_due
    assert nb.reason == "Breaks are on hold until 11:00. The next one is at 11:00."
    sim.run(at(MONDAY, "10:01"), at(MONDAY, "12:00"), answer)
    # The 10:32 break fell in the meeting: one reminder when it ends, not a backlog.
    assert sim.prompts(MONDAY) == ["09:45", "11:00", "11:47"]


def test_pause_until_tomorrow_skips_the_day_off(week: BreakSettings) -> None:
    sim = Sim(week)
    tuesday = MONDAY + timedelta(days=1)
    assert sim.record(pause_until_tomorrow(week, at(tuesday, "11:00")))
    assert sim.state.until == at(MONDAY + timedelta(days=3), "09:00")
    assert next_break(week, sim.state, at(tuesday, "12:00")).reason == (
        "Breaks are on hold until your next work day. The next one is on Thursday at 09:45."
    )
    sim.run(at(tuesday, "11:00"), at(MONDAY + timedelta(days=3), "10:00"), take_after_two_minutes)
    assert [f"{e.at:%a %H:%M}" for e in sim.events if e.kind is Kind.PROMPTED] == ["Thu 09:45"]


def test_resume_ends_a_pause_early(week: BreakSettings) -> None:
    state = apply(week, BreakState(), pause_for(week, at(MONDAY, "09:10"), 120))
    state = apply(week, state, BreakEvent(Kind.RESUMED, at(MONDAY, "09:30")))
    assert state.phase is Phase.WAITING
    assert next_break(week, state, at(MONDAY, "09:31")).due_at == at(MONDAY, "09:45")
    with pytest.raises(Conflict, match="not on hold"):
        apply(week, state, BreakEvent(Kind.RESUMED, at(MONDAY, "09:32")))


def test_postpone_stops_at_its_limit(week: BreakSettings) -> None:
    sim = Sim(week)
    sim.run(at(MONDAY, "09:00"), at(MONDAY, "10:30"), always_postpone)
    # Prompt, put off 5 minutes, twice; the third time the limit says no, so the person skips.
    assert sim.prompts(MONDAY) == ["09:45", "09:50", "09:55"]
    kinds = [e.kind.value for e in sim.events]
    assert kinds == ["prompted", "postponed", "prompted", "postponed", "prompted", "skipped"]
    assert sim.refused == [
        (at(MONDAY, "09:55"), "You put this break off 2 times already. Take it now, or skip it.")
    ]
    counts = day_counts(sim.events, [MONDAY])[0].counts
    assert counts == BreakCounts(prompted=3, postponed=2, skipped=1)
    # The skip counts from 09:55: the next break is 45 minutes later.
    assert next_break(week, sim.state, at(MONDAY, "10:00")).due_at == at(MONDAY, "10:40")


def test_while_a_reminder_is_open_the_next_break_says_how_many_put_offs_are_left(week: BreakSettings) -> None:
    state = apply(week, BreakState(), BreakEvent(Kind.PROMPTED, at(MONDAY, "09:45")))
    nb = next_break(week, state, at(MONDAY, "09:46"))
    assert (nb.is_due, nb.can_postpone, nb.postpones_left) == (True, True, 2)
    state = apply(week, state, BreakEvent(Kind.POSTPONED, at(MONDAY, "09:46")))
    nb = next_break(week, state, at(MONDAY, "09:47"))
    assert (nb.is_due, nb.due_at, nb.reason) == (
        False,
        at(MONDAY, "09:51"),
        "You put off your break until 09:51.",
    )


def test_no_put_off_at_all_when_the_limit_is_zero() -> None:
    s = make_settings(max_postpones=0, reminders_on=True)
    state = apply(s, BreakState(), BreakEvent(Kind.PROMPTED, at(MONDAY, "09:45")))
    with pytest.raises(Conflict, match="cannot be put off"):
        apply(s, state, BreakEvent(Kind.POSTPONED, at(MONDAY, "09:46")))


def test_time_away_counts_as_a_natural_break(week: BreakSettings) -> None:
    sim = Sim(week)
    thursday = MONDAY + timedelta(days=3)
    # Away from the desk 10:20-10:40: no reminder at 10:32 (nobody there); a natural break on return.
    sim.run(at(thursday, "09:00"), at(thursday, "12:00"), take_after_two_minutes,
            away=(at(thursday, "10:20"), at(thursday, "10:40")))  # fmt: skip
    assert sim.prompts(thursday) == ["09:45", "11:25"]
    assert day_counts(sim.events, [thursday])[0].counts == BreakCounts(prompted=2, taken=2, natural=1)


def test_a_short_idle_or_an_idle_outside_work_is_not_a_break(week: BreakSettings) -> None:
    assert natural_break(week, idle_seconds=4 * 60, now=at(MONDAY, "10:00")) is None
    assert natural_break(week, idle_seconds=3600, now=at(MONDAY, "08:30")) is None
    assert natural_break(week, idle_seconds=3600, now=at(WEDNESDAY, "11:00")) is None
    with pytest.raises(InvalidInput) as err:
        apply(week, BreakState(), BreakEvent(Kind.NATURAL, at(MONDAY, "10:00"), idle_seconds=60))
    assert err.value.field == "idle_seconds"


def test_a_natural_break_closes_an_open_reminder(week: BreakSettings) -> None:
    state = apply(week, BreakState(), BreakEvent(Kind.PROMPTED, at(MONDAY, "09:45")))
    state = apply(week, state, BreakEvent(Kind.NATURAL, at(MONDAY, "10:05"), idle_seconds=900))
    assert state.phase is Phase.WAITING
    assert next_break(week, state, at(MONDAY, "10:06")).due_at == at(MONDAY, "10:50")


def test_after_sleep_one_reminder_comes_not_one_per_missed_break(week: BreakSettings) -> None:
    """A laptop closed 12:00-15:00 on a client that cannot tell idle time (a web page)."""
    friday = MONDAY + timedelta(days=4)
    sim = Sim(week)
    sim.run(at(friday, "09:00"), at(friday, "16:00"), take_after_two_minutes,
            asleep=(at(friday, "12:10"), at(friday, "15:00")))  # fmt: skip
    # 12:06 taken at 12:08; three breaks fell in the sleep (12:53, 13:40, 14:27): one reminder at 15:00.
    assert sim.prompts(friday) == ["09:45", "10:32", "11:19", "12:06", "15:00", "15:47"]


def test_after_sleep_a_client_that_can_tell_counts_a_natural_break(week: BreakSettings) -> None:
    """The desktop loop sees the sleep (wall clock jumped, monotonic clock did not) and says so."""
    friday = MONDAY + timedelta(days=4)
    sim = Sim(week)
    sim.run(at(friday, "09:00"), at(friday, "12:10"), take_after_two_minutes)
    woke = at(friday, "15:00")
    event = natural_break(week, idle_seconds=(woke - at(friday, "12:10")).total_seconds(), now=woke)
    assert event is not None and sim.record(event)
    sim.run(woke, at(friday, "16:00"), take_after_two_minutes)
    assert sim.prompts(friday) == ["09:45", "10:32", "11:19", "12:06", "15:45"]


def test_an_open_reminder_lapses_when_the_work_day_ends(week: BreakSettings) -> None:
    state = apply(week, BreakState(), BreakEvent(Kind.PROMPTED, at(MONDAY, "16:48")))
    evening = next_break(week, state, at(MONDAY, "17:30"))
    assert not evening.is_due
    assert evening.due_at == at(MONDAY + timedelta(days=1), "09:45")


def test_a_second_reminder_for_the_same_break_is_refused(week: BreakSettings) -> None:
    state = apply(week, BreakState(), BreakEvent(Kind.PROMPTED, at(MONDAY, "09:45")))
    with pytest.raises(Conflict):
        apply(week, state, BreakEvent(Kind.PROMPTED, at(MONDAY, "09:46")))
    with pytest.raises(Conflict, match="No break is due yet"):
        apply(week, BreakState(), BreakEvent(Kind.PROMPTED, at(MONDAY, "09:30")))


def test_a_break_taken_early_moves_the_next_one(week: BreakSettings) -> None:
    state = apply(week, BreakState(), BreakEvent(Kind.TAKEN, at(MONDAY, "09:20"), exercises=("chin-tuck",)))
    assert next_break(week, state, at(MONDAY, "09:21")).due_at == at(MONDAY, "10:05")
    assert state.done_today == ("chin-tuck",)


def test_events_out_of_order_are_refused(week: BreakSettings) -> None:
    state = apply(week, BreakState(), BreakEvent(Kind.TAKEN, at(MONDAY, "10:00")))
    with pytest.raises(Conflict):
        apply(week, state, BreakEvent(Kind.TAKEN, at(MONDAY, "09:00")))


def test_replay_of_stored_events_gives_the_same_state(week: BreakSettings) -> None:
    sim = Sim(week)
    sim.run(at(MONDAY, "09:00"), at(MONDAY, "12:00"), always_postpone)
    assert replay(week, sim.events) == sim.state


def test_replay_survives_a_tighter_postpone_limit(week: BreakSettings) -> None:
    sim = Sim(week)
    sim.run(at(MONDAY, "09:00"), at(MONDAY, "10:30"), always_postpone)
    stricter = make_settings(days_off=[WEDNESDAY], max_postpones=0, reminders_on=True)
    state = replay(stricter, sim.events)  # the old put-offs are passed over, not an error
    assert state.phase is Phase.WAITING


def test_the_calendar_slots_of_a_day(week: BreakSettings) -> None:
    assert [f"{t:%H:%M}" for t in slots(week, MONDAY, at(MONDAY, "00:00"))] == [
        "09:45", "10:30", "11:15", "12:00", "12:45", "13:30", "14:15", "15:00", "15:45", "16:30",
    ]  # fmt: skip
    assert slots(week, WEDNESDAY, at(MONDAY, "00:00")) == []


def test_pause_length_is_checked(week: BreakSettings) -> None:
    with pytest.raises(InvalidInput) as err:
        pause_for(week, at(MONDAY, "10:00"), 2)
    assert err.value.field == "minutes"
    with pytest.raises(InvalidInput):
        pause_for(week, at(MONDAY, "10:00"), 9 * 60)


def test_answering_a_put_off_break_that_came_back_counts_its_reminder_first(week: BreakSettings) -> None:
    """A page that shows the returned break before any script recorded its reminder (no JavaScript,
    or a click faster than the script) still lets the person put it off again or skip it."""
    state = apply(week, BreakState(), BreakEvent(Kind.PROMPTED, at(MONDAY, "09:45")))
    state = apply(week, state, BreakEvent(Kind.POSTPONED, at(MONDAY, "09:46")))
    later = BreakEvent(Kind.POSTPONED, at(MONDAY, "09:52"))  # back at 09:51, never re-shown
    events = implied_events(week, state, later)
    assert [e.kind for e in events] == [Kind.PROMPTED, Kind.POSTPONED]
    for e in events:
        state = apply(week, state, e)
    assert (state.phase, state.postpones) == (Phase.POSTPONED, 2)
