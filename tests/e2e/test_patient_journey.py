"""The patient's whole path in real Chromium: onboarding, a session played on Playwright's clock with a
"This hurts" stop, the end check-in, and the session on the Progress page; the emergency stop screens;
and the player page without JavaScript. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import TestClock
from tests.e2e.patient_flows import answer_screening, onboard, patient_server, pick_pain, sessions_stored
from tests.patient_fixtures import db_url
from tests.patient_helpers import all_no
from upright.catalog import Catalog

__all__ = ["db_url"]

pytestmark = pytest.mark.browser


def _script(url: str) -> dict[str, Any]:
    with httpx.Client(base_url=url) as http:
        data: dict[str, Any] = http.get("/api/me/session/script").json()
        return data


def _run_until(page: Page, selector: str, text: str, *, step_ms: int = 1000, limit: int = 600) -> None:
    """Move the page's clock on until `selector` shows `text` (a person waiting for the next step)."""
    for _ in range(limit):
        if (page.text_content(selector) or "").strip() == text:
            return
        page.clock.run_for(step_ms)
    raise AssertionError(f"{selector} never showed {text!r}")


def test_onboarding_session_with_a_pain_stop_then_progress_shows_it(
    page: Page, make_app: Any, db_url: str, catalog: Catalog, test_clock: TestClock
) -> None:
    with patient_server(make_app, db_url) as server:
        page.clock.install(time=test_clock.now())
        onboard(page, server.url, catalog, program="healthy-upper-back")
        script = _script(server.url)
        first, second = script["targets"][0], script["targets"][1]

        page.get_by_role("link", name="Start today's session").click()
        expect(page.get_by_role("button", name="Start", exact=True)).to_be_visible()
        expect(page.locator("#steps-details li")).to_have_count(len(script["steps"]))
        page.get_by_role("button", name="Start", exact=True).click()
        expect(page.locator("#p-show")).to_have_text("Get ready")
        _run_until(page, "#p-exercise", first["name"])

        page.get_by_role("button", name="This hurts").click()
        expect(page.get_by_role("heading", name="Stop. Rest for a moment.")).to_be_focused()
        pick_pain(page, "hurt-score", 5)
        page.get_by_role("button", name="Next").click()
        advice = page.locator("#p-advice")
        expect(advice).to_contain_text("Ease off")
        expect(advice).to_contain_text("Some stretch or soreness is normal")
        expect(advice).to_contain_text("Get care now")
        advice.get_by_role("button", name="Skip this exercise").click()
        expect(page.locator("#p-exercise")).to_have_text(second["name"])
        countdown = int(page.text_content("#p-count") or "0")
        page.clock.run_for(2000)
        assert (
            countdown - 2 <= int(page.text_content("#p-count") or "0") <= countdown - 1
        )  # the clock runs again

        page.clock.run_for(int(script["total_seconds"] * 1000))
        checkin = page.locator("#p-checkin")
        expect(checkin).to_be_visible()
        expect(page.get_by_role("heading", name="How is your pain now?")).to_be_focused()
        pick_pain(page, "end-pain", 3)
        checkin.get_by_label("About right").check()
        checkin.get_by_role("button", name="Save my session").click()
        expect(page.get_by_role("heading", name="Saved. Well done!")).to_be_visible()

        page.get_by_role("link", name="See my progress").click()
        history = page.locator(".history-item").first
        expect(history).to_contain_text("Stopped for pain")
        expect(history).to_contain_text(f"Stopped for pain in {first['name']}: 5 of 10.")
        expect(history).to_contain_text("Pain after: 3 of 10")
        expect(history.locator("li", has_text=second["name"])).to_contain_text("Done")
        expect(page.locator("svg.chart")).to_be_visible()

        stored = sessions_stored(server.url)
        assert len(stored) == 1
        items = {i["exercise"]: i for i in stored[0]["items"]}
        assert items[first["exercise"]]["status"] == "stopped_for_pain"
        assert all(i["status"] == "done" for e, i in items.items() if e != first["exercise"])
        assert stored[0]["pain_reports"][0] == {
            **stored[0]["pain_reports"][0],
            "score": 5,
            "action": "skip",
            "exercise": first["exercise"],
        }
        assert stored[0]["end_pain"] == 3 and stored[0]["feeling"] == "as_expected"


@pytest.mark.parametrize(
    ("question", "heading"),
    [
        ("chest-pain-with-signs", "Call your emergency number now"),
        ("pain-stops-moving", "Get medical care today"),
    ],
)
def test_a_stop_answer_shows_only_what_to_do_and_no_session_starts(
    page: Page, make_app: Any, db_url: str, catalog: Catalog, question: str, heading: str
) -> None:
    with patient_server(make_app, db_url) as server:
        onboard(page, server.url, catalog)
        page.goto(server.url + "/screening")
        answer_screening(page, catalog, yes=(question,))
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert page.locator("a, button, nav, form").count() == 0  # what to do, and nothing else
        assert "emergency" not in page.title().lower() and "care" not in page.title().lower()

        response = page.goto(server.url + "/session")
        assert response is not None and response.status == 409
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert page.locator("#player").count() == 0

        page.goto(server.url + "/today")
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        expect(page.get_by_role("link", name="Start today's session")).to_have_count(0)
        with httpx.Client(base_url=server.url) as http:
            assert http.get("/api/me/session/script").status_code == 409

        page.get_by_role("link", name="A doctor has seen me: answer the safety questions again").click()
        answer_screening(page, catalog)
        page.goto(server.url + "/today")
        expect(page.get_by_role("link", name="Start today's session")).to_be_visible()


def test_without_javascript_the_player_page_lists_every_step_and_logs_the_session(
    browser: Browser, make_app: Any, db_url: str, catalog: Catalog
) -> None:
    with patient_server(make_app, db_url) as server:
        with httpx.Client(base_url=server.url) as http:
            http.post("/api/me/screenings", json=all_no(catalog)).raise_for_status()
            http.post(
                "/api/me/plan", json={"choice": "handout", "program": "upper-back-program"}
            ).raise_for_status()
        script = _script(server.url)
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(server.url + "/session")
        expect(page.locator("#p-start")).to_be_hidden()  # the frame stays; its controls need JavaScript
        expect(page.get_by_text("This guide needs JavaScript")).to_be_visible()
        page.get_by_text("All the steps, in order").click()
        steps = page.locator("#steps-details ol > li")
        expect(steps).to_have_count(len(script["steps"]))
        expect(steps.first).to_contain_text("Get ready")
        expect(steps.last).to_contain_text("How is your pain now?")
        form = page.locator("#manual-log")
        pick_pain(page, "pain", 2)
        form.get_by_label("About right").check()
        form.get_by_role("button", name="Save my session").click()
        expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
        page.go_back()
        page.go_forward()
        stored = sessions_stored(server.url)
        assert len(stored) == 1 and stored[0]["end_pain"] == 2
        assert {i["status"] for i in stored[0]["items"]} == {"done"}
        context.close()
