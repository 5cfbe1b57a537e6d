"""Pain check-ins outside a session, and the alerts all pain reports raise (domain.progress).

Alerts read the check-ins and the end-of-session scores. "This hurts" scores during a session count
only from 7 up: then they raise the same alert as a check-in would (a session stopped for severe pain
must not wait for a second question). Lower ones are shown in the history but do not count here: they
are taken at the worst moment, and the check-in at the end of that session follows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from upright.catalog.vocabulary import Vocabulary
from upright.documents.checkin import CheckInIn, CheckInOut
from upright.domain.progress import SEVERE_PAIN, Alert, PainCheckIn, check_in, pain_alerts
from upright.store import repositories as repo
from upright.store.tables import PainReportRow

__all__ = [
    "ALERT_CONTEXTS",
    "PainLike",
    "alert_check_ins",
    "alert_history",
    "counts_for_alerts",
    "current_alerts",
    "pain_check_ins",
    "record_checkin",
]

ALERT_CONTEXTS = ("check-in", "end")


def record_checkin(
    s: Session, person_id: int, data: CheckInIn, *, now: datetime, words: Vocabulary
) -> CheckInOut:
    row = repo.add_pain_report(
        s,
        PainReportRow(
            person_id=person_id,
            taken_at=now,
            score=data.pain,
            context="check-in",
            location=data.location,
            red_flag=data.red_flag,
        ),
    )
    from upright.services.clinic_alerts import note_pain  # the alert store reads this module's rules

    note_pain(s, person_id, [row], now=now, words=words)
    return CheckInOut(taken_at=row.taken_at, pain=row.score, location=row.location, red_flag=row.red_flag)


class PainLike(Protocol):
    """A stored pain score: a PainReportRow, or a plain row of its columns (repositories.pain_rows)."""

    @property
    def taken_at(self) -> datetime: ...
    @property
    def score(self) -> int: ...
    @property
    def context(self) -> str: ...
    @property
    def location(self) -> str | None: ...
    @property
    def red_flag(self) -> bool: ...


def _as_check_in(row: PainLike) -> PainCheckIn:
    return check_in(row.taken_at, row.score, row.location, red_flag=row.red_flag)


def counts_for_alerts(row: PainLike) -> bool:
    """A check-in, an end-of-session score, or a "This hurts" score of 7 or more."""
    return row.context in ALERT_CONTEXTS or (row.context == "during" and row.score >= SEVERE_PAIN)


def pain_check_ins(rows: Sequence[PainLike]) -> list[PainCheckIn]:
    return [_as_check_in(r) for r in rows if counts_for_alerts(r)]


def current_alerts(
    s: Session,
    person_id: int,
    *,
    now: datetime,
    words: Vocabulary,
    reports: Sequence[PainLike] | None = None,
) -> list[Alert]:
    """The alerts that stand now, each with its reason, most urgent first (`reports`: already loaded)."""
    rows: Sequence[PainLike] = (
        repo.key_pain_rows(s, person_id, ALERT_CONTEXTS, during_from=SEVERE_PAIN)
        if reports is None
        else reports
    )
    return pain_alerts(alert_check_ins(rows), now=now, words=words)


def alert_check_ins(rows: Sequence[PainLike]) -> list[PainCheckIn]:
    """What the alert rules read (`pain_alerts(alert_check_ins(rows), now=...)`): kept with a cached
    page, it tells whether an alert has come or gone with the clock alone."""
    return pain_check_ins(alert_history(rows))


def alert_history(rows: Sequence[PainLike]) -> list[PainLike]:
    """The few check-ins the alert rules read, in time order: the first (the usual level and the
    start date), the earliest at each place (places seen before), and the last two (the trend). Years
    of daily check-ins then cost no more than a week's (the rules give the same answer on this list)."""
    scored = [r for r in rows if counts_for_alerts(r)]
    if len(scored) <= 3:
        return scored
    keep = {0, len(scored) - 2, len(scored) - 1}
    seen: set[str] = set()
    for n, r in enumerate(scored):
        if r.location and r.location not in seen:
            seen.add(r.location)
            keep.add(n)
    return [scored[n] for n in sorted(keep)]
