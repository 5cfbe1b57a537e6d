"""The patient's HTML pages over HTTP on SQLite and PostgreSQL: forms post and redirect with no health
details in any URL, bad answers re-render with their message, another site cannot post, the player
page is refused when screening says stop, and page titles never name a health problem."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.patient_fixtures import db_url
from tests.patient_helpers import FormClient
from upright.catalog import Catalog

__all__ = ["db_url"]


@pytest.fixture
def client(make_app: Any, db_url: str) -> Iterator[TestClient]:
    app = make_app(database_url=db_url)
    with FormClient(app, follow_redirects=False) as c:
        yield c
    app.state.db.dispose()


def _screening_form(catalog: Catalog, *, yes: str | None = None) -> dict[str, str]:
    form = {q.id: "yes" if q.id == yes else "no" for q in catalog.screening}
    form["cleared-by-clinician"] = "yes"
    form["pain"] = "6"
    form["location"] = "upper-back"
    return form


def _title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found
    return found.group(1).strip()


def _onboard(client: TestClient, catalog: Catalog) -> None:
    r = client.post("/screening", data=_screening_form(catalog))
    assert r.status_code == 303 and r.headers["location"] == "/screening/result"
    r = client.post(
        "/setup", data={"setting": "home", "minutes": "15", "focus": "mixed", "sessions_per_week": "3"}
    )
    assert r.status_code == 303 and r.headers["location"] == "/choose-program"
    r = client.post("/choose-program", data={"program": "handout:upper-back-care-guide"})
    assert r.status_code == 303 and r.headers["location"] == "/today"


def test_onboarding_by_forms_ends_on_today_with_the_chosen_program(
    client: TestClient, catalog: Catalog
) -> None:
    _onboard(client, catalog)
    today = client.get("/today")
    assert today.status_code == 200
    assert catalog.templates["upper-back-care-guide"].title in today.text
    assert "Start today&#39;s session" in today.text or "Start today's session" in today.text
    assert "6 of 10" in today.text  # the pain given with the screening
    assert _title(today.text) == "Today · Upright"


def test_unanswered_questions_are_listed_and_answers_kept(client: TestClient, catalog: Catalog) -> None:
    form = _screening_form(catalog)
    del form["night-pain"]
    r = client.post("/screening", data=form)
    assert r.status_code == 422
    assert "Please answer 1 more question" in r.text
    assert 'href="#q-night-pain"' in r.text
    assert re.search(r'name="weight-loss" value="no" required\s+checked', r.text)
    assert client.get("/api/me/screenings/latest").status_code == 404


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("sudden-tearing-pain", "Call your emergency number now"),
        ("fever-or-chills", "Get medical care today"),
    ],
)
def test_stop_answers_lead_to_the_stop_screen_and_the_player_is_refused(
    client: TestClient, catalog: Catalog, question: str, words: str
) -> None:
    _onboard(client, catalog)
    r = client.post("/screening", data=_screening_form(catalog, yes=question))
    assert r.headers["location"] == "/stop"
    stop = client.get("/stop")
    assert words in stop.text and "<nav" not in stop.text and "<form" not in stop.text
    assert _title(stop.text) == "Please read this · Upright"
    session = client.get("/session")
    assert session.status_code == 409 and words in session.text and 'id="player"' not in session.text
    assert client.post("/session/log", data={"pain": "2", "how_much": "all"}).status_code == 409


def test_no_redirect_or_link_carries_health_details(client: TestClient, catalog: Catalog) -> None:
    _onboard(client, catalog)
    r = client.post("/checkin", data={"pain": "7", "location": "chest", "red_flag": "yes"})
    assert r.status_code == 303 and r.headers["location"] == "/today"
    r = client.post("/screening", data=_screening_form(catalog, yes="chest-pain-with-signs"))
    for location in (r.headers["location"],):
        assert re.fullmatch(r"/[a-z/-]*", location)
    for page in ("/today", "/progress", "/settings"):
        html = client.get(page).text
        for href in re.findall(r'(?:href|action)="([^"]+)"', html):
            assert "pain" not in href.split("?")[-1] if "?" in href else True, href
            assert not re.search(r"(chest|score|location)=", href), href


def test_a_form_posted_from_another_site_is_refused(client: TestClient, catalog: Catalog) -> None:
    _onboard(client, catalog)
    r = client.post("/settings/delete", data={"confirm": "yes"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    assert client.get("/api/me/plan").status_code == 200


def test_a_pain_check_in_needs_a_score(client: TestClient, catalog: Catalog) -> None:
    _onboard(client, catalog)
    r = client.post("/checkin", data={"pain": "11"})
    assert r.status_code == 422 and "from 0 to 10" in r.text


def test_settings_save_and_delete_needs_the_box_ticked(client: TestClient, catalog: Catalog) -> None:
    _onboard(client, catalog)
    r = client.post(
        "/settings",
        data={
            "setting": "work",
            "minutes": "10",
            "focus": "posture",
            "sessions_per_week": "5",
            "equipment": ["resistance-band"],
            "condition": ["knee-pain"],
            "voice_on": "yes",
            "reminder_time": "07:45",
        },
    )
    assert r.status_code == 303
    profile = client.get("/api/me/profile").json()
    assert profile == {
        **profile,
        "setting": "work",
        "minutes": 10,
        "focus": "posture",
        "sessions_per_week": 5,
        "equipment": ["resistance-band"],
        "conditions": ["knee-pain"],
        "voice_on": True,
        "bell_on": False,
        "reminder_time": "07:45",
        "reminders_on": False,
    }
    assert (
        client.post(
            "/settings", data={"setting": "home", "minutes": "0", "focus": "mixed", "sessions_per_week": "3"}
        ).status_code
        == 422
    )
    assert client.post("/settings/delete", data={}).status_code == 422
    assert client.get("/api/me/plan").status_code == 200
    done = client.post("/settings/delete", data={"confirm": "yes"})
    assert done.status_code == 200 and "Your data is deleted" in done.text
    assert client.get("/api/me/plan").status_code == 404


def test_the_export_download_holds_my_sessions(client: TestClient, catalog: Catalog) -> None:
    _onboard(client, catalog)
    page = client.get("/session")
    client_id = re.search(r'name="client_id" value="([0-9a-f]+)"', page.text)
    started = re.search(r'name="started_at" value="([^"]+)"', page.text)
    assert client_id and started
    form = {
        "client_id": client_id.group(1),
        "started_at": started.group(1),
        "program": "",
        "how_much": "all",
        "pain": "3",
        "feeling": "easier",
    }
    assert client.post("/session/log", data=form).headers["location"] == "/progress"
    assert client.post("/session/log", data=form).status_code == 303  # the same form again: stored once
    data = client.get("/settings/export").json()
    assert len(data["sessions"]) == 1 and data["sessions"][0]["feeling"] == "easier"
