"""Clinic mode on two server processes sharing one database (issue 15): a login made on one works on
the other, a logout on one ends it on both, failed logins count across both, and the audit rows that
both write at once form one unbroken chain. Real processes; SQLite file and PostgreSQL."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.patient_fixtures import db_url  # noqa: F401 (fixture)
from upright.services import audit
from upright.services.accounts import add_user
from upright.services.login import ACCOUNT_TRIES
from upright.store import open_database

pytestmark = pytest.mark.processes
PASSWORD = "a long enough password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, url: str, tmp: Path) -> None:
        self.port = _free_port()
        env = {**os.environ, "UPRIGHT_DATABASE_URL": url, "UPRIGHT_MODE": "clinic",
               "XDG_CACHE_HOME": str(tmp / "cache")}  # fmt: skip
        log = tmp / f"server-{self.port}.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "upright.cli", "serve", "--port", str(self.port)],
            env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=log.open("wb"),
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(log.read_text())
            try:
                httpx.get(self.url + "/login", timeout=5)
                return
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


@pytest.fixture
def servers(db_url: str, tmp_path: Path) -> Iterator[tuple[Server, Server]]:  # noqa: F811
    db = open_database(db_url)
    now = datetime.now(UTC)  # the servers run on the real clock; accounts made at the same moment
    with db.transaction() as s:
        add_user(s, email="doc@example.org", role="clinician", password=PASSWORD, now=now)
        add_user(s, email="pat@example.org", role="patient", password=PASSWORD, clinician_email="doc@example.org",
                 now=now)  # fmt: skip
    db.dispose()
    a, b = Server(db_url, tmp_path), Server(db_url, tmp_path)
    yield a, b
    a.stop()
    b.stop()


def _log_in(client: httpx.Client, email: str) -> str:
    response = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    token: str = response.json()["csrf_token"]
    return token


def test_a_session_made_on_one_server_works_and_ends_on_both(servers: tuple[Server, Server]) -> None:
    a, b = servers
    with a.client() as on_a, b.client() as on_b:
        token = _log_in(on_a, "pat@example.org")
        on_b.cookies.set("upright_session", on_a.cookies["upright_session"])
        headers = {"X-CSRF-Token": token}
        assert on_b.patch("/api/me/profile", json={"minutes": 25}, headers=headers).status_code == 200
        assert on_a.get("/api/me/profile").json()["minutes"] == 25
        assert on_b.post("/api/auth/logout", headers=headers).status_code == 204
        assert on_a.get("/api/me/profile").status_code == 401


def test_failed_logins_count_across_servers(servers: tuple[Server, Server]) -> None:
    a, b = servers
    with a.client() as on_a, b.client() as on_b:
        for n in range(ACCOUNT_TRIES):
            server = on_a if n % 2 else on_b
            assert (
                server.post(
                    "/api/auth/login", json={"email": "doc@example.org", "password": "a wrong guess"}
                ).status_code
                == 422
            )
        assert (
            on_a.post("/api/auth/login", json={"email": "doc@example.org", "password": PASSWORD}).status_code
            == 429
        )
        assert (
            on_b.post("/api/auth/login", json={"email": "doc@example.org", "password": PASSWORD}).status_code
            == 429
        )


def test_audit_rows_from_both_servers_form_one_chain(servers: tuple[Server, Server], db_url: str) -> None:  # noqa: F811
    a, b = servers
    clients: list[Any] = []
    for server in (a, b, a, b):
        c = server.client()
        _log_in(c, "pat@example.org")
        clients.append(c)

    def read(c: httpx.Client) -> list[int]:
        return [c.get("/api/me/profile").status_code for _ in range(10)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = [s for result in pool.map(read, clients) for s in result]
    for c in clients:
        c.close()
    assert statuses == [200] * 40
    db = open_database(db_url)
    with db.transaction() as s:
        count, broken = audit.verify(s)
    db.dispose()
    assert broken is None and count == 40
