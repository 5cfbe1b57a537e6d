"""Break settings: what a person may type, and the plain error when it is not right."""

from __future__ import annotations

from datetime import date, time

import pytest

from upright.domain.break_settings import BreakSettings, days_text, make_settings, parse_days
from upright.errors import InvalidInput


def test_defaults_are_every_45_minutes_nine_to_five_on_weekdays() -> None:
    s = make_settings()
    assert (s.every_minutes, s.start, s.end, days_text(s.days)) == (45, time(9), time(17), "mon-fri")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon-fri", "mon-fri"),
        ("Mon, Wed, Fri", "mon,wed,fri"),
        ("monday-thursday", "mon-thu"),
        ("weekdays", "mon-fri"),
        ("sat-mon", "mon,sat-sun"),
        ("mon-sun", "mon-sun"),
    ],
)
def test_days_are_read_in_short_or_long_form(text: str, expected: str) -> None:
    assert days_text(parse_days(text)) == expected


@pytest.mark.parametrize(
    ("raw", "field", "words"),
    [
        ({"every": 5}, "every", "every 30 to 60 minutes. You asked for every 5 minutes."),
        ({"every": 300}, "every", "every 30 to 60 minutes. You asked for every 300 minutes."),
        ({"every": "often"}, "every", "whole number"),
        ({"start": "09:00", "end": "08:00"}, "end", "must end after it starts. You gave 09:00 to 08:00."),
        ({"start": "09:00", "end": "09:00"}, "end", "must end after it starts"),
        ({"start": "09:00", "end": "09:40"}, "end", "too short"),
        ({"start": "9am"}, "start", "like 09:00"),
        ({"end": "25:00"}, "end", "like 09:00"),
        ({"days": "mon-funday"}, "days", "We do not know the day 'funday'."),
        ({"days": ","}, "days", "at least one work day"),
        ({"days_off": ["next tuesday"]}, "days_off", "like 2025-12-25"),
        ({"postpone_minutes": 0}, "postpone_minutes", "from 1 to 30 minutes"),
        ({"max_postpones": 9}, "max_postpones", "0 to 5 times"),
        ({"natural_minutes": 60}, "natural_minutes", "from 2 to 30 minutes"),
    ],
)
def test_bad_values_name_their_field_in_plain_words(raw: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(InvalidInput) as err:
        make_settings(**raw)  # type: ignore[arg-type]
    assert err.value.field == field
    assert words in err.value.message


def test_settings_built_directly_are_checked_too() -> None:
    with pytest.raises(InvalidInput) as err:
        BreakSettings(every_minutes=5)
    assert err.value.field == "every"
    with pytest.raises(InvalidInput):
        BreakSettings(days=frozenset())


def test_days_off_are_read_as_dates() -> None:
    s = make_settings(days_off=["2025-12-25", date(2026, 1, 1)])
    assert s.days_off == {date(2025, 12, 25), date(2026, 1, 1)}
