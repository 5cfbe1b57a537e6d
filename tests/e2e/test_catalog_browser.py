"""Catalog pages in real Chromium: no axe violations, usable at 360 px and by keyboard, nothing leaves 127.0.0.1."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.conftest import LiveServer
from tests.e2e.axe import assert_no_axe_violations
from upright.catalog import Catalog

pytestmark = pytest.mark.dateless


def _paths(catalog: Catalog) -> list[str]:
    first_ex = next(iter(catalog.exercises))
    first_tpl = next(iter(catalog.templates))
    return ["/exercises", f"/exercises/{first_ex}", "/programs", f"/programs/{first_tpl}", "/docs"]


def test_catalog_pages_pass_axe(live_server: LiveServer, page: Page, catalog: Catalog) -> None:
    for path in _paths(catalog):
        response = page.goto(live_server.url + path)
        assert response is not None and response.ok, path
        assert_no_axe_violations(page)
    assert page.outside_requests == []  # type: ignore[attr-defined]


def test_every_exercise_page_passes_axe(live_server: LiveServer, page: Page, catalog: Catalog) -> None:
    for ex_id in catalog.exercises:
        page.goto(f"{live_server.url}/exercises/{ex_id}")
        assert_no_axe_violations(page)


@pytest.mark.parametrize("width", [360])
def test_phone_width_has_no_sideways_scrolling(
    live_server: LiveServer, phone_page: Page, catalog: Catalog, width: int
) -> None:
    for path in _paths(catalog):
        phone_page.goto(live_server.url + path)
        overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at {width}px"
        assert_no_axe_violations(phone_page)


def test_filter_form_works_by_keyboard(live_server: LiveServer, page: Page, catalog: Catalog) -> None:
    page.goto(live_server.url + "/exercises")
    # Tab from the top: the skip link comes first and lands on the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    page.keyboard.press("Enter")
    page.locator("input[name=equipment][value=none]").focus()
    page.keyboard.press("Space")
    page.locator("button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/exercises?*equipment=none*")
    needs_nothing = [ex for ex in catalog.exercises.values() if not ex.needs]
    assert page.locator("#found").inner_text().startswith(f"{len(needs_nothing)} exercise")


def test_page_at_200_percent_zoom_keeps_content_in_view(
    live_server: LiveServer, browser: object, catalog: Catalog
) -> None:
    # 200% zoom on a 1280 px window is a 640 CSS px viewport at device scale 2.
    ctx = browser.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2)  # type: ignore[attr-defined]
    pg = ctx.new_page()
    for path in _paths(catalog):
        pg.goto(live_server.url + path)
        assert pg.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1, path
    ctx.close()
