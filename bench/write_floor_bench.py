"""The floor under the session-result POST's throughput ratio (issue 14): how close to a bare hello-world
POST can a POST that stores something get on this stack at all?

    uv run python bench/write_floor_bench.py [--seconds 5] [--clients 50]

One uvicorn process serves web_bench.py's hello-world POST and four POSTs that do nothing but store,
each a new row per request, on a SQLite file with Upright's settings (WAL, synchronous=NORMAL) and
Upright's shape of a write (async endpoint, one writer at a time, one worker-thread hop):

    one row, sqlite3            one INSERT and the commit, Python's sqlite3 module
    one row, SQLAlchemy         the same through SQLAlchemy Core on Upright's engine (store.db.make_engine)
    session shape, sqlite3      the statements a stored session result sends (8 reads by key, the
                                result row, 8 exercise rows, a pain score, the plan's JSON rewritten)
    session shape, SQLAlchemy   the same statements through SQLAlchemy Core, each built once

No checks, no doses, no alerts, no answer built from the data: whatever these reach is more than the
real POST can (web_bench.py measures that one). wrk drives each for `--seconds` over `--clients`
connections; the ratio is each POST's requests a second over hello world's (run first and last, the
mean). Prints numbers only."""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sqlite3
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import Request  # at the top: FastAPI reads the endpoints' annotations by name

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.web_bench import (  # noqa: E402  (the folder above on the path first)
    launch,
    serve_beside_hello,
    stop_server,
    wrk,
    wrk_post,
)

SCHEMA = (
    "CREATE TABLE plans (id INTEGER PRIMARY KEY, person_id INTEGER, body TEXT)",
    "CREATE TABLE results (id INTEGER PRIMARY KEY, person_id INTEGER, client_id TEXT, started TEXT, pain INTEGER)",
    "CREATE UNIQUE INDEX ix_results_client ON results (person_id, client_id)",
    "CREATE TABLE items (id INTEGER PRIMARY KEY, result_id INTEGER, position INTEGER, exercise TEXT, "
    "sets INTEGER, reps INTEGER, status TEXT)",
    "CREATE INDEX ix_items_result ON items (result_id)",
    "CREATE TABLE pains (id INTEGER PRIMARY KEY, person_id INTEGER, result_id INTEGER, score INTEGER)",
    "CREATE INDEX ix_pains_person ON pains (person_id)",
)
# A plan body the size of the bench person's (web_bench.py: about 27 KB of JSON, mostly dose history).
PLAN = {"items": [{"exercise": f"exercise-{n}", "dose": {"reps": 10, "hold_seconds": 5}} for n in range(8)],
        "changes": [{"session": f"s{k}", "reason": "x" * 2400} for k in range(10)]}  # fmt: skip
READS = (  # each by key, like the real POST's: its duplicate check, plan, screening, usual pain level
    "SELECT id FROM results WHERE person_id = 1 AND client_id = :c",  # (then settings, the clinician's
    "SELECT body FROM plans WHERE id = 1",  # word, the recent pain scores and the prescription)
    "SELECT score FROM pains WHERE person_id = 1 ORDER BY id DESC LIMIT 1",
    "SELECT score FROM pains WHERE person_id = 1 ORDER BY id LIMIT 1",
    "SELECT person_id FROM plans WHERE id = 1",
    "SELECT id FROM plans WHERE person_id = 1",
    "SELECT score FROM pains WHERE person_id = 1 ORDER BY id DESC LIMIT 10",
    "SELECT id FROM results WHERE person_id = 1 AND client_id = :c",
)
INSERT_RESULT = "INSERT INTO results (person_id, client_id, started, pain) VALUES (1, :c, '2026-11-30', 2)"
INSERT_ITEM = (
    "INSERT INTO items (result_id, position, exercise, sets, reps, status) VALUES (:r, :p, :e, 1, 10, 'done')"
)
INSERT_PAIN = "INSERT INTO pains (person_id, result_id, score) VALUES (1, :r, 2)"
UPDATE_PLAN = "UPDATE plans SET body = :b WHERE id = 1"


def _session_shape(execute: Callable[..., Any], many: Callable[..., Any], client_id: str) -> None:
    """The real POST's statements (store one result), against either driver."""
    for read in READS[:4]:
        execute(read, {"c": client_id})
    result_id = execute(INSERT_RESULT, {"c": client_id})
    many(INSERT_ITEM, [{"r": result_id, "p": n, "e": f"exercise-{n}"} for n in range(8)])
    execute(INSERT_PAIN, {"r": result_id})
    execute(UPDATE_PLAN, {"b": json.dumps(PLAN)})
    for read in READS[4:]:
        execute(read, {"c": client_id})


def floor_app(path: str) -> Any:
    """The four store-only POSTs (see the module's docstring) on the SQLite file at `path`."""
    import sqlalchemy as sa
    from fastapi import FastAPI
    from fastapi.concurrency import run_in_threadpool

    from upright.store.db import make_engine

    engine = make_engine(f"sqlite:///{path}")
    # Upright's server copies the log into the file beside the requests (web/checkpoints.py); here no
    # request pays for a checkpoint either (the log just grows for the few seconds of the run).
    sa.event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA wal_autocheckpoint=0"))
    with engine.begin() as c:
        for ddl in SCHEMA:
            c.execute(sa.text(ddl))
        c.execute(
            sa.text("INSERT INTO plans (id, person_id, body) VALUES (1, 1, :b)"), {"b": json.dumps(PLAN)}
        )
    built = {text: sa.text(text) for text in (*READS, INSERT_RESULT, INSERT_ITEM, INSERT_PAIN, UPDATE_PLAN)}
    local = threading.local()

    def raw() -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(local, "conn", None)
        if conn is None:  # one per worker thread, with Upright's settings (store/db.py)
            conn = local.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            for pragma in (
                "journal_mode=WAL",
                "synchronous=NORMAL",
                "busy_timeout=30000",
                "wal_autocheckpoint=0",
            ):
                conn.execute(f"PRAGMA {pragma}")
        return conn

    def raw_one(client_id: str) -> None:
        conn = raw()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(INSERT_RESULT, {"c": client_id})
        conn.execute("COMMIT")

    def raw_session(client_id: str) -> None:
        conn = raw()
        conn.execute("BEGIN IMMEDIATE")

        def execute(text: str, params: dict[str, Any]) -> Any:
            cursor = conn.execute(text, params if ":" in text else ())
            return cursor.fetchall() if text.startswith("SELECT") else cursor.lastrowid

        _session_shape(execute, conn.executemany, client_id)
        conn.execute("COMMIT")

    def core_one(client_id: str) -> None:
        with engine.begin() as c:
            c.execute(built[INSERT_RESULT], {"c": client_id})

    def core_session(client_id: str) -> None:
        with engine.begin() as c:

            def execute(text: str, params: dict[str, Any]) -> Any:
                result = c.execute(built[text], params)
                return result.all() if text.startswith("SELECT") else result.lastrowid

            _session_shape(execute, lambda text, rows: c.execute(built[text], rows), client_id)

    app = FastAPI()
    writing = asyncio.Semaphore(1)  # one writer at a time, as Upright's SQLite writes (patient_deps)

    def route(name: str, store: Callable[[str], None]) -> None:
        async def post(request: Request) -> dict[str, bool]:
            client_id = str((await request.json())["client_id"])
            async with writing:
                await run_in_threadpool(store, client_id)
            return {"ok": True}

        app.post(f"/floor/{name}", status_code=201)(post)

    for name, store in (("raw-one", raw_one), ("core-one", core_one), ("raw-session", raw_session),
                        ("core-session", core_session)):  # fmt: skip
        route(name, store)
    return app


TARGETS = (
    ("one row, sqlite3", "/floor/raw-one"),
    ("one row, SQLAlchemy", "/floor/core-one"),
    ("session shape, sqlite3", "/floor/raw-session"),
    ("session shape, SQLAlchemy", "/floor/core-session"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    if args.serve:
        serve_beside_hello(args.serve, floor_app(args.path))
        return 0
    if not shutil.which("wrk"):
        print("wrk is not installed (scripts/install-system-deps.sh): nothing measured")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="upright-floor-"))
    proc, url = launch(__file__, "--path", str(tmp / "floor.db"))
    try:
        body = {"client_id": "CLIENTID-seed"}

        def run(name: str, path: str) -> float:
            lua = wrk_post(path, [({}, body)])
            wrk(name, url + path, seconds=1, clients=args.clients, lua=lua, tmp=tmp)  # warm-up
            done = wrk(name, url + path, seconds=args.seconds, clients=args.clients, lua=lua, tmp=tmp)
            if done.bad:
                raise SystemExit(f"{name}: {done.bad} of {done.requests} answers were not 2xx")
            return done.rps

        first = run("hello POST", "/hello")
        floors = [(name, run(name, path)) for name, path in TARGETS]
        hello = (first + run("hello POST", "/hello")) / 2
    finally:
        stop_server(proc)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nStore-only POSTs against hello world ({args.clients} connections, {args.seconds} s each, wrk):")
    print(f"{'target':28s} {'req/s':>7s} {'ratio':>6s}")
    print(f"{'hello POST':28s} {hello:7.0f}")
    for name, rps in floors:
        print(f"{name:28s} {rps:7.0f} {rps / hello:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
