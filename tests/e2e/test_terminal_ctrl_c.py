"""The terminal player in a real pseudo-terminal: Ctrl+C (a real SIGINT from the terminal) always
reaches the "this hurts" menu, at any moment, including exactly at a step change and when two
interrupts arrive together (as under `uv run`); nothing already done is lost."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import re
import select
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HARNESS = Path(__file__).with_name("tty_player.py")
ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")
MENU = "h = this hurts, s = skip this exercise, e = end the session"


class Tty:
    """A child process on a pseudo-terminal; `expect` reads until a text appears."""

    def __init__(self, step_seconds: float) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: the pty is its controlling terminal, so ^C becomes SIGINT
            os.chdir(ROOT)
            os.execv(sys.executable, [sys.executable, str(HARNESS), str(step_seconds)])
        self.pid, self.fd, self.seen = pid, fd, ""

    def expect(self, text: str, timeout: float = 30.0) -> str:
        end = time.monotonic() + timeout
        while text not in self.seen:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"never saw {text!r}; output so far:\n{self.seen}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"the player ended before {text!r}; output:\n{self.seen}")
                self.seen += ANSI.sub("", chunk.decode("utf-8", "replace"))
        return self.seen

    def send(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def result(self) -> dict[str, Any]:
        self.expect("RESULT ")
        self.expect("\n", timeout=5)
        line = self.seen[self.seen.index("RESULT ") + 7 :].splitlines()[0]
        data: dict[str, Any] = json.loads(line)
        return data

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


@pytest.fixture
def tty() -> Iterator[Any]:
    started: list[Tty] = []

    def start(step_seconds: float = 0.5) -> Tty:
        t = Tty(step_seconds)
        started.append(t)
        return t

    yield start
    for t in started:
        t.close()


def _start(t: Tty) -> None:
    t.expect("Press Enter to start", timeout=120)  # a busy machine may take long to start Python
    t.send("\n")


@pytest.mark.parametrize("boundary", ["Shoulder rolls", "Roll up", "Chin tuck", "Hold"])
def test_ctrl_c_at_a_step_change_opens_the_menu_and_this_hurts_is_recorded(tty: Any, boundary: str) -> None:
    t = tty()
    _start(t)
    after_start = len(t.seen)
    while boundary not in t.seen[after_start:]:
        t.expect(boundary)
    t.send("\x03")  # the very moment the new step is drawn
    t.expect(MENU)
    t.send("h\n")
    t.expect("How bad is the pain right now?")
    t.send("4\n")
    t.expect("g = go on gently")
    t.send("g\n")
    t.expect("How is your pain now?", timeout=15)
    t.send("2\n")
    t.expect("How did it go?")
    t.send("\n")
    result = t.result()
    assert [(p["score"], p["action"]) for p in result["pain_reports"]] == [(4, "continue")]
    assert result["check_in"]["pain"] == 2 and result["outcome"] == "completed"
    assert t.seen.count("Stopped.") == 1


def test_two_interrupts_at_once_open_the_menu_once_and_ending_keeps_what_was_done(tty: Any) -> None:
    t = tty()
    _start(t)
    t.expect("Chin tuck")  # the first exercise is done
    t.send("\x03\x03")  # the terminal's interrupt and the one `uv run` forwards
    t.expect(MENU)
    time.sleep(0.3)
    t.send("e\n")
    t.expect("How is your pain now?")
    t.send("3\n")
    t.expect("How did it go?")
    t.send("\n")
    result = t.result()
    assert t.seen.count("Stopped.") == 1
    assert result["outcome"] == "ended_early"
    assert result["items"][0]["steps_done"] == [0, 1]  # both moves of the first exercise are kept
    assert result["items"][1]["steps_done"] == []


def test_ctrl_c_while_the_menu_asks_does_not_break_it(tty: Any) -> None:
    t = tty()
    _start(t)
    t.expect("Roll up")
    t.send("\x03")
    t.expect(MENU)
    t.send("\x03")  # a second Ctrl+C while the question waits
    time.sleep(0.3)
    t.send("h\n")
    t.expect("How bad is the pain right now?")
    t.send("8\n")
    t.expect("e = end the session")
    t.send("e\n")
    t.expect("You stopped because it hurt")  # the pain is not asked twice
    t.expect("How did it go?")
    t.send("\n")
    result = t.result()
    assert result["outcome"] == "stopped_for_pain" and result["check_in"]["pain"] is None
    assert [p["score"] for p in result["pain_reports"]] == [8]


@pytest.mark.parametrize("delay", [0.0, 0.2, 0.48, 0.5, 0.52])
def test_ctrl_c_at_any_moment_reaches_the_menu(tty: Any, delay: float) -> None:
    t = tty()
    _start(t)
    t.expect("Shoulder rolls")
    time.sleep(delay)  # around the step changes at 0.5 s and 1.0 s
    t.send("\x03")
    t.expect(MENU)
    t.send("e\n")
    t.expect("How is your pain now?")
    t.send("1\n")
    t.expect("How did it go?")
    t.send("\n")
    assert t.result()["outcome"] == "ended_early"
