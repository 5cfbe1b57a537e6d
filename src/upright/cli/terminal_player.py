"""The terminal session player: plays the same compiled script as the browser (services.player.script_json)
and builds the same result (documents.session_result.SessionResultIn).

Time is injected: `sleep` and `clock` default to the real ones; tests pass a fast fake pair. The pain
stop is Ctrl+C at any moment: the player stops, asks the pain score, shows what to do, then goes on,
skips the exercise, or ends. A check-in ends every session.

Ctrl+C is taken as a request, not as an exception: while the session plays, a SIGINT handler only
notes it, and the player opens its menu at the next safe point (within a tenth of a second, or at the
next step). So an interrupt during a redraw or a step change still reaches the menu, a second one
(`uv run` forwards the terminal's interrupt, so the player may get two) does not open the menu twice,
and nothing already done is lost. A KeyboardInterrupt raised anyway (a fake sleep in tests, or no
handler off the main thread) is treated the same way."""

from __future__ import annotations

import signal
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from rich.console import Console, Group
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.prompt import Prompt
from rich.text import Text

from upright import clock
from upright.catalog.vocabulary import Vocabulary
from upright.documents.session_result import CheckIn, ItemResult, PainReport, SessionResultIn, Target
from upright.services.safety_words import HIGH_PAIN_ADVICE, pain_advice

__all__ = ["ItemProgress", "TerminalPlayer"]

MAX_ACTIVE = 6 * 3600
SLICE = 0.1  # seconds between looks for a Ctrl+C (and between redraws)
PAIN_STOP_WORDS = "You stopped because it hurt. That was the right thing to do. No more exercise today."


@dataclass
class ItemProgress:
    """The parts of one exercise played to their end (the server counts them: domain.tally)."""

    parts_done: list[int] = field(default_factory=list)
    hurt: bool = False


class _Skip(Exception):
    """Leave the current exercise."""


class _End(Exception):
    """Leave the session (to the check-in)."""


@dataclass
class TerminalPlayer:
    script: dict[str, Any]
    console: Console
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    words: Vocabulary  # the catalog's: how the session felt, and the player's labels
    now: Callable[[], datetime] = field(default=lambda: clock.now())
    ask: Callable[..., str] = field(default=Prompt.ask)
    bell: bool = False
    outcome: str = "completed"
    pain_reports: list[PainReport] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.steps: list[dict[str, Any]] = list(self.script["steps"])
        self.items = [ItemProgress() for _ in self.script["targets"]]
        self.pain_threshold = int(self.script["pain_threshold"])
        self.active = 0.0
        self.client_id = uuid.uuid4().hex
        self.started_at = self.now()
        self.stop_asked = False  # a Ctrl+C not yet answered with the menu
        self.hurt_score: int | None = None  # the last "this hurts" score

    @contextmanager
    def _ctrl_c_as_request(self) -> Iterator[None]:
        """While playing, Ctrl+C sets `stop_asked` instead of raising (only the main thread may
        set a signal handler; elsewhere KeyboardInterrupt is caught where it lands)."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def note(_signum: int, _frame: object) -> None:
            self.stop_asked = True

        before = signal.signal(signal.SIGINT, note)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, before)

    def _take_stop(self) -> bool:
        asked, self.stop_asked = self.stop_asked, False
        return asked

    # ---- playing -------------------------------------------------------------------------------

    def play(self) -> SessionResultIn:
        """Play every step, then the check-in; returns the result to store."""
        with self._ctrl_c_as_request():
            self.console.print(
                Panel(Text(self.script["title"], style="bold"), subtitle="Press Ctrl+C if it hurts")
            )
            self._ask("Press Enter to start", default="", show_default=False)
            self._take_stop()  # a Ctrl+C before the start is not a pain stop
            self.started_at = self.now()
            self._play_steps()
            return self.check_in()

    def _play_steps(self) -> None:
        n = 0
        while n < len(self.steps):
            step = self.steps[n]
            if step.get("needs_answer"):
                return
            try:
                if self._take_stop():  # a Ctrl+C at a step boundary
                    self._menu(step)
                self._step(step)
                self._complete(step)
                n += 1
            except KeyboardInterrupt:  # landed outside a countdown: ask at once, then play this step
                self.stop_asked = True
            except _Skip:
                n = self._after_item(n)
            except _End:
                return

    def _after_item(self, n: int) -> int:
        item = self.steps[n].get("item")
        n += 1
        while item is not None and n < len(self.steps) - 1 and self.steps[n].get("item") == item:
            n += 1
        return n

    def _where(self, step: dict[str, Any]) -> str:
        w, parts = self.words, []
        if step.get("rep") and (step.get("reps") or 0) > 1:
            parts.append(w.filled("player", "rep_of", n=step["rep"], of=step["reps"]))
        if step.get("set") and (step.get("sets") or 0) > 1:
            parts.append(w.filled("player", "set_of", n=step["set"], of=step["sets"]))
        if step.get("side_name"):
            parts.append(w.filled("player", "side_named", side=step["side_name"]))
        elif step.get("side") and (step.get("sides") or 0) > 1:
            parts.append(w.filled("player", "side_of", n=step["side"], of=step["sides"]))
        return " · ".join(parts)

    def _step(self, step: dict[str, Any]) -> None:
        if step["kind"] == "exercise":
            self.console.rule(f"[bold]{step['exercise_name']}")
            for line in step.get("details", []):
                self.console.print(f"  • {line}", highlight=False)
        if step["kind"] == "hold" and self.bell:
            self.console.bell()
        where = self._where(step)
        line = f"[bold]{step['show']}[/]" + (f"  [dim]{where}[/]" if where else "")
        self.console.print(line, highlight=False)
        if step["say"] != step["show"]:
            self.console.print(f"  [italic]{step['say']}[/]", highlight=False)
        self._countdown(step)

    def _countdown(self, step: dict[str, Any]) -> None:
        """Count down the step's seconds by the clock (sleeping in short slices)."""
        seconds = float(step["seconds"])
        if not self.console.is_terminal:
            self._wait(seconds, step)
            return
        with Live(
            self._panel(step, seconds), console=self.console, transient=True, auto_refresh=False
        ) as live:
            self._wait(seconds, step, live)

    def _panel(self, step: dict[str, Any], left: float) -> Panel:
        big = Text(f"{max(0, int(left + 0.999))}", style="bold cyan" if step["kind"] == "hold" else "bold")
        bar = ProgressBar(total=max(step["seconds"], 0.001), completed=step["seconds"] - left, width=40)
        return Panel(Group(big, bar), title=step["show"], subtitle="Ctrl+C: this hurts / skip / end")

    def _wait(self, seconds: float, step: dict[str, Any], live: Live | None = None) -> None:
        deadline = self.clock() + seconds
        while True:
            if self._take_stop():
                deadline += self._menu(step)  # the step goes on where it stopped
                continue
            left = deadline - self.clock()
            if left <= 0:
                return
            started = self.clock()
            try:
                self.sleep(min(SLICE if live is not None else 1.0, left))
            except KeyboardInterrupt:
                self.stop_asked = True
            self.active += self.clock() - started
            if live is not None and not self.stop_asked:
                live.update(self._panel(step, deadline - self.clock()), refresh=True)

    # ---- the pain stop ---------------------------------------------------------------------------

    def _ask(self, *args: Any, **kwargs: Any) -> str:
        """A prompt that a stray Ctrl+C cannot break: the question is asked again."""
        while True:
            try:
                answer = self.ask(*args, **kwargs)
            except KeyboardInterrupt:
                self.console.print()
                continue
            self.stop_asked = False  # an interrupt during the question was this question's
            return answer

    def _menu(self, step: dict[str, Any]) -> float:
        """Ctrl+C: stop and ask. Returns the seconds spent here (they do not count as exercise)."""
        began = self.clock()
        self.console.print("\n[bold]Stopped.[/]")
        choice = self._ask(
            "h = this hurts, s = skip this exercise, e = end the session, Enter = go on",
            choices=["h", "s", "e", ""], default="", show_choices=False, show_default=False,
        )  # fmt: skip
        if choice == "s":
            raise _Skip
        if choice == "e":
            self.outcome = "ended_early" if self.outcome == "completed" else self.outcome
            raise _End
        if choice == "h":
            self._hurts(step)
        return self.clock() - began

    def _pain(self, question: str) -> int:
        while True:
            answer = self._ask(f"{question} (0 = no pain, 10 = the worst pain)").strip()
            if answer.isdigit() and 0 <= int(answer) <= 10:
                return int(answer)
            self.console.print("[red]Please type a whole number from 0 to 10.[/]")

    def _hurts(self, step: dict[str, Any]) -> None:
        score = self._pain("How bad is the pain right now?")
        self.hurt_score = score
        lines = [f"• {line}" for line in pain_advice()]
        if score >= self.pain_threshold:
            lines.insert(0, f"[bold]{HIGH_PAIN_ADVICE}[/]")
        self.console.print(Panel("\n".join(lines), title="What to do now", border_style="red"))
        item = step.get("item")
        choices = (
            {"s": "skip", "e": "end"}
            if score >= self.pain_threshold
            else {"g": "continue", "s": "skip", "e": "end"}
        )
        if item is None:
            choices.pop("s")
        words = {"g": "g = go on gently", "s": "s = skip this exercise", "e": "e = end the session"}
        choice = self._ask(", ".join(words[k] for k in choices), choices=list(choices), show_choices=False)
        action = choices[choice]
        target = self.script["targets"][item] if item is not None else None
        self.pain_reports.append(
            PainReport(
                at=self.now(), score=score, exercise=target["exercise"] if target else None, action=action
            )
        )
        if action != "continue" and item is not None:
            self.items[item].hurt = True
        if action == "skip":
            raise _Skip
        if action == "end":
            self.outcome = "stopped_for_pain"
            raise _End

    # ---- what was done, and the check-in -----------------------------------------------------------

    def _complete(self, step: dict[str, Any]) -> None:
        item, part = step.get("item"), step.get("part")
        if item is None or part is None:
            return
        self.items[item].parts_done.append(part)
        if self.bell and step.get("ends_rep") and step["rep"] == step.get("reps"):
            self.console.bell()  # the end of a set

    @property
    def ended_for_pain(self) -> bool:
        return self.outcome == "stopped_for_pain" and self.hurt_score is not None

    def check_in(self) -> SessionResultIn:
        self.console.rule("[bold]Check-in")
        pain: int | None = None
        if self.ended_for_pain:  # the score was just given with "this hurts": not asked twice
            self.console.print(PAIN_STOP_WORDS, highlight=False)
        else:
            pain = self._pain("How is your pain now?")
        feelings = self.words.feelings
        keys = list(feelings)
        menu = ", ".join(f"{n} = {feelings[k]}" for n, k in enumerate(keys, 1))
        answer = self._ask(f"How did it go? {menu}, Enter = skip", choices=["1", "2", "3", ""], default="",
                          show_choices=False, show_default=False)  # fmt: skip
        feeling = keys[int(answer) - 1] if answer else None
        ended = max(self.now(), self.started_at)
        started = max(self.started_at, ended - timedelta(hours=23))
        return SessionResultIn(
            client_id=self.client_id,
            plan_id=self.script.get("plan_id"),
            program=self.script.get("program"),
            player="terminal",
            started_at=started,
            ended_at=ended,
            outcome=self.outcome,
            planned_seconds=int(self.script["total_seconds"]),
            active_seconds=min(MAX_ACTIVE, int(self.active)),
            items=[self._item_result(n, t) for n, t in enumerate(self.script["targets"])],
            pain_reports=self.pain_reports,
            check_in=CheckIn(pain=pain, feeling=feeling),
        )

    def _item_result(self, n: int, target: dict[str, Any]) -> ItemResult:
        it = self.items[n]
        return ItemResult(
            exercise=target["exercise"],
            target=Target(sets=target["sets"], reps=target["reps"], hold_seconds=target["hold_seconds"],
                          each_side=target["each_side"]),
            steps_done=it.parts_done,
            status="stopped_for_pain" if it.hurt else None,
        )  # fmt: skip
