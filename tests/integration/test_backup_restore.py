"""`upright backup` and `upright restore` (issue 19), and Settings' "Download a backup": a consistent
copy while the server writes, 0600, saying what it holds; a restore that refuses a running server, a
file that is not Upright's and one from a newer Upright, asks first, keeps the replaced data aside,
upgrades an older backup, and shows the same Today, Progress and plan afterwards. PostgreSQL: both
commands and the Settings link say how to use pg_dump instead."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from tests.conftest import LiveServer, _free_port
from tests.history_helpers import START, Clock, build_history, fixed_client, shown_pages
from tests.patient_fixtures import _postgres_database
from tests.patient_helpers import all_no, result_from_script
from upright.catalog import Catalog
from upright.cli import app as cli
from upright.config import Settings, get_settings
from upright.store import open_database
from upright.store.db import make_engine, migrate
from upright.web import patient_deps
from upright.web.app import create_app

runner = CliRunner()


def _use(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("UPRIGHT_DATABASE_URL", url)
    get_settings.cache_clear()


def _rows(path: Path, sql: str) -> list[Any]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute(sql).fetchall()


def _said(r: Any) -> str:
    """The command's output as one line (the terminal wraps long sentences)."""
    return " ".join(r.output.split())


def _count(path: Path, table: str) -> int:
    return int(_rows(path, f"SELECT count(*) FROM {table}")[0][0])


@pytest.fixture
def old_computer(tmp_path: Path, catalog: Catalog) -> Iterator[tuple[Path, dict[str, str]]]:
    """A database with two weeks of history, and the pages it showed."""
    path = tmp_path / "old" / "upright.db"
    path.parent.mkdir()  # Upright makes the database file, not a missing folder (a typo in the path)
    app = create_app(Settings(database_url=f"sqlite:///{path}"), catalog=catalog)
    clock = Clock(START)
    with fixed_client(app, clock) as client:
        build_history(client, catalog, clock, weeks=2)
        clock.now = START + timedelta(days=16)
        pages = shown_pages(client)
    app.state.db.dispose()
    yield path, pages


def test_a_backup_is_private_and_says_what_it_holds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, old_computer: tuple[Path, dict[str, str]]
) -> None:
    _use(monkeypatch, f"sqlite:///{old_computer[0]}")
    out = tmp_path / "keep" / "upright-backup.db"
    r = runner.invoke(cli, ["backup", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "only you can read it" in r.output
    assert "6 sessions" in r.output and "pain scores" in r.output and "newest session 2026-09-18" in r.output
    assert out.stat().st_mode & 0o777 == 0o600
    assert not list(out.parent.glob("*-wal")) and not list(out.parent.glob("*.partial"))
    assert _rows(out, "PRAGMA application_id")[0][0] == 0x55505254
    assert _count(out, "sessions") == 6
    # It never overwrites a file.
    again = runner.invoke(cli, ["backup", "-o", str(out)])
    assert again.exit_code == 1 and "exists already" in again.output
    info = json.loads(runner.invoke(cli, ["backup", "-o", str(tmp_path / "b2.db"), "--json"]).output)
    assert info["counts"]["sessions"] == 6 and info["revision"]


def test_a_backup_taken_while_the_server_writes_is_consistent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, catalog: Catalog
) -> None:
    """Sessions keep arriving over HTTP at a real server while backups are taken: every backup is a
    sound database in which each session has all its exercises and its end pain score."""
    path = tmp_path / "live.db"
    app = create_app(Settings(database_url=f"sqlite:///{path}"), catalog=catalog)
    clock = Clock(START)
    app.dependency_overrides[patient_deps._now] = lambda: clock.now
    server = LiveServer(app).start()
    stop = threading.Event()
    sent: list[int] = []
    failures: list[str] = []
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            assert http.post("/api/me/screenings", json=all_no(catalog)).status_code == 201
            assert http.post("/api/me/plan", json={"choice": "handout", "program": "posture-and-neck-stretches"}).status_code == 201  # fmt: skip
            script = http.get("/api/me/session/script").json()
            items = len(script["targets"])

            def write() -> None:
                n = 0
                while not stop.is_set():
                    started = START + timedelta(hours=n + 1)
                    clock.now = started + timedelta(hours=1)
                    body = result_from_script(
                        script, now=clock.now, client_id=f"live-{n:06d}", started=started
                    )
                    body["plan_id"] = None  # no dose changes: every session has the same exercises
                    r = http.post("/api/me/sessions", json=body)
                    if r.status_code != 201:
                        failures.append(r.text)
                        return
                    n += 1
                    sent.append(n)

            writer = threading.Thread(target=write)
            writer.start()
            _use(monkeypatch, f"sqlite:///{path}")
            backups = []
            for k in range(5):
                while len(sent) < (k + 1) * 3 and not failures:  # let some writes land between backups
                    time.sleep(0.01)
                out = tmp_path / f"b{k}.db"
                r = runner.invoke(cli, ["backup", "-o", str(out)])
                assert r.exit_code == 0, r.output
                backups.append(out)
            stop.set()
            writer.join(timeout=60)
    finally:
        stop.set()
        server.stop()
    assert failures == []
    counts = []
    for out in backups:
        assert _rows(out, "PRAGMA integrity_check") == [("ok",)]
        sessions = _count(out, "sessions")
        assert _count(out, "session_items") == sessions * items
        assert _rows(out, "SELECT count(*) FROM pain_reports WHERE context = 'end'")[0][0] == sessions
        counts.append(sessions)
    assert counts == sorted(counts) and counts[-1] > counts[0] >= 3  # taken while the count grew


def test_restore_on_a_new_computer_shows_the_same_today_progress_and_plan(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    catalog: Catalog,
    old_computer: tuple[Path, dict[str, str]],
) -> None:
    old, pages = old_computer
    _use(monkeypatch, f"sqlite:///{old}")
    backup = tmp_path / "usb" / "upright-backup.db"
    assert runner.invoke(cli, ["backup", "-o", str(backup)]).exit_code == 0
    new = tmp_path / "new" / "data" / "upright.db"  # nothing there yet
    _use(monkeypatch, f"sqlite:///{new}")
    r = runner.invoke(cli, ["restore", str(backup)])  # nothing to replace: no question asked
    assert r.exit_code == 0, r.output
    assert "Restored." in r.output
    app = create_app(Settings(database_url=f"sqlite:///{new}"), catalog=catalog)
    with fixed_client(app, Clock(START + timedelta(days=16))) as client:
        assert shown_pages(client) == pages
    app.state.db.dispose()


def _other_data(path: Path, catalog: Catalog) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{path}"), catalog=catalog)
    with fixed_client(app, Clock(START + timedelta(days=30))) as client:
        assert client.post("/api/me/checkins", json={"pain": 7}).status_code == 201
    app.state.db.dispose()


def test_restore_asks_first_and_keeps_the_replaced_data_aside(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    catalog: Catalog,
    old_computer: tuple[Path, dict[str, str]],
) -> None:
    _use(monkeypatch, f"sqlite:///{old_computer[0]}")
    backup = tmp_path / "b.db"
    assert runner.invoke(cli, ["backup", "-o", str(backup)]).exit_code == 0
    here = tmp_path / "here" / "upright.db"
    here.parent.mkdir()
    _other_data(here, catalog)
    _use(monkeypatch, f"sqlite:///{here}")

    no = runner.invoke(cli, ["restore", str(backup)], input="n\n")
    assert no.exit_code == 1 and "Replace your data with this backup?" in no.output
    assert "Nothing was changed." in no.output
    assert _count(here, "sessions") == 0 and _count(here, "pain_reports") == 1
    assert not list(here.parent.glob("*.before-restore-*"))

    yes = runner.invoke(cli, ["restore", str(backup)], input="y\n")
    assert yes.exit_code == 0, yes.output
    assert _count(here, "sessions") == 6
    (aside,) = here.parent.glob("upright.db.before-restore-*")
    assert str(aside) in yes.output.replace("\n", "")  # a path: wrapped without a space
    assert _rows(aside, "SELECT score FROM pain_reports") == [(7,)]  # the replaced data, whole
    assert aside.stat().st_mode & 0o777 == 0o600


def test_restore_refuses_while_the_server_runs(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    catalog: Catalog,
    old_computer: tuple[Path, dict[str, str]],
) -> None:
    _use(monkeypatch, f"sqlite:///{old_computer[0]}")
    backup = tmp_path / "b.db"
    assert runner.invoke(cli, ["backup", "-o", str(backup)]).exit_code == 0
    here = tmp_path / "here.db"
    _other_data(here, catalog)
    port = _free_port()
    env = {**os.environ, "UPRIGHT_DATABASE_URL": f"sqlite:///{here}"}
    server = subprocess.Popen(
        [sys.executable, "-c", "from upright.cli import main; main()", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/settings", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "upright serve did not start"
            time.sleep(0.2)
        _use(monkeypatch, f"sqlite:///{here}")
        r = runner.invoke(cli, ["restore", str(backup), "--yes"])
        assert r.exit_code == 1
        assert "Upright is running" in r.output and "Stop it first" in r.output
        assert _count(here, "sessions") == 0
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    r = runner.invoke(cli, ["restore", str(backup), "--yes"])
    assert r.exit_code == 0, r.output
    assert _count(here, "sessions") == 6


def test_restore_refuses_files_that_are_not_upright_backups(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, catalog: Catalog
) -> None:
    here = tmp_path / "here.db"
    _other_data(here, catalog)
    _use(monkeypatch, f"sqlite:///{here}")
    notes = tmp_path / "notes.json"
    notes.write_text('{"hello": 1}')
    other_db = tmp_path / "music.db"
    with closing(sqlite3.connect(other_db)) as conn:
        conn.execute("CREATE TABLE songs (title TEXT)")
        conn.commit()
    cut = tmp_path / "cut.db"
    cut.write_bytes(here.read_bytes()[:5000])
    for path, words in [
        (notes, "not an Upright backup (it is not a database file)"),
        (other_db, "is a database, but not an Upright backup"),
        (cut, "cut.db"),
        (tmp_path / "missing.db", "there is no file"),
    ]:
        r = runner.invoke(cli, ["restore", str(path), "--yes"])
        assert r.exit_code == 1, r.output
        assert words in _said(r), r.output
    assert _rows(here, "SELECT score FROM pain_reports") == [(7,)]


def test_restore_refuses_a_backup_from_a_newer_upright(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    catalog: Catalog,
    old_computer: tuple[Path, dict[str, str]],
) -> None:
    future = tmp_path / "future.db"
    shutil.copy(old_computer[0], future)
    with closing(sqlite3.connect(future)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_teleport'")
        conn.commit()
    here = tmp_path / "here.db"
    _other_data(here, catalog)
    _use(monkeypatch, f"sqlite:///{here}")
    r = runner.invoke(cli, ["restore", str(future), "--yes"])
    assert r.exit_code == 1
    assert "comes from a newer Upright (database version 0099_teleport)" in _said(r)
    assert "update Upright first" in _said(r)
    assert _count(here, "pain_reports") == 1


def test_a_backup_from_an_older_upright_is_brought_up_to_date(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    old = tmp_path / "from-0001.db"
    engine = make_engine(f"sqlite:///{old}")
    migrate(engine, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO people (id, key, created_at) VALUES (1, 'local', '2026-01-05 10:00:00')"
        )
    engine.dispose()
    here = tmp_path / "here.db"
    _use(monkeypatch, f"sqlite:///{here}")
    r = runner.invoke(cli, ["restore", str(old), "--yes"])
    assert r.exit_code == 0, r.output
    assert "database version 0001" in r.output
    db = open_database(f"sqlite:///{here}", run_migrations=False)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM break_events").scalar() == 0  # the newer tables
        assert conn.exec_driver_sql("SELECT key FROM people").scalar() == "local"
    db.dispose()


def test_settings_download_a_backup_gives_a_file_restore_takes(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    catalog: Catalog,
    old_computer: tuple[Path, dict[str, str]],
) -> None:
    old, pages = old_computer
    app = create_app(Settings(database_url=f"sqlite:///{old}"), catalog=catalog)
    with fixed_client(app, Clock(START + timedelta(days=16))) as client:
        assert 'href="/settings/backup"' in client.get("/settings").text
        r = client.get("/settings/backup")
    app.state.db.dispose()
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="upright-backup-2026-09-23.db"'
    assert r.headers["cache-control"] == "no-store"
    assert r.content.startswith(b"SQLite format 3\x00")
    downloaded = tmp_path / "Downloads" / "upright-backup-2026-09-23.db"
    downloaded.parent.mkdir()
    downloaded.write_bytes(r.content)
    new = tmp_path / "new.db"
    _use(monkeypatch, f"sqlite:///{new}")
    assert runner.invoke(cli, ["restore", str(downloaded)]).exit_code == 0
    app = create_app(Settings(database_url=f"sqlite:///{new}"), catalog=catalog)
    with fixed_client(app, Clock(START + timedelta(days=16))) as client:
        assert shown_pages(client) == pages
    app.state.db.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from _postgres_database()


@pytest.mark.postgres
def test_postgresql_points_to_pg_dump(monkeypatch: pytest.MonkeyPatch, pg_url: str, catalog: Catalog) -> None:
    _use(monkeypatch, pg_url)
    password = make_url(pg_url).password
    for args in (["backup", "-o", "x.db"], ["restore", "x.db", "--yes"]):
        r = runner.invoke(cli, args)
        assert r.exit_code == 1
        assert "pg_dump --format=custom" in r.output and "pg_restore --clean" in r.output
        assert not password or str(password) not in r.output
    app = create_app(Settings(database_url=pg_url), catalog=catalog)
    with fixed_client(app, Clock(START)) as client:
        page = client.get("/settings/backup")
    app.state.db.dispose()
    assert page.status_code == 200 and "pg_dump --format=custom" in page.text
