"""The desktop break loop behind `upright breaks`: check, remind, listen, play; and tell sleep from work.

Each tick reads the wall clock and the monotonic clock. On Linux and macOS the monotonic clock stops
while the computer sleeps, so (wall gap - monotonic gap) is time asleep: the person was away, and
the domain may count it as a natural break (`natural_break`). Either way the domain only ever has one
due break, so waking up brings at most one reminder. System idle time (xprintidle, when installed)
counts the same way. Everything stored goes through services.breaks, like the web app, so the two
can run side by side on one database.

Notifications: `notify-send` (Linux) or `osascript` (macOS) when present; otherwise the terminal bell
and a line of text. Their text never holds health details.
"""

from __future__ import annotations

import select
import shutil
import subprocess
import sys
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any, Protocol

from rich.console import Console

from upright import clock
from upright.catalog import Catalog
from upright.catalog.vocabulary import Vocabulary
from upright.cli.terminal_player import MAX_ACTIVE, TerminalPlayer
from upright.config import Settings
from upright.documents.breaks import BreakEventIn, EventKind
from upright.documents.session_result import CheckIn, SessionResultIn
from upright.domain.breaks import natural_break
from upright.errors import Conflict, InvalidInput
from upright.services.breaks import (
    break_routine,
    current_break_status,
    load_breaks,
    record_break_event,
    record_routine_result,
    routine_json,
)
from upright.services.people import current_person
from upright.store import Database

__all__ = [
    "NOTICE_BODY",
    "NOTICE_TITLE",
    "BreakLoop",
    "BreakPlayer",
    "Clock",
    "Notifier",
    "SystemClock",
    "TerminalUI",
]

NOTICE_TITLE = "Upright"
NOTICE_BODY = "Time for a short break."
SLEEP_GAP_SECONDS = 90.0  # a wall-clock jump this far past the monotonic clock means the computer slept
HELP = (
    "Keys: Enter = start the routine · l = later · s = skip · b = open in the browser · "
    "p = pause 1 hour · t = pause until tomorrow · r = resume · q = quit"
)


class Clock(Protocol):
    def wall(self) -> datetime: ...
    def mono(self) -> float: ...
    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def wall(self) -> datetime:
        return clock.now()

    def mono(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds))


def system_idle_seconds() -> float:
    """Seconds since the last key or mouse input, where the system tells (xprintidle); else 0."""
    tool = shutil.which("xprintidle")
    if tool is None:
        return 0.0
    try:
        out = subprocess.run([tool], capture_output=True, text=True, timeout=2, check=False)
        return int(out.stdout.strip()) / 1000 if out.returncode == 0 else 0.0
    except (OSError, ValueError, subprocess.SubprocessError):
        return 0.0


class Notifier:
    """A native desktop notification where the system has one; the terminal otherwise."""

    def __init__(self, write: Callable[[str], None], *, desktop: bool = True) -> None:
        self.write = write
        self.command: list[str] | None = None
        if desktop and shutil.which("notify-send"):
            self.command = ["notify-send", "--app-name=Upright", "--urgency=normal", NOTICE_TITLE]
        elif desktop and sys.platform == "darwin" and shutil.which("osascript"):
            self.command = [
                "osascript",
                "-e",
                f'display notification "{NOTICE_BODY}" with title "{NOTICE_TITLE}"',
            ]

    def send(self, body: str = NOTICE_BODY) -> str:
        """Show the reminder; returns "desktop" or "terminal" (where it went)."""
        if self.command is not None:
            cmd = self.command if self.command[0] == "osascript" else [*self.command, body]
            try:
                if subprocess.run(cmd, timeout=5, check=False, capture_output=True).returncode == 0:
                    self.write(f"{NOTICE_TITLE}: {body}")
                    return "desktop"
            except (OSError, subprocess.SubprocessError):
                pass
        self.write(f"\a{NOTICE_TITLE}: {body}")
        return "terminal"


class TerminalUI:
    """Keys typed in the terminal, read without blocking the loop (POSIX select)."""

    def __init__(self, *, interactive: bool) -> None:
        self.interactive = interactive and sys.stdin.isatty()

    def wait_for_key(self, seconds: float) -> str | None:
        if not self.interactive:
            time.sleep(max(0.0, seconds))
            return None
        ready, _, _ = select.select([sys.stdin], [], [], max(0.0, seconds))
        if not ready:
            return None
        line = sys.stdin.readline()
        return None if line == "" else line.strip().lower()


@dataclass
class BreakLoop:
    """One person's reminders on this computer. `tick()` does one round; `run()` repeats it."""

    db: Database
    settings: Settings
    catalog: Catalog
    clock: Clock
    notifier: Notifier
    write: Callable[[str], None]
    idle_probe: Callable[[], float] = system_idle_seconds
    play: Callable[[dict[str, Any]], SessionResultIn] | None = None  # default: BreakPlayer in this terminal
    open_browser: bool = False
    base_url: str = "http://127.0.0.1:8000"
    tick_seconds: float = 30.0
    last_wall: datetime | None = None
    last_mono: float | None = None
    last_idle: float = 0.0
    last_line: str = ""
    log: list[str] = field(default_factory=list)  # events recorded, in order (for the person and tests)

    def _record(self, kind: EventKind, now: datetime, **extra: Any) -> bool:
        try:
            with self.db.transaction() as s:
                person = current_person(s, self.settings, now=now)
                event = BreakEventIn(kind=kind, **extra)
                record_break_event(s, person.id, event, now=now, catalog=self.catalog, client="terminal")
        except Conflict as exc:
            self.write(str(exc))
            return False
        self.log.append(kind)
        return True

    def _away_seconds(self, now: datetime, mono: float) -> float:
        """Time the computer slept since the last tick (0 when it did not)."""
        if self.last_wall is None or self.last_mono is None:
            return 0.0
        gap = (now - self.last_wall).total_seconds() - (mono - self.last_mono)
        return gap if gap >= SLEEP_GAP_SECONDS else 0.0

    def tick(self) -> dict[str, Any]:
        """Look at the clock and the person's state once; remind when a break is due. Returns the status."""
        now, mono = self.clock.wall(), self.clock.mono()
        asleep = self._away_seconds(now, mono)
        idle = self.idle_probe()
        came_back = self.last_idle > 0 and idle < self.last_idle
        self.last_wall, self.last_mono = now, mono
        with self.db.transaction() as s:
            person = current_person(s, self.settings, now=now)
            pb = load_breaks(s, person.id, now=now)
        away = asleep if asleep else (self.last_idle if came_back else 0.0)
        self.last_idle = idle
        if away:
            event = natural_break(pb.settings, idle_seconds=away, now=now.astimezone(pb.tz))
            if event is not None and self._record("natural", now, idle_seconds=int(away)):
                self.write("Welcome back. Your time away counts as a break.")
        with self.db.transaction() as s:
            person = current_person(s, self.settings, now=now)
            status = current_break_status(s, person.id, now=now, catalog=self.catalog, idle_seconds=idle)
        nxt = status["next"]
        if nxt["is_due"] and nxt["phase"] != "prompted" and self._record("prompted", now):
            self.notifier.send()
            self.write(HELP)
            if self.open_browser:
                self.open_routine_in_browser()
        return status

    def open_routine_in_browser(self) -> None:
        url = f"{self.base_url}/breaks/routine"
        if not webbrowser.open(url):
            self.write(f"Open this page to do your short routine: {url}")

    def start_routine(self) -> None:
        now = self.clock.wall()
        with self.db.transaction() as s:
            person = current_person(s, self.settings, now=now)
            routine = routine_json(
                break_routine(s, person.id, catalog=self.catalog, now=now), self.catalog.vocabulary
            )
        if routine["stop_reasons"]:
            for reason in routine["stop_reasons"]:
                self.write(reason)
            self.write(routine["reason"])
            self._record("taken", self.clock.wall())
            return
        play = self.play or partial(_play_here, words=self.catalog.vocabulary)
        result = play(routine)
        with self.db.transaction() as s:
            person = current_person(s, self.settings, now=self.clock.wall())
            out = record_routine_result(s, person.id, result, now=self.clock.wall(), catalog=self.catalog)
        if out["taken"]:
            self.log.append("taken")
            self.write("Well done. Your break counts.")
        else:
            self.write("The routine stopped. The break is still open.")

    def handle(self, key: str) -> bool:
        """Act on a key the person typed. False means quit."""
        now = self.clock.wall()
        actions: dict[str, Callable[[], Any]] = {
            "": self.start_routine,
            "l": lambda: self._record("postponed", now),
            "s": lambda: self._record("skipped", now),
            "b": self.open_routine_in_browser,
            "p": lambda: self._record("paused", now, minutes=60),
            "t": lambda: self._record("paused", now, until="tomorrow"),
            "r": lambda: self._record("resumed", now),
        }
        if key == "q":
            return False
        action = actions.get(key)
        if action is None:
            self.write(HELP)
            return True
        try:
            action()
        except InvalidInput as exc:
            self.write(exc.message)
        return True

    def run(self, ui: TerminalUI) -> None:
        while True:
            status = self.tick()
            self.write_status(status)
            wait = self.tick_seconds
            seconds = status["next"]["seconds_until"]
            if seconds is not None and not status["next"]["is_due"]:
                wait = min(wait, max(1.0, float(seconds)))
            key = ui.wait_for_key(wait)
            if key is not None and not self.handle(key):
                return

    def write_status(self, status: dict[str, Any]) -> None:
        line = status["next"]["reason"]
        if line != self.last_line:
            self.last_line = line
            self.write(line)


class BreakPlayer(TerminalPlayer):
    """The session's terminal player (countdowns, reps, Ctrl+C if it hurts), ending a break with its short
    "done" step instead of the session's pain check-in."""

    def check_in(self) -> SessionResultIn:
        last = self.steps[-1]
        self.console.print(f"[bold]{last['show']}[/]  {last['say']}", highlight=False)
        ended = max(self.now(), self.started_at)
        return SessionResultIn(
            client_id=self.client_id,
            player="terminal",
            started_at=self.started_at,
            ended_at=ended,
            outcome=self.outcome,
            planned_seconds=int(self.script["total_seconds"]),
            active_seconds=min(MAX_ACTIVE, int(self.active)),
            items=[self._item_result(n, t) for n, t in enumerate(self.script["targets"])],
            pain_reports=self.pain_reports,
            check_in=CheckIn(),
        )


def _play_here(routine: dict[str, Any], *, words: Vocabulary) -> SessionResultIn:
    return BreakPlayer(
        script=routine, console=Console(), sleep=time.sleep, clock=time.monotonic, words=words
    ).play()
