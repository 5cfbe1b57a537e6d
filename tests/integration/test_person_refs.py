"""The person and their revision read on the event loop (store/person_refs.py), the first read of
nearly every page: always the newest commit, from any connection; never waiting for a writer; and on
PostgreSQL still answering after its kept connection was killed (no pre-ping on this path)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests.loops import run_coroutine
from tests.patient_fixtures import _postgres_database, db_url
from upright.store import Database, open_database
from upright.store.repositories import LOCAL_PERSON, ensure_person

__all__ = ["db_url"]


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    db = open_database(db_url)
    with db.transaction() as s:
        ensure_person(s, LOCAL_PERSON, now=datetime(2026, 3, 4, tzinfo=UTC))
    yield db
    db.dispose()


def revision(db: Database) -> int:
    found = run_coroutine(db.person_refs.get(LOCAL_PERSON))
    assert found is not None and found.key == LOCAL_PERSON
    return found.revision


def bump(conn: sa.Connection) -> None:
    conn.execute(sa.text("UPDATE people SET revision = revision + 1 WHERE key = :k"), {"k": LOCAL_PERSON})


def test_each_read_sees_the_newest_commit_and_never_waits_for_a_writer(database: Database) -> None:
    assert run_coroutine(database.person_refs.get("nobody")) is None  # the caller then makes the person
    first = revision(database)
    with database.engine.connect() as writer:
        if writer.dialect.name == "sqlite":
            writer.exec_driver_sql("BEGIN IMMEDIATE")  # SQLite's write lock, held until commit
        bump(writer)
        assert revision(database) == first  # not waiting, and not seeing what is not committed
        writer.commit()
    assert revision(database) == first + 1


@pytest.fixture
def pg_database() -> Iterator[Database]:
    for url in _postgres_database():
        db = open_database(url)
        with db.transaction() as s:
            ensure_person(s, LOCAL_PERSON, now=datetime(2026, 3, 4, tzinfo=UTC))
        yield db
        db.dispose()


@pytest.mark.postgres
def test_a_killed_connection_is_replaced_not_reported(pg_database: Database) -> None:
    first = revision(pg_database)  # keeps its connection for the next read
    with pg_database.engine.connect() as admin:
        killed = admin.execute(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
        assert killed >= 1
        bump(admin)
        admin.commit()
    assert revision(pg_database) == first + 1
