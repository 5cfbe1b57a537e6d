"""Catalog pages render from the server alone (no JavaScript) and show each handout's dose exactly."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape

import upright
from upright.catalog import Catalog
from upright.domain.wording import dose_text

pytestmark = pytest.mark.dateless


def test_exercise_page_shows_every_dose_with_its_handout(
    catalog: Catalog, make_app: Callable[..., FastAPI]
) -> None:
    client = TestClient(make_app())
    for ex in catalog.exercises.values():
        page = client.get(f"/exercises/{ex.id}")
        assert page.status_code == 200
        html = page.text
        assert str(escape(ex.name)) in html
        titles = {t.file: t.title for t in catalog.templates.values()}
        for dose in ex.doses:
            assert str(escape(dose_text(dose, catalog.vocabulary))) in html
            assert str(escape(titles[dose.handout])) in html  # the handout by its title
        for step in ex.steps:
            assert str(escape(step)) in html
        for cue in (*ex.cues.do, *ex.cues.dont, *ex.cautions):
            assert str(escape(cue)) in html


def test_no_patient_page_shows_an_internal_handout_file_name(
    catalog: Catalog, make_app: Callable[..., FastAPI]
) -> None:
    client = TestClient(make_app())
    paths = ["/exercises", "/programs"]
    paths += [f"/exercises/{ex_id}" for ex_id in catalog.exercises]
    paths += [f"/programs/{tpl_id}" for tpl_id in catalog.templates]
    paths += [f"/programs/{tpl_id}/print" for tpl_id in catalog.templates]
    for path in paths:
        page = client.get(path)
        assert page.status_code == 200, path
        shown = re.sub(r"<(select|option)\b.*?</\1>|value=\"[^\"]*\"", "", page.text, flags=re.S)
        assert not re.search(r"\d{3}_[0-9a-f]{16}", shown), path


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
    assert client.get("/openapi.json").json()["info"]["version"] == upright.__version__
