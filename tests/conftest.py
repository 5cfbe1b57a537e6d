"""Fixtures for every test layer: the real catalog, app factories and a live server on loopback."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from upright.catalog import Catalog, load_catalog
from upright.config import Settings


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test reads the developer's real data folder or environment."""
    from upright.config import get_settings

    for key in list(os.environ):
        if key.startswith("UPRIGHT_") and key != "UPRIGHT_TEST_POSTGRES_URL":
            monkeypatch.delenv(key)
    monkeypatch.setenv("UPRIGHT_DATABASE_URL", f"sqlite:///{tmp_path / 'upright.db'}")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., FastAPI]:
    """make_app(database_url=None, **settings) -> a fresh app on its own SQLite file.

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
