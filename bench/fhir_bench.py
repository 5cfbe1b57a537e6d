"""How long the FHIR R4B export takes as history grows (issue 17): building the bundle and checking
every resource with fhir.resources' R4B models, the way `upright export fhir` and
`GET /api/me/export?format=fhir` do (the database read is left out: rows are made in memory).

    uv run python bench/fhir_bench.py [--runs 3]

Rows: a year of use at 3 sessions a week (156 sessions, 2 pain scores each, 50 check-ins), and a
heavy case (700 sessions, 2000 check-ins)."""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta

from upright.catalog import load_catalog
from upright.domain.planning import PlanInputs, make_plan, script_items
from upright.exports.fhir import person_bundle
from upright.services.fhir_exchange import FhirHistory
from upright.services.plans import plan_body
from upright.store.tables import PainReportRow, PlanRow, SessionItemRow, SessionRow

NOW = datetime(2026, 11, 30, tzinfo=UTC)
PROGRAM = "posture-and-neck-stretches"


def history(sessions: int, check_ins: int) -> FhirHistory:
    catalog = load_catalog()
    plan = make_plan(catalog, PlanInputs(template=PROGRAM, minutes=30))
    row = PlanRow(id=1, person_id=1, created_at=NOW, source="handout", template_id=PROGRAM,
                  title=plan.title, body=plan_body(plan, catalog.vocabulary), is_active=True)  # fmt: skip
    rows: list[SessionRow] = []
    pain: list[PainReportRow] = []
    for i in range(sessions):
        start = NOW - timedelta(days=2 * i)
        s = SessionRow(id=i, person_id=1, client_id=f"c{i}", content_hash="x", plan_id=1, player="web",
                       started_at=start, ended_at=start + timedelta(minutes=10), received_at=start,
                       outcome="completed", end_pain=2)  # fmt: skip
        s.items = [
            SessionItemRow(
                id=i * 10 + k,
                position=k,
                exercise_id=it.exercise.id,
                target_sets=1,
                target_reps=5,
                target_hold_seconds=5,
                each_side=False,
                reps_done=5,
                holds_done=5,
                sets_done=1,
                status="done",
            )
            for k, it in enumerate(plan.items)
        ]
        rows.append(s)
        for j, context in enumerate(("during", "end")):
            pain.append(PainReportRow(id=len(pain), person_id=1, session_id=i, taken_at=start + timedelta(minutes=j),
                                      score=3, context=context, location=None, red_flag=False))  # fmt: skip
    for i in range(check_ins):
        pain.append(PainReportRow(id=len(pain), person_id=1, taken_at=NOW - timedelta(hours=5 * i), score=2,
                                  context="check-in", location="neck", red_flag=False))  # fmt: skip
    return FhirHistory(id_seed="bench", plan=row, plan_items=script_items(plan.items), plan_author=None,
                       sessions_per_week=3, screenings=[], sessions=rows, pain=pain, places={"neck": "Neck"})  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    catalog = load_catalog()
    for label, sessions, check_ins in (("a year, 3 a week", 156, 50), ("heavy", 700, 2000)):
        h = history(sessions, check_ins)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            bundle = person_bundle(h, catalog=catalog, now=NOW)
            times.append(time.perf_counter() - t)
        n = len(bundle["entry"])
        median = statistics.median(times)
        print(
            f"{label:>18}: {n:5d} resources, median {median:6.2f} s ({1000 * median / n:.1f} ms per resource)"
        )


if __name__ == "__main__":
    main()
