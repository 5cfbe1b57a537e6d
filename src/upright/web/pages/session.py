"""The guided session page. The script is compiled once, here, and put in the page as JSON for the
player (static/player.js). Without JavaScript the page lists every step in order and offers a plain
form to log the session, with where the person stopped; the server counts it like any player's
result (services.session_results.count_done, domain.tally).

The safety gate is the service's: a stopped person gets the stop screen here, never a player."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from upright.catalog.vocabulary import Vocabulary
from upright.documents.session_result import CheckIn, Done, ItemResult, SessionResultIn, Target
from upright.domain.script import Script
from upright.errors import Conflict, InvalidInput, SafetyStop
from upright.services.breaks import count_session_as_break
from upright.services.people import get_profile
from upright.services.plans import get_plan
from upright.services.player import SessionScript, script_json, session_script
from upright.services.safety_words import HIGH_PAIN_ADVICE, pain_advice
from upright.services.sessions import is_stored, record_session
from upright.web.deps import CatalogDep
from upright.web.forms import FormDep, first, see_other, to_int
from upright.web.page_parts import figures_for, stop_page
from upright.web.patient_deps import DbDep, LocalTz, NowDep, PersonDep
from upright.web.static_files import figure_url
from upright.web.templating import templates

router = APIRouter(include_in_schema=False)

FIGURE_URL = figure_url()


def _gate(exc: SafetyStop | Conflict, request: Request) -> Response:
    if isinstance(exc, Conflict):
        return see_other("/setup")
    if exc.outcome in ("emergency", "seek_care_now"):
        return stop_page(request, exc.outcome, code=409)
    if exc.outcome in ("rest_today", "not_cleared"):
        return see_other("/today")  # Today says why there is no more exercise today
    return see_other("/screening")


@router.get("/session", response_class=HTMLResponse)
def session_page(
    request: Request,
    db: DbDep,
    person: PersonDep,
    catalog: CatalogDep,
    now: NowDep,
    tz: LocalTz,
    program: str | None = Query(None, max_length=60),
) -> Response:
    try:
        ss = session_script(db, person.id, catalog=catalog, now=now, tz=tz, program=program)
    except (SafetyStop, Conflict) as exc:
        return _gate(exc, request)
    count_session_as_break(db, person.id, now=now)  # starting a session is a break from work
    return templates.TemplateResponse(
        request,
        "patient/session.html",
        {
            "title": "Session",
            "ss": ss,
            "script": ss.script,
            "prescribed": get_plan(db, person.id, ss.plan_id).body.get("prescribed") if ss.plan_id else None,
            "script_doc": script_json(ss),
            "stop_points": stop_points(ss.script, catalog.vocabulary),
            "voice_on": get_profile(db, person.id).voice_on,
            "figures": figures_for([it.exercise.id for it in ss.items]),
            "figure_url": FIGURE_URL,
            "client_id": uuid.uuid4().hex,
            "started_at": now.isoformat(),
            "program": program or "",
            "advice": pain_advice(),
            "high_pain_advice": HIGH_PAIN_ADVICE,
        },
    )


@router.post("/session/log", response_class=HTMLResponse)
def log_without_player(
    request: Request,
    form: FormDep,
    db: DbDep,
    person: PersonDep,
    catalog: CatalogDep,
    now: NowDep,
    tz: LocalTz,
) -> Response:
    """The no-JavaScript way: the page's own client id makes a repeated post harmless."""
    program = first(form, "program") or None
    client_id = first(form, "client_id") or uuid.uuid4().hex
    if is_stored(db, person.id, client_id):  # the same form sent again (reload, double click)
        return see_other("/progress")
    try:
        ss = session_script(
            db, person.id, catalog=catalog, now=now, tz=tz, program=program, is_done_already=True
        )  # what was stored since the page opened (a hold, a pain of 7) does not lose the session
    except (SafetyStop, Conflict) as exc:
        return _gate(exc, request)
    pain = to_int(first(form, "pain"))
    stopped_after = _stop_point(first(form, "stopped_after"))
    how_much = "part" if stopped_after else first(form, "how_much", "all")
    try:
        started = datetime.fromisoformat(first(form, "started_at"))
    except ValueError:
        started = now
    started = min(started if started.tzinfo else started.replace(tzinfo=UTC), now)
    started = max(started, now - timedelta(hours=6))
    feeling = first(form, "feeling") or None
    try:
        data = SessionResultIn(
            client_id=client_id,
            plan_id=ss.plan_id,
            program=program,
            player="web",
            started_at=started,
            ended_at=now,
            outcome="completed" if how_much == "all" else "ended_early",
            planned_seconds=int(ss.script.total_seconds),
            items=_items_done(ss, how_much, stopped_after),
            check_in=CheckIn(pain=pain, feeling=feeling if feeling in ("easier", "as_expected", "harder") else None),
        )  # fmt: skip
    except ValueError:
        raise InvalidInput(
            "session", "the form could not be read; please open the session page again"
        ) from None
    record_session(db, person.id, data, catalog=catalog, now=now)
    db.commit()
    return see_other("/progress")


def stop_points(script: Script, words: Vocabulary) -> list[tuple[str, list[tuple[str, str]]]]:
    """Where a person can say they stopped: the end of every rep, per exercise ("item:part" values)."""
    groups: dict[int, tuple[str, list[tuple[str, str]]]] = {}
    for step in script.steps:
        if not step.ends_rep or step.item is None:
            continue
        where = []
        if (step.reps or 1) > 1:
            where.append(words.filled("player", "stop_time_of", n=step.rep, of=step.reps))
        if (step.sets or 1) > 1:
            where.append(words.filled("player", "stop_set_of", n=step.set, of=step.sets))
        if step.side and step.sides and not step.side_name:
            where.append(words.word("player", "first_side" if step.side == 1 else "second_side"))
        label = f"{step.exercise_name}: {', '.join(where) or words.word('player', 'all_done')}"
        groups.setdefault(step.item, (step.exercise_name or "", []))[1].append(
            (f"{step.item}:{step.part}", label)
        )
    return list(groups.values())


def _stop_point(value: str) -> tuple[int, int] | None:
    item, _, part = value.partition(":")
    return (int(item), int(part)) if item.isdigit() and part.isdigit() else None


def _items_done(ss: SessionScript, how_much: str, stopped_after: tuple[int, int] | None) -> list[ItemResult]:
    """Every exercise up to the stop point done in full, the one stopped in up to that part, the rest not.
    "Part of it" without a stop point: nothing is known, so nothing is counted (the older shape)."""
    results = []
    for n, it in enumerate(ss.items):
        parts = [s.part for s in ss.script.steps if s.item == n and s.part is not None]
        target = Target(sets=it.dose.sets, reps=it.dose.reps, hold_seconds=it.dose.hold_seconds,
                        each_side=it.dose.each_side)  # fmt: skip
        if how_much == "all":
            results.append(ItemResult(exercise=it.exercise.id, target=target, steps_done=parts))
        elif stopped_after is None:
            results.append(ItemResult(exercise=it.exercise.id, target=target, done=Done(), status="partial"))
        else:
            last_item, last_part = stopped_after
            done = parts if n < last_item else [p for p in parts if p <= last_part] if n == last_item else []
            results.append(ItemResult(exercise=it.exercise.id, target=target, steps_done=done))
    return results
