"""The figure gallery and the figure files, over HTTP (no browser): every exercise is shown with its
words, stills are plain SVG, and the moving file's own style is the only style its policy allows."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from html import unescape

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from upright.catalog import Catalog
from upright.figures import alt_text, keyframe_count
from upright.web.static_files import figure_url, static_url

pytestmark = pytest.mark.dateless


def test_gallery_shows_every_exercise_moving_and_still_with_its_words(
    catalog: Catalog, make_app: Callable[..., FastAPI]
) -> None:
    page = TestClient(make_app()).get("/exercises/figures")
    assert page.status_code == 200
    html = unescape(page.text)
    assert f'<link rel="stylesheet" href="{static_url("figures.css")}">' in html
    assert 'class="upr-stop"' in html  # a way to stop the moving pictures (WCAG 2.2.2)
    for ex in catalog.exercises.values():
        last = keyframe_count(ex.id) - 1
        assert f'href="/exercises/{ex.id}"' in html
        assert f'class="upr-fig upr-fig--{ex.id} upr-anim"' in html
        assert f'src="{figure_url(ex.id)}&frame=0" alt="Start: {alt_text(ex.id, 0)}"' in html
        assert f'src="{figure_url(ex.id)}&frame={last}" alt="End: {alt_text(ex.id, last)}"' in html
        assert alt_text(ex.id) in html
    assert "<style" not in html and " style=" not in html  # the page's CSP allows no inline style


def test_still_figure_file_is_plain_svg(make_app: Callable[..., FastAPI]) -> None:
    res = TestClient(make_app()).get("/figures/cat-camel.svg?frame=1")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("image/svg+xml")
    assert res.headers["content-security-policy"] == "default-src 'none'"
    assert res.text.startswith("<svg") and "<style" not in res.text and "upr-anim" not in res.text


def test_moving_figure_file_carries_exactly_the_style_its_policy_allows(
    make_app: Callable[..., FastAPI],
) -> None:
    res = TestClient(make_app()).get("/figures/shoulder-rolls.svg")
    assert res.status_code == 200
    styles = re.findall(r"<style>(.*?)</style>", res.text, re.S)
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert res.headers["content-security-policy"] == f"default-src 'none'; style-src 'sha256-{digest}'"
    assert "prefers-reduced-motion: reduce" in styles[0] and "@keyframes upr-shoulder-rolls-" in styles[0]


def test_figure_file_errors(make_app: Callable[..., FastAPI]) -> None:
    client = TestClient(make_app())
    assert client.get("/figures/not-real.svg").status_code == 404
    assert client.get("/figures/chin-tuck.svg?frame=9").status_code == 422
    assert client.get("/exercises/chin-tuck").status_code == 200  # the catalog page still answers


def test_a_hold_picture_is_the_held_still(make_app: Callable[..., FastAPI]) -> None:
    client = TestClient(make_app())
    held = client.get("/figures/chin-tuck.svg?hold=hold")
    assert held.status_code == 200
    assert held.text == client.get("/figures/chin-tuck.svg?frame=1").text  # 1: the tucked keyframe
    res = client.get("/figures/chin-tuck.svg?hold=tuck")
    assert res.status_code == 422 and "not a hold" in res.text
