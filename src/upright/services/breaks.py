"""Workday breaks for one person: settings, the next break, recording what happened, the routine.

The web API, the Today partial and `upright breaks` all come through here, so every client sees the
same schedule (domain.breaks decides; this module loads, converts time zones and stores). The clock
is the caller's `now` (aware, any zone); schedules run in the person's own named zone.

Safety: a break routine is a short session, so it goes through the same door as a session
(`require_session_allowed`). When screening says no session may start, reminders still come (a
break away from the screen is harmless) but no exercises are offered; the reason is shown instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from upright.catalog import Catalog
from upright.catalog.vocabulary import Vocabulary
from upright.documents.breaks import BreakEventIn, BreakSettingsIn
from upright.documents.script import BreakRoutineDoc
from upright.documents.session_result import SessionResultIn
from upright.domain.break_routine import (
    LeftOut,
    Routine,
    break_script,
    desk_items,
    routine_minutes,
    routine_now,
)
from upright.domain.break_settings import (
    DEFAULT_SETTINGS,
    BreakSettings,
    clock_text,
    days_text,
    make_settings,
)
from upright.domain.break_stats import BreakCounts, WeekCounts, day_counts, week_counts
from upright.domain.breaks import (
    ABOUT_BREAKS,
    BreakEvent,
    BreakState,
    Kind,
    NextBreak,
    apply,
    done_on,
    implied_events,
    next_break,
    pause_for,
    pause_until_tomorrow,
    replay,
)
from upright.domain.planning import PlanInputs, make_plan
from upright.domain.rest_day import RestAdvice
from upright.domain.script import ScriptItem
from upright.errors import Conflict, InvalidInput, SafetyStop
from upright.services.clearance import require_clearance
from upright.services.people import get_profile
from upright.services.plans import active_plan, script_items_of
from upright.services.player import SessionScript, script_doc
from upright.services.rest import rest_advice_now
from upright.services.screenings import require_not_stopped, require_session_allowed, session_reminders_for
from upright.services.session_results import content_hash, count_done
from upright.store import breaks as repo
from upright.store import repositories as people_repo
from upright.store.tables import PainReportRow
from upright.zones import resolve_timezone

__all__ = [
    "DESK_PROGRAM",
    "BreakPanel",
    "BreakRoutine",
    "PersonBreaks",
    "break_panel",
    "break_routine",
    "break_status",
    "breaks_export",
    "count_session_as_break",
    "current_break_status",
    "load_breaks",
    "record_break_event",
    "record_routine_result",
    "routine_json",
    "save_break_settings",
    "settings_json",
]

DESK_PROGRAM = "workday-microbreaks"  # handout 003's desk moves: the fallback when a program has none


@dataclass(frozen=True)
class PersonBreaks:
    """A person's settings, zone, replayed state and recent events (two weeks: enough for the state and
    for this week's and last week's statistics)."""

    settings: BreakSettings
    tz: ZoneInfo
    state: BreakState
    events: tuple[BreakEvent, ...]
    is_saved: bool


@dataclass(frozen=True)
class BreakRoutine:
    routine: Routine | None  # None: screening says no session may start
    left_out: tuple[LeftOut, ...]
    note: str | None  # where the exercises came from, when not the person's own program
    stop_reasons: tuple[str, ...] = ()
    rest: RestAdvice | None = None  # why no exercise is offered now (safety stop, high pain today)


def _settings_from_row(row: repo.BreakSettingsRow) -> BreakSettings:
    return make_settings(
        every=row.every_minutes,
        start=row.start,
        end=row.end,
        days=row.days,
        days_off=[str(d) for d in row.days_off],
        postpone_minutes=row.postpone_minutes,
        max_postpones=row.max_postpones,
        natural_minutes=row.natural_minutes,
        at_hand=[str(a) for a in row.at_hand],
        reminders_on=row.reminders_on,
    )


def _event(row: repo.BreakEventRow, tz: ZoneInfo) -> BreakEvent:
    return BreakEvent(
        kind=Kind(row.kind),
        at=row.at.astimezone(tz),
        until=row.until.astimezone(tz) if row.until else None,
        exercises=tuple(str(e) for e in row.exercises),
        idle_seconds=row.idle_seconds,
    )


def load_breaks(s: Session, person_id: int, *, now: datetime) -> PersonBreaks:
    row = repo.get_break_settings(s, person_id)
    settings = _settings_from_row(row) if row else DEFAULT_SETTINGS
    tz = resolve_timezone(row.timezone if row else None)
    local = now.astimezone(tz)
    since_day = local.date() - timedelta(days=local.weekday() + 7)  # Monday of last week
    since = datetime.combine(since_day, time(0), tzinfo=tz)
    events = tuple(_event(r, tz) for r in repo.break_events_since(s, person_id, since))
    return PersonBreaks(settings, tz, replay(settings, events), events, row is not None)


def settings_json(pb: PersonBreaks) -> dict[str, Any]:
    s = pb.settings
    return {
        "every": s.every_minutes,
        "start": clock_text(s.start),
        "end": clock_text(s.end),
        "days": days_text(s.days),
        "days_off": sorted(d.isoformat() for d in s.days_off),
        "postpone_minutes": s.postpone_minutes,
        "max_postpones": s.max_postpones,
        "natural_minutes": s.natural_minutes,
        "at_hand": sorted(s.at_hand),
        "timezone": pb.tz.key,
        "reminders_on": s.reminders_on,
        "saved": pb.is_saved,
    }


def save_break_settings(
    s: Session, person_id: int, change: BreakSettingsIn, *, now: datetime
) -> PersonBreaks:
    """Check every value (domain errors name the field), then store them all."""
    current = settings_json(load_breaks(s, person_id, now=now))
    values = {**current, **change.model_dump(exclude_none=True)}
    tz = resolve_timezone(values["timezone"], "timezone")
    checked = make_settings(
        every=values["every"],
        start=values["start"],
        end=values["end"],
        days=values["days"],
        days_off=values["days_off"],
        postpone_minutes=values["postpone_minutes"],
        max_postpones=values["max_postpones"],
        natural_minutes=values["natural_minutes"],
        at_hand=values["at_hand"],
        reminders_on=bool(values["reminders_on"]),
    )
    repo.save_break_settings(
        s,
        person_id,
        now=now,
        every_minutes=checked.every_minutes,
        start=clock_text(checked.start),
        end=clock_text(checked.end),
        days=days_text(checked.days),
        days_off=sorted(d.isoformat() for d in checked.days_off),
        postpone_minutes=checked.postpone_minutes,
        max_postpones=checked.max_postpones,
        natural_minutes=checked.natural_minutes,
        at_hand=sorted(checked.at_hand),
        timezone=tz.key,
        reminders_on=checked.reminders_on,
    )
    return load_breaks(s, person_id, now=now)


def _counts(c: BreakCounts) -> dict[str, int]:
    return c.as_dict()


def next_json(nb: NextBreak, *, now: datetime) -> dict[str, Any]:
    seconds = max(0.0, (nb.due_at - now).total_seconds()) if nb.due_at else None
    return {
        "due_at": nb.due_at.isoformat() if nb.due_at else None,
        "due_clock": clock_text(nb.due_at) if nb.due_at else None,
        "seconds_until": round(seconds) if seconds is not None else None,
        "is_due": nb.is_due,
        "phase": nb.phase.value,
        "can_postpone": nb.can_postpone,
        "postpones_left": nb.postpones_left,
        "reason": nb.reason,
    }


def _upcoming_break(
    pb: PersonBreaks, *, now: datetime, idle_seconds: float = 0, rest: RestAdvice | None = None
) -> dict[str, Any]:
    """The `next` part of break_status alone: all that the clock changes within a day."""
    local = now.astimezone(pb.tz)
    nb = next_break(pb.settings, pb.state, local, idle_seconds=idle_seconds)
    upcoming = next_json(nb, now=local)
    if rest is not None and pb.settings.reminders_on:
        upcoming = {**upcoming, "is_due": False, "can_postpone": False, "phase": "resting",
                    "due_at": None, "due_clock": None, "seconds_until": None, "reason": rest.sentence}  # fmt: skip
    return upcoming


def break_status(
    pb: PersonBreaks,
    *,
    now: datetime,
    idle_seconds: float = 0,
    rest: RestAdvice | None = None,
    routine_minutes: int | None = None,
) -> dict[str, Any]:
    """Everything a client shows: the next break, today's and this week's counts, the settings.

    `rest` (exercise not advised now) silences reminders: nothing is due, and `next.reason` says why.
    `routine_minutes` is the length of the routine a break would play now, so every client says the
    same number."""
    local = now.astimezone(pb.tz)
    today = day_counts(pb.events, [local.date()])[0]
    week = week_counts(pb.events, local.date())
    last_week = week_counts(pb.events, week.start - timedelta(days=7))
    return {
        "now": local.isoformat(),
        "next": _upcoming_break(pb, now=local, idle_seconds=idle_seconds, rest=rest),
        "rest": {"cause": rest.cause, "reason": rest.sentence} if rest else None,
        "routine_minutes": routine_minutes,
        "today": {"day": today.day.isoformat(), **_counts(today.counts)},
        "week": _week_json(week),
        "last_week": _week_json(last_week),
        "settings": settings_json(pb),
        "about": ABOUT_BREAKS,
    }


@dataclass(frozen=True)
class BreakPanel:
    """What only storage knows for a break status, read once: the person's break settings and log,
    whether to rest today, and the routine's length. `status(now)` adds the clock (pure, no database),
    so a page cached for a day (the Today page) can tell whether a break has come due since."""

    pb: PersonBreaks
    rest: RestAdvice | None
    routine_minutes: int | None

    def status(self, now: datetime, *, idle_seconds: float = 0) -> dict[str, Any]:
        return break_status(
            self.pb, now=now, idle_seconds=idle_seconds, rest=self.rest, routine_minutes=self.routine_minutes
        )

    def upcoming(self, now: datetime) -> dict[str, Any]:
        """`status(now)["next"]` without the day's and weeks' counts (a cached page's clock check)."""
        return _upcoming_break(self.pb, now=now, rest=self.rest)


def break_panel(
    s: Session, person_id: int, *, now: datetime, catalog: Catalog, pb: PersonBreaks | None = None
) -> BreakPanel:
    pb = pb or load_breaks(s, person_id, now=now)
    br = break_routine(s, person_id, catalog=catalog, now=now, pb=pb)
    minutes = routine_minutes(br.routine.script.total_seconds) if br.routine else None
    return BreakPanel(pb, br.rest, minutes)


def current_break_status(
    s: Session,
    person_id: int,
    *,
    now: datetime,
    catalog: Catalog,
    idle_seconds: float = 0,
    pb: PersonBreaks | None = None,
) -> dict[str, Any]:
    """break_status with what only storage knows: whether to rest today, and the routine's length."""
    return break_panel(s, person_id, now=now, catalog=catalog, pb=pb).status(now, idle_seconds=idle_seconds)


def _week_json(week: WeekCounts) -> dict[str, Any]:
    return {
        "start": week.start.isoformat(),
        "days": [{"day": d.day.isoformat(), **_counts(d.counts)} for d in week.days],
        "total": _counts(week.total),
    }


def _known_exercises(ids: Iterable[str], catalog: Catalog | None) -> tuple[str, ...]:
    out = []
    for i, ex in enumerate(ids):
        if catalog is not None and ex not in catalog.exercises:
            raise InvalidInput(f"exercises[{i}]", f"There is no exercise called {ex!r}.")
        out.append(ex)
    return tuple(out)


def record_break_event(
    s: Session,
    person_id: int,
    data: BreakEventIn,
    *,
    now: datetime,
    catalog: Catalog | None = None,
    client: str = "web",
    client_id: str | None = None,
) -> PersonBreaks:
    """Check the event against the state machine (Conflict or InvalidInput when it does not fit), store it."""
    repo.lock_breaks(s, person_id)
    pb = load_breaks(s, person_id, now=now)
    local = now.astimezone(pb.tz)
    kind = Kind(data.kind)
    if kind is Kind.PROMPTED:
        rest = rest_advice_now(s, person_id, now=now, tz=pb.tz)
        if rest is not None:
            raise Conflict(rest.sentence)
    if kind is Kind.PAUSED:
        if (data.minutes is None) == (data.until is None):
            raise InvalidInput("minutes", "Say how long to pause: a number of minutes, or until tomorrow.")
        event = (
            pause_until_tomorrow(pb.settings, local)
            if data.until == "tomorrow"
            else pause_for(pb.settings, local, data.minutes or 0)
        )
    else:
        event = BreakEvent(
            kind,
            local,
            exercises=_known_exercises(data.exercises, catalog) if kind is Kind.TAKEN else (),
            idle_seconds=data.idle_seconds if kind is Kind.NATURAL else 0,
        )
    state, events = pb.state, implied_events(pb.settings, pb.state, event)
    for e in events:
        state = apply(pb.settings, state, e)
    for e in events:
        repo.add_break_event(
            s,
            repo.BreakEventRow(
                person_id=person_id,
                kind=e.kind.value,
                at=e.at.astimezone(UTC),
                until=e.until.astimezone(UTC) if e.until else None,
                exercises=list(e.exercises),
                idle_seconds=e.idle_seconds,
                client=client,
                client_id=client_id if e is event else None,
            ),
        )
    return PersonBreaks(pb.settings, pb.tz, state, (*pb.events, *events), pb.is_saved)


def record_routine_result(
    s: Session, person_id: int, data: SessionResultIn, *, now: datetime, catalog: Catalog
) -> dict[str, Any]:
    """What the session player reports at the end of a break routine (the same shape as a session's).

    The break counts as taken when the routine played to its end or any exercise was done. "This
    hurts" scores are kept as pain reports, as in a session. Stored once per client_id: a resend with
    the same content stores nothing and gets the same answer; other content under that id is a Conflict.
    The key row goes in first, so two copies sent at once cannot both store their pain reports."""
    digest = content_hash(data)
    first = _stored_routine(s, person_id, data.client_id, digest)
    if first is not None:
        return {**current_break_status(s, person_id, now=now, catalog=catalog), "taken": first}
    require_not_stopped(s, person_id)  # while a stop stands, no exercise is recorded (409 with its reason)
    counted = count_done(data, catalog)
    done = [i.exercise for i in counted.items if i.status in ("done", "partial")]
    named = [*done, *(p.exercise for p in data.pain_reports if p.exercise)]
    _known_exercises(named, catalog)
    taken = data.outcome == "completed" or bool(done)
    try:
        repo.add_routine_result(
            s,
            repo.RoutineResultRow(
                person_id=person_id,
                client_id=data.client_id,
                content_hash=digest,
                taken=taken,
                received_at=now,
            ),
        )
    except IntegrityError:  # another process stored this id between our look and our write
        s.rollback()
        first = _stored_routine(s, person_id, data.client_id, digest)
        if first is None:
            raise
        return {**current_break_status(s, person_id, now=now, catalog=catalog), "taken": first}
    for report in data.pain_reports:
        people_repo.add_pain_report(
            s,
            PainReportRow(
                person_id=person_id,
                taken_at=report.at,
                score=report.score,
                context="during",
                exercise_id=report.exercise,
                action=report.action,
            ),
        )
    if not taken:
        return {**current_break_status(s, person_id, now=now, catalog=catalog), "taken": False}
    event = BreakEventIn(kind="taken", exercises=done)
    pb = record_break_event(
        s, person_id, event, now=now, catalog=catalog, client=data.player, client_id=data.client_id
    )
    return {**current_break_status(s, person_id, now=now, catalog=catalog, pb=pb), "taken": True}


def _stored_routine(s: Session, person_id: int, client_id: str, digest: str) -> bool | None:
    """Whether the stored result under this id counted as a break (None: nothing stored yet)."""
    row = repo.find_routine_result(s, person_id, client_id)
    if row is not None:
        if row.content_hash != digest:
            raise Conflict(
                "A different break result was already saved with this client_id. Make a new id for a new break."
            )
        return row.taken
    if repo.find_break_event(s, person_id, client_id) is not None:  # stored before routine_results existed
        return True
    return None


def breaks_export(s: Session, person_id: int) -> dict[str, Any]:
    """The person's break settings and every break event, for "export all my data"."""
    row = repo.get_break_settings(s, person_id)
    settings = None
    if row is not None:
        settings = {
            "every": row.every_minutes, "start": row.start, "end": row.end, "days": row.days,
            "days_off": list(row.days_off), "postpone_minutes": row.postpone_minutes,
            "max_postpones": row.max_postpones, "natural_minutes": row.natural_minutes,
            "at_hand": list(row.at_hand), "timezone": row.timezone, "updated_at": row.updated_at.isoformat(),
            "reminders_on": row.reminders_on,
        }  # fmt: skip
    events = [
        {
            "kind": e.kind,
            "at": e.at.isoformat(),
            "until": e.until.isoformat() if e.until else None,
            "exercises": list(e.exercises),
            "idle_seconds": e.idle_seconds,
            "client": e.client,
            "client_id": e.client_id,
        }
        for e in repo.break_events_since(s, person_id)
    ]
    return {"settings": settings, "events": events}


def _program_items(s: Session, person_id: int, catalog: Catalog) -> tuple[list[ScriptItem], dict[str, int]]:
    """The program's items for breaks, and the times a day a clinician set for each (if any)."""
    stored = active_plan(s, person_id)
    if stored is None:
        return [], {}
    prescribed = stored.body.get("prescribed") or {}
    chosen = set(prescribed.get("break_exercises") or [])  # a clinician named the moves for breaks
    items = [i for i in stored.items if i["exercise"] in chosen] if chosen else stored.items
    times = {i["exercise"]: int(i["times_per_day"]) for i in items if i.get("times_per_day")}
    return script_items_of(items, catalog), times


def _desk_program(s: Session, person_id: int, catalog: Catalog) -> list[ScriptItem]:
    """Handout 003's desk moves, fitted by the engine to the person's conditions and equipment."""
    p = get_profile(s, person_id)
    plan = make_plan(
        catalog,
        PlanInputs(
            setting="work",
            equipment=frozenset(p.equipment),
            conditions=tuple(p.conditions),
            minutes=60.0,  # the whole list: a break takes one or two at a time
            focus=p.focus,
            template=DESK_PROGRAM,
        ),
    )
    return [ScriptItem(i.exercise, i.dose, i.position) for i in plan.items]


def break_routine(
    s: Session, person_id: int, *, catalog: Catalog, now: datetime, pb: PersonBreaks | None = None
) -> BreakRoutine:
    """The routine for a break now, from the person's program (or the desk handout when it has no
    desk exercise). None, with the reasons, when screening says no session may start, or when the
    person should rest today (high pain, a session stopped for pain)."""
    pb = pb or load_breaks(s, person_id, now=now)
    rest = rest_advice_now(s, person_id, now=now, tz=pb.tz)
    try:
        screening = require_session_allowed(s, person_id)
        require_clearance(s, person_id, today=now.astimezone(pb.tz).date())
    except SafetyStop as stop:
        return BreakRoutine(None, (), None, tuple(stop.reasons), rest)
    if rest is not None:
        return BreakRoutine(None, (), None, (rest.sentence,), rest)
    local = now.astimezone(pb.tz)
    words = catalog.vocabulary
    program, times = _program_items(s, person_id, catalog)
    items, left = desk_items(program, words=words, at_hand=pb.settings.at_hand)
    note = None
    if not items:
        note = "Your program has no moves for a desk, so these come from the desk handout."
        items, _ = desk_items(_desk_program(s, person_id, catalog), words=words, at_hand=pb.settings.at_hand)
    routine = routine_now(items, done_on(pb.state, local.date()), words=words, prescribed=times)
    reminders = session_reminders_for(screening)
    if reminders:
        routine = Routine(
            routine.items, break_script(routine.items, words=words, reminders=reminders), routine.reason
        )
    return BreakRoutine(routine, tuple(left), note)


def count_session_as_break(s: Session, person_id: int, *, now: datetime) -> None:
    """Starting or finishing a session is a break from work: the next reminder is a full gap later.

    Only for a person with reminders on (nobody else needs the log), and not again when a break
    ended moments ago (a page reloaded)."""
    if not repo.reminders_on(s, person_id):
        return  # the usual case: one small read, no settings or events loaded
    pb = load_breaks(s, person_id, now=now)
    local = now.astimezone(pb.tz)
    if pb.state.rested_at is not None and local - pb.state.rested_at < timedelta(minutes=2):
        return
    try:
        record_break_event(s, person_id, BreakEventIn(kind="taken"), now=now, client="session")
    except Conflict:
        return  # an event newer than this one is stored (another device): nothing to add


def routine_doc(br: BreakRoutine, words: Vocabulary) -> BreakRoutineDoc:
    """The routine in the player's script shape (services.player.script_doc), plus why and what is
    left out."""
    base: dict[str, Any] = {
        "about": ABOUT_BREAKS,
        "note": br.note,
        "left_out": [{"exercise": x.exercise, "reason": x.reason} for x in br.left_out],
        "stop_reasons": list(br.stop_reasons),
    }
    if br.routine is None:
        return BreakRoutineDoc(
            **base,
            rest=br.rest.cause if br.rest else None,
            reason="No moves for now. Rest your eyes and look away from the screen.",
        )
    r = br.routine
    script = script_doc(SessionScript(r.script, list(r.items), plan_id=None, program=None, words=words))
    return BreakRoutineDoc(
        **script.model_dump(exclude={"minutes"}),
        **base,
        reason=r.reason,
        exercises=list(r.exercises),
        minutes=routine_minutes(r.script.total_seconds),
    )


def routine_json(br: BreakRoutine, words: Vocabulary) -> dict[str, Any]:
    return routine_doc(br, words).model_dump(mode="json")
