"""Clinic care speed (issue 16): the clinician's panel and a patient's page on a practice-sized database.

    bash scripts/with-postgres.sh uv run python bench/clinic_bench.py [--patients 1000] [--weeks 52]
                                                                      [--runs 200] [--database-url URL] [--no-fill]

Fills an empty PostgreSQL database the way `upright demo --patients N --weeks W` does (services.demo,
with clinic care's filler: prescriptions, clearances, stored alerts), then signs in as the first demo
clinician (50 patients) and times, in the app's own process (Starlette's TestClient: no network, the
whole middleware stack, the gate, the audit row and the database):

    GET /api/clinic/patients        the panel as JSON (alerts, adherence, pain, last session)
    GET /clinic                     the panel page
    GET /clinic/patients/{id}       a patient page (pain chart, sessions, screenings, alerts, history)

Target (issue 16): each <= 100 ms at the 95th percentile. Not a timed test: prints numbers only.
The database URL defaults to UPRIGHT_TEST_POSTGRES_URL (set by scripts/with-postgres.sh)."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime

TARGET_P95_MS = 100.0


def _fill(url: str, patients: int, weeks: int, now: datetime) -> float:
    from upright.catalog import load_catalog
    from upright.services.demo import fill_demo
    from upright.store import open_database

    db = open_database(url)
    started = time.perf_counter()
    try:
        with db.write_sessions() as s:

            def commit(done: int) -> None:  # a transaction per batch, as `upright demo` does
                s.commit()
                print(f"  {done} patients, {time.perf_counter() - started:.0f} s", end="\r", flush=True)

            fill_demo(s, patients=patients, weeks=weeks, catalog=load_catalog(), now=now, after_batch=commit)
    finally:
        db.dispose()
    return time.perf_counter() - started


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--database-url", default=os.environ.get("UPRIGHT_TEST_POSTGRES_URL", ""))
    parser.add_argument(
        "--no-fill", action="store_true", help="time a database filled before (upright demo), ending now"
    )
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        print(
            "needs PostgreSQL: run through scripts/with-postgres.sh or pass --database-url", file=sys.stderr
        )
        return 2

    from fastapi.testclient import TestClient

    from upright.config import Settings
    from upright.services.demo import DEMO_PASSWORD
    from upright.web import patient_deps
    from upright.web.app import create_app

    now = datetime.now(UTC)  # the edge: the demo history ends now, and the app reads the same moment
    if not args.no_fill:
        fill_seconds = _fill(args.database_url, args.patients, args.weeks, now)
        print(f"demo data: {args.patients} patients x {args.weeks} weeks in {fill_seconds:.0f} s")

    app = create_app(Settings(database_url=args.database_url, mode="clinic", allowed_hosts="testserver"))
    app.dependency_overrides[patient_deps._now] = lambda: now
    with TestClient(app) as client:
        login = client.post(
            "/api/auth/login", json={"email": "demo-clinician-0-1@example.org", "password": DEMO_PASSWORD}
        )
        login.raise_for_status()
        client.headers["X-CSRF-Token"] = login.json()["csrf_token"]
        panel = client.get("/api/clinic/patients").json()
        with_alerts = sum(1 for p in panel if p["alerts"])
        print(f"panel: {len(panel)} patients, {with_alerts} with open alerts")
        targets = {
            "GET /api/auth/me (baseline)": "/api/auth/me",
            "GET /api/clinic/patients": "/api/clinic/patients",
            "GET /clinic": "/clinic",
            "GET /clinic/patients/{id}": f"/clinic/patients/{panel[0]['id']}",
        }
        print("load average (1, 5, 15 min) before timing: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
        print(
            f"{'route':32} {'median':>9} {'p95':>9} {'max':>9} {'CPU/req':>9}  target p95 <= {TARGET_P95_MS:.0f} ms"
        )
        for name, path in targets.items():
            for _ in range(5):  # warm-up
                client.get(path).raise_for_status()
            samples = []
            cpu0 = time.process_time()
            for _ in range(args.runs):
                t0 = time.perf_counter()
                response = client.get(path)
                samples.append((time.perf_counter() - t0) * 1000)
                response.raise_for_status()
            cpu = (time.process_time() - cpu0) * 1000 / args.runs  # client and server: one process
            p95 = _p95(samples)
            verdict = "met" if p95 <= TARGET_P95_MS else "MISSED"
            print(f"{name:32} {statistics.median(samples):7.1f}ms {p95:7.1f}ms {max(samples):7.1f}ms "
                  f"{cpu:7.1f}ms  {verdict}")  # fmt: skip
        print("load average (1, 5, 15 min) after timing: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    app.state.db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
