"""`upright demo`: a clinic database filled with made-up clinicians, patients and weeks of history,
for trials and benchmarks. Every account it makes is marked `is_demo` and named "Demo ...", with an
address at example.org (a domain reserved for examples). It refuses a database with real people in it.

Part 2 adds its own data (prescriptions, alerts) by appending a filler to EXTRA_FILLERS."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from upright.catalog import Catalog
from upright.documents.plan import ChoosePlanIn
from upright.errors import Conflict, InvalidInput
from upright.services.accounts import add_user
from upright.services.plans import choose_plan
from upright.store import repositories as repo
from upright.store.accounts import UserRow
from upright.store.tables import PainReportRow, PersonRow, ScreeningRow, SessionItemRow, SessionRow

__all__ = ["DEMO_PASSWORD", "EXTRA_FILLERS", "DemoPatient", "DemoSummary", "fill_demo"]

DEMO_PASSWORD = "demo-password-not-secret"  # every demo account's; printed by the command
PATIENTS_PER_CLINICIAN = 50
FIRST = ("Alex", "Sam", "Robin", "Kim", "Jo", "Chris", "Pat", "Lee", "Max", "Ari", "Noor", "Mika")
LAST = ("Stone", "Rivers", "Hill", "Brook", "Field", "Wood", "Lake", "Moss", "Dale", "Glen")


@dataclass(frozen=True)
class DemoPatient:
    user_id: int
    person_id: int
    clinician_id: int
    start: datetime  # their first day


@dataclass(frozen=True)
class DemoSummary:
    clinicians: int
    patients: int
    sessions: int


# (s, patients, *, weeks, now, rng, catalog) -> None: more made-up data for each patient (part 2: prescriptions).
Filler = Callable[..., None]


def _care(s: Session, patients: list[DemoPatient], **kw: Any) -> None:
    from upright.services.clinic_demo import fill_care  # prescriptions, clearances, alerts

    fill_care(s, patients, **kw)


EXTRA_FILLERS: list[Filler] = [_care]


def _refuse_real_people(s: Session) -> None:
    real_users = s.scalar(select(func.count()).select_from(UserRow).where(UserRow.is_demo.is_(False)))
    demo_people = select(UserRow.person_id).where(UserRow.is_demo.is_(True), UserRow.person_id.is_not(None))
    real_people = s.scalar(
        select(func.count()).select_from(PersonRow).where(PersonRow.id.not_in(demo_people))
    )
    if real_users or real_people:
        raise Conflict(
            "This database has real accounts or people in it, so no demo data goes in. "
            "Use a new, empty database (UPRIGHT_DATABASE_URL) for a demo."
        )


def fill_demo(
    s: Session, *, patients: int, weeks: int, catalog: Catalog, now: datetime, seed: int = 1
) -> DemoSummary:
    """Make the clinicians (one per 50 patients), the patients and their history up to `now`."""
    if not 1 <= patients <= 100_000:
        raise InvalidInput("patients", "give between 1 and 100000 patients")
    if not 1 <= weeks <= 520:
        raise InvalidInput("weeks", "give between 1 and 520 weeks")
    _refuse_real_people(s)
    rng = random.Random(seed)
    start_index = s.scalar(select(func.count()).select_from(UserRow)) or 0
    tag = f"{start_index}"
    programs = sorted(catalog.templates)
    add_user(s, email=f"demo-admin-{tag}@example.org", name="Demo Admin", role="admin", password=DEMO_PASSWORD,
             now=now, is_demo=True)  # fmt: skip
    clinician_ids = []
    for c in range(max(1, -(-patients // PATIENTS_PER_CLINICIAN))):
        row = add_user(s, email=f"demo-clinician-{tag}-{c + 1}@example.org", name=f"Demo Dr {LAST[c % len(LAST)]}",
                       role="clinician", password=DEMO_PASSWORD, now=now, is_demo=True)  # fmt: skip
        clinician_ids.append(row.id)
    made: list[DemoPatient] = []
    sessions = 0
    for i in range(patients):
        clinician_id = clinician_ids[i // PATIENTS_PER_CLINICIAN]
        name = f"Demo {FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]} {i + 1}"
        start = now - timedelta(weeks=weeks) + timedelta(hours=rng.randint(0, 72))
        user = add_user(s, email=f"demo-patient-{tag}-{i + 1}@example.org", name=name, role="patient",
                        password=DEMO_PASSWORD, now=start, is_demo=True)  # fmt: skip
        from upright.services.accounts import link

        link(s, clinician_id=clinician_id, patient_id=user.id, now=start)
        assert user.person_id is not None
        sessions += _history(s, user.person_id, program=rng.choice(programs), start=start, now=now,
                             catalog=catalog, rng=rng)  # fmt: skip
        made.append(DemoPatient(user.id, user.person_id, clinician_id, start))
    for filler in EXTRA_FILLERS:
        filler(s, made, weeks=weeks, now=now, rng=rng, catalog=catalog)
    return DemoSummary(len(clinician_ids), patients, sessions)


def _history(
    s: Session, person_id: int, *, program: str, start: datetime, now: datetime, catalog: Catalog,
    rng: random.Random,
) -> int:  # fmt: skip
    """A screening (all clear), a profile, a handout plan, then sessions with pain that mostly eases."""
    answers: dict[str, Any] = {q.id: False for q in catalog.screening}
    s.add(ScreeningRow(person_id=person_id, taken_at=start, answers={**answers, "cleared-by-clinician": True},
                       outcome="ok", reasons=[], blocks_sessions=False, details={"demo": True}))  # fmt: skip
    per_week = rng.choice((2, 3, 3, 4, 5))
    repo.save_profile(s, person_id, now=start, sessions_per_week=per_week, minutes=rng.choice((10, 15, 20)))
    plan = choose_plan(
        s, person_id, ChoosePlanIn(choice="handout", program=program), catalog=catalog, now=start
    )
    items = plan.items
    keeps_going = rng.random()  # some people drift away
    pain = rng.randint(3, 7)
    day, count, rows = start, 0, []
    while day < now:
        if rng.random() < per_week / 7 * (0.4 + 0.6 * keeps_going):
            pain = max(0, min(10, pain + rng.choice((-1, -1, 0, 0, 0, 1))))
            begin = day.replace(hour=rng.randint(7, 19), minute=rng.randint(0, 59))
            if begin >= now:
                break
            seconds = int(plan.body.get("seconds", 600))
            session = SessionRow(
                person_id=person_id, client_id=f"demo-{person_id}-{count}", content_hash="demo",
                plan_id=plan.id, player="web", started_at=begin, ended_at=begin + timedelta(seconds=seconds),
                received_at=begin + timedelta(seconds=seconds), outcome="completed", end_pain=pain,
                feeling=rng.choice(("easier", "as_expected", "as_expected", "harder")),
                planned_seconds=seconds, active_seconds=seconds,
            )  # fmt: skip
            session.items = [
                SessionItemRow(position=n, exercise_id=it["exercise"], target_sets=it["dose"].get("sets") or 1,
                               target_reps=it["dose"].get("reps"), target_hold_seconds=it["dose"].get("hold_seconds"),
                               each_side=bool(it["dose"].get("each_side")), reps_done=it["dose"].get("reps") or 0,
                               holds_done=1 if it["dose"].get("hold_seconds") else 0,
                               sets_done=it["dose"].get("sets") or 1, status="done")
                for n, it in enumerate(items)
            ]  # fmt: skip
            session.pain_reports = [PainReportRow(person_id=person_id, taken_at=session.ended_at, score=pain,
                                                  context="end", red_flag=False)]  # fmt: skip
            rows.append(session)
            count += 1
        day += timedelta(days=1)
    s.add_all(rows)
    s.flush()
    return count
