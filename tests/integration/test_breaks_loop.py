"""The desktop loop (`upright breaks`) on a real SQLite database, with a clock the test moves: reminders
when due, sleep and resume without a burst, idle time as a natural break, keys, the terminal routine."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console

from upright.catalog import Catalog, builtin_vocabulary
from upright.cli.breaks_loop import BreakLoop, BreakPlayer, Notifier
from upright.config import Settings
from upright.documents.breaks import BreakSettingsIn
from upright.documents.session_result import SessionResultIn
from upright.services.breaks import load_breaks, save_break_settings
from upright.services.people import current_person
from upright.services.screenings import ScreeningIn, record_screening
from upright.store import Database, open_database
from upright.store import repositories as people_repo

PARIS = ZoneInfo("Europe/Paris")


@dataclass
class FakeClock:
    """Wall clock and monotonic clock. A computer that sleeps moves only the wall clock."""

    wall_now: datetime
    mono_now: float = 1000.0
    idle: float = 0.0

    def wall(self) -> datetime:
        return self.wall_now

    def mono(self) -> float:
        return self.mono_now

    def sleep(self, seconds: float) -> None:
        self.run(seconds)

    def run(self, seconds: float) -> None:
        self.wall_now += timedelta(seconds=seconds)
        self.mono_now += seconds

    def suspend(self, seconds: float) -> None:
        self.wall_now += timedelta(seconds=seconds)


@dataclass
class Screen:
    lines: list[str] = field(default_factory=list)

    def write(self, line: str) -> None:
        self.lines.append(line)


def fast_player(
    screen: Screen, answers: list[str], *, hurt_at: float | None = None
) -> Callable[[dict[str, Any]], SessionResultIn]:
    """The session's terminal player on a clock that moves only when it sleeps; `answers` are the keys
    typed at its prompts; `hurt_at` (seconds in) is when Ctrl+C arrives."""

    def play(routine: dict[str, Any]) -> SessionResultIn:
        t = [0.0]
        hurt = [hurt_at]

        def sleep(seconds: float) -> None:
            if hurt[0] is not None and t[0] >= hurt[0]:
                hurt[0] = None
                raise KeyboardInterrupt
            t[0] += seconds

        console = Console(file=io.StringIO(), width=100)
        keys = iter(answers)
        player = BreakPlayer(script=routine, console=console, sleep=sleep, clock=lambda: t[0],
                             words=builtin_vocabulary(), ask=lambda *a, **k: next(keys, ""))  # fmt: skip
        result = player.play()
        screen.lines.extend(console.file.getvalue().splitlines())  # type: ignore[attr-defined]
        return result

    return play


def paris(hhmm: str) -> datetime:
    h, m = (int(x) for x in hhmm.split(":"))
    return datetime(2025, 3, 3, h, m, tzinfo=PARIS).astimezone(UTC)  # a Monday


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'loop.db'}")
    yield database
    database.dispose()


@pytest.fixture
def loop(db: Database, catalog: Catalog) -> tuple[BreakLoop, FakeClock, Screen]:
    clock = FakeClock(paris("09:00"))
    screen = Screen()
    settings = Settings(database_url="sqlite://")
    with db.transaction() as s:
        person = current_person(s, settings, now=clock.wall())
        on = BreakSettingsIn(timezone="Europe/Paris", reminders_on=True)
        save_break_settings(s, person.id, on, now=clock.wall())
    bl = BreakLoop(
        db=db,
        settings=settings,
        catalog=catalog,
        clock=clock,
        notifier=Notifier(screen.write, desktop=False),
        write=screen.write,
        idle_probe=lambda: clock.idle,
        play=fast_player(screen, []),
    )
    return bl, clock, screen


def run_minutes(bl: BreakLoop, clock: FakeClock, minutes: int) -> None:
    for _ in range(minutes):
        bl.tick()
        clock.run(60)


def prompts(bl: BreakLoop) -> int:
    return bl.log.count("prompted")


def test_one_reminder_when_due_with_the_terminal_fallback(loop: tuple[BreakLoop, FakeClock, Screen]) -> None:
    bl, clock, screen = loop
    run_minutes(bl, clock, 44)
    assert prompts(bl) == 0
    run_minutes(bl, clock, 10)  # 09:44 to 09:54: due at 09:45, nobody answers
    assert prompts(bl) == 1
    assert "\aUpright: Time for a short break." in screen.lines  # bell and text: no notify-send here
    assert not any("pain" in line.lower() for line in screen.lines if "Upright:" in line)


def test_sleep_through_three_breaks_gives_a_natural_break_not_a_burst(
    loop: tuple[BreakLoop, FakeClock, Screen],
) -> None:
    bl, clock, screen = loop
    run_minutes(bl, clock, 50)
    assert bl.handle("s")  # skip the 09:45 one at 09:50
    clock.suspend(3 * 3600)  # the lid closes until 12:50
    status = bl.tick()
    assert bl.log[-1] == "natural" and prompts(bl) == 1
    assert "Welcome back. Your time away counts as a break." in screen.lines
    assert status["next"]["reason"] == "Your next break is at 13:35."
    run_minutes(bl, clock, 60)
    assert prompts(bl) == 2


def test_a_stopped_process_wakes_to_one_reminder_not_one_per_missed_break(
    loop: tuple[BreakLoop, FakeClock, Screen],
) -> None:
    bl, clock, _ = loop
    bl.tick()
    clock.run(4 * 3600)  # both clocks moved: not asleep, just not running (say, Ctrl+Z)
    run_minutes(bl, clock, 5)
    assert prompts(bl) == 1 and "natural" not in bl.log


def test_idle_time_counts_when_the_person_comes_back(loop: tuple[BreakLoop, FakeClock, Screen]) -> None:
    bl, clock, _ = loop
    run_minutes(bl, clock, 30)  # 09:30
    for minute in range(1, 21):  # away from the keyboard until 09:50: no reminder at 09:45
        clock.idle = minute * 60.0
        run_minutes(bl, clock, 1)
    assert prompts(bl) == 0
    clock.idle = 0.0
    bl.tick()
    assert bl.log == ["natural"]
    assert bl.tick()["next"]["reason"] == "Your next break is at 10:35."


def test_keys_pause_resume_and_put_off(loop: tuple[BreakLoop, FakeClock, Screen], db: Database) -> None:
    bl, clock, screen = loop
    assert bl.handle("p")
    run_minutes(bl, clock, 60)  # paused 09:00-10:00: the 09:45 break waits
    assert prompts(bl) == 0
    run_minutes(bl, clock, 2)
    assert prompts(bl) == 1
    assert bl.handle("l") and bl.log[-1] == "postponed"
    assert bl.handle("x")  # an unknown key shows the help
    assert screen.lines[-1].startswith("Keys:")
    assert bl.handle("r") is True and "Breaks are not on hold." in screen.lines
    assert bl.handle("q") is False


def _screen_ok(bl: BreakLoop, db: Database, catalog: Catalog, clock: FakeClock) -> int:
    answers = ScreeningIn(answers={q.id: False for q in catalog.screening}, cleared_by_clinician=True)
    with db.transaction() as s:
        person = current_person(s, bl.settings, now=clock.wall())
        record_screening(s, person.id, answers, catalog=catalog, now=clock.wall())
        return person.id


def test_enter_plays_the_routine_in_the_session_terminal_player_and_counts_it(
    loop: tuple[BreakLoop, FakeClock, Screen], db: Database, catalog: Catalog
) -> None:
    bl, clock, screen = loop
    person_id = _screen_ok(bl, db, catalog, clock)
    run_minutes(bl, clock, 46)
    assert bl.handle("")
    assert bl.log[-1] == "taken"
    output = "\n".join(screen.lines)
    assert "Your short break" in output and "Your break is done" in output
    assert "How is your pain now?" not in output  # a break has no check-in
    assert "Well done. Your break counts." in screen.lines
    with db.transaction() as s:
        state = load_breaks(s, person_id, now=clock.wall()).state
    assert state.done_today  # the desk handout's moves, since this person has no program yet


def test_a_pain_stop_in_a_break_is_kept_like_in_a_session(
    loop: tuple[BreakLoop, FakeClock, Screen], db: Database, catalog: Catalog
) -> None:
    bl, clock, screen = loop
    person_id = _screen_ok(bl, db, catalog, clock)
    bl.play = fast_player(screen, ["", "h", "3", "g"], hurt_at=30)  # Enter, then Ctrl+C: hurts, 3, go on
    run_minutes(bl, clock, 46)
    bl.handle("")
    assert bl.log[-1] == "taken"
    with db.transaction() as s:
        reports = people_repo.pain_reports(s, person_id)
    assert [(r.score, r.context, r.action) for r in reports] == [(3, "during", "continue")]


def test_without_a_screening_the_break_is_just_a_break(loop: tuple[BreakLoop, FakeClock, Screen]) -> None:
    bl, clock, screen = loop
    run_minutes(bl, clock, 46)
    bl.handle("")
    assert "Please answer the safety questions before your first session." in screen.lines
    assert "No moves for now. Rest your eyes and look away from the screen." in screen.lines
    assert bl.log[-1] == "taken"
