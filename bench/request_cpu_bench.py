"""CPU per request, in process: the Today page (a cache hit) and the session-result POST against the
hello-world twins of web_bench.py, each called as an ASGI app directly (no HTTP, no load generator).

    uv run python bench/request_cpu_bench.py [--requests 500] [--database-url URL]

The server's own share of a request, without the network or uvicorn: steadier than web_bench.py on a
busy machine (CPU time, not wall time), and the number to look at when a change moves the work a
request does. Each target runs `--requests` times after a warm-up; every POST carries a new client id,
so each is a real stored write (result, exercises, pain score, the plan's doses, alerts). The database
is the one web_bench.py prepares (a person eight weeks in)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.web_bench import hello_app, prepare  # noqa: E402  (the folder above on the path first)

Asgi = Callable[..., Any]


async def _call(app: Asgi, method: str, path: str, payload: dict[str, Any] | None = None) -> int:
    """One request through `app`, the way a server hands it over; returns the status."""
    data = json.dumps(payload).encode() if payload is not None else b""
    headers = [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
               (b"content-length", str(len(data)).encode())]  # fmt: skip
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
             "root_path": "", "headers": headers, "client": ("127.0.0.1", 50000),
             "server": ("127.0.0.1", 8000), "state": {}}  # fmt: skip
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": data, "more_body": False}
        await asyncio.Event().wait()  # no disconnect while the request runs
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def _measure(app: Asgi, method: str, path: str, body: dict[str, Any] | None, n: int) -> float:
    """CPU ms per request over `n` requests (after 30 to warm up)."""

    def payload() -> dict[str, Any] | None:
        return None if body is None else {**body, "client_id": uuid.uuid4().hex}

    for _ in range(30):
        status = await _call(app, method, path, payload())
        if status >= 300:
            raise SystemExit(f"{method} {path} answered {status}")
    payloads = [payload() for _ in range(n)]
    start = time.process_time()
    for p in payloads:
        await _call(app, method, path, p)
    return (time.process_time() - start) / n * 1000


async def _run(database_url: str, n: int) -> dict[str, float]:
    from upright.config import Settings
    from upright.web.app import create_app

    body = prepare(database_url)
    upright = create_app(Settings(database_url=database_url))
    hello = hello_app()
    out: dict[str, float] = {}
    async with upright.router.lifespan_context(upright):
        out["hello GET"] = await _measure(hello, "GET", "/hello", None, n)
        out["Today (cache hit)"] = await _measure(upright, "GET", "/today", None, n)
        out["hello POST"] = await _measure(hello, "POST", "/hello", body, n)
        out["session POST"] = await _measure(upright, "POST", "/api/me/sessions", body, n)
    upright.state.db.dispose()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='upright-bench-')) / 'bench.db'}"
    out = asyncio.run(_run(url, args.requests))
    print(f"\nCPU per request, in process ({url.split(':')[0]}, {args.requests} requests each):")
    print(f"{'target':<20}{'CPU ms':>8}{'x hello':>9}")
    for name, base in (("hello GET", None), ("Today (cache hit)", "hello GET"), ("hello POST", None),
                       ("session POST", "hello POST")):  # fmt: skip
        times = f"{out[name] / out[base]:.1f}" if base else ""
        print(f"{name:<20}{out[name]:>8.2f}{times:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
