"""Break reminders as an iCalendar file (RFC 5545), for `upright breaks ics` and /calendar/breaks.ics.

One weekly event per break time (09:45, 10:30, ... on the work days), each with a DISPLAY alarm
(ACTION, TRIGGER, DESCRIPTION: the only kind Outlook keeps), days off as EXDATEs, and a VTIMEZONE for
the person's zone so 09:45 stays 09:45 across daylight saving time. One event per time, not a
FREQ=MINUTELY rule: many calendar apps drop or mangle minute rules, every app handles weekly ones.

Calendar text never carries health details (CLINICAL.md §7, §8): a calendar is often shared, synced
to a phone's lock screen, or seen by an employer.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from upright.domain.break_settings import BreakSettings, days_text, next_workday, slots

__all__ = [
    "ALARM_TEXT",
    "EVENT_TEXT",
    "EVENT_TITLE",
    "breaks_calendar",
    "event_text",
]

EVENT_TITLE = "Upright: time for a short break"
EVENT_TEXT = "Time to stand up or sit tall and move a little. Open Upright to follow your short routine."
ALARM_TEXT = EVENT_TITLE
EVENT_MINUTES = 2  # when the routine's length is not known (no routine can be built right now)
PRODID = "-//Upright//Workday breaks//EN"
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def event_text(routine_minutes: int | None) -> str:
    if routine_minutes is None:
        return EVENT_TEXT
    unit = "minute" if routine_minutes == 1 else "minutes"
    return f"{EVENT_TEXT} It takes about {routine_minutes} {unit}."


def breaks_calendar(
    settings: BreakSettings,
    *,
    tz: ZoneInfo,
    today: date,
    stamp: datetime,
    url: str | None = None,
    routine_minutes: int | None = None,
    has_breaks: bool = True,
) -> bytes:
    """The calendar, starting on the first work day of this week on or after Monday.

    `stamp` is DTSTAMP (when the file was made); `url`, when given, links each event to the app;
    `routine_minutes`, the length of the person's routine (the same number the app shows);
    `has_breaks` False gives a calendar with no events (reminders turned off)."""
    monday = today - timedelta(days=today.weekday())
    first = next_workday(settings, monday)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Upright breaks")
    cal.add("x-wr-timezone", tz.key)
    cal.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    if first is None or not has_breaks:
        return bytes(cal.to_ical())
    like = datetime.combine(first, settings.start, tzinfo=tz)
    byday = [ICAL_DAYS[d] for d in sorted(settings.days)]
    days_key = days_text(settings.days).replace(",", "_")
    for start in slots(settings, first, like):
        event = Event()
        event.add("uid", f"break-{start:%H%M}-{days_key}@upright.invalid")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("duration", timedelta(minutes=routine_minutes or EVENT_MINUTES))
        event.add("rrule", {"freq": "weekly", "byday": byday})
        off = sorted(d for d in settings.days_off if d >= first and d.weekday() in settings.days)
        if off:
            event.add("exdate", [datetime.combine(d, start.time(), tzinfo=tz) for d in off])
        event.add("summary", EVENT_TITLE)
        event.add("description", event_text(routine_minutes))
        event.add("transp", "TRANSPARENT")  # a break does not make you busy
        event.add("class", "PRIVATE")
        if url:
            event.add("url", url)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", timedelta(0))
        alarm.add("description", ALARM_TEXT)
        event.add_component(alarm)
        cal.add_component(event)
    cal.add_missing_timezones(first_date=date(first.year - 1, 1, 1), last_date=date(first.year + 10, 1, 1))
    return bytes(cal.to_ical())
