"""kill -9 in the middle of a stream of results, on SQLite and PostgreSQL (issue 11).

A real `upright serve` process gets session and break-routine results from several threads at once,
each with its own key. The process is killed with SIGKILL mid-stream, started again, and every result
is sent again (acknowledged or not, as players do). Then: every acknowledged result is stored, and
every result exactly once: no session, no pain report doubled."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.patient_fixtures import db_url
from tests.patient_helpers import onboard, result_from_script
from upright.catalog import Catalog

# The server under test is a real process on the real clock (it reads no date the test sets), so
# this test runs once, in the main pass, not again under the faked clocks.
pytestmark = pytest.mark.processes

__all__ = ["db_url"]

SENDERS = 4
KILL_AFTER = 24  # acknowledged results before the kill


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`upright serve` in a child process (the real command), killed with SIGKILL on demand."""

    def __init__(self, database_url: str, folder: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "UPRIGHT_DATABASE_URL": database_url,
                    "HOME": str(folder)}  # fmt: skip
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        code = "from upright.cli import main; main()"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, "serve", "--port", str(self.port)],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/api/me/profile", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("upright serve did not start")

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[Server]:
    s = Server(db_url, tmp_path)
    s.start()
    yield s
    s.stop()


def _routine(n: int, now: datetime) -> dict[str, Any]:
    """A break routine stopped for pain: its one pain report is told apart by its time."""
    at = now.replace(microsecond=0) - timedelta(hours=1) + timedelta(seconds=n)
    return {
        "client_id": f"routine-{n:04d}-{uuid.uuid4().hex[:8]}",
        "started_at": (at - timedelta(seconds=60)).isoformat(),
        "ended_at": at.isoformat(),
        "outcome": "stopped_for_pain",
        "items": [],
        "pain_reports": [{"at": at.isoformat(), "score": 4, "action": "end"}],
    }


def test_acknowledged_results_survive_kill_9_exactly_once(server: Server, catalog: Catalog) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as setup:
        script = onboard(setup, catalog)  # type: ignore[arg-type]
    # The server is a real process on the real clock: this test's one reading of it, at the edge.
    now = datetime.now(UTC)
    results: list[tuple[str, dict[str, Any]]] = []
    for n in range(SENDERS * 40):
        if n % 2:
            results.append(("/api/me/breaks/routine/done", _routine(n, now)))
        else:
            body = result_from_script(script, now=now, client_id=f"session-{n:04d}-{uuid.uuid4().hex[:8]}")
            results.append(("/api/me/sessions", body))
    acknowledged: set[str] = set()
    refused: list[str] = []  # any other answer before the kill is a bug
    lock = threading.Lock()
    killed = threading.Event()

    def sender(share: list[tuple[str, dict[str, Any]]]) -> None:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            for url, body in share:
                try:
                    r = c.post(url, json=body)
                except httpx.HTTPError:
                    continue  # the server is gone: not acknowledged
                if r.status_code in (200, 201):
                    with lock:
                        acknowledged.add(body["client_id"])
                        if len(acknowledged) >= KILL_AFTER and not killed.is_set():
                            killed.set()
                else:
                    refused.append(f"{r.status_code} {r.text[:200]}")

    threads = [threading.Thread(target=sender, args=(results[i::SENDERS],)) for i in range(SENDERS)]
    for t in threads:
        t.start()
    assert killed.wait(timeout=300), "too few results were acknowledged before the kill"
    server.kill()
    for t in threads:
        t.join(timeout=120)
    assert KILL_AFTER <= len(acknowledged) < len(results), "the kill must come mid-stream"
    assert refused == []

    server.start()
    with httpx.Client(base_url=server.url, timeout=30) as c:
        for url, body in results:  # every player sends again what it has not seen stored
            r = c.post(url, json=body)
            assert r.status_code in (200, 201), r.text
        export = c.get("/api/me/export").json()

    sessions = Counter(s["client_id"] for s in export["sessions"])
    sent_sessions = {b["client_id"] for u, b in results if u.endswith("/sessions")}
    assert set(sessions) == sent_sessions and set(sessions.values()) == {1}
    assert {k for k in acknowledged if k.startswith("session-")} <= set(sessions)
    during = Counter(p["taken_at"] for p in export["pain_reports"] if p["context"] == "during")
    sent_routines = [b for u, b in results if u.endswith("/done")]
    for body in sent_routines:
        at = datetime.fromisoformat(body["pain_reports"][0]["at"]).isoformat()
        assert during[at] == 1, (body["client_id"], during[at])
    ends = [p for p in export["pain_reports"] if p["context"] == "end"]
    assert len(ends) == len(sent_sessions)  # one check-in per session, none doubled
