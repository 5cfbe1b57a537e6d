"""Web speed: the Today page and the session-result POST, each against a bare hello-world app served by
the same server process in the same run, and the player page's transfer size.

    uv run python bench/web_bench.py [--seconds 10] [--clients 50] [--generator wrk|python]
                                     [--database-url URL] [--paced-rps 50]

One uvicorn process (loopback only) serves both apps: /hello* goes to a bare FastAPI app with one GET
and one JSON POST route (no middleware, no database); everything else to Upright with a database that
already holds a person, a plan and eight weeks of history. Each target gets a short warm-up, then a
bounded run of `--clients` connections, each sending its next request as soon as the last one answers
(saturation: throughput, and p99 latency under that load). A second, paced run has the same connections
wait between requests so the total stays near `--paced-rps`: the latency a person would see on a busy
but not overloaded server.

The load comes from Debian's `wrk` when it is installed (a C program: it does not compete with the
server for the Python interpreter), else from Python threads with httpx. Every session POST carries a
new client id, so each one is a real, stored write. Not a timed test: machines differ, so this prints
numbers and a verdict only. Targets (issue 5): ratio >= 0.5, p99 <= 20 ms at 50 clients, player page
<= 60 KB, no third-party requests.

Here every session POST is one person's, for one plan. bench/clinic_write_bench.py sends it from many
signed-in patients in clinic mode (`--patients 50`), with this file's server, data and wrk script."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import httpx

if TYPE_CHECKING:
    from upright.catalog import Catalog
    from upright.store import Database

HERE = Path(__file__).resolve().parent
TARGET_RATIO = 0.5
TARGET_P99_MS = 20.0
TARGET_PAGE_KB = 60.0
HISTORY = timedelta(weeks=8)  # how long the benchmark's people have been at it


# ---- the server (run in its own process) ---------------------------------------------------------------


def hello_app() -> Any:
    """The bare FastAPI twin: one GET returning a tiny page, one POST that parses a JSON body."""
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse

    hello = FastAPI()

    @hello.get("/hello", response_class=HTMLResponse)
    def hello_get() -> str:
        return "<!doctype html><title>Hello</title><p>Hello, world</p>"

    @hello.post("/hello", status_code=201)
    def hello_post(body: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "client_id": body.get("client_id")}

    return hello


def serve_beside_hello(port: int, app: Any) -> None:
    """Serve `app` and the hello-world twin (under /hello) from one uvicorn process on `port`."""
    import uvicorn

    hello = hello_app()

    async def both(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/hello"):
            await hello(scope, receive, send)
        else:
            await app(scope, receive, send)

    uvicorn.run(both, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _serve(port: int, database_url: str, mode: str) -> None:
    from upright.config import Settings
    from upright.web.app import create_app

    serve_beside_hello(port, create_app(Settings(database_url=database_url, mode=mode)))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def launch(script: str, *args: str) -> tuple[subprocess.Popen[bytes], str]:
    """`script --serve PORT *args` in a process of its own, and its address once /hello answers."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, script, "--serve", str(port), *args])
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # a crowded machine can take a minute to import and migrate
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(url + "/hello", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the benchmark server did not start")


def start_server(database_url: str, mode: str = "personal") -> tuple[subprocess.Popen[bytes], str]:
    """Upright's server process (personal or clinic mode) and its address, once it answers."""
    return launch(__file__, "--database-url", database_url, "--mode", mode)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop it the way a deploy would: requests still being answered finish first."""
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


# ---- data: a person with a plan and eight weeks of sessions -------------------------------------------------


def prepare(database_url: str) -> dict[str, Any]:
    """Fill the database like a person eight weeks in; return a session result to POST (client id blank)."""
    from upright.catalog import load_catalog
    from upright.config import Settings
    from upright.services.people import current_person
    from upright.store import open_database

    db = open_database(database_url)
    now = datetime.now(UTC)
    with db.transaction() as s:
        person_id = current_person(s, Settings(), now=now - HISTORY).id
    body = fill_history(db, person_id, catalog=load_catalog(), now=now)
    db.dispose()
    return body


def fill_history(db: Database, person_id: int, *, catalog: Catalog, now: datetime) -> dict[str, Any]:
    """Give the person a screening, a check-in, a plan and a session every other day for the
    HISTORY before `now`; return the result of their next session (client id to be replaced)."""
    from upright.documents.checkin import CheckInIn
    from upright.documents.plan import ChoosePlanIn
    from upright.documents.session_result import SessionResultIn
    from upright.services.checkins import record_checkin
    from upright.services.plans import choose_plan
    from upright.services.player import script_json, session_script
    from upright.services.screenings import ScreeningIn, record_screening
    from upright.services.sessions import record_session

    start = now - HISTORY
    with db.transaction() as s:
        answers = {q.id: False for q in catalog.screening}
        record_screening(s, person_id, ScreeningIn(answers=answers, cleared_by_clinician=True), catalog=catalog,
                         now=start)  # fmt: skip
        record_checkin(
            s, person_id, CheckInIn(pain=5, location="upper-back"), now=start, words=catalog.vocabulary
        )
        choose_plan(s, person_id, ChoosePlanIn(choice="suggested"), catalog=catalog, now=start)
    for day in range(0, HISTORY.days, 2):
        at = start + timedelta(days=day, hours=1)
        with db.transaction() as s:
            script = script_json(session_script(s, person_id, catalog=catalog, now=at, tz=UTC))
            body = _result(script, at=at, pain=max(1, 5 - day // 14))
            record_session(s, person_id, SessionResultIn.model_validate(body), catalog=catalog, now=at)
    with db.transaction() as s:
        script = script_json(session_script(s, person_id, catalog=catalog, now=now, tz=UTC))
    return _result(script, at=now - timedelta(minutes=15), pain=2)


def _result(script: dict[str, Any], *, at: datetime, pain: int) -> dict[str, Any]:
    return {
        "client_id": uuid.uuid4().hex,
        "plan_id": script["plan_id"],
        "started_at": at.isoformat(),
        "ended_at": (at + timedelta(seconds=script["total_seconds"])).isoformat(),
        "outcome": "completed",
        "planned_seconds": int(script["total_seconds"]),
        "active_seconds": int(script["total_seconds"]),
        "items": [
            {
                "exercise": t["exercise"],
                "target": {k: t[k] for k in ("sets", "reps", "hold_seconds", "each_side")},
                "done": {
                    "sets": t["sets"],
                    "reps": (t["reps"] or 1) * t["sets"],
                    "holds": (t["reps"] or 1) * t["sets"] if t["hold_seconds"] else 0,
                },
                "status": "done",
            }
            for t in script["targets"]
        ],
        "pain_reports": [],
        "check_in": {"pain": pain, "feeling": "as_expected"},
    }


def _stored_sessions(database_url: str) -> int:
    """How many session results the database holds (every person's)."""
    import sqlalchemy as sa

    from upright.store.db import make_engine

    engine = make_engine(database_url)
    try:
        with engine.connect() as c:
            return int(c.execute(sa.text("SELECT count(*) FROM sessions")).scalar_one())
    finally:
        engine.dispose()


# ---- load generators ------------------------------------------------------------------------------------------


@dataclass
class Run:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int


# Each request goes to the next sender in turn (the second thread starts halfway round), with its
# headers and its body under a new client id. `run` (set by wrk) differs for every wrk run: Lua's
# math.random is not seeded, so a prefix drawn from it was the same in every run, and each run's first
# requests resent the last run's client ids (answered 200 from the stored result, nothing written)
# instead of storing new results.
WRK_POST = """
local n = 0
local counter = 0
function setup(thread)
  n = n + 1
  thread:set("prefix", run .. "w" .. n .. "x")
  thread:set("offset", (n - 1) * math.floor(#senders / 2))
end
request = function()
  counter = counter + 1
  local sender = senders[(counter + offset) % #senders + 1]
  local body = string.gsub(sender.body, "CLIENTID", prefix .. "c" .. counter)
  return wrk.format("POST", path, sender.headers, body)
end
"""


def wrk_post(path: str, senders: list[tuple[dict[str, str], dict[str, Any]]]) -> str:
    """wrk's Lua for POSTs to `path` from each (headers, body) in turn, every one a new client id."""

    def lua_table(pairs: dict[str, str]) -> str:
        return "{" + ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in pairs.items()) + "}"

    rows = []
    for headers, body in senders:
        template = json.dumps(body).replace(body["client_id"], "CLIENTID")
        all_headers = lua_table({"Content-Type": "application/json", **headers})
        rows.append(f"  {{headers = {all_headers}, body = [==[{template}]==]}},")
    return f"path = {json.dumps(path)}\nsenders = {{\n" + "\n".join(rows) + "\n}\n" + WRK_POST


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip()).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(
    name: str,
    url: str,
    *,
    seconds: int,
    clients: int,
    lua: str,
    tmp: Path,
    rate: float | None = None,
) -> Run:
    """wrk for a bounded time (`lua`: its script, e.g. wrk_post's; blank for GETs). With `rate`
    (requests a second in total) each connection waits between its requests (wrk's delay()), so the
    latency is measured below saturation."""
    args = ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if rate:
        gap = 1000 * clients / rate  # random waits around the mean, so the clients do not march in step
        lua += f"\nfunction delay() return math.random({gap * 0.2:.0f}, {gap * 1.8:.0f}) end\n"
    if lua:
        lua = f'run = "{uuid.uuid4().hex[:12]}"\n{lua}'  # see WRK_POST
        script = tmp / f"{name.replace(' ', '_')}{'_paced' if rate else ''}.lua"
        script.write_text(lua)
        args += ["-s", str(script)]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad_match = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    bad = (int(bad_match.group(1)) if bad_match else 0) + (sum(map(int, errors.groups())) if errors else 0)
    return Run(name, rps, p50, p99, total, bad)


def _python(name: str, url: str, *, seconds: float, clients: int, body: dict[str, Any] | None,
            rate: float | None = None) -> Run:  # fmt: skip
    """`clients` threads, each with its own keep-alive connection, for a bounded time. With `rate`
    (requests a second in total) each client keeps to its share instead of going flat out."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    bad = [0] * clients
    stop_at = time.perf_counter() + seconds
    gap = clients / rate if rate else 0.0

    def client(k: int) -> None:
        with httpx.Client(timeout=10) as http:
            next_at = time.perf_counter() + (gap * k / clients)
            while (now := time.perf_counter()) < stop_at:
                if gap:
                    if now < next_at:
                        time.sleep(next_at - now)
                    next_at += gap
                began = time.perf_counter()
                try:
                    if body is None:
                        r = http.get(url)
                    else:
                        r = http.post(url, json={**body, "client_id": uuid.uuid4().hex})
                except httpx.HTTPError:  # a time-out on a crowded machine: counted, not fatal
                    bad[k] += 1
                    continue
                latencies[k].append((time.perf_counter() - began) * 1000)
                if r.status_code >= 300:
                    bad[k] += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    flat = sorted(x for lat in latencies for x in lat)
    if not flat:  # nothing finished (a short warm-up on a crowded machine)
        return Run(name, 0.0, float("nan"), float("nan"), 0, sum(bad))
    p99 = flat[min(len(flat) - 1, int(0.99 * len(flat)))]
    return Run(name, len(flat) / elapsed, statistics.median(flat), p99, len(flat), sum(bad))


# ---- the player page's transfer size ----------------------------------------------------------------------------


def _transfer(url: str) -> dict[str, Any]:
    """Bytes on the wire (gzip as a browser asks for it) for the player page and all it loads."""
    sizes: dict[str, int] = {}
    outside: list[str] = []
    with httpx.Client(base_url=url, headers={"Accept-Encoding": "gzip"}) as http:

        def get(path: str, kind: str) -> str:
            with http.stream("GET", path) as r:
                r.read()
                head = sum(len(k) + len(v) + 4 for k, v in r.headers.raw) + 20
                sizes[kind] = sizes.get(kind, 0) + r.num_bytes_downloaded + head
                return r.text

        html = get("/session", "page (HTML)")
        for ref in re.findall(r'(?:src|href)="([^"#]+)"', html):
            full = urljoin(url + "/", ref)
            if not full.startswith(url):
                outside.append(full)
        assets = re.findall(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"', html)
        for path in dict.fromkeys(assets):
            get(path, "CSS" if path.endswith(".css") else "JS" if path.endswith(".js") else "icon")
        script = json.loads(get("/api/me/session/script", "script (JSON)"))
        figures = re.search(r'data-figures="([^"]*)"', html)
        ids = [i for i in (figures.group(1).split(",") if figures else []) if i]
        for ex in dict.fromkeys(ids):  # each figure once, as the browser caches it
            get(f"/figures/{ex}.svg", "figures (SVG, once each)")
    without = sum(v for k, v in sizes.items() if not k.startswith("figures"))
    return {"sizes": sizes, "without_figures": without, "total": sum(sizes.values()), "outside": outside,
            "steps": len(script["steps"]), "exercises": len(script["targets"])}  # fmt: skip


# ---- main -----------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="personal", help=argparse.SUPPRESS)  # the server's
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--paced-rps", type=float, default=50.0)
    parser.add_argument(
        "--generator", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python"
    )
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    if args.serve:
        _serve(args.serve, args.database_url, args.mode)
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="upright-bench-"))
    database_url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    print(f"Preparing {database_url.split(':')[0]} data ...", flush=True)
    post_body = prepare(database_url)
    proc, url = start_server(database_url)
    try:
        page = _transfer(url)
        pairs = [("hello GET", "/hello", None), ("Today page", "/today", None),
                 ("hello POST", "/hello", post_body), ("session POST", "/api/me/sessions", post_body)]  # fmt: skip
        runs: dict[str, Run] = {}
        sent = 0  # session POSTs answered, warm-ups too: each a new client id, so each a stored result
        stored_before = _stored_sessions(database_url)
        for name, path, body in pairs:
            if args.generator == "wrk":
                lua = wrk_post(path, [({}, body)]) if body is not None else ""
                warm = wrk(name, url + path, seconds=1, clients=args.clients, lua=lua, tmp=tmp)
                sent += warm.requests if path == "/api/me/sessions" else 0
                runs[name] = wrk(
                    name, url + path, seconds=args.seconds, clients=args.clients, lua=lua, tmp=tmp
                )
            else:
                warm = _python(name, url + path, seconds=3, clients=args.clients, body=body)
                sent += warm.requests if path == "/api/me/sessions" else 0
                runs[name] = _python(name, url + path, seconds=args.seconds, clients=args.clients, body=body)
        paced = {}
        for name, path, body in pairs:
            if args.generator == "wrk":
                paced[name] = wrk(
                    name,
                    url + path,
                    seconds=args.seconds,
                    clients=args.clients,
                    lua=wrk_post(path, [({}, body)]) if body is not None else "",
                    tmp=tmp,
                    rate=args.paced_rps,
                )
            else:
                paced[name] = _python(
                    name,
                    url + path,
                    seconds=args.seconds,
                    clients=args.clients,
                    body=body,
                    rate=args.paced_rps,
                )
        sent += sum(r.requests for r in (runs["session POST"], paced["session POST"]))
        stored = (_stored_sessions(database_url) - stored_before, sent)
    finally:
        stop_server(proc)
    _report(args, runs, paced, page, stored, os.cpu_count() or 0)
    return 0


def print_runs(args: argparse.Namespace, runs: dict[str, Run], paced: dict[str, Run],
               twins: tuple[tuple[str, str], ...]) -> None:  # fmt: skip
    """The saturated runs (each target under its hello twin, with the ratio) and the paced runs."""
    print("Saturation (each connection sends its next request at once):")
    print(f"{'target':<14}{'req/s':>10}{'ratio':>8}{'p50 ms':>9}{'p99 ms':>9}{'requests':>10}{'not 2xx':>9}")
    for name, base in twins:
        for n in (base, name):
            r = runs[n]
            ratio = f"{r.rps / runs[base].rps:.2f}" if n == name else ""
            print(
                f"{n:<14}{r.rps:>10.0f}{ratio:>8}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}{r.requests:>10}{r.bad:>9}"
            )
    print(
        f"\nPaced (about {args.paced_rps:.0f} requests a second in total over {args.clients} connections, "
        f"{args.generator}):"
    )
    print(f"{'target':<14}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'not 2xx':>9}")
    for name, r in paced.items():
        print(f"{name:<14}{r.rps:>10.0f}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}{r.bad:>9}")


def _report(args: argparse.Namespace, runs: dict[str, Run], paced: dict[str, Run], page: dict[str, Any],
            stored: tuple[int, int], cpus: int) -> None:  # fmt: skip
    print(f"\nServer: one uvicorn process on 127.0.0.1; {cpus} CPUs; load: {args.generator}, "
          f"{args.clients} connections, {args.seconds} s per target.\n")  # fmt: skip
    print_runs(args, runs, paced, (("Today page", "hello GET"), ("session POST", "hello POST")))
    print(f"\nSessions stored during the run: {stored[0]} (session POSTs answered: {stored[1]}; "
          "more stored than answered: some were still under way when wrk stopped)")  # fmt: skip
    print(
        f"\nPlayer page ({page['exercises']} exercises, {page['steps']} steps), bytes on the wire with gzip:"
    )
    for kind, size in page["sizes"].items():
        print(f"  {kind:<28}{size / 1024:>8.1f} KB")
    print(f"  {'total without figures':<28}{page['without_figures'] / 1024:>8.1f} KB")
    print(f"  {'total with figures':<28}{page['total'] / 1024:>8.1f} KB")
    print(f"  third-party requests: {len(page['outside'])}")
    today, post = runs["Today page"], runs["session POST"]
    verdicts = [
        ("Today ratio >= 0.5", today.rps / runs["hello GET"].rps >= TARGET_RATIO),
        ("session POST ratio >= 0.5", post.rps / runs["hello POST"].rps >= TARGET_RATIO),
        ("p99 <= 20 ms at 50 clients, paced", all(r.p99_ms <= TARGET_P99_MS for r in paced.values())),
        (
            "p99 <= 20 ms at 50 clients, saturated",
            today.p99_ms <= TARGET_P99_MS and post.p99_ms <= TARGET_P99_MS,
        ),
        ("player page <= 60 KB", page["without_figures"] / 1024 <= TARGET_PAGE_KB),
        ("no third-party requests", not page["outside"]),
    ]
    print()
    for label, ok in verdicts:
        print(f"  {'met ' if ok else 'MISSED'}  {label}")


if __name__ == "__main__":
    sys.exit(main())
