"""Bringing a person's own export back (issue 19) on SQLite and PostgreSQL: a real history comes back
and shows the same pages; a version 1 file from the first Upright still reads; broken content is refused
with its field named and nothing stored; the same file twice stores nothing twice; and export -> import
-> export gives the same data for any generated history (a property test)."""

from __future__ import annotations

import copy
import json
import string
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.history_helpers import (
    START,
    V1_FILE,
    V1_HISTORY,
    Clock,
    build_history,
    fixed_client,
    send_file,
    shown_pages,
)
from tests.patient_fixtures import db_url
from upright.catalog import Catalog
from upright.config import Settings
from upright.documents.export import canonical, parse_export
from upright.errors import Conflict, InvalidInput
from upright.services.data_import import OLD_FORMAT_NOTE, import_data
from upright.services.my_data import export_all_data
from upright.store import Database, open_database
from upright.store import repositories as repo
from upright.web.app import create_app

__all__ = ["db_url"]

V2_FILE = V1_FILE.with_name("export_v2.json")
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.dispose()


def _import(db: Database, data: Any, key: str = "local") -> Any:
    with db.transaction() as s:
        person = repo.ensure_person(s, key, now=NOW)
        return import_data(s, person.id, data, now=NOW)


def _export(db: Database, key: str = "local") -> dict[str, Any]:
    with db.transaction() as s:
        person = repo.ensure_person(s, key, now=NOW)
        return export_all_data(s, person.id, now=NOW)


def _history(db: Database, key: str = "local") -> dict[str, int]:
    with db.transaction() as s:
        return repo.history_counts(s, repo.ensure_person(s, key, now=NOW).id)


@pytest.fixture(scope="module")
def real_export(
    tmp_path_factory: pytest.TempPathFactory, catalog: Catalog
) -> tuple[dict[str, Any], dict[str, str]]:
    """Four weeks of use through the app on an old computer: its export and the pages it showed."""
    folder = tmp_path_factory.mktemp("old-computer")
    app = create_app(Settings(database_url=f"sqlite:///{folder / 'old.db'}"), catalog=catalog)
    clock = Clock(START)
    with fixed_client(app, clock) as client:
        build_history(client, catalog, clock)
        exported = client.get("/api/me/export").json()
        pages = shown_pages(client)
    app.state.db.dispose()
    return exported, pages


def test_a_real_history_comes_back_and_shows_the_same_pages(
    db_url: str, catalog: Catalog, real_export: tuple[dict[str, Any], dict[str, str]]
) -> None:
    exported, pages_before = real_export
    app = create_app(Settings(database_url=db_url), catalog=catalog)
    clock = Clock(datetime.fromisoformat(exported["exported_at"]))
    with fixed_client(app, clock) as client:
        r = send_file(client, "upright-my-data.json", json.dumps(exported))
        assert r.status_code == 200, r.text
        assert "Brought in 12 sessions, 19 pain scores, 2 screenings, 1 plans, 36 break events." in r.text
        assert shown_pages(client) == pages_before  # Today, Progress, the plan and its sessions
        again = client.get("/api/me/export").json()
    app.state.db.dispose()
    assert canonical(parse_export(again)) == canonical(parse_export(exported))
    assert (
        again["plans"][0]["plan"]["changes"] == exported["plans"][0]["plan"]["changes"] != []
    )  # dose history


def test_an_export_from_the_first_version_still_reads(db: Database) -> None:
    data = json.loads(V1_FILE.read_text())
    assert data["version"] == 1
    report = _import(db, data)
    assert report.is_new and report.notes == [OLD_FORMAT_NOTE]
    assert _history(db) == V1_HISTORY
    out = _export(db)
    assert out["version"] == 3 and out["clinic"] == {"prescriptions": [], "clearances": [], "alerts": []}
    assert [x["blocks_sessions"] for x in out["screenings"]] == [False, False]
    assert all(
        p["red_flag"] is False for p in out["pain_reports"]
    )  # version 1 did not keep it: the note says so
    assert [x["client_id"] for x in out["sessions"]] == [x["client_id"] for x in data["sessions"]]
    assert out["profile"]["reminder_time"] == "08:30" and out["breaks"]["settings"]["every"] == 50
    # The same version 1 file again: recognised, nothing stored twice.
    assert not _import(db, data).is_new
    assert _history(db)["sessions"] == 12


def test_an_export_from_version_2_reads_with_no_clinic_records() -> None:
    data = json.loads(V2_FILE.read_text())
    assert data["version"] == 2 and "clinic" not in data
    doc = parse_export(data)
    assert doc.version == 3 and len(doc.sessions) == 12
    assert doc.clinic.prescriptions == doc.clinic.clearances == doc.clinic.alerts == []


def test_the_same_file_twice_stores_everything_once(
    db: Database, real_export: tuple[dict[str, Any], dict[str, str]]
) -> None:
    exported = real_export[0]
    assert _import(db, exported).is_new
    first = _export(db)
    second = _import(db, exported)
    assert not second.is_new
    assert "Nothing was added" in second.summary()
    assert _export(db) == first


def test_other_history_is_never_merged_or_replaced(
    db: Database, real_export: tuple[dict[str, Any], dict[str, str]]
) -> None:
    exported = real_export[0]
    other = copy.deepcopy(exported)
    other["sessions"] = other["sessions"][:3]
    other["pain_reports"] = [p for p in other["pain_reports"] if p["session_id"] in {x["id"] for x in other["sessions"]} or p["session_id"] is None]  # fmt: skip
    _import(db, other)
    before = _export(db)
    with pytest.raises(Conflict, match="only goes into an empty Upright"):
        _import(db, exported)
    assert _export(db) == before


BROKEN = [
    (lambda d: d.update(format="something-else"), "format", "not an upright export"),
    (lambda d: d.update(version=4), "version", "newer upright"),
    (lambda d: d.update(version="one"), "version", "no version number"),
    (lambda d: d["pain_reports"][3].update(score=11), "pain_reports[3].score", "less than or equal to 10"),
    (lambda d: d["sessions"][2].update(mood="fine"), "sessions[2].mood", "extra inputs are not permitted"),
    (
        lambda d: d["sessions"][1]["items"][0].update(status="maybe"),
        "sessions[1].items[0].status",
        "input should be",
    ),
    (lambda d: d["sessions"][0].update(started_at="yesterday"), "sessions[0].started_at", "datetime"),
    (
        lambda d: d["sessions"][0].update(started_at="2026-09-07T09:00:00"),
        "sessions[0].started_at",
        "timezone",
    ),
    (lambda d: d["sessions"][4].update(plan_id=999), "sessions[4].plan_id", "there is no plan 999"),
    (lambda d: d["pain_reports"][0].update(session_id=999), "pain_reports[0].session_id", "no session 999"),
    (
        lambda d: d["breaks"]["settings"].update(every=5),
        "breaks.settings.every",
        "greater than or equal to 30",
    ),
    (lambda d: d["breaks"]["events"][0].update(kind="nap"), "breaks.events[0].kind", "input should be"),
    (lambda d: d["profile"].update(minutes=0), "profile.minutes", "greater than or equal to 1"),
    (lambda d: d["plans"][0].update(plan={"title": "no items"}), "plans[0].plan.items", "field required"),
    (lambda d: d.pop("screenings"), "screenings", "field required"),
]


@pytest.mark.parametrize(("breakage", "field", "words"), BROKEN)
def test_broken_content_is_refused_with_its_field_named_and_nothing_stored(
    db: Database, real_export: tuple[dict[str, Any], dict[str, str]], breakage: Any, field: str, words: str
) -> None:
    data = copy.deepcopy(real_export[0])
    breakage(data)
    with pytest.raises(InvalidInput) as caught:
        _import(db, data)
    assert caught.value.field == field
    assert words in caught.value.message.lower()
    assert not any(_history(db).values())
    assert _export(db)["profile"] is None


def test_a_failure_half_way_through_the_writes_stores_nothing(
    db: Database, real_export: tuple[dict[str, Any], dict[str, str]]
) -> None:
    """One transaction: when the database itself refuses the last row written (break events come
    last; a trigger refuses one), every row written before it is gone too."""
    refuse = {
        "sqlite": ["CREATE TRIGGER refuse_one BEFORE INSERT ON break_events WHEN NEW.kind = 'postponed' "
                   "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"],
        "postgresql": ["CREATE FUNCTION refuse_one() RETURNS trigger AS $$ BEGIN IF NEW.kind = 'postponed' THEN "
                       "RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                       "CREATE TRIGGER refuse_one BEFORE INSERT ON break_events FOR EACH ROW EXECUTE FUNCTION refuse_one()"],
    }  # fmt: skip
    with db.engine.begin() as conn:
        for statement in refuse[db.backend]:
            conn.execute(text(statement))
    with pytest.raises(DBAPIError, match="refused by the test"):
        _import(db, real_export[0])
    assert not any(_history(db).values())
    assert _export(db)["profile"] is None and _export(db)["breaks"]["settings"] is None


# -- the round trip, over generated histories ------------------------------------------------------

SLUG = st.from_regex(r"[a-z]{1,10}(-[a-z]{1,8}){0,2}", fullmatch=True)
TEXT = st.text(alphabet=string.ascii_letters + string.digits + " .,'é-", max_size=20)
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(SLUG, inner, max_size=3),
    max_leaves=6,
)
ZONES = st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5, minutes=-30))])
WHEN = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=ZONES)
SOME_TIMES = st.lists(WHEN, min_size=1, max_size=4)  # few distinct times: rows often share one


def _iso(value: datetime) -> str:
    return value.isoformat()


@st.composite
def exports(draw: st.DrawFn) -> dict[str, Any]:
    times = draw(SOME_TIMES)
    at = st.sampled_from(times).map(_iso)
    plan_ids = draw(st.lists(st.integers(1, 10_000), unique=True, max_size=3))
    plans = [
        {"id": pid, "created_at": draw(at), "source": draw(st.sampled_from(["suggested", "handout", "imported", "prescribed"])),
         "template_id": draw(st.none() | SLUG), "title": draw(TEXT.filter(str.strip)), "is_active": draw(st.booleans()),
         "plan": {"title": draw(TEXT), "items": [{"exercise": draw(SLUG), "dose": draw(JSONISH)}
                                                  for _ in range(draw(st.integers(0, 3)))],
                  "minutes": draw(st.integers(1, 60)), "changes": draw(st.lists(JSONISH, max_size=2))}}
        for pid in plan_ids
    ]  # fmt: skip
    session_ids = draw(st.lists(st.integers(1, 10_000), unique=True, max_size=4))
    clients = draw(st.lists(st.from_regex(r"[A-Za-z0-9_-]{8,20}", fullmatch=True), unique=True,
                            min_size=len(session_ids), max_size=len(session_ids)))  # fmt: skip
    sessions = [
        {"id": sid, "client_id": cid, "plan_id": draw(st.none() | st.sampled_from(plan_ids)) if plan_ids else None,
         "program": draw(st.none() | SLUG), "player": draw(st.sampled_from(["web", "terminal"])),
         "started_at": draw(at), "ended_at": draw(at), "received_at": draw(st.none() | at),
         "content_hash": draw(st.none() | st.from_regex(r"[0-9a-f]{64}", fullmatch=True)),
         "outcome": draw(st.sampled_from(["completed", "ended_early", "stopped_for_pain"])),
         "end_pain": draw(st.none() | st.integers(0, 10)),
         "feeling": draw(st.none() | st.sampled_from(["easier", "as_expected", "harder"])),
         "planned_seconds": draw(st.none() | st.integers(0, 5000)), "active_seconds": draw(st.none() | st.integers(0, 5000)),
         "items": [{"exercise": draw(SLUG), "status": draw(st.sampled_from(["done", "partial", "skipped", "stopped_for_pain"])),
                    "target_sets": draw(st.integers(1, 5)), "target_reps": draw(st.none() | st.integers(1, 30)),
                    "target_hold_seconds": draw(st.none() | st.integers(1, 60)), "each_side": draw(st.booleans()),
                    "sets_done": draw(st.integers(0, 5)), "reps_done": draw(st.integers(0, 99)),
                    "holds_done": draw(st.integers(0, 99))} for _ in range(draw(st.integers(0, 3)))]}
        for sid, cid in zip(session_ids, clients, strict=True)
    ]  # fmt: skip
    pain = [
        {"taken_at": draw(at), "score": draw(st.integers(0, 10)), "context": draw(st.sampled_from(["during", "end", "check-in"])),
         "exercise": draw(st.none() | SLUG), "location": draw(st.none() | SLUG),
         "action": draw(st.none() | st.sampled_from(["continue", "skip", "end"])),
         "session_id": draw(st.none() | st.sampled_from(session_ids)) if session_ids else None,
         "red_flag": draw(st.none() | st.booleans())}
        for _ in range(draw(st.integers(0, 5)))
    ]  # fmt: skip
    event_ids = draw(st.lists(st.from_regex(r"[a-z0-9]{6,12}", fullmatch=True), unique=True, max_size=4))
    events = [
        {"kind": draw(st.sampled_from(["prompted", "taken", "natural", "postponed", "skipped", "paused", "resumed"])),
         "at": draw(at), "until": draw(st.none() | at), "exercises": draw(st.lists(SLUG, max_size=2)),
         "idle_seconds": draw(st.integers(0, 3600)), "client": draw(st.sampled_from(["web", "terminal"])),
         "client_id": draw(st.none() | st.sampled_from(event_ids)) if event_ids else None}
        for _ in range(draw(st.integers(0, 4)))
    ]  # fmt: skip
    seen: set[str] = set()
    for e in events:  # a break event's client id is stored once
        if e["client_id"] in seen:
            e["client_id"] = None
        seen.add(e["client_id"])
    settings_ = draw(st.none() | st.fixed_dictionaries({
        "every": st.integers(30, 60), "start": st.just("09:00"), "end": st.sampled_from(["17:00", "18:30"]),
        "days": st.sampled_from(["mon-fri", "mon-sun"]), "days_off": st.lists(st.just("2026-12-25"), max_size=1),
        "postpone_minutes": st.integers(1, 30), "max_postpones": st.integers(0, 5), "natural_minutes": st.integers(2, 30),
        "at_hand": st.lists(SLUG, max_size=2), "timezone": st.sampled_from(["Europe/Paris", "America/New_York", "UTC"]),
        "updated_at": at, "reminders_on": st.none() | st.booleans(),
    }))  # fmt: skip
    profile = draw(st.none() | st.fixed_dictionaries({
        "setting": st.sampled_from(["home", "work"]), "equipment": st.lists(SLUG, max_size=2),
        "conditions": st.lists(SLUG, max_size=2), "minutes": st.integers(1, 180),
        "focus": st.sampled_from(["mixed", "stretch", "strengthen", "posture"]), "sessions_per_week": st.integers(1, 14),
        "reminders_on": st.booleans(), "reminder_time": st.none() | st.sampled_from(["07:05", "21:30"]),
        "voice_on": st.booleans(), "bell_on": st.booleans(), "updated_at": st.none() | at,
    }))  # fmt: skip
    screenings = [
        {"taken_at": draw(at), "outcome": draw(st.sampled_from(["clear", "caution", "seek_care_now", "emergency"])),
         "reasons": draw(st.lists(TEXT, max_size=2)), "answers": draw(st.dictionaries(SLUG, st.booleans(), max_size=3)),
         "details": draw(st.dictionaries(SLUG, JSONISH, max_size=3)), "blocks_sessions": draw(st.none() | st.booleans())}
        for _ in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    versions = draw(st.lists(st.integers(1, 50), unique=True, max_size=2))
    clinic = {
        "prescriptions": [
            {"version": v, "created_at": draw(at), "author": draw(TEXT), "start_on": "2026-03-04",
             "per_week": draw(st.integers(1, 14)), "body": {"items": [{"exercise": draw(SLUG), "times_per_day": draw(st.integers(1, 6))}], "per_week": 3,
                      "times_per_day": 1, "weeks": 6, "note": draw(TEXT), "breaks": None},
             "summary": {"how-often": draw(TEXT)}, "changes": draw(st.lists(TEXT, max_size=2)),
             "plan_id": draw(st.none() | st.sampled_from(plan_ids)) if plan_ids else None}
            for v in versions
        ],
        "clearances": [
            {"created_at": draw(at), "author": draw(TEXT), "kind": kind, "note": draw(TEXT),
             "start_on": "2026-03-09" if kind == "cleared" else None}
            for kind in draw(st.lists(st.sampled_from(["cleared", "hold"]), max_size=2))
        ],
        "alerts": [
            {"kind": draw(st.sampled_from(["severe-pain", "hold-session"])), "reason": draw(TEXT), "at": draw(at),
             "created_at": draw(at), "seen_at": draw(st.none() | at), "seen_by": draw(st.none() | TEXT),
             "note": draw(st.none() | TEXT)}
            for _ in range(draw(st.integers(0, 2)))
        ],
    }  # fmt: skip
    doc = {"format": "upright-export", "version": 3,
           "exported_at": draw(at), "profile": profile, "screenings": screenings, "plans": plans,
           "sessions": sessions, "breaks": {"settings": settings_, "events": events}, "pain_reports": pain}  # fmt: skip
    if draw(st.booleans()):  # version 3 adds it; an older file has none
        doc["clinic"] = clinic
    return doc


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(doc=exports())
def test_export_import_export_gives_the_same_data(db: Database, doc: dict[str, Any]) -> None:
    """Any history: into one person, out as an export, into a second person, out again: the same data."""
    first, second = f"a-{uuid.uuid4().hex}", f"b-{uuid.uuid4().hex}"
    _import(db, doc, first)
    exported = _export(db, first)
    _import(db, exported, second)
    again = _export(db, second)
    assert canonical(parse_export(exported)) == canonical(parse_export(doc))
    assert canonical(parse_export(again)) == canonical(parse_export(exported))
    # And the same file a second time stores nothing new.
    counts = _history(db, second)
    assert _import(db, exported, second).is_new is not any(counts.values())
    assert _history(db, second) == counts
    assert canonical(parse_export(_export(db, second))) == canonical(parse_export(again))
