"""Fixtures for every test layer: the real catalog, app factories and a live server on loopback."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import uvicorn
from fastapi import FastAPI

from upright.catalog import Catalog, load_catalog
from upright.config import Settings


@pytest.fixture(scope="session")
def _test_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache-home")


@pytest.fixture(autouse=True)
def _isolated_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, _test_cache_home: Path
) -> Iterator[None]:
    """No test reads the developer's real data folder, cache folder or environment."""
    from upright.config import get_settings

    for key in list(os.environ):
        if key.startswith("UPRIGHT_") and key != "UPRIGHT_TEST_POSTGRES_URL":
            monkeypatch.delenv(key)
    monkeypatch.setenv("UPRIGHT_DATABASE_URL", f"sqlite:///{tmp_path / 'upright.db'}")
    monkeypatch.setenv("XDG_CACHE_HOME", str(_test_cache_home))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(autouse=True, scope="session")
def _cheap_secret_hashing() -> Iterator[None]:
    """Passwords and access codes are hashed with argon2id's cheapest parameters in tests: they check
    who may log in, not how slow a guess is (production's setting: tests/unit/test_secret_hash.py).
    Still the real hasher and the real checks; a hash keeps its parameters, so both kinds verify."""
    from argon2 import PasswordHasher, profiles

    from upright.services import secret_hash

    real = secret_hash._hasher
    secret_hash._hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
    yield
    secret_hash._hasher = real


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


# Every app a test makes runs on a clock the test owns, never the wall clock: a Wednesday at 10:30
# UTC, inside work hours on a weekday (the hour when a break reminder is most likely to get in the
# way). A test that needs another moment sets it (`test_clock.set(...)`, `test_clock.advance(...)`).
TEST_START = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)
TEST_ZONE = ZoneInfo("UTC")


class TestClock:
    """A clock that starts where the test says and runs at the speed of real time from there, so
    events keep their order (a check-in after a screening) while the date and hour stay the test's."""

    __test__ = False  # not a test class

    def __init__(self, start: datetime = TEST_START) -> None:
        self.set(start)

    def set(self, when: datetime) -> None:
        self._start, self._t0 = when, time.monotonic()

    def advance(self, **delta: float) -> None:
        self.set(self.now() + timedelta(**delta))

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._t0)


@pytest.fixture
def test_clock() -> TestClock:
    return TestClock()


@pytest.fixture(autouse=True)
def _on_the_test_clock(monkeypatch: pytest.MonkeyPatch, test_clock: TestClock) -> None:
    """Every command, page and service the tests run in-process reads the test's clock and zone
    (upright.clock is Upright's only reading of the wall clock and of the computer's time zone)."""
    from upright import clock

    monkeypatch.setattr(clock, "now", test_clock.now)
    monkeypatch.setattr(clock, "local_zone", lambda: TEST_ZONE)


@pytest.fixture
def make_app(tmp_path: Path, test_clock: TestClock) -> Callable[..., FastAPI]:
    """make_app(database_url=None, **settings) -> a fresh app on its own SQLite file, whose requests
    read the time from `test_clock` and the time zone TEST_ZONE (_on_the_test_clock: never this
    machine's clock or zone).

    "testserver" (the Host header of Starlette's TestClient) is allowed on top of the loopback names."""
    from upright.web.app import create_app

    def factory(database_url: str | None = None, **overrides: object) -> FastAPI:
        url = database_url or f"sqlite:///{tmp_path / 'app.db'}"
        overrides.setdefault("allowed_hosts", "testserver")
        return create_app(Settings(database_url=url, **overrides))  # type: ignore[arg-type]

    return factory


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """A real uvicorn server in a thread, on 127.0.0.1."""

    def __init__(self, app: FastAPI) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(make_app: Callable[..., FastAPI]) -> Iterator[LiveServer]:
    """A fresh app with an empty database, served on loopback for the browser and HTTP tests."""
    server = LiveServer(make_app()).start()
    yield server
    server.stop()
