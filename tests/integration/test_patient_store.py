"""Storage on SQLite and PostgreSQL: migrations, the person key, cascades, constraints, time zones."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from tests.patient_fixtures import db_url
from upright.store import Database, open_database
from upright.store import repositories as repo
from upright.store.db import all_metadata
from upright.store.tables import PainReportRow, PlanRow, ScreeningRow, SessionItemRow, SessionRow

__all__ = ["db_url"]

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.dispose()


def _session_row(person_id: int, client_id: str, *, at: datetime = T0) -> SessionRow:
    row = SessionRow(
        person_id=person_id,
        client_id=client_id,
        content_hash="h" * 64,
        player="web",
        started_at=at,
        ended_at=at + timedelta(minutes=12),
        received_at=at + timedelta(minutes=12),
        outcome="completed",
        end_pain=3,
        feeling="as_expected",
    )
    row.items = [
        SessionItemRow(
            position=0,
            exercise_id="chin-tuck",
            target_sets=1,
            target_reps=5,
            target_hold_seconds=5,
            each_side=False,
            reps_done=5,
            holds_done=5,
            sets_done=1,
            status="done",
        )
    ]
    row.pain_reports = [
        PainReportRow(person_id=person_id, taken_at=at + timedelta(minutes=12), score=3, context="end")
    ]
    return row


def test_migrations_create_every_table_and_match_the_models(db: Database) -> None:
    tables = set(inspect(db.engine).get_table_names())
    assert {
        "people",
        "profiles",
        "screenings",
        "plans",
        "sessions",
        "session_items",
        "pain_reports",
        "alembic_version",
    } <= tables
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), all_metadata())
    assert diff == [], f"tables.py and the migrations differ: {diff}"


def test_migrating_twice_changes_nothing(db_url: str) -> None:
    first = open_database(db_url)
    with first.transaction() as s:
        repo.ensure_person(s, repo.LOCAL_PERSON, now=T0)
    first.dispose()
    second = open_database(db_url)  # runs the migrations again: must be a no-op
    with second.transaction() as s:
        assert repo.find_person(s, repo.LOCAL_PERSON) is not None
    second.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'wal.db'}")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.dispose()


def test_the_local_person_is_created_once(db: Database) -> None:
    with db.transaction() as s:
        a = repo.ensure_person(s, repo.LOCAL_PERSON, now=T0)
        b = repo.ensure_person(s, repo.LOCAL_PERSON, now=T0)
    assert a.id == b.id


def test_times_come_back_as_the_same_utc_instant(db: Database) -> None:
    local = datetime(2026, 3, 2, 11, 30, tzinfo=UTC).astimezone(ZoneInfo("Europe/Berlin"))
    with db.transaction() as s:
        repo.ensure_person(s, "p", now=local)
    with db.transaction() as s:
        again = repo.find_person(s, "p")
        assert again is not None
        assert again.created_at == local
        assert again.created_at.tzinfo is not None


def test_a_session_keeps_its_items_and_pain_reports_and_a_client_id_is_unique(db: Database) -> None:
    with db.transaction() as s:
        person = repo.ensure_person(s, repo.LOCAL_PERSON, now=T0)
        repo.add_session(s, _session_row(person.id, "c-1"))
    with db.transaction() as s:
        found = repo.find_session(s, person.id, "c-1")
        assert found is not None
        assert [i.exercise_id for i in found.items] == ["chin-tuck"]
        assert [p.score for p in found.pain_reports] == [3]
    with pytest.raises(IntegrityError), db.transaction() as s:
        repo.add_session(s, _session_row(person.id, "c-1"))
    with db.transaction() as s:
        assert repo.count_sessions(s, person.id) == 1


def test_the_database_refuses_out_of_range_values(db: Database) -> None:
    with db.transaction() as s:
        person = repo.ensure_person(s, repo.LOCAL_PERSON, now=T0)
    with pytest.raises(IntegrityError), db.transaction() as s:
        repo.add_pain_report(s, PainReportRow(person_id=person.id, taken_at=T0, score=11, context="check-in"))
    bad = _session_row(person.id, "c-2")
    bad.items[0].reps_done = -1
    with pytest.raises(IntegrityError), db.transaction() as s:
        repo.add_session(s, bad)
    with db.transaction() as s:
        assert repo.count_sessions(s, person.id) == 0  # nothing partial was kept
        assert repo.pain_reports(s, person.id) == []


def test_deleting_a_person_removes_every_row_about_them(db: Database) -> None:
    with db.transaction() as s:
        person = repo.ensure_person(s, repo.LOCAL_PERSON, now=T0)
        other = repo.ensure_person(s, "someone-else", now=T0)
        repo.save_profile(s, person.id, now=T0, minutes=20, equipment=["resistance-band"])
        repo.add_screening(
            s,
            ScreeningRow(
                person_id=person.id,
                taken_at=T0,
                answers={"q": False},
                outcome="ok",
                reasons=[],
                blocks_sessions=False,
                details={},
            ),
        )
        repo.add_plan(s, PlanRow(person_id=person.id, created_at=T0, source="handout", title="t", body={}))
        repo.add_session(s, _session_row(person.id, "c-1"))
        repo.add_session(s, _session_row(other.id, "c-1"))
    with db.transaction() as s:
        repo.delete_person(s, person.id)
    with db.transaction() as s:
        assert repo.find_person(s, repo.LOCAL_PERSON) is None
        for table in (ScreeningRow, PlanRow, SessionRow, SessionItemRow, PainReportRow):
            rows = s.scalars(select(table)).all()
            assert all(getattr(r, "person_id", other.id) == other.id for r in rows), table.__tablename__
        assert repo.count_sessions(s, other.id) == 1
        assert len(s.scalars(select(SessionItemRow)).all()) == 1


def test_one_plan_is_active_at_a_time(db: Database) -> None:
    with db.transaction() as s:
        person = repo.ensure_person(s, repo.LOCAL_PERSON, now=T0)
        first = repo.add_plan(
            s, PlanRow(person_id=person.id, created_at=T0, source="handout", title="a", body={})
        )
        second = repo.add_plan(
            s, PlanRow(person_id=person.id, created_at=T0, source="suggested", title="b", body={})
        )
    with db.transaction() as s:
        active = repo.active_plan(s, person.id)
        assert active is not None and active.id == second.id
        assert repo.get_plan(s, person.id, first.id) is not None
        assert repo.get_plan(s, person.id + 1000, first.id) is None


def test_the_newest_screening_decides(db: Database) -> None:
    with db.transaction() as s:
        person = repo.ensure_person(s, repo.LOCAL_PERSON, now=T0)
        for minutes, outcome in ((0, "emergency"), (5, "ok")):
            repo.add_screening(
                s,
                ScreeningRow(
                    person_id=person.id,
                    taken_at=T0 + timedelta(minutes=minutes),
                    answers={},
                    outcome=outcome,
                    reasons=[],
                    blocks_sessions=outcome == "emergency",
                    details={},
                ),
            )
    with db.transaction() as s:
        latest = repo.latest_screening(s, person.id)
        assert latest is not None and latest.outcome == "ok"


def test_the_few_pain_rows_read_for_alerts_are_the_ones_the_rules_need(db: Database) -> None:
    """repositories.key_pain_rows (three small queries) picks what services.checkins.alert_history picks
    from the whole history."""
    import random

    from upright.services.checkins import ALERT_CONTEXTS, alert_history

    rng = random.Random(7)
    with db.transaction() as s:
        person = repo.ensure_person(s, repo.LOCAL_PERSON, now=T0)
        for n in range(120):
            repo.add_pain_report(s, PainReportRow(
                person_id=person.id, taken_at=T0 + timedelta(hours=n * rng.randint(1, 5)), score=rng.randint(0, 10),
                context=rng.choice(["check-in", "end", "during"]),
                location=rng.choice([None, "neck", "chest", "left-arm", "upper-back"]), red_flag=rng.random() < 0.1,
            ))  # fmt: skip
    with db.transaction() as s:
        every = repo.pain_rows(s, person.id)
        picked = repo.key_pain_rows(s, person.id, ALERT_CONTEXTS)
        expected = alert_history(every)
        assert [(r.taken_at, r.score, r.location) for r in picked] == [
            (r.taken_at, r.score, r.location) for r in expected
        ]
        assert len(picked) <= 7
