"""`upright session [PROGRAM]`: play today's session in the terminal and log it to the same database as
the web app. Without PROGRAM it plays your chosen plan; with a handout program id it plays that program,
fitted to your conditions and equipment. Screening rules apply here as in the browser."""

from __future__ import annotations

import time

import typer

from upright import clock
from upright.cli.output import console, err_console, exits_on_error, print_json
from upright.errors import SafetyStop

__all__ = ["CLOCK", "SLEEP", "register"]

# The player reads time through these two; tests swap in a fast clock.
SLEEP = time.sleep
CLOCK = time.monotonic


def _stop(exc: SafetyStop) -> None:
    from upright.services.safety_words import STOP_WORDS, stop_words

    if exc.outcome == "rest_today":
        err_console.print(f"[bold]{' '.join(exc.reasons)}[/]", highlight=False)
        return
    if exc.outcome not in STOP_WORDS:  # not screened yet, or a new screening is needed
        err_console.print(f"[bold]{' '.join(exc.reasons)}[/]\nAnswer the safety questions in the web app first "
                          "(`upright serve`, then open Today).", highlight=False)  # fmt: skip
        return
    words = stop_words(exc.outcome)
    err_console.print(f"[bold red]{words['title']}[/]", highlight=False)
    for line in words["lines"]:  # type: ignore[attr-defined]
        err_console.print(line, highlight=False)


def _pain_end(score: int | None) -> None:
    """The calm end of a session stopped for pain: say so, give the advice again. Never "Well done!"."""
    from upright.cli.terminal_player import PAIN_STOP_WORDS
    from upright.domain.progress import SEVERE_PAIN
    from upright.services.safety_words import HIGH_PAIN_ADVICE, pain_advice

    console.print(f"[bold]Saved. Please rest now.[/] {PAIN_STOP_WORDS}", highlight=False)
    if score is not None and score >= SEVERE_PAIN:
        console.print(HIGH_PAIN_ADVICE, highlight=False)
    for line in pain_advice():
        console.print(f"  • {line}", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command()
    @exits_on_error
    def session(
        program: str = typer.Argument(
            None, metavar="[PROGRAM]", help="A handout program id; default: your plan."
        ),
        bell: bool = typer.Option(
            None, "--bell/--no-bell", help="Ring the terminal bell at holds (default: Settings)."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the stored session as JSON at the end."),
    ) -> None:
        """Play your session in the terminal: countdowns, reps, Ctrl+C if it hurts, a check-in at the end."""
        from upright.cli.terminal_player import TerminalPlayer
        from upright.composition import Upright
        from upright.services.breaks import count_session_as_break
        from upright.services.people import current_person, get_profile
        from upright.services.player import script_json, session_script
        from upright.services.sessions import record_session

        root = Upright()
        settings, catalog = root.settings, root.catalog
        db = root.open_database()
        try:
            with db.transaction() as s:
                person = current_person(s, settings, now=clock.now())
                person_id = person.id
                try:
                    here = clock.local_zone()  # the computer's own time zone, as the web app
                    ss = session_script(
                        s, person_id, catalog=catalog, now=clock.now(), tz=here, program=program
                    )
                    script = script_json(ss)
                except SafetyStop as exc:
                    _stop(exc)
                    raise typer.Exit(1) from None
                ring = get_profile(s, person_id).bell_on if bell is None else bell
                count_session_as_break(s, person_id, now=clock.now())  # a break from work
            player = TerminalPlayer(
                script=script,
                console=console,
                sleep=SLEEP,
                clock=CLOCK,
                bell=ring,
                words=catalog.vocabulary,
            )
            result = player.play()
            with db.transaction() as s:
                recorded = record_session(s, person_id, result, catalog=catalog, now=clock.now())
        finally:
            db.dispose()
        if as_json:
            print_json({**recorded.result.model_dump(mode="json"), "dose_changes": recorded.changes})
            return
        if recorded.result.outcome == "stopped_for_pain":
            _pain_end(player.hurt_score)
        else:
            console.print(
                "[bold green]Saved. Well done![/] See your progress with `upright serve`, then Progress."
            )
        for change in recorded.changes:
            if change["direction"] != "same":
                console.print(f"  {change['name']}: {change['reason']}", highlight=False)
