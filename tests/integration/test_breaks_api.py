"""Break JSON API, pages and calendar feed on SQLite and PostgreSQL, with the server's clock set by the
test (FastAPI dependency override of the request clock), so a work day runs in milliseconds."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from fastapi.testclient import TestClient
from icalendar import Calendar

from tests.patient_fixtures import db_url
from tests.patient_helpers import FormClient, all_no, result_from_script, with_yes
from upright.catalog import Catalog
from upright.web import patient_deps

__all__ = ["db_url"]

PARIS = ZoneInfo("Europe/Paris")
MONDAY = date(2025, 3, 3)


@dataclass
class Clock:
    now: datetime

    def at(self, hhmm: str, day: date = MONDAY) -> None:
        h, m = (int(x) for x in hhmm.split(":"))
        self.now = datetime(day.year, day.month, day.day, h, m, tzinfo=PARIS).astimezone(UTC)


@pytest.fixture
def clock() -> Clock:
    c = Clock(datetime(2025, 3, 3, 7, 0, tzinfo=UTC))
    return c


@pytest.fixture
def client(make_app: Any, db_url: str, clock: Clock) -> Iterator[TestClient]:
    app = make_app(database_url=db_url)
    app.dependency_overrides[patient_deps._now] = lambda: clock.now
    with FormClient(app) as c:
        on = {"timezone": "Europe/Paris", "reminders_on": True}
        assert c.patch("/api/me/breaks/settings", json=on).status_code == 200
        yield c
    app.state.db.dispose()


def post(client: TestClient, kind: str, **extra: Any) -> Any:
    return client.post("/api/me/breaks/events", json={"kind": kind, **extra})


def test_the_status_says_when_the_next_break_is(client: TestClient, clock: Clock) -> None:
    clock.at("08:30")
    data = client.get("/api/me/breaks").json()
    assert data["next"]["reason"] == "Your next break is at 09:45."
    assert data["next"]["seconds_until"] == 75 * 60
    assert data["next"]["is_due"] is False
    assert data["settings"]["every"] == 45 and data["settings"]["days"] == "mon-fri"
    assert "not a treatment" in data["about"]


def test_a_morning_of_answers_is_counted_for_the_day_and_the_week(client: TestClient, clock: Clock) -> None:
    clock.at("09:45")
    assert client.get("/api/me/breaks").json()["next"]["is_due"] is True
    assert post(client, "prompted").status_code == 201
    assert post(client, "prompted").status_code == 409  # a second tab: not counted twice
    assert post(client, "postponed").json()["next"]["reason"] == "You put off your break until 09:50."
    clock.at("09:50")
    assert post(client, "prompted").status_code == 201
    assert post(client, "postponed").status_code == 201
    clock.at("09:55")
    assert post(client, "prompted").status_code == 201
    refused = post(client, "postponed")
    assert refused.status_code == 409
    assert refused.json()["message"] == "You put this break off 2 times already. Take it now, or skip it."
    clock.at("09:57")
    done = post(client, "taken", exercises=["chin-tuck"])
    assert done.status_code == 201
    assert done.json()["next"]["reason"] == "Your next break is at 10:42."
    clock.at("11:00")
    assert post(client, "paused", minutes=60).json()["next"]["phase"] == "paused"
    assert post(client, "resumed").status_code == 201
    assert post(client, "natural", idle_seconds=900).status_code == 201
    stats = client.get("/api/me/breaks").json()
    assert stats["today"] == {
        "day": "2025-03-03", "prompted": 3, "taken": 1, "natural": 1, "postponed": 2, "skipped": 0,
    }  # fmt: skip
    assert stats["week"]["total"]["prompted"] == 3 and stats["week"]["start"] == "2025-03-03"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"every": 5}, "every", "every 30 to 60 minutes"),
        ({"every": 300}, "every", "every 30 to 60 minutes"),
        ({"start": "09:00", "end": "08:00"}, "end", "must end after it starts"),
        ({"days": "mon-funday"}, "days", "We do not know the day 'funday'"),
        ({"timezone": "Mars/Base"}, "timezone", "We do not know the time zone"),
        ({"days_off": ["soon"]}, "days_off", "like 2025-12-25"),
    ],
)
def test_bad_settings_are_a_clear_422_and_change_nothing(
    client: TestClient, change: dict[str, Any], field: str, words: str
) -> None:
    r = client.patch("/api/me/breaks/settings", json={"every": 30, **change})
    assert r.status_code == 422
    assert r.json()["field"] == field and words in r.json()["message"]
    assert client.get("/api/me/breaks/settings").json()["every"] == 45


@pytest.mark.parametrize(
    ("event", "status", "field"),
    [
        ({"kind": "paused", "minutes": 2}, 422, "minutes"),
        ({"kind": "paused"}, 422, "minutes"),
        ({"kind": "natural", "idle_seconds": 30}, 422, "idle_seconds"),
        ({"kind": "taken", "exercises": ["moonwalk"]}, 422, "exercises[0]"),
        ({"kind": "skipped"}, 409, None),
        ({"kind": "nap"}, 422, "kind"),
    ],
)
def test_bad_events_are_refused_with_a_reason(
    client: TestClient, clock: Clock, event: dict[str, Any], status: int, field: str | None
) -> None:
    clock.at("09:00")  # no break is due yet
    r = client.post("/api/me/breaks/events", json=event)
    assert r.status_code == status, r.text
    if field:
        body = r.json()
        assert body.get("field") == field or field in body["message"]
    assert client.get("/api/me/breaks").json()["today"]["skipped"] == 0


def test_the_routine_is_a_player_script_from_the_persons_own_program(
    client: TestClient, clock: Clock, catalog: Catalog
) -> None:
    assert client.post("/api/me/screenings", json=all_no(catalog)).status_code == 201
    assert (
        client.post(
            "/api/me/plan", json={"choice": "handout", "program": "posture-and-neck-stretches"}
        ).status_code
        == 201
    )
    clock.at("09:45")
    routine = client.get("/api/me/breaks/routine").json()
    assert routine["exercises"] == ["chin-tuck"]
    assert routine["targets"][0]["dose"].startswith("Hold 5 seconds")
    kinds = [s["kind"] for s in routine["steps"]]
    assert kinds[:2] == ["get-ready", "safety"] and "hold" in kinds and "pain-check" not in kinds
    assert 60 <= routine["total_seconds"] <= 120
    assert post(client, "taken", exercises=routine["exercises"]).status_code == 201
    assert client.get("/api/me/breaks/routine").json()["exercises"] != ["chin-tuck"]  # the rotation moves on


def test_a_program_without_desk_exercises_falls_back_to_the_desk_handout(
    client: TestClient, clock: Clock, catalog: Catalog
) -> None:
    client.post("/api/me/screenings", json=all_no(catalog))
    client.patch("/api/me/profile", json={"equipment": ["mat"]})
    r = client.post("/api/me/plan", json={"choice": "handout", "program": "exercise-program-upper-back-pain"})
    if r.status_code != 201:  # the program id of handout 002, whatever it is called
        program = next(t.id for t in catalog.templates.values() if t.file.startswith("002_"))
        assert client.post("/api/me/plan", json={"choice": "handout", "program": program}).status_code == 201
    routine = client.get("/api/me/breaks/routine").json()
    desk = set(catalog.template("workday-microbreaks").items)
    assert routine["exercises"] and set(routine["exercises"]) <= desk | {
        i for t in catalog.templates.values() for i in t.items if catalog.exercise(i).desk_friendly
    }
    assert routine["left_out"], "the floor exercises are listed with their reason"


def test_no_exercises_and_no_reminders_while_screening_says_stop(
    client: TestClient, clock: Clock, catalog: Catalog
) -> None:
    question = next(q.id for q in catalog.screening if q.outcome == "emergency")
    client.post("/api/me/screenings", json=with_yes(catalog, question))
    routine = client.get("/api/me/breaks/routine").json()
    assert routine["steps"] == [] and routine["exercises"] == []
    assert routine["stop_reasons"]
    clock.at("09:45")  # a break would be due now
    status = client.get("/api/me/breaks").json()
    assert status["next"]["is_due"] is False and status["next"]["phase"] == "resting"
    assert status["rest"]["cause"] == "safety-stop"
    assert status["next"]["reason"] == status["rest"]["reason"]
    refused = post(client, "prompted")
    assert refused.status_code == 409 and "safety check" in refused.json()["message"]


@pytest.mark.parametrize(
    ("context", "score"), [("check-in", 7), ("check-in", 10), ("session end", 8)], ids=str
)
def test_no_reminders_for_the_rest_of_the_day_after_severe_pain(
    client: TestClient, clock: Clock, catalog: Catalog, context: str, score: int
) -> None:
    client.post("/api/me/screenings", json=all_no(catalog))
    client.post("/api/me/plan", json={"choice": "handout", "program": "posture-and-neck-stretches"})
    clock.at("09:50")
    assert client.get("/api/me/breaks").json()["next"]["is_due"] is True
    if context == "check-in":
        assert client.post("/api/me/checkins", json={"pain": score}).status_code == 201
    else:
        script = client.get("/api/me/session/script").json()
        result = result_from_script(script, now=clock.now, pain=score)
        assert client.post("/api/me/sessions", json=result).status_code == 201
    status = client.get("/api/me/breaks").json()
    assert (status["next"]["is_due"], status["rest"]["cause"]) == (False, "severe-pain")
    assert client.get("/api/me/breaks/routine").json()["steps"] == []
    assert post(client, "prompted").status_code == 409
    clock.at("16:59")
    assert client.get("/api/me/breaks").json()["rest"] is not None  # all day
    clock.now = clock.now + timedelta(days=1) - timedelta(hours=7)  # next morning, 09:59 Paris
    assert client.get("/api/me/breaks").json()["rest"] is None


def test_a_pain_score_under_seven_keeps_the_breaks(
    client: TestClient, clock: Clock, catalog: Catalog
) -> None:
    client.post("/api/me/screenings", json=all_no(catalog))
    clock.at("09:50")
    assert client.post("/api/me/checkins", json={"pain": 6}).status_code == 201
    status = client.get("/api/me/breaks").json()
    assert status["rest"] is None and status["next"]["is_due"] is True


def test_the_calendar_feed_expands_to_the_persons_week(client: TestClient, clock: Clock) -> None:
    client.patch(
        "/api/me/breaks/settings", json={"every": 60, "start": "08:00", "end": "12:00", "days": "mon,wed"}
    )
    r = client.get("/calendar/breaks.ics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    cal = Calendar.from_ical(r.content)
    starts = sorted(
        e["DTSTART"].dt for e in recurring_ical_events.of(cal).between(MONDAY, MONDAY + timedelta(days=7))
    )
    assert [f"{s:%a %H:%M}" for s in starts] == [
        "Mon 09:00", "Mon 10:00", "Mon 11:00", "Wed 09:00", "Wed 10:00", "Wed 11:00",
    ]  # fmt: skip
    assert all(str(e["URL"]).endswith("/breaks") for e in cal.walk("VEVENT"))


def test_pages_show_the_next_break_and_answer_without_javascript(client: TestClient, clock: Clock) -> None:
    clock.at("09:46")
    page = client.get("/breaks")
    assert page.status_code == 200
    assert "It is time for a short break." in page.text
    assert 'value="postponed"' in page.text  # the answer form is there without JavaScript
    r = client.post(
        "/breaks/events", data={"kind": "paused", "minutes": "60", "back": "/breaks"}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/breaks"
    assert "Breaks are on hold until 10:46." in client.get("/breaks").text
    bad = client.post(
        "/breaks/settings", data={"every": "5", "start": "09:00", "end": "17:00", "days": ["mon"]}
    )
    assert bad.status_code == 422
    assert (
        'id="every" name="every" type="number" min="30" max="60" step="5" inputmode="numeric" value="5" aria-invalid="true"'
        in bad.text
    )
    assert "You asked for every 5 minutes." in bad.text
    ok = client.post(
        "/breaks/settings",
        data={
            "every": "30",
            "start": "08:00",
            "end": "16:00",
            "days": ["mon", "tue"],
            "days_off": "2025-12-25",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    shown = client.get(ok.headers["location"]).text
    found = re.search(r'role="status">(Saved\.[^<]*)<', shown)
    assert (
        found and found.group(1).startswith("Saved. ") and "break: " not in found.group(1)
    )  # one plain sentence
    saved = client.get("/api/me/breaks/settings").json()
    assert (saved["every"], saved["start"], saved["days"], saved["days_off"]) == (
        30,
        "08:00",
        "mon-tue",
        ["2025-12-25"],
    )


def _player_result(routine: dict[str, Any], *, status: str = "done", outcome: str = "completed",
                   pain: list[dict[str, Any]] | None = None, client_id: str = "break-0001") -> dict[str, Any]:  # fmt: skip
    """What the session player sends at the end of a break routine."""
    started = datetime(2025, 3, 3, 8, 45, tzinfo=UTC)
    return {
        "client_id": client_id,
        "started_at": started.isoformat(),
        "ended_at": (started + timedelta(seconds=routine["total_seconds"])).isoformat(),
        "outcome": outcome,
        "items": [
            {
                "exercise": t["exercise"],
                "target": {
                    "sets": t["sets"],
                    "reps": t["reps"],
                    "hold_seconds": t["hold_seconds"],
                    "each_side": t["each_side"],
                },
                "done": {"sets": 0, "reps": 0, "holds": 0},
                "status": status,
            }
            for t in routine["targets"]
        ],
        "pain_reports": pain or [],
        "check_in": {"pain": None},
    }


def test_the_players_result_counts_the_break_once_and_keeps_a_pain_stop(
    client: TestClient, clock: Clock, catalog: Catalog
) -> None:
    client.post("/api/me/screenings", json=all_no(catalog))
    client.post("/api/me/plan", json={"choice": "handout", "program": "posture-and-neck-stretches"})
    clock.at("09:47")
    routine = client.get("/api/me/breaks/routine").json()
    hurt = [
        {
            "at": "2025-03-03T08:46:00+00:00",
            "score": 4,
            "exercise": routine["exercises"][0],
            "action": "continue",
        }
    ]
    body = _player_result(routine, pain=hurt)
    first = client.post("/api/me/breaks/routine/done", json=body)
    assert first.status_code == 200 and first.json()["taken"] is True
    again = client.post("/api/me/breaks/routine/done", json=body)  # the outbox resends: stored once
    assert again.status_code == 200
    assert client.get("/api/me/breaks").json()["today"]["taken"] == 1
    export = client.get("/api/me/export").json()
    reports = [r for r in export.get("pain_reports", []) if r.get("context") == "during"]
    assert [r["score"] for r in reports] == [4]


def test_a_routine_ended_before_anything_was_done_is_not_a_break(
    client: TestClient, clock: Clock, catalog: Catalog
) -> None:
    client.post("/api/me/screenings", json=all_no(catalog))
    client.post("/api/me/plan", json={"choice": "handout", "program": "workday-microbreaks"})
    clock.at("09:47")
    routine = client.get("/api/me/breaks/routine").json()
    body = _player_result(routine, status="skipped", outcome="ended_early", client_id="break-0002")
    r = client.post("/api/me/breaks/routine/done", json=body)
    assert r.status_code == 200 and r.json()["taken"] is False
    assert client.get("/api/me/breaks").json()["today"]["taken"] == 0
    bad = client.post("/api/me/breaks/routine/done", json={**body, "client_id": "break-0003", "items": [
        {**body["items"][0], "exercise": "moonwalk", "status": "done"}]})  # fmt: skip
    assert bad.status_code == 422


def test_one_routine_length_everywhere(client: TestClient, clock: Clock, catalog: Catalog) -> None:
    """The banner, the Breaks page, the routine page and the calendar all say the compiled script's length."""
    client.post("/api/me/screenings", json=all_no(catalog))
    client.post("/api/me/plan", json={"choice": "handout", "program": "healthy-upper-back"})
    clock.at("09:50")
    routine = client.get("/api/me/breaks/routine").json()
    minutes = routine["minutes"]
    assert minutes == -(-int(routine["total_seconds"]) // 60)  # whole minutes, rounded up
    assert client.get("/api/me/breaks").json()["routine_minutes"] == minutes
    unit = "minute" if minutes == 1 else "minutes"
    assert f'Your routine takes about <span class="break-minutes">{minutes}</span> {unit}.' in (
        client.get("/today").text
    )
    assert f"Take a short break now ({minutes} {unit})" not in client.get("/breaks").text  # due: banner
    assert f"About {minutes} {unit}." in client.get("/breaks/routine").text
    cal = Calendar.from_ical(client.get("/calendar/breaks.ics").content)
    event = next(e for e in cal.walk("VEVENT"))
    assert f"It takes about {minutes} {unit}." in str(event["DESCRIPTION"])
    assert event["DURATION"].dt == timedelta(minutes=minutes)


def test_the_calendar_feed_is_empty_while_reminders_are_off(client: TestClient) -> None:
    client.patch("/api/me/breaks/settings", json={"reminders_on": False})
    cal = Calendar.from_ical(client.get("/calendar/breaks.ics").content)
    assert list(cal.walk("VEVENT")) == []


def test_reminders_and_answers_sent_at_once_count_one_break(
    make_app: Any, db_url: str, catalog: Catalog, test_clock: Any
) -> None:
    """Real server, real threads (two tabs and a click racing the page script): one reminder per break,
    and each answer lands on it, never on a second copy."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from tests.conftest import LiveServer

    test_clock.set(datetime(2025, 3, 3, 8, 50, tzinfo=UTC))  # 09:50 in Paris, a break is due
    server = LiveServer(make_app(database_url=db_url)).start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            on = {"timezone": "Europe/Paris", "reminders_on": True}
            assert http.patch("/api/me/breaks/settings", json=on).status_code == 200

        def send(i: int) -> int:
            kind = "postponed" if i % 2 else "prompted"
            with httpx.Client(base_url=server.url, timeout=30) as h:
                return h.post("/api/me/breaks/events", json={"kind": kind}).status_code

        with ThreadPoolExecutor(max_workers=6) as pool:
            codes = list(pool.map(send, range(6)))
        assert set(codes) <= {201, 409}
        with httpx.Client(base_url=server.url) as http:
            today = http.get("/api/me/breaks").json()["today"]
        assert today["prompted"] == 1
        assert today["postponed"] == codes[1::2].count(201) >= 1
    finally:
        server.stop()


def test_a_break_routine_is_not_recorded_while_a_stop_stands(
    client: TestClient, clock: Clock, catalog: Catalog
) -> None:
    client.post("/api/me/screenings", json=all_no(catalog))
    client.post("/api/me/plan", json={"choice": "handout", "program": "posture-and-neck-stretches"})
    clock.at("09:47")
    routine = client.get("/api/me/breaks/routine").json()
    client.post("/api/me/screenings", json={"answers": {"pain-stops-moving": True}})
    r = client.post("/api/me/breaks/routine/done", json=_player_result(routine))
    assert r.status_code == 409
    assert r.json()["outcome"] == "seek_care_now" and r.json()["reasons"]
    assert client.get("/api/me/breaks").json()["today"]["taken"] == 0
    assert client.get("/api/me/breaks/routine").json()["steps"] == []  # not offered either
