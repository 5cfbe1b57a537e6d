"""`upright session` in the terminal on SQLite and PostgreSQL, driven by CliRunner with a fast fake
clock: the same script as the browser, Ctrl+C for the pain stop, the check-in, logged to the same
database (the web API reads it back), and the screening stop."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.patient_fixtures import db_url
from tests.patient_helpers import all_no, with_yes
from upright.catalog import Catalog
from upright.cli import app as cli_app
from upright.cli import session_cmd

__all__ = ["db_url"]


class FakeClock:
    """Time that moves only when the player sleeps; Ctrl+C arrives at the times in `interrupts`."""

    def __init__(self, interrupts: tuple[float, ...] = ()) -> None:
        self.now = 0.0
        self.slept = 0.0
        self.interrupts = sorted(interrupts)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        if self.interrupts and self.now >= self.interrupts[0]:
            self.interrupts.pop(0)
            raise KeyboardInterrupt
        self.now += seconds
        self.slept += seconds


@pytest.fixture
def web(make_app: Any, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The web app on the same database the command will use."""
    from upright.config import get_settings

    monkeypatch.setenv("UPRIGHT_DATABASE_URL", db_url)
    get_settings.cache_clear()
    app = make_app(database_url=db_url)
    with TestClient(app) as client:
        yield client
    app.state.db.dispose()


def _ready(web: TestClient, catalog: Catalog, program: str = "posture-and-neck-stretches") -> dict[str, Any]:
    web.post("/api/me/screenings", json=all_no(catalog)).raise_for_status()
    web.post("/api/me/plan", json={"choice": "handout", "program": program}).raise_for_status()
    script: dict[str, Any] = web.get("/api/me/session/script").json()
    return script


def _run(monkeypatch: pytest.MonkeyPatch, clock: FakeClock, args: list[str], answers: str) -> Any:
    monkeypatch.setattr(session_cmd, "SLEEP", clock.sleep)
    monkeypatch.setattr(session_cmd, "CLOCK", clock.clock)
    return CliRunner().invoke(cli_app, ["session", *args], input=answers)


def test_a_whole_session_in_the_terminal_is_logged_for_the_web_app(
    web: TestClient, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = _ready(web, catalog)
    clock = FakeClock()
    result = _run(monkeypatch, clock, [], "\n2\n2\n")
    assert result.exit_code == 0, result.output
    assert "Saved. Well done!" in result.output
    first = script["targets"][0]
    assert first["name"] in result.output
    assert "Rep 1 of" in result.output
    heard = " ".join(result.output.split())  # a long line may wrap anywhere
    for target in script["targets"]:  # every cue and caution, said once per exercise
        ex = catalog.exercise(target["exercise"])
        for line in (*ex.cues.do, *ex.cues.dont, *ex.cautions):
            assert line in heard, (ex.id, line)
    timed = sum(s["seconds"] for s in script["steps"] if not s["needs_answer"])
    assert clock.slept == pytest.approx(timed)  # every countdown ran its full length, by the clock
    stored = web.get("/api/me/sessions").json()
    assert len(stored) == 1
    s = stored[0]
    assert s["player"] == "terminal" and s["plan_id"] == script["plan_id"] and s["outcome"] == "completed"
    assert s["end_pain"] == 2 and s["feeling"] == "as_expected"
    assert {i["status"] for i in s["items"]} == {"done"}
    for item, target in zip(s["items"], script["targets"], strict=True):
        reps = (target["reps"] or 1) * target["sets"]
        assert item["done"]["reps"] in (reps, 2 * reps)  # two-sided exercises count each side
        assert item["done"]["sets"] == target["sets"]


def test_ctrl_c_then_this_hurts_skips_the_exercise_and_records_the_pain(
    web: TestClient, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = _ready(web, catalog)
    first = script["targets"][0]
    inside_first = next(
        s["start"] for s in script["steps"] if s["item"] == 0 and s["kind"] in ("move", "hold")
    )
    clock = FakeClock(interrupts=(inside_first + 1,))
    result = _run(monkeypatch, clock, [], "\nh\n5\ns\n3\n\n")
    assert result.exit_code == 0, result.output
    assert "What to do now" in result.output and "Ease off" in result.output
    s = web.get("/api/me/sessions").json()[0]
    items = {i["exercise"]: i for i in s["items"]}
    assert items[first["exercise"]]["status"] == "stopped_for_pain"
    assert all(i["status"] == "done" for e, i in items.items() if e != first["exercise"])
    report = s["pain_reports"][0]
    assert (report["score"], report["action"], report["exercise"], report["context"]) == (
        5,
        "skip",
        first["exercise"],
        "during",
    )
    assert s["end_pain"] == 3 and s["feeling"] is None


def test_high_pain_offers_only_skip_or_end_and_ending_goes_to_the_check_in(
    web: TestClient, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = _ready(web, catalog)
    inside_first = next(
        s["start"] for s in script["steps"] if s["item"] == 0 and s["kind"] in ("move", "hold")
    )
    clock = FakeClock(interrupts=(inside_first + 1,))
    result = _run(monkeypatch, clock, [], "\nh\n8\ng\ne\n3\n")  # "g" (go on) is refused at 8
    assert result.exit_code == 0, result.output
    assert "Your pain is high" in result.output
    # a calm end: said so, the advice again, the pain not asked a second time, never "Well done!"
    assert result.output.count("(0 = no pain, 10 = the worst pain)") == 1
    assert "Well done" not in result.output
    assert "You stopped because it hurt" in result.output and "Please rest now" in result.output
    assert result.output.count("Your pain is high") == 2 and "Ease off" in result.output
    s = web.get("/api/me/sessions").json()[0]
    assert s["outcome"] == "stopped_for_pain"
    assert s["pain_reports"][0]["action"] == "end"
    assert s["end_pain"] is None and s["feeling"] == "harder"
    assert clock.slept < script["total_seconds"] / 2
    # "This hurts" at 8 raises the same alert as a check-in would, and Today offers no more session
    today = web.get("/api/me/today").json()
    assert "severe-pain" in {a["kind"] for a in today["alerts"]}
    assert today["can_start"] is False and "rest for the rest of the day" in today["rest_reason"]
    assert web.get("/api/me/session/script").status_code == 409


def test_a_pain_score_out_of_range_is_asked_again(
    web: TestClient, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ready(web, catalog)
    result = _run(monkeypatch, FakeClock(), [], "\n11\n-1\n4\n\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Please type a whole number from 0 to 10.") == 2
    assert web.get("/api/me/sessions").json()[0]["end_pain"] == 4


def test_a_handout_program_plays_without_changing_the_plan_and_json_prints_the_record(
    web: TestClient, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ready(web, catalog)
    plan_before = web.get("/api/me/plan").json()
    result = _run(monkeypatch, FakeClock(), ["upper-back-program", "--json"], "\n1\n1\n")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output[result.output.index("{\n") :])
    assert record["program"] == "upper-back-program" and record["plan_id"] is None
    assert record["dose_changes"] == []
    assert web.get("/api/me/plan").json() == plan_before


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("chest-pain-now", "for an ambulance now"),
        ("pain-stops-moving", "Get medical care today"),
    ],
)
def test_no_terminal_session_after_a_stop_answer(
    web: TestClient, catalog: Catalog, monkeypatch: pytest.MonkeyPatch, question: str, words: str
) -> None:
    _ready(web, catalog)
    web.post("/api/me/screenings", json=with_yes(catalog, question)).raise_for_status()
    clock = FakeClock()
    result = _run(monkeypatch, clock, [], "\n")
    assert result.exit_code == 1
    assert words in result.output
    assert clock.slept == 0
    assert web.get("/api/me/sessions").json() == []


def test_no_terminal_session_before_the_safety_questions(
    web: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run(monkeypatch, FakeClock(), ["healthy-upper-back"], "\n")
    assert result.exit_code == 1
    assert "safety questions" in result.output
