"""A person with months of history, built through the real API with a clock the test sets: screenings
(one with a warning sign, then cleared), a plan whose doses moved, sessions over several weeks, check-ins,
"This hurts" reports, break settings and break events. Shared by the backup, restore and import tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.patient_helpers import FormClient, all_no, result_from_script
from upright.catalog import Catalog
from upright.web import patient_deps

__all__ = [
    "START",
    "V1_FILE",
    "V1_HISTORY",
    "Clock",
    "build_history",
    "fixed_client",
    "send_file",
    "shown_pages",
]

START = datetime(2026, 9, 7, 8, 0, tzinfo=UTC)  # a Monday

# A person's export in the first version of the format, and how many of each record it brings in.
V1_FILE = Path(__file__).resolve().parent / "fixtures" / "export_v1.json"
V1_HISTORY = {
    "screenings": 2,
    "plans": 1,
    "sessions": 12,
    "pain_reports": 19,
    "break_events": 24,
    "prescriptions": 0,
    "clearances": 0,
    "clinic_alerts": 0,
}


@dataclass
class Clock:
    now: datetime


async def _utc() -> tzinfo:
    return UTC


@contextmanager
def fixed_client(app: FastAPI, clock: Clock) -> Iterator[TestClient]:
    """A client for `app` whose clock and time zone are the test's, on the loopback address Upright
    accepts (the Host allow-list refuses TestClient's default "testserver"), posting forms with the token."""
    app.dependency_overrides[patient_deps._now] = lambda: clock.now
    app.dependency_overrides[patient_deps._tz] = _utc
    with FormClient(app, base_url="http://127.0.0.1", follow_redirects=False) as c:
        yield c


def send_file(client: TestClient, name: str, raw: bytes | str, **kwargs: Any) -> Any:
    """Post a file through "Bring in my data" as the page's form does: with the install's form token."""
    token = client.app.state.csrf_token  # type: ignore[attr-defined]
    files = {"file": (name, raw, "application/json")}
    return client.post("/settings/import", files=files, data={"csrf_token": token}, **kwargs)


def build_history(client: TestClient, catalog: Catalog, clock: Clock, *, weeks: int = 4) -> dict[str, Any]:
    """Several weeks of use; returns the last session script. Leaves the clock at the end."""
    clock.now = START
    assert client.post("/api/me/checkins", json={"pain": 5, "location": "upper-back"}).status_code == 201
    assert client.post("/api/me/screenings", json=all_no(catalog)).status_code == 201
    assert client.patch("/api/me/profile", json={"minutes": 15, "equipment": ["resistance-band"],
                                                   "reminders_on": True, "reminder_time": "08:30"}).status_code == 200  # fmt: skip
    assert client.post("/api/me/plan", json={"choice": "handout", "program": "posture-and-neck-stretches"}).status_code == 201  # fmt: skip
    assert client.patch("/api/me/breaks/settings", json={"timezone": "Europe/Paris", "every": 50, "reminders_on": True}).status_code == 200  # fmt: skip
    script: dict[str, Any] = {}
    for week in range(weeks):
        for day in (0, 2, 4):
            clock.now = START + timedelta(weeks=week, days=day, hours=1)
            script = client.get("/api/me/session/script").json()
            result = result_from_script(script, now=clock.now, client_id=f"w{week}d{day}-session", pain=3 if day else 4,
                                        started=clock.now - timedelta(seconds=script["total_seconds"] + 60))  # fmt: skip
            if week == 1 and day == 2:
                first = script["targets"][0]["exercise"]
                result["pain_reports"] = [{"at": clock.now.isoformat(), "score": 6, "exercise": first,
                                           "action": "skip"}]  # fmt: skip
                result["items"][0]["status"] = "stopped_for_pain"
            r = client.post("/api/me/sessions", json=result)
            assert r.status_code == 201, r.text
            clock.now += timedelta(hours=2)
            assert client.post("/api/me/breaks/events", json={"kind": "prompted"}).status_code == 201
            kind = "taken" if day != 4 else "postponed"
            assert client.post("/api/me/breaks/events", json={"kind": kind}).status_code == 201
        clock.now = START + timedelta(weeks=week, days=5, hours=3)
        assert client.post("/api/me/checkins", json={"pain": 3, "location": "neck"}).status_code == 201
    # A warning sign at a check-in, then a new screening that clears it.
    clock.now += timedelta(hours=1)
    assert client.post("/api/me/checkins", json={"pain": 4, "red_flag": True}).status_code == 201
    clock.now += timedelta(hours=1)
    assert client.post("/api/me/screenings", json=all_no(catalog)).status_code == 201
    clock.now += timedelta(days=1)
    return script


def shown_pages(client: TestClient) -> dict[str, str]:
    """What the person sees on Today, Progress and their plan (HTML and JSON). The form token in the
    pages' forms is this install's secret, not the person's data (another install has its own), so it is
    replaced by a placeholder."""
    token = client.app.state.csrf_token  # type: ignore[attr-defined]
    out: dict[str, str] = {}
    for path in (
        "/today",
        "/progress",
        "/api/me/plan",
        "/api/me/today",
        "/api/me/progress",
        "/api/me/sessions",
    ):
        r = client.get(path)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
        out[path] = r.text.replace(token, "FORM-TOKEN")
    return out
