"""Browser steps for the patient app's end-to-end tests (issue 5): real clicks, real pages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.conftest import LiveServer
from upright.catalog import Catalog

__all__ = [
    "answer_screening",
    "choose_program",
    "fill_setup",
    "onboard",
    "patient_server",
    "pick_pain",
    "sessions_stored",
    "tab_to",
]


@contextmanager
def patient_server(make_app: Any, db_url: str) -> Iterator[LiveServer]:
    app = make_app(database_url=db_url)
    server = LiveServer(app).start()
    try:
        yield server
    finally:
        server.stop()
        app.state.db.dispose()


def answer_screening(
    page: Page, catalog: Catalog, *, yes: tuple[str, ...] = (), pain: int | None = 4
) -> None:
    """Fill the safety questions like a person: every question no, except `yes`; clearance yes. A
    follow-up shows only after a "yes"; an answer that means "get help now" sends the form at once."""
    from upright.domain.screening import decided_stop

    expect(page.get_by_role("heading", name="Safety questions", level=1)).to_be_visible()
    given: dict[str, bool] = {}
    for q in catalog.screening:
        if q.follows is not None and given.get(q.follows) is not True:
            expect(page.locator(f"#q-{q.id}")).to_be_hidden()
            continue
        given[q.id] = q.id in yes
        radio = page.locator(f"input[name='{q.id}'][value='{'yes' if given[q.id] else 'no'}']")
        if decided_stop(catalog.screening, given, combined=catalog.screening_combined):
            radio.click()  # not check(): the page leaves at once, so there is no ticked box to see
            page.wait_for_url("**/stop")
            return
        radio.check()
    page.locator("input[name='cleared-by-clinician'][value='yes']").check()
    if pain is not None:
        pick_pain(page, "pain", pain)
    page.get_by_role("button", name="See my result").click()


def pick_pain(page: Page, name: str, score: int) -> None:
    page.locator(f"label.pain-choice:has(input[name='{name}'][value='{score}'])").click()


def fill_setup(page: Page, *, minutes: int = 10, equipment: tuple[str, ...] = ()) -> None:
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    page.get_by_label("At home").check()
    for item in equipment:
        page.locator(f"input[name='equipment'][value='{item}']").check()
    page.get_by_label("How many minutes").select_option(str(minutes))
    page.get_by_role("button", name="Next").click()


def choose_program(page: Page, program: str | None) -> None:
    expect(page.get_by_role("heading", name="Choose your program")).to_be_visible()
    value = f"handout:{program}" if program else "suggested"
    page.locator(f"input[name='program'][value='{value}']").check()
    page.get_by_role("button", name="Use this program").click()
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()


def onboard(
    page: Page, url: str, catalog: Catalog, *, program: str | None = "posture-and-neck-stretches"
) -> None:
    page.goto(url + "/today")
    page.get_by_role("link", name="Start with the safety questions").click()
    answer_screening(page, catalog)
    page.get_by_role("link", name="Next").click()
    fill_setup(page)
    choose_program(page, program)


def sessions_stored(url: str) -> list[dict[str, Any]]:
    with httpx.Client(base_url=url, timeout=10) as http:
        response = http.get("/api/me/sessions")
        response.raise_for_status()
        data: list[dict[str, Any]] = response.json()
        return data


def tab_to(page: Page, selector: str, *, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has focus (as a keyboard user would)."""
    for _ in range(limit):
        if page.evaluate("(sel) => document.activeElement && document.activeElement.matches(sel)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")
