"""One source of "this computer's time zone" (upright.clock.local_zone): the pages, the break
services and the commands all follow it, so a person who chose no zone sees one day everywhere."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from typer.testing import CliRunner

from tests.conftest import TestClock
from tests.patient_helpers import FormClient
from upright import clock
from upright.cli import app as cli

AUCKLAND = ZoneInfo("Pacific/Auckland")


def test_pages_break_services_and_commands_share_the_computers_zone(
    make_app: Callable[..., FastAPI],
    monkeypatch: pytest.MonkeyPatch,
    test_clock: TestClock,
) -> None:
    monkeypatch.setattr(clock, "local_zone", lambda: AUCKLAND)
    test_clock.set(datetime(2026, 3, 4, 20, 0, tzinfo=UTC))  # Wednesday evening in UTC, Thursday in Auckland
    assert clock.today().isoformat() == "2026-03-05"
    with FormClient(make_app(), base_url="http://127.0.0.1") as client:
        web = client.get("/api/me/breaks/settings").json()
    assert web["timezone"] == "Pacific/Auckland"
    command = CliRunner().invoke(cli, ["breaks", "settings", "--json"])
    assert command.exit_code == 0, command.output
    assert json.loads(command.stdout)["timezone"] == "Pacific/Auckland"


def test_the_computers_zone_name_follows_a_change_of_tz_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The name is kept between requests (zones.local_timezone_name), but never past a change."""
    from upright.zones import local_timezone_name

    monkeypatch.setenv("TZ", "Pacific/Auckland")
    assert local_timezone_name() == "Pacific/Auckland"
    monkeypatch.setenv("TZ", ":Europe/Paris")
    assert local_timezone_name() == "Europe/Paris"
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    assert local_timezone_name() == "Pacific/Auckland"
