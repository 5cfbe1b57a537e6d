"""Break pages: /breaks (next break, reminders on or off, this week, pause, settings, calendar),
/breaks/routine (the short routine in the session player), /calendar/breaks.ics. The Today page shows
the same panel (partials/next_break.html) from the status its own handler passes in.

Reminders are opt-in: off until the person turns them on (here, in Settings, or at setup for a work
desk). Everything works without JavaScript: forms post and redirect. static/breaks.js adds the
reminder when a break comes due while a page is open (a banner in the page, the tab title, and a
system notification if allowed)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from upright.catalog.schema import EQUIPMENT
from upright.documents.breaks import BreakEventIn, BreakSettingsIn
from upright.domain.break_settings import WEEKDAYS
from upright.domain.breaks import ABOUT_BREAKS
from upright.errors import Conflict, InvalidInput, NotFound
from upright.exports.ical import breaks_calendar
from upright.services.access import tokens_match
from upright.services.breaks import (
    break_routine,
    current_break_status,
    load_breaks,
    record_break_event,
    routine_json,
    save_break_settings,
)
from upright.services.people import get_profile
from upright.services.safety_words import HIGH_PAIN_ADVICE, pain_advice
from upright.web.deps import CatalogDep, public_origin
from upright.web.page_parts import figures_for
from upright.web.patient_deps import DbDep, NowDep, PersonDep, WriteDbDep
from upright.web.remote import CALENDAR_PATH, is_logged_in
from upright.web.static_files import figure_url
from upright.web.templating import templates

router = APIRouter(include_in_schema=False)

FIGURE_URL = figure_url()
BACK_TO = ("/today", "/breaks")  # where a form may send the person back (no open redirects)
AT_HAND_CHOICES = [e for e in EQUIPMENT if e not in ("none", "chair", "mat")]


def _page(request: Request, status: dict[str, Any], *, error: InvalidInput | None = None,
          form: dict[str, Any] | None = None, code: int = 200) -> Response:  # fmt: skip
    settings = form or status["settings"]
    return templates.TemplateResponse(
        request,
        "breaks.html",
        {
            "title": "Short breaks",
            "status": status,
            "breaks_status": status,
            "about": ABOUT_BREAKS,
            "form": settings,
            "chosen_days": _chosen_days(settings.get("days", "")),
            "at_hand_choices": AT_HAND_CHOICES,
            "error": error,
            "calendar_url": calendar_url(request),
        },
        status_code=code,
    )


def calendar_url(request: Request) -> str:
    """The feed's address with this install's calendar token (a calendar app cannot log in)."""
    return f"{public_origin(request)}{CALENDAR_PATH}?key={request.app.state.calendar_token}"


def _chosen_days(text: str) -> set[str]:
    from upright.domain.break_settings import parse_days

    try:
        return {WEEKDAYS[d] for d in parse_days(text)}
    except InvalidInput:
        return set()


@router.get("/breaks", response_class=HTMLResponse)
def breaks_page(request: Request, db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep) -> Response:
    return _page(request, current_break_status(db, person.id, now=now, catalog=catalog))


@router.post("/breaks/settings", response_class=HTMLResponse)
def save_settings_form(
    request: Request,
    db: WriteDbDep,
    person: PersonDep,
    now: NowDep,
    every: Annotated[str, Form()] = "45",
    start: Annotated[str, Form()] = "09:00",
    end: Annotated[str, Form()] = "17:00",
    days: Annotated[list[str] | None, Form()] = None,
    days_off: Annotated[str, Form()] = "",
    postpone_minutes: Annotated[str, Form()] = "5",
    max_postpones: Annotated[str, Form()] = "2",
    natural_minutes: Annotated[str, Form()] = "5",
    at_hand: Annotated[list[str] | None, Form()] = None,
    timezone: Annotated[str, Form()] = "",
) -> Response:
    raw = {
        "every": every, "start": start, "end": end, "days": ",".join(days or []),
        "days_off": [d.strip() for d in days_off.replace("\n", ",").split(",") if d.strip()],
        "postpone_minutes": postpone_minutes, "max_postpones": max_postpones,
        "natural_minutes": natural_minutes, "at_hand": at_hand or [], "timezone": timezone,
    }  # fmt: skip
    try:
        change = BreakSettingsIn(
            every=_whole(every, "every"),
            start=start,
            end=end,
            days=raw["days"] or ",",
            days_off=raw["days_off"],
            postpone_minutes=_whole(postpone_minutes, "postpone_minutes"),
            max_postpones=_whole(max_postpones, "max_postpones"),
            natural_minutes=_whole(natural_minutes, "natural_minutes"),
            at_hand=raw["at_hand"],
            timezone=timezone or None,
        )
        save_break_settings(db, person.id, change, now=now)
    except InvalidInput as exc:
        db.rollback()
        status = current_break_status(db, person.id, now=now, catalog=request.app.state.catalog)
        form = {**raw, "days": raw["days"], "days_off": raw["days_off"]}
        return _page(request, status, error=exc, form=form, code=422)
    return RedirectResponse("/breaks?saved=1#settings", status_code=303)


def _whole(text: str, field: str) -> int:
    if not text.strip().lstrip("-").isdigit():
        raise InvalidInput(field, f"Write a whole number. You wrote {text!r}.")
    return int(text)


@router.post("/breaks/events", response_class=HTMLResponse)
def post_event_form(
    request: Request,
    db: WriteDbDep,
    person: PersonDep,
    catalog: CatalogDep,
    now: NowDep,
    kind: Annotated[str, Form()],
    minutes: Annotated[int | None, Form()] = None,
    until: Annotated[str | None, Form()] = None,
    exercises: Annotated[list[str] | None, Form()] = None,
    back: Annotated[str, Form()] = "/breaks",
) -> Response:
    """The no-JavaScript way to answer a reminder, pause, resume or say a break is done."""
    if kind not in ("taken", "postponed", "skipped", "paused", "resumed"):
        raise InvalidInput("kind", "Choose: taken, postponed, skipped, paused or resumed.")
    data = BreakEventIn(
        kind=kind,
        minutes=minutes if kind == "paused" and until != "tomorrow" else None,
        until="tomorrow" if kind == "paused" and until == "tomorrow" else None,
        exercises=exercises or [],
    )
    try:
        record_break_event(db, person.id, data, now=now, catalog=catalog, client="web")
    except Conflict as exc:
        return templates.TemplateResponse(
            request, "error.html", {"title": "That did not work", "message": str(exc)}, status_code=409
        )
    return RedirectResponse(back if back in BACK_TO else "/breaks", status_code=303)


@router.post("/breaks/reminders", response_class=HTMLResponse)
def switch_reminders(
    db: WriteDbDep,
    person: PersonDep,
    now: NowDep,
    reminders: Annotated[str, Form()],
    back: Annotated[str, Form()] = "/breaks",
) -> Response:
    """Turn break reminders on or off (the rest of the settings stay as they are)."""
    if reminders not in ("on", "off"):
        raise InvalidInput("reminders", "Choose on or off.")
    save_break_settings(db, person.id, BreakSettingsIn(reminders_on=reminders == "on"), now=now)
    return RedirectResponse(back if back in BACK_TO else "/breaks", status_code=303)


@router.get("/breaks/routine", response_class=HTMLResponse)
def routine_page(
    request: Request, db: DbDep, person: PersonDep, catalog: CatalogDep, now: NowDep
) -> Response:
    routine = routine_json(break_routine(db, person.id, catalog=catalog, now=now), catalog.vocabulary)
    return templates.TemplateResponse(
        request,
        "break_routine.html",
        {
            "title": "Your short break",
            "routine": routine,
            "about": ABOUT_BREAKS,
            "voice_on": get_profile(db, person.id).voice_on,
            "figures": figures_for(routine["exercises"]),
            "figure_url": FIGURE_URL,
            "advice": pain_advice(),
            "high_pain_advice": HIGH_PAIN_ADVICE,
        },
    )


@router.get(CALENDAR_PATH)
def calendar_feed(
    request: Request, db: DbDep, person: PersonDep, now: NowDep, key: str | None = None
) -> Response:
    """A calendar to subscribe to: the person's break times with alarms. No health words inside.

    It follows the reminders switch: with reminders off the calendar is empty, so a subscribed
    calendar app stops ringing too. With remote access on, the address must carry the calendar
    token (`key`): a calendar app cannot log in."""
    if request.app.state.needs_login and not (
        is_logged_in(request.scope) or tokens_match(key, request.app.state.calendar_token)
    ):
        raise NotFound("calendar", "breaks")
    pb = load_breaks(db, person.id, now=now)
    status = current_break_status(db, person.id, now=now, catalog=request.app.state.catalog, pb=pb)
    body = breaks_calendar(
        pb.settings,
        tz=pb.tz,
        today=now.astimezone(pb.tz).date(),
        stamp=now,
        url=public_origin(request) + "/breaks",
        routine_minutes=status["routine_minutes"],
        has_breaks=pb.settings.reminders_on,
    )
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": 'inline; filename="upright-breaks.ics"',
            "Cache-Control": "no-cache",
        },
    )


__all__ = ["router"]
