"""axe-core finds nothing on any of the patient's pages and player states, on a desktop screen and
on a 360 px phone (where nothing may scroll sideways), and no page asks any other site for anything."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import LiveServer, TestClock
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.patient_flows import answer_screening, choose_program, fill_setup, pick_pain
from upright.catalog import Catalog

pytestmark = pytest.mark.browser


def _check(page: Page, phone: bool) -> None:
    assert_no_axe_violations(page)
    if phone:
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, f"{page.url} scrolls sideways on a phone ({width} px wide)"


def _walk_every_page(page: Page, url: str, catalog: Catalog, clock: TestClock, *, phone: bool) -> None:
    page.clock.install(time=clock.now())
    page.goto(url + "/today")  # a new person
    _check(page, phone)
    page.goto(url + "/screening")
    _check(page, phone)
    page.get_by_role("button", name="See my result").evaluate("b => b.form.noValidate = true")
    page.get_by_role("button", name="See my result").click()  # nothing answered: the error summary
    expect(page.locator("#missing")).to_be_visible()
    _check(page, phone)
    answer_screening(page, catalog)
    _check(page, phone)  # the result
    page.get_by_role("link", name="Next").click()
    _check(page, phone)  # setup
    fill_setup(page)
    for details in page.locator("details").all():
        details.evaluate("d => d.open = true")
    _check(page, phone)  # program choice, every program opened
    choose_program(page, "healthy-upper-back")
    _check(page, phone)  # Today with a plan

    page.get_by_role("link", name="Start today's session").click()
    expect(page.locator("#p-start")).to_be_enabled()
    _check(page, phone)
    page.locator("#p-start").click()
    page.clock.run_for(40_000)
    _check(page, phone)  # running
    page.locator("#p-hurt").click()
    _check(page, phone)  # pain scale
    pick_pain(page, "hurt-score", 8)
    page.locator("#p-pain-form button[type=submit]").click()
    expect(page.locator("#p-advice-high")).to_be_visible()
    _check(page, phone)  # advice for high pain
    page.locator("#p-end-hurt").click()
    _check(page, phone)  # end check-in
    pick_pain(page, "end-pain", 5)
    page.locator("#p-checkin-form button[type=submit]").click()
    expect(page.locator("#p-done-title")).to_have_text("Saved. Well done!")
    _check(page, phone)

    page.goto(url + "/progress")
    page.locator("details").first.evaluate("d => d.open = true")
    _check(page, phone)
    page.goto(url + "/settings")
    _check(page, phone)
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    _check(page, phone)
    page.goto(url + "/settings/delete")
    _check(page, phone)
    page.get_by_role("button", name="Delete all my data").click()  # not ticked: asks again
    _check(page, phone)
    page.get_by_label("Yes, I am sure").check()
    page.get_by_role("button", name="Delete all my data").click()
    expect(page.get_by_role("heading", name="Your data is deleted")).to_be_visible()
    _check(page, phone)

    page.goto(url + "/screening")
    answer_screening(page, catalog, yes=("chest-pain-with-signs",))
    _check(page, phone)  # the stop screen
    page.goto(url + "/today")
    _check(page, phone)  # Today while stopped


def test_every_patient_page_passes_axe_on_a_desktop(
    page: Page, live_server: LiveServer, catalog: Catalog, test_clock: TestClock
) -> None:
    _walk_every_page(page, live_server.url, catalog, test_clock, phone=False)
    assert page.outside_requests == []  # type: ignore[attr-defined]


def test_every_patient_page_passes_axe_on_a_360px_phone(
    phone_page: Page, live_server: LiveServer, catalog: Catalog, test_clock: TestClock
) -> None:
    _walk_every_page(phone_page, live_server.url, catalog, test_clock, phone=True)
