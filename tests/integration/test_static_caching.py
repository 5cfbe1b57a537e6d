"""Static files are cached for a year under a URL that changes with their content; pages that carry
health data are never stored; every page says what it is (meta description). Issue 18."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.patient_fixtures import db_url
from tests.patient_helpers import all_no
from upright.catalog import Catalog
from upright.web.static_files import LONG_CACHE, STATIC_DIR, figure_url, static_url, static_version

pytestmark = pytest.mark.dateless

__all__ = ["db_url"]

PATIENT_PAGES = ["/today", "/session", "/progress", "/breaks", "/settings"]


@pytest.fixture
def client(make_app: Callable[..., FastAPI], db_url: str, catalog: Catalog) -> TestClient:
    c = TestClient(make_app(database_url=db_url), base_url="http://127.0.0.1")
    c.post("/api/me/screenings", json=all_no(catalog)).raise_for_status()
    c.post("/api/me/plan", json={"choice": "handout", "program": "upper-back-program"}).raise_for_status()
    return c


def test_pages_link_static_files_by_version_and_those_are_cached_for_a_year(client: TestClient) -> None:
    page = client.get("/session").text
    linked = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert {"/static/app.css", "/static/player.js", "/static/outbox.js"} <= {u.split("?")[0] for u in linked}
    for url in linked:
        name = url.split("?")[0].removeprefix("/static/")
        assert url == static_url(name), f"{url} is not versioned by its content"
        res = client.get(url)
        assert res.status_code == 200 and res.headers["cache-control"] == LONG_CACHE
    # Without the current version a browser must ask again (it gets an ETag to do that cheaply).
    for url in ("/static/app.css", "/static/app.css?v=old"):
        res = client.get(url)
        assert res.headers["cache-control"] == "no-cache" and res.headers.get("etag")


def test_a_changed_file_gets_a_new_url() -> None:
    import hashlib

    for name in ("app.css", "player.js", "icon.svg", "nojs.css"):
        assert static_version(name) == hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]


def test_figures_are_cached_for_a_year_only_under_the_current_version(client: TestClient) -> None:
    assert client.get(figure_url("chin-tuck")).headers["cache-control"] == LONG_CACHE
    assert client.get(figure_url("chin-tuck") + "&hold=hold").headers["cache-control"] == LONG_CACHE
    assert client.get("/figures/chin-tuck.svg").headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("path", PATIENT_PAGES)
def test_pages_with_health_data_are_never_stored_and_say_what_they_are(client: TestClient, path: str) -> None:
    res = client.get(path)
    assert res.status_code == 200
    assert res.headers["cache-control"] == "no-store"
    described = re.search(r'<meta name="description" content="([^"]{30,})">', res.text)
    assert described, f"{path} has no description"
    assert client.get("/api/me/session/script").headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "path", ["/", "/exercises", "/programs", "/exercises/figures", "/exercises/chin-tuck"]
)
def test_every_other_page_has_a_description(client: TestClient, path: str) -> None:
    res = client.get(path, follow_redirects=True)
    assert res.status_code == 200
    assert re.search(r'<meta name="description" content="[^"]{30,}">', res.text), path
