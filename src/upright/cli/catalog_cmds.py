"""`upright exercises`, `upright exercise`, `upright programs`, `upright program`, `upright catalog check`."""

from __future__ import annotations

import typer

from upright.catalog import Catalog
from upright.cli.catalog_source import cli_catalog
from upright.cli.output import console, err_console, exits_on_error, print_json
from upright.domain.wording import dose_text
from upright.errors import CatalogError
from upright.services.catalog import exercise_json, filter_exercises, program_json

__all__ = ["register"]

catalog_app = typer.Typer(help="Check the exercise catalog.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(catalog_app, name="catalog")

    @app.command()
    @exits_on_error
    def exercises(
        as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
        equipment: list[str] | None = typer.Option(
            None, help="What you have: none, band, dumbbells, wall, doorway, ... (repeat or comma-separate)."
        ),
        position: str | None = typer.Option(None, help="sitting, standing, kneeling, ..."),
        handout: str | None = typer.Option(None, help="Only exercises in this handout (file or program id)."),
        condition: list[str] | None = typer.Option(None, help="Leave out what this condition rules out."),
        name: str | None = typer.Option(
            None, help="Words of its name or another name, e.g. 'scapular squeeze'."
        ),
    ) -> None:
        """List the exercises, filtered."""
        cat = cli_catalog()
        found = filter_exercises(
            cat,
            equipment=equipment,
            position=position,
            handout=handout,
            conditions=condition or (),
            text=name,
        )
        if as_json:
            print_json([exercise_json(ex) for ex in found])
            return
        from rich.table import Table

        words = cat.vocabulary
        table = Table("id", "name", "kind", "position", "needs", title=f"{len(found)} exercises")
        for ex in found:
            needs = ", ".join(words.word("equipment", e) for e in ex.equipment)
            table.add_row(
                ex.id,
                ex.name,
                words.word("categories", ex.category),
                words.word("positions", ex.position),
                needs,
            )
        console.print(table)

    @app.command()
    @exits_on_error
    def exercise(
        exercise_id: str = typer.Argument(..., metavar="ID"),
        as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
    ) -> None:
        """Show one exercise: steps, do and don't cues, cautions and every handout's dose."""
        cat = cli_catalog()
        ex = cat.exercise(exercise_id)
        if as_json:
            print_json(exercise_json(ex))
            return
        kind, where = (
            cat.vocabulary.word("categories", ex.category),
            cat.vocabulary.word("positions", ex.position),
        )
        console.print(f"[bold]{ex.name}[/]  ({kind}, {where.lower()})\n{ex.purpose}\n")
        for i, step in enumerate(ex.steps, 1):
            console.print(f"  {i}. {step}")
        if ex.cues.do or ex.cues.dont:
            console.print("\n[bold]Do it well[/]")
        for cue in ex.cues.do:
            console.print(f"  [bold green]✓[/] {cue}", highlight=False)
        for cue in ex.cues.dont:
            console.print(f"  [bold red]✗[/] {cue}", highlight=False)
        for caution in ex.cautions:
            console.print(f"[bold red]Careful:[/] {caution}", highlight=False)
        if ex.other_names:
            console.print(f"[dim]Also called: {', '.join(ex.other_names)}[/]", highlight=False)
        titles = {t.file: t.title for t in cat.templates.values()}
        console.print("\n[bold]Doses[/]")
        for dose in ex.doses:
            where = titles.get(dose.handout, dose.handout)
            console.print(
                f"  {dose_text(dose, cat.vocabulary)}   [dim]({dose.name_in_handout}, in {where})[/]",
                highlight=False,
            )
            for v in dose.variants:
                console.print(f"    or {v.name}: {dose_text(v, cat.vocabulary)}")

    @app.command()
    @exits_on_error
    def programs(as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts.")) -> None:
        """List the handout programs."""
        cat = cli_catalog()
        data = [program_json(t, cat) for t in cat.templates.values()]
        if as_json:
            print_json(data)
            return
        from rich.table import Table

        table = Table("id", "title", "exercises", "handout")
        for p in data:
            table.add_row(p["id"], p["title"], str(len(p["items"])), p["file"])
        console.print(table)

    @app.command()
    @exits_on_error
    def program(
        program_id: str = typer.Argument(..., metavar="ID"),
        as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
    ) -> None:
        """Show one handout program, in the handout's order."""
        cat = cli_catalog()
        data = program_json(cat.template(program_id), cat)
        if as_json:
            print_json(data)
            return
        console.print(f"[bold]{data['title']}[/]  [dim]{data['file']}[/]\n{data['summary']}\n")
        for i, item in enumerate(data["items"], 1):
            ex = cat.exercise(item["exercise"])
            dose = ex.dose_for(data["file"])
            assert dose is not None
            console.print(f"  {i}. {ex.name}: {dose_text(dose, cat.vocabulary)}")
        for rule in data["rules"]:
            console.print(f"  • {rule['text']}")


def _check_figures(cat: Catalog) -> None:
    """What the loader cannot check in a pose file, because it needs the skeleton: body parts,
    reaches, arrows, and a timeline that follows the exercise's phases. Raises every problem at once."""
    from upright.figures.motion import motion_for
    from upright.figures.poses import figure_from_pose

    problems: list[tuple[str, str, str]] = []
    for exercise_id, pose in cat.poses.items():
        try:
            motion_for(figure_from_pose(pose, cat.pose_source(exercise_id)), cat.exercise(exercise_id))
        except CatalogError as exc:
            problems += exc.problems
    if problems:
        raise CatalogError(problems)


@catalog_app.command("check")
def check() -> None:
    """Validate every catalog file; print readability per exercise. Exit 1 on any error."""
    from upright.catalog.readability import exercise_readability

    try:
        cat = cli_catalog()
        _check_figures(cat)
    except CatalogError as exc:
        err_console.print(f"[bold red]{len(exc.problems)} problem(s) in the catalog:[/]")
        for file, field, problem in exc.problems:
            err_console.print(f"  {file}: [bold]{field}[/]: {problem}", highlight=False)
        raise typer.Exit(1) from None
    from rich.table import Table

    table = Table(
        "exercise", "grade (FK)", "SMOG", title="Readability of patient text (aim: grade 5 or lower)"
    )
    worst = 0.0
    for ex in cat.exercises.values():
        score = exercise_readability(ex)
        worst = max(worst, score.flesch_kincaid)
        table.add_row(ex.id, f"{score.flesch_kincaid:.1f}", f"{score.smog:.1f}")
    console.print(table)
    console.print(
        f"OK: {len(cat.exercises)} exercises, {len(cat.templates)} programs, {len(cat.rules)} rules, "
        f"{len(cat.conditions)} conditions, {len(cat.screening)} screening questions. Highest grade {worst:.1f}."
    )
