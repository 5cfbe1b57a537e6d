"""Enrolment from the printed handout, in real Chromium (issue 15): a clinician logs in, adds a patient
with a handout program and gets the printout with a one-time code and its QR code (drawn locally);
the patient types the code, sets a password and finds the program waiting on Today. axe finds nothing
on any of these pages, on a desktop and on a 360 px phone; nothing leaves 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect

from tests.clinic_helpers import PASSWORD, add_user
from tests.conftest import LiveServer, TestClock
from tests.e2e.axe import assert_no_axe_violations

pytestmark = pytest.mark.browser
PROGRAM = "Upper Back Pain Exercises (posture and neck stretches)"


@pytest.fixture
def clinic_server(make_app: Callable[..., FastAPI], test_clock: TestClock) -> Iterator[LiveServer]:
    app = make_app(mode="clinic")
    add_user(app, "doc@example.org", role="clinician", name="Dr Rivers", now=test_clock.now())
    server = LiveServer(app).start()
    yield server
    server.stop()


def _print_for_new_patient(page: Page, url: str, clock: TestClock) -> str:
    page.clock.install(time=clock.now())
    page.goto(url + "/clinic/patients/new")
    expect(page).to_have_url(url + "/login")  # anonymous: sent to log in
    assert_no_axe_violations(page)
    page.get_by_label("Email").fill("doc@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(url + "/clinic")  # a clinician starts at their patients
    page.get_by_role("link", name="Add a patient").first.click()
    expect(page.get_by_role("heading", name="Add a patient", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Name").fill("Robin Hill")
    page.get_by_label("Email").fill("robin@example.org")
    page.get_by_label("Handout program").select_option(label=PROGRAM)
    page.get_by_role("button", name="Add and print").click()
    expect(page.get_by_role("heading", name="Start this program in Upright")).to_be_visible()
    expect(page.get_by_role("heading", name=PROGRAM, level=1)).to_be_visible()
    qr = page.get_by_role("img", name="QR code that opens Upright with your code filled in")
    expect(qr).to_be_visible()
    assert (qr.get_attribute("src") or "").startswith("data:image/svg+xml")  # drawn here, not fetched
    assert_no_axe_violations(page)
    code = page.locator("#enrol-code").inner_text().strip()
    assert len(code) == 14 and code.count("-") == 2
    return code


def _enrol(page: Page, url: str, code: str, clock: TestClock, *, phone: bool) -> None:
    page.clock.install(time=clock.now())
    page.goto(url + "/login")
    page.get_by_role("link", name="Start with your code").click()
    expect(page.get_by_role("heading", name="Start with your code", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Code from your paper").fill("wrong-code-here")
    page.get_by_label("New password").fill("my own password 1")
    page.get_by_label("The same password again").fill("my own password 1")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("alert")).to_contain_text("That code does not work")
    assert_no_axe_violations(page)
    page.get_by_label("Code from your paper").fill(code.upper().replace("-", " "))  # as a person may type it
    page.get_by_label("New password").fill("my own password 1")
    page.get_by_label("The same password again").fill("my own password 1")
    page.get_by_role("button", name="Start").click()
    expect(page).to_have_url(url + "/today")
    expect(page.get_by_text(PROGRAM).first).to_be_visible()
    assert_no_axe_violations(page)
    if phone:
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360


def test_a_patient_starts_from_the_printed_code_on_a_desktop(
    page: Page, browser: Browser, clinic_server: LiveServer, test_clock: TestClock
) -> None:
    code = _print_for_new_patient(page, clinic_server.url, test_clock)
    patient = browser.new_context(viewport={"width": 1024, "height": 800}).new_page()
    _enrol(patient, clinic_server.url, code, test_clock, phone=False)
    # The code is spent: a second try with it fails, also from another browser.
    other = browser.new_context().new_page()
    other.goto(clinic_server.url + f"/enrol?code={code}")
    expect(other.get_by_label("Code from your paper")).to_have_value(code)
    other.get_by_label("New password").fill("someone else 12")
    other.get_by_label("The same password again").fill("someone else 12")
    other.get_by_role("button", name="Start").click()
    expect(other.get_by_role("alert")).to_contain_text("That code does not work")
    assert page.outside_requests == []  # type: ignore[attr-defined]


def test_a_patient_starts_from_the_printed_code_on_a_360px_phone(
    page: Page, phone_page: Page, clinic_server: LiveServer, test_clock: TestClock
) -> None:
    code = _print_for_new_patient(page, clinic_server.url, test_clock)
    _enrol(phone_page, clinic_server.url, code, test_clock, phone=True)
