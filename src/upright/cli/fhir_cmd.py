"""Import a FHIR CarePlan bundle as your plan: `upright import fhir FILE` calls `import_fhir_command`.

The file is read and checked in full first (FHIR R4B structure, known exercises, doses inside their
handout's range unless a clinician wrote the plan, nothing your conditions rule out); only then is the
plan stored, in one transaction. A refusal names the resource and element and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from upright import clock
from upright.cli.output import console
from upright.errors import InvalidInput

__all__ = ["import_fhir_command", "read_json_file"]


def read_json_file(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput("FILE", f"there is no file {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput("FILE", f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput("FILE", f"{path} is not valid JSON (line {exc.lineno}): {exc.msg}") from None


def import_fhir_command(path: Path, *, yes: bool) -> None:
    """Read the bundle at `path` and make its CarePlan your plan. Without `yes`, ask before replacing
    the plan you have. Raises UprightError subclasses for the caller to print (exits_on_error)."""
    from upright.composition import Upright
    from upright.domain.plan_draft import draft_items
    from upright.exports.fhir import read_plan_bundle
    from upright.services.fhir_exchange import import_plan
    from upright.services.people import current_person
    from upright.store import repositories as repo

    root = Upright()
    settings, catalog = root.settings, root.catalog
    draft = read_plan_bundle(read_json_file(path))
    draft_items(draft, catalog)  # refuse a bad file before asking anything
    now = clock.now()
    db = root.open_database()
    try:
        with db.transaction() as s:
            person_id = current_person(s, settings, now=now).id
            current = repo.active_plan(s, person_id)
        if current is not None and not yes:
            typer.confirm(
                f"Replace your plan {current.title!r} with {draft.title!r} ({len(draft.items)} exercises)?",
                abort=True,
            )
        with db.transaction() as s:
            result = import_plan(s, person_id, draft, catalog=catalog, now=now)
            title, count = result.plan.title, len(result.plan.items)
    finally:
        db.dispose()
    if not result.created:
        console.print(f"Your plan {title!r} is already this plan. Nothing changed.", highlight=False)
        return
    by = f", set by {draft.author}" if draft.author else ""
    console.print(f"Your plan is now {title!r}: {count} exercises{by}.", highlight=False)
