"""Stored alerts for clinicians: written when the data arrives, read by the panel, marked seen.

The rules are domain.clinic_alerts (which reuses domain.progress's pain rules). This module runs them
at the moments data comes in, and stores what they raise, once per event:

    a check-in (or the pain score given at a screening)   note_pain(...)
    a session result (and one done during a hold)        note_session(...)
    a screening                                           note_screening(...)
    too little exercise (no event arrives)                note_idle(...), run for a panel's patients
                                                          when the panel is read; keyed per week / gap

`panel_facts` gathers what the panel shows for many patients in a few queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from upright.catalog.vocabulary import Vocabulary
from upright.clock import local_zone
from upright.documents.clinic import AlertOut, SeenIn
from upright.domain.clinic_alerts import (
    ClinicAlert,
    adherence_7d,
    hold_session_alerts,
    idle_alerts,
    pain_event_alerts,
    screening_alerts,
    session_alerts,
)
from upright.domain.progress import SEVERE_PAIN
from upright.domain.screening import ScreeningResult
from upright.errors import NotFound
from upright.services.checkins import (
    ALERT_CONTEXTS,
    PainLike,
    alert_history,
    counts_for_alerts,
    pain_check_ins,
)
from upright.services.clearance import clearance_from
from upright.store import clinic_care as store
from upright.store import repositories as repo
from upright.store.accounts import UserRow
from upright.store.tables import PainReportRow, PersonRow, SessionRow

__all__ = [
    "PanelFacts",
    "alert_out",
    "alert_values",
    "episode_of",
    "mark_seen",
    "note_idle",
    "note_pain",
    "note_screening",
    "note_session",
    "pain_report_alerts",
    "panel_facts",
    "patient_of_alert",
    "result_alerts",
    "seen_values",
]


def alert_out(row: store.ClinicAlertRow) -> AlertOut:
    return AlertOut(
        id=row.id, kind=row.kind, reason=row.reason, at=row.at, seen_at=row.seen_at,
        seen_by=row.seen_by_name, note=row.note,
    )  # fmt: skip


def alert_values(person_id: int, alert: ClinicAlert, *, now: datetime) -> dict[str, Any]:
    """The `clinic_alerts` row of a new alert (not seen yet), stored at `now`."""
    return {
        "person_id": person_id, "kind": alert.kind, "reason": alert.reason[:500], "at": alert.at, "key": alert.key,
        "created_at": now, "seen_at": None, "seen_by": None, "seen_by_name": None, "note": None,
    }  # fmt: skip


def seen_values(*, by_id: int | None, by_name: str, now: datetime) -> dict[str, Any]:
    """What marking an alert seen the first time writes."""
    return {"seen_at": now, "seen_by": by_id, "seen_by_name": by_name[:120]}


def _store(s: Session, person_id: int, alerts: Sequence[ClinicAlert], now: datetime) -> int:
    return store.add_alerts(s, [alert_values(person_id, a, now=now) for a in alerts])


def episode_of(prescription_id: int | None) -> str:
    """The stretch of care "no improvement" is counted in: the current prescription, or none yet."""
    return f"rx{prescription_id}" if prescription_id is not None else "self"


def _episode(s: Session, person_id: int) -> str:
    return episode_of(store.latest_prescription_id(s, person_id))


class StoredPain(PainLike, Protocol):
    """A pain score just stored: a PainReportRow, or services.session_results.StoredPain."""

    @property
    def id(self) -> int: ...


class SessionLike(Protocol):
    """What the session alert rules read of a stored session."""

    @property
    def id(self) -> int: ...
    @property
    def outcome(self) -> str: ...
    @property
    def ended_at(self) -> datetime: ...
    @property
    def end_pain(self) -> int | None: ...
    @property
    def started_at(self) -> datetime: ...


def pain_report_alerts(
    earlier: Sequence[PainLike], report: StoredPain, *, now: datetime, episode: str, words: Vocabulary
) -> list[ClinicAlert]:
    """The alerts one new pain score raises, judged with the scores stored before it (`earlier`: all
    of them, or just the few repositories.key_pain_rows gives; alert_history picks the same)."""
    history = pain_check_ins(alert_history([*earlier, report]))
    return pain_event_alerts(
        history, now=max(now, report.taken_at), event=f"pain:{report.id}", episode=episode, words=words
    )  # fmt: skip


def result_alerts(
    session_id: int, outcome: str, *, ended_at: datetime, end_pain: int | None
) -> list[ClinicAlert]:
    """The alerts a stored session result raises by itself (its pain scores raise theirs)."""
    return session_alerts(outcome, ended_at=ended_at, event=f"session:{session_id}", pain=end_pain)


def note_pain(
    s: Session, person_id: int, new_reports: Sequence[StoredPain], *, now: datetime, words: Vocabulary
) -> int:
    """The alerts new pain scores raise (each judged with the history up to it), worded with the
    caller's vocabulary (the catalog's)."""
    counted = sorted((r for r in new_reports if counts_for_alerts(r)), key=lambda r: (r.taken_at, r.id))
    if not counted:
        return 0
    known = repo.key_pain_rows(s, person_id, ALERT_CONTEXTS, during_from=SEVERE_PAIN)
    episode = _episode(s, person_id)
    alerts: list[ClinicAlert] = []
    for r in counted:
        earlier = [k for k in known if (k.taken_at, k.id) < (r.taken_at, r.id)]
        alerts += pain_report_alerts(earlier, r, now=now, episode=episode, words=words)
    return _store(s, person_id, alerts, now)


def note_session(
    s: Session,
    person_id: int,
    session: SessionLike,
    reports: Sequence[StoredPain],
    *,
    now: datetime,
    words: Vocabulary,
) -> int:
    """The alerts of a session result just stored, from the values written (nothing is read back)."""
    alerts = result_alerts(session.id, session.outcome, ended_at=session.ended_at, end_pain=session.end_pain)
    alerts += _during_hold(s, person_id, session)
    return _store(s, person_id, alerts, now) + note_pain(s, person_id, reports, now=now, words=words)


def _during_hold(s: Session, person_id: int, row: SessionLike) -> list[ClinicAlert]:
    """A session that started while the clinician's word said no (a script, or an outbox sending a
    session later): stored like any other, and the clinician is told."""
    word = store.clearance_at(s, person_id, row.started_at)
    if word is None:
        return []
    return hold_session_alerts(
        clearance_from(word),
        set_on=word.created_at.astimezone(local_zone()).date(),
        started=row.started_at,
        day=row.started_at.astimezone(local_zone()).date(),
        event=f"session:{row.id}",
    )


def note_screening(
    s: Session,
    person_id: int,
    screening_id: int,
    result: ScreeningResult,
    *,
    now: datetime,
    words: Vocabulary,
) -> int:
    return _store(
        s,
        person_id,
        screening_alerts(result, event=f"screening:{screening_id}", words=words),
        now,
    )


# ---- the panel -----------------------------------------------------------------------------------


RECENT_PAIN = timedelta(days=30)  # the panel's pain trend looks this far back


@dataclass(frozen=True)
class PanelFacts:
    """What the panel shows of one patient (from a few queries for the whole panel)."""

    person_id: int
    adherence: float | None  # share of prescribed sessions done in the last 7 days; None: no prescription
    last_session: datetime | None
    pains: tuple[int, ...]  # the last few pain scores, oldest first
    per_week: int | None
    start: date | None
    recent: tuple[datetime, ...] = ()  # session starts in the last 14 days (for the idle rules)


def _recent_times(s: Session, person_ids: Sequence[int], since: datetime) -> dict[int, list[datetime]]:
    out: dict[int, list[datetime]] = {p: [] for p in person_ids}
    q = select(SessionRow.person_id, SessionRow.started_at).where(
        SessionRow.person_id.in_(person_ids), SessionRow.started_at > since
    )
    for pid, at in s.execute(q):
        out[pid].append(at)
    return out


def _last_sessions(s: Session, person_ids: Sequence[int]) -> dict[int, datetime]:
    """The newest session start of each person: one index probe each, where a GROUP BY reads every
    session of every patient on the panel (a year of them)."""
    last = (
        select(func.max(SessionRow.started_at)).where(SessionRow.person_id == PersonRow.id).scalar_subquery()
    )
    q = select(PersonRow.id, last).where(PersonRow.id.in_(person_ids))
    return {pid: at for pid, at in s.execute(q) if at is not None}


def _last_pains(
    s: Session, person_ids: Sequence[int], since: datetime, n: int = 5
) -> dict[int, tuple[int, ...]]:
    """The last `n` pain scores of each person since `since`, oldest first (one query)."""
    ranked = (
        select(
            PainReportRow.person_id,
            PainReportRow.score,
            func.row_number()
            .over(
                partition_by=PainReportRow.person_id,
                order_by=(PainReportRow.taken_at.desc(), PainReportRow.id.desc()),
            )
            .label("n"),
        )
        .where(
            PainReportRow.person_id.in_(person_ids),
            PainReportRow.context.in_(ALERT_CONTEXTS),
            PainReportRow.taken_at > since,
        )
        .subquery()
    )
    q = select(ranked.c.person_id, ranked.c.score).where(ranked.c.n <= n).order_by(ranked.c.n.desc())
    out: dict[int, list[int]] = {}
    for pid, score in s.execute(q):  # newest last
        out.setdefault(pid, []).append(score)
    return {pid: tuple(v) for pid, v in out.items()}


def panel_facts(s: Session, person_ids: Sequence[int], *, now: datetime) -> dict[int, PanelFacts]:
    ids = list(person_ids)
    if not ids:
        return {}
    rx = store.latest_prescriptions(s, ids)
    recent = _recent_times(s, ids, now - timedelta(days=14))
    last = _last_sessions(s, ids)
    pains = _last_pains(s, ids, now - RECENT_PAIN)
    out = {}
    for pid in ids:
        p = rx.get(pid)
        out[pid] = PanelFacts(
            person_id=pid,
            adherence=adherence_7d(recent[pid], per_week=p.per_week, now=now) if p else None,
            last_session=last.get(pid),
            pains=pains.get(pid, ()),
            per_week=p.per_week if p else None,
            start=p.start_on if p else None,
            recent=tuple(recent[pid]),
        )
    return out


def note_idle(s: Session, facts: dict[int, PanelFacts], *, now: datetime) -> int:
    """Store the too-little-exercise alerts of these patients (once per week or gap; see the rules).
    Needs only the last 14 days of sessions and the last session, gathered by `panel_facts`."""
    due: list[tuple[int, ClinicAlert]] = []
    for pid, f in facts.items():
        if f.per_week is None or f.start is None:
            continue
        start = datetime.combine(f.start, datetime.min.time(), now.tzinfo)
        times = [*f.recent, *([f.last_session] if f.last_session and f.last_session not in f.recent else [])]
        due += [(pid, a) for a in idle_alerts(times, per_week=min(f.per_week, 21), start=start, now=now)]
    # Most are stored already after the first read of the day: one query finds them.
    stored = store.stored_keys(s, [pid for pid, _ in due], [a.key for _, a in due])
    new = 0
    for pid, alert in due:
        if (pid, alert.key) not in stored:
            new += _store(s, pid, [alert], now)
    return new


def mark_seen(
    s: Session, alert_id: int, data: SeenIn, *, by_id: int | None, by_name: str, now: datetime
) -> AlertOut:
    """Mark an alert seen, with an optional note. Seen again: the note is updated, the first time kept."""
    row = store.get_alert(s, alert_id, for_update=True)
    if row is None:
        raise NotFound("alert", str(alert_id))
    if row.seen_at is None:
        for column, value in seen_values(by_id=by_id, by_name=by_name, now=now).items():
            setattr(row, column, value)
    note = data.note.strip()
    if note:
        row.note = note
    s.flush()
    return alert_out(row)


def alerts_of(s: Session, person_id: int) -> list[AlertOut]:
    return [alert_out(r) for r in store.list_alerts(s, person_id)]


def patient_of_alert(s: Session, alert_id: int) -> int | None:
    """The patient account (users.id) whose alert this is, or None when there is no such alert."""
    row = store.get_alert(s, alert_id)
    if row is None:
        return None
    return s.scalar(select(UserRow.id).where(UserRow.person_id == row.person_id))


def facts_json(f: PanelFacts) -> dict[str, Any]:
    return {
        "adherence": f.adherence,
        "last_session": f.last_session.isoformat() if f.last_session else None,
        "pain": list(f.pains),
    }
