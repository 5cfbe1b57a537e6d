"""The player on a phone and the pages holding still while they load (issues 12 and 18), in real
Chromium. Server and page clocks are set by the test; nothing reads the wall clock.

Layout shift is measured the way Lighthouse does: PerformanceObserver('layout-shift'), summing the
shifts not caused by the person's own input, from the first paint until the page has settled."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, Route, expect

from tests.conftest import LiveServer
from tests.patient_helpers import all_no
from upright.catalog import Catalog
from upright.web import patient_deps

pytestmark = pytest.mark.browser

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)  # a Tuesday morning
PHONE = {"width": 360, "height": 740}
# 200% zoom on that phone: the same screen holds half as many CSS pixels each way.
PHONE_ZOOMED = {"width": 180, "height": 370}
MAX_CLS = 0.02

CLS_OBSERVER = """
window.__cls = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) { if (!e.hadRecentInput) { window.__cls += e.value; } }
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.fixture
def server(make_app: Callable[..., FastAPI], catalog: Catalog) -> Iterator[LiveServer]:
    """A person with a cleared screening and the upper back program (it has holds)."""
    app = make_app()
    app.dependency_overrides[patient_deps._now] = lambda: NOW
    live = LiveServer(app).start()
    with httpx.Client(base_url=live.url) as http:
        http.post("/api/me/screenings", json=all_no(catalog)).raise_for_status()
        http.post(
            "/api/me/plan", json={"choice": "handout", "program": "upper-back-program"}
        ).raise_for_status()
    yield live
    live.stop()
    app.state.db.dispose()


def _phone(browser: Browser, viewport: dict[str, int], *, scale: int = 2, js: bool = True) -> Page:
    ctx = browser.new_context(
        viewport=viewport, device_scale_factor=scale, is_mobile=True, has_touch=True, java_script_enabled=js
    )
    page = ctx.new_page()
    if js:
        page.clock.install(time=NOW)
    return page


def _in_view(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None, selector
    return (
        box["y"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= size["width"] + 0.5
    )


def _script(url: str) -> dict[str, Any]:
    with httpx.Client(base_url=url) as http:
        script: dict[str, Any] = http.get("/api/me/session/script").json()
        return script


@pytest.mark.parametrize("viewport", [PHONE, PHONE_ZOOMED], ids=["360x740", "200%-zoom"])
def test_timer_instruction_and_this_hurts_show_together_on_a_phone(
    browser: Browser, server: LiveServer, viewport: dict[str, int]
) -> None:
    page = _phone(browser, viewport, scale=2 if viewport is PHONE else 4)
    page.goto(server.url + "/session")
    page.get_by_role("button", name="Start", exact=True).click()  # waits until player.js enables it
    expect(page.locator("#p-pause")).to_be_visible()
    script = _script(server.url)
    # At every step of the first exercise (get ready, moves, holds), without scrolling.
    first_item = next(s for s in script["steps"] if s["kind"] == "hold")
    page.clock.run_for(int(first_item["start"] * 1000) + 500)
    for _ in range(4):
        for sel in ("#p-show", "#p-count", "#p-hurt"):
            assert _in_view(page, sel), f"{sel} is off the screen at {viewport}"
        assert page.text_content("#p-count") and page.text_content("#p-show")
        page.clock.run_for(2000)
    more = page.locator(".player-more > summary")
    expect(more).to_be_visible()
    more.click()
    expect(page.get_by_role("button", name="End session")).to_be_visible()
    page.get_by_role("button", name="Skip this exercise").click()
    expect(page.get_by_role("button", name="End session")).to_be_hidden()  # the menu folds again


def test_during_a_hold_the_picture_is_the_held_pose(browser: Browser, server: LiveServer) -> None:
    page = _phone(browser, PHONE)
    page.goto(server.url + "/session")
    page.get_by_role("button", name="Start", exact=True).click()
    script = _script(server.url)
    hold = next(s for s in script["steps"] if s["kind"] == "hold" and s["exercise"])
    page.clock.run_for(int(hold["start"] * 1000) + 300)
    img = page.locator("#p-figure img")
    held = re.compile(rf"^/figures/{hold['exercise']}\.svg\?v=\w+&hold={hold['phase']}$")
    expect(img).to_have_attribute("src", held)
    expect(img).to_have_attribute("alt", re.compile("^Hold this pose"))
    page.wait_for_function(  # the server drew it
        "() => { const i = document.querySelector('#p-figure img'); return i.complete && i.naturalWidth > 0; }"
    )
    page.clock.run_for(int(hold["seconds"] * 1000) + 100)  # the hold is over: the moving picture again
    expect(img).not_to_have_attribute("src", held)
    assert "hold=" not in (img.get_attribute("src") or "")


SLOW_SECONDS = 0.6  # a slow phone network: the page paints long before its scripts arrive


def _slow(route: Route) -> None:
    time.sleep(SLOW_SECONDS)
    route.continue_()


def _cls(page: Page, url: str) -> float:
    page.add_init_script(CLS_OBSERVER)
    page.route("**/*.js*", _slow)
    page.route("**/api/**", _slow)
    page.goto(url, wait_until="commit")
    page.wait_for_load_state("load")
    page.clock.run_for(1500)  # scripts run, timers fire, the player fills its frame
    page.wait_for_timeout(int(SLOW_SECONDS * 2000))  # real time for late answers and the browser's report
    return float(page.evaluate("window.__cls"))


@pytest.mark.parametrize("path", ["/today", "/session", "/progress", "/breaks"])
def test_pages_hold_still_while_they_load(browser: Browser, server: LiveServer, path: str) -> None:
    page = _phone(browser, PHONE)
    cls = _cls(page, server.url + path)
    assert cls <= MAX_CLS, f"{path}: cumulative layout shift {cls:.3f}"
    page.context.close()


def test_the_player_frame_has_its_size_with_and_without_javascript(
    browser: Browser, server: LiveServer
) -> None:
    sizes = []
    for js in (True, False):
        page = _phone(browser, PHONE, js=js)
        page.goto(server.url + "/session")
        box = page.locator(".player-stage").bounding_box()
        assert box is not None
        sizes.append((round(box["y"]), round(box["height"])))
        if not js:
            expect(page.locator("#p-start")).to_be_hidden()
            expect(page.locator("#manual-log")).to_be_visible()
        page.context.close()
    assert abs(sizes[0][0] - sizes[1][0]) <= 40 and sizes[0][1] == sizes[1][1]


def test_disclosures_look_clickable(browser: Browser, server: LiveServer) -> None:
    """A summary shows a marker that turns when opened, link colour and underline, a hand pointer."""
    page = _phone(browser, PHONE)
    page.goto(server.url + "/session")
    summary = page.get_by_text("All the steps, in order")
    look = summary.evaluate(
        """s => { const b = getComputedStyle(s, '::before'), c = getComputedStyle(s);
                  return { marker: parseFloat(b.borderLeftWidth) * parseFloat(b.borderTopWidth),
                           turn: b.transform, cursor: c.cursor, line: c.textDecorationLine,
                           height: s.getBoundingClientRect().height }; }"""
    )
    assert look["marker"] > 0 and look["cursor"] == "pointer" and look["line"] == "underline"
    assert look["height"] >= 48 and look["turn"] == "none"
    summary.click()
    page.wait_for_timeout(
        300
    )  # the marker's short turn (real time: CSS transitions are not on the page clock)
    turned = summary.evaluate("s => getComputedStyle(s, '::before').transform")
    assert turned not in ("none", "")
    page.context.close()
