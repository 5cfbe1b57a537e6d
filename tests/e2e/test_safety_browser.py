"""Safety at every door, in real Chromium: a "yes" to an emergency or seek-care question shows the
stop at once (with other questions still blank), a doctor-check follow-up shows only after a "yes",
and a session ended for pain ends calmly (no "Well done!", the pain not asked twice), after which
Today offers no more session that day and says why."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.conftest import LiveServer, TestClock
from tests.e2e.patient_flows import pick_pain, sessions_stored
from tests.patient_fixtures import db_url
from tests.patient_helpers import all_no
from upright.catalog import Catalog

__all__ = ["db_url"]

pytestmark = pytest.mark.browser


def _yes(page: Page, question: str) -> None:
    # click(), not check(): a "yes" that stops leaves the page at once, with no ticked box to see
    page.locator(f"input[name='{question}'][value='yes']").click()


@pytest.mark.parametrize(
    ("question", "heading"),
    [("chest-pain-now", re.compile(r"^Call \d+ now$")), ("fever-or-chills", "Get medical care today")],
)
def test_a_yes_to_an_urgent_question_shows_the_stop_at_once(
    page: Page, live_server: LiveServer, question: str, heading: Any
) -> None:
    page.goto(live_server.url + "/screening")
    _yes(page, question)  # nothing else answered, no button pressed
    page.wait_for_url("**/stop")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert "gently" not in page.content()
    with httpx.Client(base_url=live_server.url) as http:
        assert http.get("/api/me/screenings/latest").json()["blocks_sessions"] is True


def test_the_doctor_question_follows_only_a_yes_and_no_keeps_the_stop(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(live_server.url + "/screening")
    check = page.locator("#q-past-cancer-checked")
    expect(check).to_be_hidden()
    _yes(page, "past-cancer")
    expect(check).to_be_visible()
    expect(check.locator("legend")).to_have_text("Has a doctor checked this pain since it began?")
    assert page.url.endswith("/screening")  # not decided yet: the doctor may have checked it
    page.locator("input[name='past-cancer'][value='no']").check()
    expect(check).to_be_hidden()
    _yes(page, "past-cancer")
    page.locator("input[name='past-cancer-checked'][value='no']").click()
    page.wait_for_url("**/stop")
    expect(page.get_by_role("heading", level=1)).to_have_text("Get medical care today")


def test_a_session_ended_for_pain_ends_calmly_and_today_offers_no_more(
    page: Page, live_server: LiveServer, catalog: Catalog, test_clock: TestClock
) -> None:
    with httpx.Client(base_url=live_server.url) as http:
        http.post("/api/me/screenings", json=all_no(catalog)).raise_for_status()
        http.post("/api/me/plan", json={"choice": "handout", "program": "posture-and-neck-stretches"})
    page.clock.install(time=test_clock.now())
    page.goto(live_server.url + "/session")
    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.run_for(3000)
    page.get_by_role("button", name="This hurts").click()
    pick_pain(page, "hurt-score", 8)
    page.locator("#p-pain-form button[type=submit]").click()
    expect(page.locator("#p-advice-high")).to_be_visible()
    expect(page.locator("#p-go-on")).to_be_hidden()
    page.locator("#p-end-hurt").click()
    expect(page.locator("#p-checkin-title")).to_have_text("You stopped because it hurt")
    expect(page.locator("#p-checkin .pain-scale")).to_be_hidden()  # the pain is not asked twice
    page.locator("#p-checkin").get_by_role("button", name="Save my session").click()
    expect(page.locator("#p-done-title")).to_have_text("Saved. Please rest now.")
    expect(page.locator("#p-done")).not_to_contain_text("Well done")
    expect(page.locator("#p-done-text")).to_contain_text("Your pain is high")
    expect(page.locator("#p-done ul.advice")).to_be_visible()  # the advice, again
    stored = sessions_stored(live_server.url)
    assert stored[0]["outcome"] == "stopped_for_pain" and stored[0]["end_pain"] is None
    assert [p["score"] for p in stored[0]["pain_reports"]] == [8]

    test_clock.advance(minutes=5)  # later the same day (the page's clock ran ahead of the server's)
    page.goto(live_server.url + "/today")
    expect(page.locator("#rest-today")).to_contain_text("rest for the rest of the day")
    expect(page.get_by_role("link", name="Start today's session")).to_have_count(0)
    expect(page.locator(".alert").first).to_contain_text("8 out of 10")  # "This hurts" at 8 raises the alert
    with httpx.Client(base_url=live_server.url) as http:
        assert http.get("/api/me/session/script").status_code == 409
