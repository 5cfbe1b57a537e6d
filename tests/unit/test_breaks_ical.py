"""The break calendar, read back with a real iCalendar parser and expanded for a week."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar

from upright.domain.break_settings import make_settings
from upright.exports.ical import breaks_calendar
from upright.zones import resolve_timezone

PARIS = ZoneInfo("Europe/Paris")
HEALTH_WORDS = re.compile(
    r"pain|ache|hurt|neck|\bback\b|spine|spinal|shoulder|injur|therap|physio|doctor|clinician|treat|"
    r"symptom|health|medical|condition|diagnos|exercise|stretch",
    re.IGNORECASE,
)


def calendar(**settings: object) -> Calendar:
    s = make_settings(**settings)  # type: ignore[arg-type]
    data = breaks_calendar(s, tz=PARIS, today=date(2025, 3, 4), stamp=datetime(2025, 3, 4, 8, tzinfo=UTC))
    return Calendar.from_ical(data)


def week(cal: Calendar, monday: date) -> list[datetime]:
    events = recurring_ical_events.of(cal).between(monday, monday + timedelta(days=7))
    return sorted(e["DTSTART"].dt for e in events)


def test_a_week_expands_to_every_break_on_work_days_but_not_days_off() -> None:
    cal = calendar(every=45, start="09:00", end="17:00", days="mon-fri", days_off=["2025-03-05"])
    starts = week(cal, date(2025, 3, 3))
    per_day = Counter(s.date() for s in starts)
    assert per_day == {date(2025, 3, d): 10 for d in (3, 4, 6, 7)}  # Wednesday the 5th is off; no weekend
    monday = [f"{s:%H:%M}" for s in starts if s.date() == date(2025, 3, 3)]
    assert monday == [
        "09:45",
        "10:30",
        "11:15",
        "12:00",
        "12:45",
        "13:30",
        "14:15",
        "15:00",
        "15:45",
        "16:30",
    ]
    assert all(s.tzinfo is not None and s.utcoffset() == timedelta(hours=1) for s in starts)


def test_break_times_stay_put_across_a_daylight_saving_change() -> None:
    cal = calendar(every=60, start="09:00", end="12:00", days="mon-fri")
    before = week(cal, date(2025, 3, 24))
    after = week(cal, date(2025, 3, 31))  # Paris moved to summer time on Sunday 30 March
    assert {f"{s.astimezone(PARIS):%H:%M}" for s in before + after} == {"10:00", "11:00"}
    assert before[0].astimezone(UTC).hour == 9 and after[0].astimezone(UTC).hour == 8


def test_every_event_has_a_display_alarm_and_no_health_details() -> None:
    cal = calendar(days_off=["2025-12-25"])
    events = list(cal.walk("VEVENT"))
    assert len(events) == 10
    for event in events:
        assert event["RRULE"]["FREQ"] == ["WEEKLY"]
        assert event["RRULE"]["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]
        assert event["UID"] and event["DTSTAMP"]
        alarms = list(event.walk("VALARM"))
        assert len(alarms) == 1
        alarm = alarms[0]
        assert alarm["ACTION"] == "DISPLAY"
        assert alarm["TRIGGER"].dt == timedelta(0)
        assert alarm["DESCRIPTION"] == "Upright: time for a short break"
        text = " ".join(str(event.get(k, "")) for k in ("SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT"))
        assert not HEALTH_WORDS.search(text + " " + str(alarm["DESCRIPTION"])), text
    assert not HEALTH_WORDS.search(cal.to_ical().decode())


def test_the_time_zone_is_described_in_the_file() -> None:
    cal = calendar()
    zones = list(cal.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["Europe/Paris"]
    parts = {c.name for c in zones[0].subcomponents}
    assert parts == {"STANDARD", "DAYLIGHT"}
    first = next(iter(cal.walk("VEVENT")))
    assert first["DTSTART"].params["TZID"] == "Europe/Paris"
    assert not cal.get_missing_tzids()


def test_the_calendar_starts_this_week_and_uids_are_stable() -> None:
    a = calendar()
    b = Calendar.from_ical(
        breaks_calendar(
            make_settings(), tz=PARIS, today=date(2025, 3, 6), stamp=datetime(2025, 3, 6, tzinfo=UTC)
        )
    )
    assert [e["UID"] for e in a.walk("VEVENT")] == [e["UID"] for e in b.walk("VEVENT")]
    assert next(iter(a.walk("VEVENT")))["DTSTART"].dt.date() == date(2025, 3, 3)


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Kolkata"])
def test_other_zones_parse_and_expand(zone: str) -> None:
    tz = resolve_timezone(zone)
    data = breaks_calendar(
        make_settings(), tz=tz, today=date(2025, 7, 1), stamp=datetime(2025, 7, 1, tzinfo=UTC)
    )
    starts = week(Calendar.from_ical(data), date(2025, 6, 30))
    assert len(starts) == 50
    assert {f"{s.astimezone(tz):%H:%M}" for s in starts} >= {"09:45", "16:30"}
