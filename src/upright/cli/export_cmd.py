"""`upright export [FORMAT] [-o FILE]`: all your data as one file.

FORMAT is `json` (Upright's own export, the same as the Settings page's download) or `fhir` (a FHIR R4B
Bundle, docs/FHIR.md). Without -o the file goes to standard output. A file is created readable by you
only: it holds health details."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import typer

from upright import clock, files
from upright.cli.output import console, exits_on_error
from upright.errors import InvalidInput

__all__ = ["FORMATS", "export_data", "register", "write_private"]

FORMATS = ("json", "fhir")


def export_data(fmt: str, *, now: datetime) -> dict[str, Any]:
    """The document for this format, read in one transaction."""
    from upright.composition import Upright
    from upright.exports.fhir import person_bundle
    from upright.services.fhir_exchange import person_history
    from upright.services.my_data import export_all_data
    from upright.services.people import current_person

    root = Upright()
    with root.database() as db, db.transaction() as s:
        person_id = current_person(s, root.settings, now=now).id
        if fmt == "json":
            return export_all_data(s, person_id, now=now)
        catalog = root.catalog
        return person_bundle(person_history(s, person_id, catalog=catalog), catalog=catalog, now=now)


def write_private(path: Path, text: str) -> None:
    """Write (or replace) a file only its owner may read (an existing file is tightened to 0600 too)."""
    try:
        files.write_private(path, text.encode("utf-8"))
    except OSError as exc:
        raise InvalidInput("output", f"cannot write {path}: {exc.strerror or exc}") from None


def register(app: typer.Typer) -> None:
    @app.command()
    @exits_on_error
    def export(
        fmt: str = typer.Argument(
            "json", metavar="[FORMAT]", help="json (Upright's own) or fhir (FHIR R4B)."
        ),
        output: Path | None = typer.Option(
            None, "-o", "--output", help="Where to write it (default: standard output).", dir_okay=False
        ),
    ) -> None:
        """Export all your data: Upright's JSON, or a FHIR R4B bundle for a health record."""
        fmt = fmt.strip().lower()
        if fmt not in FORMATS:
            raise InvalidInput("FORMAT", f"choose one of: {', '.join(FORMATS)}; got {fmt!r}")
        data = export_data(fmt, now=clock.now())
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if output is None:
            typer.echo(text, nl=False)
            return
        write_private(output, text)
        what = "FHIR bundle" if fmt == "fhir" else "data"
        count = f" with {len(data.get('entry', []))} resources" if fmt == "fhir" else ""
        console.print(f"Wrote your {what}{count} to {output}.", highlight=False, soft_wrap=True)
