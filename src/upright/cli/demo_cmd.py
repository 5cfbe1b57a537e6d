"""`upright demo --patients N --weeks W`: made-up clinicians, patients and history in a clinic
database, for trials and benchmarks (services/demo.py). Refuses a database with real people."""

from __future__ import annotations

import typer

from upright import clock
from upright.cli.output import console, exits_on_error

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    @app.command()
    @exits_on_error
    def demo(
        patients: int = typer.Option(20, "--patients", help="How many made-up patients."),
        weeks: int = typer.Option(8, "--weeks", help="Weeks of made-up history for each."),
        seed: int = typer.Option(1, "--seed", help="The same seed makes the same data."),
    ) -> None:
        """Fill a clinic database with made-up demo clinicians, patients and history."""
        from upright.cli.catalog_source import cli_catalog
        from upright.cli.clinic_cmds import clinic_database
        from upright.services.demo import DEMO_PASSWORD, fill_demo

        catalog = cli_catalog()
        db = clinic_database()
        try:
            with db.write_sessions() as s:
                summary = fill_demo(s, patients=patients, weeks=weeks, catalog=catalog, now=clock.now(), seed=seed,
                                    after_batch=lambda _done: s.commit())  # fmt: skip
        finally:
            db.dispose()
        console.print(
            f"Demo data: {summary.clinicians} clinicians, {summary.patients} patients, {summary.sessions} sessions. "
            f"Every demo account's password is {DEMO_PASSWORD} (emails: demo-...@example.org).",
            highlight=False,
            soft_wrap=True,
        )
