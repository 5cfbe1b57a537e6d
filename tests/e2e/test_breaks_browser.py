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


def _start_button_is_clickable(page: Page) -> None:
    """The session start is never covered: the element at its centre is the button itself."""
    start = page.get_by_role("link", name="Start today's session")
    expect(start).to_be_visible()
    box = start.bounding_box()
    assert box is not None
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.closest('a')?.textContent",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert on_top == "Start today's session"


def test_the_reminder_is_a_banner_in_the_page_and_the_routine_plays_in_the_player(
    server: LiveServer, server_clock: ServerClock, page: Page
) -> None:
    page.clock.install(time=START)
    page.goto(server.url + "/today")
    panel = page.locator("#next-break")
    expect(panel.get_by_role("status")).to_have_text("Your next break is at 09:45.")
    expect(page.get_by_role("button", name="Show break reminders on my screen")).to_be_visible()
    banner = page.locator("#break-due")
    expect(banner).to_be_hidden()
    assert_no_axe_violations(page)

    # 15 minutes pass on both clocks: the page asks the server, which says the break is due.
    server_clock.advance(minutes=15, seconds=20)
    page.clock.fast_forward("15:20")
    expect(banner).to_be_visible()
    expect(panel.get_by_role("status")).to_have_text("It is time for a short break.")
    minutes = status(server)["routine_minutes"]
    expect(banner).to_contain_text(f"Your routine takes about {minutes} minutes.")
    assert page.title() == "Time for a short break · Upright"
    assert page.locator("dialog").count() == 0  # never a modal
    _start_button_is_clickable(page)  # the reminder does not cover the session start
    page.locator("label.pain-choice:has(input[name='pain'][value='3'])").click()  # nor the pain form
    expect(page.locator("input[name='pain'][value='3']")).to_be_checked()
    assert_no_axe_violations(page)

    # The computer sleeps through two more breaks; on waking there is still one reminder.
    server_clock.advance(hours=2)
    page.clock.fast_forward("02:00:00")
    expect(banner).to_be_visible()
    assert status(server)["today"]["prompted"] == 1

    start = banner.get_by_role("link", name="Start my short break")
    start.focus()
    page.keyboard.press("Enter")  # keyboard only
    page.wait_for_url("**/breaks/routine")
    expect(page.get_by_role("heading", name="Your short break", level=1)).to_be_visible()
    expect(page.locator("#break-routine-length")).to_contain_text(f"About {minutes} minutes.")
    player = page.locator("#player")
    expect(player).to_be_visible()
    expect(page.locator("#p-exercise")).to_have_text("Your short break")
    assert page.locator("#next-break").count() == 0  # no reminder on the routine page
    assert_no_axe_violations(page)
    expect(page.get_by_role("button", name="Start")).to_be_enabled()  # player.js is ready
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


def test_answers_in_the_banner_put_off_and_skip_with_the_limit(
    server: LiveServer, server_clock: ServerClock, page: Page
) -> None:
    server_clock.advance(minutes=16)
    page.clock.install(time=START + timedelta(minutes=16))
    page.goto(server.url + "/breaks")
    banner = page.locator("#break-due")
    expect(banner).to_be_visible()
    banner.get_by_role("button", name="Later (5 minutes)").click()
    expect(banner).to_be_hidden()
    expect(page.locator("#next-break-reason")).to_have_text("You put off your break until 09:51.")
    page.wait_for_load_state("networkidle")  # the new page has asked for the status before time moves

    for _ in range(2):  # the put-off break comes back; the second "later" is the last one allowed
        server_clock.advance(minutes=5)
        page.clock.fast_forward("05:00")
        expect(banner).to_be_visible()
        later = banner.get_by_role("button", name="Later (5 minutes)")
        if later.is_visible():
            later.click()
            expect(banner).to_be_hidden()
            page.wait_for_load_state("networkidle")
    expect(banner.get_by_role("button", name="Later (5 minutes)")).to_be_hidden()
    page.reload()  # a new page load shows the same open break, in the page
    expect(banner).to_be_visible()
    banner.get_by_role("button", name="Skip this one").click()
    expect(banner).to_be_hidden()
    counts = status(server)["today"]
    assert (counts["prompted"], counts["postponed"], counts["skipped"]) == (3, 2, 1)
    expect(page.locator("#next-break-reason")).to_contain_text("Your next break is at")
    assert_no_axe_violations(page)


def test_a_session_counts_as_a_break_and_no_reminder_shows_while_it_plays(
    server: LiveServer, server_clock: ServerClock, page: Page
) -> None:
    server_clock.advance(minutes=10)  # 09:40, five minutes before a break
    page.clock.install(time=START + timedelta(minutes=10))
    page.goto(server.url + "/today")
    page.get_by_role("link", name="Start today's session").click()
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_visible()
    server_clock.advance(minutes=10)
    page.clock.fast_forward("10:00")  # the break would have been due at 09:45
    assert page.locator("#next-break, #break-due, dialog[open]").count() == 0
    nxt = status(server)["next"]
    assert nxt["is_due"] is False and nxt["due_clock"] == "10:25"  # a full gap after the start (09:40)


def test_a_person_at_home_gets_no_reminder_until_they_turn_them_on(
    server: LiveServer, server_clock: ServerClock, page: Page
) -> None:
    httpx.patch(server.url + "/api/me/breaks/settings", json={"reminders_on": False})
    server_clock.advance(minutes=30)  # a break would be due
    page.clock.install(time=START + timedelta(minutes=30))
    page.goto(server.url + "/today")
    assert page.locator("#next-break").count() == 0
    page.goto(server.url + "/breaks")
    expect(page.locator("#next-break-reason")).to_have_text("Break reminders are off.")
    expect(page.locator("#break-due")).to_have_count(0)
    page.get_by_role("button", name="Turn on break reminders").click()
    expect(page.locator("#break-due")).to_be_visible()
    page.get_by_role("button", name="Turn off break reminders").click()
    expect(page.locator("#next-break-reason")).to_have_text("Break reminders are off.")
    assert_no_axe_violations(page)


def test_the_breaks_page_works_at_phone_width(server: LiveServer, phone_page: Page) -> None:
    phone_page.goto(server.url + "/breaks")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    assert_no_axe_violations(phone_page)


def test_setup_offers_break_reminders_for_a_work_desk_only(
    make_app: Callable[..., FastAPI], page: Page, test_clock: Any
) -> None:
    live = LiveServer(make_app()).start()
    try:
        page.clock.install(time=test_clock.now())
        page.goto(live.url + "/setup")
        offer = page.get_by_role("group", name="Short breaks at work")
        page.get_by_label("At home").check()
        expect(offer).to_be_hidden()
        page.get_by_label("At my work desk").check()
        expect(offer).to_be_visible()
        assert_no_axe_violations(page)
        offer.get_by_label("Remind me to take short breaks at work").check()
        offer.get_by_label("Work starts").fill("08:00")
        offer.get_by_label("Work ends").fill("16:00")
        page.get_by_role("button", name="Next").click()
        page.wait_for_url("**/choose-program")
        settings = status(live)["settings"]
        assert (settings["reminders_on"], settings["start"], settings["end"]) == (True, "08:00", "16:00")
    finally:
        live.stop()
