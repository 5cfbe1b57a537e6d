"""The session player in real Chromium: a keyboard-only run, a dropped connection (the result waits
in the browser and is stored once), and a tab that slept in the background waking on the right step."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, Route, expect

from tests.conftest import LiveServer, TestClock
from tests.e2e.patient_flows import patient_server, pick_pain, sessions_stored, tab_to
from tests.patient_fixtures import db_url
from tests.patient_helpers import all_no
from upright.catalog import Catalog

__all__ = ["db_url"]

pytestmark = pytest.mark.browser


def _ready(url: str, catalog: Catalog, program: str = "posture-and-neck-stretches") -> dict[str, Any]:
    with httpx.Client(base_url=url) as http:
        http.post("/api/me/screenings", json=all_no(catalog)).raise_for_status()
        http.post("/api/me/plan", json={"choice": "handout", "program": program}).raise_for_status()
        script: dict[str, Any] = http.get("/api/me/session/script").json()
        return script


def _play_to_the_end(page: Page, url: str) -> None:
    with httpx.Client(base_url=url) as http:  # doses grow after each session: ask for today's length
        script = http.get("/api/me/session/script").json()
    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.run_for(int(script["total_seconds"] * 1000) + 1000)
    expect(page.locator("#p-checkin")).to_be_visible()


def _save(page: Page, pain: int) -> None:
    pick_pain(page, "end-pain", pain)
    page.locator("#p-checkin").get_by_role("button", name="Save my session").click()


def _pending(page: Page) -> int:
    return int(page.evaluate("() => JSON.parse(localStorage.getItem('upright.outbox.v1') || '[]').length"))


def test_a_whole_session_by_keyboard_alone(
    page: Page, live_server: LiveServer, catalog: Catalog, test_clock: TestClock
) -> None:
    script = _ready(live_server.url, catalog)
    page.clock.install(time=test_clock.now())
    page.goto(live_server.url + "/session")
    expect(page.locator("#p-start")).to_be_enabled()  # player.js is ready

    tab_to(page, "#p-start")
    page.keyboard.press("Enter")
    expect(page.locator("#p-pause")).to_be_focused()
    page.clock.run_for(3000)
    page.keyboard.press("Enter")  # pause
    expect(page.locator("#p-caption")).to_have_text("Paused. Press Resume when you are ready.")
    paused_at = page.text_content("#p-count")
    page.clock.run_for(5000)
    assert page.text_content("#p-count") == paused_at  # a paused clock stands still
    page.keyboard.press("Enter")  # resume
    expect(page.locator("#p-pause")).to_have_text("Pause")

    tab_to(page, ".player-more > summary")  # the voice switch is in the "More" menu
    page.keyboard.press("Enter")
    tab_to(page, "#p-mute")
    page.keyboard.press("Enter")
    expect(page.locator("#p-mute")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#p-mute")).to_be_hidden()  # choosing folds the menu again

    tab_to(page, "#p-hurt")
    page.keyboard.press("Enter")
    expect(page.locator("#p-pain-title")).to_be_focused()
    page.keyboard.press("Tab")  # into the 0-10 radio group
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.querySelector('input[name=hurt-score]:checked').value") == "4"
    tab_to(page, "#p-pain-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#p-advice-title")).to_be_focused()
    tab_to(page, "#p-go-on")
    page.keyboard.press("Enter")
    expect(page.locator("#p-controls")).to_be_visible()

    page.clock.run_for(int(script["total_seconds"] * 1000) + 1000)
    expect(page.locator("#p-checkin-title")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")  # pain 1
    page.keyboard.press("Space")
    tab_to(page, "#p-checkin-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#p-done-title")).to_have_text("Saved. Well done!")
    expect(page.locator("#p-done-title")).to_be_focused()
    stored = sessions_stored(live_server.url)
    assert len(stored) == 1 and stored[0]["end_pain"] == 1
    assert stored[0]["pain_reports"][0]["score"] == 4 and stored[0]["pain_reports"][0]["action"] == "continue"


def test_a_dropped_connection_keeps_the_result_and_sends_it_once_later(
    page: Page, make_app: Any, db_url: str, catalog: Catalog, test_clock: TestClock
) -> None:
    with patient_server(make_app, db_url) as server:
        _ready(server.url, catalog)
        page.clock.install(time=test_clock.now())

        # 1. The request never reaches Upright: nothing stored, the result waits in the browser.
        page.route("**/api/me/sessions", lambda route: route.abort("internetdisconnected"))
        page.goto(server.url + "/session")
        _play_to_the_end(page, server.url)
        _save(page, 2)
        expect(page.locator("#p-done-title")).to_have_text("Kept on this device")
        assert _pending(page) == 1
        assert sessions_stored(server.url) == []

        # 2. The next page opened sends it.
        page.unroute("**/api/me/sessions")
        page.goto(server.url + "/today")
        page.wait_for_function("() => (localStorage.getItem('upright.outbox.v1') || '[]') === '[]'")
        assert len(sessions_stored(server.url)) == 1

        # 3. Upright stores it but the answer is lost on the way back: the resend is stored once.
        def lose_answer(route: Route) -> None:
            route.fetch()  # reaches the server
            route.abort("connectionreset")

        page.route("**/api/me/sessions", lose_answer)
        page.goto(server.url + "/session")
        _play_to_the_end(page, server.url)
        _save(page, 3)
        expect(page.locator("#p-done-title")).to_have_text("Kept on this device")
        assert len(sessions_stored(server.url)) == 2
        page.unroute("**/api/me/sessions")
        page.goto(server.url + "/today")
        page.wait_for_function("() => (localStorage.getItem('upright.outbox.v1') || '[]') === '[]'")
        page.reload()
        stored = sessions_stored(server.url)
        assert len(stored) == 2
        assert sorted(s["end_pain"] for s in stored) == [2, 3]


def test_a_tab_that_slept_wakes_on_the_right_step(
    page: Page, live_server: LiveServer, catalog: Catalog, test_clock: TestClock
) -> None:
    script = _ready(live_server.url, catalog)
    page.clock.install(time=test_clock.now())
    page.goto(live_server.url + "/session")
    page.get_by_role("button", name="Start", exact=True).click()
    away = 95.5  # seconds with no timer firing, as in a throttled background tab
    page.clock.fast_forward(int(away * 1000))
    page.clock.run_for(250)
    at = away + 0.25
    step = next(s for s in script["steps"] if s["start"] <= at < s["start"] + s["seconds"])
    expect(page.locator("#p-show")).to_have_text(step["show"])
    left = step["start"] + step["seconds"] - at
    assert abs(int(page.text_content("#p-count") or "0") - left) <= 1


def test_each_exercise_reads_out_its_cues_and_cautions_once_at_set_up(
    page: Page, live_server: LiveServer, catalog: Catalog, test_clock: TestClock
) -> None:
    script = _ready(live_server.url, catalog)
    page.clock.install(time=test_clock.now())
    page.goto(live_server.url + "/session")
    page.get_by_role("button", name="Start", exact=True).click()
    played = 0.0
    for step in (s for s in script["steps"] if s["kind"] == "exercise"):
        page.clock.run_for(int((step["start"] - played) * 1000) + 500)
        played = step["start"] + 0.5
        ex = catalog.exercise(step["exercise"])
        expect(page.locator("#p-exercise")).to_have_text(ex.name)
        for line in (*ex.cues.do, *ex.cues.dont, *ex.cautions):
            expect(page.locator("#p-caption")).to_contain_text(line)  # the words the voice speaks
            expect(page.locator("#p-details")).to_contain_text(line)  # and the same on screen
