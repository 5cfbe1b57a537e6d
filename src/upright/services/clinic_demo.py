"""Demo data for clinic care (`upright demo`): each made-up patient gets a prescription from their
clinician, a clearance, and the alerts their recent sessions raise, with some marked seen with a note.
A filler of services.demo.EXTRA_FILLERS, run for each batch of patients.

The alerts are worked out in memory from the history the demo made, by the same rules and in the same
shape as services.clinic_alerts stores them when data arrives (each event judged with the scores
before it, at the moment it arrived), and stored in one statement per batch."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from upright.catalog import Catalog
from upright.catalog.vocabulary import Vocabulary
from upright.documents.clinic import ClearanceIn
from upright.documents.prescription import PrescriptionIn
from upright.domain.clinic_alerts import ClinicAlert
from upright.services.accounts import get_user
from upright.services.checkins import counts_for_alerts
from upright.services.clearance import set_clearance
from upright.services.clinic_alerts import (
    StoredPain,
    alert_values,
    episode_of,
    pain_report_alerts,
    result_alerts,
    seen_values,
)
from upright.services.demo import DemoPatient
from upright.services.plans import active_plan
from upright.services.prescriptions import prescribe
from upright.store import clinic_care as store
from upright.store.tables import PainReportRow

__all__ = ["fill_care"]

RECENT_SESSIONS = 3  # alerts come from the last few sessions (older ones would be long seen)
BAD_DAYS = 0.1  # the share of patients with a bad day (a high pain check-in) in the last 4 days


def fill_care(s: Session, patients: Sequence[DemoPatient], *, weeks: int, now: datetime, rng: random.Random,
              catalog: Catalog) -> None:  # fmt: skip
    names: dict[int, str] = {}
    episodes: dict[int, str] = {}
    bad_days: dict[int, PainReportRow] = {}
    for p in patients:
        name = names.setdefault(p.clinician_id, get_user(s, p.clinician_id).name)
        plan = active_plan(s, p.person_id)
        if plan is None:
            continue
        items = [{"exercise": i["exercise"]} for i in plan.items][:6]
        set_clearance(s, p.person_id, ClearanceIn(kind="cleared", start_on=p.start.date()), author_id=p.clinician_id,
                      author_name=name, now=p.start)  # fmt: skip
        data = PrescriptionIn(items=items, per_week=rng.choice((2, 3, 4)), start=p.start.date(), weeks=max(1, min(weeks, 52)),
                              note="Demo prescription: go slowly, stop if it hurts.")  # fmt: skip
        rx = prescribe(
            s, p.person_id, data, author_id=p.clinician_id, author_name=name, catalog=catalog, now=p.start
        )
        episodes[p.person_id] = episode_of(rx.id)
        if rng.random() < BAD_DAYS:
            at = now - timedelta(hours=rng.randint(1, 96))
            bad_days[p.person_id] = PainReportRow(person_id=p.person_id, taken_at=at, score=rng.randint(7, 9),
                                                  context="check-in", location="upper-back", red_flag=False)  # fmt: skip
            s.add(bad_days[p.person_id])
    s.flush()  # the bad days' ids name their alerts
    rows: list[dict[str, Any]] = []
    for p in patients:
        if p.person_id not in episodes:
            continue
        for arrived, alert in _alerts(
            p, episodes[p.person_id], bad_days.get(p.person_id), catalog.vocabulary
        ):
            row = alert_values(p.person_id, alert, now=arrived)
            if rng.random() < 0.5:
                seen = seen_values(by_id=p.clinician_id, by_name=names[p.clinician_id], now=now)
                row |= {**seen, "note": "Demo: called, all fine."}
            rows.append(row)
    store.add_alerts(s, rows)


def _alerts(
    p: DemoPatient, episode: str, bad_day: PainReportRow | None, words: Vocabulary
) -> list[tuple[datetime, ClinicAlert]]:
    """The alerts of the patient's last sessions and bad day, each with the moment its event arrived,
    in that order (an event key raised twice is stored the first time)."""
    scores: list[StoredPain] = [q for session in p.sessions for q in session.pains]
    if bad_day is not None:
        scores.append(bad_day)
    scores.sort(key=lambda q: (q.taken_at, q.id))

    def of_score(r: StoredPain, arrived: datetime) -> list[tuple[datetime, ClinicAlert]]:
        if not counts_for_alerts(r):
            return []
        earlier = [q for q in scores if (q.taken_at, q.id) < (r.taken_at, r.id)]
        return [
            (arrived, a) for a in pain_report_alerts(earlier, r, now=arrived, episode=episode, words=words)
        ]

    out: list[tuple[datetime, ClinicAlert]] = []
    for session in p.sessions[-RECENT_SESSIONS:]:
        arrived = session.received_at
        out += [(arrived, a) for a in result_alerts(session.id, session.outcome, ended_at=session.ended_at,
                                                    end_pain=session.end_pain)]  # fmt: skip
        for r in session.pains:
            out += of_score(r, arrived)
    if bad_day is not None:
        out += of_score(bad_day, bad_day.taken_at)
    return sorted(out, key=lambda pair: pair[0])
