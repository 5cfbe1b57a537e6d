"""What a clinician must look at, and in what order: alerts with their kind, reason and event key.

Each alert comes from one event (a check-in, a session, a screening) or from a stretch of time with
too little exercise, and carries a `key` naming that event, so storing the same alert twice is a
no-op (the store keeps one row per person and key). The pain rules are domain.progress's
`pain_alerts`, the same the patient sees; here they get the clinician's words and a key.

    red-flag          a screening with a warning sign (not "ok"), or one reported at a check-in
    hold-session      a session done while the clinician's hold stood (or before their start day):
                      the session is kept, the clinician is told (domain.clearance decides)
    severe-pain       a pain score of 7 or more (progress.SEVERE_PAIN)
    stopped-for-pain  a session the patient stopped for pain
    pain-rising       the last two scores both >= usual + 2 (the meaningful change, CLINICAL.md §3)
    new-location      pain in a place not reported before
    no-improvement    3 weeks on, not 2 points better than at the start (once per care episode)
    low-adherence     a whole 7-day week of the prescription with under half its sessions done
    no-session        7 days or more without a session (once per gap)

`adherence_7d` is the share of prescribed sessions done in the last 7 days; `panel_order` sorts
patients by need: the most urgent open alert first, then more alerts, lower adherence, longer idle."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final, Literal, TypeVar, get_args

from upright.catalog.vocabulary import Vocabulary
from upright.domain.clearance import Clearance, clearance_stop
from upright.domain.progress import PainCheckIn, adherence, pain_alerts
from upright.domain.screening import ScreeningResult

__all__ = [
    "IDLE_AFTER",
    "KIND_RANK",
    "ClinicAlert",
    "ClinicAlertKind",
    "PanelEntry",
    "adherence_7d",
    "hold_session_alerts",
    "idle_alerts",
    "pain_event_alerts",
    "panel_order",
    "screening_alerts",
    "session_alerts",
]

ClinicAlertKind = Literal[
    "red-flag",
    "hold-session",
    "severe-pain",
    "stopped-for-pain",
    "pain-rising",
    "new-location",
    "no-improvement",
    "low-adherence",
    "no-session",
]
# Most urgent first: the order of the kinds above is the panel's order of need.
KIND_RANK: Final[tuple[ClinicAlertKind, ...]] = get_args(ClinicAlertKind)
IDLE_AFTER: Final = timedelta(days=7)
WEEK: Final = timedelta(days=7)


@dataclass(frozen=True)
class ClinicAlert:
    kind: ClinicAlertKind
    reason: str  # the clinician's words, with the numbers that raised it
    at: datetime  # when the event happened
    key: str  # one alert per person and key (the event it came from)


def _pain_reason(kind: str, history: Sequence[PainCheckIn], weeks: int, words: Vocabulary) -> str:
    latest = history[-1]
    usual = history[0].score
    if kind == "red-flag":
        return "Reported a warning sign at a check-in; asked to answer the screening again."
    if kind == "severe-pain":
        return f"Pain {latest.score}/10 (severe)."
    if kind == "pain-rising":
        prev = history[-2].score if len(history) > 1 else latest.score
        return f"Pain up by 2 or more over the usual {usual}: last two scores {prev} and {latest.score}."
    if kind == "new-location":
        return f"Pain in a new place: {words.word('places', latest.location or '')}."
    return f"No improvement after {weeks} weeks: pain {latest.score}/10, started at {usual}."


def pain_event_alerts(
    history: Iterable[PainCheckIn], *, now: datetime, event: str, episode: str, words: Vocabulary
) -> list[ClinicAlert]:
    """The alerts a new pain score raises (the newest in `history`). `event` names that score (e.g.
    "pain:41"); `episode` the stretch of care, so "no improvement" is raised once per episode."""
    ordered = sorted((c for c in history if c.at <= now), key=lambda c: c.at)
    out: list[ClinicAlert] = []
    for alert in pain_alerts(ordered, now=now, words=words):
        weeks = (now - ordered[0].at).days // 7
        key = f"no-improvement:{episode}" if alert.kind == "no-improvement" else f"{event}:{alert.kind}"
        out.append(ClinicAlert(alert.kind, _pain_reason(alert.kind, ordered, weeks, words), alert.at, key))
    return out


def session_alerts(outcome: str, *, ended_at: datetime, event: str, pain: int | None) -> list[ClinicAlert]:
    """A session stopped for pain (its end-of-session pain score raises its own alerts)."""
    if outcome != "stopped_for_pain":
        return []
    said = f" Pain at the end: {pain}/10." if pain is not None else ""
    return [
        ClinicAlert("stopped-for-pain", "Stopped a session for pain." + said, ended_at, f"{event}:stopped")
    ]


def hold_session_alerts(
    clearance: Clearance | None, *, set_on: date | None, started: datetime, day: date, event: str
) -> list[ClinicAlert]:
    """A session done while `clearance` (the clinician's word in force when it started, set on
    `set_on`) said no session may start on `day` (the session's local day). The session is kept;
    this tells the clinician, once per session."""
    if clearance is None or clearance_stop(clearance, today=day) is None:
        return []
    said = f" Note: {clearance.note}" if clearance.note else ""
    since = f" on {set_on.isoformat()}" if set_on is not None else ""
    if clearance.kind == "hold":
        what = f"Did a session on {day.isoformat()} while the hold set by {clearance.by}{since} stood."
    else:
        start = clearance.start_on.isoformat() if clearance.start_on else "?"
        what = f"Did a session on {day.isoformat()}, before the start day {start} set by {clearance.by}."
    return [ClinicAlert("hold-session", what + " The session is kept." + said, started, f"{event}:hold")]


def screening_alerts(result: ScreeningResult, *, event: str, words: Vocabulary) -> list[ClinicAlert]:
    """A screening that found a warning sign: its outcome and the reasons, most urgent first."""
    if not result.has_red_flag or result.outcome == "ok":
        return []
    found = [f.reason for f in result.findings if f.outcome != "ok"]
    said = words.word("screening_outcomes", result.outcome)  # the words the patient was shown
    reason = f"Screening outcome “{said}”: " + " ".join(found[:3])
    return [ClinicAlert("red-flag", reason, result.at, f"{event}:red-flag")]


def adherence_7d(session_times: Iterable[datetime], *, per_week: int, now: datetime) -> float:
    """The share (0 to 1) of the prescribed sessions done in the 7 days up to `now`."""
    if per_week < 1:
        return 1.0
    done = sum(1 for t in session_times if now - WEEK < t <= now)
    return min(done, per_week) / per_week


def idle_alerts(
    session_times: Sequence[datetime], *, per_week: int, start: datetime, now: datetime
) -> list[ClinicAlert]:
    """Alerts from too little exercise since the prescription started at `start`:
    a whole 7-day week under half its sessions, and 7 days or more without any session."""
    if now < start + WEEK:
        return []
    out: list[ClinicAlert] = []
    # Only the last complete week counts: start counting a week before it (whole weeks keep the same
    # week edges), not a year of empty weeks back for a panel of patients on every read.
    recent = start + WEEK * max(0, (now.date() - start.date()).days // 7 - 1)
    weeks = adherence(
        [t for t in session_times if t >= recent], per_week=per_week, start=recent, now=now
    ).weeks
    done_weeks = [w for w in weeks if w.complete]
    if done_weeks:
        last = done_weeks[-1]
        if 2 * last.done < last.planned:
            at = datetime.combine(last.start + WEEK, start.timetz())
            out.append(
                ClinicAlert(
                    "low-adherence",
                    f"Did {last.done} of {last.planned} sessions in the week from {last.start.isoformat()}.",
                    at,
                    f"low-adherence:{last.start.isoformat()}",
                )
            )
    since = max([t for t in session_times if t <= now], default=None)
    idle_from = since if since is not None and since >= start else start
    if now - idle_from >= IDLE_AFTER:
        what = f"since {since.date().isoformat()}" if since is not None else "since the plan started"
        days = (now - idle_from).days
        out.append(
            ClinicAlert(
                "no-session",
                f"No session for {days} days ({what}).",
                idle_from + IDLE_AFTER,
                f"no-session:{idle_from.isoformat()}",
            )
        )
    return out


@dataclass(frozen=True)
class PanelEntry:
    """What the panel knows of one patient, enough to order by need."""

    person_id: int
    open_kinds: tuple[str, ...]
    adherence: float | None  # None: no prescription yet
    last_session: datetime | None


E = TypeVar("E", bound=PanelEntry)


def _rank(kinds: Iterable[str]) -> int:
    ranks = [KIND_RANK.index(k) for k in kinds if k in KIND_RANK]
    return min(ranks, default=len(KIND_RANK))


def panel_order(entries: Iterable[E]) -> list[E]:
    """Most need first: the most urgent open alert, then more open alerts, then lower adherence,
    then the longest since a session (never one counts as longest); ties keep the person id order."""
    never = datetime.min.replace(tzinfo=None)

    def key(e: E) -> tuple[int, int, float, datetime, int]:
        last = e.last_session.replace(tzinfo=None) if e.last_session is not None else never
        return (
            _rank(e.open_kinds),
            -len(e.open_kinds),
            1.0 if e.adherence is None else e.adherence,
            last,
            e.person_id,
        )

    return sorted(entries, key=key)
