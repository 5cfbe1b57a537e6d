"""`upright demo`: a clinic database filled with made-up clinicians, patients and weeks of history,
for trials and benchmarks. Every account it makes is marked `is_demo` and named "Demo ...", with an
address at example.org (a domain reserved for examples). It refuses a database with real people in it.

Part 2 adds its own data (prescriptions, alerts) by appending a filler to EXTRA_FILLERS."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from upright.catalog import Catalog
from upright.documents.plan import ChoosePlanIn
from upright.documents.session_result import CheckIn, Done, ItemResult, SessionResultIn, Target
from upright.errors import Conflict, InvalidInput
from upright.services.accounts import add_user, hash_password, link
from upright.services.plans import choose_plan
from upright.services.session_results import content_hash, item_values, pain_values, session_values
from upright.store import repositories as repo
from upright.store.accounts import UserRow
from upright.store.tables import PersonRow, ScreeningRow

__all__ = [
    "DEMO_PASSWORD",
    "EXTRA_FILLERS",
    "DemoPain",
    "DemoPatient",
    "DemoSession",
    "DemoSummary",
    "fill_demo",
]

DEMO_PASSWORD = "demo-password-not-secret"  # every demo account's; printed by the command
PATIENTS_PER_CLINICIAN = 50
FIRST = ("Alex", "Sam", "Robin", "Kim", "Jo", "Chris", "Pat", "Lee", "Max", "Ari", "Noor", "Mika")
LAST = ("Stone", "Rivers", "Hill", "Brook", "Field", "Wood", "Lake", "Moss", "Dale", "Glen")


@dataclass(frozen=True)
class DemoPain:
    """A stored pain score of the made-up history (services.checkins.PainLike, with its id)."""

    id: int
    taken_at: datetime
    score: int
    context: str
    location: str | None
    red_flag: bool


@dataclass(frozen=True)
class DemoSession:
    """A stored session of the made-up history: what the alert rules read of it."""

    id: int
    outcome: str
    ended_at: datetime
    received_at: datetime
    end_pain: int | None
    pains: tuple[DemoPain, ...]


@dataclass(frozen=True)
class DemoPatient:
    user_id: int
    person_id: int
    clinician_id: int
    start: datetime  # their first day
    sessions: tuple[DemoSession, ...] = ()  # oldest first


@dataclass(frozen=True)
class DemoSummary:
    clinicians: int
    patients: int
    sessions: int


# (s, patients, *, weeks, now, rng, catalog) -> None: more made-up data for a batch of patients
# (part 2: prescriptions, clearances, alerts).
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
    s: Session, *, patients: int, weeks: int, catalog: Catalog, now: datetime, seed: int = 1,
    after_batch: Callable[[int], None] | None = None,
) -> DemoSummary:  # fmt: skip
    """Make the clinicians (one per 50 patients), the patients and their history up to `now`, one
    clinician's patients at a time. `after_batch(patients made so far)` is where the command commits:
    a transaction per batch keeps memory, and the commit-time triggers' work, the size of one batch."""
    if not 1 <= patients <= 100_000:
        raise InvalidInput("patients", "give between 1 and 100000 patients")
    if not 1 <= weeks <= 520:
        raise InvalidInput("weeks", "give between 1 and 520 weeks")
    _refuse_real_people(s)
    rng = random.Random(seed)
    start_index = s.scalar(select(func.count()).select_from(UserRow)) or 0
    tag = f"{start_index}"
    programs = sorted(catalog.templates)
    hashed = hash_password(DEMO_PASSWORD)  # slow on purpose (argon2id): once, for every demo account
    add_user(s, email=f"demo-admin-{tag}@example.org", name="Demo Admin", role="admin", password_hash=hashed,
             now=now, is_demo=True)  # fmt: skip
    clinician_ids = []
    for c in range(max(1, -(-patients // PATIENTS_PER_CLINICIAN))):
        row = add_user(s, email=f"demo-clinician-{tag}-{c + 1}@example.org", name=f"Demo Dr {LAST[c % len(LAST)]}",
                       role="clinician", password_hash=hashed, now=now, is_demo=True)  # fmt: skip
        clinician_ids.append(row.id)
    sessions = 0
    for c, clinician_id in enumerate(clinician_ids):
        batch: list[tuple[DemoPatient, list[SessionResultIn]]] = []
        for i in range(c * PATIENTS_PER_CLINICIAN, min(patients, (c + 1) * PATIENTS_PER_CLINICIAN)):
            name = f"Demo {FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]} {i + 1}"
            start = now - timedelta(weeks=weeks) + timedelta(hours=rng.randint(0, 72))
            user = add_user(s, email=f"demo-patient-{tag}-{i + 1}@example.org", name=name, role="patient",
                            password_hash=hashed, now=start, is_demo=True)  # fmt: skip
            link(s, clinician_id=clinician_id, patient_id=user.id, now=start)
            assert user.person_id is not None
            results = _history(s, user.person_id, program=rng.choice(programs), start=start, now=now,
                               catalog=catalog, rng=rng)  # fmt: skip
            batch.append((DemoPatient(user.id, user.person_id, clinician_id, start), results))
        made = _store_histories(s, batch)
        sessions += sum(len(p.sessions) for p in made)
        for filler in EXTRA_FILLERS:
            filler(s, made, weeks=weeks, now=now, rng=rng, catalog=catalog)
        if after_batch is not None:
            after_batch(min(patients, (c + 1) * PATIENTS_PER_CLINICIAN))
    return DemoSummary(len(clinician_ids), patients, sessions)


def _history(
    s: Session, person_id: int, *, program: str, start: datetime, now: datetime, catalog: Catalog,
    rng: random.Random,
) -> list[SessionResultIn]:  # fmt: skip
    """A screening (all clear), a profile and a handout plan (stored), then the results a player would
    send for sessions with pain that mostly eases (to be stored by _store_histories)."""
    answers: dict[str, Any] = {q.id: False for q in catalog.screening}
    s.add(ScreeningRow(person_id=person_id, taken_at=start, answers={**answers, "cleared-by-clinician": True},
                       outcome="ok", reasons=[], blocks_sessions=False, details={"demo": True}))  # fmt: skip
    per_week = rng.choice((2, 3, 3, 4, 5))
    repo.save_profile(s, person_id, now=start, sessions_per_week=per_week, minutes=rng.choice((10, 15, 20)))
    plan = choose_plan(
        s, person_id, ChoosePlanIn(choice="handout", program=program), catalog=catalog, now=start
    )
    # Every exercise done in full, each time (the same items for every session of this plan).
    items = [
        ItemResult(exercise=it["exercise"], status="done",
                   target=Target(sets=d.get("sets") or 1, reps=d.get("reps"), hold_seconds=d.get("hold_seconds"),
                                 each_side=bool(d.get("each_side"))),
                   done=Done(sets=d.get("sets") or 1, reps=d.get("reps") or 0, holds=1 if d.get("hold_seconds") else 0))
        for it in plan.items
        for d in [it["dose"]]
    ]  # fmt: skip
    seconds = int(plan.body.get("seconds", 600))
    keeps_going = rng.random()  # some people drift away
    pain = rng.randint(3, 7)
    day = start
    results: list[SessionResultIn] = []
    while day < now:
        if rng.random() < per_week / 7 * (0.4 + 0.6 * keeps_going):
            pain = max(0, min(10, pain + rng.choice((-1, -1, 0, 0, 0, 1))))
            begin = day.replace(hour=rng.randint(7, 19), minute=rng.randint(0, 59))
            if begin >= now:
                break
            feeling = rng.choice(("easier", "as_expected", "as_expected", "harder"))
            results.append(
                SessionResultIn(
                    client_id=f"demo-{person_id}-{len(results)}", plan_id=plan.id, player="web", started_at=begin,
                    ended_at=begin + timedelta(seconds=seconds), outcome="completed", planned_seconds=seconds,
                    active_seconds=seconds, items=items, check_in=CheckIn(pain=pain, feeling=feeling),
                )
            )  # fmt: skip
        day += timedelta(days=1)
    return results


def _store_histories(s: Session, batch: list[tuple[DemoPatient, list[SessionResultIn]]]) -> list[DemoPatient]:
    """Store every session of a batch of patients in a few multi-row inserts, each row as the session
    service builds it (services.session_results), received the moment it ended."""
    rows = [
        [(session_values(p.person_id, r, content_hash(r), r.ended_at),
          [item_values(n, it) for n, it in enumerate(r.items)], pain_values(p.person_id, r)) for r in results]
        for p, results in batch
    ]  # fmt: skip
    ids = iter(repo.add_sessions_in_bulk(s, [row for mine in rows for row in mine]))
    made = []
    for (p, results), mine in zip(batch, rows, strict=True):
        stored = []
        for r, (_, _, pain_rows) in zip(results, mine, strict=True):
            session_id, pain_ids = next(ids)
            pains = [DemoPain(pid, v["taken_at"], v["score"], v["context"], v["location"], v["red_flag"])
                     for pid, v in zip(pain_ids, pain_rows, strict=True)]  # fmt: skip
            stored.append(
                DemoSession(session_id, r.outcome, r.ended_at, r.ended_at, r.check_in.pain, tuple(pains))
            )
        made.append(replace(p, sessions=tuple(stored)))
    return made
