"""The patient's HTML pages over HTTP on SQLite and PostgreSQL: forms post and redirect with no health
details in any URL, bad answers re-render with their message, another site cannot post, the player
page is refused when screening says stop, and page titles never name a health problem."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from io import BytesIO
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

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
    form["place"] = "upper-back"
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
    assert re.search(r'name="weight-loss" value="no"\s+checked', r.text)
    assert client.get("/api/me/screenings/latest").status_code == 404


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("sudden-tearing-pain", "for an ambulance now"),
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


@pytest.mark.parametrize("question", ["chest-pain-now", "new-trouble-walking", "pain-stops-moving"])
def test_without_javascript_an_urgent_yes_stops_on_submit_even_with_questions_left_blank(
    client: TestClient, question: str
) -> None:
    r = client.post("/screening", data={question: "yes"})
    assert r.status_code == 303 and r.headers["location"] == "/stop"
    stop = client.get("/stop").text
    assert "gently" not in stop and "You may go on" not in stop
    assert client.get("/api/me/screenings/latest").json()["blocks_sessions"] is True


def test_the_stop_page_names_the_emergency_number_of_the_country(make_app: Any, tmp_path: Any) -> None:
    app = make_app(country="GB")
    with FormClient(app, follow_redirects=False) as c:
        c.post("/screening", data={"chest-pain-now": "yes"})
        stop = c.get("/stop").text
    app.state.db.dispose()
    assert "Call 999" in stop and "911" not in stop


def test_a_risk_factor_asks_the_doctor_question_and_no_keeps_the_flag(
    client: TestClient, catalog: Catalog
) -> None:
    form = _screening_form(catalog)
    form["past-cancer"] = "yes"
    del form["past-cancer-checked"]
    r = client.post("/screening", data=form)
    assert r.status_code == 422 and 'href="#q-past-cancer-checked"' in r.text
    assert "Has a doctor checked this pain since it began?" in r.text
    r = client.post("/screening", data={**form, "past-cancer-checked": "no"})
    assert r.headers["location"] == "/stop"
    r = client.post("/screening", data={**form, "past-cancer-checked": "yes"})
    assert r.headers["location"] == "/screening/result"


def test_pain_in_the_chest_asks_the_heart_questions_again(client: TestClient, catalog: Catalog) -> None:
    form = {**_screening_form(catalog), "place": "chest"}
    r = client.post("/screening", data=form)
    assert r.status_code == 200 and "Please answer the heart questions again" in r.text
    assert 'name="heart-again" value="yes"' in r.text
    assert not re.search(r'name="chest-pain-now" value="no"\s+checked', r.text)  # asked afresh
    assert client.get("/api/me/screenings/latest").status_code == 404
    r = client.post("/screening", data={**form, "heart-again": "yes", "chest-pain-now": "yes"})
    assert r.headers["location"] == "/stop"


def test_high_pain_at_screening_never_says_you_can_start(client: TestClient, catalog: Catalog) -> None:
    r = client.post("/screening", data={**_screening_form(catalog), "pain": "8"})
    assert r.headers["location"] == "/screening/result"
    page = client.get("/screening/result").text
    assert "You can start" not in page and "You said no to every warning sign" not in page
    assert "Do not exercise today" in page


def test_no_redirect_or_link_carries_health_details(client: TestClient, catalog: Catalog) -> None:
    _onboard(client, catalog)
    r = client.post("/checkin", data={"pain": "7", "location": "chest", "red_flag": "yes"})
    assert r.status_code == 303 and r.headers["location"] == "/today"
    r = client.post("/screening", data=_screening_form(catalog, yes="chest-pain-now"))
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


def test_after_a_pain_of_7_today_offers_no_more_session_and_a_better_check_in_does_not_undo_it(
    client: TestClient, catalog: Catalog
) -> None:
    _onboard(client, catalog)
    assert client.get("/api/me/today").json()["can_start"] is True, client.get("/api/me/today").json()
    assert client.post("/checkin", data={"pain": "7"}).status_code == 303
    today = client.get("/today").text
    assert "No more exercise today" in today and "rest for the rest of the day" in today
    assert 'class="button start-button" href="/session"' not in today and "I feel better" in today
    assert client.get("/session").headers["location"] == "/today"
    assert client.get("/api/me/session/script").status_code == 409
    client.post("/checkin", data={"pain": "2"})  # "I feel better": welcome, but not a new start today
    api = client.get("/api/me/today").json()
    assert api["can_start"] is False and api["rest_reason"]


def test_a_session_done_on_the_form_is_kept_when_pain_of_7_was_noted_since_the_page_opened(
    client: TestClient, catalog: Catalog
) -> None:
    _onboard(client, catalog)
    page = client.get("/session").text  # the no-JavaScript form, opened while a session was advised
    form = {
        name: re.findall(rf'name="{name}" value="([^"]+)"', page)[0] for name in ("client_id", "started_at")
    }
    assert client.post("/checkin", data={"pain": "7"}).status_code == 303  # e.g. on the phone, meanwhile
    logged = client.post("/session/log", data={**form, "program": "", "how_much": "all", "pain": "6"})
    assert logged.headers["location"] == "/progress"  # the session done is kept, not lost
    assert [x["client_id"] for x in client.get("/api/me/sessions").json()] == [form["client_id"]]
    assert client.get("/session").headers["location"] == "/today"  # and no new one starts today


def _about_minutes(html: str) -> int:
    found = re.search(r"About (\d+) minutes", html)
    assert found, html
    return int(found.group(1))


@pytest.mark.parametrize("cleared", ["yes", "no"])  # "no" adds a spoken reminder to every session
def test_plan_today_and_session_page_show_the_same_minutes(
    client: TestClient, catalog: Catalog, cleared: str
) -> None:
    form = {**_screening_form(catalog), "cleared-by-clinician": cleared}
    assert client.post("/screening", data=form).status_code == 303
    for minutes in ("8", "10", "20"):
        r = client.post(
            "/setup", data={"setting": "home", "minutes": minutes, "focus": "mixed", "sessions_per_week": "3"}
        )
        assert r.status_code == 303
        plan_page = client.get("/choose-program").text
        shown = _about_minutes(plan_page)  # the suggested plan comes first
        assert client.post("/choose-program", data={"program": "suggested"}).status_code == 303
        assert _about_minutes(client.get("/today").text) == shown, minutes
        assert _about_minutes(client.get("/session").text) == shown, minutes
        script = client.get("/api/me/session/script").json()
        assert shown == -(-script["total_seconds"] // 60)


def test_a_person_prints_their_own_plan_from_the_web(client: TestClient, catalog: Catalog) -> None:
    assert client.get("/my-plan/print").status_code == 409  # nothing to print before a plan is chosen
    _onboard(client, catalog)
    assert 'href="/my-plan/print"' in client.get("/today").text
    plan = client.get("/api/me/plan").json()["plan"]
    page = client.get("/my-plan/print")
    assert page.status_code == 200 and _title(page.text).startswith("My plan")
    text = html.unescape(page.text)
    for it in plan["items"]:
        ex = catalog.exercise(it["exercise"])
        assert ex.name in text
        for line in (*ex.cues.do, *ex.cues.dont, *ex.cautions):
            assert line in text, line
    assert 'href="/my-plan/handout.pdf?paper=a4"' in page.text and "My exercise log" in text
    pdf = client.get("/my-plan/handout.pdf", params={"paper": "a4"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == 'inline; filename="my-plan-a4.pdf"'
    words = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages))
    for it in plan["items"]:
        assert catalog.exercise(it["exercise"]).cues.do[0] in words
