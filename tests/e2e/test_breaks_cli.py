"""`upright breaks ...` as a person or a script uses it: the calendar file, settings, status, pause,
and one plain sentence naming the option when something is wrong."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import recurring_ical_events
from icalendar import Calendar
from typer.testing import CliRunner

from upright.cli import app as cli

runner = CliRunner()


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_ics_writes_a_calendar_that_expands_to_the_chosen_week(tmp_path: Path) -> None:
    out = tmp_path / "breaks.ics"
    args = ["breaks", "ics", "--every", "30", "--from", "08:00", "--to", "10:00", "--days", "mon,wed",
            "--tz", "Europe/Paris", "-o", str(out)]  # fmt: skip
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}." in _flat(result.output)
    cal = Calendar.from_ical(out.read_bytes())
    first = min(e["DTSTART"].dt for e in cal.walk("VEVENT")).date()
    monday = first - timedelta(days=first.weekday())
    starts = sorted(
        e["DTSTART"].dt for e in recurring_ical_events.of(cal).between(monday, monday + timedelta(days=7))
    )
    assert [f"{s:%a %H:%M}" for s in starts] == [
        "Mon 08:30", "Mon 09:00", "Mon 09:30", "Wed 08:30", "Wed 09:00", "Wed 09:30",
    ]  # fmt: skip
    assert all(next(iter(e.walk("VALARM")))["ACTION"] == "DISPLAY" for e in cal.walk("VEVENT"))


def test_ics_to_the_screen_uses_the_stored_settings() -> None:
    assert runner.invoke(cli, ["breaks", "settings", "--every", "60", "--tz", "UTC"]).exit_code == 0
    result = runner.invoke(cli, ["breaks", "ics", "-o", "-"])
    assert result.exit_code == 0, result.output
    cal = Calendar.from_ical(result.stdout_bytes)
    assert len(list(cal.walk("VEVENT"))) == 7  # 10:00 to 16:00, every hour, before 17:00


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--every", "5"],
            "Error: --every: Take a break every 30 to 60 minutes. You asked for every 5 minutes.",
        ),
        (["--every", "300"], "You asked for every 300 minutes."),
        (["--from", "09:00", "--to", "08:00"], "Error: --to: The work day must end after it starts."),
        (["--days", "mon-funday"], "Error: --days: We do not know the day 'funday'."),
        (["--tz", "Mars/Base"], "Error: --tz: We do not know the time zone 'Mars/Base'."),
        (["--from", "9am"], "Error: --from: Write the time as hours and minutes, like 09:00."),
        (["--day-off", "soon"], "Error: --day-off: Write a day off as year-month-day"),
    ],
)
def test_bad_options_give_one_plain_sentence_and_exit_1(
    tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "x.ics"
    result = runner.invoke(cli, ["breaks", "ics", *args, "-o", str(out)])
    assert result.exit_code == 1
    assert message in _flat(result.output)
    assert not out.exists()


def test_reminders_start_off_and_the_terminal_turns_them_on_and_off() -> None:
    off = runner.invoke(cli, ["breaks", "status"])
    assert off.exit_code == 0 and "Break reminders are off." in off.output
    assert "upright breaks on" in off.output
    on = runner.invoke(cli, ["breaks", "on"])
    assert on.exit_code == 0 and "Break reminders are on." in on.output
    status = json.loads(runner.invoke(cli, ["breaks", "status", "--json"]).output)
    assert status["settings"]["reminders_on"] is True and status["next"]["phase"] != "off"
    assert runner.invoke(cli, ["breaks", "off"]).exit_code == 0
    status = json.loads(runner.invoke(cli, ["breaks", "status", "--json"]).output)
    assert status["next"] == {**status["next"], "phase": "off", "is_due": False}


def test_settings_status_and_pause_from_the_terminal() -> None:
    assert runner.invoke(cli, ["breaks", "on"]).exit_code == 0
    bad = runner.invoke(cli, ["breaks", "settings", "--every", "300"])
    assert bad.exit_code == 1 and "Error: --every:" in bad.output
    ok = runner.invoke(cli, ["breaks", "settings", "--every", "30", "--days", "mon-sun", "--day-off", "2030-12-25",
                             "--json"])  # fmt: skip
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.output)
    assert (data["every"], data["days"], data["days_off"], data["saved"]) == (
        30,
        "mon-sun",
        ["2030-12-25"],
        True,
    )

    status = json.loads(runner.invoke(cli, ["breaks", "status", "--json"]).output)
    assert set(status) >= {"next", "today", "week", "settings", "about"}
    assert status["settings"]["every"] == 30

    paused = runner.invoke(cli, ["breaks", "pause", "--tomorrow"])
    assert paused.exit_code == 0 and "Breaks are on hold until" in _flat(paused.output)
    assert runner.invoke(cli, ["breaks", "resume"]).exit_code == 0
    short = runner.invoke(cli, ["breaks", "pause", "--minutes", "3"])
    assert short.exit_code == 1
    assert "Error: --minutes: A pause can last from 5 to 480 minutes." in _flat(short.output)


def test_once_checks_and_prints_json_for_scripts() -> None:
    assert runner.invoke(cli, ["breaks", "on"]).exit_code == 0
    result = runner.invoke(cli, ["breaks", "--once", "--json", "--no-desktop"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{") :])
    assert data["next"]["phase"] in ("waiting", "prompted", "paused")
    assert date.fromisoformat(data["today"]["day"])
