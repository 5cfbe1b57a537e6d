"""`make run` on a fresh copy of the project: it installs only what runs (no test, lint or browser
tools), and the first page answers. uv works offline from the shared cache that `make setup` filled,
so the test downloads nothing."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.processes

ROOT = Path(__file__).resolve().parents[2]
DEV_ONLY = ("pytest", "playwright", "mypy", "ruff", "hypothesis")


def _fresh_copy(into: Path) -> Path:
    """What a clone holds (no .venv, no caches): the build files and the source."""
    into.mkdir()
    for name in ("Makefile", "pyproject.toml", "uv.lock", "README.md"):
        shutil.copy2(ROOT / name, into / name)
    shutil.copytree(ROOT / "src", into / "src", ignore=shutil.ignore_patterns("__pycache__"))
    return into


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT")}
    # As a person's shell would be: not inside the test run's own virtual environment (under `uv run`
    # its bin folder comes first on PATH, and `python3 -m uv` there finds no uv).
    venv_bin = str(Path(sys.prefix) / "bin")
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    env["UV_CACHE_DIR"] = os.environ.get("UV_CACHE_DIR") or str(ROOT / ".cache" / "uv")
    env["UV_OFFLINE"] = "1"
    env["UPRIGHT_DATABASE_URL"] = f"sqlite:///{tmp / 'first.db'}"
    env["XDG_CACHE_HOME"] = str(tmp / "cache")
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_make_run_installs_only_the_runtime_and_the_first_page_answers(tmp_path: Path) -> None:
    project = _fresh_copy(tmp_path / "clone")
    env = _env(tmp_path)
    port = _free_port()
    server = subprocess.Popen(
        ["make", "-s", "run", f"SERVE_ARGS=--port {port}"],
        cwd=project,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 240  # the install copies packages; a busy CI machine is slow
        answer = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/", follow_redirects=True, timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.5)
        assert answer is not None, "make run stopped or never answered"
        assert answer.status_code == 200
        assert "Upright" in answer.text
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=30)[0].decode(errors="replace")
    python = project / ".venv" / "bin" / "python"
    for tool in DEV_ONLY:
        found = subprocess.run([python, "-c", f"import {tool}"], capture_output=True, check=False)
        assert found.returncode != 0, f"make run installed {tool}, a dev-only tool\n{output}"
