"""Plain factory functions for the patient app's tests (issue 5): answers, results, a ready person."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from upright.catalog import Catalog

__all__ = ["FormClient", "all_no", "onboard", "result_from_script", "with_yes"]


class FormClient(TestClient):
    """A TestClient that posts forms as a browser does after loading the page: with the install's
    form token (`{{ csrf_field() }}` puts it in every form; web/security.py refuses a form without it)."""

    def post(self, url: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        data = kwargs.get("data")
        if isinstance(data, dict) and "csrf_token" not in data:
            kwargs["data"] = {**data, "csrf_token": self.app.state.csrf_token}  # type: ignore[attr-defined]
        return super().post(url, *args, **kwargs)


def all_no(catalog: Catalog, **extra: Any) -> dict[str, Any]:
    """Screening answers with every warning sign answered no (and clearance given)."""
    return {"answers": {q.id: False for q in catalog.screening}, "cleared_by_clinician": True, **extra}


def with_yes(catalog: Catalog, question: str) -> dict[str, Any]:
    data = all_no(catalog)
    data["answers"][question] = True
    return data


def onboard(
    client: TestClient, catalog: Catalog, *, program: str | None = "posture-and-neck-stretches"
) -> dict[str, Any]:
    """Screen (all clear), set a profile, choose a program; return the session script."""
    assert client.post("/api/me/screenings", json=all_no(catalog)).status_code == 201
    assert client.patch("/api/me/profile", json={"minutes": 15, "setting": "home"}).status_code == 200
    choice = {"choice": "handout", "program": program} if program else {"choice": "suggested"}
    assert client.post("/api/me/plan", json=choice).status_code == 201
    response = client.get("/api/me/session/script")
    assert response.status_code == 200, response.text
    script: dict[str, Any] = response.json()
    return script


def result_from_script(
    script: dict[str, Any],
    *,
    now: datetime,
    client_id: str | None = None,
    pain: int | None = 2,
    started: datetime | None = None,
    status: str = "done",
) -> dict[str, Any]:
    """A finished session as the player would send it, ending at `now` (the app's test clock) unless
    `started` says otherwise: every target met."""
    started = started or now - timedelta(seconds=script["total_seconds"])
    return {
        "client_id": client_id or uuid.uuid4().hex,
        "plan_id": script["plan_id"],
        "started_at": started.isoformat(),
        "ended_at": (started + timedelta(seconds=script["total_seconds"])).isoformat(),
        "outcome": "completed",
        "planned_seconds": int(script["total_seconds"]),
        "active_seconds": int(script["total_seconds"]),
        "items": [
            {
                "exercise": t["exercise"],
                "target": {
                    "sets": t["sets"],
                    "reps": t["reps"],
                    "hold_seconds": t["hold_seconds"],
                    "each_side": t["each_side"],
                },
                "done": {
                    "sets": t["sets"],
                    "reps": (t["reps"] or 1) * t["sets"],
                    "holds": (t["reps"] or 1) * t["sets"] if t["hold_seconds"] else 0,
                },
                "status": status,
            }
            for t in script["targets"]
        ],
        "pain_reports": [],
        "check_in": {"pain": pain, "feeling": "as_expected"},
    }
