"""While the server runs, SQLite's log is copied into the main file beside the requests, never by a
request's commit (web/checkpoints.py); at stop the whole log is in the main file."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import TestClock
from tests.patient_helpers import FormClient, onboard, result_from_script
from upright.catalog import Catalog
from upright.web.checkpoints import checkpoint_once

pytestmark = pytest.mark.dateless  # nothing here depends on the date or hour


def _store_a_session(client: TestClient, test_clock: TestClock) -> None:
    script = client.get("/api/me/session/script").json()
    assert (
        client.post("/api/me/sessions", json=result_from_script(script, now=test_clock.now())).status_code
        == 201
    )


def _checkpoint_at_commit(app: FastAPI) -> int:
    with app.state.db.engine.connect() as c:
        return int(c.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one())


def test_no_commit_checkpoints_while_the_server_runs_and_at_stop_the_log_is_in_the_file(
    make_app: Callable[..., FastAPI], catalog: Catalog, test_clock: TestClock, tmp_path: Path
) -> None:
    path = tmp_path / "app.db"
    app = make_app(database_url=f"sqlite:///{path}")
    with FormClient(app) as client:
        onboard(client, catalog)
        _store_a_session(client, test_clock)
        assert _checkpoint_at_commit(app) == 0  # the server's task does it instead
    # Stopped: no log is left (or an empty one), so the main file alone holds the session.
    wal = tmp_path / "app.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    with sqlite3.connect(path) as alone:
        assert alone.execute("SELECT count(*) FROM sessions").fetchone() == (1,)
    assert _checkpoint_at_commit(app) == 1000  # commands and the next start get SQLite's default back
    app.state.db.dispose()


def test_a_long_log_is_emptied_between_requests_and_writing_goes_on(
    make_app: Callable[..., FastAPI], catalog: Catalog, test_clock: TestClock, tmp_path: Path
) -> None:
    app = make_app(database_url=f"sqlite:///{tmp_path / 'app.db'}")
    with FormClient(app) as client:
        onboard(client, catalog)
        _store_a_session(client, test_clock)
        assert (tmp_path / "app.db-wal").stat().st_size > 0
        # As when writes never pause: the log is over the limit (here 0 pages), so the round empties it.
        assert client.portal.call(functools.partial(checkpoint_once, app, max_pages=0)) == 0
        assert (tmp_path / "app.db-wal").stat().st_size == 0
        _store_a_session(client, test_clock)
        assert len(client.get("/api/me/sessions").json()) == 2
    app.state.db.dispose()
