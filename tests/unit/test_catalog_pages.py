"""Catalog pages render from the server alone (no JavaScript) and show each handout's dose exactly."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape

from upright.catalog import Catalog
from upright.domain.wording import dose_text


def test_exercise_page_shows_every_dose_with_its_handout(
    catalog: Catalog, make_app: Callable[..., FastAPI]
) -> None:
    client = TestClient(make_app())
    for ex in catalog.exercises.values():
        page = client.get(f"/exercises/{ex.id}")
        assert page.status_code == 200
        html = page.text
        assert str(escape(ex.name)) in html
        for dose in ex.doses:
            assert str(escape(dose_text(dose))) in html
            assert dose.handout in html
        for step in ex.steps:
            assert str(escape(step)) in html


def test_exercise_list_filters_by_form_fields(catalog: Catalog, make_app: Callable[..., FastAPI]) -> None:
    client = TestClient(make_app())
    all_page = client.get("/exercises").text
    assert f"{len(catalog.exercises)} exercise" in all_page
    filtered = client.get("/exercises", params={"equipment": "none", "condition": "knee-pain"}).text
    for ex in catalog.exercises.values():
        link = f'href="/exercises/{ex.id}"'
        if ex.needs or "knee-pain" in ex.contraindications:
            assert link not in filtered


def test_program_pages_list_items_in_order(catalog: Catalog, make_app: Callable[..., FastAPI]) -> None:
    client = TestClient(make_app())
    index = client.get("/programs").text
    for tpl in catalog.templates.values():
        assert f'href="/programs/{tpl.id}"' in index
        html = client.get(f"/programs/{tpl.id}").text
        positions = [html.index(f'href="/exercises/{ex_id}"') for ex_id in tpl.items]
        assert positions == sorted(positions)


def test_unknown_exercise_page_is_a_readable_404(make_app: Callable[..., FastAPI]) -> None:
    page = TestClient(make_app()).get("/exercises/not-real")
    assert page.status_code == 404
    assert "No exercise called" in page.text
    assert "<h1>" in page.text


def test_api_docs_page_lists_the_endpoints_without_cdn(make_app: Callable[..., FastAPI]) -> None:
    client = TestClient(make_app())
    html = client.get("/docs").text
    assert "/api/exercises/{exercise_id}" in html
    assert "cdn" not in html.lower()
    assert client.get("/openapi.json").json()["paths"]["/api/programs"]
