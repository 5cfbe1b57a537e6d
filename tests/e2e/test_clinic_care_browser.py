"""Clinic care in real Chromium with axe: the clinician prescribes on the builder page, the patient's
Today and player show "Set by ...", a session ends with pain 8, the alert is on the clinician's panel,
and the clinician marks it seen with a note."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.clinic_helpers import PASSWORD, add_user
from tests.conftest import LiveServer, TestClock
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.patient_flows import pick_pain
from tests.patient_helpers import all_no
from upright.catalog import Catalog
from upright.documents.checkin import CheckInIn
from upright.documents.plan import ChoosePlanIn
from upright.services.checkins import record_checkin
from upright.services.plans import choose_plan
from upright.services.screenings import ScreeningIn, record_screening
from upright.store import repositories as repo

pytestmark = pytest.mark.browser

TREND = "Pain up from 3 to 8 over the last 2 scores (3, 8)."


@pytest.fixture
def clinic_server(make_app: Any, catalog: Catalog, test_clock: TestClock) -> Iterator[tuple[LiveServer, int]]:
    app = make_app(mode="clinic")
    now = test_clock.now()
    add_user(app, "doc@example.org", role="clinician", name="Dr Ana Lee", now=now)
    pid = add_user(
        app, "pat@example.org", role="patient", name="Pat Hill", clinician="doc@example.org", now=now
    )
    with app.state.db.transaction() as s:  # the patient has answered the safety questions and has a plan
        from upright.services.accounts import get_user

        person = get_user(s, pid).person_id
        assert person is not None
        record_screening(s, person, ScreeningIn.model_validate(all_no(catalog)), catalog=catalog, now=now)
        choose_plan(s, person, ChoosePlanIn(choice="handout", program="posture-and-neck-stretches"),
                    catalog=catalog, now=now)  # fmt: skip
        assert repo.active_plan(s, person) is not None
        record_checkin(
            s, person, CheckInIn(pain=3), now=now - timedelta(days=1), words=catalog.vocabulary
        )  # the trend's first point
    server = LiveServer(app).start()
    try:
        yield server, pid
    finally:
        server.stop()
        app.state.db.dispose()


def _log_in(page: Page, url: str, email: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_prescribe_set_by_pain_8_alert_seen_with_a_note(
    browser: Browser, clinic_server: tuple[LiveServer, int], test_clock: TestClock
) -> None:
    server, _pid = clinic_server
    url = server.url
    doc = browser.new_context(viewport={"width": 1024, "height": 800}).new_page()
    doc.clock.install(time=test_clock.now())
    _log_in(doc, url, "doc@example.org")
    expect(doc.get_by_role("heading", name="Patients", level=1)).to_be_visible()
    assert_no_axe_violations(doc)
    doc.get_by_role("link", name="Pat Hill").click()
    assert_no_axe_violations(doc)
    doc.get_by_role("link", name="Prescribe").click()
    expect(doc.get_by_role("heading", name="Prescribe for Pat Hill")).to_be_visible()
    assert_no_axe_violations(doc)
    doc.locator("input[name='reps.chin-tuck']").fill("8")
    doc.get_by_label("Note to the patient").fill("Go slowly. Stop if it hurts.")
    doc.get_by_role("button", name="Save the prescription").click()
    expect(doc.locator("#prescription")).to_contain_text("Version 1, set by Dr Ana Lee")

    patient_ctx = browser.new_context(viewport={"width": 1024, "height": 800})
    pat = patient_ctx.new_page()
    pat.clock.install(time=test_clock.now())
    _log_in(pat, url, "pat@example.org")
    expect(pat.get_by_role("heading", name="Today", level=1)).to_be_visible()
    expect(pat.locator("#prescribed")).to_contain_text("Set by Dr Ana Lee on 4 March 2026.")
    expect(pat.locator("#prescribed")).to_contain_text("Go slowly. Stop if it hurts.")
    assert_no_axe_violations(pat)
    pat.get_by_role("link", name="Start today's session").click()
    expect(pat.locator("#prescribed")).to_contain_text("Set by Dr Ana Lee")
    assert_no_axe_violations(pat)
    script = pat.evaluate("async () => (await (await fetch('/api/me/session/script')).json())")
    pat.get_by_role("button", name="Start", exact=True).click()
    pat.clock.run_for(int(script["total_seconds"] * 1000) + 1000)
    expect(pat.locator("#p-checkin")).to_be_visible()
    pick_pain(pat, "end-pain", 8)
    pat.locator("#p-checkin").get_by_role("button", name="Save my session").click()
    expect(pat.locator("#p-checkin")).to_be_hidden()
    expect(pat.locator("#p-done-title")).to_have_text("Saved. Well done!")  # stored, not only queued

    doc.goto(url + "/clinic")
    expect(doc.locator(".panel-row").first).to_contain_text("Severe pain: Pain 8/10 (severe).")
    assert_no_axe_violations(doc)
    # The pain trend is drawn by the server (no script) and says itself in words, also on a phone.
    trend = doc.locator(".panel-row").first.locator("svg.sparkline")
    expect(trend).to_have_attribute("role", "img")
    expect(trend).to_have_accessible_name(TREND)
    expect(doc.locator(".panel-row").first).to_contain_text(TREND)
    doc.set_viewport_size({"width": 360, "height": 800})  # also what 200 % zoom of a 720 px window shows
    assert doc.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert trend.bounding_box() is not None
    assert_no_axe_violations(doc)
    doc.set_viewport_size({"width": 1024, "height": 800})
    doc.get_by_role("link", name="Pat Hill").click()
    doc.locator(".alert-item").filter(has_text="Severe pain").get_by_label("Note (optional)").fill(
        "Called her: rest two days."
    )
    doc.locator(".alert-item").filter(has_text="Severe pain").get_by_role("button", name="Mark seen").click()
    expect(doc.locator(".alert-item.seen")).to_contain_text("Seen by Dr Ana Lee")
    expect(doc.locator(".alert-item.seen")).to_contain_text("Called her: rest two days.")
    assert_no_axe_violations(doc)
    doc.goto(url + "/clinic?show=alerts")
    expect(doc.get_by_text("No patient matches.")).to_be_visible()
    patient_ctx.close()
    doc.context.close()
