"""Fixtures for the patient app's storage and web tests (issue 5): every such test runs on SQLite
and on PostgreSQL. Import them into a test module with `from tests.patient_fixtures import ...`.

The PostgreSQL case uses UPRIGHT_TEST_POSTGRES_URL (set by scripts/with-postgres.sh, which
`make test` uses). Each test gets a database of its own, created from template0 and dropped after,
so tests never see each other's rows, also under pytest-xdist."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

__all__ = ["db_url"]

PG_ENV = "UPRIGHT_TEST_POSTGRES_URL"


def _postgres_database() -> Iterator[str]:
    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(
                f"{PG_ENV} is not set: run the tests through scripts/with-postgres.sh (make test does)"
            )
        pytest.skip(f"PostgreSQL case needs {PG_ENV}: run `bash scripts/with-postgres.sh uv run pytest ...`")
    name = f"upright_t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database (no tables yet) on each backend. The PostgreSQL case carries the
    `postgres` marker: `pytest -m "not postgres"` runs the SQLite cases alone, `-m postgres` the others."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
    else:
        yield from _postgres_database()
