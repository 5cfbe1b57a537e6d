"""`upright backup`, `upright restore` and `upright import`: a person's history outlives their computer.

backup   a consistent copy of the database while the app runs (SQLite's online backup), 0600
restore  puts a backup back: refuses while `upright serve` runs, asks first, keeps the old one aside
import   reads the person's own export (Settings, Download all my data) into an empty Upright;
         `upright import fhir FILE` reads a FHIR bundle (upright.cli.fhir_cmd, when installed)"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from upright import clock
from upright.cli.output import console, err_console, exits_on_error, print_json

__all__ = ["register"]

FORMATS = ("fhir",)


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[bold red]Error:[/] {message}", highlight=False)
    return typer.Exit(1)


def _agrees(question: str) -> bool:
    """Yes only when the person says so; no answer (Ctrl+D, no terminal) is a no."""
    try:
        return typer.confirm(question, default=False)
    except typer.Abort:
        return False


def _stamp() -> str:
    return clock.now().strftime("%Y%m%d-%H%M%S")


def _backup(output: Path, as_json: bool) -> None:
    from upright.composition import Upright
    from upright.store.backup import backup_sqlite, postgres_advice, sqlite_path

    root = Upright()
    url = root.settings.effective_database_url
    db_file = sqlite_path(url)
    if db_file is None:
        err_console.print(postgres_advice(url), highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1)
    root.open_database().dispose()  # an old database is brought up to date first, like every command
    info = backup_sqlite(db_file, output)
    if as_json:
        print_json({"file": str(output), "revision": info.revision, "counts": info.counts,
                    "newest_session": info.newest_session})  # fmt: skip
        return
    console.print(f"Backup written to {output} (only you can read it).", highlight=False)
    console.print(f"It holds {info.describe()}.", highlight=False)


def _restore(backup: Path, yes: bool) -> None:
    from upright.composition import Upright
    from upright.store.backup import postgres_advice, read_backup, restore_sqlite, server_lock, sqlite_path

    root = Upright()
    url = root.settings.effective_database_url
    db_file = sqlite_path(url)
    if db_file is None:
        err_console.print(postgres_advice(url), highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1)
    info = read_backup(backup)
    with server_lock(db_file, exclusive=True):
        console.print(f"{backup.name} holds {info.describe()}.", highlight=False)
        aside = db_file.with_name(f"{db_file.name}.before-restore-{_stamp()}") if db_file.is_file() else None
        if aside is not None and not yes:
            console.print(f"It will replace the data in {db_file}; that data is kept in {aside.name}.",
                          highlight=False)  # fmt: skip
            if not _agrees("Replace your data with this backup?"):
                console.print("Nothing was changed.")
                raise typer.Exit(1)
        restore_sqlite(backup, db_file, aside=aside)
        root.open_database().dispose()  # a backup from an older Upright is brought up to date now
    console.print("Restored. Start Upright with `upright serve`.")
    if aside is not None:
        console.print(f"Your data from before is kept in {aside}.", highlight=False)


def _import_export(path: Path, as_json: bool) -> None:
    from upright.composition import Upright
    from upright.services.data_import import import_data
    from upright.services.people import current_person

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(f"there is no file {path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _fail(f"{path.name} is not an Upright export (it is not a JSON file)") from None
    root = Upright()
    now = clock.now()
    with root.database() as db, db.transaction() as s:
        person = current_person(s, root.settings, now=now)
        report = import_data(s, person.id, data, now=now)
    if as_json:
        print_json({"is_new": report.is_new, "counts": report.counts, "notes": report.notes})
        return
    console.print(report.summary(), highlight=False)
    for note in report.notes:
        console.print(f"[bold]{note}[/]", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command()
    @exits_on_error
    def backup(
        output: Path = typer.Option(..., "--output", "-o", help="The backup file to write (a new file)."),
        as_json: bool = typer.Option(False, "--json", help="Print what the backup holds as JSON."),
    ) -> None:
        """Copy your data into one file, safely, even while Upright runs (SQLite; PostgreSQL: pg_dump)."""
        _backup(output, as_json)

    @app.command()
    @exits_on_error
    def restore(
        file: Path = typer.Argument(..., help="A backup made by `upright backup`."),
        yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask before replacing your data."),
    ) -> None:
        """Put a backup back. Stop `upright serve` first; your current data is kept aside."""
        _restore(file, yes)

    @app.command(name="import")
    @exits_on_error
    def import_(
        first: str = typer.Argument(..., metavar="[FORMAT] FILE", help="Your export (JSON), or: fhir FILE."),
        second: Path | None = typer.Argument(None, hidden=True),
        yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask questions (for scripts)."),
        as_json: bool = typer.Option(False, "--json", help="Print what was brought in as JSON."),
    ) -> None:
        """Bring in your data from an export (Settings, Download all my data) into an empty Upright."""
        if second is None:
            _import_export(Path(first), as_json)
            return
        if first not in FORMATS:
            raise _fail(f"unknown format {first!r}; give just the file, or: upright import fhir FILE")
        try:
            from upright.cli.fhir_cmd import import_fhir_command  # type: ignore[import-not-found,unused-ignore]
        except ModuleNotFoundError as exc:
            if exc.name != "upright.cli.fhir_cmd":
                raise
            raise _fail("FHIR import is not available in this version") from None
        import_fhir_command(second, yes=yes)
