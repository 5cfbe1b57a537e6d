"""`upright breaks`: workday break reminders on this computer, and the break calendar.

    upright breaks                       remind in this terminal (desktop notifications where possible)
    upright breaks --background          no keys: notify only (with --browser, open the routine page)
    upright breaks --once [--json]       one check, then exit (for scripts and schedulers)
    upright breaks on | off              turn break reminders on or off (they start off)
    upright breaks status [--json]       the next break and this week's counts
    upright breaks settings [--every 45 --from 09:00 --to 17:00 --days mon-fri --day-off 2025-12-25 --tz ...]
    upright breaks pause [--minutes 60 | --tomorrow]   ·   upright breaks resume
    upright breaks ics [--every 45] [--from 09:00] [--to 17:00] [--days mon-fri] [--tz Europe/Paris] -o FILE.ics

Settings are the person's, stored with their data (the web app's Breaks page shows the same ones).
`ics` starts from them; its options change only the file. Errors name the option in plain words.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from upright import clock
from upright.cli.output import console, exits_on_error, print_json
from upright.composition import Upright
from upright.config import Settings
from upright.documents.breaks import BreakSettingsDoc, BreakStatusDoc
from upright.domain.breaks import ABOUT_BREAKS
from upright.errors import InvalidInput
from upright.files import write_private
from upright.zones import resolve_timezone

if TYPE_CHECKING:
    from upright.catalog import Vocabulary
    from upright.services.breaks import PersonBreaks
    from upright.store import Database

__all__ = ["FLAGS", "register"]

breaks_app = typer.Typer(
    help="Short break reminders during the work day, with a short routine from your program.",
    invoke_without_command=True,
)

# Domain field -> the option a person typed, so an error names what they can fix.
FLAGS = {
    "every": "--every",
    "start": "--from",
    "end": "--to",
    "days": "--days",
    "days_off": "--day-off",
    "tz": "--tz",
    "timezone": "--tz",
    "minutes": "--minutes",
    "postpone_minutes": "--postpone-minutes",
    "max_postpones": "--max-postpones",
    "natural_minutes": "--natural-minutes",
}
T = TypeVar("T")


def _named_by_flag(fn: Callable[[], T]) -> T:
    try:
        return fn()
    except InvalidInput as exc:
        raise InvalidInput(FLAGS.get(exc.field, exc.field), exc.message) from None


@contextmanager
def _person_db() -> Iterator[tuple[Database, Upright]]:
    root = Upright()
    with root.database() as db:
        yield db, root


def _load(db: Database, settings: Settings, now: datetime) -> PersonBreaks:
    from upright.services.breaks import load_breaks
    from upright.services.people import current_person

    with db.transaction() as s:
        return load_breaks(s, current_person(s, settings, now=now).id, now=now)


TURN_ON_HINT = "To turn break reminders on: upright breaks on"


def _print_status(status: dict[str, Any], words: Vocabulary) -> None:
    console.print(f"[bold]{status['next']['reason']}[/]")
    if status["next"]["phase"] == "off":
        console.print(TURN_ON_HINT, highlight=False, markup=False)
    t, w = status["today"], status["week"]["total"]
    counts = words.choices("break_counts")  # the same words as the breaks page
    for label, c in (("Today", t), ("This week", w)):
        console.print(
            f"{label}: " + " · ".join(f"{word} {c[k]}" for k, word in counts.items()), highlight=False
        )


@breaks_app.callback()
@exits_on_error
def breaks(
    ctx: typer.Context,
    background: bool = typer.Option(False, "--background", help="Do not read keys; only notify."),
    browser: bool = typer.Option(
        False, "--browser", help="Open the routine in the web app when a break is due."
    ),
    desktop: bool = typer.Option(
        True, "--desktop/--no-desktop", help="Use desktop notifications if possible."
    ),
    once: bool = typer.Option(False, "--once", help="Check once, remind if due, then exit."),
    as_json: bool = typer.Option(False, "--json", help="With --once: print the status as JSON."),
) -> None:
    """Remind you to take a short break every 30 to 60 minutes at work."""
    if ctx.invoked_subcommand is not None:
        return  # before any import below: `upright breaks status --help` stays light
    from upright.cli.breaks_loop import HELP, BreakLoop, Notifier, SystemClock, TerminalUI

    with _person_db() as (db, root):
        settings = root.settings
        loop = BreakLoop(
            db=db,
            settings=settings,
            catalog=root.catalog,
            clock=SystemClock(),
            notifier=Notifier(
                lambda line: console.print(line, highlight=False, markup=False), desktop=desktop
            ),
            write=lambda line: console.print(line, highlight=False, markup=False),
            open_browser=browser,
            base_url=f"http://{settings.host}:{settings.port}",
        )
        if once:
            status = loop.tick()
            print_json(status, BreakStatusDoc) if as_json else _print_status(status, root.catalog.vocabulary)
            return
        console.print(ABOUT_BREAKS, highlight=False)
        ui = TerminalUI(interactive=not background)
        if ui.interactive:
            console.print(HELP, highlight=False, markup=False)
        try:
            loop.run(ui)
        except KeyboardInterrupt:
            console.print("Break reminders stopped.")


@breaks_app.command()
@exits_on_error
def status(as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts.")) -> None:
    """Show the next break and how many breaks you took today and this week."""
    from upright.services.breaks import current_break_status
    from upright.services.people import current_person

    now = clock.now()
    with _person_db() as (db, root), db.transaction() as s:
        person = current_person(s, root.settings, now=now)
        data = current_break_status(s, person.id, now=now, catalog=root.catalog)
    print_json(data, BreakStatusDoc) if as_json else _print_status(data, root.catalog.vocabulary)


def _switch(on: bool) -> None:
    from upright.documents.breaks import BreakSettingsIn
    from upright.services.breaks import current_break_status, save_break_settings
    from upright.services.people import current_person

    now = clock.now()
    with _person_db() as (db, root), db.transaction() as s:
        person = current_person(s, root.settings, now=now)
        save_break_settings(s, person.id, BreakSettingsIn(reminders_on=on), now=now)
        data = current_break_status(s, person.id, now=now, catalog=root.catalog)
    console.print("Break reminders are on." if on else "Break reminders are off.", highlight=False)
    if on:
        console.print(data["next"]["reason"], highlight=False)


@breaks_app.command("on")
@exits_on_error
def reminders_on() -> None:
    """Turn break reminders on (for your work days and hours)."""
    _switch(True)


@breaks_app.command("off")
@exits_on_error
def reminders_off() -> None:
    """Turn break reminders off. Your settings and history stay."""
    _switch(False)


@breaks_app.command("settings")
@exits_on_error
def settings_cmd(
    every: int | None = typer.Option(None, "--every", help="Minutes between breaks (30 to 60)."),
    start: str | None = typer.Option(None, "--from", help="Start of your work day, like 09:00."),
    end: str | None = typer.Option(None, "--to", help="End of your work day, like 17:00."),
    days: str | None = typer.Option(None, "--days", help="Work days, like mon-fri or mon,wed,fri."),
    day_off: list[str] | None = typer.Option(None, "--day-off", help="A day off, like 2025-12-25 (repeat)."),
    tz: str | None = typer.Option(None, "--tz", help="Your time zone, like Europe/Paris."),
    postpone_minutes: int | None = typer.Option(None, "--postpone-minutes", help="How long 'later' waits."),
    max_postpones: int | None = typer.Option(None, "--max-postpones", help="How often one break may wait."),
    natural_minutes: int | None = typer.Option(None, "--natural-minutes", help="Time away that counts."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Show your break settings, or change the ones you give."""
    from upright.documents.breaks import BreakSettingsIn
    from upright.services.breaks import save_break_settings, settings_json
    from upright.services.people import current_person

    now = clock.now()
    change = BreakSettingsIn(
        every=every, start=start, end=end, days=days, days_off=day_off, timezone=tz,
        postpone_minutes=postpone_minutes, max_postpones=max_postpones, natural_minutes=natural_minutes,
    )  # fmt: skip
    with _person_db() as (db, root):
        if change.model_dump(exclude_none=True):
            with db.transaction() as s:
                person = current_person(s, root.settings, now=now)
                pb = _named_by_flag(lambda: save_break_settings(s, person.id, change, now=now))
        else:
            pb = _load(db, root.settings, now)
    data = settings_json(pb)
    if as_json:
        print_json(data, BreakSettingsDoc)
        return
    console.print(
        f"A break every {data['every']} minutes, {data['start']} to {data['end']}, on {data['days']} "
        f"({data['timezone']}). Reminders are {'on' if data['reminders_on'] else 'off'}.",
        highlight=False,
    )
    if data["days_off"]:
        console.print("Days off: " + ", ".join(data["days_off"]), highlight=False)


def _event(kind: str, **extra: Any) -> None:
    from upright.documents.breaks import BreakEventIn
    from upright.services.breaks import current_break_status, record_break_event
    from upright.services.people import current_person

    now = clock.now()
    with _person_db() as (db, root), db.transaction() as s:
        person = current_person(s, root.settings, now=now)
        event = BreakEventIn(kind=kind, **extra)
        pb = _named_by_flag(lambda: record_break_event(s, person.id, event, now=now, client="terminal"))
        data = current_break_status(s, person.id, now=now, catalog=root.catalog, pb=pb)
        console.print(data["next"]["reason"], highlight=False)


@breaks_app.command()
@exits_on_error
def pause(
    minutes: int | None = typer.Option(None, "--minutes", help="Pause for this many minutes (5 to 480)."),
    tomorrow: bool = typer.Option(False, "--tomorrow", help="Pause until your next work day."),
) -> None:
    """Hold reminders for a while (a meeting) or until tomorrow."""
    if tomorrow and minutes is not None:
        raise InvalidInput("--minutes", "Choose one: a number of minutes, or --tomorrow.")
    if tomorrow:
        _event("paused", until="tomorrow")
    else:
        _event("paused", minutes=60 if minutes is None else minutes)


@breaks_app.command()
@exits_on_error
def resume() -> None:
    """End a pause now."""
    _event("resumed")


@breaks_app.command()
@exits_on_error
def ics(
    output: Path = typer.Option(..., "-o", "--output", help="The .ics file to write ('-' for the screen)."),
    every: int | None = typer.Option(None, "--every", help="Minutes between breaks (30 to 60)."),
    start: str | None = typer.Option(None, "--from", help="Start of the work day, like 09:00."),
    end: str | None = typer.Option(None, "--to", help="End of the work day, like 17:00."),
    days: str | None = typer.Option(None, "--days", help="Work days, like mon-fri."),
    day_off: list[str] | None = typer.Option(None, "--day-off", help="A day off, like 2025-12-25 (repeat)."),
    tz: str | None = typer.Option(None, "--tz", help="Time zone, like Europe/Paris (default: yours)."),
) -> None:
    """Write your breaks as a calendar file with alarms, to import into any calendar app."""
    from upright.domain.break_settings import make_settings
    from upright.exports.ical import breaks_calendar
    from upright.services.breaks import current_break_status
    from upright.services.people import current_person

    now = clock.now()
    with _person_db() as (db, root), db.transaction() as s:
        person = current_person(s, root.settings, now=now)
        status = current_break_status(s, person.id, now=now, catalog=root.catalog)
    stored = status["settings"]
    chosen = _named_by_flag(
        lambda: make_settings(
            every=stored["every"] if every is None else every,
            start=start or stored["start"],
            end=end or stored["end"],
            days=days or stored["days"],
            days_off=stored["days_off"] if day_off is None else day_off,
        )
    )
    zone = _named_by_flag(lambda: resolve_timezone(tz or stored["timezone"]))
    data = breaks_calendar(
        chosen,
        tz=zone,
        today=now.astimezone(zone).date(),
        stamp=now,
        routine_minutes=status["routine_minutes"],
    )
    if str(output) == "-":
        sys.stdout.buffer.write(data)
        return
    try:
        write_private(output, data)
    except OSError as exc:
        raise InvalidInput("-o", f"Cannot write {output}: {exc.strerror or exc}.") from None
    console.print(f"Wrote {output}. Import it into your calendar app.", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(breaks_app, name="breaks")
