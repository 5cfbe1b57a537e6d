"""A person on a new computer brings their history in through Settings, in real Chromium (issue 19):
the file picker, a broken file's message, the summary, and Today with their program; axe finds nothing
on these pages on a desktop and on a 360 px phone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import LiveServer
from tests.e2e.axe import assert_no_axe_violations
from tests.history_helpers import V1_FILE

pytestmark = pytest.mark.browser


def _bring_in(page: Page, url: str, tmp_path: Path, *, phone: bool) -> None:
    page.goto(url + "/settings")
    page.get_by_role("link", name="Bring in my data").click()
    expect(page.get_by_role("heading", name="Bring in my data", level=1)).to_be_visible()
    assert_no_axe_violations(page)

    broken = json.loads(V1_FILE.read_text())
    broken["pain_reports"][2]["score"] = -1
    bad = tmp_path / "broken.json"
    bad.write_text(json.dumps(broken))
    page.get_by_label("Your file (upright-my-data.json)").set_input_files(bad)
    page.get_by_role("button", name="Bring in my data").click()
    expect(page.get_by_role("alert")).to_contain_text("In pain_reports[2].score")
    assert_no_axe_violations(page)

    page.get_by_label("Your file (upright-my-data.json)").set_input_files(V1_FILE)
    page.get_by_role("button", name="Bring in my data").click()
    expect(page.get_by_role("heading", name="Your data is here")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Brought in 12 sessions")
    assert_no_axe_violations(page)
    if phone:
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="Go to Today").click()
    expect(page.get_by_text("Upper Back Pain Exercises (posture and neck stretches)").first).to_be_visible()


def test_bringing_data_in_on_a_desktop(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    _bring_in(page, live_server.url, tmp_path, phone=False)
    assert page.outside_requests == []  # type: ignore[attr-defined]


def test_bringing_data_in_on_a_360px_phone(phone_page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    _bring_in(phone_page, live_server.url, tmp_path, phone=True)
