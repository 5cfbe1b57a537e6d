"""Several server processes on one database (`upright serve --workers N`, or a clinic's servers side by
side): a session result sent at the same moment to both is stored once, none is lost, and each server's
Today shows what the other just stored. Real processes, real databases (SQLite file and PostgreSQL).

Results carry fixed past times (the servers read their own clocks at the edge; nothing here depends on
what day the test runs). Today's last pain score is the newest pain any write stored, so it shows at
once whether a page is stale."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.patient_fixtures import db_url  # noqa: F401 (fixture)
from tests.patient_helpers import onboard, result_from_script
from upright.catalog import Catalog

pytestmark = pytest.mark.processes

BASE = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, url: str, tmp: Path, *, workers: int = 1) -> None:
        self.port = _free_port()
        env = {**os.environ, "UPRIGHT_DATABASE_URL": url, "XDG_CACHE_HOME": str(tmp / "cache")}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "upright.cli",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
            ],
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=(tmp / f"server-{self.port}.log").open("wb"),
        )
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=60)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((tmp / f"server-{self.port}.log").read_text())
            try:
                if self.client.get("/api/me/today").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.client.close()
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Any]:
    started: list[Server] = []

    def _start(url: str, *, workers: int = 1) -> Server:
        started.append(Server(url, tmp_path, workers=workers))
        return started[-1]

    yield _start
    for server in started:
        server.stop()


def _result(script: dict[str, Any], n: int, *, pain: int) -> dict[str, Any]:
    started = BASE + timedelta(hours=n)
    return result_from_script(script, now=started, pain=pain, started=started, client_id=uuid.uuid4().hex)


def _last_pain(server: Server) -> int:
    """The last pain score in the server's Today, as JSON and on the (cached) Today page: they agree."""
    today = server.client.get("/api/me/today")
    assert today.status_code == 200
    score = int(today.json()["last_pain"]["score"])
    page = server.client.get("/today")
    assert page.status_code == 200
    assert f'<span class="fact-number">{score} of 10</span> last pain score' in page.text
    return score


def test_two_servers_store_each_result_once_and_neither_shows_a_stale_today(
    db_url: str,  # noqa: F811
    catalog: Catalog,
    start: Any,
) -> None:
    a = start(db_url)
    b = start(db_url)
    script = onboard(a.client, catalog)  # type: ignore[arg-type]

    # Each server's Today after the other's write.
    for n, (writer, reader) in enumerate([(a, b), (b, a), (a, b), (b, a)]):
        pain = n + 1
        assert writer.client.post("/api/me/sessions", json=_result(script, n, pain=pain)).status_code == 201
        assert _last_pain(reader) == pain
    checkin = b.client.post("/api/me/checkins", json={"pain": 7})
    assert checkin.status_code == 201
    assert _last_pain(a) == 7

    # Many results at once, each sent to both servers at the same moment.
    results = [_result(script, 10 + n, pain=1) for n in range(12)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        sent = [
            pool.submit(server.client.post, "/api/me/sessions", json=r) for r in results for server in (a, b)
        ]
        statuses = [f.result().status_code for f in sent]
    per_result = [sorted(statuses[i : i + 2]) for i in range(0, len(statuses), 2)]
    assert per_result == [[200, 201]] * len(results)  # stored once; the other answer says "already stored"
    stored = [s["client_id"] for s in a.client.get("/api/me/sessions", params={"limit": 1000}).json()]
    assert len(stored) == len(set(stored)) == 4 + len(results)  # none doubled
    assert {r["client_id"] for r in results} <= set(stored)  # none lost


def test_one_server_with_two_worker_processes_stores_each_result_once(
    db_url: str,  # noqa: F811
    catalog: Catalog,
    start: Any,
) -> None:
    server = start(db_url, workers=2)
    script = onboard(server.client, catalog)  # type: ignore[arg-type]
    results = [_result(script, n, pain=2) for n in range(10)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        # Each result twice, on separate connections: the two may land in different worker processes.
        sent = [pool.submit(httpx.post, f"http://127.0.0.1:{server.port}/api/me/sessions", json=r, timeout=60)
                for r in results for _ in range(2)]  # fmt: skip
        statuses = [f.result().status_code for f in sent]
    assert [sorted(statuses[i : i + 2]) for i in range(0, len(statuses), 2)] == [[200, 201]] * len(results)
    stored = server.client.get("/api/me/sessions", params={"limit": 1000}).json()
    assert sorted(s["client_id"] for s in stored) == sorted(r["client_id"] for r in results)
    checkin = server.client.post("/api/me/checkins", json={"pain": 6})
    assert checkin.status_code == 201
    for _ in range(6):  # new connections: whichever worker answers shows the new score
        assert (
            int(httpx.get(f"http://127.0.0.1:{server.port}/api/me/today").json()["last_pain"]["score"]) == 6
        )
