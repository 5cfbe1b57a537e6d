"""The printable handout page in real Chromium: no axe violations, fits a phone, prints without the
site's navigation, and links to the PDF on both paper sizes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.conftest import LiveServer
from tests.e2e.axe import assert_no_axe_violations
from upright.catalog import Catalog
from upright.domain.wording import dose_text

pytestmark = pytest.mark.browser


def test_every_print_page_passes_axe(live_server: LiveServer, page: Page, catalog: Catalog) -> None:
    for program_id in catalog.templates:
        response = page.goto(f"{live_server.url}/programs/{program_id}/print")
        assert response is not None and response.ok, program_id
        assert_no_axe_violations(page)
    assert page.outside_requests == []  # type: ignore[attr-defined]


def test_print_page_shows_each_exercise_with_its_dose(
    live_server: LiveServer, page: Page, catalog: Catalog
) -> None:
    tpl = next(t for t in catalog.templates.values() if t.uses_neutral_posture)
    page.goto(f"{live_server.url}/programs/{tpl.id}/print")
    assert page.locator("h1").inner_text() == tpl.title
    doses = page.locator(".handout-dose-text").all_inner_texts()
    names = page.locator(".handout-exercise h3").all_inner_texts()
    assert len(names) == len(tpl.items)
    for ex_id, name, shown in zip(tpl.items, names, doses, strict=True):
        ex = catalog.exercise(ex_id)
        dose = ex.dose_for(tpl.file)
        assert dose is not None
        assert ex.name in name
        assert shown == dose_text(dose, catalog.vocabulary)
    assert page.get_by_role("heading", name="Your neutral posture").is_visible()
    # The print button appears once its script runs; the page still prints without it.
    assert page.get_by_role("button", name="Print this page").is_visible()


def test_print_media_hides_site_navigation_but_keeps_the_handout(
    live_server: LiveServer, page: Page, catalog: Catalog
) -> None:
    program_id = next(iter(catalog.templates))
    page.goto(f"{live_server.url}/programs/{program_id}/print")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("button", name="Print this page").is_visible()
    assert page.locator(".handout-safety").is_visible()
    assert page.locator(".handout-exercise").first.is_visible()
    assert page.locator(".handout-follow-up").is_visible()
    pdf = page.pdf(format="Letter")  # Chromium's own print of the page works and has pages
    assert pdf.startswith(b"%PDF")


def test_pdf_links_download_both_paper_sizes(live_server: LiveServer, page: Page, catalog: Catalog) -> None:
    program_id = next(iter(catalog.templates))
    page.goto(f"{live_server.url}/programs/{program_id}/print")
    for label, paper in (("PDF, US Letter", "letter"), ("PDF, A4", "a4")):
        href = page.get_by_role("link", name=label).get_attribute("href")
        assert href == f"/programs/{program_id}/handout.pdf?paper={paper}"
        response = page.request.get(live_server.url + href)
        assert response.ok
        assert response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF")


def test_print_page_fits_a_phone(live_server: LiveServer, phone_page: Page, catalog: Catalog) -> None:
    for program_id in catalog.templates:
        phone_page.goto(f"{live_server.url}/programs/{program_id}/print")
        overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{program_id} print page scrolls sideways by {overflow}px"
    assert_no_axe_violations(phone_page)
