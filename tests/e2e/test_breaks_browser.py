"""Break reminders in real Chromium: the Today page waits, the reminder comes when the break is due
(Playwright's clock in the page, the server's clock set by the test), the routine opens in the
session player and counts the break when it ends. No axe violations; keyboard only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from tests.conftest import LiveServer
from tests.e2e.axe import assert_no_axe_violations
from tests.patient_helpers import all_no
from upright.catalog import Catalog
from upright.web import patient_deps

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2025, 3, 3, 9, 30, tzinfo=PARIS)  # a Monday, 15 minutes before the first break


@dataclass
class ServerClock:
    now: datetime

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def server_clock() -> ServerClock:
    return ServerClock(START.astimezone(UTC))


@pytest.fixture
def server(
    make_app: Callable[..., FastAPI], server_clock: ServerClock, catalog: Catalog
) -> Iterator[LiveServer]:
    app = make_app()
    app.dependency_overrides[patient_deps._now] = lambda: server_clock.now
    live = LiveServer(app).start()
    with httpx.Client(base_url=live.url) as http:
        assert http.post("/api/me/screenings", json=all_no(catalog)).status_code == 201
        plan = {"choice": "handout", "program": "posture-and-neck-stretches"}
        assert http.post("/api/me/plan", json=plan).status_code == 201
        on = {"timezone": "Europe/Paris", "reminders_on": True}
        assert http.patch("/api/me/breaks/settings", json=on).status_code == 200
    yield live
    live.stop()


def status(server: LiveServer) -> dict[str, Any]:
    data: dict[str, Any] = httpx.get(server.url + "/api/me/breaks").json()
    return data


def test_the_reminder_comes_when_due_and_the_routine_plays_in_the_player(
    server: LiveServer, server_clock: ServerClock, page: Page
) -> None:
    page.clock.install(time=START)
    page.goto(server.url + "/today")
    panel = page.locator("#next-break")
    expect(panel.get_by_role("status")).to_have_text("Your next break is at 09:45.")
    expect(page.get_by_role("button", name="Show break reminders on my screen")).to_be_visible()
    dialog = page.get_by_role("alertdialog", name="Time for a short break")
    expect(dialog).to_be_hidden()
    assert_no_axe_violations(page)

    # 15 minutes pass on both clocks: the page asks the server, which says the break is due.
    server_clock.advance(minutes=15, seconds=20)
    page.clock.fast_forward("15:20")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Stand up or sit tall.")
    assert page.title() == "Time for a short break · Upright"
    start = dialog.get_by_role("button", name="Start my short break")
    expect(start).to_be_focused()
    assert_no_axe_violations(page)

    # The computer sleeps through two more breaks; on waking there is still one reminder.
    server_clock.advance(hours=2)
    page.clock.fast_forward("02:00:00")
    expect(dialog).to_be_visible()
    assert status(server)["today"]["prompted"] == 1

    page.keyboard.press("Enter")  # keyboard only: the focused button opens the routine
    page.wait_for_url("**/breaks/routine")
    expect(page.get_by_role("heading", name="Your short break", level=1)).to_be_visible()
    player = page.locator("#player")
    expect(player).to_be_visible()
    expect(page.locator("#p-exercise")).to_have_text("Your short break")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Start").focus()
    page.keyboard.press("Enter")
    page.clock.run_for(4 * 60 * 1000)  # longer than the routine: the player reaches its last step
    done = page.get_by_role("heading", name="Your break is done")
    expect(done).to_be_visible()
    expect(done).to_be_focused()
    page.get_by_role("button", name="Count my break").click()
    expect(page.get_by_role("heading", name="Saved. Well done!")).to_be_visible()
    assert_no_axe_violations(page)

    today = status(server)["today"]
    assert (today["prompted"], today["taken"]) == (1, 1)
    assert status(server)["next"]["phase"] == "waiting"
    assert page.outside_requests == []  # type: ignore[attr-defined]


def test_answers_in_the_dialog_put_off_and_skip_with_the_limit(
    server: LiveServer, server_clock: ServerClock, page: Page
) -> None:
    server_clock.advance(minutes=16)
    page.clock.install(time=START + timedelta(minutes=16))
    page.goto(server.url + "/breaks")
    dialog = page.get_by_role("alertdialog", name="Time for a short break")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Later (5 minutes)").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#next-break-reason")).to_have_text("You put off your break until 09:51.")

    for _ in range(2):  # the put-off break comes back; the second "later" is the last one allowed
        server_clock.advance(minutes=5)
        page.clock.fast_forward("05:00")
        expect(dialog).to_be_visible()
        later = dialog.get_by_role("button", name="Later (5 minutes)")
        if later.is_visible():
            later.click()
            expect(dialog).to_be_hidden()
    expect(dialog.get_by_role("button", name="Later (5 minutes)")).to_be_hidden()
    page.keyboard.press("Escape")  # closes the dialog; the break stays open
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Answer the break reminder").click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Skip this one").click()
    expect(dialog).to_be_hidden()
    counts = status(server)["today"]
    assert (counts["prompted"], counts["postponed"], counts["skipped"]) == (3, 2, 1)
    expect(page.locator("#next-break-reason")).to_contain_text("Your next break is at")
    assert_no_axe_violations(page)


def test_the_breaks_page_works_at_phone_width(server: LiveServer, phone_page: Page) -> None:
    phone_page.goto(server.url + "/breaks")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    assert_no_axe_violations(phone_page)
