"""One session, three players, one count: the web player in real Chromium, the terminal player and
the page's form without JavaScript play the same steps, stop at the same place part-way through
bird dog, and the same done counts are stored (domain.tally, in the handout's unit: head rolls
3 times x 3 sets is 9 times, not 18)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect
from typer.testing import CliRunner

from tests.conftest import LiveServer, TestClock
from tests.e2e.patient_flows import pick_pain
from tests.patient_helpers import FormClient, all_no
from upright.catalog import Catalog
from upright.cli import app as cli_app
from upright.cli import session_cmd

pytestmark = pytest.mark.browser

PROGRAM = "upper-back-care-guide"  # head rolls, ..., bird dog last


def _ready(http: httpx.Client | TestClient, catalog: Catalog) -> dict[str, Any]:
    assert http.post("/api/me/screenings", json=all_no(catalog)).status_code == 201
    profile = {"setting": "home", "equipment": ["mat", "doorway", "chair", "wall"]}
    assert http.patch("/api/me/profile", json=profile).status_code == 200
    assert http.post("/api/me/plan", json={"choice": "handout", "program": PROGRAM}).status_code == 201
    script: dict[str, Any] = http.get("/api/me/session/script").json()
    return script


def _stop_step(script: dict[str, Any]) -> dict[str, Any]:
    """The end of the middle rep of the last exercise (bird dog): where every player stops."""
    last = len(script["targets"]) - 1
    ends = [s for s in script["steps"] if s["item"] == last and s["ends_rep"]]
    return ends[len(ends) // 2]


def _stored(http: httpx.Client | TestClient) -> list[tuple[str, str, dict[str, int]]]:
    sessions = http.get("/api/me/sessions").json()
    assert len(sessions) == 1
    assert sessions[0]["outcome"] == "ended_early" and sessions[0]["end_pain"] == 2
    return [(i["exercise"], i["status"], i["done"]) for i in sessions[0]["items"]]


def _web(page: Page, live_server: LiveServer, catalog: Catalog, test_clock: TestClock) -> list[Any]:
    with httpx.Client(base_url=live_server.url) as http:
        script = _ready(http, catalog)
        stop = _stop_step(script)
        assert [t["exercise"] for t in script["targets"]][::4] == ["head-rolls", "bird-dog"]
        page.clock.install(time=test_clock.now())
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(live_server.url + "/session")
        page.get_by_role("button", name="Start", exact=True).click()
        page.clock.run_for(int((stop["start"] + stop["seconds"]) * 1000) + 500)  # just into the next step
        page.locator(".player-more > summary").click()
        page.get_by_role("button", name="End session").click()
        pick_pain(page, "end-pain", 2)
        page.locator("#p-checkin").get_by_role("button", name="Save my session").click()
        expect(page.locator("#p-done-title")).to_have_text("Saved. Well done!")
        assert not [u for u in asked if "/session/script" in u]  # the page carried the script
        return _stored(http)


class _FakeClock:
    """Time that moves only when the player sleeps; Ctrl+C comes once `at` is reached."""

    def __init__(self, at: float) -> None:
        self.now, self.at = 0.0, at

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        if self.now >= self.at:
            self.at = float("inf")
            raise KeyboardInterrupt
        self.now += seconds


def _terminal(
    make_app: Callable[..., FastAPI], tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> list[Any]:
    from upright.config import get_settings

    url = f"sqlite:///{tmp_path / 'terminal.db'}"
    monkeypatch.setenv("UPRIGHT_DATABASE_URL", url)
    get_settings.cache_clear()
    app = make_app(database_url=url)
    with TestClient(app) as http:
        stop = _stop_step(_ready(http, catalog))
        clock = _FakeClock(at=stop["start"] + stop["seconds"] + 0.5)
        monkeypatch.setattr(session_cmd, "SLEEP", clock.sleep)
        monkeypatch.setattr(session_cmd, "CLOCK", clock.clock)
        result = CliRunner().invoke(cli_app, ["session"], input="\ne\n2\n\n")  # start, end, pain 2
        assert result.exit_code == 0, result.output
        stored = _stored(http)
    app.state.db.dispose()
    return stored


def _no_js(make_app: Callable[..., FastAPI], tmp_path: Path, catalog: Catalog) -> list[Any]:
    app = make_app(database_url=f"sqlite:///{tmp_path / 'form.db'}")
    with FormClient(app, follow_redirects=False) as http:
        stop = _stop_step(_ready(http, catalog))
        page = http.get("/session").text
        value = f"{stop['item']}:{stop['part']}"
        assert f'<option value="{value}">Bird dog: set ' in page  # the form offers this stop point
        fields = dict(re.findall(r'name="(client_id|started_at)" value="([^"]+)"', page))
        form = {**fields, "program": "", "how_much": "part", "stopped_after": value, "pain": "2"}
        assert http.post("/session/log", data=form).headers["location"] == "/progress"
        stored = _stored(http)
        progress = " ".join(http.get("/progress").text.split())
        assert "Done 9 times, 18 holds." in progress  # head rolls in full
    app.state.db.dispose()
    return stored


def test_web_terminal_and_form_store_the_same_counts_for_the_same_steps(
    page: Page,
    live_server: LiveServer,
    make_app: Callable[..., FastAPI],
    tmp_path: Path,
    catalog: Catalog,
    test_clock: TestClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    web = _web(page, live_server, catalog, test_clock)
    terminal = _terminal(make_app, tmp_path, catalog, monkeypatch)
    form = _no_js(make_app, tmp_path, catalog)
    assert web == terminal == form
    counts = {exercise: (status, done) for exercise, status, done in web}
    assert counts["head-rolls"] == ("done", {"sets": 3, "reps": 9, "holds": 18})
    status, bird_dog = counts["bird-dog"]
    assert status == "partial" and 0 < bird_dog["reps"] < 5 and bird_dog["holds"] == 2 * bird_dog["reps"]
    assert all(status == "done" for exercise, (status, _) in counts.items() if exercise != "bird-dog")
