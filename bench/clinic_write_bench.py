"""The session-result POST from many patients at once, in clinic mode (issue 14).

    bash scripts/with-postgres.sh bash -c \\
        'uv run python bench/clinic_write_bench.py --database-url "$UPRIGHT_TEST_POSTGRES_URL"'
    uv run python bench/clinic_write_bench.py [--patients 50] [--seconds 10] [--clients 50]
                                              [--paced-rps 50] [--database-url URL]

bench/web_bench.py sends every session POST as one person for one plan; each stored result locks its
plan's row until it commits, so on PostgreSQL its 50 connections wait for each other. A clinic has
many patients, each locking only their own plan. This bench measures that: it makes a clinic-mode
database with `--patients` patient accounts (one clinician caring for them all), each with the same
eight weeks as web_bench's person (screening, check-in, their own plan, a session every other day),
starts the same server (one uvicorn process with the hello-world twin) in clinic mode, signs each
patient in through POST /api/auth/login, and has wrk send the session POST from them in turn, each
request with its patient's session cookie, X-CSRF-Token and body under a new client id: saturated,
then paced at `--paced-rps` in total over `--clients` connections, each against the hello POST (the
same requests, headers included). On PostgreSQL it samples pg_stat_activity every 10 ms meanwhile:
how many requests wait for a lock, and which kind. Afterwards it counts each patient's stored results
in the database. With `--patients 1` it is web_bench's one-plan queue again, in clinic mode.

Needs Debian's `wrk`. SQLite works too (clinic mode allows it for a trial). Prints numbers only."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.web_bench import (  # noqa: E402  (the folder above on the path first)
    HISTORY,
    Run,
    fill_history,
    print_runs,
    start_server,
    stop_server,
    wrk,
    wrk_post,
)

PASSWORD = "bench-password-not-secret"  # every bench account's
CLINICIAN = "bench-clinician@example.org"
Sender = tuple[dict[str, str], dict[str, Any]]  # a signed-in patient's headers and session result


@dataclass(frozen=True)
class Patient:
    email: str
    person_id: int
    result: dict[str, Any]  # their next session's result (wrk gives each request a new client id)


def prepare_patients(database_url: str, patients: int) -> list[Patient]:
    """A clinician and `patients` patient accounts, each with HISTORY of their own (web_bench's)."""
    from upright.catalog import load_catalog
    from upright.services.accounts import add_user, hash_password
    from upright.store import open_database

    catalog = load_catalog()
    db = open_database(database_url)
    now = datetime.now(UTC)  # the edge: the history ends now, as the server's clock will read
    hashed = hash_password(PASSWORD)  # argon2 is slow on purpose: once for every account
    with db.transaction() as s:
        add_user(s, email=CLINICIAN, name="Bench Clinician", role="clinician", password_hash=hashed,
                 now=now - HISTORY)  # fmt: skip
        made = []
        for i in range(patients):
            row = add_user(s, email=f"bench-patient-{i + 1}@example.org", name=f"Bench Patient {i + 1}",
                           role="patient", password_hash=hashed, clinician_email=CLINICIAN, now=now - HISTORY)  # fmt: skip
            assert row.person_id is not None
            made.append((row.email, row.person_id))
    ready = []
    for n, (email, person_id) in enumerate(made, start=1):
        ready.append(Patient(email, person_id, fill_history(db, person_id, catalog=catalog, now=now)))
        print(f"  {n} of {patients} patients ready", end="\r", flush=True)
    print()
    db.dispose()
    return ready


def sign_in(url: str, patients: list[Patient]) -> list[Sender]:
    """Each patient's session cookie and CSRF token from the real login, checked with one session POST
    of theirs (a 401 or 403 here means the bench sends the wrong headers: it stops)."""
    from upright.web.security import SESSION_COOKIE

    senders: list[Sender] = []
    for p in patients:
        with httpx.Client(base_url=url, timeout=60) as http:
            login = http.post("/api/auth/login", json={"email": p.email, "password": PASSWORD})
            login.raise_for_status()
            headers = {
                "Cookie": f"{SESSION_COOKIE}={login.cookies[SESSION_COOKIE]}",
                "X-CSRF-Token": login.json()["csrf_token"],
            }
        check = httpx.post(url + "/api/me/sessions", headers=headers, timeout=60,
                           json={**p.result, "client_id": f"check-person-{p.person_id}"})  # fmt: skip
        if check.status_code >= 300:
            raise SystemExit(f"{p.email}: the session POST answered {check.status_code}: {check.text}")
        senders.append((headers, p.result))
    return senders


def stored_per_patient(database_url: str, patients: list[Patient]) -> list[int]:
    """How many results each patient has stored."""
    from sqlalchemy import func, select

    from upright.store import open_database
    from upright.store.tables import SessionRow

    db = open_database(database_url)
    with db.transaction() as s:
        query = select(SessionRow.person_id, func.count()).group_by(SessionRow.person_id)
        counts: dict[int, int] = {person_id: n for person_id, n in s.execute(query)}
    db.dispose()
    return [counts.get(p.person_id, 0) for p in patients]


@dataclass
class LockWaits:
    """PostgreSQL's backends waiting for a lock (a row lock: the plan's), sampled every 10 ms."""

    samples: int = 0
    with_waiter: int = 0  # samples in which at least one waited
    kinds: Counter[str] = field(default_factory=Counter)  # waiters summed over the samples, by lock

    def __str__(self) -> str:
        kinds = ", ".join(f"{kind} {n / self.samples:.2f}" for kind, n in self.kinds.most_common())
        return (f"{100 * self.with_waiter / self.samples:.0f}% of {self.samples} samples, "
                f"{self.kinds.total() / self.samples:.2f} waiting on average ({kinds or 'none'})")  # fmt: skip


@contextmanager
def lock_waits(database_url: str) -> Iterator[LockWaits]:
    """Sample while the block runs (PostgreSQL only; on SQLite writers take turns in the process)."""
    found = LockWaits()
    if not database_url.startswith("postgresql"):
        yield found
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    done = threading.Event()
    # wait_event names the lock ("tuple", "transactionid": a row), the query the statement that waits
    query = text("SELECT wait_event, query FROM pg_stat_activity WHERE wait_event_type = 'Lock'")

    def sample() -> None:
        with engine.connect() as c:
            while not done.wait(0.01):
                waiting = c.execute(query).all()
                c.rollback()  # a fresh snapshot of the activity each time
                found.samples += 1
                found.with_waiter += bool(waiting)
                found.kinds.update(f"{event} in {_statement(sql)}" for event, sql in waiting)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        yield found
    finally:
        done.set()
        sampler.join()
        engine.dispose()


def _statement(sql: str) -> str:
    """ "UPDATE people", "SELECT plans FOR NO KEY UPDATE": what kind of statement, on which table."""
    words = sql.split()
    verb = words[0].upper() if words else "?"
    after = {"SELECT": "FROM", "INSERT": "INTO", "UPDATE": "UPDATE", "DELETE": "FROM"}.get(verb, "")
    upper = [w.upper() for w in words]
    table = words[upper.index(after) + 1] if after in upper[:-1] else ""
    locks = [lock for lock in ("FOR NO KEY UPDATE", "FOR UPDATE") if lock in sql.upper()]
    return " ".join([verb, table, *locks[:1]])


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


@dataclass
class Measured:
    runs: dict[str, Run] = field(default_factory=dict)  # saturated
    paced: dict[str, Run] = field(default_factory=dict)
    waits: dict[str, LockWaits] = field(default_factory=dict)  # by run
    answered: int = 0  # 2xx answers to the session POSTs, warm-ups included


def measure(
    args: argparse.Namespace, url: str, database_url: str, senders: list[Sender], tmp: Path
) -> Measured:
    """The hello POST, then the session POST, each saturated (after a warm-up), then each paced."""
    found = Measured()
    for rate, into in ((None, found.runs), (args.paced_rps, found.paced)):
        for name, path in {"hello POST": "/hello", "session POST": "/api/me/sessions"}.items():
            lua = wrk_post(path, senders)
            counts = name == "session POST"
            if rate is None:  # a warm-up before the first run of each
                warm = wrk(name, url + path, seconds=1, clients=args.clients, lua=lua, tmp=tmp)
                found.answered += warm.requests - warm.bad if counts else 0
            with lock_waits(database_url) as found.waits[f"{name}, {'paced' if rate else 'saturated'}"]:
                into[name] = r = wrk(name, url + path, seconds=args.seconds, clients=args.clients, lua=lua,
                                     tmp=tmp, rate=rate)  # fmt: skip
            found.answered += r.requests - r.bad if counts else 0
    return found


def report(
    args: argparse.Namespace, database_url: str, found: Measured, stored: list[int], load: str
) -> None:
    backend = database_url.split(":")[0]
    print(f"\nServer: one uvicorn process on 127.0.0.1, clinic mode, {backend}; {os.cpu_count()} CPUs; "
          f"{args.patients} patients signed in; load: wrk, {args.clients} connections, {args.seconds} s per "
          f"target.\nLoad average (1, 5, 15 min): {load}.\n")  # fmt: skip
    print_runs(args, found.runs, found.paced, (("session POST", "hello POST"),))
    extra, in_flight = sum(stored) - found.answered, 3 * args.clients  # 3 runs, each may stop mid-request
    why = ("the same" if extra == 0 else f"{extra:+d}: answered after wrk stopped; at most {in_flight}"
           if 0 < extra <= in_flight else f"{extra:+d}: WRONG, more than wrk's unanswered requests or lost")  # fmt: skip
    print(
        f"\nSession POSTs answered 2xx (warm-ups included): {found.answered}; stored: {sum(stored)} ({why})"
    )
    print(f"Stored per patient: min {min(stored)}, median {statistics.median(stored):.0f}, max {max(stored)}")
    if backend.startswith("postgresql"):
        print("Requests waiting for a lock in PostgreSQL (sampled every 10 ms), by lock:")
        for run, waits in found.waits.items():
            print(f"  {run:<26}{waits}")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--patients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--paced-rps", type=float, default=50.0)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    args.generator = "wrk"
    if not shutil.which("wrk"):
        print("needs Debian's wrk (apt-get install wrk)", file=sys.stderr)
        return 2

    tmp = Path(tempfile.mkdtemp(prefix="upright-bench-"))
    database_url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    print(f"Preparing {args.patients} patients on {database_url.split(':')[0]} (clinic mode) ...", flush=True)
    patients = prepare_patients(database_url, args.patients)
    proc, url = start_server(database_url, mode="clinic")
    try:
        senders = sign_in(url, patients)
        before = stored_per_patient(database_url, patients)
        load_before = _load()
        found = measure(args, url, database_url, senders, tmp)
        load = f"{load_before} before, {_load()} after"
    finally:
        stop_server(proc)  # lets the requests still in flight finish and commit
    stored = [n - b for n, b in zip(stored_per_patient(database_url, patients), before, strict=True)]
    report(args, database_url, found, stored, load)
    return 0


if __name__ == "__main__":
    sys.exit(main())
