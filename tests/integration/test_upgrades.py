"""Upgrades lose nothing (issue 19), on SQLite and PostgreSQL.

For each released schema, a database is built by that schema's own migrations and filled with a rich
history through its own tables (raw rows, no current model involved: the rows from the first export
format's example file, tests/fixtures/export_v1.json). The current migrations upgrade it; every row is
still there, column by column, and the app shows it. Downgrades step back on an empty database and
refuse, with a sentence, where they would drop stored rows.

When a migration is released, add its revision to RELEASED (and its tables to `_rows_for`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from tests.history_helpers import Clock, fixed_client
from tests.patient_fixtures import db_url
from upright.catalog import Catalog
from upright.config import Settings
from upright.errors import Conflict
from upright.store.db import make_engine, migrate, migrate_down
from upright.web.app import create_app

__all__ = ["db_url"]

RELEASED = (
    "0001",
    "0002_breaks",
    "0003_break_reminders_opt_in",
    "0004_trust",
    "0006_clinic_accounts",
    "0007_clinic_care",
    "0008_today_revision",
    "0010_clinic_indexes",
    "0011_revision_once",
    "0012_tie_ordered_indexes",
)
EXAMPLE = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "export_v1.json").read_text())


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    e = make_engine(db_url)
    yield e
    e.dispose()


def _when(text: str, dialect: str) -> datetime:
    """As the app of that time stored it: UTC, and naive on SQLite (which keeps no zone)."""
    value = datetime.fromisoformat(text).astimezone(UTC)
    return value.replace(tzinfo=None) if dialect == "sqlite" else value


def _rows_for(revision: str, dialect: str) -> dict[str, list[dict[str, Any]]]:
    """The example history as rows of the tables that exist at `revision`."""
    w = lambda t: _when(t, dialect)  # noqa: E731
    d = EXAMPLE
    p = d["profile"]
    rows: dict[str, list[dict[str, Any]]] = {
        "people": [{"id": 1, "key": "local", "created_at": w("2026-09-07T08:00:00+00:00")}],
        "profiles": [{"person_id": 1, **{k: p[k] for k in ("setting", "equipment", "conditions", "minutes", "focus",
                      "sessions_per_week", "reminders_on", "reminder_time", "voice_on", "bell_on")},
                      "updated_at": w(d["exported_at"])}],
        "screenings": [{"id": n + 1, "person_id": 1, "taken_at": w(x["taken_at"]), "answers": x["answers"],
                        "outcome": x["outcome"], "reasons": x["reasons"], "blocks_sessions": False,
                        "details": x["details"]} for n, x in enumerate(d["screenings"])],
        "plans": [{"id": x["id"], "person_id": 1, "created_at": w(x["created_at"]), "source": x["source"],
                   "template_id": x["template_id"], "title": x["title"], "body": x["plan"],
                   "is_active": x["is_active"]} for x in d["plans"]],
        "sessions": [{"id": x["id"], "person_id": 1, "client_id": x["client_id"], "content_hash": f"{n:064x}",
                      "plan_id": x["plan_id"], "program": x["program"], "player": x["player"],
                      "started_at": w(x["started_at"]), "ended_at": w(x["ended_at"]), "received_at": w(x["ended_at"]),
                      "outcome": x["outcome"], "end_pain": x["end_pain"], "feeling": x["feeling"],
                      "planned_seconds": x["planned_seconds"], "active_seconds": x["active_seconds"]}
                     for n, x in enumerate(d["sessions"])],
        "session_items": [{"session_id": x["id"], "position": k, "exercise_id": i["exercise"],
                           **{f: i[f] for f in ("target_sets", "target_reps", "target_hold_seconds", "each_side",
                                                "reps_done", "holds_done", "sets_done", "status")}}
                          for x in d["sessions"] for k, i in enumerate(x["items"])],
        "pain_reports": [{"id": n + 1, "person_id": 1, "session_id": x["session_id"], "taken_at": w(x["taken_at"]),
                          "score": x["score"], "context": x["context"], "exercise_id": x["exercise"],
                          "location": x["location"], "action": x["action"], "red_flag": n == 17}
                         for n, x in enumerate(d["pain_reports"])],
    }  # fmt: skip
    if revision != "0001":
        b = d["breaks"]["settings"]
        rows["break_settings"] = [
            {
                "person_id": 1,
                "every_minutes": b["every"],
                "start": b["start"],
                "end": b["end"],
                "days": b["days"],
                "days_off": b["days_off"],
                "postpone_minutes": b["postpone_minutes"],
                "max_postpones": b["max_postpones"],
                "natural_minutes": b["natural_minutes"],
                "at_hand": b["at_hand"],
                "timezone": b["timezone"],
                "updated_at": w(b["updated_at"]),
            }
        ]
        if RELEASED.index(revision) >= RELEASED.index("0003_break_reminders_opt_in"):
            rows["break_settings"][0]["reminders_on"] = False  # a choice the upgrade must keep
        rows["break_events"] = [{"id": n + 1, "person_id": 1, "kind": e["kind"], "at": w(e["at"]),
                                 "until": w(e["until"]) if e["until"] else None, "exercises": e["exercises"],
                                 "idle_seconds": e["idle_seconds"], "client": e["client"], "client_id": f"ev-{n}"}
                                for n, e in enumerate(d["breaks"]["events"])]  # fmt: skip
    if RELEASED.index(revision) >= RELEASED.index("0004_trust"):
        # the keys that make a break routine's resend harmless
        rows["routine_results"] = [{"id": n + 1, "person_id": 1, "client_id": x["client_id"], "content_hash": f"{n:064x}",
                                    "taken": True, "received_at": x["at"]}
                                   for n, x in enumerate(rows["break_events"]) if x["kind"] == "taken"]  # fmt: skip
    if RELEASED.index(revision) >= RELEASED.index("0006_clinic_accounts"):
        # clinic accounts: an admin, a clinician and their patient (whose data is person 1), a link, a login
        at = w("2026-09-07T08:00:00+00:00")
        rows["users"] = [{"id": n + 1, "email": f"{role}@example.org", "name": role.title(), "role": role,
                          "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g",
                          "person_id": 1 if role == "patient" else None, "is_disabled": False, "totp_secret": None,
                          "is_demo": False, "created_at": at, "password_changed_at": at}
                         for n, role in enumerate(("admin", "clinician", "patient"))]  # fmt: skip
        rows["care_links"] = [{"clinician_id": 2, "patient_id": 3, "created_at": at}]
        rows["login_sessions"] = [{"id": "a" * 64, "user_id": 3, "created_at": at, "last_seen_at": at}]
        rows["audit_log"] = [{"id": 1, "at": at, "actor_id": 2, "actor_email": "clinician@example.org",
                              "action": "read", "what": "GET /api/clinic/patients/{patient_id}", "patient_id": 3,
                              "prev_hash": "0" * 64, "hash": "b" * 64}]  # fmt: skip
    if RELEASED.index(revision) >= RELEASED.index("0007_clinic_care"):
        # a clinician's prescription, clearance and an alert seen with a note
        at = w("2026-09-08T09:00:00+00:00")
        rows["prescriptions"] = [{"id": 1, "person_id": 1, "version": 1, "created_at": at, "author_id": None,
                                  "author_name": "Dr Ana Lee", "start_on": datetime(2026, 9, 8).date(), "per_week": 3,
                                  "body": {"items": [], "per_week": 3, "times_per_day": 1, "weeks": 6, "note": ""},
                                  "summary": {"how-often": "3 days a week"}, "changes": ["New plan"],
                                  "plan_id": None}]  # fmt: skip
        rows["clearances"] = [{"id": 1, "person_id": 1, "created_at": at, "author_id": None,
                               "author_name": "Dr Ana Lee", "kind": "cleared", "start_on": datetime(2026, 9, 8).date(),
                               "note": ""}]  # fmt: skip
        rows["clinic_alerts"] = [{"id": 1, "person_id": 1, "kind": "severe-pain", "reason": "Pain 8/10 (severe).",
                                  "at": at, "key": "pain:1:severe-pain", "created_at": at, "seen_at": at,
                                  "seen_by": None, "seen_by_name": "Dr Ana Lee", "note": "Called."}]  # fmt: skip
    return rows


def _fill(engine: Engine, rows: dict[str, list[dict[str, Any]]]) -> None:
    meta = sa.MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        for table, values in rows.items():
            conn.execute(meta.tables[table].insert(), values)
        if engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
            for table, values in rows.items():
                if isinstance(values[0].get("id"), int):  # login_sessions' ids are hashes
                    conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                         f"(SELECT max(id) FROM {table}))"))  # fmt: skip


# Not stored data: a value the database changes on every write to the person's rows (0008).
NOT_DATA = {("people", "revision")}


def _columns(engine: Engine, tables: list[str]) -> dict[str, list[str]]:
    meta = sa.MetaData()
    meta.reflect(engine)
    return {
        name: sorted(c.name for c in meta.tables[name].columns if (name, c.name) not in NOT_DATA)
        for name in tables
    }


def _snapshot(engine: Engine, columns: dict[str, list[str]]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of each table, with the given columns (the old schema's), in a fixed order."""
    meta = sa.MetaData()
    meta.reflect(engine)
    out = {}
    with engine.connect() as conn:
        for name, cols in columns.items():
            t = meta.tables[name]
            rows = conn.execute(sa.select(*(t.c[c] for c in cols))).all()
            out[name] = sorted(tuple(json.dumps(v, sort_keys=True, default=str) for v in r) for r in rows)
    return out


@pytest.mark.parametrize("released", RELEASED)
def test_a_database_from_each_released_schema_upgrades_with_every_row_kept_and_shown(
    engine: Engine, db_url: str, catalog: Catalog, released: str
) -> None:
    migrate(engine, released)
    rows = _rows_for(released, engine.dialect.name)
    _fill(engine, rows)
    old_columns = _columns(engine, list(rows))
    before = _snapshot(engine, old_columns)
    assert sum(len(v) for v in before.values()) > 80  # a rich history, not a token one

    migrate(engine, "head")

    assert _snapshot(engine, old_columns) == before
    app = create_app(Settings(database_url=db_url), catalog=catalog)
    with fixed_client(app, Clock(datetime(2026, 10, 5, 9, 0, tzinfo=UTC))) as client:
        sessions = client.get("/api/me/sessions").json()
        assert sorted(x["client_id"] for x in sessions) == sorted(x["client_id"] for x in EXAMPLE["sessions"])
        assert sum(len(x["items"]) for x in sessions) == len(rows["session_items"])
        plan = client.get("/api/me/plan").json()
        assert plan["plan"]["changes"] == EXAMPLE["plans"][0]["plan"]["changes"]  # the dose history
        progress = client.get("/progress")
        assert progress.status_code == 200 and "Pain" in progress.text
        assert client.get("/today").status_code == 200
        exported = client.get("/api/me/export").json()
        assert len(exported["pain_reports"]) == len(rows["pain_reports"])
        assert len(exported["breaks"]["events"]) == len(rows.get("break_events", []))
        assert [n for n, x in enumerate(exported["pain_reports"]) if x["red_flag"]] == [
            17
        ]  # the warning sign
        assert client.get("/api/me/session/script").status_code == 200  # the newer screening cleared it
    app.state.db.dispose()


def test_every_migration_steps_back_on_an_empty_database(engine: Engine) -> None:
    migrate(engine, "head")
    migrate_down(engine, "base")
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(engine, "head")
    assert "break_events" in sa.inspect(engine).get_table_names()


def test_stepping_back_refuses_to_drop_stored_rows(engine: Engine) -> None:
    migrate(engine, "0002_breaks")
    rows = _rows_for("0002_breaks", engine.dialect.name)
    _fill(engine, rows)
    migrate(engine, "head")
    columns = _columns(engine, list(rows))
    before = _snapshot(engine, columns)
    with pytest.raises(Conflict, match=r"Going back to the version before workday breaks would delete data \(1 in break_settings, 24 in break_events\)\. Nothing was changed\."):  # fmt: skip
        migrate_down(engine, "0001")
    assert _snapshot(engine, columns) == before
    # Without break rows, the step back to 0001 is a path that keeps everything else.
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM break_events"))
        conn.execute(sa.text("DELETE FROM break_settings"))
    migrate_down(engine, "0001")
    kept = {t: c for t, c in columns.items() if not t.startswith("break_")}
    assert _snapshot(engine, kept) == {t: before[t] for t in kept}
    with pytest.raises(Conflict, match="before Upright stored anything would delete data"):
        migrate_down(engine, "base")
    assert _snapshot(engine, kept) == {t: before[t] for t in kept}


def test_an_upgraded_database_keeps_taking_new_rows(engine: Engine, db_url: str, catalog: Catalog) -> None:
    """The id sequences continue after the old rows: the first new check-in does not clash."""
    migrate(engine, "0001")
    _fill(engine, _rows_for("0001", engine.dialect.name))
    migrate(engine, "head")
    app = create_app(Settings(database_url=db_url), catalog=catalog)
    with fixed_client(app, Clock(datetime(2026, 10, 5, 9, 0, tzinfo=UTC) + timedelta(hours=1))) as client:
        assert client.post("/api/me/checkins", json={"pain": 2}).status_code == 201
        assert len(client.get("/api/me/export").json()["pain_reports"]) == len(EXAMPLE["pain_reports"]) + 1
    app.state.db.dispose()
