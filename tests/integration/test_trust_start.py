"""Issue 11 at start-up and on disk: strict UPRIGHT_MODE, a bad UPRIGHT_DATABASE_URL is one line (and
makes no folders), health data files are 0600 in a 0700 folder, and listening beyond loopback needs an
access code (stored hashed), a login and a calendar token."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from tests.patient_fixtures import db_url
from upright.cli import app as cli
from upright.config import Settings, get_settings
from upright.store import open_database
from upright.store.db import make_engine

__all__ = ["db_url"]

runner = CliRunner()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _upright(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The real `upright` command in a child process (what a person types), with these settings."""
    code = "from upright.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


# --- 4. UPRIGHT_MODE ----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["Personal", "clinc", "PERSONAL", ""])
def test_an_unknown_mode_is_an_error_at_start(tmp_path: Path, mode: str) -> None:
    env = {"UPRIGHT_MODE": mode, "UPRIGHT_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    done = _upright("serve", "--host", "0.0.0.0", "--port", "8799", env=env)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) <= 2 and "UPRIGHT_MODE" in done.stderr and "Traceback" not in done.stderr


def test_clinic_mode_beyond_loopback_needs_tls_in_front(tmp_path: Path) -> None:
    env = {"UPRIGHT_MODE": "clinic", "UPRIGHT_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    done = _upright("serve", "--host", "0.0.0.0", "--port", "8799", env=env)
    assert done.returncode == 2 and "UPRIGHT_BEHIND_TLS" in done.stderr and "Traceback" not in done.stderr


# --- 9. UPRIGHT_DATABASE_URL ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "nonsense",
        "mysql://me@localhost/x",
        "postgresql://nobody@127.0.0.1:1/none",
        "sqlite:///{tmp}/no/such/folder/x.db",
    ],
)
def test_a_bad_database_url_is_one_line(tmp_path: Path, url: str) -> None:
    url = url.replace("{tmp}", str(tmp_path))
    done = _upright("breaks", "status", env={"UPRIGHT_DATABASE_URL": url})
    assert done.returncode == 1, done.stderr
    assert "UPRIGHT_DATABASE_URL" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) <= 2, done.stderr
    assert not (tmp_path / "no").exists()  # no folders made for a typo


# --- 5. File modes ------------------------------------------------------------------------------------


def test_the_database_and_its_wal_are_the_owners_alone(tmp_path: Path) -> None:
    path = tmp_path / "upright.db"
    db = open_database(f"sqlite:///{path}")
    with db.transaction() as s:
        s.execute(text("CREATE TABLE scratch (x INTEGER)"))
        s.execute(text("INSERT INTO scratch VALUES (1)"))
    with db.engine.connect() as conn:  # keep a reader open so the WAL and SHM stay on disk
        conn.execute(text("SELECT * FROM scratch")).all()
        for name in ("upright.db", "upright.db-wal", "upright.db-shm"):
            assert _mode(tmp_path / name) == 0o600, name
    db.dispose()


def test_existing_files_are_tightened(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    open_database(f"sqlite:///{path}").dispose()
    for suffix in ("", "-wal", "-shm"):
        p = tmp_path / f"old.db{suffix}"
        p.touch()
        p.chmod(0o644)
    open_database(f"sqlite:///{path}").dispose()
    assert _mode(path) == 0o600
    for suffix in ("-wal", "-shm"):
        p = tmp_path / f"old.db{suffix}"
        assert not p.exists() or _mode(p) == 0o600


def test_the_default_data_folder_is_made_0700_and_tightened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("UPRIGHT_DATABASE_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = tmp_path / "data" / "upright"
    folder.mkdir(parents=True, mode=0o755)
    folder.chmod(0o755)
    url = Settings().effective_database_url
    assert _mode(folder) == 0o700
    open_database(url).dispose()
    assert _mode(folder / "upright.db") == 0o600


def test_files_the_cli_writes_are_0600(tmp_path: Path) -> None:
    out = tmp_path / "breaks.ics"
    out.write_bytes(b"old")
    out.chmod(0o644)
    get_settings.cache_clear()
    result = runner.invoke(cli, ["breaks", "ics", "-o", str(out), "--tz", "Europe/Paris"])
    assert result.exit_code == 0, result.output
    assert _mode(out) == 0o600 and out.read_bytes().startswith(b"BEGIN:VCALENDAR")
    export = tmp_path / "my-data.json"
    export.write_text("old")
    export.chmod(0o644)  # a file from before: tightened when it is written again
    result = runner.invoke(cli, ["export", "json", "-o", str(export)])
    assert result.exit_code == 0, result.output
    assert _mode(export) == 0o600 and '"upright-export"' in export.read_text()


# --- 10. Logs without SQL parameters ----------------------------------------------------------------------


def test_database_errors_never_carry_the_values(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, words VARCHAR(40))"))
        conn.execute(text("INSERT INTO notes VALUES (1, 'first')"))
    with pytest.raises(Exception) as caught, engine.begin() as conn:
        conn.execute(
            text("INSERT INTO notes VALUES (:id, :words)"), {"id": 1, "words": "sharp pain in my neck"}
        )
    assert "sharp pain" not in str(caught.value)
    engine.dispose()


# --- 3. Remote access ---------------------------------------------------------------------------------


def _serve(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[Any, list[Any]]:
    """Run `upright serve` up to the point where it would listen (uvicorn.run is the edge we stop at)."""
    started: list[Any] = []
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append(app))
    get_settings.cache_clear()
    return runner.invoke(cli, ["serve", *args]), started


def test_allow_remote_without_an_access_code_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    result, started = _serve(monkeypatch, "--host", "0.0.0.0", "--allow-remote")
    assert result.exit_code == 2 and not started
    assert "access code" in "".join(result.output.split(" ")) or "access" in result.output
    result, started = _serve(monkeypatch, "--host", "0.0.0.0")
    assert result.exit_code == 2 and not started
    monkeypatch.setenv("UPRIGHT_ACCESS_CODE", "short")
    result, started = _serve(monkeypatch, "--host", "0.0.0.0", "--allow-remote")
    assert result.exit_code == 1 and not started and "12" in result.output


def test_remote_access_needs_a_login_and_keeps_only_a_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    code = "correct horse battery"
    monkeypatch.setenv("UPRIGHT_ACCESS_CODE", code)
    result, started = _serve(monkeypatch, "--host", "0.0.0.0", "--port", "8321", "--allow-remote")
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "WARNING" in flat and "NOT encrypted" in flat and "TLS" in flat
    app = started[0]
    with app.state.db.engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT name, value FROM install_secrets")).all())
    assert stored["access_hash"].startswith("$argon2") and code not in str(stored)

    with TestClient(app, base_url="http://127.0.0.1:8321", follow_redirects=False) as c:
        assert c.get("/api/me/export").status_code == 401
        r = c.get("/today")
        assert r.status_code == 303 and r.headers["location"] == "/login"
        assert c.delete("/api/me").status_code == 401
        login = c.get("/login")
        assert login.status_code == 200 and 'name="csrf_token"' in login.text
        token = app.state.csrf_token
        wrong = c.post("/login", data={"access_code": "guess", "csrf_token": token})
        assert wrong.status_code == 401 and "not right" in wrong.text
        assert c.get("/api/me/export").status_code == 401
        assert c.get("/calendar/breaks.ics").status_code == 404  # no token in the address
        feed = c.get(f"/calendar/breaks.ics?key={app.state.calendar_token}")
        assert feed.status_code == 200 and "BEGIN:VCALENDAR" in feed.text
        ok = c.post("/login", data={"access_code": code, "csrf_token": token})
        assert ok.status_code == 303 and "httponly" in ok.headers["set-cookie"].lower()
        assert "samesite=strict" in ok.headers["set-cookie"].lower()
        assert c.get("/api/me/export").status_code == 200
        breaks = c.get("/breaks").text
        assert f"webcal://0.0.0.0:8321/calendar/breaks.ics?key={app.state.calendar_token}" not in breaks
        assert f"key={app.state.calendar_token}" in breaks
    app.state.db.dispose()


def test_a_new_access_code_is_made_up_and_shown_once(monkeypatch: pytest.MonkeyPatch) -> None:
    result, started = _serve(monkeypatch, "--host", "0.0.0.0", "--allow-remote", "--new-access-code")
    assert result.exit_code == 0, result.output
    shown = result.output.split("shown once):")[1].split()[0]
    assert len(shown) >= 24
    # The next start finds the stored hash: no code needed again.
    result, started = _serve(monkeypatch, "--host", "0.0.0.0", "--allow-remote")
    assert result.exit_code == 0 and started
